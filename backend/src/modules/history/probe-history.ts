// A probe's checks over a time range, bucketed from the tier that fits (as series are): availability and
// latency per bucket, for charts of months and years that raw results (kept two weeks) cannot give.
import { z } from 'zod';
import type { Db } from '../../db/pool';
import type { CsvTable } from '../../http/csv';
import type { Retention } from '../ingest/partitions';
import { RangeQueryShape, TierSchema } from '../metrics/schemas';
import { answeredUntil, probeBuckets } from './query-repo';
import { chooseTier, MAX_POINTS } from './tiers';

const Timestamp = z.iso.datetime({ offset: true });

export const ProbeHistoryQuerySchema = z
  .object({
    agentId: z
      .uuid()
      .optional()
      .describe('Only the checks of this agent (default: all agents running the probe)'),
    ...RangeQueryShape,
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), 'from must be before to');

export const ProbeHistorySchema = z.object({
  from: Timestamp,
  to: Timestamp,
  tier: TierSchema,
  stepS: z.number().int().describe('The bucket width in seconds'),
  buckets: z
    .array(
      z.object({
        t: z.number().describe('Bucket start, unix ms'),
        checks: z.number().int(),
        up: z.number().int(),
        degraded: z.number().int(),
        down: z.number().int(),
        availabilityPct: z.number().describe('(up + degraded) / checks × 100: a degraded check answered'),
        latencyAvgMs: z.number().nullable().describe('Over the checks that were not down'),
        latencyMinMs: z.number().nullable(),
        latencyMaxMs: z.number().nullable(),
        latencyP95Ms: z
          .number()
          .nullable()
          .describe(
            "Exact for a bucket of the tier's width; above it the check-weighted mean of the buckets' p95",
          ),
      }),
    )
    .describe('Buckets with checks, oldest first (a bucket without checks is left out)'),
});
export type ProbeHistory = z.infer<typeof ProbeHistorySchema>;

export async function probeHistory(
  db: Db,
  probeId: string,
  query: z.infer<typeof ProbeHistoryQuerySchema>,
  retention: Retention,
  nowMs = Date.now(),
): Promise<ProbeHistory> {
  const to = query.to ? new Date(query.to) : new Date(nowMs);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
  const maxPoints = Math.min(query.maxPoints ?? MAX_POINTS, MAX_POINTS);
  // Results are bucketed even on the raw tier: a chart of checks wants counts, not single results.
  const choice = chooseTier({
    fromMs: from.getTime(),
    toMs: to.getTime(),
    nowMs,
    stepS: query.step ?? Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000 / maxPoints)),
    maxPoints,
    retention,
  });
  const stepS = choice.stepS ?? 60;
  const until =
    choice.tier === 'raw'
      ? undefined
      : await answeredUntil(
          db,
          choice.tier === '1m' ? 'probe_results_1m' : 'probe_results_1h',
          query.agentId ? [query.agentId] : undefined,
        );
  const rows = await probeBuckets(db, probeId, query.agentId, choice.tier, {
    from,
    to,
    stepS,
    rolledUntil: until,
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    tier: choice.tier,
    stepS,
    buckets: rows.slice(-maxPoints).map((row) => ({
      t: Math.round(row.t),
      checks: row.checks,
      up: row.up,
      degraded: row.degraded,
      down: row.down,
      availabilityPct: row.checks === 0 ? 100 : ((row.up + row.degraded) / row.checks) * 100,
      latencyAvgMs: row.latency_avg,
      latencyMinMs: row.latency_min,
      latencyMaxMs: row.latency_max,
      latencyP95Ms: row.latency_p95,
    })),
  };
}

export function probeHistoryCsv(history: ProbeHistory): CsvTable {
  return {
    columns: [
      'time',
      'checks',
      'up',
      'degraded',
      'down',
      'availability_pct',
      'latency_avg_ms',
      'latency_min_ms',
      'latency_max_ms',
      'latency_p95_ms',
    ],
    rows: history.buckets.map((b) => [
      new Date(b.t).toISOString(),
      b.checks,
      b.up,
      b.degraded,
      b.down,
      b.availabilityPct,
      b.latencyAvgMs,
      b.latencyMinMs,
      b.latencyMaxMs,
      b.latencyP95Ms,
    ]),
  };
}

export interface ProbeTotals {
  checks: number;
  up: number;
  /** Check-weighted mean of the buckets' p95 (null without an answered check). */
  latencyP95: number | null;
}

/** Checks and answered checks of a probe over [from, to) from the rollups, for ranges raw results no longer hold. */
export async function probeTotals(
  db: Db,
  probeId: string,
  from: Date,
  to: Date,
  retention: Retention,
): Promise<ProbeTotals> {
  const history = await probeHistory(
    db,
    probeId,
    { from: from.toISOString(), to: to.toISOString(), step: 86_400 },
    retention,
    to.getTime(),
  );
  let checks = 0;
  let up = 0;
  let weighted = 0;
  let answered = 0;
  for (const bucket of history.buckets) {
    checks += bucket.checks;
    up += bucket.up + bucket.degraded;
    if (bucket.latencyP95Ms !== null) {
      weighted += bucket.latencyP95Ms * (bucket.up + bucket.degraded);
      answered += bucket.up + bucket.degraded;
    }
  }
  return { checks, up, latencyP95: answered === 0 ? null : weighted / answered };
}
