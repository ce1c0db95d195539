// Reads of history across tiers. A rollup tier answers for its closed buckets; the newest part of the range,
// which the rollups have not reached yet, comes from raw rows, merged into the same buckets.
import type { Db } from '../../db/pool';
import type { Tier } from '../ingest/partitions';
import type { Rollup } from './rollup-repo';

export const AGGREGATES = ['avg', 'min', 'max', 'last', 'count'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** Where each tier's rollup of raw samples lives; raw has none. */
const SAMPLE_TABLE = { '1m': 'samples_1m', '1h': 'samples_1h' } as const;
const PROBE_TABLE = { '1m': 'probe_results_1m', '1h': 'probe_results_1h' } as const;

/** The value of one output bucket, from the parts (rollup rows and raw samples) that fall in it. */
const SAMPLE_VALUE: Readonly<Record<Aggregate, string>> = {
  avg: 'sum(sum) / sum(count)',
  min: 'min(min)',
  max: 'max(max)',
  count: 'sum(count)::float8',
  last: '(array_agg(last ORDER BY last_t DESC))[1]',
};

export interface Range {
  from: Date;
  to: Date;
  stepS: number;
  /** The rollup tier's progress: buckets before it are rolled up; raw rows answer from there on. */
  rolledUntil: Date | undefined;
}

/**
 * Splits [from, to) into the rollup buckets that answer (those starting in (rollupFrom, rollupTo): the first
 * may start before `from`) and the part raw rows answer, [rawFrom, to). On the raw tier the rollup part is empty.
 */
function split(tier: Tier, range: Range): { rollupFrom: Date; rollupTo: Date; rawFrom: Date } {
  if (tier === 'raw' || !range.rolledUntil) {
    return { rollupFrom: range.from, rollupTo: range.from, rawFrom: range.from };
  }
  const until = range.rolledUntil.getTime();
  return {
    rollupFrom: new Date(range.from.getTime() - (tier === '1h' ? 3_600_000 : 60_000)),
    rollupTo: new Date(Math.min(range.to.getTime(), until)),
    rawFrom: new Date(Math.max(range.from.getTime(), until)),
  };
}

/** The rollup tier's table; the raw tier reads an empty range of the 1-minute one (one query shape for all). */
function rollupTier(tier: Tier): '1m' | '1h' {
  return tier === '1h' ? '1h' : '1m';
}

export interface BucketRow {
  series_id: string;
  t: number;
  v: number;
}

/** Bucketed points of several series at once, oldest first per series. */
export async function seriesBuckets(
  db: Db,
  seriesIds: readonly number[],
  tier: Tier,
  range: Range,
  aggregate: Aggregate,
): Promise<BucketRow[]> {
  const { rollupFrom, rollupTo, rawFrom } = split(tier, range);
  const result = await db.query<BucketRow>(
    `WITH parts AS (
       SELECT series_id, bucket AS t, min, max, avg * count AS sum, count::bigint AS count, last, bucket AS last_t
       FROM ${SAMPLE_TABLE[rollupTier(tier)]}
       WHERE series_id = ANY($1::bigint[]) AND bucket > $2 AND bucket < $3
       UNION ALL
       SELECT series_id, ts AS t, value AS min, value AS max, value AS sum, 1::bigint AS count, value AS last,
         ts AS last_t
       FROM samples WHERE series_id = ANY($1::bigint[]) AND ts >= $4 AND ts < $5
     )
     SELECT series_id::text AS series_id,
       (extract(epoch FROM date_bin(make_interval(secs => $6), t, timestamptz 'epoch')) * 1000)::float8 AS t,
       ${SAMPLE_VALUE[aggregate]} AS v
     FROM parts GROUP BY series_id, 2 ORDER BY series_id, 2`,
    [seriesIds, rollupFrom, rollupTo, rawFrom, range.to, range.stepS],
  );
  return result.rows;
}

export interface ProbeBucketRow {
  t: number;
  checks: number;
  up: number;
  degraded: number;
  down: number;
  latency_avg: number | null;
  latency_min: number | null;
  latency_max: number | null;
  latency_p95: number | null;
}

/**
 * A probe's checks per bucket over all its agents (or one). A bucket made of several rollup rows gets the
 * check-weighted mean of their p95s (exact when the step is the tier's bucket, an estimate above it).
 */
export async function probeBuckets(
  db: Db,
  probeId: string,
  agentId: string | undefined,
  tier: Tier,
  range: Range,
): Promise<ProbeBucketRow[]> {
  const { rollupFrom, rollupTo, rawFrom } = split(tier, range);
  const result = await db.query<ProbeBucketRow>(
    `WITH parts AS (
       SELECT bucket AS t, checks, up, degraded, down, latency_count, latency_avg * latency_count AS latency_sum,
         latency_min, latency_max, latency_p95
       FROM ${PROBE_TABLE[rollupTier(tier)]}
       WHERE probe_id = $1 AND ($2::uuid IS NULL OR agent_id = $2::uuid) AND bucket > $3 AND bucket < $4
       UNION ALL
       SELECT date_bin(make_interval(secs => $7), ts, timestamptz 'epoch') AS t, count(*)::int AS checks,
         count(*) FILTER (WHERE status = 'up')::int AS up, count(*) FILTER (WHERE status = 'degraded')::int,
         count(*) FILTER (WHERE status = 'down')::int,
         count(latency_ms) FILTER (WHERE status <> 'down')::int,
         sum(latency_ms) FILTER (WHERE status <> 'down'),
         min(latency_ms) FILTER (WHERE status <> 'down'), max(latency_ms) FILTER (WHERE status <> 'down'),
         percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down')
       FROM probe_results
       WHERE probe_id = $1 AND ($2::uuid IS NULL OR agent_id = $2::uuid) AND ts >= $5 AND ts < $6
       GROUP BY 1
     )
     SELECT (extract(epoch FROM date_bin(make_interval(secs => $7), t, timestamptz 'epoch')) * 1000)::float8 AS t,
       sum(checks)::int AS checks, sum(up)::int AS up, sum(degraded)::int AS degraded, sum(down)::int AS down,
       sum(latency_sum) / nullif(sum(latency_count), 0) AS latency_avg, min(latency_min) AS latency_min,
       max(latency_max) AS latency_max,
       sum(latency_p95 * latency_count) / nullif(sum(latency_count) FILTER (WHERE latency_p95 IS NOT NULL), 0)
         AS latency_p95
     FROM parts GROUP BY 1 ORDER BY 1`,
    [probeId, agentId ?? null, rollupFrom, rollupTo, rawFrom, range.to, range.stepS],
  );
  return result.rows;
}

/**
 * Where a rollup's answer ends for these agents (all agents when undefined): its progress, or earlier when
 * some of their hours wait for a backfill (late data the worker has not rolled up yet), so raw rows answer
 * from there on and a chart shows data the moment it is stored.
 */
export async function answeredUntil(
  db: Db,
  rollup: Rollup,
  agentIds: readonly string[] | undefined,
): Promise<Date | undefined> {
  const result = await db.query<{ done_until: Date | null; pending: Date | null }>(
    `SELECT (SELECT done_until FROM rollup_progress WHERE rollup = $1) AS done_until,
       (SELECT min(hour) FROM rollup_backfill WHERE $2::uuid[] IS NULL OR agent_id = ANY($2::uuid[])) AS pending`,
    [rollup, agentIds ?? null],
  );
  const row = result.rows[0];
  if (!row?.done_until) return undefined;
  if (!row.pending) return row.done_until;
  return new Date(Math.min(row.done_until.getTime(), row.pending.getTime()));
}
