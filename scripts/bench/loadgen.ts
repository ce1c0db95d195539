// The load generator, run as a child process of bench-ingest so it has its own event loop and its CPU
// can be told apart from the server's. Each simulated agent sends gzip-compressed batches with
// increasing seq, one request in flight at a time (as the real agent's sender), all agents concurrently.
// Bodies are generated and compressed before the clock starts, so the generator costs little CPU
// while it is measured (the real agents run on other machines).
import http from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  batchesBetween,
  buildBatch,
  pointsPerSeries,
  rng,
  seriesCatalogue,
  type BatchShape,
} from './payload';

const gzipAsync = promisify(gzip);

export interface LoadgenConfig {
  type: 'config';
  url: string;
  agents: { agentId: string; credential: string }[];
  batchSamples: number;
  containers: number;
  baseMs: number;
  warmupS: number;
  seconds: number;
  /** Bodies prepared per agent in advance; more are generated during the run if needed. */
  pregenPerAgent: number;
}

export interface LoadgenResult {
  type: 'result';
  samplesPerBatch: number;
  seriesPerAgent: number;
  pregenerated: number;
  pregenMs: number;
  generatedLive: number;
  windowMs: number;
  /** Counted for requests that completed inside the measured window. */
  batches: number;
  samples: number;
  duplicates: number;
  rejectedSamples: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  errorsInWindow: Record<string, number>;
  errorsTotal: Record<string, number>;
  firstErrors: string[];
  totalBatches: number;
  totalSamples: number;
  bodyBytesMean: number;
}

export type LoadgenMessage =
  | { type: 'ready'; pregenerated: number; pregenMs: number }
  | { type: 'window-start' }
  | { type: 'window-end' }
  | LoadgenResult;

function send(message: LoadgenMessage, then?: () => void): void {
  process.send?.(message, undefined, {}, then);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

interface Answer {
  status: number;
  text: string;
}

async function run(config: LoadgenConfig): Promise<void> {
  const target = new URL(config.url);
  const catalogue = seriesCatalogue(config.containers);
  const points = pointsPerSeries(config.batchSamples, catalogue.length);
  const shape: BatchShape = {
    catalogue,
    points,
    baseMs: config.baseMs,
    maxBatches: batchesBetween(config.baseMs, Date.now(), points),
  };
  const randoms = config.agents.map((_, i) => rng(0x9e3779b9 ^ (i + 1)));
  const body = async (agent: number, seq: number): Promise<Buffer> => {
    const random = randoms[agent] ?? Math.random;
    return gzipAsync(JSON.stringify(buildBatch(shape, seq, random)));
  };

  const pregenStart = performance.now();
  const bodies: Buffer[][] = await Promise.all(
    config.agents.map(async (_, agent) => {
      const list: Buffer[] = [];
      for (let seq = 1; seq <= config.pregenPerAgent; seq++) list.push(await body(agent, seq));
      return list;
    }),
  );
  const pregenMs = performance.now() - pregenStart;
  const pregenerated = bodies.reduce((n, list) => n + list.length, 0);
  const bodyBytesMean = bodies.flat().reduce((n, b) => n + b.length, 0) / Math.max(1, pregenerated);
  send({ type: 'ready', pregenerated, pregenMs });
  await new Promise<void>((resolve) => {
    process.once('message', () => {
      resolve();
    });
  });

  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: config.agents.length + 1 });
  const post = (payload: Buffer, credential: string): Promise<Answer> =>
    new Promise((resolve) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: '/api/v1/ingest',
          method: 'POST',
          agent: httpAgent,
          headers: {
            authorization: `Bearer ${credential}`,
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'content-length': payload.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (err) => {
            resolve({ status: 0, text: err.message });
          });
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error('request timeout (60 s)')));
      req.on('error', (err) => {
        resolve({ status: 0, text: err.message });
      });
      req.end(payload);
    });

  const startAt = performance.now();
  const windowStart = startAt + config.warmupS * 1000;
  const windowEnd = windowStart + config.seconds * 1000;
  const latencies: number[] = [];
  const errorsInWindow: Record<string, number> = {};
  const errorsTotal: Record<string, number> = {};
  const firstErrors: string[] = [];
  let batches = 0;
  let samples = 0;
  let duplicates = 0;
  let rejectedSamples = 0;
  let totalBatches = 0;
  let totalSamples = 0;
  let generatedLive = 0;

  const windowTimers = [
    setTimeout(
      () => {
        send({ type: 'window-start' });
      },
      Math.max(0, windowStart - performance.now()),
    ),
    setTimeout(
      () => {
        send({ type: 'window-end' });
      },
      Math.max(0, windowEnd - performance.now()),
    ),
  ];

  const runAgent = async (index: number): Promise<void> => {
    const agent = config.agents[index];
    if (!agent) return;
    let seq = 1;
    while (performance.now() < windowEnd) {
      let payload = bodies[index]?.[seq - 1];
      if (!payload) {
        payload = await body(index, seq);
        generatedLive += 1;
      }
      const t0 = performance.now();
      const answer = await post(payload, agent.credential);
      const t1 = performance.now();
      const inWindow = t1 >= windowStart && t1 <= windowEnd;
      if (answer.status === 200) {
        const result = JSON.parse(answer.text) as {
          samples: number;
          duplicate: boolean;
          rejectedSamples: number;
        };
        totalBatches += 1;
        totalSamples += result.samples;
        if (inWindow) {
          batches += 1;
          samples += result.samples;
          rejectedSamples += result.rejectedSamples;
          if (result.duplicate) duplicates += 1;
          latencies.push(t1 - t0);
        }
        seq += 1;
        continue;
      }
      const key = answer.status === 0 ? 'network' : String(answer.status);
      errorsTotal[key] = (errorsTotal[key] ?? 0) + 1;
      if (inWindow) errorsInWindow[key] = (errorsInWindow[key] ?? 0) + 1;
      if (firstErrors.length < 5) firstErrors.push(`${key}: ${answer.text.slice(0, 300)}`);
      // A refused batch is dropped like the real sender does; anything else is retried after a pause.
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) seq += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await Promise.all(config.agents.map((_, i) => runAgent(i)));
  for (const timer of windowTimers) clearTimeout(timer);
  httpAgent.destroy();

  latencies.sort((a, b) => a - b);
  send(
    {
      type: 'result',
      samplesPerBatch: shape.points * catalogue.length,
      seriesPerAgent: catalogue.length,
      pregenerated,
      pregenMs,
      generatedLive,
      windowMs: windowEnd - windowStart,
      batches,
      samples,
      duplicates,
      rejectedSamples,
      latencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? 0,
        mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
      },
      errorsInWindow,
      errorsTotal,
      firstErrors,
      totalBatches,
      totalSamples,
      bodyBytesMean,
    },
    () => {
      process.disconnect();
    },
  );
}

process.once('message', (message: LoadgenConfig) => {
  run(message).catch((err: unknown) => {
    console.error('load generator failed:', err);
    process.exit(1);
  });
});
