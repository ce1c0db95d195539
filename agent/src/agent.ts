// The agent's life: enrol once (identity kept in the state directory), pull its configuration, collect
// host metrics every interval and hand them to the delivery pipeline, which spools while the server is away.
// Beside that: the container monitor (inventory, engine events, stats) and the container action poller.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AgentConfig } from '@emma/protocol';
import { createHostCollector, readHostFacts } from './collectors';
import { ContainerMonitor, dockerEngine } from './collectors/containers';
import { CommandPoller } from './commands';
import type { AgentSettings } from './config';
import { HEALTH_FILE } from './health-file';
import {
  enroll,
  fetchConfig,
  startPipeline,
  StateStore,
  type Pipeline,
  type PipelineLogger,
} from './pipeline';
import { runProbe } from './probes/runner';
import { ProbeScheduler } from './probes/scheduler';
import { rotateCredential } from './rotate';

export const AGENT_VERSION = '0.1.0';
/** An engine event goes out this soon (with whatever else is pending), not at the next interval. */
export const CONTAINER_FLUSH_MS = 750;
/** How long a collect cycle waits for the container stats round before sending without it. */
const STATS_WAIT_MS = 2000;

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** The agent cannot go on without someone's help (bad token, revoked credential). */
export class AgentFatalError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'AgentFatalError';
  }
}

