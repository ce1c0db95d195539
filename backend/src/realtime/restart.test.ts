// A database restart under a running realtime server, on a PostgreSQL of its own (the shared test server
// cannot be stopped): the LISTEN connection comes back, clients re-sync, changes flow again, and new
// connections authenticate again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../../../test-support/until';
import { TEST_JWT_SECRET } from '../../test/harness';
import { freePort } from '../../test/support';
import { TestWs } from '../../test/ws';
import { loadConfig } from '../config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { migrate } from '../db/migrate';
import { createLogger } from '../logger';
import { signAccessToken } from '../modules/auth/tokens';
import { startRealtime, type RealtimeServer } from './index';

const logger = createLogger('silent');
let dir: string;
let port: number;
let database: EmbeddedDatabase | undefined;
let realtime: RealtimeServer | undefined;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-rt-restart-'));
  port = await freePort();
  database = await startEmbeddedPostgres(dir, port, logger);
  await migrate(database.url, 'up', logger);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const user = await client.query<{ id: string }>(
    `INSERT INTO users (email, name, role, password_hash) VALUES ('v@example.test', 'V', 'viewer', 'x') RETURNING id`,
  );
  const session = await client.query<{ id: string }>(
    `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + interval '1 day') RETURNING id`,
    [user.rows[0]!.id],
  );
  await client.end();
  token = signAccessToken(
    TEST_JWT_SECRET,
    { sub: user.rows[0]!.id, sid: session.rows[0]!.id, role: 'viewer' },
    600,
  );
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    EMMA_HOST: '127.0.0.1',
    EMMA_WS_PORT: '0',
    EMMA_JWT_SECRET: TEST_JWT_SECRET,
    EMMA_LOG_LEVEL: 'silent',
    EMMA_WS_COALESCE_MS: '20',
  });
  realtime = await startRealtime({
    config,
    logger,
    databaseUrl: database.url,
    jwtSecret: TEST_JWT_SECRET,
    tuning: { listenRetryMaxMs: 300 },
  });
});

afterAll(async () => {
  await realtime?.close();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function notify(url: string, payload: unknown): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SELECT pg_notify('emma_changes', $1)`, [JSON.stringify(payload)]);
  await client.end();
}

it('re-syncs its clients after PostgreSQL restarts, and carries on', async () => {
  const server = realtime!;
  const url = database!.url;
  const wsUrl = `ws://127.0.0.1:${server.port}/ws?access_token=${token}`;
  const client = await TestWs.connect(wsUrl);
  const seq = (await client.subscribe('overview')).seq as number;
  await notify(url, { t: 'probe', p: '6f1e2c1a-0000-4000-8000-000000000001', change: 'created' });
  expect((await client.take((m) => m.topic === 'overview')).seq).toBe(seq + 1);

  await database!.stop();
  database = undefined;
  await until('the lost connection', () => (server.stats().listening ? undefined : true), 10_000, 20);
  expect(client.closed).toBeUndefined();
  database = await startEmbeddedPostgres(dir, port, logger);

  expect(await client.take((m) => m.op === 'resync', 20_000)).toEqual({
    op: 'resync',
    reason: 'listen_reconnected',
  });
  await notify(url, { t: 'probe', p: '6f1e2c1a-0000-4000-8000-000000000001', change: 'updated' });
  expect(await client.take((m) => m.topic === 'overview')).toMatchObject({
    seq: seq + 2,
    data: { changes: [{ t: 'probe', change: 'updated' }] },
  });
  // The pool's connections died too; a new client is authenticated on fresh ones.
  const another = await TestWs.connect(wsUrl);
  await another.sync();
  another.close();
  client.close();
});
