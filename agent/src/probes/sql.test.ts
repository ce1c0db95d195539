// Runs against a real PostgreSQL — the test run's own (embedded, or EMMA_TEST_DATABASE_URL's server), with a
// password — and the MariaDB on this machine (127.0.0.1:3306, root without a password). When MariaDB is
// missing these tests fail, naming what is missing.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ProbeOutcome } from '@emma/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runProbe } from './runner';
import { agentProbe, closedPort, ensureTestMariadb } from './test-support';

const PG_URL = new URL(inject('adminDatabaseUrl'));
const PG = {
  host: PG_URL.hostname,
  port: Number(PG_URL.port || 5432),
  user: decodeURIComponent(PG_URL.username),
  password: decodeURIComponent(PG_URL.password),
  database: PG_URL.pathname.slice(1) || 'postgres',
};
/** How the probe names the server in its messages. */
const PG_ADDR = `${PG.host}:${PG.port}`;
const MY = { host: '127.0.0.1', port: 3306, user: 'root' };

async function requirePostgres(): Promise<void> {
  const client = new pg.Client({ ...PG, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is required at ${PG_ADDR} (the test run's database) for the SQL probe tests: ${String(error)}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function mariadbRoot(): Promise<mysql.Connection> {
  await ensureTestMariadb();
  try {
    return await mysql.createConnection({ ...MY, password: '', connectTimeout: 5000 });
  } catch (error) {
    throw new Error(
      `MariaDB/MySQL is required at 127.0.0.1:3306 (user root, empty password) for the SQL probe tests: ${String(error)}`,
    );
  }
}

const sql = (config: Record<string, unknown>, timeoutMs = 5000): Promise<ProbeOutcome> =>
  runProbe(agentProbe('sql', config, timeoutMs));

function expectNoSecret(outcome: ProbeOutcome, secret: string): void {
  expect(JSON.stringify(outcome)).not.toContain(secret);
}

describe('sql probe: PostgreSQL', () => {
  beforeAll(requirePostgres);
  const config = { engine: 'postgres', ...PG };

  it('is up for a query that succeeds, comparing the first value as text', async () => {
    const outcome = await sql({ ...config, query: 'SELECT 42::bigint, now()', expectFirstValue: '42' });
    expect(outcome.status).toBe('up');
    expect(outcome.message).toMatch(
      new RegExp(`^postgres ${PG_ADDR.replaceAll('.', '\\.')}: query ok in .* \\(1 row\\)$`),
    );
    expect(outcome.details).toMatchObject({ engine: 'postgres', rowCount: 1, firstValue: '42' });
    expect(outcome.latencyMs).toBeGreaterThan(0);
    // The server's own text: booleans are t/f, numerics keep their scale.
    const bool = await sql({ ...config, query: 'SELECT true', expectFirstValue: 't' });
    expect(bool.status).toBe('up');
    const numeric = await sql({ ...config, query: 'SELECT 1.50::numeric', expectFirstValue: '1.50' });
    expect(numeric.status).toBe('up');
  });

  it('is down when the first value differs or there is no row', async () => {
    const wrong = await sql({ ...config, query: 'SELECT 1', expectFirstValue: '2' });
    expect(wrong).toMatchObject({
      status: 'down',
      message: `postgres ${PG_ADDR}: first value "1", expected "2"`,
    });
    const none = await sql({ ...config, query: 'SELECT 1 WHERE false', expectFirstValue: '1' });
    expect(none).toMatchObject({
      status: 'down',
      message: `postgres ${PG_ADDR}: first value no row, expected "1"`,
    });
    const nul = await sql({ ...config, query: 'SELECT NULL', expectFirstValue: '' });
    expect(nul.message).toBe(`postgres ${PG_ADDR}: first value NULL, expected ""`);
  });

  it('is down for a failing query, a missing database and a closed port', async () => {
    const syntax = await sql({ ...config, query: 'SELEC 1' });
    expect(syntax).toEqual({ status: 'down', latencyMs: null, message: 'syntax error at or near "SELEC"' });
    const nodb = await sql({ ...config, database: 'emma_no_such_db' });
    expect(nodb).toMatchObject({ status: 'down', message: 'database "emma_no_such_db" does not exist' });
    const port = await closedPort();
    const closed = await sql({ ...config, port });
    expect(closed).toEqual({
      status: 'down',
      latencyMs: null,
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('times out a slow query and leaves nothing running on the server', async () => {
    const started = Date.now();
    const outcome = await sql({ ...config, query: 'SELECT pg_sleep(2)' }, 500);
    expect(outcome).toEqual({ status: 'down', latencyMs: null, message: 'timed out after 500 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
    const admin = new pg.Client(PG);
    await admin.connect();
    try {
      await expect
        .poll(
          async () =>
            (
              await admin.query<{ n: string }>(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'emma-probe' AND query LIKE '%pg_sleep(2)%'",
              )
            ).rows[0]?.n,
          { timeout: 1000 },
        )
        .toBe('0');
    } finally {
      await admin.end();
    }
  });

  it('never reveals the password, in outcomes or errors', async () => {
    // The real password of the test database, put where a careless probe would echo it: in a query's
    // value and in an error text.
    const password = PG.password;
    expect(password.length).toBeGreaterThan(8);
    const echoed = await sql({
      ...config,
      password,
      query: `SELECT 'value-${password}'`,
      expectFirstValue: 'x',
    });
    expect(echoed.status).toBe('down');
    expect(echoed.message).toBe(`postgres ${PG_ADDR}: first value "value-***", expected "x"`);
    expect(echoed.details?.firstValue).toBe('value-***');
    expectNoSecret(echoed, password);
    const failed = await sql({ ...config, password, query: `SELECT * FROM "${password}"` });
    expect(failed).toEqual({ status: 'down', latencyMs: null, message: 'relation "***" does not exist' });
  });
});

describe('sql probe: MariaDB', () => {
  const user = `emma_probe_${randomBytes(4).toString('hex')}`;
  const password = `Secret-${randomBytes(8).toString('hex')}`;
  let root: mysql.Connection | undefined;

  beforeAll(async () => {
    root = await mariadbRoot();
    await root.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await root.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
  });
  afterAll(async () => {
    if (!root) return;
    await root.query(`DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`);
    await root.end();
  });
  const config = { engine: 'mysql', ...MY };

  it('is up for root without a password, comparing the first value as text', async () => {
    const outcome = await sql({ ...config, query: 'SELECT 1 + 1, NOW()', expectFirstValue: '2' });
    expect(outcome.status).toBe('up');
    expect(outcome.message).toMatch(/^mysql 127\.0\.0\.1:3306: query ok in .* \(1 row\)$/);
    expect(outcome.details).toMatchObject({ engine: 'mysql', rowCount: 1, firstValue: '2' });
    const decimal = await sql({
      ...config,
      query: 'SELECT CAST(1.5 AS DECIMAL(5,2))',
      expectFirstValue: '1.50',
    });
    expect(decimal.status).toBe('up');
  });

  it('logs in with a password and refuses a wrong one without showing either', async () => {
    const ok = await sql({ ...config, user, password, query: 'SELECT CURRENT_USER()' });
    expect(ok.status).toBe('up');
    expect(String(ok.details?.firstValue)).toMatch(new RegExp(`^${user}@`));
    const wrongPassword = `${password}-wrong`;
    const refused = await sql({ ...config, user, password: wrongPassword });
    expect(refused.status).toBe('down');
    expect(refused.latencyMs).toBeNull();
    expect(refused.message).toMatch(
      new RegExp(`^Access denied for user '${user}'@'[^']+' \\(using password: YES\\)$`),
    );
    expectNoSecret(refused, wrongPassword);
    expectNoSecret(refused, password);
  });

  it('scrubs the password from values and server errors', async () => {
    const echoed = await sql({
      ...config,
      user,
      password,
      query: `SELECT '${password}'`,
      expectFirstValue: 'x',
    });
    expect(echoed.message).toBe('mysql 127.0.0.1:3306: first value "***", expected "x"');
    expectNoSecret(echoed, password);
    const failed = await sql({ ...config, user, password, query: `SELECT \`${password}\`` });
    expect(failed).toMatchObject({ status: 'down', latencyMs: null });
    expect(failed.message).toMatch(/^Unknown column '\*\*\*' in '/);
    expectNoSecret(failed, password);
  });

  it('is down for a closed port and times out a slow query', async () => {
    const port = await closedPort();
    const closed = await sql({ ...config, port });
    expect(closed).toEqual({
      status: 'down',
      latencyMs: null,
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    const started = Date.now();
    const slow = await sql({ ...config, query: 'SELECT SLEEP(2)' }, 500);
    expect(slow).toEqual({ status: 'down', latencyMs: null, message: 'timed out after 500 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
