// /api/v1/dashboards: CRUD of a user's own layouts, widget validation with field details, who sees and who
// may change (own, shared read-only, private of others), admins deleting, and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';

let t: TestServer;
let admin: string;
let alice: { id: string; token: string; email: string };
let bob: { id: string; token: string; email: string };

const AGENT = '6f1c9a52-3d7e-4b8a-9f3e-2a1b4c5d6e7f';

const chart = {
  id: 'cpu',
  type: 'chart',
  title: 'CPU',
  x: 0,
  y: 0,
  w: 6,
  h: 2,
  query: { metric: ['cpu.percent', 'load.1m'], agent: AGENT, range: '24h', agg: 'avg' },
};
const status = {
  id: 'hosts',
  type: 'status',
  title: 'Hosts',
  x: 6,
  y: 0,
  w: 6,
  h: 1,
  selector: { kind: 'agents', labels: { env: 'prod' } },
};
const incidents = {
  id: 'open',
  type: 'incidents',
  title: 'Open incidents',
  x: 0,
  y: 2,
  w: 12,
  h: 2,
  status: ['open', 'acknowledged'],
  severity: ['critical'],
  limit: 10,
};

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.tokenFor();
  alice = await t.userWithRole('viewer');
  bob = await t.userWithRole('operator');
});
afterAll(async () => {
  await t.close();
});

async function create(token: string, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/v1/dashboards', { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; [key: string]: unknown };
}

