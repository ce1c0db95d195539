// Enrolment tokens: who may create them, what the install command contains, that only a hash is kept,
// listing without secrets, showing the install command again, and revocation.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { createToken, enrollWith } from './agent-fixtures';

let t: TestServer;
let admin: string;
let operator: string;
let viewer: string;

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.tokenFor();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
});
afterAll(async () => {
  await t.close();
});

const body = {
  name: 'Fleet rollout',
  maxUses: 5,
  labels: { env: 'prod', team: 'web' },
  expiresInS: 3600,
  requiresApproval: false,
};

interface TokenList {
  items: { id: string; status: string }[];
}

async function auditCount(action: string, targetId: string): Promise<number> {
  const result = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND target_id = $2',
    [action, targetId],
  );
  return result.rows[0]!.n;
}

describe('POST /api/v1/enrollment-tokens', () => {
  it('creates a token with the docker run command and compose snippet for an operator', async () => {
    const res = await t.request('POST', '/api/v1/enrollment-tokens', { token: operator, body });
    expect(res.status).toBe(201);
    const token = res.body.token as string;
    expect(token).toMatch(/^emmaet_[0-9a-f-]{36}\.[A-Za-z0-9_-]{20,}$/);
    expect(res.body.enrollmentToken).toMatchObject({
      name: 'Fleet rollout',
      maxUses: 5,
      uses: 0,
      labels: { env: 'prod', team: 'web' },
      requiresApproval: false,
      status: 'active',
    });
    const expiresIn = Date.parse(res.body.enrollmentToken.expiresAt as string) - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);

    const install = res.body.install;
    expect(install.token).toBe(token);
    expect(install.serverUrl).toBe(t.url);
    expect(install.dockerRun).toContain('-v /var/run/docker.sock:/var/run/docker.sock:ro');
    expect(install.dockerRun).toContain('-v /proc:/host/proc:ro');
    expect(install.dockerRun).toContain('--group-add $(stat -c %g /var/run/docker.sock)');
    expect(install.dockerRun).toMatch(/-v emma-agent-state:\/var\/lib\/emma-agent/);
    expect(install.dockerRun).toContain(`EMMA_URL=${t.url}`);
    expect(install.dockerRun).toContain(`EMMA_ENROLL_TOKEN=${token}`);
    expect(install.dockerRun).toMatch(/^docker run /);
    expect(install.compose).toContain('/var/run/docker.sock:/var/run/docker.sock:ro');
    expect(install.compose).toContain('/proc:/host/proc:ro');
    expect(install.compose).toMatch(/group_add:\n\s+- "\$\{DOCKER_GID:\?/);
    expect(install.compose).toContain(`EMMA_URL=${t.url}`);
    expect(install.compose).toContain(`EMMA_ENROLL_TOKEN=${token}`);
    expect(install.compose).toContain('emma-agent-state:/var/lib/emma-agent');
  });

  it('lets an admin create tokens and refuses a viewer with 403', async () => {
    const byAdmin = await t.request('POST', '/api/v1/enrollment-tokens', { token: admin, body });
    expect(byAdmin.status).toBe(201);
    const byViewer = await t.request('POST', '/api/v1/enrollment-tokens', { token: viewer, body });
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.error.code).toBe('forbidden');
    expect((await t.request('GET', '/api/v1/enrollment-tokens', { token: viewer })).status).toBe(403);
    expect((await t.request('POST', '/api/v1/enrollment-tokens', { body })).status).toBe(401);
  });

  it('applies the defaults and refuses invalid input with 400', async () => {
    const res = await t.request('POST', '/api/v1/enrollment-tokens', {
      token: operator,
      body: { name: 'defaults' },
    });
    expect(res.status).toBe(201);
    expect(res.body.enrollmentToken).toMatchObject({ maxUses: 1, labels: {}, requiresApproval: false });
    for (const bad of [
      { name: '' },
      { name: 'x', maxUses: 0 },
      { name: 'x', expiresInS: 10 },
      { name: 'x', labels: { 'Bad-Key': 'v' } },
      { name: 'x', token: 'chosen-by-client' },
    ]) {
      const refused = await t.request('POST', '/api/v1/enrollment-tokens', { token: operator, body: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('stores only the SHA-256 of the secret, never the token, and audits the creation', async () => {
    const { id, token } = await createToken(t, operator, body);
    const secret = token.split('.')[1]!;
    const row = await t.db.query(
      'SELECT row_to_json(e)::text AS json, token_hash FROM enrollment_tokens e WHERE id = $1',
      [id],
    );
    expect(row.rows[0].token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(row.rows[0].json).not.toContain(secret);
    const audit = await t.db.query<{ json: string }>(
      'SELECT row_to_json(a)::text AS json FROM audit_log a WHERE target_id = $1',
      [id],
    );
    expect(audit.rows.length).toBeGreaterThan(0);
    for (const r of audit.rows) expect(r.json).not.toContain(secret);
    expect(await auditCount('enrollment_token.created', id)).toBe(1);
  });
});

describe('GET /api/v1/enrollment-tokens and /:id/install', () => {
  it('lists tokens without the token or its hash', async () => {
    const { id, token } = await createToken(t, operator, { name: 'listed' });
    const res = await t.request('GET', '/api/v1/enrollment-tokens', { token: operator });
    expect(res.status).toBe(200);
    const item = (res.body as TokenList).items.find((i) => i.id === id);
    expect(item).toMatchObject({ name: 'listed', status: 'active', uses: 0 });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(token.split('.')[1]!);
    expect(text).not.toContain('emmaet_');
    expect(item).not.toHaveProperty('token');
    expect(item).not.toHaveProperty('tokenHash');
    expect(item).not.toHaveProperty('token_hash');
  });

  it('shows the same token and commands again', async () => {
    const created = await t.request('POST', '/api/v1/enrollment-tokens', { token: operator, body });
    const id = created.body.enrollmentToken.id as string;
    const res = await t.request('GET', `/api/v1/enrollment-tokens/${id}/install`, { token: operator });
    expect(res.status).toBe(200);
    expect(res.body.token).toBe(created.body.token);
    expect(res.body.dockerRun).toBe(created.body.install.dockerRun);
    expect(res.body.compose).toBe(created.body.install.compose);
  });

  it('answers 404 for an unknown token and 400 for a malformed id', async () => {
    const unknown = await t.request(
      'GET',
      '/api/v1/enrollment-tokens/3f1b2c4d-0000-4000-8000-000000000000/install',
      { token: operator },
    );
    expect(unknown.status).toBe(404);
    const malformed = await t.request('GET', '/api/v1/enrollment-tokens/not-a-uuid/install', {
      token: operator,
    });
    expect(malformed.status).toBe(400);
  });

  it('refuses the install command of an expired or used-up token with 409', async () => {
    const expired = await createToken(t, operator);
    await t.db.query(`UPDATE enrollment_tokens SET expires_at = now() - interval '1 s' WHERE id = $1`, [
      expired.id,
    ]);
    const res = await t.request('GET', `/api/v1/enrollment-tokens/${expired.id}/install`, {
      token: operator,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('enrollment_token_inactive');

    const used = await createToken(t, operator, { maxUses: 1 });
    expect((await enrollWith(t, used.token)).status).toBe(201);
    const usedUp = await t.request('GET', `/api/v1/enrollment-tokens/${used.id}/install`, {
      token: operator,
    });
    expect(usedUp.status).toBe(409);
  });
});

describe('DELETE /api/v1/enrollment-tokens/:id', () => {
  it('revokes: no install command, no enrolment, audited', async () => {
    const { id, token } = await createToken(t, operator, { maxUses: 10 });
    expect((await enrollWith(t, token)).status).toBe(201);

    const del = await t.request('DELETE', `/api/v1/enrollment-tokens/${id}`, { token: operator });
    expect(del.status).toBe(204);
    const row = await t.db.query('SELECT revoked_at FROM enrollment_tokens WHERE id = $1', [id]);
    expect(row.rows[0].revoked_at).not.toBeNull();
    expect(await auditCount('enrollment_token.revoked', id)).toBe(1);

    const install = await t.request('GET', `/api/v1/enrollment-tokens/${id}/install`, { token: operator });
    expect([404, 409]).toContain(install.status);
    const list = await t.request('GET', '/api/v1/enrollment-tokens', { token: operator });
    const listed = (list.body as TokenList).items.find((i) => i.id === id);
    if (listed) expect(listed.status).toBe('revoked');

    const again = await t.request('DELETE', `/api/v1/enrollment-tokens/${id}`, { token: operator });
    expect(again.status).toBe(404);
    expect(await auditCount('enrollment_token.revoked', id)).toBe(1);
  });

  it('refuses enrolment with a revoked token as 401 enrollment_token_revoked', async () => {
    const { id, token } = await createToken(t, operator, { maxUses: 10 });
    expect((await t.request('DELETE', `/api/v1/enrollment-tokens/${id}`, { token: operator })).status).toBe(
      204,
    );
    const res = await enrollWith(t, token);
    expect(res.status).toBe(401);
    // The error code the API documents for a revoked token (ENROLL_REFUSALS.revoked in service.ts).
    expect(res.body.error.code).toBe('enrollment_token_revoked');
  });

  it('keeps agents that enrolled before the revocation working', async () => {
    const { id, token } = await createToken(t, operator, { maxUses: 10 });
    const enrolled = await enrollWith(t, token);
    expect(enrolled.status).toBe(201);
    await t.request('DELETE', `/api/v1/enrollment-tokens/${id}`, { token: operator });
    const config = await t.request('GET', '/api/v1/agents/self/config', { token: enrolled.body.credential });
    expect(config.status).toBe(200);
  });

  it('is refused to a viewer', async () => {
    const { id } = await createToken(t, operator);
    const res = await t.request('DELETE', `/api/v1/enrollment-tokens/${id}`, { token: viewer });
    expect(res.status).toBe(403);
    const row = await t.db.query('SELECT revoked_at FROM enrollment_tokens WHERE id = $1', [id]);
    expect(row.rows[0].revoked_at).toBeNull();
  });
});
