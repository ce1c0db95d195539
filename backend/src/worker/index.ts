// The worker role: periodic jobs that keep the store, the agents' state and the container actions current.
// Every run takes a transaction-scoped advisory lock, so with several workers each run happens once.
import { withTransaction, type Pool } from '../db/pool';
import type { Logger } from '../logger';
import { markSilentAgentsOffline, recordAgentEvent } from '../modules/agents/repo';
import { expireActions } from '../modules/containers/service';
import { CHANGES_CHANNEL, notifyChange } from '../modules/ingest/repo';
import type { PartitionManager } from '../modules/ingest/partitions';
import { evaluateAlerts, type AlertSettings, type EvaluationResult } from '../modules/alerts/evaluate';
import { wakeNotificationWorkers } from '../modules/notifications/queue';
import { startDeliveryWorker, type DeliveryWorker } from '../modules/notifications/worker';
import { startListenBridge, type ListenBridge } from '../realtime/bridge';
import { runRollups, type RollupRun } from '../modules/history/rollup';

const LIVENESS_LOCK = 7_120_405_020;
const CONTAINER_ACTIONS_LOCK = 7_120_405_030;

export interface WorkerOptions {
  pool: Pool;
  logger: Logger;
  partitions: PartitionManager;
  livenessEveryMs?: number;
  maintenanceEveryMs?: number;
  /** Rolls up closed buckets this often (default 30 s). */
  rollupEveryMs?: number;
  containerActionsEveryMs?: number;
  /** Evaluates alert rules every evaluateEveryMs when given (each rule under a row lease). */
  alerts?: AlertSettings & { evaluateEveryMs: number };
  /**
   * With alerts: LISTEN here for changes (probe states, agents, containers, samples) and evaluate soon
   * after each burst of them, not only on the timer.
   */
  listenUrl?: string;
  /** Sends notification deliveries when given (secrets are sealed under the server secret). */
  notifications?: {
    serverSecret: string;
    maxAttempts: number;
    backoffBaseMs: number;
    timeoutMs: number;
    pollMs: number;
  };
}

export interface Worker {
  stop(): Promise<void>;
  /** Runs the liveness check now (tests and the first tick use it). */
  checkLiveness(): Promise<string[]>;
  /** Runs the rollups now (catching up as far as one run's budget allows). */
  runRollups(now?: Date): Promise<RollupRun>;
  /** Runs the container action expiry now. */
  checkContainerActions(): Promise<number>;
  /** Evaluates the alert rules now (undefined when this worker does not evaluate alerts). */
  evaluateAlerts(now?: Date): Promise<EvaluationResult | undefined>;
  /** The notification delivery loop, when this worker sends notifications. */
  deliveries: DeliveryWorker | undefined;
}

export async function checkAgentLiveness(pool: Pool): Promise<string[]> {
  return withTransaction(pool, async (db) => {
    const locked = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      LIVENESS_LOCK,
    ]);
    if (!locked.rows[0]?.ok) return [];
    const ids = await markSilentAgentsOffline(db);
    for (const id of ids) {
      await recordAgentEvent(db, id, 'offline', { reason: 'missed three intervals' });
      await notifyChange(db, { t: 'agent', a: id, status: 'offline' });
    }
    return ids;
  });
}

/** Queued container actions past expiry expire; taken ones without a result for too long fail. */
export async function checkContainerActions(pool: Pool): Promise<number> {
  return withTransaction(pool, async (db) => {
    const locked = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      CONTAINER_ACTIONS_LOCK,
    ]);
    if (!locked.rows[0]?.ok) return 0;
    return expireActions(db);
  });
}

/**
 * Notices after which a rule's condition may have changed. Not `samples`: every ingest batch sends one, so
 * under load they would evaluate every rule four times a second; metric thresholds (which hold for minutes
 * anyway) are evaluated by the timer.
 */
const ALERT_RELEVANT = new Set(['probe_state', 'agent', 'container', 'containers']);
/** A burst of notices (one batch, one evaluation) is gathered this long before the rules run. */
const ALERT_TRIGGER_DELAY_MS = 250;

/**
 * Evaluates soon after relevant changes: one LISTEN connection, and at most one evaluation per
 * ALERT_TRIGGER_DELAY_MS however many notices arrive. After a lost connection it evaluates too (changes
 * in the gap were not heard); the timer remains the backstop.
 */
