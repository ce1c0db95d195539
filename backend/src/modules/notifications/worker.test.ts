// The delivery queue and its workers on a real database: enqueue rules, retries with backoff and a final
// failure visible in the API, lease expiry, and two workers racing over one queue sending each once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../../test/harness';
import { withTransaction } from '../../db/pool';
import { createLogger } from '../../logger';
import { enqueueNotifications, wakeNotificationWorkers } from './queue';
import { sampleMessage, startReceiver, type Receiver } from './receiver-fixtures';
import * as repo from './repo';
import { backoffMs, deliverDue, startDeliveryWorker, type DeliveryWorkerOptions } from './worker';

let t: TestServer;
let admin: string;
let receiver: Receiver;
let poolA: pg.Pool;
let poolB: pg.Pool;
const logger = createLogger('silent');

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.tokenFor();
  receiver = await startReceiver();
  poolA = new pg.Pool({ connectionString: t.databaseUrl, max: 4 });
  poolB = new pg.Pool({ connectionString: t.databaseUrl, max: 4 });
});
afterAll(async () => {
  await poolA.end();
  await poolB.end();
  await receiver.close();
  await t.close();
});

async function webhookChannel(path: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.request('POST', '/api/v1/notification-channels', {
    token: admin,
    body: { name: `hook ${path}`, type: 'webhook', config: { url: `${receiver.url}${path}` }, ...extra },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

function options(pool: pg.Pool, extra: Partial<DeliveryWorkerOptions> = {}): DeliveryWorkerOptions {
  return {
    pool,
    serverSecret: TEST_JWT_SECRET,
    logger,
    maxAttempts: 3,
    backoffBaseMs: 300,
    timeoutMs: 2000,
    ...extra,
  };
}

async function enqueue(channelIds: string[], overrides: Parameters<typeof sampleMessage>[0] = {}) {
  return withTransaction(t.server.pool, (db) =>
    enqueueNotifications(db, sampleMessage(overrides), channelIds),
  );
}

const delivery = (id: string) => t.request('GET', `/api/v1/notification-deliveries/${id}`, { token: admin });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hits = (path: string) => receiver.requests.filter((r) => r.path === path).length;

describe('enqueueNotifications', () => {
  it('queues one delivery per live, enabled channel and skips unknown, deleted and disabled ones', async () => {
    const live = await webhookChannel('/live');
    const deleted = await webhookChannel('/deleted');
    const disabled = await webhookChannel('/disabled', { enabled: false });
    await t.request('DELETE', `/api/v1/notification-channels/${deleted}`, { token: admin });
    const ids = await enqueue([
      live,
      deleted,
      disabled,
      '00000000-0000-4000-8000-000000000000',
      'nonsense',
      live,
    ]);
    expect(ids).toHaveLength(1);
    const queued = await delivery(ids[0]!);
    expect(queued.body).toMatchObject({
      channelId: live,
      status: 'pending',
      attempts: 0,
      event: 'opened',
      incidentId: sampleMessage().incidentId,
      severity: 'critical',
      attemptLog: [],
    });
    expect(await enqueue([])).toEqual([]);
    await expect(enqueue([live], { title: 'x'.repeat(301) })).rejects.toThrow();
    const byIncident = await t.request(
      'GET',
      `/api/v1/notification-deliveries?incidentId=${sampleMessage().incidentId}&status=pending`,
      { token: admin },
    );
    expect((byIncident.body.items as { id: string }[]).map((d) => d.id)).toContain(ids[0]);
    // Sent, so the later tests start with an empty queue.
    expect(await deliverDue(options(poolA))).toBeGreaterThanOrEqual(1);
  });
});

describe('the delivery worker', () => {
  it('backs off 10 s, 30 s, 2 min, 10 min, 30 min for a base of 10 s', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, 10_000))).toEqual([
      10_000, 30_000, 120_000, 600_000, 1_800_000, 1_800_000,
    ]);
  });

  it('retries a failing receiver with backoff, then fails for good with the last error in the API', async () => {
    const channel = await webhookChannel('/failing');
    receiver.respond = (req) => (req.path === '/failing' ? 503 : 200);
    const [id] = await enqueue([channel]);
    expect(await deliverDue(options(poolA))).toBe(1);
    let d = (await delivery(id!)).body;
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 503 });
    expect(d.lastError).toMatch(/^HTTP 503/);
    const wait = new Date(d.nextAttemptAt as string).getTime() - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(400);
    // Not due yet.
    expect(await deliverDue(options(poolA))).toBe(0);
    await sleep(350);
    expect(await deliverDue(options(poolA))).toBe(1);
    d = (await delivery(id!)).body;
    expect(d).toMatchObject({ status: 'pending', attempts: 2 });
    // The second retry waits three times the base.
    expect(new Date(d.nextAttemptAt as string).getTime() - Date.now()).toBeGreaterThan(500);
    await sleep(950);
    expect(await deliverDue(options(poolA))).toBe(1);
    d = (await delivery(id!)).body;
    expect(d).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 503, nextAttemptAt: null });
    expect((d.attemptLog as { attempt: number; ok: boolean }[]).map((a) => [a.attempt, a.ok])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(hits('/failing')).toBe(3);
    const failed = await t.request(
      'GET',
      `/api/v1/notification-deliveries?channelId=${channel}&status=failed`,
      {
        token: admin,
      },
    );
    expect(failed.body.items[0]).toMatchObject({
      id,
      status: 'failed',
      lastError: expect.stringMatching(/503/),
    });
    receiver.respond = () => 200;
  });

  it('succeeds on a retry after a passing failure', async () => {
    const channel = await webhookChannel('/flaky');
    let calls = 0;
    receiver.respond = (req) => (req.path === '/flaky' && ++calls === 1 ? 500 : 200);
    const [id] = await enqueue([channel]);
    await deliverDue(options(poolA, { backoffBaseMs: 50 }));
    await sleep(80);
    await deliverDue(options(poolA, { backoffBaseMs: 50 }));
    const d = (await delivery(id!)).body;
    expect(d).toMatchObject({ status: 'succeeded', attempts: 2, lastError: null, lastStatusCode: 200 });
    expect((d.attemptLog as { ok: boolean }[]).map((a) => a.ok)).toEqual([false, true]);
    receiver.respond = () => 200;
  });

  it('fails at once, without retrying, when the channel was deleted meanwhile', async () => {
    const channel = await webhookChannel('/gone');
    const [id] = await enqueue([channel]);
    await t.request('DELETE', `/api/v1/notification-channels/${channel}`, { token: admin });
    await deliverDue(options(poolA));
    expect((await delivery(id!)).body).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'channel deleted',
    });
    expect(hits('/gone')).toBe(0);
  });

  it('makes a delivery due again when the lease of a worker that died runs out', async () => {
    const channel = await webhookChannel('/lease');
    const [id] = await enqueue([channel]);
    // A worker takes it with a short lease and dies before sending.
    const taken = await repo.claimDue(poolB, { limit: 10, leaseMs: 300, maxAttempts: 3 });
    expect(taken.map((d) => d.id)).toEqual([id]);
    expect(await deliverDue(options(poolA))).toBe(0);
    expect((await delivery(id!)).body).toMatchObject({ status: 'sending', attempts: 1 });
    await sleep(350);
    expect(await deliverDue(options(poolA))).toBe(1);
    expect((await delivery(id!)).body).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(hits('/lease')).toBe(1);
    // The dead worker's late result changes nothing.
    expect(await repo.finish(poolB, id!, 1, { status: 'failed', statusCode: null, error: 'late' })).toBe(
      false,
    );
    expect((await delivery(id!)).body.status).toBe('succeeded');
  });

  it('fails a delivery whose lease ran out on its last attempt', async () => {
    const channel = await webhookChannel('/lease-last');
    const [id] = await enqueue([channel]);
    await t.db.query(`UPDATE notification_deliveries SET attempts = 2 WHERE id = $1`, [id]);
    await repo.claimDue(poolB, { limit: 10, leaseMs: 50, maxAttempts: 3 });
    await sleep(100);
    expect(await deliverDue(options(poolA))).toBe(0);
    const d = (await delivery(id!)).body;
    expect(d).toMatchObject({ status: 'failed', attempts: 3 });
    expect(d.lastError).toMatch(/lease expired/);
  });

  it('lets two workers share 50 deliveries so that each is sent exactly once', async () => {
    const channel = await webhookChannel('/race');
    receiver.respond = () => sleep(15).then(() => 200);
    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) ids.push(...(await enqueue([channel], { title: `race ${i}` })));
    const counted = (pool: pg.Pool) => {
      let sent = 0;
      const worker = startDeliveryWorker(
        options(pool, {
          everyMs: 60_000,
          batchSize: 5,
          fetch: (input, init) => {
            sent += 1;
            return fetch(input, init);
          },
        }),
      );
      return { worker, sent: () => sent };
    };
    const a = counted(poolA);
    const b = counted(poolB);
    await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);
    await Promise.all([a.worker.stop(), b.worker.stop()]);
    receiver.respond = () => 200;

    const titles = receiver.requests
      .filter((r) => r.path === '/race')
      .map((r) => (r.json as { title: string }).title)
      .sort();
    expect(titles).toHaveLength(50);
    expect(new Set(titles).size).toBe(50);
    expect(a.sent() + b.sent()).toBe(50);
    expect(a.sent()).toBeGreaterThan(0);
    expect(b.sent()).toBeGreaterThan(0);
    const states = await t.db.query<{ status: string; attempts: number; n: number }>(
      `SELECT status, attempts, count(*)::int AS n FROM notification_deliveries WHERE id = ANY($1::uuid[])
       GROUP BY status, attempts`,
      [ids],
    );
    expect(states.rows).toEqual([{ status: 'succeeded', attempts: 1, n: 50 }]);
  });

  it('starts at once when woken after an enqueue commits', async () => {
    const channel = await webhookChannel('/wake');
    const worker = startDeliveryWorker(options(poolA, { everyMs: 60_000 }));
    try {
      const [id] = await enqueue([channel]);
      wakeNotificationWorkers();
      const deadline = Date.now() + 5000;
      while (hits('/wake') === 0 && Date.now() < deadline) await sleep(20);
      expect(hits('/wake')).toBe(1);
      await sleep(50);
      expect((await delivery(id!)).body.status).toBe('succeeded');
    } finally {
      await worker.stop();
    }
  });
});
