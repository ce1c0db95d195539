// The container REST API for people: the filtered list, lookups by eMMA id, engine id or prefix, the
// history, the series, and who may do what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { ContainerAgent, containerInfo, engineId, stats } from './container-fixtures';

let t: TestServer;
let operator: string;
let viewer: string;
let shop: ContainerAgent;
let edge: ContainerAgent;
const now = Date.now();
const ids = {
  web: engineId(),
  db: engineId(),
  cache: engineId(),
  old: engineId(),
  twinA: engineId('abcdef012345'),
  twinB: engineId('abcdef012345'),
  edgeWeb: engineId(),
};

interface Item {
  id: string;
  containerId: string;
  name: string;
  agent: { id: string; name: string; status: string };
  [key: string]: unknown;
}

async function list(query = '', token = viewer) {
  const res = await t.request<{ items: Item[]; total: number; limit: number; offset: number }>(
    'GET',
    `/api/v1/containers${query}`,
    { token },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function names(query: string): Promise<string[]> {
  return (await list(query)).items.map((item) => `${item.name}@${item.agent.name}`);
}

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
  shop = await ContainerAgent.enrol(t, operator);
  edge = await ContainerAgent.enrol(t, operator);
  await t.db.query(`UPDATE agents SET name = 'shop-host' WHERE id = $1`, [shop.id]);
  await t.db.query(`UPDATE agents SET name = 'edge-host' WHERE id = $1`, [edge.id]);
  await shop.report(
    [
      containerInfo(ids.web, {
        name: 'shop-web',
        labels: { app: 'shop', tier: 'front' },
        health: 'healthy',
        restartCount: 3,
      }),
      containerInfo(ids.db, {
        name: 'shop-db',
        labels: { app: 'shop', 'com.example.backup': 'daily' },
        state: 'exited',
        exitCode: 0,
      }),
      containerInfo(ids.cache, { name: 'cache', labels: {}, health: 'unhealthy' }),
      containerInfo(ids.old, { name: 'old-job' }),
      containerInfo(ids.twinA, { name: 'twin-a', state: 'restarting' }),
    ],
    { at: now - 60_000 },
  );
  await shop.report(
    [
      containerInfo(ids.web, {
        name: 'shop-web',
        labels: { app: 'shop', tier: 'front' },
        health: 'healthy',
        restartCount: 3,
      }),
      containerInfo(ids.db, {
        name: 'shop-db',
        labels: { app: 'shop', 'com.example.backup': 'daily' },
        state: 'exited',
        exitCode: 0,
      }),
      containerInfo(ids.cache, { name: 'cache', labels: {}, health: 'unhealthy' }),
      containerInfo(ids.twinA, { name: 'twin-a', state: 'restarting' }),
    ],
    { at: now - 50_000 },
  );
  await edge.report(
    [containerInfo(ids.edgeWeb, { name: 'web' }), containerInfo(ids.twinB, { name: 'twin-b' })],
    { at: now - 50_000, actionsEnabled: false },
  );
  await shop.post({
    containerStats: [
      stats(ids.web, now - 20_000, { cpuPercent: 10 }),
      stats(ids.web, now - 10_000, { cpuPercent: 30 }),
    ],
  });
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/v1/containers', () => {
  it('lists live containers by name with their agent, state, stats and whether actions are possible', async () => {
    const page = await list();
    expect(page.items.map((i) => i.name)).toEqual([
      'cache',
      'shop-db',
      'shop-web',
      'twin-a',
      'twin-b',
      'web',
    ]);
    expect(page).toMatchObject({ total: 6, limit: 100, offset: 0 });
    const web = page.items.find((i) => i.name === 'shop-web')!;
    expect(web).toEqual({
      id: expect.any(String),
      containerId: ids.web,
      agent: { id: shop.id, name: 'shop-host', status: 'online' },
      name: 'shop-web',
      image: 'nginx:1.27',
      labels: { app: 'shop', tier: 'front' },
      state: 'running',
      health: 'healthy',
      exitCode: null,
      restartCount: 3,
      ports: [{ privatePort: 80, publicPort: 8080, type: 'tcp', ip: '0.0.0.0' }],
      createdAt: expect.any(String),
      startedAt: expect.any(String),
      finishedAt: null,
      stateSince: new Date(now - 60_000).toISOString(),
      stats: {
        cpuPercent: 30,
        memUsedBytes: 50_000_000,
        memLimitBytes: 1_000_000_000,
        netRxBytesPerS: 1000,
        netTxBytesPerS: 2000,
        blockReadBytesPerS: null,
        blockWriteBytesPerS: 10,
        pids: 4,
      },
      statsAt: new Date(now - 10_000).toISOString(),
      removedAt: null,
      actionsEnabled: true,
    });
    expect(page.items.find((i) => i.name === 'cache')).toMatchObject({ stats: null, statsAt: null });
    // The edge agent runs read-only.
    expect(page.items.find((i) => i.name === 'web')).toMatchObject({ actionsEnabled: false });
  });

  it('filters by agent, states, health, name, labels, and includes removed ones on request', async () => {
    expect(await names(`?agentId=${edge.id}`)).toEqual(['twin-b@edge-host', 'web@edge-host']);
    expect(await names('?state=exited,restarting')).toEqual(['shop-db@shop-host', 'twin-a@shop-host']);
    expect(await names('?health=unhealthy')).toEqual(['cache@shop-host']);
    expect(await names('?name=WEB')).toEqual(['shop-web@shop-host', 'web@edge-host']);
    expect(await names('?name=%25')).toEqual([]);
    expect(await names('?label=app%3Dshop')).toEqual(['shop-db@shop-host', 'shop-web@shop-host']);
    expect(await names('?label=app%3Dshop&label=tier')).toEqual(['shop-web@shop-host']);
    expect(await names('?label=com.example.backup')).toEqual(['shop-db@shop-host']);
    expect(await names('?label=app%3Dother')).toEqual([]);
    expect(await names(`?agentId=${shop.id}&includeRemoved=true&name=job`)).toEqual(['old-job@shop-host']);
    const removed = (await list('?includeRemoved=true&name=old-job')).items[0]!;
    expect(removed.removedAt).toEqual(expect.any(String));
    expect(removed.actionsEnabled).toBe(false);
    expect(await names('?includeRemoved=false&name=old-job')).toEqual([]);
  });

  it('pages like the other lists', async () => {
    const page = await list('?limit=2&offset=2');
    expect(page).toMatchObject({ total: 6, limit: 2, offset: 2 });
    expect(page.items.map((i) => i.name)).toEqual(['shop-web', 'twin-a']);
  });

  it('refuses unknown states, flags and parameters with 400', async () => {
    for (const query of ['?state=running,sleeping', '?includeRemoved=yes', '?health=bad', '?colour=red']) {
      const res = await t.request('GET', `/api/v1/containers${query}`, { token: viewer });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('leaves out the containers of deleted agents', async () => {
    const gone = await ContainerAgent.enrol(t, operator);
    await gone.report([containerInfo(engineId(), { name: 'zz-ghost' })]);
    expect(await names('?name=zz-ghost')).toEqual(['zz-ghost@web-1']);
    expect((await t.request('DELETE', `/api/v1/agents/${gone.id}`, { token: operator })).status).toBe(204);
    expect(await names('?name=zz-ghost')).toEqual([]);
  });
});

describe('GET /api/v1/containers/:id', () => {
  it('finds a container by eMMA id, full engine id, or a prefix of 12 or more hex digits (any case)', async () => {
    const { items } = await list('?name=shop-web');
    const uuid = items[0]!.id;
    for (const ref of [
      uuid,
      uuid.toUpperCase(),
      ids.web,
      ids.web.slice(0, 12),
      ids.web.slice(0, 30).toUpperCase(),
    ]) {
      const res = await t.request('GET', `/api/v1/containers/${ref}`, { token: viewer });
      expect(res.status, ref).toBe(200);
      expect(res.body).toMatchObject({ id: uuid, containerId: ids.web, stats: { cpuPercent: 30 } });
    }
  });

  it('answers 404 for unknown ids, 400 for short or malformed ones, 409 ambiguous for a shared prefix', async () => {
    const unknown = await t.request('GET', `/api/v1/containers/${engineId()}`, { token: viewer });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const uuid = await t.request('GET', '/api/v1/containers/00000000-0000-4000-8000-000000000000', {
      token: viewer,
    });
    expect(uuid.status).toBe(404);
    for (const bad of [ids.web.slice(0, 11), 'not-an-id', `${ids.web}0`]) {
      const res = await t.request('GET', `/api/v1/containers/${bad}`, { token: viewer });
      expect(res.status, bad).toBe(400);
    }
    const ambiguous = await t.request('GET', '/api/v1/containers/abcdef012345', { token: viewer });
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.error.code).toBe('ambiguous');
    expect(ambiguous.body.error.message).toMatch(/matches 2 containers/);
    expect(
      (ambiguous.body.error.details.matches as { containerId: string }[]).map((m) => m.containerId).sort(),
    ).toEqual([ids.twinA, ids.twinB].sort());
    // The full id of either twin is unambiguous.
    const twin = await t.request('GET', `/api/v1/containers/${ids.twinB}`, { token: viewer });
    expect(twin.body).toMatchObject({ name: 'twin-b', agent: { id: edge.id } });
    // So are the ambiguous routes below it.
    const events = await t.request('GET', '/api/v1/containers/abcdef012345/events', { token: viewer });
    expect(events.status).toBe(409);
  });
});

describe('GET /api/v1/containers/:id/events', () => {
  it('lists the history newest first, within from/to, at most limit', async () => {
    const id = engineId();
    const t0 = now - 40_000;
    await shop.report([containerInfo(id, { name: 'flappy' })], { at: t0, full: false });
    await shop.post({
      containerEvents: [
        { id, ts: t0 + 1000, action: 'die', exitCode: 1 },
        { id, ts: t0 + 2000, action: 'start' },
      ],
    });
    await shop.report([containerInfo(id, { name: 'flappy', health: 'unhealthy' })], {
      at: t0 + 3000,
      full: false,
    });
    const res = await t.request('GET', `/api/v1/containers/${id}/events`, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        ts: new Date(t0 + 3000).toISOString(),
        action: 'state',
        state: 'running',
        health: 'unhealthy',
        exitCode: null,
        message: null,
      },
      {
        ts: new Date(t0 + 2000).toISOString(),
        action: 'start',
        state: null,
        health: null,
        exitCode: null,
        message: null,
      },
      {
        ts: new Date(t0 + 1000).toISOString(),
        action: 'die',
        state: null,
        health: null,
        exitCode: 1,
        message: null,
      },
      {
        ts: new Date(t0).toISOString(),
        action: 'created',
        state: 'running',
        health: 'none',
        exitCode: null,
        message: null,
      },
    ]);
    const from = new Date(t0 + 1000).toISOString();
    const to = new Date(t0 + 3000).toISOString();
    const window = await t.request<{ items: { action: string }[] }>(
      'GET',
      `/api/v1/containers/${id}/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      { token: viewer },
    );
    expect(window.body.items.map((e) => e.action)).toEqual(['start', 'die']);
    const limited = await t.request<{ items: { action: string }[] }>(
      'GET',
      `/api/v1/containers/${id}/events?limit=1`,
      { token: viewer },
    );
    expect(limited.body.items.map((e) => e.action)).toEqual(['state']);
  });
});

describe('GET /api/v1/containers/:id/series', () => {
  it("returns the raw points of one of the container's metrics", async () => {
    const res = await t.request('GET', `/api/v1/containers/${ids.web}/series?metric=container.cpu.percent`, {
      token: viewer,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      metric: 'container.cpu.percent',
      labels: { container: 'shop-web' },
      truncated: false,
      points: [
        [now - 20_000, 10],
        [now - 10_000, 30],
      ],
    });
    const from = new Date(now - 15_000).toISOString();
    const narrow = await t.request(
      'GET',
      `/api/v1/containers/${ids.web}/series?metric=container.cpu.percent&from=${encodeURIComponent(from)}`,
      { token: viewer },
    );
    expect(narrow.body.points).toEqual([[now - 10_000, 30]]);
    const restarts = await t.request(
      'GET',
      `/api/v1/containers/${ids.web}/series?metric=container.restarts`,
      {
        token: viewer,
      },
    );
    expect(restarts.body.points).toEqual([
      [now - 60_000, 3],
      [now - 50_000, 3],
    ]);
    // A metric without points yet is an empty list; a metric that is not a container metric is refused.
    const none = await t.request('GET', `/api/v1/containers/${ids.cache}/series?metric=container.pids`, {
      token: viewer,
    });
    expect(none.body.points).toEqual([]);
    const other = await t.request('GET', `/api/v1/containers/${ids.web}/series?metric=cpu.percent`, {
      token: viewer,
    });
    expect(other.status).toBe(400);
  });
});

describe('permissions', () => {
  it('lets a viewer read but not act; an operator may act', async () => {
    const viewerAct = await t.request('POST', `/api/v1/containers/${ids.web}/actions`, {
      token: viewer,
      body: { action: 'restart' },
    });
    expect(viewerAct.status).toBe(403);
    expect(viewerAct.body.error).toMatchObject({
      code: 'forbidden',
      details: { required: 'containers:act' },
    });
    const operatorAct = await t.request('POST', `/api/v1/containers/${ids.web}/actions`, {
      token: operator,
      body: { action: 'restart' },
    });
    expect(operatorAct.status).toBe(202);
    const viewerReads = await t.request('GET', `/api/v1/containers/${ids.web}/actions`, { token: viewer });
    expect(viewerReads.status).toBe(200);
    expect(viewerReads.body.items).toHaveLength(1);
    const one = await t.request('GET', `/api/v1/container-actions/${operatorAct.body.id}`, { token: viewer });
    expect(one.status).toBe(200);
    const agentToken = await t.request('GET', '/api/v1/containers', { token: shop.credential });
    expect(agentToken.status).toBe(401);
  });
});