export interface RunningAgent {
  agentId: string;
  pipeline: Pipeline;
  /** Resolves when the agent stops by itself (a fatal refusal) or after stop(). */
  done: Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_CONFIG: Omit<AgentConfig, 'agentId' | 'status'> = {
  intervalS: 10,
  heartbeatS: 30,
  maxBatchSamples: 20_000,
  rotateCredential: false,
  probes: [],
};

async function identity(settings: AgentSettings, logger: PipelineLogger): Promise<StateStore> {
  const existing = await StateStore.load(settings.stateDir);
  if (existing) {
    if (existing.identity.serverUrl !== settings.serverUrl)
      await existing.update({ serverUrl: settings.serverUrl });
    logger.info({ agentId: existing.identity.agentId }, 'using the identity in the state directory');
    return existing;
  }
  if (!settings.enrollToken) {
    throw new AgentFatalError(
      'Not enrolled yet and no EMMA_ENROLL_TOKEN given: ask an operator for one',
      'no_token',
    );
  }
  const host = await readHostFacts(settings.procRoot);
  const result = await enroll(settings.serverUrl, {
    token: settings.enrollToken,
    host: { ...host, agentVersion: AGENT_VERSION },
    ...(settings.name ? { name: settings.name } : {}),
  });
  if (!result.ok) {
    if (result.status === 401 || result.status === 400) {
      throw new AgentFatalError(`Enrolment refused: ${result.message} (${result.code})`, result.code);
    }
    throw new Error(`Enrolment failed: ${result.message} (status ${result.status})`);
  }
  logger.info({ agentId: result.value.agentId, status: result.value.status }, 'enrolled');
  return StateStore.create(settings.stateDir, {
    serverUrl: settings.serverUrl,
    agentId: result.value.agentId,
    credential: result.value.credential,
  });
}

/** Enrols when needed, retrying while the server is unreachable; a refusal is final. */
async function identityWithRetry(settings: AgentSettings, logger: PipelineLogger, signal: AbortSignal) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await identity(settings, logger);
    } catch (err) {
      if (err instanceof AgentFatalError || signal.aborted) throw err;
      const delayMs = Math.min(60_000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
      logger.warn(
        { err: String(err), retryInMs: Math.round(delayMs) },
        'server unreachable; retrying enrolment',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

export async function runAgent(settings: AgentSettings, logger: PipelineLogger): Promise<RunningAgent> {
  await mkdir(settings.stateDir, { recursive: true, mode: 0o700 });
  const abort = new AbortController();
  const state = await identityWithRetry(settings, logger, abort.signal);
  let config: AgentConfig = { agentId: state.identity.agentId, status: 'offline', ...DEFAULT_CONFIG };
  let etag: string | undefined;
  let fatalError: AgentFatalError | undefined;
  let stopping: Promise<void> | undefined;
  const fatal = (err: AgentFatalError) => {
    if (fatalError) return;
    fatalError = err;
    logger.error({ code: err.code }, err.message);
    void stop();
  };

  const pipeline = await startPipeline({
    state,
    spoolDir: path.join(settings.stateDir, 'spool'),
    spoolMaxBytes: settings.spoolMaxBytes,
    maxSamples: DEFAULT_CONFIG.maxBatchSamples,
    maxDelayMs: 60_000,
    heartbeatMs: DEFAULT_CONFIG.heartbeatS * 1000,
    logger,
    onFatal: (failure) => {
      fatal(new AgentFatalError(`The server refused this agent: ${failure.message}`, failure.code));
    },
  });

  // Probe results travel in the same batches as the host metrics.
  const probes = new ProbeScheduler({
    run: (probe, signal) => runProbe(probe, { signal }),
    concurrency: settings.probeConcurrency,
    onResult: (result) => {
      pipeline.batcher.addProbeResults([result]);
    },
    logger,
  });

  // Containers: engine events go out within about a second; the inventory and stats with the next batch.
  let flushTimer: NodeJS.Timeout | undefined;
  const flushSoon = () => {
    if (flushTimer !== undefined || abort.signal.aborted) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      void pipeline.batcher.flush();
    }, CONTAINER_FLUSH_MS);
  };
  let commands: CommandPoller | undefined;
  const engine = settings.docker === 'off' ? undefined : dockerEngine(settings.dockerEndpoint);
  const containers =
    engine &&
    new ContainerMonitor({
      engine,
      mode: settings.docker === 'on' ? 'on' : 'auto',
      actionsEnabled: settings.containerActions,
      fullInventoryMs: settings.inventoryFullS * 1000,
      concurrency: settings.statsConcurrency,
      logger,
      onInventory: (inventory) => {
        pipeline.batcher.addContainerInventory(inventory);
        flushSoon();
      },
      onEvents: (events) => {
        pipeline.batcher.addContainerEvents(events);
        flushSoon();
      },
      // The action poller (one held request per agent) only once there is an engine to act on.
      onConnected: () => {
        if (!settings.containerActions || commands || abort.signal.aborted) return;
        commands = new CommandPoller({
          serverUrl: settings.serverUrl,
          credential: state.identity.credential,
          engine,
          waitS: settings.commandWaitS,
          logger,
          onExecuted: (command) => containers?.refresh(command.containerId),
        });
        commands.start();
      },
    });
  containers?.start();

  const pullConfig = async () => {
    const result = await fetchConfig(settings.serverUrl, state.identity.credential, etag);
    if (!result.ok) {
      if (result.status === 401)
        fatal(new AgentFatalError(`Configuration refused: ${result.message}`, result.code));
      else
        logger.warn(
          { status: result.status, code: result.code },
          'configuration pull failed; keeping the last one',
        );
      return;
    }
    if (!result.value.changed) return;
    config = result.value.config;
    etag = result.value.etag;
    pipeline.batcher.configure({
      maxSamples: config.maxBatchSamples,
      maxDelayMs: 60_000,
      heartbeatMs: config.heartbeatS * 1000,
    });
    probes.update(config.probes);
    logger.info(
      { intervalS: intervalS(), status: config.status, probes: config.probes.length },
      'configuration applied',
    );
    if (config.rotateCredential) {
      const credential = await rotateCredential(settings.serverUrl, state.identity.credential);
      await state.update({ credential });
      pipeline.sender.setCredential(credential);
      commands?.setCredential(credential);
      etag = undefined;
      logger.info({}, 'credential rotated');
    }
  };
  const intervalS = () => settings.intervalS ?? config.intervalS;

  const collector = createHostCollector({
    procRoot: settings.procRoot,
    hostRoot: settings.hostRoot,
    onError: (source, error) => {
      logger.debug({ source, err: String(error) }, 'a metric source was skipped');
    },
  });
  const healthFile = path.join(settings.stateDir, HEALTH_FILE);

  const loop = (async () => {
    let lastPull = 0;
    while (!abort.signal.aborted) {
      const started = Date.now();
      if (started - lastPull >= settings.configPullS * 1000) {
        lastPull = started;
        await pullConfig().catch((err: unknown) => {
          logger.warn({ err: String(err) }, 'configuration pull failed');
        });
      }
      // Container stats take milliseconds; a slow engine must not hold up the host metrics, so a round
      // still running after a moment goes out with a later batch (the next round joins it meanwhile).
      const statsRound = containers?.sampleStats().then(
        (stats) => {
          pipeline.batcher.addContainerStats(stats);
        },
        () => undefined,
      );
      const samples = await collector.collect();
      if (statsRound) await settledWithin(statsRound, Math.min(STATS_WAIT_MS, intervalS() * 500));
      const ts = Date.now();
      pipeline.batcher.add(samples.map((sample) => ({ ...sample, ts })));
      await pipeline.batcher.flush();
      await writeFile(
        healthFile,
        JSON.stringify({
          at: ts,
          agentId: state.identity.agentId,
          sender: pipeline.sender.stats(),
          probes: probes.stats(),
          memory: process.memoryUsage(),
          ...(containers ? { containers: containers.stats() } : {}),
          ...(commands ? { commands: commands.stats() } : {}),
        }),
      ).catch(() => undefined);
      const waitMs = Math.max(0, intervalS() * 1000 - (Date.now() - started));
      await new Promise<void>((resolve) => {
        // The listener goes with the wait: one per interval on the long-lived signal would pile up.
        const onAbort = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          abort.signal.removeEventListener('abort', onAbort);
          resolve();
        }, waitMs);
        abort.signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  })();

  function stop(): Promise<void> {
    stopping ??= (async () => {
      abort.abort();
      await loop.catch(() => undefined);
      clearTimeout(flushTimer);
      await commands?.stop();
      await containers?.stop();
      await probes.stop();
      await pipeline.stop();
    })();
    return stopping;
  }
  // Settles once the agent has stopped; rejects with the refusal when the server turned it away.
  const done = (async () => {
    await loop.catch(() => undefined);
    await stop();
    if (fatalError) throw fatalError;
  })();
  logger.info({ agentId: state.identity.agentId, server: settings.serverUrl }, 'agent running');
  return { agentId: state.identity.agentId, pipeline, done, stop };
}
