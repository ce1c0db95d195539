import type { Db } from '../../db/pool';

/** Claims (agent, seq); false when that batch was stored before (a replay). */
export async function claimBatch(db: Db, agentId: string, seq: number, samples: number): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO ingest_batches (agent_id, seq, samples) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING seq`,
    [agentId, seq, samples],
  );
  return result.rowCount === 1;
}

/**
 * A PostgreSQL array literal of finite numbers. pg would quote and escape every element of a JS array;
 * for numbers a join gives the same text, several times faster on the ingest path.
 */
export function numberArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** One statement for the whole batch: three parallel arrays, unnested server-side. */
export async function insertSamples(
  db: Db,
  seriesIds: number[],
  timestamps: number[],
  values: number[],
): Promise<void> {
  if (seriesIds.length === 0) return;
  await db.query(
    `INSERT INTO samples (series_id, ts, value)
     SELECT s, to_timestamp(t / 1000.0), v FROM unnest($1::int8[], $2::float8[], $3::float8[]) AS u(s, t, v)`,
    [numberArray(seriesIds), numberArray(timestamps), numberArray(values)],
  );
}

/** Keeps each series' newest point on the series row, for "latest value" reads without scanning samples. */
export async function updateLatest(
  db: Db,
  seriesIds: number[],
  timestamps: number[],
  values: number[],
): Promise<void> {
  if (seriesIds.length === 0) return;
  await db.query(
    `UPDATE series s SET last_ts = to_timestamp(u.t / 1000.0), last_value = u.v, updated_at = now()
     FROM unnest($1::int8[], $2::float8[], $3::float8[]) AS u(id, t, v)
     WHERE s.id = u.id AND (s.last_ts IS NULL OR s.last_ts <= to_timestamp(u.t / 1000.0))`,
    [seriesIds, timestamps, values],
  );
}

/** Marks the agent seen; returns its status before, so a return from offline can be recorded. */
export async function touchAgent(
  db: Db,
  agentId: string,
  seq: number,
  droppedBatches: number,
): Promise<string | undefined> {
  const result = await db.query<{ previous: string }>(
    `WITH prev AS (SELECT status FROM agents WHERE id = $1 FOR UPDATE)
     UPDATE agents SET last_seen_at = now(), last_seq = greatest(last_seq, $2),
       dropped_batches = dropped_batches + $3,
       status = CASE WHEN agents.status = 'offline' THEN 'online' ELSE agents.status END
     FROM prev WHERE agents.id = $1
     RETURNING prev.status AS previous`,
    [agentId, seq, droppedBatches],
  );
  return result.rows[0]?.previous;
}

export const CHANGES_CHANNEL = 'emma_changes';

/** NOTIFY is delivered at commit, so listeners never hear of data that was rolled back. */
export async function notifyChange(db: Db, payload: Record<string, unknown>): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(payload)]);
}

/** Several notices in one statement, delivered in this order at commit. */
export async function notifyChanges(db: Db, payloads: Record<string, unknown>[]): Promise<void> {
  if (payloads.length === 0) return;
  await db.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, i) ORDER BY i', [
    CHANGES_CHANNEL,
    payloads.map((p) => JSON.stringify(p)),
  ]);
}
