import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UptimeBarLoader, type BarData } from './uptime-bars';

const bar = (checks: number): BarData => ({
  fromMs: 0,
  bucketMs: 3_600_000,
  buckets: [{ checks, down: 0, degraded: 0 }],
});

function fakeFetch() {
  const calls: string[][] = [];
  let failNext = false;
  const fetchBars = vi.fn(async (ids: readonly string[]) => {
    calls.push([...ids]);
    if (failNext) {
      failNext = false;
      throw new Error('offline');
    }
    return Promise.resolve(new Map(ids.map((id) => [id, bar(calls.length)])));
  });
  return { calls, fetchBars, failOnce: () => (failNext = true) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UptimeBarLoader', () => {
  it('asks for the rows shown at the same moment in one request', async () => {
    const { calls, fetchBars } = fakeFetch();
    const loader = new UptimeBarLoader(fetchBars, { delayMs: 50 });
    const a = loader.watch('a');
    const b = loader.watch('b');
    loader.watch('c');
    expect(a.bars()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(60);
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(a.bars()?.buckets[0]?.checks).toBe(1);
    expect(b.bars()).toBeDefined();
  });

  it('keeps bars for a while instead of asking again for rows that come back', async () => {
    const { calls, fetchBars } = fakeFetch();
    const loader = new UptimeBarLoader(fetchBars, { delayMs: 10, maxAgeMs: 60_000 });
    loader.watch('a').release();
    await vi.advanceTimersByTimeAsync(20);
    loader.watch('a');
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toHaveLength(1);
    // Old enough: asked again.
    await vi.advanceTimersByTimeAsync(61_000);
    loader.watch('a');
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toHaveLength(2);
  });

  it('does not fetch rows scrolled away before the request went out', async () => {
    const { calls, fetchBars } = fakeFetch();
    const loader = new UptimeBarLoader(fetchBars, { delayMs: 50 });
    loader.watch('gone').release();
    loader.watch('kept');
    await vi.advanceTimersByTimeAsync(60);
    expect(calls).toEqual([['kept']]);
  });

  it('reloads an invalidated bar at once when shown, else on its next showing', async () => {
    const { calls, fetchBars } = fakeFetch();
    const loader = new UptimeBarLoader(fetchBars, { delayMs: 10 });
    const shown = loader.watch('shown');
    loader.watch('hidden').release();
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([['shown']]);
    loader.invalidate('shown');
    loader.invalidate('hidden');
    loader.invalidate('never-seen');
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([['shown'], ['shown']]);
    expect(shown.bars()?.buckets[0]?.checks).toBe(2);
    loader.watch('hidden');
    await vi.advanceTimersByTimeAsync(20);
    expect(calls.at(-1)).toEqual(['hidden']);
  });

  it('splits large asks into batches and tries a failed batch again later', async () => {
    const { calls, fetchBars, failOnce } = fakeFetch();
    const loader = new UptimeBarLoader(fetchBars, { delayMs: 10, batchSize: 2 });
    failOnce();
    const rows = ['a', 'b', 'c'].map((id) => loader.watch(id));
    await vi.advanceTimersByTimeAsync(20);
    expect(calls).toEqual([['a', 'b'], ['c']]);
    expect(rows[0]!.bars()).toBeUndefined();
    expect(rows[2]!.bars()).toBeDefined();
    // The failed ones are stale: the next showing asks again.
    loader.watch('a');
    await vi.advanceTimersByTimeAsync(20);
    expect(calls.at(-1)).toEqual(['a']);
    expect(rows[0]!.bars()).toBeDefined();
  });
});
