// What a simulated agent reports: the host series of the real collectors (agent/src/collectors) plus a
// few container series, and ingest batches built from them with many timestamps per series.
import type { IngestBatch, Labels } from '@emma/protocol';

export const DAY_MS = 86_400_000;
/**
 * Spacing of one series' points (a 1 s collection interval). Small enough that a long run stays inside
 * the server's accepted window (retention behind, one day ahead) however many batches an agent sends.
 */
export const STEP_MS = 1000;

type Kind = 'percent' | 'load' | 'bytes' | 'total' | 'rate' | 'uptime';

export interface SeriesSpec {
  metric: string;
  labels?: Labels;
  kind: Kind;
}

const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];
const MOUNTS = ['/', '/boot', '/var/lib/docker', '/home', '/data', '/var/log'];
const DEVICES = ['sda', 'sda1', 'sda2', 'sdb', 'sdb1', 'nvme0n1', 'nvme0n1p1', 'nvme0n1p2'];
const IFACES = ['lo', 'eth0', 'eth1', 'docker0', 'br-3f2a9c1d7e4b', 'veth1a2b3c4'];

/** 58 host series named as agent/src/collectors names them, then 4 series per container. */
export function seriesCatalogue(containers: number): SeriesSpec[] {
  const list: SeriesSpec[] = [{ metric: 'cpu.percent', kind: 'percent' }];
  for (const mode of CPU_MODES) list.push({ metric: `cpu.${mode}.percent`, kind: 'percent' });
  for (const m of ['load.1m', 'load.5m', 'load.15m']) list.push({ metric: m, kind: 'load' });
  list.push(
    { metric: 'mem.total.bytes', kind: 'total' },
    { metric: 'mem.used.bytes', kind: 'bytes' },
    { metric: 'mem.available.bytes', kind: 'bytes' },
    { metric: 'swap.total.bytes', kind: 'total' },
    { metric: 'swap.used.bytes', kind: 'bytes' },
  );
  for (const mount of MOUNTS) {
    list.push({ metric: 'fs.total.bytes', labels: { mount }, kind: 'total' });
    list.push({ metric: 'fs.used.bytes', labels: { mount }, kind: 'bytes' });
  }
  for (const device of DEVICES) {
    list.push({ metric: 'disk.read.bytes_per_s', labels: { device }, kind: 'rate' });
    list.push({ metric: 'disk.write.bytes_per_s', labels: { device }, kind: 'rate' });
  }
  for (const iface of IFACES) {
    list.push({ metric: 'net.rx.bytes_per_s', labels: { iface }, kind: 'rate' });
    list.push({ metric: 'net.tx.bytes_per_s', labels: { iface }, kind: 'rate' });
  }
  list.push({ metric: 'uptime.seconds', kind: 'uptime' });
  for (let c = 0; c < containers; c++) {
    const container = `app-${c + 1}`;
    list.push(
      { metric: 'container.cpu.percent', labels: { container }, kind: 'percent' },
      { metric: 'container.mem.used.bytes', labels: { container }, kind: 'bytes' },
      { metric: 'container.net.rx.bytes_per_s', labels: { container }, kind: 'rate' },
      { metric: 'container.net.tx.bytes_per_s', labels: { container }, kind: 'rate' },
    );
  }
  return list;
}

/** Points per series so that one batch carries about `batchSamples` samples. */
export function pointsPerSeries(batchSamples: number, seriesCount: number): number {
  return Math.max(1, Math.round(batchSamples / seriesCount));
}

/** A small deterministic generator, so runs are comparable. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

/** A value as the collectors produce it: full-precision floats for ratios and rates, integers for bytes. */
export function valueOf(kind: Kind, random: () => number, tMs: number): number {
  switch (kind) {
    case 'percent':
      return random() * 100;
    case 'load':
      return Math.round(random() * 400) / 100;
    case 'bytes':
      return Math.floor(2e9 + random() * 6e9);
    case 'total':
      return 16_777_216_000;
    case 'rate':
      return random() * 5e6;
    case 'uptime':
      return Math.floor(tMs / 1000) % 10_000_000;
  }
}

export interface BatchShape {
  catalogue: SeriesSpec[];
  points: number;
  /** Unix ms of the first point of seq 1. */
  baseMs: number;
  /** The timeline starts over after this many batches (points repeat, the server still stores them). */
  maxBatches: number;
}

/** How many batches fit between baseMs and untilMs. */
export function batchesBetween(baseMs: number, untilMs: number, points: number): number {
  return Math.max(1, Math.floor((untilMs - baseMs) / (points * STEP_MS)));
}

/** Batch `seq` of one agent: every series with `points` consecutive timestamps, continuing seq-1. */
export function buildBatch(shape: BatchShape, seq: number, random: () => number): IngestBatch {
  const first = shape.baseMs + ((seq - 1) % shape.maxBatches) * shape.points * STEP_MS;
  return {
    seq,
    sentAt: Date.now(),
    droppedBatches: 0,
    series: shape.catalogue.map((spec) => {
      const points: [number, number][] = [];
      for (let j = 0; j < shape.points; j++) {
        const ts = first + j * STEP_MS;
        points.push([ts, valueOf(spec.kind, random, ts)]);
      }
      return spec.labels
        ? { metric: spec.metric, labels: spec.labels, points }
        : { metric: spec.metric, points };
    }),
  };
}
