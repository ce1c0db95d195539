// The host detail's charts out of one series answer: which metrics, how they are grouped and named.
import type uPlot from 'uplot';
import type { ChartSeries } from '../../components/TimeSeriesChart';
import { t } from '../../i18n';
import { formatBytes, formatPercent, formatRate } from '../../lib/format';
import {
  busiest,
  ratioPoints,
  seriesLabel,
  seriesOf,
  toAligned,
  type Point,
  type Series,
} from '../../lib/series';

export const CPU_MODES = ['user', 'system', 'iowait', 'steal'] as const;

/** Everything the charts show, read in one request. */
export const CHART_METRICS = [
  'cpu.percent',
  ...CPU_MODES.map((mode) => `cpu.${mode}.percent`),
  'mem.used.bytes',
  'mem.total.bytes',
  'fs.used.bytes',
  'fs.total.bytes',
  'disk.read.bytes_per_s',
  'disk.write.bytes_per_s',
  'net.rx.bytes_per_s',
  'net.tx.bytes_per_s',
] as const;

/** Devices and interfaces per chart: the busiest ones (hosts with many veths stay readable). */
export const MAX_INSTANCES = 4;

export const CHART_KEYS = ['cpu', 'memory', 'disk', 'diskio', 'network'] as const;

export interface HostChart {
  key: (typeof CHART_KEYS)[number];
  title: string;
  format: (value: number) => string;
  series: ChartSeries[];
  data: uPlot.AlignedData;
  /** Instances left out for readability. */
  hidden: number;
}

interface Line {
  label: string;
  points: readonly Point[];
}

function chart(key: HostChart['key'], format: HostChart['format'], lines: Line[], hidden = 0): HostChart {
  return {
    key,
    title: t(`hosts.chart.${key}`),
    format,
    series: lines.map((line) => ({ label: line.label })),
    data: toAligned(lines.map((line) => line.points)),
    hidden,
  };
}

/** Read and write (or receive and send) lines of the busiest instances of a label. */
function pairLines(
  all: readonly Series[],
  first: string,
  second: string,
  label: string,
  names: [string, string],
  skip: (instance: string) => boolean = () => false,
): { lines: Line[]; hidden: number } {
  const instances = new Map<string, { name: string; points: Point[] }>();
  for (const metric of [first, second]) {
    for (const s of seriesOf(all, metric)) {
      const name = s.labels[label] ?? '';
      if (skip(name)) continue;
      const entry = instances.get(name) ?? { name, points: [] };
      entry.points.push(...s.points);
      instances.set(name, entry);
    }
  }
  const kept = new Set(busiest([...instances.values()], MAX_INSTANCES).map((entry) => entry.name));
  const lines: Line[] = [];
  for (const [metric, suffix] of [
    [first, names[0]],
    [second, names[1]],
  ] as const) {
    for (const s of seriesOf(all, metric)) {
      const name = s.labels[label] ?? '';
      if (kept.has(name)) lines.push({ label: `${seriesLabel(s, '')} ${suffix}`.trim(), points: s.points });
    }
  }
  lines.sort((a, b) => a.label.localeCompare(b.label));
  return { lines, hidden: instances.size - kept.size };
}

export function hostCharts(all: readonly Series[]): HostChart[] {
  const percent = (value: number) => formatPercent(value, 1);
  const cpu = chart('cpu', percent, [
    ...seriesOf(all, 'cpu.percent').map((s) => ({ label: t('hosts.series.busy'), points: s.points })),
    ...CPU_MODES.flatMap((mode) =>
      seriesOf(all, `cpu.${mode}.percent`).map((s) => ({ label: mode, points: s.points })),
    ),
  ]);
  const memory = chart('memory', (v) => formatBytes(v), [
    ...seriesOf(all, 'mem.used.bytes').map((s) => ({ label: t('hosts.series.used'), points: s.points })),
    ...seriesOf(all, 'mem.total.bytes').map((s) => ({ label: t('hosts.series.total'), points: s.points })),
  ]);
  const totals = seriesOf(all, 'fs.total.bytes');
  const disk = chart(
    'disk',
    percent,
    seriesOf(all, 'fs.used.bytes')
      .map((used) => {
        const total = totals.find((s) => s.labels.mount === used.labels.mount);
        return { label: seriesLabel(used, '/'), points: total ? ratioPoints(used.points, total.points) : [] };
      })
      .filter((line) => line.points.length > 0)
      .sort((a, b) => a.label.localeCompare(b.label)),
  );
  const io = pairLines(all, 'disk.read.bytes_per_s', 'disk.write.bytes_per_s', 'device', [
    t('hosts.series.read'),
    t('hosts.series.write'),
  ]);
  const net = pairLines(
    all,
    'net.rx.bytes_per_s',
    'net.tx.bytes_per_s',
    'iface',
    [t('hosts.series.rx'), t('hosts.series.tx')],
    (iface) => iface === 'lo',
  );
  return [
    cpu,
    memory,
    disk,
    chart('diskio', (v) => formatRate(v), io.lines, io.hidden),
    chart('network', (v) => formatRate(v), net.lines, net.hidden),
  ];
}

/** A chart without lines (what a key shows before its data). */
export function emptyChart(key: HostChart['key']): HostChart {
  return chart(key, String, []);
}

/** Whether a chart has at least one point to draw. */
export function hasPoints(c: HostChart): boolean {
  return c.data[0].length > 0;
}
