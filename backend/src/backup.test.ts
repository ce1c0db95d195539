// Backup and restore of a running system (issue 10): scripts/backup.sh dumps the database while the server
// serves and ingests, scripts/restore.sh loads the dump into an empty database, and a second server on the
// restored database gives the same answers: raw and rolled-up history, probes, users, an intact audit chain,
// and the partitioned tables with every partition.
//
// pg_dump refuses servers newer than itself. When the test PostgreSQL (embedded: 17) is newer than every
// pg_dump on this machine (Debian 12 ships 15), the test runs on a private cluster of the newest server
// binaries that pg_dump can dump (/usr/lib/postgresql/<major>/bin), which Debian's `postgresql` installs.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { startTestServer, type TestServer } from '../test/harness';
import { freePort, withDatabase } from '../test/support';
import { batch, enrolledAgent, postIngest } from './modules/agents/agent-fixtures';
import { runRollups } from './modules/history/rollup';
import { createProbe, exampleHttpProbe } from './modules/probes/probe-fixtures';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const MINUTE = 60_000;
const HOUR = 3_600_000;
const PARTITIONED = ['samples', 'samples_1m', 'samples_1h', 'probe_results_1m', 'probe_results_1h'];

/** The major version of a PostgreSQL tool's `--version`, or 0 when it does not run. */
async function majorOf(binary: string): Promise<number> {
  try {
    const { stdout } = await run(binary, ['--version']);
    return Number(/(\d+)(?:\.\d+)?/.exec(stdout)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const LIB = '/usr/lib/postgresql';
const libMajors = (): number[] =>
  existsSync(LIB)
    ? readdirSync(LIB)
        .map(Number)
        .filter(Number.isInteger)
        .sort((a, b) => b - a)
    : [];

/** The newest pg_dump major the scripts can find (they search the same places, newest wins). */
async function newestPgDump(): Promise<number> {
  const candidates = ['pg_dump', ...libMajors().map((m) => `${LIB}/${m}/bin/pg_dump`)];
  if (process.env.EMMA_PG_BIN) candidates.push(path.join(process.env.EMMA_PG_BIN, 'pg_dump'));
  return Math.max(0, ...(await Promise.all(candidates.map(majorOf))));
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Math.floor(Number(result.rows[0]!.v) / 10_000);
  } finally {
    await client.end();
  }
}

interface Cluster {
  adminUrl: string;
  stop(): Promise<void>;
}

/** A private PostgreSQL of Debian's binaries `major` on a free port of 127.0.0.1. */
async function privateCluster(major: number): Promise<Cluster> {
  const bin = `${LIB}/${major}/bin`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'emma-backup-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: the cluster belongs to the postgres user then.
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', `${bin}/${tool}`, ...args])
      : run(`${bin}/${tool}`, args);
  // A password, as a real server has: the scripts must keep it out of what they print.
  const password = randomBytes(12).toString('hex');
  const pwfile = path.join(dir, 'pwfile');
  await writeFile(pwfile, `${password}\n`, { mode: 0o644 });
  await pgRun('initdb', [
    '-D',
    data,
    '-U',
    'emma',
    `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  await pgRun('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`,
    'start',
  ]);
  return {
    adminUrl: `postgres://emma:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An empty database on the server of `adminUrl`. */
async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

async function partitionCounts(db: pg.Pool): Promise<Record<string, number>> {
  const result = await db.query<{ parent: string; partitions: number }>(
    `SELECT p.relname AS parent, count(i.inhrelid)::int AS partitions
     FROM pg_class p LEFT JOIN pg_inherits i ON i.inhparent = p.oid
     WHERE p.relname = ANY($1) AND p.relkind = 'p' GROUP BY p.relname`,
    [PARTITIONED],
  );
  return Object.fromEntries(result.rows.map((row) => [row.parent, row.partitions]));
}

let cluster: Cluster | undefined;
let adminUrl: string;
let source: TestServer;
let restored: TestServer | undefined;
let workDir: string;
let agentId: string;
let sourceToken: string;
let credential: string;
const suffix = randomBytes(4).toString('hex');
/** A whole hour well past (ingest takes it, the rollups close it), so every bucket below is final. */
const base = Math.floor((Date.now() - 4 * HOUR) / HOUR) * HOUR;

const seriesQuery = (t: TestServer, token: string, params: Record<string, string | number>) =>
  t.request(
    'GET',
    `/api/v1/series/query?${new URLSearchParams(
      Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString()}`,
    { token },
  );

const RAW = () => ({
  agent: agentId,
  metric: 'cpu.percent',
  from: new Date(base + 10 * MINUTE).toISOString(),
  to: new Date(base + 20 * MINUTE).toISOString(),
});
const HOURLY = () => ({
  agent: agentId,
  metric: 'cpu.percent',
  from: new Date(base).toISOString(),
  to: new Date(base + 2 * HOUR).toISOString(),
  step: 3600,
});

/** What the API answers for the data the test made, as the admin of `t` sees it. */
async function answers(t: TestServer, token: string) {
  const raw = await seriesQuery(t, token, RAW());
  const hourly = await seriesQuery(t, token, HOURLY());
  const probes = await t.request('GET', '/api/v1/probes', { token });
  const users = await t.request('GET', '/api/v1/users', { token });
  expect([raw.status, hourly.status, probes.status, users.status]).toEqual([200, 200, 200, 200]);
  // Logins change a user's last login: compare who the users are.
  const people = (users.body.items as { id: string; email: string; role: string }[]).map(
    ({ id, email, role }) => ({ id, email, role }),
  );
  return { raw: raw.body, hourly: hourly.body, probes: probes.body, users: people };
}

let before: Awaited<ReturnType<typeof answers>>;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'emma-backup-'));
  adminUrl = inject('adminDatabaseUrl');
  const dumpMajor = await newestPgDump();
  if (dumpMajor === 0) throw new Error('no pg_dump on this machine: apt-get install postgresql-client');
  if ((await serverMajor(adminUrl)) > dumpMajor) {
    let major = libMajors().find((m) => m <= dumpMajor && existsSync(`${LIB}/${m}/bin/postgres`));
    if (major === undefined) {
      await run('bash', [path.join(ROOT, 'scripts/apt-install.sh'), '--no-recommends', 'postgresql']);
      major = libMajors().find((m) => m <= dumpMajor && existsSync(`${LIB}/${m}/bin/postgres`));
    }
    if (major === undefined) throw new Error(`no PostgreSQL server of version <= ${dumpMajor} to dump`);
    cluster = await privateCluster(major);
    adminUrl = cluster.adminUrl;
  }
  // The server migrates its (empty) database on start, as in production.
  source = await startTestServer(
    {},
    { databaseUrl: await createDatabase(adminUrl, `emma_backup_source_${suffix}`) },
  );
  sourceToken = await source.tokenFor();
  await source.userWithRole('viewer');
  const agent = await enrolledAgent(source, sourceToken);
  agentId = agent.agentId;
  credential = agent.credential;
  // Two hours of one sample a minute (value = minute index), in two batches, through the ingest API.
  const points = (from: number): [number, number][] =>
    Array.from({ length: 60 }, (_, i) => [base + (from + i) * MINUTE + 5_000, from + i]);
  for (const [seq, from] of [
    [1, 0],
    [2, 60],
  ] as const) {
    const res = await postIngest(
      source,
      agent.credential,
      batch(seq, [{ metric: 'cpu.percent', points: points(from) }]),
    );
    expect(res.status).toBeLessThan(300);
  }
  await runRollups(source.server.pool, { budgetMs: Infinity });
  await createProbe(source, sourceToken, exampleHttpProbe({ agentId }, { name: 'backup probe' }));
  before = await answers(source, sourceToken);
}, 300_000);

afterAll(async () => {
  await restored?.close();
  // `source` is unset when the set-up failed before starting it.
  await (source as TestServer | undefined)?.close();
  await cluster?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 120_000);

describe('scripts/backup.sh and scripts/restore.sh', () => {
  it('restores a dump taken from the running server into a server that serves the same history', async () => {
    // The answers are real: raw minutes and hourly averages of the rolled-up tier.
    expect(before.raw).toMatchObject({ tier: 'raw' });
    expect(before.raw.series[0].points).toEqual(
      Array.from({ length: 10 }, (_, i) => [base + (10 + i) * MINUTE + 5_000, 10 + i]),
    );
    expect(before.hourly).toMatchObject({ tier: '1h', stepS: 3600 });
    expect(before.hourly.series[0].points).toEqual([
      [base, 29.5],
      [base + HOUR, 89.5],
    ]);
    const rolledUp = await source.db.query<{ n: number }>('SELECT count(*)::int AS n FROM samples_1h');
    expect(rolledUp.rows[0]!.n).toBeGreaterThan(0);

    // Dump while the server runs and takes another batch (a later metric, outside the compared answers).
    const file = path.join(workDir, 'emma.dump');
    const env = { ...process.env, DATABASE_URL: source.databaseUrl };
    const [dump, concurrent] = await Promise.all([
      run('bash', [path.join(ROOT, 'scripts/backup.sh'), file], { env }),
      postIngest(
        source,
        credential,
        batch(3, [{ metric: 'mem.used.bytes', points: [[Date.now() - MINUTE, 1e9]] }]),
      ),
    ]);
    expect(concurrent.status).toBeLessThan(300);
    expect(dump.stdout.trim()).toBe(file);
    expect(dump.stderr).toContain('pg_dump (PostgreSQL)');
    const password = new URL(source.databaseUrl).password;
    expect(password.length).toBeGreaterThan(0);
    expect(dump.stderr).not.toContain(password);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(`${file}.partial`)).toBe(false);

    // Restore into a fresh, empty database.
    const target = await createDatabase(adminUrl, `emma_backup_restored_${suffix}`);
    const restore = await run('bash', [path.join(ROOT, 'scripts/restore.sh'), file], {
      env: { ...process.env, DATABASE_URL: target },
    });
    expect(restore.stderr).toContain('--clean --if-exists --no-owner');

    restored = await startTestServer({}, { databaseUrl: target });
    expect(await partitionCounts(restored.db)).toEqual(await partitionCounts(source.db));
    const parts = await partitionCounts(restored.db);
    for (const table of PARTITIONED) expect(parts[table], table).toBeGreaterThan(0);

    // The same admin logs in (same password hash), and every answer is the same.
    const token = await restored.tokenFor();
    expect(await answers(restored, token)).toEqual(before);
    const verify = await restored.request('GET', '/api/v1/audit/verify', { token });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ intact: true, firstBrokenId: null });
    expect(verify.body.checked).toBeGreaterThan(3);

    // The restored system goes on working: the same agent, with its credential, sends its next batch.
    const next = await postIngest(
      restored,
      credential,
      batch(4, [{ metric: 'cpu.percent', points: [[Date.now() - MINUTE, 1]] }]),
    );
    expect(next.status).toBeLessThan(300);
  });

  it('restore.sh refuses without DATABASE_URL, and backup.sh reports a dump it cannot make', async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    await expect(
      run('bash', [path.join(ROOT, 'scripts/restore.sh'), path.join(workDir, 'emma.dump')], { env }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('DATABASE_URL is not set') });
    const file = path.join(workDir, 'never.dump');
    await expect(
      run('bash', [path.join(ROOT, 'scripts/backup.sh'), file], {
        env: { ...env, DATABASE_URL: withDatabase(adminUrl, 'emma_backup_no_such_database') },
      }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('pg_dump failed') });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });
});
