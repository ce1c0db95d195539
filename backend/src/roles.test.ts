// The server roles as real processes: `emma migrate` (once, then a no-op), `emma worker` alone (heartbeat for
// the container health check, exit 0 on SIGTERM), every role waiting for its database at start, and
// `realtime`/`worker` waiting for the migrations and refusing a database still not migrated after
// EMMA_DB_WAIT_S. Also the health check's pure parts and the worker role in-process.
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_JWT_SECRET } from '../test/harness';
import { emmaEnv, runHealthcheck, spawnEmma, type EmmaProcess } from '../test/emma-process';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { checkHealth, roleFromCmdline, WORKER_HEARTBEAT_STALE_MS, workerHeartbeatFile } from './healthcheck';
import { NotMigratedError, startWorkerRole } from './server';

const running: EmmaProcess[] = [];
function spawn(role: string, env: NodeJS.ProcessEnv): EmmaProcess {
  const child = spawnEmma(role, env);
  running.push(child);
  return child;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => child.stop('SIGKILL')));
});

async function query<T extends pg.QueryResultRow>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A TCP port that forwards to the database's port only once open() is called: a database that starts late.
 * plan() decides the next connections one by one (true forwards, false refuses) before that rule applies.
 */
async function lateDatabase(
  databaseUrl: string,
): Promise<{ url: string; open(): void; plan(next: boolean[]): void; close(): void }> {
  const target = new URL(databaseUrl);
  let accepting = false;
  let planned: boolean[] = [];
  const server = net.createServer((socket) => {
    if (!(planned.shift() ?? accepting)) {
      socket.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    open: () => {
      accepting = true;
    },
    plan: (next) => {
      planned = [...next];
    },
    close: () => server.close(),
  };
}

describe('emma migrate', () => {
  it('waits for a database that accepts connections only later, then migrates it', async () => {
    const database = await lateDatabase(await createTestDatabase({ empty: true }));
    try {
      const child = spawn('migrate', emmaEnv({ DATABASE_URL: database.url, EMMA_DB_WAIT_S: '120' }));
      await child.waitForLog((line) => line.msg === 'waiting for the database');
      database.open();
      expect((await child.exited).code).toBe(0);
      expect(child.logs.some((line) => line.msg === 'the database is ready')).toBe(true);
      expect(await query(database.url, "SELECT 1 FROM pg_tables WHERE tablename = 'users'")).toHaveLength(1);
    } finally {
      database.close();
    }
  });

  it('tries the migrations again when the database cannot be reached right after it answered', async () => {
    // As with a container network's DNS dropping lookups while the stack starts.
    const database = await lateDatabase(await createTestDatabase({ empty: true }));
    try {
      database.plan([true, false]); // the wait's check gets through, the migrator's connection does not
      database.open();
      const child = spawn('migrate', emmaEnv({ DATABASE_URL: database.url, EMMA_DB_WAIT_S: '120' }));
      expect((await child.exited).code).toBe(0);
      const retried = child.logs.find(
        (line) => line.msg === 'the database could not be reached; trying again',
      );
      expect(retried?.reason).toBeTruthy();
      expect(await query(database.url, "SELECT 1 FROM pg_tables WHERE tablename = 'users'")).toHaveLength(1);
    } finally {
      database.close();
    }
  });

  it('applies every migration to an empty database and exits 0; a second run changes nothing', async () => {
    const databaseUrl = await createTestDatabase({ empty: true });
    const env = emmaEnv({ DATABASE_URL: databaseUrl });
    const first = spawn('migrate', env);
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const applied = await query<{ name: string }>(databaseUrl, 'SELECT name FROM pgmigrations ORDER BY id');
    expect(applied.length).toBeGreaterThan(0);
    expect(first.logs.some((line) => line.msg === `applied ${applied.length} migration(s)`)).toBe(true);
    // The schema is there: tables of the first and the history migration.
    await query(databaseUrl, 'SELECT 1 FROM users, rollup_progress LIMIT 1');

    const second = spawn('migrate', env);
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.logs.some((line) => line.msg === 'nothing to migrate')).toBe(true);
    expect(await query(databaseUrl, 'SELECT name FROM pgmigrations ORDER BY id')).toEqual(applied);
  });

  it('refuses without DATABASE_URL (the embedded database belongs to emma all)', async () => {
    const child = spawn('migrate', emmaEnv({}));
    expect((await child.exited).code).toBe(1);
    expect(child.stderr()).toContain('emma migrate needs DATABASE_URL');
  });

  it('rejects an unknown role with the usage line', async () => {
    const child = spawn('scheduler', emmaEnv({}));
    expect((await child.exited).code).toBe(2);
    expect(child.stderr()).toContain('usage: emma <all|api|realtime|worker|migrate>');
  });
});

describe('roles that do not migrate', () => {
  it.each(['realtime', 'worker'])(
    'emma %s refuses a database that still lacks migrations after EMMA_DB_WAIT_S, naming them',
    async (role) => {
      const databaseUrl = await createTestDatabase({ empty: true });
      const child = spawn(role, emmaEnv({ DATABASE_URL: databaseUrl, EMMA_DB_WAIT_S: '2' }));
      expect((await child.exited).code).toBe(1);
      expect(child.logs.some((line) => line.msg === 'waiting for the database')).toBe(true);
      expect(child.stderr()).toContain(`emma ${role} refuses to start`);
      expect(child.stderr()).toContain('run `emma migrate`');
      expect(child.stderr()).toContain('1764806400000_history');
      // It did not migrate on its own.
      expect(await query(databaseUrl, "SELECT 1 FROM pg_tables WHERE tablename = 'users'")).toHaveLength(0);
    },
  );

  it('emma worker waits for the migrations and starts once `emma migrate` has applied them', async () => {
    const databaseUrl = await createTestDatabase({ empty: true });
    const worker = spawn('worker', emmaEnv({ DATABASE_URL: databaseUrl, EMMA_DB_WAIT_S: '120' }));
    const waiting = await worker.waitForLog((line) => line.msg === 'waiting for the database');
    expect(waiting.reason).toMatch(/migration\(s\) not applied yet/);
    const migrator = spawn('migrate', emmaEnv({ DATABASE_URL: databaseUrl }));
    expect((await migrator.exited).code).toBe(0);
    await worker.waitForLog((line) => line.msg === 'eMMA is running: worker', 60_000);
    expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('emma worker refuses without DATABASE_URL', async () => {
    const child = spawn('worker', emmaEnv({}));
    expect((await child.exited).code).toBe(1);
    expect(child.stderr()).toContain('emma worker needs DATABASE_URL');
  });
});

describe('emma worker', () => {
  it('runs the jobs alone (no HTTP), keeps a heartbeat for the health check and exits 0 on SIGTERM', async () => {
    const databaseUrl = await createTestDatabase();
    const env = emmaEnv({ DATABASE_URL: databaseUrl });
    const worker = spawn('worker', env);
    await worker.waitForLog((line) => line.msg === 'eMMA is running: worker');
    // Its first rollup run has started the progress rows.
    expect((await query(databaseUrl, 'SELECT rollup FROM rollup_progress')).length).toBeGreaterThan(0);
    // The role has no HTTP listener: no log line names one.
    expect(worker.logs.some((line) => typeof line.url === 'string')).toBe(false);
    expect(await runHealthcheck('worker', env)).toMatchObject({ code: 0 });

    expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(worker.logs.some((line) => line.msg === 'shut down')).toBe(true);
    // Gone with the process: the health check no longer passes.
    const after = await runHealthcheck('worker', env);
    expect(after.code).toBe(1);
    expect(after.output).toContain('no worker heartbeat');
  });

  it('starts in-process on a migrated database and refuses an empty one', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'emma-worker-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const databaseUrl = await createTestDatabase();
      const config = loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        EMMA_JWT_SECRET: TEST_JWT_SECRET,
        EMMA_LOG_LEVEL: 'silent',
      });
      const logger = createLogger('silent');
      const role = await startWorkerRole(config, logger, databaseUrl);
      expect((await checkHealth('worker')).ok).toBe(true);
      expect(await role.worker.checkLiveness()).toEqual([]);
      await role.close();
      expect(await checkHealth('worker')).toEqual({
        ok: false,
        detail: `no worker heartbeat at ${path.join(tmp, 'emma-worker.alive')}`,
      });

      const empty = await createTestDatabase({ empty: true });
      await expect(startWorkerRole(config, logger, empty)).rejects.toBeInstanceOf(NotMigratedError);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });
});

