// All SQL of the uptime reports: where the tiers begin and end, the maintenance windows, the figures per
// group (one statement over the 1 h tier, the 1 m tier and raw results), and the incidents of a range.
import type { Db } from '../../db/pool';
import { answeredUntil } from '../history/query-repo';
import { oldestPartitionStart } from '../ingest/partitions';

export interface TierBounds {
  /** rollup_progress of probe_results_1m: every minute bucket ending at or before it is rolled up. */
  doneUntil1m: Date | null;
  /** The lower bound of the oldest probe_results_1m partition: the 1 m tier's retention edge. */
  oldest1m: Date | null;
  /** The lower bound of the oldest raw probe_results partition. */
  oldestRaw: Date | null;
}

const oldestPartition = async (db: Db, table: 'probe_results' | 'probe_results_1m') => {
  const start = await oldestPartitionStart(db, table);
  return start === undefined ? null : new Date(start);
};

/**
 * Where each tier answers. The 1 m tier answers until its progress, or earlier where hours wait for a
 * backfill (late data), as for every history query (history/query-repo.ts).
 */
export async function tierBounds(db: Db): Promise<TierBounds> {
  return {
    doneUntil1m: (await answeredUntil(db, 'probe_results_1m', undefined)) ?? null,
    oldest1m: await oldestPartition(db, 'probe_results_1m'),
    oldestRaw: await oldestPartition(db, 'probe_results'),
  };
}

export interface WindowRow {
  id: string;
  agent_id: string | null;
  probe_id: string | null;
  labels: Record<string, string> | null;
  starts_at: Date | null;
  ends_at: Date | null;
  cron: string | null;
  duration_s: number | null;
  deleted_at: Date | null;
}

/**
 * Windows that may have been in effect within [from, to) and can cover a probe (on an agent, a probe or
 * agent labels; container windows cannot). A deleted window counts up to its deletion.
 */
export async function windows(db: Db, from: Date, to: Date): Promise<WindowRow[]> {
  const result = await db.query<WindowRow>(
    `SELECT id, agent_id, probe_id, labels, starts_at, ends_at, cron, duration_s, deleted_at
     FROM maintenance_windows
     WHERE container_id IS NULL AND (deleted_at IS NULL OR deleted_at > $1)
       AND (starts_at IS NULL OR starts_at < $2)
       AND (ends_at IS NULL OR ends_at > $1 - make_interval(secs => coalesce(duration_s, 0)))
     ORDER BY id`,
    [from, to],
  );
  return result.rows;
}

/** One maintenance occurrence and what it covers (exactly one of agentId, probeId, labels). */
export interface Occurrence {
  start: Date;
  end: Date;
  agentId: string | null;
  probeId: string | null;
  labels: Record<string, string> | null;
}

export interface FigureQuery {
  /** The range is [from, to); buckets in [from, hourUntil) come from the 1 h tier, [hourUntil, rawFrom) from
   * the 1 m tier, [rawFrom, to) from raw results binned to minutes. */
  from: Date;
  hourUntil: Date;
  rawFrom: Date;
  to: Date;
  group: 'probe' | 'agent' | 'label';
  label: string | null;
  probeIds: string[] | null;
  agentIds: string[] | null;
  occurrences: Occurrence[];
  /** Also compute the exact p95 from raw results over the whole range. */
  exactP95: boolean;
}

export interface FigureRow {
  key: string | null;
  /** 1 for the totals row (every pair), 0 for a group. */
  total: number;
  name: string | null;
  probes: number;
  probe_ids: string[] | null;
  agent_ids: string[] | null;
  checks: number;
  ok: number;
  down: number;
  downtime: number;
  latency_count: number;
  latency_p95_weighted: number | null;
  maintenance_minutes: number;
  exact_p95: number | null;
}

const FILTERS = `($7::uuid[] IS NULL OR probe_id = ANY($7)) AND ($8::uuid[] IS NULL OR agent_id = ANY($8))`;

