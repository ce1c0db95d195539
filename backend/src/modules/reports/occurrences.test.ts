// Maintenance occurrences over a range (one-off and cron, within bounds, cut at deletion), and where each
// tier serves a report's range. Pure functions, no database.
import { describe, expect, it } from 'vitest';
import { expandOccurrences, type WindowTiming } from './occurrences';
import { itemIncidents, meanTimeToResolveS, planTiers } from './service';

const ms = (iso: string) => Date.parse(iso);
const span = (o: { start: number; end: number }) => [
  new Date(o.start).toISOString(),
  new Date(o.end).toISOString(),
];
const window = (w: Partial<WindowTiming>): WindowTiming => ({
  starts_at: null,
  ends_at: null,
  cron: null,
  duration_s: null,
  ...w,
});

describe('expandOccurrences', () => {
  it('gives a one-off window that overlaps the range as it is, and nothing otherwise', () => {
    const w = window({
      starts_at: new Date('2025-03-01T10:00:00Z'),
      ends_at: new Date('2025-03-01T12:00:00Z'),
    });
    expect(expandOccurrences(w, ms('2025-03-01T11:00:00Z'), ms('2025-03-02T00:00:00Z')).map(span)).toEqual([
      ['2025-03-01T10:00:00.000Z', '2025-03-01T12:00:00.000Z'],
    ]);
    expect(expandOccurrences(w, ms('2025-03-01T12:00:00Z'), ms('2025-03-02T00:00:00Z'))).toEqual([]);
    expect(expandOccurrences(w, ms('2025-02-28T00:00:00Z'), ms('2025-03-01T10:00:00Z'))).toEqual([]);
  });

  it('expands a daily cron over the range, with the firing before it that still lasts into it', () => {
    // Every day at 23:30 UTC for two hours.
    const w = window({ cron: '30 23 * * *', duration_s: 7200 });
    expect(expandOccurrences(w, ms('2025-03-02T00:00:00Z'), ms('2025-03-04T00:00:00Z')).map(span)).toEqual([
      ['2025-03-01T23:30:00.000Z', '2025-03-02T01:30:00.000Z'],
      ['2025-03-02T23:30:00.000Z', '2025-03-03T01:30:00.000Z'],
      ['2025-03-03T23:30:00.000Z', '2025-03-04T01:30:00.000Z'],
    ]);
  });

  it('keeps steps, lists and weekdays, and cuts occurrences to the bounds and the deletion', () => {
    // Every 20 minutes in hour 2 on Mondays and Wednesdays, 5 minutes each; 2025-03-03 is a Monday.
    const w = window({
      cron: '*/20 2 * * 1,3',
      duration_s: 300,
      starts_at: new Date('2025-03-03T02:22:00Z'),
      deleted_at: new Date('2025-03-05T02:42:00Z'),
    });
    expect(expandOccurrences(w, ms('2025-03-03T00:00:00Z'), ms('2025-03-10T00:00:00Z')).map(span)).toEqual([
      ['2025-03-03T02:22:00.000Z', '2025-03-03T02:25:00.000Z'], // cut to starts_at
      ['2025-03-03T02:40:00.000Z', '2025-03-03T02:45:00.000Z'],
      ['2025-03-05T02:00:00.000Z', '2025-03-05T02:05:00.000Z'],
      ['2025-03-05T02:20:00.000Z', '2025-03-05T02:25:00.000Z'],
      ['2025-03-05T02:40:00.000Z', '2025-03-05T02:42:00.000Z'], // cut to the deletion
    ]);
  });

  it('matches either day field when both are restricted (Vixie cron), and ends at ends_at', () => {
    // Midnight on the 1st of the month or on Sundays; 2025-03-01 is a Saturday, 03-02 a Sunday.
    const w = window({ cron: '0 0 1 * 0', duration_s: 60, ends_at: new Date('2025-03-09T00:00:30Z') });
    expect(expandOccurrences(w, ms('2025-02-28T00:00:00Z'), ms('2025-04-01T00:00:00Z')).map(span)).toEqual([
      ['2025-03-01T00:00:00.000Z', '2025-03-01T00:01:00.000Z'],
      ['2025-03-02T00:00:00.000Z', '2025-03-02T00:01:00.000Z'],
      ['2025-03-09T00:00:00.000Z', '2025-03-09T00:00:30.000Z'],
    ]);
  });

  it('gives nothing for a cron it cannot parse', () => {
    expect(expandOccurrences(window({ cron: '61 * * * *', duration_s: 60 }), 0, 86_400_000)).toEqual([]);
  });
});

