// History query benchmark: a fleet's history generated into the store (raw samples for the newest hours,
// 1-minute and 1-hour rollups for the days before, the newest rolled up by the real rollup job), then charts
// read through GET /api/v1/series/query on a warm eMMA server, and the storage each row takes. Prints
// figures; not a test. Everything stays on 127.0.0.1 and all it starts is stopped and removed.
//
//   npm run bench:query
//   BENCH_AGENTS=20 BENCH_DAYS=7 BENCH_RAW_HOURS=6 BENCH_REQUESTS=100 npm run bench:query
//
// Settings: BENCH_AGENTS (100), BENCH_METRICS (20 per agent), BENCH_DAYS (30 of history), BENCH_RAW_HOURS
// (24 of raw samples at 10 s), BENCH_REQUESTS (200 measured per case), BENCH_WARMUP (20), BENCH_CONCURRENCY
// (4), BENCH_DATABASE_URL (a PostgreSQL server to create a scratch database on; default: an embedded one).
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../backend/src/db/embedded';
import { createLogger } from '../backend/src/logger';
import { runRollups, type RollupRun } from '../backend/src/modules/history/rollup';
import { chooseTier } from '../backend/src/modules/history/tiers';
import { startServer, type EmmaServer } from '../backend/src/server';
import { freePort, withDatabase } from '../backend/test/support';
import { apiClient } from './bench/api';
import { numEnv } from './bench/env';
import {
  DAY_MS,
  HOUR_MS,
  METRICS,
  RAW_INTERVAL_S,
  createFleet,
  insertRaw,
  insertRollup,
  storageOf,
  type TableStorage,
} from './bench/query-data';
import { runScenario, summarize, type ScenarioResult } from './bench/query-measure';
import { runBenchmark } from './bench/run';
import { benchServerConfig } from './bench/server-config';

const settings = {
  agents: numEnv('BENCH_AGENTS', 100, 1),
  metrics: numEnv('BENCH_METRICS', 20, 1),
  days: numEnv('BENCH_DAYS', 30, 1),
  rawHours: numEnv('BENCH_RAW_HOURS', 24, 1),
  requests: numEnv('BENCH_REQUESTS', 200, 1),
  warmup: numEnv('BENCH_WARMUP', 20, 0),
  concurrency: numEnv('BENCH_CONCURRENCY', 4, 1),
  genConnections: numEnv('BENCH_GEN_CONNECTIONS', 2, 1),
  databaseUrl: process.env.BENCH_DATABASE_URL?.trim() || undefined,
};
if (settings.rawHours > settings.days * 24)
  throw new Error('BENCH_RAW_HOURS must not exceed BENCH_DAYS × 24');

const ADMIN_EMAIL = 'bench-admin@example.test';
const ADMIN_PASSWORD = `Bench-${randomBytes(12).toString('base64url')}-9`;
const MINUTE_MS = 60_000;
/** The generating sessions: big sorts in memory, no wait for the WAL flush, no JIT compiling. */
const GEN_SETTINGS = [`SET work_mem = '256MB'`, 'SET synchronous_commit = off', 'SET jit = off'];
/** The host view's charts (the first five metrics of the catalogue). */
const HOST_VIEW = METRICS.slice(0, Math.min(5, settings.metrics)).map((m) => m.metric);

// ---------------------------------------------------------------------------------------------- helpers

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const seconds = (ms: number): string => `${fmt(ms / 1000, 1)} s`;
const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20, 1)} MiB`;
const floorTo = (ms: number, width: number): number => Math.floor(ms / width) * width;

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: string[]): string =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

const cleanups: (() => Promise<unknown>)[] = [];

let cleaning: Promise<void> | undefined;

/** Undoes what the run started, once (a signal and the failing main both ask for it). */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop();
      await step?.().catch((err: unknown) => {
        console.error('cleanup step failed:', err);
      });
    }
  })();
  return cleaning;
}

// ---------------------------------------------------------------------------------------------- phases

/** A PostgreSQL for the run: the embedded one in a temp directory, or a scratch database on BENCH_DATABASE_URL. */
async function database(tmp: string, logger: ReturnType<typeof createLogger>): Promise<string> {
  if (settings.databaseUrl) {
    const adminUrl = settings.databaseUrl;
    const name = `emma_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    cleanups.push(async () => {
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    });
    return withDatabase(adminUrl, name);
  }
  const embedded = await startEmbeddedPostgres(path.join(tmp, 'pg'), await freePort(), logger, 'emma_bench');
  cleanups.push(async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await embedded.stop();
  });
  // A bulk load of several GB: checkpoints every 1 GB of WAL (the default) would double what is written.
  // Reloadable settings only; the queries measured later read and do not depend on them.
  const tune = new pg.Client({ connectionString: embedded.url });
  await tune.connect();
  try {
    await tune.query(`ALTER SYSTEM SET max_wal_size = '16GB'`);
    await tune.query(`ALTER SYSTEM SET checkpoint_timeout = '30min'`);
    await tune.query('SELECT pg_reload_conf()');
  } catch (err) {
    console.log(`  (could not raise max_wal_size: ${(err as Error).message})`);
  } finally {
    await tune.end();
  }
  return embedded.url;
}

