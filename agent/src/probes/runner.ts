// Runs one probe: validates its config with the type's schema, gives it an AbortSignal that fires at the
// probe's timeout, and turns anything thrown (or the timeout) into `down` with the error's message.
import type { AgentProbe, ProbeOutcome } from '@emma/protocol';
import { probeRegistry, type ProbeRegistry } from './registry';
import { errorMessage, roundMs, scrub, scrubValue } from './util';

export interface RunProbeOptions {
  /** The plug-ins to use; the agent's full list by default. */
  registry?: ProbeRegistry;
  /** Cancels the check from outside (e.g. the agent is stopping). */
  signal?: AbortSignal;
}

const MAX_MESSAGE = 2000;

export class ProbeTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

function down(message: string, secrets: readonly string[] = []): ProbeOutcome {
  return { status: 'down', latencyMs: null, message: clip(scrub(message, secrets) || 'failed') };
}

export async function runProbe(probe: AgentProbe, opts: RunProbeOptions = {}): Promise<ProbeOutcome> {
  const registry = opts.registry ?? probeRegistry;
  const entry = registry.get(probe.type);
  if (!entry) return down(`no probe plug-in for type "${probe.type}"`);
  const prepared = entry.prepare(probe.config);
  if (!prepared.ok) return down(`invalid ${probe.type} probe config: ${prepared.error}`);
  const { secrets } = prepared.probe;

  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new ProbeTimeoutError(probe.timeoutMs));
  }, probe.timeoutMs);
  const onOuterAbort = (): void => {
    controller.abort(new Error('cancelled'));
  };
  if (opts.signal?.aborted) onOuterAbort();
  else opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  let rejectOnAbort: (reason: unknown) => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    rejectOnAbort = reject;
  });
  const onAbort = (): void => {
    rejectOnAbort(controller.signal.reason);
  };
  if (controller.signal.aborted) onAbort();
  else controller.signal.addEventListener('abort', onAbort, { once: true });

  try {
    // Started inside the try so a synchronous throw is caught; the race stops waiting at the timeout even
    // when a probe ignores its signal.
    const outcome = await Promise.race([
      prepared.probe.run({ signal: controller.signal, timeoutMs: probe.timeoutMs }),
      aborted,
    ]);
    return {
      status: outcome.status,
      latencyMs: outcome.latencyMs === null ? null : roundMs(outcome.latencyMs),
      message: clip(scrub(outcome.message, secrets)),
      ...(outcome.details
        ? { details: scrubValue(outcome.details, secrets) as Record<string, unknown> }
        : {}),
    };
  } catch (error) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
    return down(errorMessage(reason), secrets);
  } finally {
    clearTimeout(timer);
    controller.signal.removeEventListener('abort', onAbort);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}
