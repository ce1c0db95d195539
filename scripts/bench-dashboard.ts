// Dashboard benchmark: the gzipped size of the built JavaScript, and the time until the overview is
// interactive in headless Chromium with 1,000 agents, 5,000 probes and 2,000 containers in the database
// (`emma all` in production mode: API, realtime and worker in one process, on an embedded PostgreSQL).
// "Interactive" is the moment the overview shows every count and its attention list, measured from the
// start of navigation in the page's own clock. Prints figures; not a test.
//
//   npm run bench:dashboard
//   BENCH_AGENTS=2000 BENCH_PROBES=10000 BENCH_CONTAINERS=4000 BENCH_RUNS=7 npm run bench:dashboard
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../backend/src/config';
import { startEmbeddedPostgres } from '../backend/src/db/embedded';
import { createLogger } from '../backend/src/logger';
import { startServer } from '../backend/src/server';
import { freePort } from '../backend/test/support';
import { apiClient } from './bench/api';
import { launchChromium } from '../test-support/chromium';
import { numEnv } from './bench/env';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

const settings = {
  agents: numEnv('BENCH_AGENTS', 1000, 1),
  probes: numEnv('BENCH_PROBES', 5000, 0),
  containers: numEnv('BENCH_CONTAINERS', 2000, 0),
  incidents: numEnv('BENCH_INCIDENTS', 50, 0),
  runs: numEnv('BENCH_RUNS', 5, 1),
};

/** The overview shows its counts (tiles) … */
const COUNTS = '.overview .tile';
/** … and its attention list, every list read once. */
const READY = '[data-overview-ready="true"]';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function bundleSizes(dist: string): {
  files: number;
  rawKb: number;
  gzipKb: number;
  byFile: Map<string, number>;
} {
  const assets = path.join(dist, 'assets');
  const byFile = new Map<string, number>();
  let raw = 0;
  let gz = 0;
  for (const name of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
    const content = readFileSync(path.join(assets, name));
    const size = gzipSync(content, { level: 9 }).length;
    raw += content.length;
    gz += size;
    byFile.set(name, size);
  }
  return { files: byFile.size, rawKb: raw / 1024, gzipKb: gz / 1024, byFile };
}

