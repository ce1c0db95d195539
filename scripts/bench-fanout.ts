// Realtime fan-out benchmark: the realtime role as its own process (`emma realtime`, uWebSockets.js,
// LISTEN on PostgreSQL), N WebSocket clients in separate processes on loopback, all subscribed to
// `overview`, while agents ingest batches through the real API. Marker changes (a NOTIFY carrying the
// sender's clock) measure the delay from commit to client. Prints latency p50/p99, messages/s delivered,
// the realtime process's CPU and its memory per idle connection. Prints figures; not a test.
//
//   npm run bench:fanout
//   BENCH_CLIENTS=2000 BENCH_SECONDS=30 npm run bench:fanout
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../backend/src/config';
import { startEmbeddedPostgres } from '../backend/src/db/embedded';
import { createLogger } from '../backend/src/logger';
import { startServer } from '../backend/src/server';
import { freePort } from '../backend/test/support';
import type { ClientsMessage, ClientsStart } from './bench-fanout/clients';
import { apiClient } from './bench/api';
import { readProcStat, statusKb } from './bench/procstat';
import { numEnv } from './bench/env';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const settings = {
  clients: numEnv('BENCH_CLIENTS', 10_000, 1),
  clientProcesses: numEnv('BENCH_CLIENT_PROCESSES', 2, 1),
  seconds: numEnv('BENCH_SECONDS', 60, 5),
  /** Marker changes per second (each reaches every client). */
  markersPerS: numEnv('BENCH_MARKERS_PER_S', 5, 1),
  /** Agents posting batches (samples and a container state change each) during the run. */
  agents: numEnv('BENCH_AGENTS', 5, 0),
  batchEveryMs: numEnv('BENCH_BATCH_EVERY_MS', 500, 50),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

function request(
  child: ChildProcess,
  message: unknown,
  answer: ClientsMessage['type'],
): Promise<ClientsMessage> {
  return new Promise((resolve) => {
    const onMessage = (reply: ClientsMessage) => {
      if (reply.type !== answer) return;
      child.off('message', onMessage);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.send(message as object);
  });
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'emma-bench-fanout-'));
  // The embedded PostgreSQL runs as its own user when we are root: it must get through this directory.
  chmodSync(tmp, 0o755);
  const cleanups: (() => Promise<unknown>)[] = [];
  const children: ChildProcess[] = [];
  const logger = createLogger('warn');
  try {
    console.log(
      `Fan-out: ${settings.clients} clients in ${settings.clientProcesses} processes on 'overview', ${settings.seconds} s measured, ${settings.markersPerS} markers/s, ${settings.agents} agents ingesting every ${settings.batchEveryMs} ms.`,
    );
    let databaseUrl = process.env.BENCH_DATABASE_URL;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres(
        path.join(tmp, 'pg'),
        await freePort(),
        logger,
        'emma_bench',
      );
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const jwtSecret = randomBytes(48).toString('base64url');
    const adminEmail = 'bench@example.test';
    const adminPassword = randomBytes(12).toString('base64url');
    const common = {
      NODE_ENV: 'production',
      EMMA_LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      EMMA_HOST: '127.0.0.1',
      EMMA_JWT_SECRET: jwtSecret,
      EMMA_ACCESS_TOKEN_TTL_S: '1800',
    };
    const server = await startServer(
      loadConfig({
        ...common,
        EMMA_HTTP_PORT: '0',
        EMMA_DATA_DIR: path.join(tmp, 'data'),
        EMMA_BCRYPT_ROUNDS: '10',
        EMMA_ADMIN_EMAIL: adminEmail,
        EMMA_ADMIN_PASSWORD: adminPassword,
        EMMA_LOCAL_AGENT: 'false',
        EMMA_INGEST_MAX_BATCHES_PER_S: '1000',
      }),
      logger,
    );
    cleanups.push(() => server.close());

    // The realtime role alone, as in production.
    const wsPort = await freePort();
    // node --import tsx rather than the tsx binary: one process, so its pid is the server's.
    const realtime = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'backend/src/main.ts'), 'realtime'],
      {
        cwd: ROOT,
        env: { ...process.env, ...common, EMMA_WS_PORT: String(wsPort), EMMA_DATA_DIR: path.join(tmp, 'rt') },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    children.push(realtime);
    const realtimePid = realtime.pid ?? -1;
    for (let i = 0; ; i++) {
      const ok = await fetch(`http://127.0.0.1:${wsPort}/health`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
      if (i > 150 || realtime.exitCode !== null) throw new Error('the realtime process did not come up');
      await sleep(200);
    }

    const call = apiClient(server.url);
    const { accessToken } = await call<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      email: adminEmail,
      password: adminPassword,
    });

    // Clients: idle RSS of the realtime process first, then with every client connected and subscribed.
    await sleep(2000);
    const rssIdleKb = statusKb(realtimePid, 'VmRSS');
    const perProcess = Math.ceil(settings.clients / settings.clientProcesses);
    const clientProcs = Array.from({ length: settings.clientProcesses }, (_, i) => {
      const child = fork(path.join(ROOT, 'scripts/bench-fanout/clients.ts'), [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      return { child, count: Math.min(perProcess, settings.clients - i * perProcess) };
    });
    const connectStarted = performance.now();
    const connected = await Promise.all(
      clientProcs.map(({ child, count }) => {
        const start: ClientsStart = {
          type: 'start',
          url: `ws://127.0.0.1:${wsPort}/ws?access_token=${encodeURIComponent(accessToken)}`,
          count,
          topic: 'overview',
          concurrency: 100,
        };
        return request(child, start, 'connected');
      }),
    );
    const connectS = (performance.now() - connectStarted) / 1000;
    const connectedCount = connected.reduce((n, c) => n + (c.type === 'connected' ? c.connected : 0), 0);
    const failed = connected.reduce((n, c) => n + (c.type === 'connected' ? c.failed : 0), 0);
    const firstError = connected
      .map((c) => (c.type === 'connected' ? c.firstError : undefined))
      .find(Boolean);
    await sleep(5000);
    const rssConnectedKb = statusKb(realtimePid, 'VmRSS');
    console.log(
      `  ${connectedCount} clients connected in ${connectS.toFixed(1)} s${failed ? `, ${failed} failed (${firstError ?? '?'})` : ''}`,
    );

    // Load: agents ingesting (samples, and a container changing state each batch) plus markers.
    const { token } = await call<{ token: string }>(
      'POST',
      '/api/v1/enrollment-tokens',
      { name: 'bench fan-out', maxUses: Math.max(1, settings.agents) },
      accessToken,
    );
    const agents: { credential: string; seq: number }[] = [];
    for (let i = 0; i < settings.agents; i++) {
      const enrolled = await call<{ credential: string }>('POST', '/api/v1/agents/enroll', {
        token,
        host: {
          hostname: `fanout-${i}`,
          os: 'linux',
          arch: 'x64',
          cpus: 4,
          memTotalBytes: 8e9,
          agentVersion: '0.1.0',
        },
      });
      agents.push({ credential: enrolled.credential, seq: 0 });
    }
    const containerId = (i: number) => randomBytes(32).toString('hex').slice(0, 63) + String(i % 10);
    const ingestIds = agents.map((_, i) => containerId(i));
    let ingested = 0;
    let ingestErrors = 0;
    const load = { running: true };
    const ingestLoops = agents.map(async (agent, i) => {
      while (load.running) {
        agent.seq += 1;
        const now = Date.now();
        const batch = {
          seq: agent.seq,
          sentAt: now,
          series: Array.from({ length: 50 }, (_, k) => ({
            metric: 'cpu.percent',
            labels: { core: String(k) },
            points: [[now, Math.random() * 100]],
          })),
          containers: {
            at: now,
            full: false,
            actionsEnabled: true,
            containers: [
              {
                id: ingestIds[i],
                name: `web-${i}`,
                image: 'nginx',
                state: agent.seq % 2 === 0 ? 'running' : 'exited',
              },
            ],
          },
        };
        const res = await fetch(`${server.url}/api/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${agent.credential}` },
          body: JSON.stringify(batch),
        }).catch(() => undefined);
        if (res?.ok) ingested += 1;
        else ingestErrors += 1;
        await res?.text().catch(() => '');
        await sleep(settings.batchEveryMs);
      }
    });
    let markers = 0;
    const markerLoop = (async () => {
      while (load.running) {
        await server.pool.query('SELECT pg_notify($1, $2)', [
          'emma_changes',
          JSON.stringify({ t: 'agent', a: randomUUID(), status: 'online', at: Date.now() }),
        ]);
        markers += 1;
        await sleep(1000 / settings.markersPerS);
      }
    })();

    await sleep(3000); // warm-up
    for (const { child } of clientProcs) child.send({ type: 'mark' });
    const cpuFrom = readProcStat(realtimePid);
    const markersFrom = markers;
    const ingestedFrom = ingested;
    const from = performance.now();
    let rssMaxKb = 0;
    while (performance.now() - from < settings.seconds * 1000) {
      rssMaxKb = Math.max(rssMaxKb, statusKb(realtimePid, 'VmRSS'));
      await sleep(500);
    }
    const windowS = (performance.now() - from) / 1000;
    const cpuTo = readProcStat(realtimePid);
    const reports = await Promise.all(
      clientProcs.map(({ child }) => request(child, { type: 'report' }, 'report')),
    );
    load.running = false;
    await Promise.all([...ingestLoops, markerLoop]);

    const all: number[] = [];
    let messages = 0;
    let closed = 0;
    const codes: Record<string, number> = {};
    for (const report of reports) {
      if (report.type !== 'report') continue;
      for (const ms of report.latenciesMs) all.push(ms);
      messages += report.messages;
      closed += report.closed;
      for (const [code, n] of Object.entries(report.closeCodes)) codes[code] = (codes[code] ?? 0) + n;
    }
    const sorted = Float64Array.from(all).sort();
    const markersSent = markers - markersFrom;
    const expected = markersSent * connectedCount;
    const cpuS = cpuFrom && cpuTo ? cpuTo.cpuS - cpuFrom.cpuS : NaN;
    const perConnKb = (rssConnectedKb - rssIdleKb) / Math.max(1, connectedCount);

    console.log('');
    console.log('| figure | measured | target |');
    console.log('| --- | --- | --- |');
    console.log(`| clients connected | ${connectedCount} of ${settings.clients} | 10,000 |`);
    console.log(
      `| commit → client latency p50 / p99 / max (ms) | ${percentile(sorted, 0.5).toFixed(1)} / ${percentile(sorted, 0.99).toFixed(1)} / ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)} | p99 < 250 |`,
    );
    console.log(`| markers delivered / expected | ${all.length} / ${expected} | all |`);
    console.log(`| messages/s delivered to clients | ${Math.round(messages / windowS)} | |`);
    console.log(
      `| ingest batches/s during the run (errors) | ${((ingested - ingestedFrom) / windowS).toFixed(1)} (${ingestErrors}) | |`,
    );
    console.log(`| realtime CPU, % of one core | ${((cpuS / windowS) * 100).toFixed(1)} | |`);
    console.log(
      `| realtime RSS idle → ${connectedCount} connected (MB) | ${(rssIdleKb / 1024).toFixed(1)} → ${(rssConnectedKb / 1024).toFixed(1)} (max under load ${(rssMaxKb / 1024).toFixed(1)}) | |`,
    );
    console.log(`| memory per idle connection (KB) | ${perConnKb.toFixed(2)} | < 10 |`);
    console.log(`| connections closed during the run (codes) | ${closed} ${JSON.stringify(codes)} | 0 |`);
    for (const { child } of clientProcs) child.send({ type: 'close' });
  } finally {
    // The realtime process closes its sockets and its LISTEN connection before PostgreSQL stops.
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(15_000)]);
      }),
    );
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
