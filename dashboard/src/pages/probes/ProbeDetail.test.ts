import { describe, expect, it, vi } from 'vitest';
import { rangeFor } from '../../components/RangePicker';
import { historyCharts, historyQuery } from './ProbeDetail';

// The page's pure helpers only: uPlot needs a real browser (the e2e tests draw it).
vi.mock('../../components/TimeSeriesChart', () => ({ TimeSeriesChart: () => null }));

describe('historyCharts', () => {
  it('puts availability and p95 per bucket on a time axis in seconds, oldest first, with gaps for no latency', () => {
    const charts = historyCharts([
      { t: 7_200_000, checks: 60, availabilityPct: 50, latencyP95Ms: null },
      { t: 3_600_000, checks: 60, availabilityPct: 100, latencyP95Ms: 42 },
    ]);
    expect(charts.availability).toEqual([
      [3600, 7200],
      [100, 50],
    ]);
    expect(charts.latency).toEqual([
      [3600, 7200],
      [42, null],
    ]);
    expect(charts.checks).toBe(120);
    expect(historyCharts([]).checks).toBe(0);
  });
});

describe('historyQuery', () => {
  it('asks for the range with maxPoints; a live range ends now', () => {
    const fixed = rangeFor('90d', Date.parse('2026-06-01T00:00:00.000Z'));
    expect(historyQuery(fixed)).toEqual({ from: fixed.from, to: fixed.to, maxPoints: '1000' });
    const now = Date.parse('2026-06-01T05:00:00.000Z');
    const live = rangeFor('1h', Date.parse('2026-06-01T00:00:00.000Z'));
    expect(historyQuery(live, now)).toEqual({
      from: '2026-06-01T04:00:00.000Z',
      to: '2026-06-01T05:00:00.000Z',
      maxPoints: '1000',
    });
  });
});
