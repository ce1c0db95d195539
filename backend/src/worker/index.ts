// The worker role: periodic jobs that keep the store, the agents' state and the container actions current.
// Every run takes a transaction-scoped advisory lock, so with several workers each run happens once.
import { withTransaction, type Pool } from '../db/pool';
import type { Logger } from '../logger';
import { markSilentAgentsOffline, recordAgentEvent } from '../modules/agents/repo';
import { expireActions } from '../modules/containers/service';
import { notifyChange } from '../modules/ingest/repo';
import type { PartitionManager } from '../modules/ingest/partitions';

const LIVENESS_LOCK = 7_120_405_020;
const CONTAINER_ACTIONS_LOCK = 7_120_405_030;

export interface WorkerOptions {
  pool: Pool;
  logger: Logger;
  partitions: PartitionManager;
  livenessEveryMs?: number;
  maintenanceEveryMs?: number;
  containerActionsEveryMs?: number;
}

export interface Worker {
  stop(): Promise<void>;
  /** Runs the liveness check now (tests and the first tick use it). */
  checkLiveness(): Promise<string[]>;
  /** Runs the container action expiry now. */
  checkContainerActions(): Promise<number>;
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

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { pool, logger, partitions } = options;
  const log = logger.child({ role: 'worker' });
  let running: Promise<unknown> = Promise.resolve();
  const guard = (name: string, job: () => Promise<unknown>) => () => {
    // Jobs never overlap within a process, and a failure is logged, never thrown into a timer.
    running = running.then(job).catch((err: unknown) => {
      log.error({ err, job: name }, 'worker job failed');
    });
  };
  const maintain = async () => {
    const result = await partitions.maintain(Date.now());
    if (result.dropped.length > 0) log.info({ dropped: result.dropped }, 'dropped expired partitions');
  };
  const liveness = async () => {
    const ids = await checkAgentLiveness(pool);
    if (ids.length > 0) log.info({ agents: ids }, 'agents went offline');
  };

  const containerActions = async () => {
    const n = await checkContainerActions(pool);
    if (n > 0) log.info({ actions: n }, 'container actions expired or failed without a result');
  };

  await maintain();
  const timers = [
    setInterval(guard('liveness', liveness), options.livenessEveryMs ?? 5_000),
    setInterval(guard('container-actions', containerActions), options.containerActionsEveryMs ?? 5_000),
    setInterval(guard('partitions', maintain), options.maintenanceEveryMs ?? 3_600_000),
  ];
  for (const timer of timers) timer.unref();
  return {
    checkLiveness: () => checkAgentLiveness(pool),
    checkContainerActions: () => checkContainerActions(pool),
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await running;
    },
  };
}
