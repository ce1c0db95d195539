import type { Db } from '../../db/pool';

export interface LatestRow {
  metric: string;
  labels: Record<string, string>;
  last_ts: Date;
  last_value: number;
}

/** The newest value of each series of an agent, kept on the series row by ingest. */
export async function latest(db: Db, agentId: string): Promise<LatestRow[]> {
  const result = await db.query<LatestRow>(
    `SELECT metric, labels, last_ts, last_value FROM series
     WHERE agent_id = $1 AND last_ts IS NOT NULL ORDER BY metric, labels::text`,
    [agentId],
  );
  return result.rows;
}

/**
 * The newest value of these metrics' series of several agents at once (a list's rows): one index range per
 * (agent, metric) on series' unique key; agents that are deleted are left out.
 */
export async function latestOfAgents(
  db: Db,
  agentIds: readonly string[],
  metrics: readonly string[],
): Promise<(LatestRow & { agent_id: string })[]> {
  const result = await db.query<LatestRow & { agent_id: string }>(
    `SELECT s.agent_id, s.metric, s.labels, s.last_ts, s.last_value
     FROM series s JOIN agents a ON a.id = s.agent_id
     WHERE s.agent_id = ANY($1::uuid[]) AND s.metric = ANY($2::text[])
       AND s.last_ts IS NOT NULL AND a.deleted_at IS NULL
     ORDER BY s.agent_id, s.metric, s.labels::text`,
    [agentIds, metrics],
  );
  return result.rows;
}

export interface SeriesRow {
  id: number;
  metric: string;
  labels: Record<string, string>;
}

export async function matchingSeries(
  db: Db,
  agentId: string,
  metrics: readonly string[],
  labels: Record<string, string>,
): Promise<SeriesRow[]> {
  const result = await db.query<SeriesRow>(
    `SELECT id, metric, labels FROM series
     WHERE agent_id = $1 AND metric = ANY($2::text[]) AND labels @> $3::jsonb
     ORDER BY metric, labels::text LIMIT 500`,
    [agentId, metrics, JSON.stringify(labels)],
  );
  return result.rows;
}

/** Raw points of one series in [from, to), oldest first, at most `limit`. */
export async function points(db: Db, seriesId: number, from: Date, to: Date, limit: number) {
  const result = await db.query<{ t: number; v: number }>(
    `SELECT (extract(epoch FROM ts) * 1000)::float8 AS t, value AS v FROM samples
     WHERE series_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts LIMIT $4`,
    [seriesId, from, to, limit],
  );
  return result.rows;
}

/**
 * Averages of one series in [from, to) over buckets `stepS` seconds wide, aligned to the unix epoch (so a
 * live view that asks again gets the same buckets), each at its start; oldest first, at most `limit`.
 */
export async function bucketedPoints(
  db: Db,
  seriesId: number,
  from: Date,
  to: Date,
  stepS: number,
  limit: number,
) {
  const result = await db.query<{ t: number; v: number }>(
    `SELECT (extract(epoch FROM b) * 1000)::float8 AS t, avg(value) AS v
     FROM (SELECT date_bin(make_interval(secs => $4), ts, timestamptz 'epoch') AS b, value FROM samples
           WHERE series_id = $1 AND ts >= $2 AND ts < $3) x
     GROUP BY b ORDER BY b LIMIT $5`,
    [seriesId, from, to, stepS, limit],
  );
  return result.rows;
}
