// The SQL of the rollups. Each statement rolls up whole buckets in [from, to) and upserts them, so rolling a
// range up again (a retry, a backfill after late data) rewrites the same rows.
import type { Db } from '../../db/pool';

/** The rollups in the order they run: the 1-hour samples are computed from the 1-minute ones. */
export const ROLLUPS = ['samples_1m', 'probe_results_1m', 'samples_1h', 'probe_results_1h'] as const;
export type Rollup = (typeof ROLLUPS)[number];

export const BUCKET_S: Readonly<Record<Rollup, number>> = {
  samples_1m: 60,
  probe_results_1m: 60,
  samples_1h: 3600,
  probe_results_1h: 3600,
};

/** An agent's share only (a backfill), or everything. */
type AgentFilter = string | undefined;

const SAMPLE_COLUMNS =
  'min = EXCLUDED.min, max = EXCLUDED.max, avg = EXCLUDED.avg, count = EXCLUDED.count, last = EXCLUDED.last';

async function samplesFromRaw(db: Db, from: Date, to: Date, agentId: AgentFilter): Promise<number> {
  const result = await db.query(
    `INSERT INTO samples_1m (series_id, bucket, min, max, avg, count, last)
     SELECT series_id, date_bin('60 seconds', ts, timestamptz 'epoch'), min(value), max(value), avg(value),
       count(*)::int, (array_agg(value ORDER BY ts DESC))[1]
     FROM samples
     WHERE ts >= $1 AND ts < $2
       AND ($3::uuid IS NULL OR series_id IN (SELECT id FROM series WHERE agent_id = $3::uuid))
     GROUP BY 1, 2
     ON CONFLICT (series_id, bucket) DO UPDATE SET ${SAMPLE_COLUMNS}`,
    [from, to, agentId ?? null],
  );
  return result.rowCount ?? 0;
}

/** Hours from minutes: the average weighted by each minute's count, so it equals the average of the raw samples. */
async function samplesFromMinutes(db: Db, from: Date, to: Date, agentId: AgentFilter): Promise<number> {
  const result = await db.query(
    `INSERT INTO samples_1h (series_id, bucket, min, max, avg, count, last)
     SELECT series_id, date_bin('3600 seconds', bucket, timestamptz 'epoch'), min(min), max(max),
       sum(avg * count) / sum(count), sum(count)::int, (array_agg(last ORDER BY bucket DESC))[1]
     FROM samples_1m
     WHERE bucket >= $1 AND bucket < $2
       AND ($3::uuid IS NULL OR series_id IN (SELECT id FROM series WHERE agent_id = $3::uuid))
     GROUP BY 1, 2
     ON CONFLICT (series_id, bucket) DO UPDATE SET ${SAMPLE_COLUMNS}`,
    [from, to, agentId ?? null],
  );
  return result.rowCount ?? 0;
}

/** Probe rollups come from raw results at either width, so each bucket's p95 is exact. */
async function probeResults(
  db: Db,
  table: 'probe_results_1m' | 'probe_results_1h',
  from: Date,
  to: Date,
  agentId: AgentFilter,
): Promise<number> {
  const width = table === 'probe_results_1m' ? 60 : 3600;
  const result = await db.query(
    `INSERT INTO ${table} (probe_id, agent_id, bucket, checks, up, degraded, down, latency_count,
       latency_avg, latency_min, latency_max, latency_p95)
     SELECT probe_id, agent_id, date_bin(make_interval(secs => $4), ts, timestamptz 'epoch'), count(*)::int,
       count(*) FILTER (WHERE status = 'up')::int, count(*) FILTER (WHERE status = 'degraded')::int,
       count(*) FILTER (WHERE status = 'down')::int,
       count(latency_ms) FILTER (WHERE status <> 'down')::int,
       avg(latency_ms) FILTER (WHERE status <> 'down'), min(latency_ms) FILTER (WHERE status <> 'down'),
       max(latency_ms) FILTER (WHERE status <> 'down'),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down')
     FROM probe_results
     WHERE ts >= $1 AND ts < $2 AND ($3::uuid IS NULL OR agent_id = $3::uuid)
     GROUP BY 1, 2, 3
     ON CONFLICT (probe_id, agent_id, bucket) DO UPDATE SET checks = EXCLUDED.checks, up = EXCLUDED.up,
       degraded = EXCLUDED.degraded, down = EXCLUDED.down, latency_count = EXCLUDED.latency_count,
       latency_avg = EXCLUDED.latency_avg, latency_min = EXCLUDED.latency_min,
       latency_max = EXCLUDED.latency_max, latency_p95 = EXCLUDED.latency_p95`,
    [from, to, agentId ?? null, width],
  );
  return result.rowCount ?? 0;
}

/** Rolls up [from, to) of one rollup (optionally one agent's data); returns the rows written. */
export function rollUp(db: Db, rollup: Rollup, from: Date, to: Date, agentId?: string): Promise<number> {
  switch (rollup) {
    case 'samples_1m':
      return samplesFromRaw(db, from, to, agentId);
    case 'samples_1h':
      return samplesFromMinutes(db, from, to, agentId);
    case 'probe_results_1m':
    case 'probe_results_1h':
      return probeResults(db, rollup, from, to, agentId);
  }
}

/** The rollup's progress, locked for this transaction (concurrent workers queue here). */
export async function lockProgress(db: Db, rollup: Rollup): Promise<Date | undefined> {
  const result = await db.query<{ done_until: Date }>(
    'SELECT done_until FROM rollup_progress WHERE rollup = $1 FOR UPDATE',
    [rollup],
  );
  return result.rows[0]?.done_until;
}

/** Starts a rollup's progress at `from` unless another worker already did. */
export async function startProgress(db: Db, rollup: Rollup, from: Date): Promise<void> {
  await db.query(
    'INSERT INTO rollup_progress (rollup, done_until) VALUES ($1, $2) ON CONFLICT (rollup) DO NOTHING',
    [rollup, from],
  );
}

export async function setProgress(db: Db, rollup: Rollup, doneUntil: Date): Promise<void> {
  await db.query('UPDATE rollup_progress SET done_until = $2 WHERE rollup = $1', [rollup, doneUntil]);
}

export async function progress(db: Db): Promise<Map<Rollup, Date>> {
  const result = await db.query<{ rollup: Rollup; done_until: Date }>(
    'SELECT rollup, done_until FROM rollup_progress',
  );
  return new Map(result.rows.map((row) => [row.rollup, row.done_until]));
}

/** Marks hours of an agent to roll up again (late data); already-marked hours stay as they are. */
export async function markBackfill(db: Db, agentId: string, hours: readonly Date[]): Promise<void> {
  if (hours.length === 0) return;
  await db.query(
    `INSERT INTO rollup_backfill (agent_id, hour) SELECT $1, unnest($2::timestamptz[])
     ON CONFLICT (agent_id, hour) DO NOTHING`,
    [agentId, hours],
  );
}

/** Takes up to `limit` backfill marks, oldest first, skipping those another worker holds. */
export async function takeBackfill(db: Db, limit: number): Promise<{ agent_id: string; hour: Date }[]> {
  const result = await db.query<{ agent_id: string; hour: Date }>(
    `DELETE FROM rollup_backfill WHERE (agent_id, hour) IN (
       SELECT agent_id, hour FROM rollup_backfill ORDER BY hour LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING agent_id, hour`,
    [limit],
  );
  return result.rows;
}
