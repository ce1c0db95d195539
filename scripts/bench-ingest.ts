// Ingest benchmark: a real eMMA server on its own PostgreSQL, N simulated agents posting gzip batches
// through POST /api/v1/ingest, then the same rows written by bare SQL for comparison, then the real
// agent (agent/src/main.ts) against the same server for its RSS and CPU. Prints figures; not a test.
// Everything stays on 127.0.0.1, every phase is bounded in time, and all it starts is stopped and removed.
//
//   npm run bench:ingest
//   BENCH_AGENTS=40 BENCH_BATCH_SAMPLES=10000 BENCH_SECONDS=60 npm run bench:ingest
//
// See docs/performance.md for every setting and the figures measured so far.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import pg from 'pg';
import { startEmbeddedPostgres } from '../backend/src/db/embedded';
import { migrate } from '../backend/src/db/migrate';
import { createLogger } from '../backend/src/logger';
import { startServer, type EmmaServer } from '../backend/src/server';
import { bundleAgent, startAgent, type AgentRunResult } from './bench/agent-run';
import { BARE_METHODS, bareRows, daysOf, runBare, type BareResult } from './bench/bare';
import type { LoadgenConfig, LoadgenMessage, LoadgenResult } from './bench/loadgen';
import { DAY_MS, buildBatch, pointsPerSeries, rng, seriesCatalogue } from './bench/payload';
import { CpuTracker, topSnapshot, waitForQuiet } from './bench/procstat';
import {
  microbench,
  profileQueries,
  sampleActivity,
  type ActivitySummary,
  type StatementStats,
} from './bench/profile';
import { freePort, withDatabase } from '../backend/test/support';
import { numEnv } from './bench/env';
import { runBenchmark } from './bench/run';
import { benchServerConfig } from './bench/server-config';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ADMIN_EMAIL = 'bench-admin@example.test';
const ADMIN_PASSWORD = `Bench-${randomBytes(12).toString('base64url')}-9`;

