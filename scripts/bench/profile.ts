// Where the time of an ingest request goes, observed from outside the server code: every query of the
// server's pg clients is timed by statement (pg.Client.prototype.query is wrapped for the measured window
// only), waits for a pool connection are timed, and pg_stat_activity is sampled for what the server's
// connections are doing. Plus a single-thread microbenchmark of the per-batch CPU work in Node.
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { IngestBatchSchema } from '@emma/protocol';

const STATEMENTS: [string, RegExp][] = [
  ['BEGIN', /^BEGIN/],
  ['COMMIT', /^COMMIT/],
  ['ROLLBACK', /^ROLLBACK/],
  ['auth: find agent', /^SELECT .* FROM agents WHERE id = \$1/s],
  ['claim batch (ingest_batches)', /^INSERT INTO ingest_batches/],
  ['insert samples (unnest)', /^INSERT INTO samples/],
  ['update series last values', /^UPDATE series s SET last_ts/],
  ['touch agent', /^WITH prev AS \(SELECT status FROM agents/],
  ['pg_notify', /^SELECT pg_notify/],
  ['resolve series (upsert)', /^INSERT INTO series/],
];

export interface StatementStats {
  label: string;
  count: number;
  totalMs: number;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

/** Times the server's queries by statement until stop() is called. */
export function profileQueries(pool: pg.Pool): {
  stop(): { statements: StatementStats[]; poolWait: StatementStats };
} {
  const stats = new Map<string, StatementStats>();
  const record = (label: string, ms: number): void => {
    const entry = stats.get(label) ?? { label, count: 0, totalMs: 0 };
    entry.count += 1;
    entry.totalMs += ms;
    stats.set(label, entry);
  };
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]): unknown {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
    const result = original.apply(this, args);
    if (typeof text !== 'string' || !(result instanceof Promise)) return result;
    const trimmed = text.trimStart();
    const label = STATEMENTS.find(([, re]) => re.test(trimmed))?.[0];
    if (label === undefined) return result;
    const started = performance.now();
    return result.finally(() => {
      record(label, performance.now() - started);
    });
  };

  const poolWait: StatementStats = { label: 'wait for a pool connection', count: 0, totalMs: 0 };
  const poolObject = pool as unknown as { connect: (...args: unknown[]) => unknown };
  const hadOwnConnect = Object.prototype.hasOwnProperty.call(poolObject, 'connect');
  const ownConnect = poolObject.connect;
  poolObject.connect = function (this: unknown, ...args: unknown[]): unknown {
    const started = performance.now();
    const done = (): void => {
      poolWait.count += 1;
      poolWait.totalMs += performance.now() - started;
    };
    const callback = args[0];
    if (typeof callback === 'function') {
      return ownConnect.call(this, (...cbArgs: unknown[]) => {
        done();
        return (callback as (...a: unknown[]) => unknown)(...cbArgs);
      });
    }
    const result = ownConnect.apply(this, args);
    if (result instanceof Promise) return result.finally(done);
    return result;
  };

  return {
    stop() {
      proto.query = original;
      if (hadOwnConnect) poolObject.connect = ownConnect;
      else delete (poolObject as { connect?: unknown }).connect;
      return { statements: [...stats.values()], poolWait };
    },
  };
}

export interface ActivitySummary {
  samples: number;
  /** Average number of the server's connections in each state (wait event when active). */
  states: { state: string; avgConnections: number }[];
  backendTypes: Map<number, string>;
}

export interface ActivitySampler {
  /** Resolves after the first sample, once the server's processes are known. */
  ready: Promise<void>;
  /** Every PostgreSQL process seen so far (all backend types). */
  pids(): number[];
  /** Forgets the states counted so far (e.g. the warm-up's). */
  reset(): void;
  stop(): Promise<ActivitySummary>;
}