/**
 * The figures per group and over all (the row with total = 1). A bucket is excluded when a maintenance
 * occurrence covering its probe-agent pair overlaps it (the window on the pair's probe, on its agent, or on
 * labels the agent has now).
 */
export async function figures(db: Db, q: FigureQuery): Promise<FigureRow[]> {
  const result = await db.query<FigureRow>(
    `WITH occ AS (
       SELECT * FROM unnest($9::timestamptz[], $10::timestamptz[], $11::uuid[], $12::uuid[], $13::jsonb[])
         AS o(s, e, agent_id, probe_id, labels)
     ),
     b AS (
       SELECT probe_id, agent_id, bucket, 60 AS g, checks, up + degraded AS ok, down, latency_count AS lc,
         latency_p95 AS p95
       FROM probe_results_1h WHERE bucket >= $1 AND bucket < $2 AND ${FILTERS}
       UNION ALL
       SELECT probe_id, agent_id, bucket, 1, checks, up + degraded, down, latency_count, latency_p95
       FROM probe_results_1m WHERE bucket >= $2 AND bucket < $3 AND ${FILTERS}
       UNION ALL
       SELECT probe_id, agent_id, date_trunc('minute', ts, 'UTC'), 1, count(*)::int,
         (count(*) FILTER (WHERE status <> 'down'))::int, (count(*) FILTER (WHERE status = 'down'))::int,
         (count(latency_ms) FILTER (WHERE status <> 'down'))::int,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down')
       FROM probe_results WHERE ts >= $3 AND ts < $4 AND ${FILTERS}
       GROUP BY 1, 2, 3
     ),
     k AS (
       SELECT b.*,
         CASE $5::text WHEN 'probe' THEN b.probe_id::text WHEN 'agent' THEN b.agent_id::text
           ELSE coalesce(a.labels ->> $6::text, '') END AS key,
         CASE $5::text WHEN 'probe' THEN p.name WHEN 'agent' THEN a.name END AS name,
         coalesce(a.labels, '{}'::jsonb) AS agent_labels
       FROM b LEFT JOIN agents a ON a.id = b.agent_id LEFT JOIN probes p ON p.id = b.probe_id
     ),
     pairs AS (SELECT DISTINCT probe_id, agent_id, key, name, agent_labels FROM k),
     ex AS (
       SELECT DISTINCT pr.probe_id, pr.agent_id, pr.key, x.bucket, x.w
       FROM pairs pr
       JOIN occ o ON o.agent_id = pr.agent_id OR o.probe_id = pr.probe_id OR pr.agent_labels @> o.labels
       CROSS JOIN LATERAL (
         SELECT gs, 60 FROM generate_series(date_trunc('hour', greatest(o.s, $1), 'UTC'),
           least(o.e, $2) - interval '1 microsecond', interval '1 hour') AS gs
         UNION ALL
         SELECT gs, 1 FROM generate_series(date_trunc('minute', greatest(o.s, $2), 'UTC'),
           least(o.e, $4) - interval '1 microsecond', interval '1 minute') AS gs
       ) AS x(bucket, w)
     ),
     kept AS (
       SELECT k.* FROM k
       LEFT JOIN ex ON ex.probe_id = k.probe_id AND ex.agent_id = k.agent_id AND ex.bucket = k.bucket
       WHERE ex.bucket IS NULL
     ),
     per_bucket AS (
       SELECT key, GROUPING(key) AS total, bucket, g, sum(checks)::float8 AS checks, sum(ok)::float8 AS ok,
         sum(down)::float8 AS down, sum(lc)::float8 AS lc, sum(p95 * lc) AS p95w
       FROM kept GROUP BY GROUPING SETS ((key, bucket, g), (bucket, g))
     ),
     agg AS (
       SELECT key, total, sum(checks) AS checks, sum(ok) AS ok, sum(down) AS down,
         sum(down / checks * g) AS downtime, sum(lc) AS lc, sum(p95w) AS p95w
       FROM per_bucket GROUP BY key, total
     ),
     maint AS (
       SELECT key, 0 AS total, sum(w)::float8 AS minutes FROM (SELECT DISTINCT key, bucket, w FROM ex) d GROUP BY key
       UNION ALL
       SELECT NULL, 1, sum(w)::float8 FROM (SELECT DISTINCT bucket, w FROM ex) d
     ),
     info AS (
       SELECT key, GROUPING(key) AS total, min(name) AS name, count(DISTINCT probe_id)::int AS probes,
         array_agg(DISTINCT probe_id) AS probe_ids, array_agg(DISTINCT agent_id) AS agent_ids
       FROM pairs GROUP BY GROUPING SETS ((key), ())
     ),
     raw AS (
       SELECT pr.key, GROUPING(pr.key) AS total,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY r.latency_ms) AS p95
       FROM probe_results r
       JOIN pairs pr ON pr.probe_id = r.probe_id AND pr.agent_id = r.agent_id
       LEFT JOIN ex ON ex.probe_id = r.probe_id AND ex.agent_id = r.agent_id
         AND ex.bucket = date_trunc('minute', r.ts, 'UTC')
       WHERE $14::boolean AND r.ts >= $1 AND r.ts < $4 AND r.status <> 'down' AND r.latency_ms IS NOT NULL
         AND ex.bucket IS NULL
       GROUP BY GROUPING SETS ((pr.key), ())
     )
     SELECT i.key, i.total, i.name, i.probes, i.probe_ids, i.agent_ids,
       coalesce(a.checks, 0) AS checks, coalesce(a.ok, 0) AS ok, coalesce(a.down, 0) AS down,
       coalesce(a.downtime, 0) AS downtime, coalesce(a.lc, 0) AS latency_count,
       a.p95w AS latency_p95_weighted, coalesce(m.minutes, 0) AS maintenance_minutes, r.p95 AS exact_p95
     FROM info i
     LEFT JOIN agg a ON a.total = i.total AND a.key IS NOT DISTINCT FROM i.key
     LEFT JOIN maint m ON m.total = i.total AND m.key IS NOT DISTINCT FROM i.key
     LEFT JOIN raw r ON r.total = i.total AND r.key IS NOT DISTINCT FROM i.key`,
    [
      q.from,
      q.hourUntil,
      q.rawFrom,
      q.to,
      q.group,
      q.label,
      q.probeIds,
      q.agentIds,
      q.occurrences.map((o) => o.start),
      q.occurrences.map((o) => o.end),
      q.occurrences.map((o) => o.agentId),
      q.occurrences.map((o) => o.probeId),
      q.occurrences.map((o) => (o.labels === null ? null : JSON.stringify(o.labels))),
      q.exactP95,
    ],
  );
  return result.rows;
}

export interface IncidentRow {
  id: string;
  subject: string;
  agent_ids: string[] | null;
  opened_at: Date;
  resolved_at: Date | null;
}

/** Incidents about a probe or an agent opened within [from, to); resolved_at only for resolved ones. */
export async function incidents(db: Db, from: Date, to: Date): Promise<IncidentRow[]> {
  const result = await db.query<IncidentRow>(
    `SELECT id, subject,
       CASE WHEN jsonb_typeof(scope -> 'agentIds') = 'array'
         THEN ARRAY(SELECT jsonb_array_elements_text(scope -> 'agentIds')) END AS agent_ids,
       opened_at, CASE WHEN status = 'resolved' THEN resolved_at END AS resolved_at
     FROM incidents
     WHERE opened_at >= $1 AND opened_at < $2 AND (subject LIKE 'probe:%' OR subject LIKE 'agent:%')
     ORDER BY opened_at, id`,
    [from, to],
  );
  return result.rows;
}