const settings = {
  agents: numEnv('BENCH_AGENTS', 20, 1, false),
  batchSamples: numEnv('BENCH_BATCH_SAMPLES', 5000, 1, false),
  seconds: numEnv('BENCH_SECONDS', 30, 1, false),
  warmupS: numEnv('BENCH_WARMUP_SECONDS', 5, 0, false),
  containers: numEnv('BENCH_CONTAINERS', 3, 0, false),
  pregenRate: numEnv('BENCH_PREGEN_RATE', 300_000, 0, false),
  quietPct: numEnv('BENCH_QUIET_PCT', 15, 0, false),
  quietWaitS: numEnv('BENCH_QUIET_WAIT_SECONDS', 120, 0, false),
  bare: numEnv('BENCH_BARE', 1, 0, false) > 0,
  bareMaxRows: numEnv('BENCH_BARE_MAX_ROWS', 6_000_000, 1, false),
  agentSeconds: numEnv('BENCH_AGENT_SECONDS', 30, 0, false),
  agentSettleS: numEnv('BENCH_AGENT_SETTLE_SECONDS', 5, 0, false),
  agentNodeFlags: (process.env.BENCH_AGENT_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
  databaseUrl: process.env.BENCH_DATABASE_URL?.trim() || undefined,
  jsonOut: process.env.BENCH_JSON?.trim() || undefined,
};

// ---------------------------------------------------------------------------------------------- helpers

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: string[]): string =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function api<T>(
  server: EmmaServer,
  method: string,
  route: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

function waitForMessage<T>(child: ChildProcess, accept: (message: unknown) => message is T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`child ${child.pid ?? '?'} exited (code ${code ?? 'signal'}) before answering`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function isType<T extends { type: string }>(type: T['type']) {
  return (message: unknown): message is T =>
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------- phases

interface LoadPhase {
  result: LoadgenResult;
  busyBeforePct: number | undefined;
  serverCpuS: number;
  loadgenCpuS: number;
  postgresCpu: { group: string; cpuS: number }[];
  machine: ReturnType<CpuTracker['machine']>;
  wallS: number;
  eventLoopUtilization: number;
  statements: StatementStats[];
  poolWait: StatementStats;
  activity: ActivitySummary | undefined;
  walBytes: number | undefined;
  checkpoints: number | undefined;
  top: string | undefined;
}

async function walLsn(db: pg.Pool): Promise<string | undefined> {
  try {
    return (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn;
  } catch {
    return undefined;
  }
}

async function checkpointCount(db: pg.Pool): Promise<number | undefined> {
  for (const sql of [
    'SELECT num_timed + num_requested AS n FROM pg_stat_checkpointer',
    'SELECT checkpoints_timed + checkpoints_req AS n FROM pg_stat_bgwriter',
  ]) {
    try {
      return Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
    } catch {
      // the other view, on another PostgreSQL version
    }
  }
  return undefined;
}

async function runLoad(
  server: EmmaServer,
  db: pg.Pool,
  databaseUrl: string,
  agents: { agentId: string; credential: string }[],
  baseMs: number,
  postmasterPid: number | undefined,
): Promise<LoadPhase> {
  const catalogue = seriesCatalogue(settings.containers);
  const perBatch = pointsPerSeries(settings.batchSamples, catalogue.length) * catalogue.length;
  const pregenPerAgent =
    Math.ceil((settings.pregenRate * (settings.warmupS + settings.seconds)) / perBatch / agents.length) + 2;
  const child = fork(path.join(HERE, 'bench', 'loadgen.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  const config: LoadgenConfig = {
    type: 'config',
    url: server.url,
    agents,
    batchSamples: settings.batchSamples,
    containers: settings.containers,
    baseMs,
    warmupS: settings.warmupS,
    seconds: settings.seconds,
    pregenPerAgent,
  };
  const ready = waitForMessage(child, isType<Extract<LoadgenMessage, { type: 'ready' }>>('ready'));
  child.send(config);
  const prepared = await ready;
  console.log(
    `  load generator ready: ${fmt(prepared.pregenerated)} gzip bodies prepared in ${fmt(prepared.pregenMs / 1000, 1)} s`,
  );
  await db.query('CHECKPOINT').catch(() => undefined);
  const quiet = await waitForQuiet(settings.quietPct, settings.quietWaitS);
  console.log(
    `  machine busy before the run: ${quiet.busyPct === undefined ? 'n/a' : `${fmt(quiet.busyPct, 0)} %`}${quiet.waitedS > 3 ? ` (waited ${fmt(quiet.waitedS, 0)} s for other work to calm down)` : ''}`,
  );

  const childPid = child.pid ?? -1;
  const activity = sampleActivity(databaseUrl);
  cleanups.push(() => activity.stop());
  await activity.ready;
  const tracker = new CpuTracker(
    () => [process.pid, childPid],
    () => [...activity.pids(), ...(postmasterPid === undefined ? [] : [postmasterPid])],
  );
  let profiler: ReturnType<typeof profileQueries> | undefined;
  let elu: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  let wal0: string | undefined;
  let checkpoints0: number | undefined;
  let topPromise: Promise<string | undefined> | undefined;
  let topTimer: NodeJS.Timeout | undefined;
  const windowEnded = new Promise<Omit<LoadPhase, 'result' | 'busyBeforePct'>>((resolve, reject) => {
    child.on('message', (message: LoadgenMessage) => {
      if (message.type === 'window-start') {
        console.log(`  measuring for ${settings.seconds} s …`);
        tracker.start();
        profiler = profileQueries(server.pool);
        activity.reset();
        elu = performance.eventLoopUtilization();
        void walLsn(db).then((lsn) => (wal0 = lsn));
        void checkpointCount(db).then((n) => (checkpoints0 = n));
        topTimer = setTimeout(
          () => {
            topPromise = topSnapshot();
          },
          (settings.seconds * 1000) / 2,
        );
      } else if (message.type === 'window-end') {
        tracker.stop();
        clearTimeout(topTimer);
        const profile = profiler?.stop();
        const eventLoop = elu ? performance.eventLoopUtilization(elu).utilization : 0;
        void (async () => {
          const summary = await activity.stop();
          const wal1 = await walLsn(db);
          let walBytes: number | undefined;
          if (wal0 && wal1) {
            const diff = await db.query<{ d: string }>('SELECT pg_wal_lsn_diff($1, $2)::text AS d', [
              wal1,
              wal0,
            ]);
            walBytes = Number(diff.rows[0]?.d);
          }
          const checkpoints1 = await checkpointCount(db);
          const groups = new Map<string, number>();
          for (const { pid, cpuS } of tracker.postgres()) {
            const group = summary.backendTypes.get(pid) ?? 'postmaster';
            groups.set(group, (groups.get(group) ?? 0) + cpuS);
          }
          resolve({
            serverCpuS: tracker.cpuOf(process.pid),
            loadgenCpuS: tracker.cpuOf(childPid),
            postgresCpu: [...groups.entries()]
              .map(([group, cpuS]) => ({ group, cpuS }))
              .sort((a, b) => b.cpuS - a.cpuS),
            machine: tracker.machine(),
            wallS: tracker.wallS,
            eventLoopUtilization: eventLoop,
            statements: profile?.statements ?? [],
            poolWait: profile?.poolWait ?? { label: 'wait for a pool connection', count: 0, totalMs: 0 },
            activity: summary,
            walBytes,
            checkpoints:
              checkpoints0 !== undefined && checkpoints1 !== undefined
                ? checkpoints1 - checkpoints0
                : undefined,
            top: await topPromise,
          });
        })().catch(reject);
      }
    });
  });
  const resultPromise = waitForMessage(child, isType<LoadgenResult>('result'));
  child.send({ type: 'start' });
  const result = await resultPromise;
  const observed = await windowEnded;
  await exited(child);
  children.delete(child);
  return { result, busyBeforePct: quiet.busyPct, ...observed };
}

// ---------------------------------------------------------------------------------------------- main

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<unknown>)[] = [];

async function cleanup(): Promise<void> {
  for (const child of children) child.kill();
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    await step?.().catch((err: unknown) => {
      console.error('cleanup step failed:', err);
    });
  }
}

function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const started = new Date();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'emma-bench-'));
  // As root, the embedded PostgreSQL runs as 'postgres', which must be able to enter this directory.
  await chmod(tmp, 0o755);
  cleanups.push(() => rm(tmp, { recursive: true, force: true }));
  const logger = createLogger(process.env.EMMA_LOG_LEVEL ?? 'warn');

  console.log(`eMMA ingest benchmark, ${started.toISOString()}`);
  console.log(`  machine: ${machineLine()}`);
  console.log('  the server, PostgreSQL and the load generator all share these cores.');

  // PostgreSQL: the embedded one in a temp directory, or a fresh database on BENCH_DATABASE_URL's server.
  let databaseUrl: string;
  let postmasterPid: number | undefined;
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
    databaseUrl = withDatabase(adminUrl, name);
  } else {
    const embedded = await startEmbeddedPostgres(
      path.join(tmp, 'pg'),
      await freePort(),
      logger,
      'emma_bench',
    );
    cleanups.push(async () => {
      // pg's pool.end() resolves before its sockets are closed; stopping PostgreSQL at once makes the
      // server's pool log "terminating connection due to administrator command".
      await new Promise((resolve) => setTimeout(resolve, 500));
      await embedded.stop();
    });
    databaseUrl = embedded.url;
    try {
      postmasterPid = Number(
        readFileSync(path.join(tmp, 'pg', 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
    } catch {
      postmasterPid = undefined;
    }
  }
  await migrate(databaseUrl, 'up', logger);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'emma-bench' });
  cleanups.push(() => db.end());
  const pgInfo = (
    await db.query<{ version: string; sb: string; sc: string; mws: string; fsync: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS sb,
              current_setting('synchronous_commit') AS sc, current_setting('max_wal_size') AS mws,
              current_setting('fsync') AS fsync`,
    )
  ).rows[0];

  // The real server, configured as in production apart from the ingest rate limit.
  const config = benchServerConfig({
    tmp,
    databaseUrl,
    admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    defaults: {
      EMMA_INGEST_MAX_BATCHES_PER_S: '100000',
      EMMA_INGEST_MAX_BATCH_SAMPLES: String(Math.max(20_000, Math.ceil(settings.batchSamples * 1.2))),
      EMMA_INGEST_BODY_LIMIT_BYTES: String(256 * 1024 * 1024),
    },
  });
  const server = await startServer(config, logger);
  cleanups.push(() => server.close());
  console.log(
    `  PostgreSQL ${pgInfo?.version ?? '?'} (${settings.databaseUrl ? 'BENCH_DATABASE_URL' : 'embedded'}; shared_buffers ${pgInfo?.sb ?? '?'}, synchronous_commit ${pgInfo?.sc ?? '?'}, fsync ${pgInfo?.fsync ?? '?'}, max_wal_size ${pgInfo?.mws ?? '?'}); server ${server.url}, pool ${config.database.poolMax}`,
  );

  // Enrolment through the real API: one token for the whole fleet (+4 for the real agents measured at the end).
  const { accessToken } = await api<{ accessToken: string }>(server, 'POST', '/api/v1/auth/login', {
    email: ADMIN_EMAIL,
    password: ADMIN_PASSWORD,
  });
  const { token } = await api<{ token: string }>(
    server,
    'POST',
    '/api/v1/enrollment-tokens',
    { name: 'bench fleet', maxUses: settings.agents + 4 },
    accessToken,
  );
  const enrol = (i: number) =>
    api<{ agentId: string; credential: string; status: string }>(server, 'POST', '/api/v1/agents/enroll', {
      token,
      host: {
        hostname: `bench-host-${String(i).padStart(3, '0')}`,
        os: 'linux',
        arch: 'x64',
        cpus: 8,
        memTotalBytes: 16_777_216_000,
        agentVersion: '0.1.0',
      },
    });
  const agents: { agentId: string; credential: string }[] = [];
  for (let i = 0; i < settings.agents; i++) {
    const enrolled = await enrol(i);
    if (enrolled.status === 'pending' || enrolled.status === 'revoked')
      throw new Error(`agent enrolled as ${enrolled.status}; the bench token must not require approval`);
    agents.push({ agentId: enrolled.agentId, credential: enrolled.credential });
  }
  const catalogue = seriesCatalogue(settings.containers);
  const points = pointsPerSeries(settings.batchSamples, catalogue.length);
  console.log(
    `  ${settings.agents} agents enrolled; ${catalogue.length} series each, ${fmt(points * catalogue.length)} samples per batch (${points} points × ${catalogue.length} series); warm-up ${settings.warmupS} s, measured ${settings.seconds} s`,
  );

  // 1. Through the API.
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  // Points start 12 days back (retention is 14) and move forward 1 s per point: days of room.
  const load = await runLoad(server, db, databaseUrl, agents, today - 12 * DAY_MS, postmasterPid);
  const r = load.result;
  const rows = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM samples')).rows[0]?.n ?? 0);
  const stored =
    rows === r.totalSamples ? 'matches' : `MISMATCH: ${fmt(rows)} rows vs ${fmt(r.totalSamples)} accepted`;
  const windowS = r.windowMs / 1000;
  const apiRate = r.samples / windowS;
  const apiPerCpu =
    r.samples / Math.max(0.001, load.serverCpuS + load.postgresCpu.reduce((n, g) => n + g.cpuS, 0));

  // 2. The bare-database reference, same rows, same table, fresh day partitions per method.
  const bare: (BareResult & { label: string })[] = [];
  if (settings.bare && r.samples > 0) {
    const seriesRows = await db.query<{ agent_id: string; id: number }>(
      'SELECT agent_id, id FROM series WHERE agent_id = ANY($1::uuid[]) ORDER BY agent_id, id',
      [agents.map((a) => a.agentId)],
    );
    const byAgent = new Map<string, number[]>();
    for (const row of seriesRows.rows)
      byAgent.set(row.agent_id, [...(byAgent.get(row.agent_id) ?? []), row.id]);
    const bareCount = Math.min(r.samples, settings.bareMaxRows);
    const data = bareRows([...byAgent.values()], settings.batchSamples, bareCount);
    const spanDays = Math.ceil(data.spanMs / DAY_MS) + 1;
    for (const [i, { method, label }] of BARE_METHODS.entries()) {
      const baseMs = today - (30 + i * (spanDays + 1)) * DAY_MS;
      await server.partitions.ensureDays(daysOf(baseMs, data.spanMs));
      console.log(`  bare reference: ${label} …`);
      bare.push({ ...(await runBare(databaseUrl, method, data, baseMs)), label });
    }
  }

  // 3. Node CPU per batch, one thread, on a representative body.
  const sample = await promisify(gzip)(
    JSON.stringify(buildBatch({ catalogue, points, baseMs: today - DAY_MS, maxBatches: 1 }, 1, rng(7))),
  );
  const micro = microbench(sample);

  // 4. The real agent process against this server, side by side: at a 1 s interval (per-collection cost)
  //    and at the default 10 s (measured directly, few collections); run through tsx as `npm run agent`
  //    does, and as a plain-node bundle (esbuild) to see what the TypeScript loader costs.
  const agentRuns: AgentRunResult[] = [];
  if (settings.agentSeconds > 0) {
    const root = path.resolve(HERE, '..');
    const bundle = bundleAgent(root, path.join(tmp, 'agent.mjs'));
    const variants: ('tsx' | 'bundle')[] = bundle ? ['tsx', 'bundle'] : ['tsx'];
    console.log(
      `  real agent (agent/src/main.ts${bundle ? '; via tsx and as an esbuild bundle' : ''}) at 1 s and 10 s interval for ${settings.agentSeconds} s after ${settings.agentSettleS} s start-up …`,
    );
    const runs = variants.flatMap((variant) =>
      [1, 10].map((intervalS) =>
        startAgent({
          variant,
          ...(bundle ? { bundle } : {}),
          nodeFlags: settings.agentNodeFlags,
          root,
          serverUrl: server.url,
          enrollToken: token,
          stateDir: path.join(tmp, `agent-${variant}-${intervalS}s`),
          intervalS,
          settleS: settings.agentSettleS,
          seconds: settings.agentSeconds,
        }),
      ),
    );
    for (const run of runs) children.add(run.child);
    agentRuns.push(...(await Promise.all(runs.map((run) => run.result))));
    for (const run of runs) children.delete(run.child);
  }

  // ------------------------------------------------------------------------------------------ report
  const out: string[] = [''];
  out.push(`## Ingest through POST /api/v1/ingest (${settings.agents} agents, one batch in flight each)`, '');
  const errors = Object.entries(r.errorsInWindow);
  out.push(
    table([
      ['figure', 'value'],
      ['samples/s sustained (accepted / window)', fmt(apiRate)],
      ['batches/s', fmt(r.batches / windowS, 1)],
      [
        'batch latency p50 / p95 / p99 (ms)',
        `${fmt(r.latencyMs.p50, 1)} / ${fmt(r.latencyMs.p95, 1)} / ${fmt(r.latencyMs.p99, 1)}`,
      ],
      ['batch latency mean / max (ms)', `${fmt(r.latencyMs.mean, 1)} / ${fmt(r.latencyMs.max, 1)}`],
      [
        'errors in window (by status)',
        errors.length === 0 ? 'none' : errors.map(([k, v]) => `${k}: ${v}`).join(', '),
      ],
      ['samples in window / batches in window', `${fmt(r.samples)} / ${fmt(r.batches)}`],
      ['samples the server rejected (out of its time window)', fmt(r.rejectedSamples)],
      [
        'samples per batch, gzip body (mean)',
        `${fmt(r.samplesPerBatch)}, ${fmt(r.bodyBytesMean / 1024, 1)} KiB`,
      ],
      ['rows in samples vs all accepted', stored],
      ['bodies generated during the run', fmt(r.generatedLive)],
    ]),
  );
  if (r.firstErrors.length > 0) out.push('', 'first errors:', ...r.firstErrors.map((e) => `  ${e}`));
  if (Object.keys(r.errorsTotal).length > 0)
    out.push(`errors incl. warm-up: ${JSON.stringify(r.errorsTotal)}`);

  if (bare.length > 0) {
    out.push(
      '',
      `## Bare database reference (same ${fmt(bare[0]?.rows ?? 0)} rows, same table, one connection)`,
      '',
    );
    out.push(
      table([
        [
          'method',
          'seconds',
          'rows/s',
          'API / bare',
          'WAL B/row',
          'client + PG CPU (cores)',
          'rows per CPU-s',
          'API / bare per CPU-s',
          'machine busy',
        ],
        ...bare.map((b) => {
          const cpu = b.clientCpuS + b.postgresCpuS;
          return [
            b.label,
            fmt(b.seconds, 2),
            fmt(b.rowsPerS),
            fmt(apiRate / b.rowsPerS, 2),
            b.walBytesPerRow === undefined ? 'n/a' : fmt(b.walBytesPerRow, 0),
            `${fmt(b.clientCpuS / b.seconds, 2)} + ${fmt(b.postgresCpuS / b.seconds, 2)}`,
            cpu > 0 ? fmt(b.rows / cpu) : 'n/a',
            cpu > 0 ? fmt(apiPerCpu / (b.rows / cpu), 2) : 'n/a',
            b.machineBusyPct === undefined ? 'n/a' : `${fmt(b.machineBusyPct, 0)} %`,
          ];
        }),
      ]),
    );
  }

  const wall = load.wallS;
  const cores = (cpuS: number): string => fmt(cpuS / wall, 2);
  const pgTotal = load.postgresCpu.reduce((n, g) => n + g.cpuS, 0);
  out.push('', `## Where the time went (measured window, ${fmt(wall, 1)} s)`, '');
  out.push(
    table([
      ['process', 'CPU (cores, avg)', 'CPU ms per batch'],
      [
        'eMMA server (node, this process)',
        cores(load.serverCpuS),
        fmt((load.serverCpuS * 1000) / Math.max(1, r.batches), 1),
      ],
      ['PostgreSQL, all processes', cores(pgTotal), fmt((pgTotal * 1000) / Math.max(1, r.batches), 1)],
      ...load.postgresCpu
        .filter((g) => g.cpuS / wall >= 0.005)
        .map((g) => [`  ${g.group}`, cores(g.cpuS), fmt((g.cpuS * 1000) / Math.max(1, r.batches), 1)]),
      [
        'load generator (child)',
        cores(load.loadgenCpuS),
        fmt((load.loadgenCpuS * 1000) / Math.max(1, r.batches), 1),
      ],
      ...(load.machine
        ? [
            [
              'other processes (not the benchmark)',
              fmt(
                Math.max(
                  0,
                  (load.machine.busyPct / 100) * load.machine.cores -
                    (load.serverCpuS + pgTotal + load.loadgenCpuS) / wall,
                ),
                2,
              ),
              '',
            ],
          ]
        : []),
      [
        'machine busy (all processes)',
        load.machine ? `${fmt(load.machine.busyPct, 0)} % of ${fmt(load.machine.cores, 0)} cores` : 'n/a',
        load.machine ? `iowait ${fmt(load.machine.iowaitPct, 1)} %` : '',
      ],
    ]),
  );
  out.push(
    '',
    `machine busy just before the run: ${load.busyBeforePct === undefined ? 'n/a' : `${fmt(load.busyBeforePct, 0)} %`}`,
    `server event-loop utilisation: ${fmt(load.eventLoopUtilization * 100, 0)} %`,
    `samples per CPU-second of server + PostgreSQL: ${fmt(apiPerCpu)} (the figure least disturbed by other work on the machine)`,
  );
  if (load.walBytes !== undefined) {
    out.push(
      `WAL written: ${fmt(load.walBytes / 2 ** 20, 1)} MiB (${fmt(load.walBytes / Math.max(1, r.samples), 0)} bytes per sample); checkpoints during the window: ${load.checkpoints ?? 'n/a'}`,
    );
  }
  if (load.activity) {
    out.push(
      '',
      `server's PostgreSQL connections (pg_stat_activity, ${load.activity.samples} samples, average count):`,
    );
    out.push(
      table([
        ['state', 'connections'],
        ...load.activity.states.map((s) => [s.state, fmt(s.avgConnections, 2)]),
      ]),
    );
  }
  const perBatch = (s: StatementStats): string => fmt(s.totalMs / Math.max(1, r.batches), 2);
  out.push('', 'server time per batch by step (wall ms, mean; statements overlap across connections):');
  out.push(
    table([
      ['step', 'count', 'mean ms each', 'ms per batch'],
      ...[load.poolWait, ...load.statements].map((s) => [
        s.label,
        fmt(s.count),
        fmt(s.totalMs / Math.max(1, s.count), 2),
        perBatch(s),
      ]),
      ['batch latency seen by the agent (mean)', '', '', fmt(r.latencyMs.mean, 2)],
    ]),
  );
  out.push('', 'Node CPU per batch before the SQL (microbenchmark, one representative batch, one thread):');
  out.push(
    table([
      ['step', 'ms per batch'],
      ...micro.map((m) => [m.step, fmt(m.ms, 2)]),
      [
        'sum',
        fmt(
          micro.reduce((n, m) => n + m.ms, 0),
          2,
        ),
      ],
    ]),
  );
  if (load.top) out.push('', 'top -b -n 1, mid-window:', load.top);

  const fast = agentRuns.find((a) => a.variant === 'tsx' && a.intervalS === 1);
  const slow = agentRuns.find((a) => a.variant === 'tsx' && a.intervalS === 10);
  const tsxRuns = agentRuns.filter((a) => a.variant === 'tsx');
  const agentRss = Math.max(0, ...tsxRuns.map((a) => a.rssMaxMb));
  const bundleRss = Math.max(0, ...agentRuns.filter((a) => a.variant === 'bundle').map((a) => a.rssMaxMb));
  const agentCpuAt10 = fast ? (fast.cpuMsPerCollection / 10_000) * 100 : undefined;
  if (agentRuns.length > 0) {
    out.push(
      '',
      `## Agent (agent/src/main.ts against this server, measured from /proc after ${settings.agentSettleS} s start-up${settings.agentNodeFlags.length > 0 ? `; node flags: ${settings.agentNodeFlags.join(' ')}` : ''})`,
      '',
    );
    out.push(
      table([
        [
          'run as',
          'interval',
          'seconds',
          'RSS max (MB)',
          'RSS peak incl. start-up (MB)',
          'CPU s',
          'CPU %',
          'CPU ms / collection',
        ],
        ...agentRuns.map((a) => [
          a.variant === 'tsx' ? 'node --import tsx' : 'esbuild bundle, plain node',
          `${a.intervalS} s`,
          fmt(a.seconds, 1),
          fmt(a.rssMaxMb, 1),
          fmt(a.rssPeakMb, 1),
          fmt(a.cpuS, 2),
          fmt(a.cpuPct, 3),
          fmt(a.cpuMsPerCollection, 1),
        ]),
      ]),
    );
    if (agentCpuAt10 !== undefined)
      out.push(
        `CPU at a 10 s interval scaled from the 1 s run (CPU per collection / 10 s, idle cost included): ${fmt(agentCpuAt10, 3)} %`,
        'CPU is counted in 10 ms clock ticks: the direct 10 s figures rest on a handful of ticks.',
      );
    for (const a of agentRuns.filter(
      (run) => run.stderr !== '' || (run.exitCode !== 0 && run.exitCode !== null),
    ))
      out.push(
        `agent (${a.variant}, ${a.intervalS} s) exited with ${a.exitCode ?? 'signal'}: ${a.stderr.slice(0, 500)}`,
      );
  }

  const bestBare = bare.reduce<BareResult | undefined>(
    (best, b) => (!best || b.rowsPerS > best.rowsPerS ? b : best),
    undefined,
  );
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  out.push('', '## Targets', '');
  const targetRows = [
    ['target', 'measured', 'verdict'],
    ['≥ 150,000 samples/s through the API', fmt(apiRate), verdict(apiRate >= 150_000)],
  ];
  if (bestBare) {
    const ratio = apiRate / bestBare.rowsPerS;
    const cpu = bestBare.clientCpuS + bestBare.postgresCpuS;
    const perCpu = cpu > 0 ? `; ${fmt(apiPerCpu / (bestBare.rows / cpu), 2)} per CPU-second` : '';
    targetRows.push([
      `≥ 0.65 of the bare rate (best: ${bestBare.method})`,
      `${fmt(ratio, 2)}${perCpu}`,
      verdict(ratio >= 0.65),
    ]);
  }
  if (agentRuns.length > 0) {
    targetRows.push([
      'agent RSS < 60 MB',
      `${fmt(agentRss, 1)} MB via tsx${bundleRss > 0 ? `, ${fmt(bundleRss, 1)} MB bundled` : ''}`,
      verdict(agentRss < 60) +
        (bundleRss > 0 && agentRss >= 60 ? ` (bundled: ${verdict(bundleRss < 60)})` : ''),
    ]);
    if (agentCpuAt10 !== undefined) {
      targetRows.push([
        'agent CPU < 1 % of a core at 10 s',
        `${fmt(agentCpuAt10, 3)} % (scaled)${slow ? `, ${fmt(slow.cpuPct, 3)} % (direct)` : ''}`,
        verdict(agentCpuAt10 < 1),
      ]);
    }
  }
  out.push(table(targetRows));
  console.log(out.join('\n'));

  if (settings.jsonOut) {
    await writeFile(
      settings.jsonOut,
      `${JSON.stringify(
        {
          date: started.toISOString(),
          machine: machineLine(),
          postgres: pgInfo,
          settings: { ...settings, databaseUrl: settings.databaseUrl ? '(set)' : undefined },
          poolMax: config.database.poolMax,
          apiSamplesPerS: apiRate,
          load: {
            ...load,
            activity: load.activity ? { ...load.activity, backendTypes: undefined } : undefined,
          },
          bare,
          micro,
          agentRuns,
        },
        null,
        2,
      )}\n`,
    );
  }
}

await runBenchmark(
  'bench-ingest',
  main,
  cleanup,
  (settings.warmupS + settings.seconds + settings.agentSeconds + settings.agentSettleS) * 1000 + 15 * 60_000,
);
