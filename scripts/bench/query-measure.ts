// Latency of GET /api/v1/series/query as a chart sees it: from sending the request to the parsed JSON body,
// over a warm server, sequentially and with a few requests in flight at once.

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface SeriesAnswer {
  tier: string;
  stepS: number | null;
  series: { metric: string; points: [number, number][] }[];
}

export interface ScenarioResult {
  latency: Latency;
  /** Requests per second over the whole run (the concurrent run's throughput). */
  perS: number;
  tiers: Set<string>;
  /** The fewest and most points of one series in any answer. */
  minPoints: number;
  maxPoints: number;
  seriesPerAnswer: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summarize(values: readonly number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.reduce((n, v) => n + v, 0) / Math.max(1, sorted.length),
  };
}

/** A small seeded generator (mulberry32), so runs pick the same agents. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Runs `requests` queries (after `warmup` unmeasured ones), `concurrency` at a time, each for a random agent;
 * `query(agent)` builds the query string at the moment of the request (ranges end now).
 */
export async function runScenario(options: {
  baseUrl: string;
  token: string;
  agents: readonly string[];
  query: (agent: string) => URLSearchParams;
  requests: number;
  warmup: number;
  concurrency: number;
  seed: number;
}): Promise<ScenarioResult> {
  const random = seeded(options.seed);
  const pick = (): string => options.agents[Math.floor(random() * options.agents.length)] ?? '';
  const tiers = new Set<string>();
  let minPoints = Number.POSITIVE_INFINITY;
  let maxPoints = 0;
  let seriesPerAnswer = 0;
  const one = async (): Promise<number> => {
    const url = `${options.baseUrl}/api/v1/series/query?${options.query(pick()).toString()}`;
    const started = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${options.token}` } });
    const body = (await res.json()) as SeriesAnswer;
    const ms = performance.now() - started;
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    tiers.add(`${body.tier}/${body.stepS ?? 'raw'}`);
    seriesPerAnswer = Math.max(seriesPerAnswer, body.series.length);
    for (const s of body.series) {
      minPoints = Math.min(minPoints, s.points.length);
      maxPoints = Math.max(maxPoints, s.points.length);
    }
    return ms;
  };
  for (let i = 0; i < options.warmup; i += 1) await one();
  tiers.clear();
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.requests) {
        next += 1;
        times.push(await one());
      }
    }),
  );
  const wallS = (performance.now() - started) / 1000;
  return {
    latency: summarize(times),
    perS: times.length / wallS,
    tiers,
    minPoints: Number.isFinite(minPoints) ? minPoints : 0,
    maxPoints,
    seriesPerAnswer,
  };
}
