// Enrolment with a token (credential, labels, expiry, use count, audit of refusals) and approval of
// agents whose token requires it.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import {
  agentGet,
  agentRow,
  batch,
  createToken,
  enrollWith,
  enrolledAgent,
  eventKinds,
  HOST,
  postIngest,
} from './agent-fixtures';

let t: TestServer;
let operator: string;
let operatorId: string;
let viewer: string;

beforeAll(async () => {
  t = await startTestServer();
  const op = await t.userWithRole('operator');
  operator = op.token;
  operatorId = op.id;
  viewer = (await t.userWithRole('viewer')).token;
});
afterAll(async () => {
  await t.close();
});

async function failedEnrolments(hostname: string) {
  const result = await t.db.query<{ target_id: string | null; after: { reason: string; hostname: string } }>(
    `SELECT target_id, after FROM audit_log WHERE action = 'agent.enroll_failed' AND after->>'hostname' = $1`,
    [hostname],
  );
  return result.rows;
}

const uniqueHost = () => `host-${randomUUID().slice(0, 8)}`;

describe('POST /api/v1/agents/enroll', () => {
  it('gives the agent its own credential, stored only as a hash, and the token labels', async () => {
    const { id: tokenId, token } = await createToken(t, operator, {
      labels: { env: 'prod', role: 'db' },
      maxUses: 3,
    });
    const res = await t.request('POST', '/api/v1/agents/enroll', {
      body: { token, host: { ...HOST, kernel: '6.1.0', machineId: 'abc' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('offline');
    expect(res.body.agentId).toMatch(/^[0-9a-f-]{36}$/);
    const credential = res.body.credential as string;
    expect(credential.startsWith(`emmaag_${res.body.agentId}.`)).toBe(true);

    const row = await t.db.query('SELECT row_to_json(a)::text AS json, * FROM agents a WHERE id = $1', [
      res.body.agentId,
    ]);
    const agent = row.rows[0];
    const secret = credential.split('.')[1]!;
    expect(agent.credential_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(agent.json).not.toContain(secret);
    expect(agent.labels).toEqual({ env: 'prod', role: 'db' });
    expect(agent.name).toBe(HOST.hostname);
    expect(agent.host).toMatchObject({ ...HOST, kernel: '6.1.0', machineId: 'abc' });
    expect(agent.enrollment_token_id).toBe(tokenId);
    expect(agent.status).toBe('offline');

    const uses = await t.db.query('SELECT uses FROM enrollment_tokens WHERE id = $1', [tokenId]);
    expect(uses.rows[0].uses).toBe(1);
    expect(await eventKinds(t, res.body.agentId as string)).toEqual(['enrolled']);
    const audit = await t.db.query(
      `SELECT row_to_json(a)::text AS json FROM audit_log a WHERE action = 'agent.enrolled' AND target_id = $1`,
      [res.body.agentId],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].json).not.toContain(secret);

    const byApi = await t.request('GET', `/api/v1/agents/${res.body.agentId}`, { token: viewer });
    expect(byApi.status).toBe(200);
    expect(byApi.body).toMatchObject({ labels: { env: 'prod', role: 'db' }, status: 'offline' });
    expect(JSON.stringify(byApi.body)).not.toContain(agent.credential_hash);
  });

  it('uses the name the agent asks for', async () => {
    const { token } = await createToken(t, operator);
    const res = await t.request('POST', '/api/v1/agents/enroll', {
      body: { token, host: HOST, name: 'my-db' },
    });
    expect(res.status).toBe(201);
    expect(await agentRow(t, res.body.agentId as string)).toBeDefined();
    const row = await t.db.query('SELECT name FROM agents WHERE id = $1', [res.body.agentId]);
    expect(row.rows[0].name).toBe('my-db');
  });

  it('refuses an expired token with 401 enrollment_token_expired and audits the refusal', async () => {
    const { id, token } = await createToken(t, operator, { maxUses: 5 });
    await t.db.query(`UPDATE enrollment_tokens SET expires_at = now() - interval '1 s' WHERE id = $1`, [id]);
    const hostname = uniqueHost();
    const res = await enrollWith(t, token, hostname);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('enrollment_token_expired');
    const audited = await failedEnrolments(hostname);
    expect(audited).toEqual([{ target_id: id, after: { reason: 'enrollment_token_expired', hostname } }]);
    const count = await t.db.query('SELECT count(*)::int AS n FROM agents WHERE enrollment_token_id = $1', [
      id,
    ]);
    expect(count.rows[0].n).toBe(0);
  });

  it('allows maxUses enrolments and refuses the next with 401 enrollment_token_used_up', async () => {
    const { id, token } = await createToken(t, operator, { maxUses: 2 });
    const first = await enrollWith(t, token, 'a');
    const second = await enrollWith(t, token, 'b');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.agentId).not.toBe(second.body.agentId);
    expect(first.body.credential).not.toBe(second.body.credential);
    const hostname = uniqueHost();
    const third = await enrollWith(t, token, hostname);
    expect(third.status).toBe(401);
    expect(third.body.error.code).toBe('enrollment_token_used_up');
    const row = await t.db.query('SELECT uses FROM enrollment_tokens WHERE id = $1', [id]);
    expect(row.rows[0].uses).toBe(2);
    expect(await failedEnrolments(hostname)).toHaveLength(1);
  });

  it('counts concurrent enrolments exactly: never more agents than maxUses', async () => {
    const { id, token } = await createToken(t, operator, { maxUses: 2 });
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => enrollWith(t, token, `c${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 401, 401, 401]);
    const count = await t.db.query('SELECT count(*)::int AS n FROM agents WHERE enrollment_token_id = $1', [
      id,
    ]);
    expect(count.rows[0].n).toBe(2);
  });

  it('refuses garbage and forged tokens with 401 invalid_enrollment_token and audits them', async () => {
    const { id, token } = await createToken(t, operator, { maxUses: 5 });
    const [prefixAndId] = token.split('.');
    const canonicalId = prefixAndId!.slice('emmaet_'.length);
    const forged = [
      'garbage',
      'emmaet_',
      'emmaet_garbage.garbage',
      `${prefixAndId}.${'A'.repeat(43)}`, // right id, wrong secret
      `emmaet_${randomUUID()}.${token.split('.')[1]}`, // unknown id, a real secret
      `${token}.extra`,
      // ids that look like uuids but are not canonical: must be 401, never a database error (500)
      `emmaet_${canonicalId.toUpperCase()}.${token.split('.')[1]}`,
      `emmaet_{${canonicalId}}.${token.split('.')[1]}`,
      `emmaet_${canonicalId.replaceAll('-', '')}.${token.split('.')[1]}`,
      `emmaet_${canonicalId.slice(0, -1)}g.${token.split('.')[1]}`,
      `emmaet_${canonicalId}0.${token.split('.')[1]}`,
      `emmaet_ ${canonicalId}.${token.split('.')[1]}`,
    ];
    for (const bad of forged) {
      const hostname = uniqueHost();
      const res = await enrollWith(t, bad, hostname);
      expect(res.status, bad).toBe(401);
      expect(res.body.error.code, bad).toBe('invalid_enrollment_token');
      const audited = await failedEnrolments(hostname);
      expect(audited, bad).toHaveLength(1);
      expect(audited[0]!.after.reason).toBe('invalid_enrollment_token');
    }
    const row = await t.db.query('SELECT uses FROM enrollment_tokens WHERE id = $1', [id]);
    expect(row.rows[0].uses).toBe(0);
    // The real token still works afterwards.
    expect((await enrollWith(t, token)).status).toBe(201);
  });

  it('refuses an invalid request body with 400 and stores nothing', async () => {
    const { token } = await createToken(t, operator);
    const before = await t.db.query('SELECT count(*)::int AS n FROM agents');
    for (const body of [
      { token },
      { token, host: { ...HOST, hostname: '' } },
      { token, host: { ...HOST, cpus: -1 } },
      { host: HOST },
    ]) {
      const res = await t.request('POST', '/api/v1/agents/enroll', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const after = await t.db.query('SELECT count(*)::int AS n FROM agents');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('approval of agents', () => {
  it('keeps agents of a requiresApproval token pending until an operator approves them', async () => {
    const agent = await enrolledAgent(t, operator, { requiresApproval: true });
    expect(agent.status).toBe('pending');
    expect((await agentRow(t, agent.agentId))?.status).toBe('pending');

    const refused = await postIngest(
      t,
      agent.credential,
      batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]),
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('agent_pending');
    const batches = await t.db.query('SELECT count(*)::int AS n FROM ingest_batches WHERE agent_id = $1', [
      agent.agentId,
    ]);
    expect(batches.rows[0].n).toBe(0);

    const config = await agentGet(t, agent.credential, '/api/v1/agents/self/config');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ agentId: agent.agentId, status: 'pending' });

    const byViewer = await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, {
      token: viewer,
      body: { approved: true },
    });
    expect(byViewer.status).toBe(403);

    const approved = await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, {
      token: operator,
      body: { approved: true },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('offline');
    expect(approved.body.approvedAt).not.toBeNull();
    const row = await t.db.query('SELECT status, approved_by FROM agents WHERE id = $1', [agent.agentId]);
    expect(row.rows[0]).toEqual({ status: 'offline', approved_by: operatorId });
    const audit = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'agent.approved' AND target_id = $1`,
      [agent.agentId],
    );
    expect(audit.rows[0].n).toBe(1);

    const config2 = await agentGet(t, agent.credential, '/api/v1/agents/self/config');
    expect(config2.body.status).toBe('offline');
    const accepted = await postIngest(
      t,
      agent.credential,
      batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]),
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: true, duplicate: false, samples: 1 });
    expect(await eventKinds(t, agent.agentId)).toEqual(['enrolled', 'approved', 'online']);
  });

  it('refuses to approve an agent that is not pending with 409', async () => {
    const agent = await enrolledAgent(t, operator);
    const res = await t.request('PATCH', `/api/v1/agents/${agent.agentId}`, {
      token: operator,
      body: { approved: true },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('agent_not_pending');

    const pending = await enrolledAgent(t, operator, { requiresApproval: true });
    const path = `/api/v1/agents/${pending.agentId}`;
    expect((await t.request('PATCH', path, { token: operator, body: { approved: true } })).status).toBe(200);
    const twice = await t.request('PATCH', path, { token: operator, body: { approved: true } });
    expect(twice.status).toBe(409);
    expect((await agentRow(t, pending.agentId))?.status).toBe('offline');
  });

  it('answers 404 when approving an unknown agent', async () => {
    const res = await t.request('PATCH', `/api/v1/agents/${randomUUID()}`, {
      token: operator,
      body: { approved: true },
    });
    expect(res.status).toBe(404);
  });
});
