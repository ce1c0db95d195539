import { describe, expect, it } from 'vitest';
import { RateTracker } from './delta';

describe('RateTracker', () => {
  it('gives nothing on the first sample, then the per-second rate', () => {
    const r = new RateTracker();
    expect(r.rate('eth0', 1000, 10_000)).toBeUndefined();
    expect(r.rate('eth0', 6000, 12_000)).toBe(2500);
    expect(r.rate('eth0', 6000, 13_000)).toBe(0);
  });

  it('keeps keys independent', () => {
    const r = new RateTracker();
    r.rate('a', 0, 0);
    r.rate('b', 100, 0);
    expect(r.rate('a', 10, 1000)).toBe(10);
    expect(r.rate('b', 300, 1000)).toBe(200);
  });

  it('gives nothing when the clock did not advance', () => {
    const r = new RateTracker();
    r.rate('k', 0, 5000);
    expect(r.rate('k', 100, 5000)).toBeUndefined();
    expect(r.rate('k', 200, 4000)).toBeUndefined();
  });

  it('treats a decrease as a reset: no spike, and the new value is the baseline', () => {
    const r = new RateTracker();
    r.rate('k', 5_000_000, 0);
    expect(r.rate('k', 1000, 1000)).toBeUndefined();
    expect(r.rate('k', 3000, 2000)).toBe(2000);
  });

  it('recognises a 32-bit wrap from near 2^32 to near 0', () => {
    const r = new RateTracker();
    r.rate('k', 2 ** 32 - 1000, 0);
    expect(r.rate('k', 3000, 1000)).toBe(4000);
  });

  it('does not take a large drop inside the 32-bit range, or any drop above it, for a wrap', () => {
    const r = new RateTracker();
    r.rate('a', 2 ** 32 - 1000, 0);
    expect(r.rate('a', 2 ** 31, 1000)).toBeUndefined();
    r.rate('b', 2 ** 40, 0);
    expect(r.rate('b', 100, 1000)).toBeUndefined();
    r.rate('c', 2 ** 31, 0);
    expect(r.rate('c', 100, 1000)).toBeUndefined();
  });

  it('forgets keys not seen since the previous sweep', () => {
    const r = new RateTracker();
    r.rate('veth1', 10, 0);
    r.rate('eth0', 10, 0);
    r.sweep();
    r.rate('eth0', 20, 1000);
    r.sweep();
    expect(r.size).toBe(1);
    // veth1 came back: it is a new series, not a rate against the stale value.
    expect(r.rate('veth1', 5000, 2000)).toBeUndefined();
  });
});
