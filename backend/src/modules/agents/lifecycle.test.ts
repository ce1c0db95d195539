// An enrolled agent's life: its configuration (with ETag), revocation, deletion, credential rotation,
// and the management endpoints around them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { ChangeListener } from '../probes/probe-fixtures';
import { agentGet, agentRow, batch, enrolledAgent, eventKinds, itemIds, postIngest } from './agent-fixtures';

let t: TestServer;
let operator: string;
let viewer: string;

beforeAll(async () => {
  t = await startTestServer({ EMMA_INGEST_MAX_BATCH_SAMPLES: '5000' });
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
});
afterAll(async () => {
  await t.close();
});

const CONFIG = '/api/v1/agents/self/config';
const cpu = (seq: number) => batch(seq, [{ metric: 'cpu.percent', points: [[Date.now(), 12.5]] }]);

describe('GET /api/v1/agents/self/config', () => {
  it('serves the configuration with an ETag and answers 304 to If-None-Match', async () => {
    const agent = await enrolledAgent(t, operator);
    const res = await agentGet(t, agent.credential, CONFIG);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      agentId: agent.agentId,
      status: 'offline',
      intervalS: 10,
      heartbeatS: 10,
      maxBatchSamples: 5000,
      rotateCredential: false,
      probes: [],
    });
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);

    const again = await agentGet(t, agent.credential, CONFIG, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    const other = await agentGet(t, agent.credential, CONFIG, { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);

    const patched = await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, {
      token: operator,
      body: { intervalS: 30 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.intervalS).toBe(30);
    const changed = await agentGet(t, agent.credential, CONFIG, { 'if-none-match': etag! });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ intervalS: 30, heartbeatS: 30 });
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('gives each agent its own ETag', async () => {
    const a = await enrolledAgent(t, operator);
    const b = await enrolledAgent(t, operator);
    const etagA = (await agentGet(t, a.credential, CONFIG)).headers.get('etag');
    const res = await agentGet(t, b.credential, CONFIG, { 'if-none-match': etagA! });
    expect(res.status).toBe(200);
    expect(res.body.agentId).toBe(b.agentId);
  });

  it('refuses missing, malformed and wrong credentials with 401', async () => {
    const agent = await enrolledAgent(t, operator);
    const wrongSecret = `${agent.credential.split('.')[0]}.${'x'.repeat(43)}`;
    for (const credential of [
      undefined,
      'nonsense',
      wrongSecret,
      `emmaag_${randomUUID()}.${'y'.repeat(43)}`,
    ]) {
      const res = await t.request('GET', CONFIG, credential ? { token: credential } : {});
      expect(res.status, credential).toBe(401);
      expect(res.body.error.code).toBe('invalid_agent_credential');
    }
  });

  it('refuses a user access token on agent routes and an agent credential on user routes', async () => {
    const agent = await enrolledAgent(t, operator);
    const asUser = await t.request('GET', CONFIG, { token: operator });
    expect(asUser.status).toBe(401);
    for (const path of ['/api/v1/agents', `/api/v1/agents/${agent.agentId}`, '/api/v1/auth/me']) {
      const res = await t.request('GET', path, { token: agent.credential });
      expect(res.status, path).toBe(401);
    }
    const create = await t.request('POST', '/api/v1/enrollment-tokens', {
      token: agent.credential,
      body: { name: 'from an agent' },
    });
    expect(create.status).toBe(401);
  });
});

