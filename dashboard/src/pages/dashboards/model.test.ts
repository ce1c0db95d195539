import { describe, expect, it } from 'vitest';
import {
  blankWidget,
  hasLabels,
  move,
  newWidgetId,
  pack,
  parseLabels,
  parseList,
  refreshInterval,
  removeAt,
  resize,
  seriesQuery,
  unitOf,
  upsert,
  widgetProblems,
  type Widget,
} from './model';

const w = (id: string, width: number, height = 1): Widget => ({
  ...blankWidget('status', id),
  w: width,
  h: height,
});
const places = (widgets: readonly Widget[]) => widgets.map((x) => [x.id, x.x, x.y, x.w, x.h]);

describe('pack', () => {
  it('places widgets left to right in rows of 12, a new row below the tallest of the last', () => {
    expect(places(pack([w('a', 6, 2), w('b', 4), w('c', 4, 3), w('d', 12), w('e', 3)]))).toEqual([
      ['a', 0, 0, 6, 2],
      ['b', 6, 0, 4, 1],
      ['c', 0, 2, 4, 3],
      ['d', 0, 5, 12, 1],
      ['e', 0, 6, 3, 1],
    ]);
  });
});

describe('editor steps', () => {
  const list = pack([w('a', 6), w('b', 6), w('c', 12)]);
  it('moves a widget up or down and re-packs; the ends stay put', () => {
    expect(move(list, 2, -1).map((x) => x.id)).toEqual(['a', 'c', 'b']);
    expect(places(move(list, 2, -1))[1]).toEqual(['c', 0, 1, 12, 1]);
    expect(move(list, 0, -1).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(move(list, 2, 1).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
  it('resizes, removes and upserts with the layout following', () => {
    expect(places(resize(list, 0, { w: 12, h: 2 }))).toEqual([
      ['a', 0, 0, 12, 2],
      ['b', 0, 2, 6, 1],
      ['c', 0, 3, 12, 1],
    ]);
    expect(places(removeAt(list, 0))).toEqual([
      ['b', 0, 0, 6, 1],
      ['c', 0, 1, 12, 1],
    ]);
    const renamed = upsert(list, { ...w('b', 6), title: 'B' });
    expect(renamed.map((x) => x.title)).toEqual(['', 'B', '']);
    expect(upsert(list, w('d', 3)).map((x) => x.id)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('picks an id no widget has', () => {
    const values = [0, 0, 0.5];
    const random = () => values.shift() ?? 0.9;
    expect(newWidgetId([{ id: 'w0' }], random)).not.toBe('w0');
  });
});

describe('parsing form input', () => {
  it('splits metric lists and label selectors', () => {
    expect(parseList(' cpu.percent, load.1m  cpu.percent,')).toEqual(['cpu.percent', 'load.1m']);
    expect(parseLabels('env=prod, role = web')).toEqual({ env: 'prod', role: 'web' });
    expect(parseLabels('')).toEqual({});
    expect(parseLabels('env')).toBeUndefined();
    expect(hasLabels({ env: 'prod', role: 'web' }, { env: 'prod' })).toBe(true);
    expect(hasLabels({ env: 'dev' }, { env: 'prod' })).toBe(false);
    expect(hasLabels(null, undefined)).toBe(true);
  });
});

describe('chart queries', () => {
  const now = Date.parse('2026-01-02T00:00:00.000Z');
  it('asks for the range ending now, by agent, without a step; raw samples for a short range', () => {
    expect(
      seriesQuery({ metric: ['cpu.percent', 'load.1m'], agent: 'A', range: '24h', label: 'cpu=0' }, now),
    ).toEqual({
      metric: 'cpu.percent,load.1m',
      agent: 'A',
      label: 'cpu=0',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      maxPoints: 1000,
    });
    expect(seriesQuery({ metric: ['cpu.percent'], agent: 'A', range: '1h' }, now)).not.toHaveProperty(
      'maxPoints',
    );
  });
  it('asks by agent labels when no agent is named', () => {
    expect(
      seriesQuery(
        { metric: ['cpu.percent'], agentLabels: { env: 'prod', os: 'linux' }, range: '7d', agg: 'max' },
        now,
      ),
    ).toMatchObject({
      agentLabel: 'env=prod,os=linux',
      agg: 'max',
      from: '2025-12-26T00:00:00.000Z',
      maxPoints: 1000,
    });
  });
  it('refreshes only ranges up to a day', () => {
    expect(refreshInterval('1h')).toBe(30_000);
    expect(refreshInterval('24h')).toBe(30_000);
    expect(refreshInterval('7d')).toBeUndefined();
  });
  it('reads the unit from the metric name', () => {
    expect(
      ['cpu.percent', 'mem.used.bytes', 'net.rx.bytes_per_s', 'probe.latency.ms', 'load.1m'].map(unitOf),
    ).toEqual(['percent', 'bytes', 'rate', 'ms', 'number']);
  });
  it('tells what a chart widget lacks', () => {
    const chart = blankWidget('chart', 'c');
    expect(widgetProblems(chart)).toEqual(['dashboards.problem.noAgent']);
    if (chart.type !== 'chart') throw new Error('chart expected');
    expect(widgetProblems({ ...chart, query: { metric: ['CPU'], agent: 'x', range: '1h' } })).toEqual([
      'dashboards.problem.badMetric',
    ]);
    expect(widgetProblems(blankWidget('incidents', 'i'))).toEqual([]);
  });
});
