// Metric history for charts: GET /api/v1/series/query (several metrics of one agent in one request, raw or
// averaged per step), turned into uPlot's AlignedData, and kept current for a live tail.
import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import type uPlot from 'uplot';
import { api, unwrap } from '../api/client';
import { realtime } from '../api/realtime';

/** The answer as it arrives (the client's types lose the [ms, value] tuple on the way). */
interface WireAnswer {
  from: string;
  to: string;
  tier: Tier;
  stepS: number | null;
  series: {
    metric: string;
    labels: Record<string, string>;
    points: readonly (readonly number[])[];
    truncated: boolean;
  }[];
}
export type Point = readonly [number, number];
/** The storage tier an answer was read from: raw samples, 1-minute or 1-hour rollups. */
export type Tier = 'raw' | '1m' | '1h';
export interface Series {
  metric: string;
  labels: Record<string, string>;
  /** [unix ms, value], oldest first */
  points: Point[];
  truncated: boolean;
}
export interface SeriesAnswer {
  from: string;
  to: string;
  /** Where the points come from (the server picks the coarsest tier that still gives the resolution). */
  tier: Tier;
  /** Bucket width in seconds; null: raw samples. */
  stepS: number | null;
  series: Series[];
}

/** The wire's pairs as typed tuples. */
function fromWire(answer: WireAnswer): SeriesAnswer {
  return {
    from: answer.from,
    to: answer.to,
    tier: answer.tier,
    stepS: answer.stepS,
    series: answer.series.map((s) => ({
      metric: s.metric,
      labels: s.labels,
      truncated: s.truncated,
      points: s.points.map((p): Point => [p[0] ?? 0, p[1] ?? 0]),
    })),
  };
}

/** Up to this span charts show raw samples (an agent reports every ~10 s: ~1,000 points). */
export const RAW_MAX_SPAN_MS = 3 * 3_600_000;
/** About as many points as a wide chart has pixels; the server picks tier and step to stay within it. */
export const TARGET_POINTS = 1000;
/** The server's most metrics per query. */
export const MAX_METRICS = 20;

/**
 * How finely to read a range: short spans (up to RAW_MAX_SPAN_MS) ask for nothing and get raw samples;
 * longer ones send `maxPoints` and let the server choose tier and step (rollups for long ranges).
 */
export function resolutionFor(fromMs: number, toMs: number, target = TARGET_POINTS): { maxPoints?: number } {
  return toMs - fromMs <= RAW_MAX_SPAN_MS ? {} : { maxPoints: target };
}

export interface SeriesRequest {
  agent: string;
  metrics: readonly string[];
  /** ISO timestamps; `to` defaults to now on the server. */
  from: string;
  to?: string;
  /** key=value */
  label?: string;
  /** Seconds per bucket; undefined lets the server pick one for the span (resolutionFor), null asks for raw samples. */
  step?: number | null;
}

/** The query string of /api/v1/series/query for a request and some of its metrics. */
export function seriesQuery(
  request: SeriesRequest,
  metrics: readonly string[],
  nowMs = Date.now(),
): {
  agent: string;
  metric: string;
  from: string;
  to?: string;
  label?: string;
  step?: number;
  maxPoints?: number;
} {
  const toMs = request.to ? Date.parse(request.to) : nowMs;
  const resolution =
    request.step === undefined
      ? resolutionFor(Date.parse(request.from), toMs)
      : request.step === null
        ? {}
        : { step: request.step };
  return {
    agent: request.agent,
    metric: metrics.join(','),
    from: request.from,
    ...(request.to ? { to: request.to } : {}),
    ...(request.label ? { label: request.label } : {}),
    ...resolution,
  };
}

/** One request for all metrics (split in chunks of MAX_METRICS when more are asked for). */
export async function querySeries(request: SeriesRequest): Promise<SeriesAnswer> {
  const nowMs = Date.now();
  const toMs = request.to ? Date.parse(request.to) : nowMs;
  const chunks: string[][] = [];
  for (let i = 0; i < request.metrics.length; i += MAX_METRICS)
    chunks.push(request.metrics.slice(i, i + MAX_METRICS));
  const answers = await Promise.all(
    chunks.map((metrics) =>
      unwrap(
        api.GET('/api/v1/series/query', { params: { query: seriesQuery(request, metrics, nowMs) } }),
      ).then(fromWire),
    ),
  );
  const first = answers[0];
  if (!first)
    return { from: request.from, to: new Date(toMs).toISOString(), tier: 'raw', stepS: null, series: [] };
  return { ...first, series: answers.flatMap((answer) => answer.series) };
}

/** The series of one metric. */
export function seriesOf(series: readonly Series[], metric: string): Series[] {
  return series.filter((s) => s.metric === metric);
}

/** A series' name in a legend: its label values (mount, iface, device …), else `fallback`. */
export function seriesLabel(series: Pick<Series, 'labels'>, fallback: string): string {
  const values = Object.values(series.labels);
  return values.length > 0 ? values.join(' ') : fallback;
}

/**
 * Several point lists on one time axis (seconds, as uPlot wants): the union of their timestamps, null where
 * a list has no point (uPlot draws a gap there, which is what a missing sample is).
 */
export function toAligned(lists: readonly (readonly Point[])[]): uPlot.AlignedData {
  const times = new Set<number>();
  for (const points of lists) for (const [ts] of points) times.add(ts);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((ts, i) => [ts, i]));
  const ys = lists.map((points) => {
    const values = new Array<number | null>(xs.length).fill(null);
    for (const [ts, value] of points) values[index.get(ts) ?? 0] = value;
    return values;
  });
  return [xs.map((ts) => ts / 1000), ...ys];
}