describe('POST /api/v1/agents/:id/revoke', () => {
  it('makes the next ingest and config request 401 agent_revoked and keeps the agent listed', async () => {
    const agent = await enrolledAgent(t, operator);
    expect((await postIngest(t, agent.credential, cpu(1))).status).toBe(200);

    expect(
      (await t.request('POST', `/api/v1/agents/${agent.agentId}/revoke`, { token: viewer })).status,
    ).toBe(403);
    const res = await t.request('POST', `/api/v1/agents/${agent.agentId}/revoke`, { token: operator });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('revoked');

    const ingest = await postIngest(t, agent.credential, cpu(2));
    expect(ingest.status).toBe(401);
    expect(ingest.body.error.code).toBe('agent_revoked');
    const config = await agentGet(t, agent.credential, CONFIG);
    expect(config.status).toBe(401);
    expect(config.body.error.code).toBe('agent_revoked');
    const rotate = await t.request('POST', '/api/v1/agents/self/credential', { token: agent.credential });
    expect(rotate.status).toBe(401);

    const batches = await t.db.query('SELECT seq FROM ingest_batches WHERE agent_id = $1', [agent.agentId]);
    expect(batches.rows.map((r) => Number(r.seq))).toEqual([1]);
    const row = await t.db.query('SELECT status, revoked_at, deleted_at FROM agents WHERE id = $1', [
      agent.agentId,
    ]);
    expect(row.rows[0].status).toBe('revoked');
    expect(row.rows[0].revoked_at).not.toBeNull();
    expect(row.rows[0].deleted_at).toBeNull();

    const listed = await t.request('GET', '/api/v1/agents?status=revoked', { token: viewer });
    expect(itemIds(listed.body)).toContain(agent.agentId);
    expect(await eventKinds(t, agent.agentId)).toEqual(['enrolled', 'online', 'revoked']);

    // Revoking twice is harmless; rotation of a revoked agent is refused.
    const twice = await t.request('POST', `/api/v1/agents/${agent.agentId}/revoke`, { token: operator });
    expect(twice.status).toBe(200);
    expect(await eventKinds(t, agent.agentId)).toEqual(['enrolled', 'online', 'revoked']);
    const rotation = await t.request('POST', `/api/v1/agents/${agent.agentId}/rotate-credential`, {
      token: operator,
    });
    expect(rotation.status).toBe(409);
  });

  it('answers 404 for an unknown agent', async () => {
    const res = await t.request('POST', `/api/v1/agents/${randomUUID()}/revoke`, { token: operator });
    expect(res.status).toBe(404);
  });
});

