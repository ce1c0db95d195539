// Pure pieces of ingest: day arithmetic and partition names, the accepted time window, the per-agent
// token bucket, and series cache keys.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { dayStart, PartitionManager, partitionDay, partitionName } from './partitions';
import { RateLimiter } from './rate-limit';
import { seriesKey } from './series-cache';

const DAY = 86_400_000;
// acceptedRange is pure arithmetic; the pool is never touched.
const unusedPool = new pg.Pool();

describe('dayStart, partitionName and partitionDay', () => {
  it('truncates to the UTC day', () => {
    const day = Date.UTC(2025, 0, 2);
    expect(dayStart(day)).toBe(day);
    expect(dayStart(day + 1)).toBe(day);
    expect(dayStart(day + DAY - 1)).toBe(day);
    expect(dayStart(day + DAY)).toBe(day + DAY);
    expect(dayStart(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe(Date.UTC(2024, 1, 29));
    expect(dayStart(0)).toBe(0);
  });

  it('names partitions samples_pYYYYMMDD by UTC day', () => {
    expect(partitionName(Date.UTC(2025, 0, 2))).toBe('samples_p20250102');
    expect(partitionName(Date.UTC(2025, 11, 31))).toBe('samples_p20251231');
    expect(partitionName(Date.UTC(2024, 1, 29))).toBe('samples_p20240229');
    expect(partitionName(Date.UTC(2025, 0, 2, 23, 59))).toBe('samples_p20250102');
  });

  it('parses partition names back to the day, and nothing else', () => {
    for (const day of [Date.UTC(2025, 0, 2), Date.UTC(2024, 1, 29), Date.UTC(2030, 11, 31)]) {
      expect(partitionDay(partitionName(day))).toBe(day);
    }
    for (const name of [
      'samples',
      'samples_p2025010',
      'samples_p202501021',
      'samples_p20250102_old',
      'other_p20250102',
      'samples_default',
      'xsamples_p20250102',
    ]) {
      expect(partitionDay(name), name).toBeUndefined();
    }
  });

  it('accepts samples from the start of the retention window up to a day ahead', () => {
    const manager = new PartitionManager(unusedPool, 14);
    const now = Date.UTC(2025, 5, 15, 13, 30);
    expect(manager.acceptedRange(now)).toEqual({
      fromMs: Date.UTC(2025, 5, 1),
      toMs: now + DAY,
    });
    expect(new PartitionManager(unusedPool, 1).acceptedRange(now).fromMs).toBe(Date.UTC(2025, 5, 14));
  });
});

describe('RateLimiter', () => {
  function clock(start = 1_000_000) {
    const c = { now: start };
    return { c, read: () => c.now };
  }

  it('allows a burst, then refuses with the seconds to wait', () => {
    const { c, read } = clock();
    const limiter = new RateLimiter(1, 2, read);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('a')).toBe(1);
    c.now += 500;
    expect(limiter.take('a')).toBe(1);
    c.now += 500;
    // A full token has refilled since the refused takes (which cost nothing).
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('refills at the sustained rate and never beyond the burst', () => {
    const { c, read } = clock();
    const limiter = new RateLimiter(10, 20, read);
    for (let i = 0; i < 20; i += 1) expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBe(1);
    c.now += 500; // five tokens
    for (let i = 0; i < 5; i += 1) expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBeGreaterThan(0);
    c.now += 3_600_000;
    for (let i = 0; i < 20; i += 1) expect(limiter.take('k')).toBe(0);
    expect(limiter.take('k')).toBeGreaterThan(0);
  });

  it('keeps one bucket per key', () => {
    const { read } = clock();
    const limiter = new RateLimiter(1, 1, read);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    expect(limiter.take('b')).toBe(1);
  });

  it('asks slow limits to wait several seconds', () => {
    const { c, read } = clock();
    const limiter = new RateLimiter(0.25, 1, read);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(4);
    c.now += 2000;
    expect(limiter.take('a')).toBe(2);
    c.now += 2000;
    expect(limiter.take('a')).toBe(0);
  });
});

describe('seriesKey', () => {
  const agent = '0f3c2b1a-0000-4000-8000-000000000001';

  it('does not depend on the order of the labels', () => {
    expect(seriesKey(agent, 'disk.used.bytes', { mount: '/', dev: 'sda1' })).toBe(
      seriesKey(agent, 'disk.used.bytes', { dev: 'sda1', mount: '/' }),
    );
    expect(seriesKey(agent, 'cpu.percent', {})).toBe(seriesKey(agent, 'cpu.percent', {}));
  });

  it('tells agents, metrics and label sets apart', () => {
    const other = '0f3c2b1a-0000-4000-8000-000000000002';
    const keys = [
      seriesKey(agent, 'cpu.percent', {}),
      seriesKey(other, 'cpu.percent', {}),
      seriesKey(agent, 'cpu.user.percent', {}),
      seriesKey(agent, 'cpu.percent', { cpu: '0' }),
      seriesKey(agent, 'cpu.percent', { cpu: '1' }),
      seriesKey(agent, 'cpu.percent', { core: '0' }),
      seriesKey(agent, 'cpu.percent', { cpu: '' }),
      seriesKey(agent, 'cpu.percent', { cpu: '0', core: '0' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tells label sets apart whose values contain the separators "," and "="', () => {
    // Label values may hold any text (LabelsSchema: up to 256 characters); these are different series.
    expect(seriesKey(agent, 'app.requests.count', { a: '1,b=2' })).not.toBe(
      seriesKey(agent, 'app.requests.count', { a: '1', b: '2' }),
    );
    expect(seriesKey(agent, 'app.requests.count', { a: '1', b: '2,c=3' })).not.toBe(
      seriesKey(agent, 'app.requests.count', { a: '1', b: '2', c: '3' }),
    );
  });
});
