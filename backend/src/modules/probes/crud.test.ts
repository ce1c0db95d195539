// /api/v1/probes: create, read, change and delete probes; who may; what the body must look like; and the
// audit trail of every change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { enrolledAgent, itemIds, postIngest, batch } from '../agents/agent-fixtures';
import {
  auditRows,
  createProbe,
  exampleHttpProbe,
  getProbe,
  probeResult,
  type ProbeBody,
} from './probe-fixtures';

let t: TestServer;
let admin: string;
let operator: { id: string; token: string };
let viewer: string;
let agentId: string;
let credential: string;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EXPANDED_HTTP_CONFIG = {
  url: 'https://intranet.example',
  method: 'GET',
  headers: {},
  expectStatus: '200-299',
  keyword: 'OK',
  followRedirects: true,
  ignoreTlsErrors: false,
};

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.tokenFor();
  operator = await t.userWithRole('operator');
  viewer = (await t.userWithRole('viewer')).token;
  const agent = await enrolledAgent(t, operator.token);
  agentId = agent.agentId;
  credential = agent.credential;
});
afterAll(async () => {
  await t.close();
});

/** The field paths of a validation error answer. */
function errorPaths(body: unknown): string[] {
  return (body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
}

async function probeCount(): Promise<number> {
  const result = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM probes');
  return result.rows[0]!.n;
}

async function probeRow(id: string) {
  const result = await t.db.query<{
    name: string;
    type: string;
    config: Record<string, unknown>;
    interval_s: number;
    timeout_ms: number;
    retries: number;
    agent_id: string | null;
    labels: Record<string, string> | null;
    paused: boolean;
    created_by: string | null;
    deleted_at: Date | null;
  }>('SELECT * FROM probes WHERE id = $1', [id]);
  return result.rows[0];
}

describe('POST /api/v1/probes', () => {
  it("creates the issue's example probe as an operator, defaults filled, state pending", async () => {
    const res = await t.request<ProbeBody>('POST', '/api/v1/probes', {
      token: operator.token,
      body: exampleHttpProbe({ agentId }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID),
      name: 'intranet',
      type: 'http',
      config: EXPANDED_HTTP_CONFIG,
      secretsSet: [],
      intervalS: 30,
      timeoutMs: 5000,
      retries: 2,
      agentId,
      labels: null,
      paused: false,
      state: 'pending',
      agents: [],
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });
    expect(await probeRow(res.body.id)).toMatchObject({
      name: 'intranet',
      type: 'http',
      config: EXPANDED_HTTP_CONFIG,
      interval_s: 30,
      timeout_ms: 5000,
      retries: 2,
      agent_id: agentId,
      labels: null,
      paused: false,
      created_by: operator.id,
      deleted_at: null,
    });
    expect(await getProbe(t, viewer, res.body.id)).toEqual(res.body);
  });

  it('creates a probe with a label selector instead of an agent, as an admin', async () => {
    const res = await t.request<ProbeBody>('POST', '/api/v1/probes', {
      token: admin,
      body: exampleHttpProbe({ labels: { site: 'berlin' } }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      agentId: null,
      labels: { site: 'berlin' },
      state: 'pending',
      config: EXPANDED_HTTP_CONFIG,
    });
    expect(await probeRow(res.body.id)).toMatchObject({ agent_id: null, labels: { site: 'berlin' } });
  });

  it('fills the defaults of interval, timeout, retries and of the type (tcp, tls, sql)', async () => {
    const tcp = await createProbe(t, operator.token, {
      name: 'ssh',
      type: 'tcp',
      agentId,
      config: { host: 'h', port: 22 },
    });
    expect(tcp).toMatchObject({ intervalS: 60, timeoutMs: 10_000, retries: 0, paused: false });
    expect(tcp.config).toEqual({ host: 'h', port: 22 });
    const tls = await createProbe(t, operator.token, {
      name: 'cert',
      type: 'tls',
      agentId,
      config: { host: 'h' },
    });
    expect(tls.config).toEqual({ host: 'h', port: 443, minDaysLeft: 14, allowUntrusted: false });
    const paused = await createProbe(t, operator.token, {
      name: 'paused from the start',
      type: 'icmp',
      agentId,
      paused: true,
      config: { host: 'h' },
    });
    expect(paused).toMatchObject({ paused: true, state: 'paused' });
    expect(paused.config).toEqual({ host: 'h', count: 3, degradedLossPercent: 0 });
  });

  const invalid: [string, (agentId: string) => Record<string, unknown>, string][] = [
    [
      'both agentId and labels',
      (a) => exampleHttpProbe({ agentId: a, labels: { site: 'x' } }),
      'body.agentId',
    ],
    ['neither agentId nor labels', () => exampleHttpProbe({}), 'body.agentId'],
    [
      'intervalS below 5',
      (a) => exampleHttpProbe({ agentId: a }, { intervalS: 4, timeoutMs: 1000 }),
      'body.intervalS',
    ],
    [
      'timeoutMs above the interval',
      (a) => exampleHttpProbe({ agentId: a }, { timeoutMs: 31_000 }),
      'body.timeoutMs',
    ],
    [
      'timeoutMs equal to the interval',
      (a) => exampleHttpProbe({ agentId: a }, { intervalS: 5, timeoutMs: 5000 }),
      'body.timeoutMs',
    ],
    ['an unknown type', (a) => ({ ...exampleHttpProbe({ agentId: a }), type: 'smtp' }), 'body.type'],
    [
      'tcp without a port',
      (a) => ({ name: 'x', type: 'tcp', agentId: a, config: { host: 'h' } }),
      'body.config.port',
    ],
    [
      'http with an ftp:// url',
      (a) => ({ name: 'x', type: 'http', agentId: a, config: { url: 'ftp://files.example' } }),
      'body.config.url',
    ],
    [
      'http with a bad expectStatus',
      (a) => ({
        name: 'x',
        type: 'http',
        agentId: a,
        config: { url: 'https://a.example', expectStatus: '2xx' },
      }),
      'body.config.expectStatus',
    ],
    [
      'a config field of another type',
      (a) => ({
        name: 'x',
        type: 'tcp',
        agentId: a,
        config: { host: 'h', port: 1, url: 'https://a.example' },
      }),
      'body.config',
    ],
    [
      'sql without engine',
      (a) => ({ name: 'x', type: 'sql', agentId: a, config: { host: 'h', user: 'u' } }),
      'body.config.engine',
    ],
    ['an empty name', (a) => exampleHttpProbe({ agentId: a }, { name: ' ' }), 'body.name'],
  ];
  it.each(invalid)('refuses %s with 400 and the field path', async (_name, body, path) => {
    const before = await probeCount();
    const res = await t.request('POST', '/api/v1/probes', { token: operator.token, body: body(agentId) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(errorPaths(res.body)).toContain(path);
    expect(await probeCount()).toBe(before);
  });

  // BUG (schemas.ts, CreateProbeSchema): the object of common fields is .strict(), but inside z.intersection
  // zod 4 reports an unknown key only when every side rejects it, and the ProbeDefinitionSchema members
  // strip unknown keys. So a typo is dropped silently: `interval: 300` creates a probe that runs every 60 s.
  it('refuses unknown top-level fields, e.g. a misspelt interval, with 400 (like PATCH does)', async () => {
    const before = await probeCount();
    const { intervalS: _intervalS, ...body } = exampleHttpProbe({ agentId }, { name: 'typo' });
    const res = await t.request('POST', '/api/v1/probes', {
      token: operator.token,
      body: { ...body, interval: 300 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
    expect(await probeCount()).toBe(before);
  });

  it('refuses an unknown or deleted agent with 422 unknown_agent', async () => {
    const before = await probeCount();
    const unknown = await t.request('POST', '/api/v1/probes', {
      token: operator.token,
      body: exampleHttpProbe({ agentId: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({
      code: 'unknown_agent',
      details: [{ path: 'body.agentId', code: 'unknown_agent' }],
    });
    const gone = await enrolledAgent(t, operator.token);
    expect(
      (await t.request('DELETE', `/api/v1/agents/${gone.agentId}`, { token: operator.token })).status,
    ).toBe(204);
    const deleted = await t.request('POST', '/api/v1/probes', {
      token: operator.token,
      body: exampleHttpProbe({ agentId: gone.agentId }),
    });
    expect(deleted.status).toBe(422);
    expect(deleted.body.error.code).toBe('unknown_agent');
    expect(await probeCount()).toBe(before);
  });
});

describe('RBAC', () => {
  it('lets a viewer read but not create, change or delete (403), and anonymous nothing (401)', async () => {
    const probe = await createProbe(t, operator.token, exampleHttpProbe({ agentId }, { name: 'rbac' }));
    const before = await probeCount();

    const create = await t.request('POST', '/api/v1/probes', {
      token: viewer,
      body: exampleHttpProbe({ agentId }),
    });
    expect(create.status).toBe(403);
    expect(create.body.error).toMatchObject({ code: 'forbidden', details: { required: 'probes:write' } });
    const patch = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: viewer,
      body: { paused: true },
    });
    expect(patch.status).toBe(403);
    const del = await t.request('DELETE', `/api/v1/probes/${probe.id}`, { token: viewer });
    expect(del.status).toBe(403);

    expect(await probeCount()).toBe(before);
    expect(await probeRow(probe.id)).toMatchObject({ paused: false, deleted_at: null });
    expect((await auditRows(t, probe.id)).map((r) => r.action)).toEqual(['probe.created']);

    expect((await t.request('GET', `/api/v1/probes/${probe.id}`, { token: viewer })).status).toBe(200);
    const list = await t.request('GET', '/api/v1/probes?q=rbac', { token: viewer });
    expect(list.status).toBe(200);
    expect(itemIds(list.body)).toEqual([probe.id]);
    for (const path of ['', '/results', '/uptime', '/events']) {
      expect((await t.request('GET', `/api/v1/probes/${probe.id}${path}`, { token: viewer })).status).toBe(
        200,
      );
    }

    expect((await t.request('GET', '/api/v1/probes')).status).toBe(401);
    expect((await t.request('POST', '/api/v1/probes', { body: exampleHttpProbe({ agentId }) })).status).toBe(
      401,
    );
  });

  it('lets operators and admins change and delete', async () => {
    for (const token of [operator.token, admin]) {
      const probe = await createProbe(t, token, exampleHttpProbe({ agentId }));
      const patched = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
        token,
        body: { name: 'renamed' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.name).toBe('renamed');
      expect((await t.request('DELETE', `/api/v1/probes/${probe.id}`, { token })).status).toBe(204);
    }
  });
});

describe('GET /api/v1/probes', () => {
  it('lists live probes with filters on type and name, and their state', async () => {
    const a = await createProbe(t, operator.token, {
      name: 'list-zeta',
      type: 'dns',
      agentId,
      config: { name: 'example.org' },
    });
    const b = await createProbe(t, operator.token, {
      name: 'list-alpha',
      type: 'dns',
      agentId,
      paused: true,
      config: { name: 'example.org' },
    });
    const gone = await createProbe(t, operator.token, {
      name: 'list-gone',
      type: 'dns',
      agentId,
      config: { name: 'example.org' },
    });
    await t.request('DELETE', `/api/v1/probes/${gone.id}`, { token: operator.token });

    const all = await t.request('GET', '/api/v1/probes?q=list-', { token: viewer });
    expect(all.status).toBe(200);
    expect(itemIds(all.body)).toEqual([b.id, a.id]); // by name
    expect(all.body).toMatchObject({ total: 2, limit: 100, offset: 0 });
    expect(all.body.items[0]).toMatchObject({ state: 'paused', agents: [] });

    const dns = await t.request('GET', '/api/v1/probes?type=dns', { token: viewer });
    expect(itemIds(dns.body)).toEqual([b.id, a.id]);
    const paused = await t.request('GET', '/api/v1/probes?q=list-&state=paused', { token: viewer });
    expect(itemIds(paused.body)).toEqual([b.id]);
    const page = await t.request('GET', '/api/v1/probes?q=list-&limit=1&offset=1', { token: viewer });
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(itemIds(page.body)).toEqual([a.id]);
    expect((await t.request('GET', '/api/v1/probes?type=smtp', { token: viewer })).status).toBe(400);
  });
});

describe('GET /api/v1/probes?state=', () => {
  it('filters by the state each probe shows, in the database, with total and paging', async () => {
    const make = (name: string) =>
      createProbe(t, operator.token, exampleHttpProbe({ agentId }, { name, retries: 0 }));
    const down1 = await make('state-filter-a-down');
    const down2 = await make('state-filter-b-down');
    const slow = await make('state-filter-c-degraded');
    const fine = await make('state-filter-d-up');
    const fresh = await make('state-filter-e-pending');
    const ts = Date.now() - 1000;
    const posted = await postIngest(
      t,
      credential,
      batch(Date.now(), [], {
        probeResults: [
          probeResult(down1.id, 'down', ts, null, 'refused'),
          probeResult(down2.id, 'down', ts, null, 'refused'),
          probeResult(slow.id, 'degraded', ts, 2500, 'slow'),
          probeResult(fine.id, 'up', ts, 12, 'ok'),
        ],
      }),
    );
    expect(posted.status).toBe(200);
    const ids = async (query: string) => {
      const res = await t.request('GET', `/api/v1/probes?q=state-filter-&${query}`, { token: viewer });
      expect(res.status).toBe(200);
      return {
        ids: itemIds(res.body),
        total: res.body.total as number,
        states: (res.body.items as { state: string }[]).map((p) => p.state),
      };
    };
    expect(await ids('state=down')).toEqual({
      ids: [down1.id, down2.id],
      total: 2,
      states: ['down', 'down'],
    });
    expect(await ids('state=down&limit=1&offset=1')).toMatchObject({ ids: [down2.id], total: 2 });
    expect((await ids('state=degraded')).ids).toEqual([slow.id]);
    expect((await ids('state=up')).ids).toEqual([fine.id]);
    expect((await ids('state=pending')).ids).toEqual([fresh.id]);
  });
});

describe('GET /api/v1/probes/:id', () => {
  it('includes the overall state and the state per agent', async () => {
    const probe = await createProbe(t, operator.token, exampleHttpProbe({ agentId }, { retries: 0 }));
    const ts = Date.now() - 1000;
    const posted = await postIngest(
      t,
      credential,
      batch(Date.now(), [], { probeResults: [probeResult(probe.id, 'degraded', ts, 2500, 'slow answer')] }),
    );
    expect(posted.body.rejectedSamples).toBe(0);
    const res = await t.request('GET', `/api/v1/probes/${probe.id}`, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('degraded');
    expect(res.body.agents).toEqual([
      {
        agentId,
        state: 'degraded',
        consecutiveFailures: 0,
        since: new Date(ts).toISOString(),
        lastResultAt: new Date(ts).toISOString(),
        lastLatencyMs: 2500,
        lastMessage: 'slow answer',
      },
    ]);
  });

  it('answers 404 for an unknown probe and 400 for an id that is no uuid', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const method of ['GET', 'DELETE']) {
      const res = await t.request(method, `/api/v1/probes/${unknown}`, { token: operator.token });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const patch = await t.request('PATCH', `/api/v1/probes/${unknown}`, {
      token: operator.token,
      body: { name: 'x' },
    });
    expect(patch.status).toBe(404);
    expect((await t.request('GET', '/api/v1/probes/nope', { token: operator.token })).status).toBe(400);
  });
});

describe('PATCH /api/v1/probes/:id', () => {
  it("changes the config, validated against the type's schema with its defaults", async () => {
    const probe = await createProbe(t, operator.token, exampleHttpProbe({ agentId }));
    const res = await t.request<ProbeBody>('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator.token,
      body: { config: { url: 'http://intranet.example/health', method: 'HEAD' }, retries: 1, intervalS: 60 },
    });
    expect(res.status).toBe(200);
    const config = {
      url: 'http://intranet.example/health',
      method: 'HEAD',
      headers: {},
      expectStatus: '200-399',
      followRedirects: true,
      ignoreTlsErrors: false,
    };
    expect(res.body).toMatchObject({ config, retries: 1, intervalS: 60, timeoutMs: 5000, state: 'pending' });
    expect(await probeRow(probe.id)).toMatchObject({ config, retries: 1, interval_s: 60 });
    expect(await getProbe(t, viewer, probe.id)).toEqual(res.body);
  });

  it('refuses a config that does not match the type, and other invalid changes, with 400', async () => {
    const probe = await createProbe(t, operator.token, exampleHttpProbe({ agentId }));
    const cases: [unknown, string][] = [
      [{ config: { url: 'ftp://files.example' } }, 'body.config.url'],
      [{ config: { host: 'h', port: 22 } }, 'body.config.url'], // a tcp config on an http probe
      [{ config: { url: 'https://a.example', expectStatus: '600' } }, 'body.config.expectStatus'],
      [{ timeoutMs: 30_000 }, 'body.timeoutMs'],
      [{ intervalS: 5 }, 'body.timeoutMs'], // 5000 ms timeout is no longer shorter than the interval
      [{ intervalS: 4 }, 'body.intervalS'],
      [{ type: 'tcp' }, 'body'],
      [{}, 'body'],
      [{ agentId, labels: { site: 'x' } }, 'body'],
    ];
    for (const [body, path] of cases) {
      const res = await t.request('PATCH', `/api/v1/probes/${probe.id}`, { token: operator.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(errorPaths(res.body), JSON.stringify(body)).toContain(path);
    }
    const unknownAgent = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator.token,
      body: { agentId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknownAgent.status).toBe(422);
    expect(await probeRow(probe.id)).toMatchObject({
      config: EXPANDED_HTTP_CONFIG,
      interval_s: 30,
      timeout_ms: 5000,
      agent_id: agentId,
    });
    expect((await auditRows(t, probe.id)).map((r) => r.action)).toEqual(['probe.created']);
  });

  it('pauses and resumes a probe', async () => {
    const probe = await createProbe(t, operator.token, exampleHttpProbe({ agentId }));
    const paused = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator.token,
      body: { paused: true },
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ paused: true, state: 'paused' });
    expect(await probeRow(probe.id)).toMatchObject({ paused: true });
    const resumed = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator.token,
      body: { paused: false },
    });
    expect(resumed.body).toMatchObject({ paused: false, state: 'pending' });
  });

  it('moves a probe between an agent and a label selector', async () => {
    const probe = await createProbe(t, operator.token, exampleHttpProbe({ agentId }));
    const toLabels = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator.token,
      body: { labels: { site: 'paris' } },
    });
    expect(toLabels.body).toMatchObject({ agentId: null, labels: { site: 'paris' } });
    const toAgent = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator.token,
      body: { agentId },
    });
    expect(toAgent.body).toMatchObject({ agentId, labels: null });
    expect(await probeRow(probe.id)).toMatchObject({ agent_id: agentId, labels: null });
  });
});

describe('DELETE /api/v1/probes/:id', () => {
  it('soft-deletes: the row stays, the API no longer finds it', async () => {
    const probe = await createProbe(t, operator.token, exampleHttpProbe({ agentId }, { name: 'to-delete' }));
    const res = await t.request('DELETE', `/api/v1/probes/${probe.id}`, { token: operator.token });
    expect(res.status).toBe(204);
    const row = await probeRow(probe.id);
    expect(row?.name).toBe('to-delete');
    expect(row?.deleted_at).toBeInstanceOf(Date);
    expect((await t.request('GET', `/api/v1/probes/${probe.id}`, { token: operator.token })).status).toBe(
      404,
    );
    expect(
      (await t.request('PATCH', `/api/v1/probes/${probe.id}`, { token: operator.token, body: { name: 'x' } }))
        .status,
    ).toBe(404);
    expect((await t.request('DELETE', `/api/v1/probes/${probe.id}`, { token: operator.token })).status).toBe(
      404,
    );
    expect(itemIds((await t.request('GET', '/api/v1/probes?q=to-delete', { token: viewer })).body)).toEqual(
      [],
    );
  });
});

describe('audit', () => {
  it('records probe.created, probe.updated and probe.deleted with actor and snapshots', async () => {
    const probe = await createProbe(t, operator.token, exampleHttpProbe({ agentId }, { name: 'audited' }));
    await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: admin,
      body: { name: 'audited-2', paused: true },
    });
    await t.request('DELETE', `/api/v1/probes/${probe.id}`, { token: operator.token });

    const rows = await auditRows(t, probe.id);
    expect(rows.map((r) => r.action)).toEqual(['probe.created', 'probe.updated', 'probe.deleted']);
    expect(rows[0]).toMatchObject({
      actor_id: operator.id,
      before: null,
      after: { id: probe.id, name: 'audited', type: 'http', config: EXPANDED_HTTP_CONFIG, agentId },
    });
    expect(rows[1]).toMatchObject({
      actor_email: 'admin@example.test',
      before: { name: 'audited', paused: false },
      after: { name: 'audited-2', paused: true, state: 'paused' },
    });
    expect(rows[2]).toMatchObject({ actor_id: operator.id, before: { name: 'audited-2' }, after: null });
  });
});
