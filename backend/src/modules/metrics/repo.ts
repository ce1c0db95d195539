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

export interface SeriesRow {
  id: number;
  metric: string;
  labels: Record<string, string>;
}

export async function matchingSeries(
  db: Db,
  agentId: string,
  metric: string,
  labels: Record<string, string>,
): Promise<SeriesRow[]> {
  const result = await db.query<SeriesRow>(
    `SELECT id, metric, labels FROM series WHERE agent_id = $1 AND metric = $2 AND labels @> $3::jsonb
     ORDER BY labels::text LIMIT 500`,
    [agentId, metric, JSON.stringify(labels)],
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