describe('DELETE /api/v1/agents/:id', () => {
  it('soft-deletes: the row stays, the credential stops working, the API answers 404', async () => {
    const agent = await enrolledAgent(t, operator);
    expect((await t.request('DELETE', `/api/v1/agents/${agent.agentId}`, { token: viewer })).status).toBe(
      403,
    );
    const res = await t.request('DELETE', `/api/v1/agents/${agent.agentId}`, { token: operator });
    expect(res.status).toBe(204);

    const row = await agentRow(t, agent.agentId);
    expect(row).toBeDefined();
    expect(row!.deleted_at).not.toBeNull();
    expect((await postIngest(t, agent.credential, cpu(1))).status).toBe(401);
    expect((await agentGet(t, agent.credential, CONFIG)).status).toBe(401);
    expect((await t.request('GET', `/api/v1/agents/${agent.agentId}`, { token: viewer })).status).toBe(404);
    const list = await t.request('GET', '/api/v1/agents?limit=1000', { token: viewer });
    expect(itemIds(list.body)).not.toContain(agent.agentId);
    expect((await t.request('DELETE', `/api/v1/agents/${agent.agentId}`, { token: operator })).status).toBe(
      404,
    );
    expect(
      (await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, { token: operator, body: { name: 'x' } }))
        .status,
    ).toBe(404);
    const audit = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'agent.deleted' AND target_id = $1`,
      [agent.agentId],
    );
    expect(audit.rows[0].n).toBe(1);
  });
});

describe('credential rotation', () => {
  it('flags the rotation in the config; the agent swaps its credential and the old one stops working', async () => {
    const agent = await enrolledAgent(t, operator);
    const before = await agentRow(t, agent.agentId);

    const asked = await t.request('POST', `/api/v1/agents/${agent.agentId}/rotate-credential`, {
      token: operator,
    });
    expect(asked.status).toBe(200);
    expect(asked.body.rotateCredential).toBe(true);
    const config = await agentGet(t, agent.credential, CONFIG);
    expect(config.body.rotateCredential).toBe(true);

    const rotated = await t.request('POST', '/api/v1/agents/self/credential', { token: agent.credential });
    expect(rotated.status).toBe(200);
    expect(rotated.body.agentId).toBe(agent.agentId);
    const fresh = rotated.body.credential as string;
    expect(fresh.startsWith(`emmaag_${agent.agentId}.`)).toBe(true);
    expect(fresh).not.toBe(agent.credential);

    const old = await agentGet(t, agent.credential, CONFIG);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('invalid_agent_credential');
    expect((await postIngest(t, agent.credential, cpu(1))).status).toBe(401);

    const now = await agentGet(t, fresh, CONFIG);
    expect(now.status).toBe(200);
    expect(now.body.rotateCredential).toBe(false);
    expect((await postIngest(t, fresh, cpu(1))).status).toBe(200);

    const after = await agentRow(t, agent.agentId);
    expect(after!.credential_hash).not.toBe(before!.credential_hash);
    expect(after!.rotate_credential).toBe(false);
    expect(await eventKinds(t, agent.agentId)).toContain('credential_rotated');
  });

  it('is refused to a viewer and 404 for an unknown agent', async () => {
    const agent = await enrolledAgent(t, operator);
    const res = await t.request('POST', `/api/v1/agents/${agent.agentId}/rotate-credential`, {
      token: viewer,
    });
    expect(res.status).toBe(403);
    expect((await agentRow(t, agent.agentId))!.rotate_credential).toBe(false);
    const unknown = await t.request('POST', `/api/v1/agents/${randomUUID()}/rotate-credential`, {
      token: operator,
    });
    expect(unknown.status).toBe(404);
  });
});

describe('agent management', () => {
  it('renames, relabels and filters agents', async () => {
    const agent = await enrolledAgent(t, operator, { labels: { env: 'staging' } });
    const res = await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, {
      token: operator,
      body: { name: 'renamed-box', labels: { env: 'prod', zone: 'b' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'renamed-box', labels: { env: 'prod', zone: 'b' } });
    const byLabel = await t.request('GET', '/api/v1/agents?label=zone=b', { token: viewer });
    expect(itemIds(byLabel.body)).toEqual([agent.agentId]);
    const byName = await t.request('GET', '/api/v1/agents?q=RENAMED', { token: viewer });
    expect(itemIds(byName.body)).toEqual([agent.agentId]);
    const bad = await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, {
      token: operator,
      body: { intervalS: 0 },
    });
    expect(bad.status).toBe(400);
    const empty = await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, { token: operator, body: {} });
    expect(empty.status).toBe(400);
  });

  it('lists the events of an agent, newest first', async () => {
    const agent = await enrolledAgent(t, operator);
    await postIngest(t, agent.credential, cpu(1));
    const res = await t.request('GET', `/api/v1/agents/${agent.agentId}/events`, { token: viewer });
    expect(res.status).toBe(200);
    expect((res.body as { items: { kind: string }[] }).items.map((e) => e.kind)).toEqual([
      'online',
      'enrolled',
    ]);
  });
});

describe('change notices', () => {
  it('announces enrolment, approval, revocation and deletion to live views', async () => {
    const listener = await ChangeListener.start(t);
    try {
      const agent = await enrolledAgent(t, operator, { requiresApproval: true });
      const approved = await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, {
        token: operator,
        body: { approved: true },
      });
      expect(approved.status).toBe(200);
      expect(
        (await t.request('POST', `/api/v1/agents/${agent.agentId}/revoke`, { token: operator })).status,
      ).toBe(200);
      expect((await t.request('DELETE', `/api/v1/agents/${agent.agentId}`, { token: operator })).status).toBe(
        204,
      );
      await listener.drain();
      const notices = listener.payloads
        .filter((p) => p.startsWith('{'))
        .map((p) => JSON.parse(p) as Record<string, unknown>)
        .filter((p) => p.t === 'agent' && p.a === agent.agentId)
        .map((p) => p.status);
      expect(notices).toEqual(['pending', 'offline', 'revoked', 'deleted']);
    } finally {
      await listener.close();
    }
  });
});