function errorPaths(body: unknown): string[] {
  return (body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
}

async function auditActions(id: string): Promise<{ action: string; actor_id: string | null }[]> {
  const res = await t.db.query<{ action: string; actor_id: string | null }>(
    `SELECT action, actor_id FROM audit_log WHERE target_type = 'dashboard' AND target_id = $1 ORDER BY id`,
    [id],
  );
  return res.rows;
}

describe('CRUD', () => {
  it('a viewer creates, reads, changes and deletes their own dashboard, every write audited', async () => {
    const created = await create(alice.token, { name: 'My hosts', widgets: [chart, status, incidents] });
    expect(created).toMatchObject({
      name: 'My hosts',
      description: '',
      shared: false,
      mine: true,
      widgetCount: 3,
      owner: { id: alice.id, email: alice.email },
      widgets: [chart, status, incidents],
    });

    const got = await t.request('GET', `/api/v1/dashboards/${created.id}`, { token: alice.token });
    expect(got.status).toBe(200);
    expect(got.body.widgets).toEqual([chart, status, incidents]);

    const patched = await t.request('PATCH', `/api/v1/dashboards/${created.id}`, {
      token: alice.token,
      body: { name: 'Production', widgets: [{ ...status, y: 0, x: 0, w: 12 }] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Production', widgetCount: 1, shared: false });
    expect(patched.body.widgets).toEqual([{ ...status, x: 0, w: 12 }]);

    // A partial change keeps the rest.
    const described = await t.request('PATCH', `/api/v1/dashboards/${created.id}`, {
      token: alice.token,
      body: { description: 'the prod fleet' },
    });
    expect(described.body).toMatchObject({
      name: 'Production',
      description: 'the prod fleet',
      widgetCount: 1,
    });

    const deleted = await t.request('DELETE', `/api/v1/dashboards/${created.id}`, { token: alice.token });
    expect(deleted.status).toBe(204);
    expect((await t.request('GET', `/api/v1/dashboards/${created.id}`, { token: alice.token })).status).toBe(
      404,
    );
    const row = await t.db.query('SELECT deleted_at FROM dashboards WHERE id = $1', [created.id]);
    expect(row.rows[0].deleted_at).not.toBeNull();

    expect(await auditActions(created.id)).toEqual([
      { action: 'dashboard.created', actor_id: alice.id },
      { action: 'dashboard.updated', actor_id: alice.id },
      { action: 'dashboard.updated', actor_id: alice.id },
      { action: 'dashboard.deleted', actor_id: alice.id },
    ]);
    const update = await t.db.query<{ before: { name: string }; after: { name: string } }>(
      `SELECT before, after FROM audit_log WHERE target_id = $1 AND action = 'dashboard.updated' ORDER BY id LIMIT 1`,
      [created.id],
    );
    expect(update.rows[0]).toMatchObject({ before: { name: 'My hosts' }, after: { name: 'Production' } });
  });

  it('fills defaults of a widget title', async () => {
    const untitled: Partial<typeof incidents> = { ...incidents };
    delete untitled.title;
    const created = await create(alice.token, { name: 'defaults', widgets: [untitled] });
    expect(created.widgets).toEqual([{ ...untitled, title: '' }]);
  });
});

describe('validation', () => {
  it('refuses bad widgets with the path of each problem', async () => {
    const res = await t.request('POST', '/api/v1/dashboards', {
      token: alice.token,
      body: {
        name: 'bad',
        widgets: [
          { ...chart, query: { metric: ['CPU'], range: '2h' } },
          { ...status, id: 'cpu', selector: { kind: 'things' } },
          { ...incidents, limit: 51, w: 13 },
          { ...incidents, id: 'wide', x: 8, w: 6 },
          { id: 'x', type: 'map', x: 0, y: 0, w: 1, h: 1 },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = errorPaths(res.body);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.widgets.0.query.metric.0',
        'body.widgets.0.query.range',
        'body.widgets.1.selector.kind',
        'body.widgets.2.limit',
        'body.widgets.2.w',
        'body.widgets.3.w',
        'body.widgets.4.type',
      ]),
    );
  });

  it('needs an agent or agent labels for a chart, and unique widget ids', async () => {
    const noAgent = await t.request('POST', '/api/v1/dashboards', {
      token: alice.token,
      body: { name: 'x', widgets: [{ ...chart, query: { metric: ['cpu.percent'], range: '1h' } }] },
    });
    expect(noAgent.status).toBe(400);
    expect(errorPaths(noAgent.body)).toContain('body.widgets.0.query.agent');

    const byLabels = await t.request('POST', '/api/v1/dashboards', {
      token: alice.token,
      body: {
        name: 'x',
        widgets: [
          { ...chart, query: { metric: ['cpu.percent'], agentLabels: { env: 'prod' }, range: '1y' } },
        ],
      },
    });
    expect(byLabels.status).toBe(201);

    const dup = await t.request('POST', '/api/v1/dashboards', {
      token: alice.token,
      body: { name: 'x', widgets: [chart, { ...status, id: 'cpu' }] },
    });
    expect(dup.status).toBe(400);
    expect(errorPaths(dup.body)).toEqual(['body.widgets.1.id']);
  });

  it('bounds the number of widgets and of metrics, and needs a name', async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ ...incidents, id: `w${i}` }));
    const tooMany = await t.request('POST', '/api/v1/dashboards', {
      token: alice.token,
      body: { name: 'x', widgets: many },
    });
    expect(tooMany.status).toBe(400);
    expect(errorPaths(tooMany.body)).toContain('body.widgets');

    const metrics = ['a.b', 'c.d', 'e.f', 'g.h', 'i.j', 'k.l'];
    const tooManyMetrics = await t.request('POST', '/api/v1/dashboards', {
      token: alice.token,
      body: { name: 'x', widgets: [{ ...chart, query: { ...chart.query, metric: metrics } }] },
    });
    expect(tooManyMetrics.status).toBe(400);
    expect(errorPaths(tooManyMetrics.body)).toContain('body.widgets.0.query.metric');

    const noName = await t.request('POST', '/api/v1/dashboards', { token: alice.token, body: { name: ' ' } });
    expect(noName.status).toBe(400);
    expect(errorPaths(noName.body)).toEqual(['body.name']);

    const own = await create(alice.token, { name: 'patch me' });
    const empty = await t.request('PATCH', `/api/v1/dashboards/${own.id}`, { token: alice.token, body: {} });
    expect(empty.status).toBe(400);
    const unknown = await t.request('PATCH', `/api/v1/dashboards/${own.id}`, {
      token: alice.token,
      body: { owner: bob.id },
    });
    expect(unknown.status).toBe(400);
  });
});

describe('visibility', () => {
  it("keeps another user's private dashboard invisible (404), and a shared one read-only (403)", async () => {
    const secret = await create(bob.token, { name: 'Bob private', widgets: [chart] });
    const open = await create(bob.token, { name: 'Bob shared', shared: true, widgets: [status] });

    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'mine now' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.request(method, `/api/v1/dashboards/${secret.id}`, { token: alice.token, body });
      expect(res.status, method).toBe(404);
    }

    const read = await t.request('GET', `/api/v1/dashboards/${open.id}`, { token: alice.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'Bob shared', mine: false, shared: true, owner: { id: bob.id } });
    expect(read.body.widgets).toEqual([status]);

    const write = await t.request('PATCH', `/api/v1/dashboards/${open.id}`, {
      token: alice.token,
      body: { name: 'hijacked' },
    });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(/owner/);
    const del = await t.request('DELETE', `/api/v1/dashboards/${open.id}`, { token: alice.token });
    expect(del.status).toBe(403);
    expect((await t.request('GET', `/api/v1/dashboards/${open.id}`, { token: bob.token })).body.name).toBe(
      'Bob shared',
    );

    // Unsharing hides it again.
    await t.request('PATCH', `/api/v1/dashboards/${open.id}`, { token: bob.token, body: { shared: false } });
    expect((await t.request('GET', `/api/v1/dashboards/${open.id}`, { token: alice.token })).status).toBe(
      404,
    );
  });

  it('lists own dashboards first, then shared ones, with owner, counts, filter and paging', async () => {
    const carol = await t.userWithRole('viewer');
    const dave = await t.userWithRole('viewer');
    await create(dave.token, { name: 'Zeta shared', shared: true, widgets: [chart, status] });
    await create(dave.token, { name: 'Dave private' });
    await create(carol.token, { name: 'Carol board', widgets: [incidents] });

    const res = await t.request('GET', '/api/v1/dashboards?limit=1000', { token: carol.token });
    expect(res.status).toBe(200);
    const names = (res.body.items as { name: string }[]).map((d) => d.name);
    expect(names[0]).toBe('Carol board');
    expect(names).toContain('Zeta shared');
    expect(names).not.toContain('Dave private');
    expect(names).not.toContain('Bob private');
    expect(res.body.total).toBe(names.length);
    const zeta = (res.body.items as { name: string }[]).find((d) => d.name === 'Zeta shared');
    expect(zeta).toMatchObject({
      mine: false,
      shared: true,
      widgetCount: 2,
      owner: { id: dave.id, email: dave.email, name: expect.any(String) },
    });
    expect(res.body.items[0]).toMatchObject({ mine: true, widgetCount: 1 });
    expect(res.body.items[0]).not.toHaveProperty('widgets');

    const filtered = await t.request('GET', '/api/v1/dashboards?q=zeta', { token: carol.token });
    expect((filtered.body.items as { name: string }[]).map((d) => d.name)).toEqual(['Zeta shared']);
    expect(filtered.body.total).toBe(1);

    const paged = await t.request('GET', '/api/v1/dashboards?limit=1&offset=1', { token: carol.token });
    expect(paged.body).toMatchObject({ limit: 1, offset: 1, total: names.length });
    expect((paged.body.items as { name: string }[]).map((d) => d.name)).toEqual([names[1]]);
  });

  it("lets an admin delete anyone's dashboard, audited with the admin as actor", async () => {
    const own = await create(alice.token, { name: 'to be removed' });
    const res = await t.request('DELETE', `/api/v1/dashboards/${own.id}`, { token: admin });
    expect(res.status).toBe(204);
    expect((await t.request('GET', `/api/v1/dashboards/${own.id}`, { token: alice.token })).status).toBe(404);
    const actions = await auditActions(own.id);
    expect(actions.map((a) => a.action)).toEqual(['dashboard.created', 'dashboard.deleted']);
    expect(actions[1]?.actor_id).not.toBe(alice.id);
    // But not change it.
    const other = await create(alice.token, { name: 'admin cannot edit' });
    expect(
      (await t.request('PATCH', `/api/v1/dashboards/${other.id}`, { token: admin, body: { name: 'x' } }))
        .status,
    ).toBe(404);
  });

  it('needs a signed-in user', async () => {
    expect((await t.request('GET', '/api/v1/dashboards')).status).toBe(401);
    expect((await t.request('POST', '/api/v1/dashboards', { body: { name: 'x' } })).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents the dashboard routes with their permissions and the widget union', async () => {
    const doc = (await t.request('GET', '/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-permission': string }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.paths['/api/v1/dashboards']?.get?.['x-permission']).toBe('dashboards:read');
    expect(doc.paths['/api/v1/dashboards']?.post?.['x-permission']).toBe('dashboards:write');
    expect(doc.paths['/api/v1/dashboards/{id}']?.get?.['x-permission']).toBe('dashboards:read');
    expect(doc.paths['/api/v1/dashboards/{id}']?.patch?.['x-permission']).toBe('dashboards:write');
    expect(doc.paths['/api/v1/dashboards/{id}']?.delete?.['x-permission']).toBe('dashboards:write');
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Dashboard', 'Widget', 'ChartWidget', 'StatusWidget', 'IncidentsWidget']),
    );
  });
});