/** Samples pg_stat_activity every intervalMs on its own connection until stop(). */
export function sampleActivity(databaseUrl: string, intervalMs = 200): ActivitySampler {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'emma-bench-sampler' });
  const counts = new Map<string, number>();
  const backendTypes = new Map<number, string>();
  let samples = 0;
  const flag = { running: true };
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const loop = (async () => {
    await client.connect();
    const own = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ownPid = own.rows[0]?.pid;
    if (ownPid !== undefined) backendTypes.set(ownPid, 'client backend (bench sampler)');
    while (flag.running) {
      const started = performance.now();
      const result = await client.query<{
        pid: number;
        backend_type: string | null;
        application_name: string | null;
        state: string | null;
        wait_event_type: string | null;
        wait_event: string | null;
      }>(
        `SELECT pid, backend_type, application_name, state, wait_event_type, wait_event
         FROM pg_stat_activity WHERE pid <> pg_backend_pid()`,
      );
      samples += 1;
      for (const row of result.rows) {
        const type =
          row.backend_type === 'client backend'
            ? `client backend (${row.application_name ?? '?'})`
            : row.backend_type;
        backendTypes.set(row.pid, type ?? 'unknown');
        if (row.application_name !== 'emma') continue;
        const state =
          row.state === 'active'
            ? row.wait_event_type
              ? `active, waiting ${row.wait_event_type}:${row.wait_event ?? ''}`
              : 'active, on CPU'
            : (row.state ?? 'unknown');
        counts.set(state, (counts.get(state) ?? 0) + 1);
      }
      markReady();
      const rest = intervalMs - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  })();
  const finished = loop.catch(() => undefined).finally(markReady);
  return {
    ready,
    pids: () => [...backendTypes.keys()],
    reset() {
      counts.clear();
      samples = 0;
    },
    async stop() {
      flag.running = false;
      await finished;
      await client.end().catch(() => undefined);
      return {
        samples,
        states: [...counts.entries()]
          .map(([state, n]) => ({ state, avgConnections: n / Math.max(1, samples) }))
          .sort((a, b) => b.avgConnections - a.avgConnections),
        backendTypes,
      };
    },
  };
}

export interface MicroResult {
  step: string;
  ms: number;
}

/** Per-batch Node CPU of the steps the server runs before its SQL, on one representative body. */
export function microbench(body: Buffer, iterations = 200): MicroResult[] {
  const time = (fn: () => unknown): number => {
    for (let i = 0; i < 10; i++) fn();
    const started = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    return (performance.now() - started) / iterations;
  };
  const json = gunzipSync(body).toString('utf8');
  const parsed: unknown = JSON.parse(json);
  const batch = IngestBatchSchema.parse(parsed);
  const ids: number[] = [];
  const ts: number[] = [];
  const values: number[] = [];
  batch.series.forEach((series, i) => {
    for (const [t, v] of series.points) {
      ids.push(i + 1);
      ts.push(t);
      values.push(v);
    }
  });
  // pg's own serialisation of array parameters (each element quoted and escaped).
  const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils') as {
    prepareValue: (value: unknown) => string;
  };
  return [
    { step: 'gunzip', ms: time(() => gunzipSync(body)) },
    { step: 'JSON.parse', ms: time(() => JSON.parse(json)) },
    { step: 'zod IngestBatchSchema.safeParse', ms: time(() => IngestBatchSchema.safeParse(parsed)) },
    {
      step: 'build the three arrays',
      ms: time(() => {
        const a: number[] = [];
        const b: number[] = [];
        const c: number[] = [];
        batch.series.forEach((series, i) => {
          for (const [t, v] of series.points) {
            a.push(i + 1);
            b.push(t);
            c.push(v);
          }
        });
        return a.length + b.length + c.length;
      }),
    },
    {
      step: 'pg: array parameters to text (prepareValue)',
      ms: time(() => prepareValue(ids).length + prepareValue(ts).length + prepareValue(values).length),
    },
  ];
}
