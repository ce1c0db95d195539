// Agent cost with containers: the real agent (the esbuild bundle on plain node, as its image runs it) watching
// N running containers on a real Docker-compatible engine (Podman, scripts/docker-engine.sh) at the default
// 10 s interval, reporting to a real eMMA server (embedded PostgreSQL unless BENCH_DATABASE_URL is set).
// Prints the agent's CPU (% of one core) and RSS against the targets, and what the server received, so a
// cheap agent that silently did nothing cannot pass. Prints figures; not a test.
//
//   npm run bench:agent
//   BENCH_CONTAINERS=100 BENCH_SECONDS=300 npm run bench:agent
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../backend/src/config';
import { createLogger } from '../backend/src/logger';
import { startServer } from '../backend/src/server';
import { BUSYBOX_IMAGE, startTestEngine } from '../test-support/engine';
import { bundleAgent, startAgent } from './bench/agent-run';
import { apiClient } from './bench/api';
import { numEnv } from './bench/env';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_CPU_PCT = 2;
const TARGET_RSS_MB = 80;

const settings = {
  containers: numEnv('BENCH_CONTAINERS', 50, 1),
  intervalS: numEnv('BENCH_INTERVAL_S', 10, 1),
  settleS: numEnv('BENCH_SETTLE_SECONDS', 30, 0),
  seconds: numEnv('BENCH_SECONDS', 120, 10),
  runtime: process.env.BENCH_AGENT_RUNTIME === 'tsx' ? ('tsx' as const) : ('bundle' as const),
  /** Node flags for the agent, e.g. heap limits to try (the image sets its own in the Dockerfile). */
  nodeFlags: (process.env.BENCH_AGENT_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
};

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'emma-bench-agent-'));
  // The embedded PostgreSQL runs as its own user when we are root: it must get through this directory.
  chmodSync(tmp, 0o755);
  const cleanups: (() => Promise<unknown>)[] = [];
  const prefix = `emma-bench-${process.pid}`;
  const names = Array.from({ length: settings.containers }, (_, i) => `${prefix}-${i}`);
  try {
    console.log(
      `Agent with ${settings.containers} running containers at a ${settings.intervalS} s interval: ${settings.settleS} s start-up, then ${settings.seconds} s measured (${settings.runtime}).`,
    );
    const engine = await startTestEngine();
    cleanups.push(() => engine.remove(...names));
    const started = performance.now();
    for (const name of names) {
      await engine.podman(
        'run',
        '-d',
        '--name',
        name,
        '--label',
        'emma.bench=1',
        BUSYBOX_IMAGE,
        'sleep',
        '1000000',
      );
    }
    console.log(
      `  ${names.length} containers started in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const adminEmail = 'bench@example.test';
    const adminPassword = randomBytes(12).toString('base64url');
    const config = loadConfig({
      NODE_ENV: 'production',
      EMMA_LOG_LEVEL: 'warn',
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
      EMMA_HOST: '127.0.0.1',
      EMMA_HTTP_PORT: '0',
      EMMA_DATA_DIR: path.join(tmp, 'data'),
      EMMA_JWT_SECRET: randomBytes(48).toString('base64url'),
      EMMA_BCRYPT_ROUNDS: '10',
      EMMA_ADMIN_EMAIL: adminEmail,
      EMMA_ADMIN_PASSWORD: adminPassword,
      EMMA_LOCAL_AGENT: 'false',
    });
    const server = await startServer(config, createLogger('warn'));
    cleanups.push(() => server.close());
    const call = apiClient(server.url);
    const { accessToken } = await call<{ accessToken: string }>('POST', '/api/v1/auth/login', {
      email: adminEmail,
      password: adminPassword,
    });
    const { token } = await call<{ token: string }>(
      'POST',
      '/api/v1/enrollment-tokens',
      { name: 'bench agent' },
      accessToken,
    );

    const bundle = settings.runtime === 'bundle' ? bundleAgent(ROOT, path.join(tmp, 'agent.mjs')) : undefined;
    if (settings.runtime === 'bundle' && !bundle) throw new Error('could not bundle the agent with esbuild');
    const run = startAgent({
      variant: settings.runtime,
      ...(bundle ? { bundle } : {}),
      nodeFlags: settings.nodeFlags,
      root: ROOT,
      serverUrl: server.url,
      enrollToken: token,
      stateDir: path.join(tmp, 'agent-state'),
      intervalS: settings.intervalS,
      settleS: settings.settleS,
      seconds: settings.seconds,
      env: { EMMA_DOCKER: 'on', EMMA_DOCKER_SOCKET: engine.socketPath },
    });
    cleanups.push(() => Promise.resolve(run.child.kill('SIGKILL')));
    const healthFile = path.join(tmp, 'agent-state', 'health.json');
    let memory: Record<string, number> | undefined;
    const memoryProbe = setInterval(() => {
      try {
        memory = (JSON.parse(readFileSync(healthFile, 'utf8')) as { memory?: Record<string, number> }).memory;
      } catch {
        // not written yet
      }
    }, 5000);
    const result = await run.result;
    clearInterval(memoryProbe);

    const seen = await server.pool.query<{ containers: number; with_stats: number }>(
      `SELECT count(*)::int AS containers, count(*) FILTER (WHERE stats_at IS NOT NULL)::int AS with_stats
       FROM containers WHERE name LIKE $1 AND removed_at IS NULL`,
      [`${prefix}-%`],
    );
    const samples = await server.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples sa JOIN series se ON se.id = sa.series_id
       WHERE se.metric = 'container.cpu.percent' AND se.labels->>'container' LIKE $1`,
      [`${prefix}-%`],
    );
    const row = seen.rows[0];
    const cpuOk = result.cpuPct < TARGET_CPU_PCT;
    const rssOk = result.rssMaxMb < TARGET_RSS_MB;
    console.log('');
    console.log(`| figure | measured | target |`);
    console.log(`| --- | --- | --- |`);
    console.log(
      `| agent CPU, % of one core (${result.seconds.toFixed(0)} s) | ${result.cpuPct.toFixed(2)} | < ${TARGET_CPU_PCT} ${cpuOk ? '(met)' : '(MISSED)'} |`,
    );
    console.log(`| agent CPU per interval (ms) | ${result.cpuMsPerCollection.toFixed(1)} | |`);
    console.log(
      `| agent RSS, max while measured (MB) | ${result.rssMaxMb.toFixed(1)} | < ${TARGET_RSS_MB} ${rssOk ? '(met)' : '(MISSED)'} |`,
    );
    console.log(`| agent RSS, peak incl. start-up (MB) | ${result.rssPeakMb.toFixed(1)} | |`);
    console.log(
      `| containers the server lists / with stats | ${row?.containers ?? 0} / ${row?.with_stats ?? 0} | ${settings.containers} |`,
    );
    console.log(`| container.cpu.percent samples stored | ${samples.rows[0]?.n ?? 0} | |`);
    if (memory) {
      const mb = (key: string) => ((memory?.[key] ?? 0) / 1048576).toFixed(1);
      console.log(
        `| agent's own view (MB): heap used / total, external, array buffers | ${mb('heapUsed')} / ${mb('heapTotal')}, ${mb('external')}, ${mb('arrayBuffers')} | |`,
      );
    }
    if (result.exitCode !== null && result.exitCode !== 0 && result.exitCode !== 143) {
      console.log(`\nThe agent exited with ${result.exitCode}:\n${result.stderr}`);
    }
    if ((row?.containers ?? 0) < settings.containers) {
      console.log('\nThe server did not receive every container: the figures above do not count.');
      process.exitCode = 1;
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
