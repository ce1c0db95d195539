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

export interface SelectedSeries extends SeriesRow {
  agentId: string;
}

/**
 * The series of these metrics on one agent or on the agents whose labels include `agentLabels` (not
 * deleted), with `labels` among theirs; at most `limit`, in a stable order.
 */
export async function selectSeries(
  db: Db,
  selector: {
    agentId?: string | undefined;
    agentLabels?: Record<string, string> | undefined;
    metrics: readonly string[];
    labels: Record<string, string>;
  },
  limit: number,
): Promise<SelectedSeries[]> {
  const result = await db.query<SelectedSeries>(
    `SELECT s.id, s.agent_id AS "agentId", s.metric, s.labels FROM series s JOIN agents a ON a.id = s.agent_id
     WHERE a.deleted_at IS NULL AND ($1::uuid IS NULL OR s.agent_id = $1::uuid)
       AND ($2::jsonb IS NULL OR a.labels @> $2::jsonb)
       AND s.metric = ANY($3::text[]) AND s.labels @> $4::jsonb
     ORDER BY a.name, s.agent_id, s.metric, s.labels::text LIMIT $5`,
    [
      selector.agentId ?? null,
      selector.agentLabels ? JSON.stringify(selector.agentLabels) : null,
      selector.metrics,
      JSON.stringify(selector.labels),
      limit,
    ],
  );
  return result.rows;
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
