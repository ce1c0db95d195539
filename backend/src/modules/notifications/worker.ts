// The delivery worker: takes due deliveries under a row lease (FOR UPDATE SKIP LOCKED, so any number of
// workers share the queue and each delivery goes to one of them), sends each with a time limit, records
// the attempt, and retries failures with exponential backoff until the attempts run out.
import type { Pool } from '../../db/pool';
import type { Logger } from '../../logger';
import { attemptDelivery } from './deliver';
import { onWake } from './queue';
import * as repo from './repo';

/** Retry delays as multiples of the base: 10 s, 30 s, 2 min, 10 min, 30 min for a base of 10 s. */
export const BACKOFF_STEPS = [1, 3, 12, 60, 180] as const;

export interface DeliveryWorkerOptions {
  pool: Pool;
  serverSecret: string;
  logger: Logger;
  /** Attempts in all, the first one included (default 6). */
  maxAttempts?: number;
  /** The first retry delay; later ones follow BACKOFF_STEPS (default 10 s). */
  backoffBaseMs?: number;
  /** Per-attempt time limit (default 10 s). */
  timeoutMs?: number;
  /** How long a taken delivery stays this worker's before others may take it again (default 3 × timeout + 30 s). */
  leaseMs?: number;
  /** Deliveries taken (and sent in parallel) per round (default 20). */
  batchSize?: number;
  /** Polling period (default 1 s). */
  everyMs?: number;
  fetch?: typeof fetch;
}

export interface DeliveryWorker {
  /** Takes and sends due deliveries until none is left; returns how many were attempted. */
  runOnce(): Promise<number>;
  /** Starts a round now (when idle). */
  wake(): void;
  stop(): Promise<void>;
}

export function backoffMs(attempt: number, baseMs: number): number {
  const step = BACKOFF_STEPS[Math.min(Math.max(attempt, 1), BACKOFF_STEPS.length) - 1] ?? 1;
  return step * baseMs;
}

function settings(options: DeliveryWorkerOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    maxAttempts: options.maxAttempts ?? 6,
    backoffBaseMs: options.backoffBaseMs ?? 10_000,
    timeoutMs,
    leaseMs: options.leaseMs ?? timeoutMs * 3 + 30_000,
    batchSize: options.batchSize ?? 20,
  };
}

/** One round: expire dead leases, take a batch, send it. Returns the number of deliveries attempted. */
export async function deliverDue(options: DeliveryWorkerOptions): Promise<number> {
  const { pool, logger } = options;
  const s = settings(options);
  const failed = await repo.failExpired(pool, s.maxAttempts);
  if (failed.length > 0) logger.warn({ deliveries: failed }, 'notification deliveries failed: lease expired');
  const taken = await repo.claimDue(pool, {
    limit: s.batchSize,
    leaseMs: s.leaseMs,
    maxAttempts: s.maxAttempts,
  });
  await Promise.all(
    taken.map(async (delivery) => {
      const channel = await repo.findChannelAny(pool, delivery.channel_id);
      const outcome = await attemptDelivery(
        {
          serverSecret: options.serverSecret,
          timeoutMs: s.timeoutMs,
          logger,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        },
        channel,
        delivery.message,
        delivery.id,
      );
      await repo.insertAttempt(pool, {
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        startedAt: outcome.startedAt,
        durationMs: outcome.durationMs,
        ok: outcome.ok,
        statusCode: outcome.statusCode,
        error: outcome.error,
      });
      const error = outcome.error ?? 'failed';
      const final = !outcome.retryable || delivery.attempts >= s.maxAttempts;
      const recorded = await repo.finish(
        pool,
        delivery.id,
        delivery.attempts,
        outcome.ok
          ? { status: 'succeeded', statusCode: outcome.statusCode }
          : final
            ? { status: 'failed', statusCode: outcome.statusCode, error }
            : {
                status: 'pending',
                statusCode: outcome.statusCode,
                error,
                retryInMs: backoffMs(delivery.attempts, s.backoffBaseMs),
              },
      );
      if (!recorded) {
        logger.warn({ deliveryId: delivery.id }, 'notification result came after the lease expired');
      } else if (!outcome.ok && final) {
        logger.error(
          { deliveryId: delivery.id, channelId: delivery.channel_id, attempts: delivery.attempts },
          'notification delivery failed for good',
        );
      }
    }),
  );
  return taken.length;
}

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const log = options.logger;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  const runOnce = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await deliverDue(options);
      total += n;
      if (n === 0 || stopped) return total;
    }
  };

  const round = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((err: unknown) => {
        log.error({ err }, 'notification delivery round failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          round();
        }
      });
  };

  const timer = setInterval(round, options.everyMs ?? 1_000);
  timer.unref();
  const stopListening = onWake(round);
  return {
    runOnce,
    wake: round,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      stopListening();
      await running;
    },
  };
}