/** numerator / denominator × scale at the timestamps both have (e.g. used / total × 100 = %). */
export function ratioPoints(
  numerator: readonly Point[],
  denominator: readonly Point[],
  scale = 100,
): Point[] {
  const totals = new Map(denominator);
  const out: Point[] = [];
  for (const [ts, value] of numerator) {
    const total = totals.get(ts);
    if (total !== undefined && total > 0) out.push([ts, (value / total) * scale]);
  }
  return out;
}

/** The `limit` busiest series (by their sum), so a host with 40 interfaces still gives a readable chart. */
export function busiest<T extends { points: readonly Point[] }>(series: readonly T[], limit: number): T[] {
  const sum = (s: T) => s.points.reduce((total, [, value]) => total + Math.abs(value), 0);
  return [...series].sort((a, b) => sum(b) - sum(a)).slice(0, limit);
}

const seriesKey = (s: Pick<Series, 'metric' | 'labels'>) =>
  `${s.metric}|${Object.entries(s.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;

/**
 * A live tail's new points merged into what is shown: one point per timestamp (the fresh one wins), points
 * before `fromMs` dropped, series new in `fresh` added.
 */
export function mergeSeries(current: readonly Series[], fresh: readonly Series[], fromMs: number): Series[] {
  const byKey = new Map(current.map((s) => [seriesKey(s), s]));
  for (const s of fresh) {
    const old = byKey.get(seriesKey(s));
    const points = new Map<number, number>(old?.points ?? []);
    for (const [ts, value] of s.points) points.set(ts, value);
    const merged = [...points].sort((a, b) => a[0] - b[0]);
    byKey.set(seriesKey(s), { ...s, points: merged });
  }
  return [...byKey.values()].map((s) => ({ ...s, points: s.points.filter(([ts]) => ts >= fromMs) }));
}

/** The newest timestamp of any series (ms), or undefined when there is no point. */
export function newestTime(series: readonly Series[]): number | undefined {
  let newest: number | undefined;
  for (const s of series) {
    const last = s.points[s.points.length - 1];
    if (last && (newest === undefined || last[0] > newest)) newest = last[0];
  }
  return newest;
}

export interface LiveSeriesParams {
  agent: string;
  metrics: readonly string[];
  from: string;
  to: string;
  /** Follow new samples (the agent's `samples` changes) and keep a window of the same span ending now. */
  live: boolean;
}

export interface LiveSeriesState {
  series: Series[];
  tier: Tier;
  stepS: number | null;
  loading: boolean;
  error?: unknown;
}

/** How far back a tail re-reads, so a sample that arrived late (agent clocks, batching) is not missed. */
const TAIL_OVERLAP_MS = 30_000;
const TAIL_MIN_INTERVAL_MS = 2000;

/**
 * The series of a range, read again whenever the parameters change; in live mode new samples are fetched
 * incrementally (from the newest point shown) on each `samples` change of the agent's topic, and the window
 * slides. After a reconnect the whole range is read again, since changes may have been missed.
 */
export function createLiveSeries(params: Accessor<LiveSeriesParams | undefined>): {
  state: Accessor<LiveSeriesState>;
  reload: () => void;
} {
  const [state, setState] = createSignal<LiveSeriesState>({
    series: [],
    tier: 'raw',
    stepS: null,
    loading: true,
  });
  let generation = 0;

  const load = async (p: LiveSeriesParams) => {
    const gen = ++generation;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    const span = Date.parse(p.to) - Date.parse(p.from);
    const from = p.live ? new Date(Date.now() - span).toISOString() : p.from;
    try {
      const answer = await querySeries({
        agent: p.agent,
        metrics: p.metrics,
        from,
        ...(p.live ? {} : { to: p.to }),
        step: p.live ? null : undefined,
      });
      if (gen === generation)
        setState({ series: answer.series, tier: answer.tier, stepS: answer.stepS, loading: false });
    } catch (error) {
      if (gen === generation) setState((s) => ({ ...s, loading: false, error }));
    }
  };

  let tailing = false;
  let again = false;
  let lastTail = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tail = async (p: LiveSeriesParams) => {
    if (tailing) {
      again = true;
      return;
    }
    tailing = true;
    const gen = generation;
    const span = Date.parse(p.to) - Date.parse(p.from);
    const newest = newestTime(state().series);
    const windowStart = Date.now() - span;
    const from = newest === undefined ? windowStart : Math.max(windowStart, newest - TAIL_OVERLAP_MS);
    try {
      const answer = await querySeries({
        agent: p.agent,
        metrics: p.metrics,
        from: new Date(from).toISOString(),
        step: null,
      });
      if (gen === generation)
        setState((s) => ({ ...s, series: mergeSeries(s.series, answer.series, Date.now() - span) }));
    } catch {
      // The next change tries again; the chart keeps what it has.
    } finally {
      tailing = false;
      lastTail = Date.now();
      if (again) {
        again = false;
        schedule(p);
      }
    }
  };
  const schedule = (p: LiveSeriesParams) => {
    if (timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        void tail(p);
      },
      Math.max(0, lastTail + TAIL_MIN_INTERVAL_MS - Date.now()),
    );
  };

  createEffect(
    on(params, (p) => {
      clearTimeout(timer);
      timer = undefined;
      if (!p) return;
      void load(p);
      if (!p.live) return;
      const unsubscribe = realtime.subscribe(`agent:${p.agent}`, (event) => {
        if (event.kind === 'resync') void load(p);
        else if (event.changes.some((change) => change.t === 'samples')) schedule(p);
      });
      onCleanup(unsubscribe);
    }),
  );
  onCleanup(() => clearTimeout(timer));

  return {
    state,
    reload: () => {
      const p = params();
      if (p) void load(p);
    },
  };
}
