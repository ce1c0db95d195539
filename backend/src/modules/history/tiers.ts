// Which storage tier answers a time-range query, and at which step. Pure, so the rules are tested on their own.
import type { Retention, Tier } from '../ingest/partitions';

const DAY_MS = 86_400_000;
/** Points per series a query returns at most. */
export const MAX_POINTS = 2_000;

/** Bucket width of each rollup tier in seconds. */
export const TIER_RESOLUTION_S: Readonly<Record<Tier, number>> = { raw: 1, '1m': 60, '1h': 3600 };

/**
 * Steps a chart may get: round numbers, so a live chart that asks again gets the same buckets, and multiples of
 * a minute (or an hour) from there on, so rollup buckets fit in them whole.
 */
const NICE_STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
];

export function niceStep(minimumS: number): number {
  const nice = NICE_STEPS_S.find((s) => s >= minimumS);
  return nice ?? Math.ceil(minimumS / 86_400) * 86_400;
}

export interface TierChoice {
  tier: Tier;
  /** Bucket width in seconds; null: raw samples, one point each. */
  stepS: number | null;
}

/** The oldest instant each tier can answer for (its retention counted in whole days, as partitions are). */
export function tierStart(tier: Tier, retention: Retention, nowMs: number): number {
  const days = tier === 'raw' ? retention.rawDays : tier === '1m' ? retention.minuteDays : retention.hourDays;
  return Math.floor(nowMs / DAY_MS) * DAY_MS - days * DAY_MS;
}

/**
 * The coarsest tier that still gives the requested resolution, among those that still hold `from`:
 * - the step is at least (to − from) / maxPoints (rounded to a nice step), so no series exceeds maxPoints;
 * - without a requested step and when that minimum is under a minute, raw samples are offered (`stepS` null;
 *   the caller falls back to `rawFallbackStep` if there are more than maxPoints of them);
 * - on a rollup tier the step is a multiple of the tier's bucket, so buckets are never split.
 */
export function chooseTier(input: {
  fromMs: number;
  toMs: number;
  nowMs: number;
  stepS?: number | undefined;
  maxPoints?: number | undefined;
  retention: Retention;
}): TierChoice {
  const maxPoints = Math.min(input.maxPoints ?? MAX_POINTS, MAX_POINTS);
  const minimum = niceStep(Math.ceil((input.toMs - input.fromMs) / 1000 / maxPoints));
  const holds = (tier: Tier) => input.fromMs >= tierStart(tier, input.retention, input.nowMs);
  if (input.stepS === undefined && minimum < 60 && holds('raw')) return { tier: 'raw', stepS: null };
  let step = input.stepS === undefined ? minimum : Math.max(input.stepS, minimum);
  // The coarsest tier with the resolution asked for (coarser ones would blur it) ...
  let tier: Tier = step >= 3600 ? '1h' : step >= 60 ? '1m' : 'raw';
  // ... or a coarser one when it no longer holds the start of the range.
  if (tier === 'raw' && !holds('raw')) tier = '1m';
  if (tier === '1m' && !holds('1m')) tier = '1h';
  const resolution = TIER_RESOLUTION_S[tier];
  step = Math.ceil(step / resolution) * resolution;
  return { tier, stepS: step };
}

/** The step to bucket raw samples at when there were too many to return one by one. */
export function rawFallbackStep(fromMs: number, toMs: number, maxPoints = MAX_POINTS): number {
  return niceStep(Math.ceil((toMs - fromMs) / 1000 / Math.min(maxPoints, MAX_POINTS)));
}
