// The fan-out under stress: a lost LISTEN connection, a client that stops reading, several realtime
// processes on one database, and a graceful shutdown.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../test-support/until';
import { startTestServer, type TestServer } from '../../test/harness';
import { startTestRealtime, TestWs, type TestRealtime } from '../../test/ws';
import { LISTEN_APPLICATION_NAME } from './bridge';

let t: TestServer;
let token: string;
const clients: TestWs[] = [];
const servers: TestRealtime[] = [];

beforeAll(async () => {
  t = await startTestServer();
  token = (await t.userWithRole('viewer')).token;
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const server of servers) await server.close();
  await t.close();
});

async function realtime(options: Parameters<typeof startTestRealtime>[1] = {}): Promise<TestRealtime> {
  const server = await startTestRealtime(t, options);
  servers.push(server);
  return server;
}

async function connect(server: TestRealtime): Promise<TestWs> {
  const client = await TestWs.connect(`${server.url}?access_token=${token}`);
  clients.push(client);
  return client;
}

async function notify(...payloads: unknown[]): Promise<void> {
  await t.db.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, i) ORDER BY i', [
    'emma_changes',
    payloads.map((p) => JSON.stringify(p)),
  ]);
}

describe('the LISTEN connection', () => {
  it('comes back after it was killed; clients are told to re-sync and hear later changes', async () => {
    const server = await realtime({ settings: { coalesceMs: 20 }, tuning: { listenRetryMaxMs: 200 } });
    const client = await connect(server);
    const a = randomUUID();
    const seq = (await client.subscribe(`agent:${a}`)).seq as number;
    await notify({ t: 'agent', a, status: 'online' });
    expect((await client.take((m) => m.topic === `agent:${a}`)).seq).toBe(seq + 1);

    const killed = await t.db.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
       WHERE application_name = $1 AND datname = current_database()`,
      [LISTEN_APPLICATION_NAME],
    );
    expect(killed.rows).toEqual([{ ok: true }]);
    expect(await client.take((m) => m.op === 'resync', 10_000)).toEqual({
      op: 'resync',
      reason: 'listen_reconnected',
    });
    expect(server.stats()).toMatchObject({ listening: true, listenLosses: 1 });
    await notify({ t: 'agent', a, status: 'offline' });
    expect(await client.take((m) => m.topic === `agent:${a}`)).toMatchObject({
      seq: seq + 2,
      data: { changes: [{ t: 'agent', a, status: 'offline' }] },
    });
    // A resume from before the gap cannot be replayed: the ring does not reach across it.
    const late = await connect(server);
    late.send({ op: 'subscribe', topic: `agent:${a}`, since: { epoch: server.epoch, seq } });
    expect(await late.take()).toEqual({ op: 'snapshot_required', topic: `agent:${a}` });
  });
});

describe('backpressure', () => {
  it('drops a client that stops reading while the others keep receiving', async () => {
    const limit = 64 * 1024;
    const server = await realtime({ settings: { coalesceMs: 20, maxBackpressureBytes: limit } });
    const slow = await connect(server);
    const fast = await connect(server);
    await slow.subscribe('overview');
    await fast.subscribe('overview');
    slow.tcp.pause();

    // About 120 KB per message; the socket buffers of the loopback take a few MB before uWS has to queue.
    const padding = 'x'.repeat(3000);
    let sent = 0;
    let fastSeen = 0;
    fast.ws.on('message', () => (fastSeen += 1));
    while (server.stats().droppedSlowClients === 0) {
      if (sent > 1000)
        throw new Error(`the slow client was never dropped: ${JSON.stringify(server.stats())}`);
      await notify(
        ...Array.from({ length: 40 }, () => ({ t: 'agent', a: randomUUID(), status: 'online', padding })),
      );
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(server.stats()).toMatchObject({ droppedSlowClients: 1, connections: 1 });
    // The fast client keeps up and keeps receiving.
    const marker = randomUUID();
    await notify({ t: 'agent', a: marker, status: 'online' });
    await until(
      'the marker at the fast client',
      () =>
        fast.received.some((m) => m.op === undefined && JSON.stringify(m.data).includes(marker))
          ? true
          : undefined,
      10_000,
      20,
    );
    expect(fastSeen).toBeGreaterThan(sent / 2);
    expect(fast.closed).toBeUndefined();
    // Reading again, the slow client finds what was queued, then the close: 4008 'too slow'.
    slow.tcp.resume();
    expect(await slow.waitClose(15_000)).toEqual({ code: 4008, reason: 'too slow' });
  });
});

describe('several realtime processes', () => {
  it('each deliver every change to their own clients', async () => {
    const one = await realtime({ settings: { coalesceMs: 20 } });
    const two = await realtime({ settings: { coalesceMs: 20 } });
    expect(one.epoch).not.toBe(two.epoch);
    const a = await connect(one);
    const b = await connect(two);
    await a.subscribe('overview');
    await b.subscribe('overview');
    const agent = randomUUID();
    await notify({ t: 'agent', a: agent, status: 'online' });
    for (const [client, server] of [
      [a, one],
      [b, two],
    ] as const) {
      expect(await client.take((m) => m.topic === 'overview')).toMatchObject({
        epoch: server.epoch,
        data: { changes: [{ t: 'agent', a: agent, status: 'online' }] },
      });
    }
  });

  it('close their sockets with 1001 when they shut down, and answer /health until then', async () => {
    const server = await realtime();
    const client = await connect(server);
    const health = await fetch(`http://127.0.0.1:${server.port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      role: 'realtime',
      connections: 1,
      listening: true,
    });
    expect((await fetch(`http://127.0.0.1:${server.port}/elsewhere`)).status).toBe(404);
    await server.close();
    expect(await client.waitClose()).toEqual({ code: 1001, reason: 'server shutting down' });
    await expect(fetch(`http://127.0.0.1:${server.port}/health`)).rejects.toThrow();
  });
});
