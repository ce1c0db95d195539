// Graceful shutdown of the roles as real processes: `emma api` finishes (and commits) an ingest batch in flight
// after SIGTERM while refusing new connections, and gives up after EMMA_SHUTDOWN_TIMEOUT_S with exit 1;
// `emma realtime` closes its WebSockets with 1001 "server shutting down" and exits 0.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestServer } from '../test/harness';
import { emmaEnv, runHealthcheck, spawnEmma, type EmmaProcess } from '../test/emma-process';
import { TestWs } from '../test/ws';
import { batch, enrolledAgent } from './modules/agents/agent-fixtures';

const running: EmmaProcess[] = [];
const clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => child.stop('SIGKILL')));
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
});

function spawn(role: string, env: NodeJS.ProcessEnv): EmmaProcess {
  const child = spawnEmma(role, env);
  running.push(child);
  return child;
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  clients.push(client);
  return client;
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A database with an enrolled agent (set up by an in-process server that is gone again). */
async function databaseWithAgent(): Promise<{ databaseUrl: string; agentId: string; credential: string }> {
  const t = await startTestServer();
  try {
    const operator = (await t.userWithRole('operator')).token;
    const agent = await enrolledAgent(t, operator);
    return { databaseUrl: t.databaseUrl, agentId: agent.agentId, credential: agent.credential };
  } finally {
    await t.close();
  }
}

/**
 * Starts `emma api`, holds the agent's row locked from another connection and posts a batch: the ingest
 * transaction waits on the lock, in flight. Then SIGTERM.
 */
async function apiWithBatchInFlight(env: Record<string, string>) {
  const { databaseUrl, agentId, credential } = await databaseWithAgent();
  const api = spawn('api', emmaEnv({ DATABASE_URL: databaseUrl, ...env }));
  const url = (await api.waitForRunning()).url!;

  const holder = await connect(databaseUrl);
  await holder.query('BEGIN');
  await holder.query('SELECT 1 FROM agents WHERE id = $1 FOR UPDATE', [agentId]);
  const now = Date.now();
  const ingest = fetch(`${url}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify(batch(1, [{ metric: 'cpu.percent', points: [[now - 1000, 42]] }])),
  });
  ingest.catch(() => undefined);
  await eventually(async () => {
    const waiting = await holder.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    );
    return waiting.rows[0]!.n > 0;
  }, 'the ingest transaction waits on the lock');

  api.child.kill('SIGTERM');
  await api.waitForLog((line) => line.msg === 'shutting down');
  return { api, url, holder, ingest, agentId };
}

describe('graceful shutdown', () => {
  it('emma api stops accepting, finishes the ingest batch in flight (it commits), then exits 0', async () => {
    const { api, url, holder, ingest, agentId } = await apiWithBatchInFlight({});
    // New connections are refused while the batch is still held.
    await eventually(
      () =>
        fetch(`${url}/health`).then(
          () => false,
          () => true,
        ),
      'the listener closes',
    );
    let exited = false;
    void api.exited.then(() => (exited = true));
    expect(exited).toBe(false);

    await holder.query('COMMIT');
    const response = await ingest;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: true, duplicate: false, samples: 1 });
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.logs.some((line) => line.msg === 'shut down')).toBe(true);

    const stored = await holder.query<{ value: number }>(
      `SELECT x.value FROM samples x JOIN series s ON s.id = x.series_id WHERE s.agent_id = $1`,
      [agentId],
    );
    expect(stored.rows).toEqual([{ value: 42 }]);
  });

  it('emma api exits 1 once EMMA_SHUTDOWN_TIMEOUT_S has passed with a request still in flight', async () => {
    const { api, holder } = await apiWithBatchInFlight({ EMMA_SHUTDOWN_TIMEOUT_S: '1' });
    // The lock is never released by the test while the process runs: only the time limit ends it.
    expect(await api.exited).toEqual({ code: 1, signal: null });
    expect(api.logs.some((line) => line.msg === 'shutdown did not finish within 1 s; exiting anyway')).toBe(
      true,
    );
    await holder.query('ROLLBACK');
  });

  it('emma realtime answers its health check, then closes WebSockets with 1001 and exits 0', async () => {
    const databaseUrl = await createTestDatabase();
    const t = await startTestServer({}, { databaseUrl });
    const token = await t.tokenFor();
    await t.close();

    const env = emmaEnv({ DATABASE_URL: databaseUrl });
    const realtime = spawn('realtime', env);
    const port = (await realtime.waitForRunning()).port!;
    expect(await runHealthcheck('realtime', { ...env, EMMA_WS_PORT: String(port) })).toMatchObject({
      code: 0,
    });
    const client = await TestWs.connect(`ws://127.0.0.1:${port}/ws?access_token=${token}`);
    expect(await client.subscribe('overview')).toMatchObject({ op: 'subscribed', topic: 'overview' });

    realtime.child.kill('SIGTERM');
    expect(await client.waitClose(30_000)).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await realtime.exited).toEqual({ code: 0, signal: null });
    expect(realtime.logs.some((line) => line.msg === 'shut down')).toBe(true);
  });

  it('emma all (API, worker and WebSocket in one process) exits 0 on SIGINT', async () => {
    const databaseUrl = await createTestDatabase();
    const env = emmaEnv({ DATABASE_URL: databaseUrl });
    const all = spawn('all', env);
    const url = (await all.waitForRunning()).url!;
    expect(await runHealthcheck('all', { ...env, EMMA_HTTP_PORT: new URL(url).port })).toMatchObject({
      code: 0,
    });
    all.child.kill('SIGINT');
    expect(await all.exited).toEqual({ code: 0, signal: null });
    expect(all.logs.some((line) => line.msg === 'shut down')).toBe(true);
  });
});
