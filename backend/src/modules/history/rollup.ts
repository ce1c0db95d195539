// The worker's rollup job, PostgreSQL's answer to continuous aggregates: each rollup advances its progress
// over closed buckets only, a chunk per transaction, and catches up by itself after downtime. Concurrent
// workers queue on the progress row, so each bucket is rolled up once; re-running a range rewrites the same
// rows. Late data (an agent replaying its spool) marks its hours, which are rolled up again.
import { withTransaction, type Db, type Pool } from '../../db/pool';
import { createPartitions, oldestPartitionStart, type StoreTable } from '../ingest/partitions';
import * as repo from './rollup-repo';
import { BUCKET_S, ROLLUPS, type Rollup } from './rollup-repo';

const HOUR_MS = 3_600_000;
/** A bucket is rolled up once it ended this long ago: batches arrive up to an interval or two late. */
export const ROLLUP_DELAY_MS = 120_000;
/** Samples older than this on arrival may land in a bucket already rolled up: their hour is marked. */
export const LATE_AFTER_MS = 60_000;

/** How much one transaction rolls up: an hour of raw samples is the largest read. */
const CHUNK_MS: Readonly<Record<Rollup, number>> = {
  samples_1m: HOUR_MS,
  probe_results_1m: 6 * HOUR_MS,
  samples_1h: 24 * HOUR_MS,
  probe_results_1h: 6 * HOUR_MS,
};

const SOURCE: Readonly<Record<Rollup, StoreTable>> = {
  samples_1m: 'samples',
  probe_results_1m: 'probe_results',
  samples_1h: 'samples_1m',
  probe_results_1h: 'probe_results',
};

export interface RollupOptions {
  now?: Date;
  /** Start no further chunk after this long (each rollup still does one); the next run goes on (default 10 s). */
  budgetMs?: number;
  /** Backfill marks handled per run (default 100). */
  backfillLimit?: number;
}

export interface RollupRun {
  /** Rows written per rollup. */
  rows: Record<Rollup, number>;
  /** Each rollup's progress after the run. */
  doneUntil: Record<Rollup, Date | undefined>;
  backfilled: number;
  /** Every rollup reached the newest closed bucket (false: the budget ran out; run again). */
  caughtUp: boolean;
}

function floorTo(ms: number, bucketS: number): number {
  const width = bucketS * 1000;
  return Math.floor(ms / width) * width;
}

/** Where a rollup that never ran starts: its source's oldest partition, or now when there is none. */
async function initialStart(db: Db, rollup: Rollup, target: number): Promise<number> {
  const oldest = await oldestPartitionStart(db, SOURCE[rollup]);
  return oldest === undefined ? target : Math.min(target, floorTo(oldest, BUCKET_S[rollup]));
}

/** The end of the newest bucket of `rollup` that may be rolled up now. */
function target(rollup: Rollup, now: number, minutesDone: Date | undefined): number {
  const closed = now - ROLLUP_DELAY_MS;
  if (rollup !== 'samples_1h') return floorTo(closed, BUCKET_S[rollup]);
  return floorTo(Math.min(closed, minutesDone?.getTime() ?? 0), BUCKET_S[rollup]);
}

/** One chunk of one rollup in its own transaction; false when there was nothing left to do. */
async function rollUpChunk(pool: Pool, rollup: Rollup, end: number): Promise<{ rows: number } | undefined> {
  return withTransaction(pool, async (db) => {
    let done = await repo.lockProgress(db, rollup);
    if (!done) {
      await repo.startProgress(db, rollup, new Date(await initialStart(db, rollup, end)));
      done = await repo.lockProgress(db, rollup);
    }
    if (!done || done.getTime() >= end) return undefined;
    const chunkEnd = Math.min(done.getTime() + CHUNK_MS[rollup], end);
    await createPartitions(db, rollup, [done.getTime(), chunkEnd - 1]);
    const rows = await repo.rollUp(db, rollup, done, new Date(chunkEnd));
    await repo.setProgress(db, rollup, new Date(chunkEnd));
    return { rows };
  });
}

/** Rolls one marked hour of one agent up again in every rollup that has already passed it. */
async function backfillHour(
  db: Db,
  agentId: string,
  hour: number,
  progress: Map<Rollup, Date>,
): Promise<void> {
  for (const rollup of ROLLUPS) {
    const done = progress.get(rollup)?.getTime();
    if (done === undefined || done <= hour) continue;
    const end = Math.min(hour + HOUR_MS, done);
    await createPartitions(db, rollup, [hour, end - 1]);
    await repo.rollUp(db, rollup, new Date(hour), new Date(end), agentId);
  }
}

export async function runRollups(pool: Pool, options: RollupOptions = {}): Promise<RollupRun> {
  const { now = new Date(), budgetMs = 10_000, backfillLimit = 100 } = options;
  const started = Date.now();
  const rows = Object.fromEntries(ROLLUPS.map((r) => [r, 0])) as Record<Rollup, number>;
  let caughtUp = true;
  for (const rollup of ROLLUPS) {
    const minutesDone = (await repo.progress(pool)).get('samples_1m');
    const end = target(rollup, now.getTime(), minutesDone);
    // At least one chunk per run, so a run always makes progress whatever the budget.
    for (;;) {
      const chunk = await rollUpChunk(pool, rollup, end);
      if (!chunk) break;
      rows[rollup] += chunk.rows;
      if (Date.now() - started > budgetMs) {
        caughtUp = false;
        break;
      }
    }
  }

  let backfilled = 0;
  for (;;) {
    const handled = await withTransaction(pool, async (db) => {
      const marks = await repo.takeBackfill(db, Math.min(10, backfillLimit - backfilled));
      const progress = await repo.progress(db);
      for (const mark of marks) await backfillHour(db, mark.agent_id, mark.hour.getTime(), progress);
      return marks.length;
    });
    backfilled += handled;
    if (handled === 0 || backfilled >= backfillLimit) break;
  }

  const progress = await repo.progress(pool);
  return {
    rows,
    doneUntil: Object.fromEntries(ROLLUPS.map((r) => [r, progress.get(r)])) as Record<
      Rollup,
      Date | undefined
    >,
    backfilled,
    caughtUp,
  };
}

/** The hours (UTC) of these instants that arrived late enough to be marked for a backfill. */
export function lateHours(now: number, ...lists: Iterable<number>[]): Date[] {
  const hours = new Set<number>();
  for (const timestamps of lists) {
    for (const ts of timestamps) if (ts < now - LATE_AFTER_MS) hours.add(floorTo(ts, 3600));
  }
  return [...hours].map((ms) => new Date(ms));
}
