import { describe, expect, it } from 'vitest';
import { chooseTier, MAX_POINTS, niceStep, rawFallbackStep, tierStart } from './tiers';

const DAY = 86_400_000;
const retention = { rawDays: 14, minuteDays: 90, hourDays: 730 };
const now = Date.UTC(2026, 10, 26, 12, 0, 0);
const range = (days: number, stepS?: number, maxPoints?: number) =>
  chooseTier({ fromMs: now - days * DAY, toMs: now, nowMs: now, stepS, maxPoints, retention });

describe('chooseTier', () => {
  it('offers raw samples for a short range without a step', () => {
    expect(range(1 / 24)).toEqual({ tier: 'raw', stepS: null });
    expect(range(1 / 4)).toEqual({ tier: 'raw', stepS: null });
    // A day in 2,000 points needs 43 s buckets: minutes are fine enough.
    expect(range(1)).toEqual({ tier: '1m', stepS: 60 });
  });

  it('picks the coarsest tier that still gives the resolution, within MAX_POINTS', () => {
    // 30 days in 2,000 points needs 1,296 s: the 1-minute tier at a round 1,800 s.
    expect(range(30)).toEqual({ tier: '1m', stepS: 1800 });
    // At a chart's 1,000 points an hour is fine grained enough: the 1-hour tier.
    expect(range(30, undefined, 1000)).toEqual({ tier: '1h', stepS: 3600 });
    expect(range(365)).toEqual({ tier: '1h', stepS: 21_600 });
    expect(range(7, 300)).toEqual({ tier: '1m', stepS: 600 });
    expect(range(7, 900)).toEqual({ tier: '1m', stepS: 900 });
    expect(range(1, 3600)).toEqual({ tier: '1h', stepS: 3600 });
    expect(range(1, 30)).toEqual({ tier: '1m', stepS: 60 });
    expect(range(1 / 4, 30)).toEqual({ tier: 'raw', stepS: 30 });
    expect(range(1 / 24, 10)).toEqual({ tier: 'raw', stepS: 10 });
  });

  it('raises a step to the minimum for MAX_POINTS and to whole tier buckets', () => {
    const { stepS } = range(20, 1);
    expect((20 * DAY) / 1000 / (stepS ?? 1)).toBeLessThanOrEqual(MAX_POINTS);
    expect(range(2, 90)).toEqual({ tier: '1m', stepS: 120 });
    expect(range(60, 5000)).toEqual({ tier: '1h', stepS: 7200 });
  });

  it('moves to a coarser tier when the finer one no longer holds the start of the range', () => {
    // 20 days ago is past raw retention (14 days): 1-minute buckets, even for a fine step.
    expect(range(20, 10)).toEqual({ tier: '1m', stepS: 900 });
    const old = chooseTier({
      fromMs: now - 200 * DAY,
      toMs: now - 199 * DAY,
      nowMs: now,
      stepS: 60,
      retention,
    });
    expect(old).toEqual({ tier: '1h', stepS: 3600 });
    const recent = chooseTier({
      fromMs: now - 20 * DAY,
      toMs: now - 20 * DAY + 3_600_000,
      nowMs: now,
      retention,
    });
    expect(recent).toEqual({ tier: '1m', stepS: 60 });
  });

  it('counts retention in whole days, as partitions are dropped', () => {
    expect(tierStart('raw', retention, now)).toBe(Date.UTC(2026, 10, 12));
    expect(tierStart('1h', retention, now)).toBe(Date.UTC(2026, 10, 26) - 730 * DAY);
  });
});

describe('steps', () => {
  it('are round values, multiples of minutes from a minute and of days from a day', () => {
    expect(niceStep(1)).toBe(1);
    expect(niceStep(11)).toBe(15);
    expect(niceStep(61)).toBe(120);
    expect(niceStep(3601)).toBe(7200);
    expect(niceStep(86_401)).toBe(172_800);
    expect(rawFallbackStep(now - 6 * 3_600_000, now)).toBe(15);
  });
});
