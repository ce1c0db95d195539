// Points of series over a time range from the tier that fits: raw samples for short ranges, else buckets from
// the 1-minute or 1-hour rollups (plus the newest raw rows they have not reached), never more than MAX_POINTS
// per series. Host metrics, container stats and dashboards' charts all read through here.
import type { Db } from '../../db/pool';
import type { Retention, Tier } from '../ingest/partitions';
import * as metrics from '../metrics/repo';
import { answeredUntil, seriesBuckets, type Aggregate } from './query-repo';
import type { Rollup } from './rollup-repo';
import { chooseTier, MAX_POINTS, rawFallbackStep } from './tiers';

export interface SeriesRef {
  id: number;
  metric: string;
  labels: Record<string, string>;
  /** The agent the series belongs to, when known: late data of other agents then does not matter. */
  agentId?: string;
}

export interface RangeQuery {
  from: Date;
  to: Date;
  stepS?: number | undefined;
  maxPoints?: number | undefined;
  aggregate?: Aggregate | undefined;
}

export interface SeriesPoints<S extends SeriesRef> {
  tier: Tier;
  stepS: number | null;
  series: (S & { points: [number, number][]; truncated: boolean })[];
}

const ROLLUP_OF: Readonly<Record<'1m' | '1h', Rollup>> = { '1m': 'samples_1m', '1h': 'samples_1h' };

export async function seriesPoints<S extends SeriesRef>(
  db: Db,
  series: readonly S[],
  query: RangeQuery,
  retention: Retention,
  nowMs = Date.now(),
): Promise<SeriesPoints<S>> {
  const fromMs = query.from.getTime();
  const toMs = query.to.getTime();
  const maxPoints = Math.min(query.maxPoints ?? MAX_POINTS, MAX_POINTS);
  let choice = chooseTier({ fromMs, toMs, nowMs, stepS: query.stepS, maxPoints, retention });

  if (choice.stepS === null) {
    const raw = await Promise.all(
      series.map((s) => metrics.points(db, s.id, query.from, query.to, maxPoints + 1)),
    );
    if (raw.every((points) => points.length <= maxPoints)) {
      return {
        tier: 'raw',
        stepS: null,
        series: series.map((s, i) => ({
          ...s,
          points: (raw[i] ?? []).map((p): [number, number] => [Math.round(p.t), p.v]),
          truncated: false,
        })),
      };
    }
    choice = { tier: 'raw', stepS: rawFallbackStep(fromMs, toMs, maxPoints) };
  }

  const stepS = choice.stepS ?? 1;
  const agents = series.every((s) => s.agentId !== undefined)
    ? [...new Set(series.map((s) => s.agentId as string))]
    : undefined;
  const until = choice.tier === 'raw' ? undefined : await answeredUntil(db, ROLLUP_OF[choice.tier], agents);
  const rows =
    series.length === 0
      ? []
      : await seriesBuckets(
          db,
          series.map((s) => s.id),
          choice.tier,
          { from: query.from, to: query.to, stepS, rolledUntil: until },
          query.aggregate ?? 'avg',
        );
  const bySeries = new Map<string, [number, number][]>();
  for (const row of rows) {
    const points = bySeries.get(row.series_id) ?? [];
    points.push([Math.round(row.t), row.v]);
    bySeries.set(row.series_id, points);
  }
  return {
    tier: choice.tier,
    stepS,
    series: series.map((s) => {
      const points = bySeries.get(String(s.id)) ?? [];
      // The step keeps a series within maxPoints, give or take the bucket the range starts in.
      return { ...s, points: points.slice(-maxPoints), truncated: points.length > maxPoints };
    }),
  };
}
