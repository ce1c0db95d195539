import { describe, expect, it } from 'vitest';
import { cronMatches, lastFiring, parseCron } from './cron';

describe('cron matcher', () => {
  it('matches lists, ranges and steps in UTC', () => {
    const s = parseCron('*/15 2-4 * * 1,3');
    expect(cronMatches(s, new Date('2025-12-01T02:30:00Z'))).toBe(true); // a Monday
    expect(cronMatches(s, new Date('2025-12-01T02:31:00Z'))).toBe(false);
    expect(cronMatches(s, new Date('2025-12-02T02:30:00Z'))).toBe(false); // Tuesday
    expect(cronMatches(s, new Date('2025-12-03T05:00:00Z'))).toBe(false);
  });

  it('treats restricted day-of-month and day-of-week as either', () => {
    const s = parseCron('0 0 1 * 0');
    expect(cronMatches(s, new Date('2025-12-01T00:00:00Z'))).toBe(true); // the 1st, a Monday
    expect(cronMatches(s, new Date('2025-12-07T00:00:00Z'))).toBe(true); // a Sunday
    expect(cronMatches(s, new Date('2025-12-08T00:00:00Z'))).toBe(false);
    expect(cronMatches(parseCron('0 0 * * 7'), new Date('2025-12-07T00:00:00Z'))).toBe(true);
  });

  it('finds the occurrence a moment falls in', () => {
    const s = parseCron('0 3 * * *');
    expect(lastFiring(s, new Date('2025-12-01T03:59:00Z'), 3_600_000)?.toISOString()).toBe(
      '2025-12-01T03:00:00.000Z',
    );
    expect(lastFiring(s, new Date('2025-12-01T04:00:00Z'), 3_600_000)).toBeUndefined();
  });

  it('refuses bad expressions', () => {
    expect(() => parseCron('* * * *')).toThrow(/five fields/);
    expect(() => parseCron('60 * * * *')).toThrow(/outside/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step/);
  });
});