/** Fills the database in a few statements: agents, their containers, probes with a state per agent, incidents. */
async function seed(databaseUrl: string, adminId: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO agents (name, labels, status, host, credential_hash, approved_at, last_seen_at)
       SELECT 'host-' || lpad(i::text, 5, '0'), jsonb_build_object('env', CASE WHEN i % 3 = 0 THEN 'prod' ELSE 'test' END),
              CASE WHEN i % 50 = 0 THEN 'offline' ELSE 'online' END,
              jsonb_build_object('hostname', 'host-' || i, 'os', 'linux'), 'bench-no-login', now(), now()
       FROM generate_series(1, $1) AS i`,
      [settings.agents],
    );
    await db.query(
      `INSERT INTO containers (agent_id, container_id, name, image, state, health, restart_count, reported_at, started_at)
       SELECT a.id, encode(sha256(('c' || i)::bytea), 'hex'), 'svc-' || i, 'registry.local/app:' || (i % 7),
              CASE WHEN i % 40 = 0 THEN 'exited' ELSE 'running' END,
              CASE WHEN i % 55 = 0 THEN 'unhealthy' ELSE 'healthy' END, i % 3, now(), now() - interval '1 day'
       FROM generate_series(1, $1) AS i
       JOIN LATERAL (SELECT id FROM agents ORDER BY name OFFSET ((i - 1) % $2) LIMIT 1) a ON true`,
      [settings.containers, settings.agents],
    );
    await db.query(
      `INSERT INTO probes (name, type, config, interval_s, timeout_ms, agent_id, created_by)
       SELECT 'probe-' || i, 'http', jsonb_build_object('url', 'https://svc-' || i || '.example.test/health'),
              60, 5000, a.id, $3
       FROM generate_series(1, $1) AS i
       JOIN LATERAL (SELECT id FROM agents ORDER BY name OFFSET ((i - 1) % $2) LIMIT 1) a ON true`,
      [settings.probes, settings.agents, adminId],
    );
    await db.query(
      `INSERT INTO probe_states (probe_id, agent_id, state)
       SELECT id, agent_id, CASE WHEN row_number() OVER (ORDER BY name) % 45 = 0 THEN 'down'
                                 WHEN row_number() OVER (ORDER BY name) % 70 = 0 THEN 'degraded' ELSE 'up' END
       FROM probes`,
    );
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'emma-bench-dashboard-'));
  chmodSync(tmp, 0o755);
  const cleanups: (() => Promise<unknown>)[] = [];
  const logger = createLogger('warn');
  let browser: Browser | undefined;
  try {
    const dist = path.join(tmp, 'dist');
    const { stdout } = await run('bash', [path.join(ROOT, 'scripts/ensure-e2e.sh'), dist]);
    const executablePath = stdout.trim();
    const sizes = bundleSizes(dist);

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
    const adminEmail = 'bench@example.test';
    const adminPassword = randomBytes(12).toString('base64url');
    const server = await startServer(
      loadConfig({
        NODE_ENV: 'production',
        EMMA_LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl,
        EMMA_HOST: '127.0.0.1',
        EMMA_HTTP_PORT: '0',
        EMMA_WS_PORT: '0',
        EMMA_JWT_SECRET: randomBytes(48).toString('base64url'),
        EMMA_DATA_DIR: path.join(tmp, 'data'),
        EMMA_ADMIN_EMAIL: adminEmail,
        EMMA_ADMIN_PASSWORD: adminPassword,
        EMMA_LOCAL_AGENT: 'false',
        EMMA_DASHBOARD_DIR: dist,
      }),
      logger,
      { worker: true, realtime: true },
    );
    cleanups.push(() => server.close());
    const call = apiClient(server.url);
    const login = await call<{ refreshToken: string; user: { id: string } }>('POST', '/api/v1/auth/login', {
      email: adminEmail,
      password: adminPassword,
    });
    const seedStart = performance.now();
    await seed(databaseUrl, login.user.id);
    console.log(
      `Seeded ${settings.agents} agents, ${settings.containers} containers, ${settings.probes} probes in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`,
    );

    browser = await launchChromium(executablePath);
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    const coldCountsMs: number[] = [];
    let initialJsGzipKb = 0;
    for (let i = 0; i < settings.runs; i += 1) {
      // Each run signs in anew (a refresh token is single use) and starts with an empty cache.
      const { refreshToken } = await call<{ refreshToken: string }>('POST', '/api/v1/auth/login', {
        email: adminEmail,
        password: adminPassword,
      });
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: { width: 1440, height: 900 },
      });
      // Plain source: this script's types have no DOM. The first load of the tab starts signed in.
      await context.addInitScript({
        content: `if (!sessionStorage.getItem('bench.started')) {
          sessionStorage.setItem('bench.started', '1');
          localStorage.setItem('emma.refreshToken', ${JSON.stringify(refreshToken)});
        }
        // The moment the overview is ready, in the page's clock (not when the test notices it).
        new MutationObserver(() => {
          if (!window.__emmaCounts && document.querySelector(${JSON.stringify(COUNTS)}))
            window.__emmaCounts = performance.now();
          if (!window.__emmaReady && document.querySelector(${JSON.stringify(READY)}))
            window.__emmaReady = performance.now();
        }).observe(document, { subtree: true, childList: true, attributes: true });`,
      });
      const page = await context.newPage();
      const jsFiles = new Set<string>();
      page.on('response', (res) => {
        if (res.url().endsWith('.js')) jsFiles.add(path.basename(new URL(res.url()).pathname));
      });
      await page.goto('/');
      await page.locator(READY).waitFor({ timeout: 60_000 });
      coldMs.push(Number(await page.evaluate('window.__emmaReady')));
      coldCountsMs.push(Number(await page.evaluate('window.__emmaCounts')));
      if (i === 0)
        initialJsGzipKb = [...jsFiles].reduce((sum, f) => sum + (sizes.byFile.get(f) ?? 0), 0) / 1024;
      // Warm: the same tab reloads with the code cached (a returning user).
      await page.reload();
      await page.locator(READY).waitFor({ timeout: 60_000 });
      warmMs.push(Number(await page.evaluate('window.__emmaReady')));
      await context.close();
    }
    console.log('');
    console.log(
      `JavaScript: ${sizes.files} files, ${sizes.rawKb.toFixed(1)} kB raw, ${sizes.gzipKb.toFixed(1)} kB gzipped in all (target < 150 kB)`,
    );
    console.log(`  loaded for the overview: ${initialJsGzipKb.toFixed(1)} kB gzipped`);
    console.log(
      `Overview counts on screen, cold cache: median ${median(coldCountsMs).toFixed(0)} ms, worst ${Math.max(...coldCountsMs).toFixed(0)} ms`,
    );
    console.log(
      `Overview interactive, cold cache: median ${median(coldMs).toFixed(0)} ms, worst ${Math.max(...coldMs).toFixed(0)} ms over ${coldMs.length} runs (target < 1500 ms)`,
    );
    console.log(
      `Overview interactive, warm cache: median ${median(warmMs).toFixed(0)} ms, worst ${Math.max(...warmMs).toFixed(0)} ms`,
    );
  } finally {
    await browser?.close().catch(() => undefined);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
