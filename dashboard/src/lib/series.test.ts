import { describe, expect, it } from 'vitest';
import {
  busiest,
  mergeSeries,
  newestTime,
  RAW_MAX_SPAN_MS,
  ratioPoints,
  seriesLabel,
  stepFor,
  toAligned,
  type Series,
} from './series';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function series(metric: string, points: [number, number][], labels: Record<string, string> = {}): Series {
  return { metric, labels, points, truncated: false };
}

describe('stepFor', () => {
  it('reads raw samples up to three hours, then the smallest round step within ~1,000 points', () => {
    expect(stepFor(0, HOUR)).toBeUndefined();
    expect(stepFor(0, RAW_MAX_SPAN_MS)).toBeUndefined();
    expect(stepFor(0, DAY)).toBe(120);
    expect(stepFor(0, 7 * DAY)).toBe(900);
    expect(stepFor(0, 30 * DAY)).toBe(3600);
    expect(stepFor(0, 3650 * DAY)).toBe(86_400);
    for (const span of [4 * HOUR, DAY, 7 * DAY, 30 * DAY, 90 * DAY]) {
      const step = stepFor(0, span) ?? 0;
      expect(span / 1000 / step, `${span}`).toBeLessThanOrEqual(1000);
    }
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