async function listenForAlertChanges(
  databaseUrl: string,
  log: Logger,
  evaluateSoon: () => void,
): Promise<ListenBridge> {
  let pending: NodeJS.Timeout | undefined;
  const trigger = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      evaluateSoon();
    }, ALERT_TRIGGER_DELAY_MS);
  };
  const bridge = await startListenBridge({
    databaseUrl,
    channel: CHANGES_CHANNEL,
    logger: log,
    applicationName: 'emma-worker-listen',
    onNotice: (payload) => {
      const type = /"t":"([a-z_]+)"/.exec(payload)?.[1];
      if (type !== undefined && ALERT_RELEVANT.has(type)) trigger();
    },
    onRestored: trigger,
  });
  return {
    get connected() {
      return bridge.connected;
    },
    get losses() {
      return bridge.losses;
    },
    close: async () => {
      clearTimeout(pending);
      await bridge.close();
    },
  };
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { pool, logger, partitions } = options;
  const log = logger.child({ role: 'worker' });
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const guard = (name: string, job: () => Promise<unknown>) => () => {
    // After stop() no job starts: stop() waits for the chain as it was, so a later one would run unawaited.
    if (stopped) return;
    // Jobs never overlap within a process, and a failure is logged, never thrown into a timer.
    // job() without arguments: .then(job) would hand it the previous job's result (evaluate takes `now`).
    running = running
      .then(() => job())
      .catch((err: unknown) => {
        log.error({ err, job: name }, 'worker job failed');
      });
  };
  const maintain = async () => {
    const result = await partitions.maintain(Date.now());
    if (result.dropped.length > 0) log.info({ dropped: result.dropped }, 'dropped expired partitions');
  };
  const rollups = async (budgetMs?: number) => {
    const run = await runRollups(pool, budgetMs === undefined ? {} : { budgetMs });
    if (!run.caughtUp) log.info({ doneUntil: run.doneUntil }, 'rollups catching up');
  };
  const liveness = async () => {
    const ids = await checkAgentLiveness(pool);
    if (ids.length > 0) log.info({ agents: ids }, 'agents went offline');
  };

  const containerActions = async () => {
    const n = await checkContainerActions(pool);
    if (n > 0) log.info({ actions: n }, 'container actions expired or failed without a result');
  };

  const alertSettings = options.alerts;
  const evaluate = async (now?: Date) => {
    if (!alertSettings) return undefined;
    const result = await evaluateAlerts(pool, alertSettings, now);
    if (result.notified > 0) wakeNotificationWorkers();
    if (result.opened + result.reopened + result.resolved > 0) log.info({ ...result }, 'alerts evaluated');
    return result;
  };

  // Rollups first: a raw day is dropped only after they have passed it.
  // A short first run: enough to start the progress rows, without holding up the start.
  await rollups(2_000).catch((err: unknown) => {
    log.error({ err, job: 'rollups' }, 'worker job failed');
  });
  await maintain();
  const timers = [
    setInterval(
      guard('rollups', () => rollups()),
      options.rollupEveryMs ?? 30_000,
    ),
    setInterval(guard('liveness', liveness), options.livenessEveryMs ?? 5_000),
    setInterval(guard('container-actions', containerActions), options.containerActionsEveryMs ?? 5_000),
    setInterval(guard('partitions', maintain), options.maintenanceEveryMs ?? 3_600_000),
  ];
  if (alertSettings) {
    timers.push(setInterval(guard('alerts', evaluate), alertSettings.evaluateEveryMs));
  }
  for (const timer of timers) timer.unref();
  const listener =
    alertSettings && options.listenUrl
      ? await listenForAlertChanges(options.listenUrl, log, guard('alerts', evaluate))
      : undefined;
  // Not behind the job chain or an advisory lock: row leases share the deliveries among all workers.
  const n = options.notifications;
  const deliveries = n
    ? startDeliveryWorker({
        pool,
        logger: log.child({ job: 'notifications' }),
        serverSecret: n.serverSecret,
        maxAttempts: n.maxAttempts,
        backoffBaseMs: n.backoffBaseMs,
        timeoutMs: n.timeoutMs,
        everyMs: n.pollMs,
      })
    : undefined;
  return {
    checkLiveness: () => checkAgentLiveness(pool),
    runRollups: (now?: Date) => runRollups(pool, now ? { now, budgetMs: Infinity } : { budgetMs: Infinity }),
    checkContainerActions: () => checkContainerActions(pool),
    evaluateAlerts: evaluate,
    deliveries,
    // Graceful: no new job starts; the running one (and any already queued behind it) finishes.
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await listener?.close();
      await deliveries?.stop();
      await running;
    },
  };
}