describe('the health check', () => {
  let tmp: string;
  let previous: string | undefined;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'emma-health-'));
    previous = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  });

  it('reads the role from the container command line', () => {
    expect(roleFromCmdline('node\0--import\0tsx\0backend/src/main.ts\0worker\0')).toBe('worker');
    expect(roleFromCmdline('node\0--import\0tsx\0/app/backend/src/main.ts\0')).toBe('all');
    expect(roleFromCmdline('/bin/sh\0-c\0sleep 1\0')).toBeUndefined();
  });

  it('calls a worker heartbeat older than the limit stale, and a missing port unhealthy', async () => {
    const file = workerHeartbeatFile();
    expect(file).toBe(path.join(tmp, 'emma-worker.alive'));
    writeFileSync(file, 'x');
    const now = Date.now();
    utimesSync(file, new Date(now), new Date(now));
    expect((await checkHealth('worker', {}, now + 1000)).ok).toBe(true);
    const stale = await checkHealth('worker', {}, now + WORKER_HEARTBEAT_STALE_MS + 5000);
    expect(stale.ok).toBe(false);
    expect(stale.detail).toContain('stale');

    // A port nothing listens on: a server socket closed right away.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = String((server.address() as { port: number }).port);
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    expect((await checkHealth('api', { EMMA_HTTP_PORT: port })).ok).toBe(false);
    expect((await checkHealth('realtime', { EMMA_WS_PORT: port, EMMA_HOST: '0.0.0.0' })).ok).toBe(false);
    expect(await checkHealth('migrate', {})).toMatchObject({ ok: true });
    expect(await checkHealth('nonsense', {})).toEqual({ ok: false, detail: "unknown role 'nonsense'" });
  });
});
