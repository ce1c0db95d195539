import { describe, expect, it } from 'vitest';
import {
  busiest,
  mergeSeries,
  newestTime,
  RAW_MAX_SPAN_MS,
  ratioPoints,
  resolutionFor,
  seriesLabel,
  seriesQuery,
  TARGET_POINTS,
  toAligned,
  type Series,
} from './series';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function series(metric: string, points: [number, number][], labels: Record<string, string> = {}): Series {
  return { metric, labels, points, truncated: false };
}

describe('resolutionFor', () => {
  it('reads raw samples up to three hours, then leaves tier and step to the server within ~1,000 points', () => {
    expect(resolutionFor(0, HOUR)).toEqual({});
    expect(resolutionFor(0, RAW_MAX_SPAN_MS)).toEqual({});
    expect(resolutionFor(0, RAW_MAX_SPAN_MS + 1)).toEqual({ maxPoints: TARGET_POINTS });
    for (const span of [DAY, 30 * DAY, 90 * DAY, 365 * DAY])
      expect(resolutionFor(0, span), `${span}`).toEqual({ maxPoints: 1000 });
    expect(resolutionFor(0, DAY, 600)).toEqual({ maxPoints: 600 });
  });
});

describe('seriesQuery', () => {
  const from = '2026-01-01T00:00:00.000Z';
  it('asks a long range for maxPoints and no step, a short one for neither', () => {
    expect(
      seriesQuery({ agent: 'a1', metrics: ['x'], from, to: '2026-04-01T00:00:00.000Z' }, [
        'cpu.percent',
        'load.1m',
      ]),
    ).toEqual({
      agent: 'a1',
      metric: 'cpu.percent,load.1m',
      from,
      to: '2026-04-01T00:00:00.000Z',
      maxPoints: 1000,
    });
    expect(seriesQuery({ agent: 'a1', metrics: [], from, to: '2026-01-01T01:00:00.000Z' }, ['x'])).toEqual({
      agent: 'a1',
      metric: 'x',
      from,
      to: '2026-01-01T01:00:00.000Z',
    });
  });

  it('measures an open range up to now, and keeps an explicit step, raw request and label', () => {
    const now = Date.parse(from) + 2 * DAY;
    expect(seriesQuery({ agent: 'a', metrics: [], from }, ['x'], now)).toEqual({
      agent: 'a',
      metric: 'x',
      from,
      maxPoints: 1000,
    });
    expect(seriesQuery({ agent: 'a', metrics: [], from }, ['x'], Date.parse(from) + HOUR)).not.toHaveProperty(
      'maxPoints',
    );
    expect(seriesQuery({ agent: 'a', metrics: [], from, step: 300, label: 'mount=/' }, ['x'], now)).toEqual({
      agent: 'a',
      metric: 'x',
      from,
      label: 'mount=/',
      step: 300,
    });
    const raw = seriesQuery({ agent: 'a', metrics: [], from, step: null }, ['x'], now);
    expect(raw).not.toHaveProperty('step');
    expect(raw).not.toHaveProperty('maxPoints');
  });
});

describe('toAligned', () => {
  it('puts lists on one axis in seconds, with null where a list has no point', () => {
    expect(
      toAligned([
        [
          [2000, 2],
          [1000, 1],
        ],
        [
          [1000, 10],
          [3000, 30],
        ],
      ]),
    ).toEqual([
      [1, 2, 3],
      [1, 2, null],
      [10, null, 30],
    ]);
    expect(toAligned([])).toEqual([[]]);
    expect(toAligned([[]])).toEqual([[], []]);
  });
});

describe('ratioPoints', () => {
  it('divides at the timestamps both lists have and skips a zero total', () => {
    expect(
      ratioPoints(
        [
          [1, 25],
          [2, 50],
          [3, 7],
        ],
        [
          [1, 100],
          [2, 0],
          [4, 100],
        ],
      ),
    ).toEqual([[1, 25]]);
  });
});

describe('mergeSeries', () => {
  it('adds new points, lets a fresh value win, drops what left the window and adds new series', () => {
    const current = [
      series('cpu.percent', [
        [1000, 1],
        [2000, 2],
        [3000, 3],
      ]),
    ];
    const fresh = [
      series('cpu.percent', [
        [3000, 33],
        [4000, 4],
      ]),
      series('net.rx.bytes_per_s', [[4000, 9]], { iface: 'eth0' }),
    ];
    expect(mergeSeries(current, fresh, 2000)).toEqual([
      series('cpu.percent', [
        [2000, 2],
        [3000, 33],
        [4000, 4],
      ]),
      series('net.rx.bytes_per_s', [[4000, 9]], { iface: 'eth0' }),
    ]);
  });

  it('keeps series apart by their labels, whatever their order', () => {
    const merged = mergeSeries(
      [series('fs.used.bytes', [[1, 1]], { mount: '/', dev: 'a' })],
      [
        series('fs.used.bytes', [[2, 2]], { dev: 'a', mount: '/' }),
        series('fs.used.bytes', [[2, 5]], { mount: '/data', dev: 'b' }),
      ],
      0,
    );
    expect(merged.map((s) => s.points)).toEqual([
      [
        [1, 1],
        [2, 2],
      ],
      [[2, 5]],
    ]);
  });
});

describe('helpers', () => {
  it('names a series by its labels, finds the newest time and the busiest series', () => {
    expect(seriesLabel(series('x.y', [], { iface: 'eth0' }), 'total')).toBe('eth0');
    expect(seriesLabel(series('x.y', []), 'total')).toBe('total');
    expect(newestTime([series('a.b', [[5, 1]]), series('a.c', [[9, 1]]), series('a.d', [])])).toBe(9);
    expect(newestTime([])).toBeUndefined();
    const quiet = series('n.rx', [[1, 1]], { iface: 'a' });
    const loud = series('n.rx', [[1, -500]], { iface: 'b' });
    const mid = series(
      'n.rx',
      [
        [1, 10],
        [2, 10],
      ],
      { iface: 'c' },
    );
    expect(busiest([quiet, loud, mid], 2)).toEqual([loud, mid]);
  });
});