describe('planTiers', () => {
  const bounds = {
    doneUntil1m: new Date('2025-06-10T11:58:00Z'),
    oldest1m: new Date('2025-03-12T00:00:00Z'),
    oldestRaw: new Date('2025-05-27T00:00:00Z'),
  };
  const iso = (plan: ReturnType<typeof planTiers>) => ({
    ...plan,
    fromMs: new Date(plan.fromMs).toISOString(),
    hourUntilMs: new Date(plan.hourUntilMs).toISOString(),
    rawFromMs: new Date(plan.rawFromMs).toISOString(),
    toMs: new Date(plan.toMs).toISOString(),
  });

  it('rounds the range out to minutes and reads raw after the 1 m progress', () => {
    expect(iso(planTiers(ms('2025-06-10T10:00:30Z'), ms('2025-06-10T12:00:10Z'), bounds))).toEqual({
      fromMs: '2025-06-10T10:00:00.000Z',
      hourUntilMs: '2025-06-10T10:00:00.000Z',
      rawFromMs: '2025-06-10T11:58:00.000Z',
      toMs: '2025-06-10T12:01:00.000Z',
      exactP95: true,
    });
  });

  it('reads the 1 h tier before the oldest 1 m partition, from a whole hour; p95 from buckets', () => {
    expect(iso(planTiers(ms('2025-01-01T10:17:00Z'), ms('2025-06-01T00:00:00Z'), bounds))).toEqual({
      fromMs: '2025-01-01T10:00:00.000Z',
      hourUntilMs: '2025-03-12T00:00:00.000Z',
      rawFromMs: '2025-06-01T00:00:00.000Z',
      toMs: '2025-06-01T00:00:00.000Z',
      exactP95: false,
    });
  });

  it('reads raw only when no rollup ran', () => {
    const plan = planTiers(ms('2025-06-01T00:00:00Z'), ms('2025-06-02T00:00:00Z'), {
      doneUntil1m: null,
      oldest1m: null,
      oldestRaw: new Date('2025-05-27T00:00:00Z'),
    });
    expect(plan.hourUntilMs).toBe(plan.fromMs);
    expect(plan.rawFromMs).toBe(plan.fromMs);
    expect(plan.exactP95).toBe(true);
  });
});

describe('incidents of an item', () => {
  const row = (id: string, subject: string, agentIds: string[], opened: number, resolved: number | null) => ({
    id,
    subject,
    agent_ids: agentIds,
    opened_at: new Date(opened),
    resolved_at: resolved === null ? null : new Date(resolved),
  });
  const all = [
    row('1', 'probe:p1', ['a1'], 0, 600_000),
    row('2', 'probe:p1', ['a2'], 0, null),
    row('3', 'agent:a2', ['a2'], 0, 1_200_000),
    row('4', 'probe:p2', ['a1'], 0, null),
  ];

  it('takes a probe’s own incidents, or an agent group’s agent incidents and its probes’ on those agents', () => {
    expect(itemIncidents('probe', 'p1', ['p1'], ['a1', 'a2'], all).map((i) => i.id)).toEqual(['1', '2']);
    expect(itemIncidents('agent', 'a1', ['p1'], ['a1'], all).map((i) => i.id)).toEqual(['1']);
    expect(itemIncidents('agent', 'a2', ['p1'], ['a2'], all).map((i) => i.id)).toEqual(['2', '3']);
    expect(itemIncidents('label', 'x', ['p1', 'p2'], ['a1'], all).map((i) => i.id)).toEqual(['1', '4']);
  });

  it('averages the resolve time of the resolved ones only', () => {
    expect(meanTimeToResolveS(all)).toBe(900);
    expect(meanTimeToResolveS([all[1]!])).toBeNull();
  });
});