interface RollupTiming {
  label: string;
  run: RollupRun;
  ms: number;
}

async function rollUp(pool: pg.Pool, label: string, now: number): Promise<RollupTiming> {
  const { value, ms } = await timed(() => runRollups(pool, { now: new Date(now), budgetMs: 3_600_000 }));
  if (!value.caughtUp) throw new Error(`rollups did not catch up (${label})`);
  return { label, run: value, ms };
}

/** Raw samples from the end of the data to now (a 10 s boundary), then a rollup run, as the worker would. */
async function topUp(
  server: EmmaServer,
  gen: pg.Client,
  worker: pg.Pool,
  dataEnd: number,
): Promise<{ end: number; rows: number }> {
  const end = floorTo(Date.now(), RAW_INTERVAL_S * 1000);
  if (end <= dataEnd) return { end: dataEnd, rows: 0 };
  await server.partitions.ensureDays([dataEnd, end]);
  const rows = await insertRaw(gen, dataEnd, end);
  await runRollups(worker, { now: new Date(end) });
  return { end, rows };
}

interface Scenario {
  name: string;
  range: number;
  metrics: readonly string[];
  maxPoints?: number;
  target?: number;
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const started = new Date();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'emma-bench-query-'));
  // As root, the embedded PostgreSQL runs as 'postgres', which must be able to enter this directory.
  await chmod(tmp, 0o755);
  cleanups.push(() => rm(tmp, { recursive: true, force: true }));
  const logger = createLogger(process.env.EMMA_LOG_LEVEL ?? 'warn');
  const seriesCount = settings.agents * settings.metrics;

  console.log(`eMMA history query benchmark, ${started.toISOString()}`);
  console.log(`  machine: ${machineLine()}`);
  console.log(
    `  ${settings.agents} agents × ${settings.metrics} metrics = ${fmt(seriesCount)} series; ${settings.days} d of history, the newest ${settings.rawHours} h as raw samples every ${RAW_INTERVAL_S} s`,
  );

  const databaseUrl = await database(tmp, logger);
  const config = benchServerConfig({
    tmp,
    databaseUrl,
    admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  // The API only: this script runs the rollups itself, at the instants it chooses.
  const server = await startServer(config, logger);
  cleanups.push(() => server.close());
  const retention = config.history.retention;

  const gen = new pg.Client({ connectionString: databaseUrl, application_name: 'emma-bench-gen' });
  await gen.connect();
  cleanups.push(() => gen.end());
  for (const sql of GEN_SETTINGS) await gen.query(sql);
  // The worker's connections for runRollups (a pool of its own, as the worker role has).
  const worker = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    application_name: 'emma-bench-worker',
  });
  cleanups.push(() => worker.end());

  const pgInfo = (
    await gen.query<{ version: string; sb: string; jit: string; jac: string; ecs: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS sb,
         current_setting('jit') AS jit, current_setting('jit_above_cost') AS jac,
         current_setting('effective_cache_size') AS ecs`,
    )
  ).rows[0];
  console.log(
    `  PostgreSQL ${pgInfo?.version ?? '?'} (${settings.databaseUrl ? 'BENCH_DATABASE_URL' : 'embedded'}; shared_buffers ${pgInfo?.sb ?? '?'}, effective_cache_size ${pgInfo?.ecs ?? '?'}, jit ${pgInfo?.jit ?? '?'} above cost ${pgInfo?.jac ?? '?'}); server ${server.url}, pool ${config.database.poolMax}`,
  );
  console.log(
    `  retention: raw ${retention.rawDays} d, 1-minute ${retention.minuteDays} d, 1-hour ${retention.hourDays} d`,
  );

  // ------------------------------------------------------------------------------------ generation
  console.log('');
  console.log('## Generating the data');
  const genStarted = performance.now();
  const fleet = await timed(() => createFleet(gen, settings.agents, settings.metrics));
  const agents = fleet.value;
  console.log(`  ${fmt(agents.length)} agents, ${fmt(seriesCount)} series in ${seconds(fleet.ms)}`);

  const t0 = Date.now();
  /** Raw samples start here; rollup rows before it are generated in SQL. */
  const rawStart = floorTo(t0 - settings.rawHours * HOUR_MS, HOUR_MS);
  const historyStart = floorTo(t0 - settings.days * DAY_MS, HOUR_MS);
  const hours: number[] = [];
  for (let h = historyStart; h < rawStart; h += HOUR_MS) hours.push(h);

  await server.partitions.ensure(['samples_1m', 'samples_1h'], hours);
  let hourRows = 0;
  const oneHour = await timed(async () => {
    for (let d = historyStart; d < rawStart; d += DAY_MS) {
      hourRows += await insertRollup(gen, '1h', d, Math.min(d + DAY_MS, rawStart));
    }
  });
  console.log(
    `  samples_1h, generated: ${fmt(hourRows)} rows (${fmt(hours.length)} h before the raw window) in ${seconds(oneHour.ms)} (${fmt(hourRows / (oneHour.ms / 1000))} rows/s)`,
  );

  // The bulk of the data: an hour per statement on BENCH_GEN_CONNECTIONS connections (one per core).
  const helpers = [gen];
  for (let i = 1; i < settings.genConnections; i += 1) {
    const helper = new pg.Client({ connectionString: databaseUrl, application_name: 'emma-bench-gen' });
    await helper.connect();
    cleanups.push(() => helper.end());
    for (const sql of GEN_SETTINGS) await helper.query(sql);
    helpers.push(helper);
  }
  let minuteRows = 0;
  let hoursDone = 0;
  const oneMinute = await timed(async () => {
    let lastReport = performance.now();
    const queue = [...hours];
    await Promise.all(
      helpers.map(async (db) => {
        for (let h = queue.shift(); h !== undefined; h = queue.shift()) {
          const rows = await insertRollup(db, '1m', h, h + HOUR_MS);
          minuteRows += rows;
          hoursDone += 1;
          if (performance.now() - lastReport > 30_000) {
            lastReport = performance.now();
            console.log(`    … samples_1m: ${hoursDone} of ${hours.length} hours, ${fmt(minuteRows)} rows`);
          }
        }
      }),
    );
  });
  console.log(
    `  samples_1m, generated: ${fmt(minuteRows)} rows in ${seconds(oneMinute.ms)} (${fmt(minuteRows / (oneMinute.ms / 1000))} rows/s)`,
  );

  // Raw samples from the raw window's start to now (10 s aligned), an hour per statement.
  let dataEnd = floorTo(Date.now(), RAW_INTERVAL_S * 1000);
  const rawDays: number[] = [];
  for (let d = floorTo(rawStart, DAY_MS); d < dataEnd; d += DAY_MS) rawDays.push(d);
  await server.partitions.ensureDays(rawDays);
  let rawRows = 0;
  const raw = await timed(async () => {
    for (let h = rawStart; h < dataEnd; h += HOUR_MS)
      rawRows += await insertRaw(gen, h, Math.min(h + HOUR_MS, dataEnd));
  });
  const rawSpanH = (dataEnd - rawStart) / HOUR_MS;
  console.log(
    `  samples (raw): ${fmt(rawRows)} rows (${fmt(rawSpanH, 2)} h × ${fmt(seriesCount)} series every ${RAW_INTERVAL_S} s) in ${seconds(raw.ms)} (${fmt(rawRows / (raw.ms / 1000))} rows/s)`,
  );

  // The real rollup job over the raw window: the rows before it are generated, so its progress starts there.
  await gen.query(
    `INSERT INTO rollup_progress (rollup, done_until) VALUES ('samples_1m', $1), ('samples_1h', $1)
     ON CONFLICT (rollup) DO UPDATE SET done_until = EXCLUDED.done_until`,
    [new Date(rawStart)],
  );
  const rollups: RollupTiming[] = [];
  // Everything but the last 70 minutes (the catch-up after, say, a worker outage of a day) …
  const catchUpEnd = dataEnd - 70 * MINUTE_MS;
  if (catchUpEnd > rawStart + 2 * MINUTE_MS) {
    rollups.push(
      await rollUp(
        worker,
        `catch-up of ${fmt((catchUpEnd - rawStart) / HOUR_MS, 1)} h (worker was down)`,
        catchUpEnd,
      ),
    );
  }
  // … then exactly one hour (60 minutes of 1m buckets, one 1h bucket) …
  const hourEnd = dataEnd - 10 * MINUTE_MS;
  if (hourEnd - 60 * MINUTE_MS >= rawStart) {
    rollups.push(await rollUp(worker, 'catch-up of 1 h', hourEnd));
  }
  // … then minute by minute: the steady state, a run per minute.
  const steady: RollupTiming[] = [];
  for (let k = 9; k >= 0; k -= 1) {
    const now = dataEnd - k * MINUTE_MS;
    if (now - MINUTE_MS >= rawStart) steady.push(await rollUp(worker, `one minute (run ${10 - k})`, now));
  }
  const rolledRows1m = [...rollups, ...steady].reduce((n, r) => n + r.run.rows.samples_1m, 0);
  const rolledRows1h = [...rollups, ...steady].reduce((n, r) => n + r.run.rows.samples_1h, 0);
  console.log(
    `  rollups by runRollups over the raw window: ${fmt(rolledRows1m)} samples_1m rows, ${fmt(rolledRows1h)} samples_1h rows`,
  );
  const generationMs = performance.now() - genStarted;
  console.log(`  generation in all: ${seconds(generationMs)}`);

  const vacuum = await timed(() => gen.query('VACUUM (ANALYZE)'));
  console.log(`  VACUUM (ANALYZE): ${seconds(vacuum.ms)}`);
  await gen.query('CHECKPOINT');

  // ------------------------------------------------------------------------------------ storage
  const storage: TableStorage[] = [];
  for (const t of ['samples', 'samples_1m', 'samples_1h']) storage.push(await storageOf(gen, t));
  const perRow = (t: TableStorage): number => (t.rows > 0 ? t.bytes / t.rows : Number.NaN);
  const [rawStore, minuteStore, hourStore] = storage as [TableStorage, TableStorage, TableStorage];
  const perAgentPerDay = {
    raw: settings.metrics * (86_400 / RAW_INTERVAL_S) * perRow(rawStore),
    minute: settings.metrics * 1440 * perRow(minuteStore),
    hour: settings.metrics * 24 * perRow(hourStore),
  };
  const agentKept = {
    raw: perAgentPerDay.raw * retention.rawDays,
    minute: perAgentPerDay.minute * retention.minuteDays,
    hour: perAgentPerDay.hour * Math.min(365, retention.hourDays),
    hourFull: perAgentPerDay.hour * retention.hourDays,
  };

  // ------------------------------------------------------------------------------------ queries
  const call = apiClient(server.url);
  const login = (): Promise<{ accessToken: string }> =>
    call<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
  const spanDays = settings.days;
  const scenarios: Scenario[] = [
    {
      name: `${spanDays} d, 1 chart, step picked by the server`,
      range: spanDays * DAY_MS,
      metrics: ['cpu.percent'],
      target: 100,
    },
    {
      name: `${spanDays} d, 1 chart, maxPoints=1000 (the dashboard's chart)`,
      range: spanDays * DAY_MS,
      metrics: ['cpu.percent'],
      maxPoints: 1000,
      target: 100,
    },
    {
      name: `${spanDays} d, host view (${HOST_VIEW.length} charts in one request), step by the server`,
      range: spanDays * DAY_MS,
      metrics: HOST_VIEW,
    },
    {
      name: `${spanDays} d, host view (${HOST_VIEW.length} charts in one request), maxPoints=1000`,
      range: spanDays * DAY_MS,
      metrics: HOST_VIEW,
      maxPoints: 1000,
    },
    { name: '24 h, 1 chart', range: DAY_MS, metrics: ['cpu.percent'], target: 50 },
    {
      name: `24 h, host view (${HOST_VIEW.length} charts in one request)`,
      range: DAY_MS,
      metrics: HOST_VIEW,
    },
    { name: '1 h, 1 chart (raw samples)', range: HOUR_MS, metrics: ['cpu.percent'] },
  ];
  console.log('');
  console.log(
    `## Queries: ${settings.requests} requests per case after ${settings.warmup} warm-up, a random agent each; sequential, then ${settings.concurrency} at once`,
  );
  /** What the tier rule (history/tiers.ts) should answer for this range (30 d: 1m/1800, or 1h/3600 at 1000 points). */
  const expected = (scenario: Scenario): string => {
    const nowMs = Date.now();
    const choice = chooseTier({
      fromMs: nowMs - scenario.range,
      toMs: nowMs,
      nowMs,
      maxPoints: scenario.maxPoints,
      retention,
    });
    return `${choice.tier}/${choice.stepS ?? 'raw'}`;
  };
  const loadLine = (): string =>
    os
      .loadavg()
      .map((n) => fmt(n, 1))
      .join(' ');
  const loadBefore = loadLine();
  const results: {
    scenario: Scenario;
    expect: string;
    load: string;
    sequential: ScenarioResult;
    concurrent: ScenarioResult;
  }[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const top = await topUp(server, gen, worker, dataEnd);
    dataEnd = top.end;
    const { accessToken } = await login();
    const query = (agent: string): URLSearchParams => {
      const params = new URLSearchParams({
        agent,
        metric: scenario.metrics.join(','),
        from: new Date(Date.now() - scenario.range).toISOString(),
      });
      if (scenario.maxPoints !== undefined) params.set('maxPoints', String(scenario.maxPoints));
      return params;
    };
    const common = { baseUrl: server.url, token: accessToken, agents, query, requests: settings.requests };
    const sequential = await runScenario({
      ...common,
      warmup: settings.warmup,
      concurrency: 1,
      seed: 100 + i,
    });
    const concurrent = await runScenario({
      ...common,
      warmup: 0,
      concurrency: settings.concurrency,
      seed: 200 + i,
    });
    results.push({ scenario, expect: expected(scenario), load: loadLine(), sequential, concurrent });
    console.log(
      `  ${scenario.name}: p50 ${fmt(sequential.latency.p50, 1)} / p95 ${fmt(sequential.latency.p95, 1)} ms sequential; p95 ${fmt(concurrent.latency.p95, 1)} ms ×${settings.concurrency}`,
    );
  }

  // ------------------------------------------------------------------------------------ report
  const out: string[] = [''];
  out.push('## Data generated', '');
  out.push(
    table([
      ['table', 'how', 'rows', 'seconds', 'rows/s'],
      [
        'samples_1h',
        `SQL, ${fmt(hours.length)} h before the raw window`,
        fmt(hourRows),
        fmt(oneHour.ms / 1000, 1),
        fmt(hourRows / (oneHour.ms / 1000)),
      ],
      [
        'samples_1m',
        `SQL, ${fmt(hours.length)} h, one statement per hour`,
        fmt(minuteRows),
        fmt(oneMinute.ms / 1000, 1),
        fmt(minuteRows / (oneMinute.ms / 1000)),
      ],
      [
        'samples (raw)',
        `SQL, ${fmt(rawSpanH, 1)} h at ${RAW_INTERVAL_S} s, time-major`,
        fmt(rawRows),
        fmt(raw.ms / 1000, 1),
        fmt(rawRows / (raw.ms / 1000)),
      ],
      [
        'samples_1m + samples_1h over the raw window',
        'runRollups (the worker job)',
        fmt(rolledRows1m + rolledRows1h),
        '',
        '',
      ],
    ]),
  );
  out.push(
    '',
    `generation in all ${seconds(generationMs)}; VACUUM (ANALYZE) ${seconds(vacuum.ms)}; rows written while measuring (top-ups): kept out of the figures below`,
  );

  out.push('', '## Rollup job (runRollups, all series, one worker)', '');
  const steadyMs = summarize(steady.map((s) => s.ms));
  out.push(
    table([
      ['run', 'ms', 'samples_1m rows', 'samples_1h rows'],
      ...rollups.map((r) => [r.label, fmt(r.ms, 0), fmt(r.run.rows.samples_1m), fmt(r.run.rows.samples_1h)]),
      ...(steady.length > 0
        ? [
            [
              `one minute of new data (${steady.length} runs): median / max`,
              `${fmt(steadyMs.p50, 0)} / ${fmt(steadyMs.max, 0)}`,
              fmt(steady[0]?.run.rows.samples_1m ?? 0),
              fmt(Math.max(...steady.map((s) => s.run.rows.samples_1h))),
            ],
          ]
        : []),
    ]),
  );
  const catchUp = rollups[0];
  if (catchUp && rollups.length > 1) {
    const h = (catchUpEnd - rawStart) / HOUR_MS;
    out.push('', `catch-up rate: ${fmt(catchUp.ms / h, 0)} ms per hour of data (${fmt(h, 1)} h)`);
  }

  out.push('', '## Storage (all partitions: heap + indexes + TOAST, after VACUUM)', '');
  out.push(
    table([
      ['table', 'partitions', 'rows', 'size', 'of it indexes', 'bytes per row'],
      ...storage.map((t) => [
        t.table,
        fmt(t.partitions),
        fmt(t.rows),
        mib(t.bytes),
        mib(t.indexBytes),
        fmt(perRow(t), 1),
      ]),
    ]),
  );
  out.push(
    '',
    `One agent (${settings.metrics} series at ${RAW_INTERVAL_S} s) at the default retention (raw ${retention.rawDays} d, 1m ${retention.minuteDays} d, 1h ${retention.hourDays} d):`,
  );
  out.push(
    table([
      ['tier', 'per day', 'kept'],
      ['raw', mib(perAgentPerDay.raw), mib(agentKept.raw)],
      ['1-minute', mib(perAgentPerDay.minute), mib(agentKept.minute)],
      [
        `1-hour (one year / all ${retention.hourDays} d)`,
        mib(perAgentPerDay.hour),
        `${mib(agentKept.hour)} / ${mib(agentKept.hourFull)}`,
      ],
      ['agent-year (raw + 1m + one year of 1h)', '', mib(agentKept.raw + agentKept.minute + agentKept.hour)],
      [
        `steady state (raw + 1m + ${retention.hourDays} d of 1h)`,
        '',
        mib(agentKept.raw + agentKept.minute + agentKept.hourFull),
      ],
    ]),
  );

  out.push('', '## GET /api/v1/series/query (ms from request to parsed body)', '');
  out.push(
    table([
      [
        'case',
        'tier/step (expected)',
        'points per series',
        'p50',
        'p95',
        'p99',
        'max',
        `p50 ×${settings.concurrency}`,
        `p95 ×${settings.concurrency}`,
        `p99 ×${settings.concurrency}`,
        `req/s ×${settings.concurrency}`,
        'load 1/5/15 min after',
      ],
      ...results.map(({ scenario, expect, load, sequential: s, concurrent: c }) => [
        scenario.name,
        `${[...s.tiers].join(', ')} (${expect})`,
        s.minPoints === s.maxPoints ? fmt(s.minPoints) : `${fmt(s.minPoints)}–${fmt(s.maxPoints)}`,
        fmt(s.latency.p50, 1),
        fmt(s.latency.p95, 1),
        fmt(s.latency.p99, 1),
        fmt(s.latency.max, 1),
        fmt(c.latency.p50, 1),
        fmt(c.latency.p95, 1),
        fmt(c.latency.p99, 1),
        fmt(c.perS, 1),
        load,
      ]),
    ]),
  );
  out.push(
    '',
    `machine load average (1/5/15 min) before the queries: ${loadBefore}; the server, PostgreSQL and this client share ${os.cpus().length} cores with whatever else runs`,
  );
  const empty = results.filter((r) => r.sequential.minPoints === 0);
  if (empty.length > 0)
    out.push('', `WARNING: answers without points in: ${empty.map((r) => r.scenario.name).join('; ')}`);

  out.push('', '## Targets (sequential requests)', '');
  out.push(
    table([
      ['target', 'measured p95', 'verdict'],
      ...results
        .filter((r) => r.scenario.target !== undefined)
        .map(({ scenario, sequential }) => [
          `${scenario.name}: p95 < ${scenario.target ?? 0} ms`,
          `${fmt(sequential.latency.p95, 1)} ms`,
          sequential.latency.p95 < (scenario.target ?? 0) ? 'PASS' : 'MISS',
        ]),
    ]),
  );
  console.log(out.join('\n'));
}

await runBenchmark('bench-query', main, cleanup, 60 * 60_000);
