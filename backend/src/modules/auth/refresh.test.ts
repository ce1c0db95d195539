import { randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiResponse, type TestServer } from '../../../test/harness';

interface Pair {
  accessToken: string;
  refreshToken: string;
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const refresh = (refreshToken: unknown) =>
  t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });
const sessionOf = (accessToken: string) => (jwt.decode(accessToken) as { sid: string }).sid;
const refreshIdOf = (refreshToken: string) => refreshToken.split('.')[0]!;

function expectInvalidRefresh(res: ApiResponse): void {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('invalid_refresh_token');
}

/** A fresh operator and one logged-in session of theirs. */
async function freshUser() {
  const user = await t.userWithRole('operator');
  const res = await t.login(user.email, user.password);
  expect(res.status).toBe(200);
  return { ...user, pair: res.body as Pair };
}

describe('POST /api/v1/auth/refresh: rotation', () => {
  it('returns a new pair in the same session and marks the old refresh token used', async () => {
    const { email, pair } = await freshUser();
    const res = await refresh(pair.refreshToken);
    expect(res.status).toBe(200);
    const next = res.body as Pair;
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.body.expiresIn).toBe(900);
    expect(res.body.refreshExpiresIn).toBeGreaterThan(0);
    expect(res.body.user.email).toBe(email);
    expect(res.body.refreshToken).not.toBe(pair.refreshToken);
    expect(refreshIdOf(next.refreshToken)).not.toBe(refreshIdOf(pair.refreshToken));
    expect(res.body.accessToken).not.toBe(pair.accessToken);
    expect(sessionOf(next.accessToken)).toBe(sessionOf(pair.accessToken));

    const who = await me(next.accessToken);
    expect(who.status).toBe(200);
    expect(who.body.user.email).toBe(email);

    const old = await t.db.query<{ used_at: Date | null; replaced_by: string | null }>(
      'SELECT used_at, replaced_by FROM refresh_tokens WHERE id = $1',
      [refreshIdOf(pair.refreshToken)],
    );
    expect(old.rows[0]!.used_at).not.toBeNull();
    expect(old.rows[0]!.replaced_by).toBe(refreshIdOf(next.refreshToken));

    // The new one rotates again.
    const again = await refresh(next.refreshToken);
    expect(again.status).toBe(200);
    expect(again.body.refreshToken).not.toBe(res.body.refreshToken);
  });

  it('revokes the whole family when a used refresh token comes back, and only that family', async () => {
    const { id: userId, email, password, pair: first } = await freshUser();
    const other = (await t.login(email, password)).body as Pair;
    const sessionId = sessionOf(first.accessToken);
    expect(sessionOf(other.accessToken)).not.toBe(sessionId);

    const rotated = await refresh(first.refreshToken);
    expect(rotated.status).toBe(200);
    const newest = rotated.body as Pair;

    // The stolen copy of the first token is replayed.
    expectInvalidRefresh(await refresh(first.refreshToken));

    // The legitimate holder's newest tokens are dead too.
    expectInvalidRefresh(await refresh(newest.refreshToken));
    for (const token of [newest.accessToken, first.accessToken]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('session_revoked');
    }

    const session = await t.db.query<{ revoked_at: Date | null; revoked_reason: string | null }>(
      'SELECT revoked_at, revoked_reason FROM sessions WHERE id = $1',
      [sessionId],
    );
    expect(session.rows[0]!.revoked_at).not.toBeNull();
    expect(session.rows[0]!.revoked_reason).toBe('refresh_token_reuse');

    const audit = await t.db.query<{ actor_id: string | null; target_type: string; target_id: string }>(
      `SELECT actor_id, target_type, target_id FROM audit_log WHERE action = 'auth.refresh_reuse_detected'
       AND target_id = $1`,
      [sessionId],
    );
    expect(audit.rowCount).toBe(1);
    expect(audit.rows[0]!.actor_id).toBe(userId);
    expect(audit.rows[0]!.target_type).toBe('session');

    // A second replay is refused again but not audited twice.
    expectInvalidRefresh(await refresh(first.refreshToken));
    const count = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'auth.refresh_reuse_detected' AND target_id = $1`,
      [sessionId],
    );
    expect(count.rowCount).toBe(1);

    // The user's other login is untouched.
    const otherMe = await me(other.accessToken);
    expect(otherMe.status).toBe(200);
    expect(otherMe.body.user.email).toBe(email);
    const otherRefresh = await refresh(other.refreshToken);
    expect(otherRefresh.status).toBe(200);
    expect((await me((otherRefresh.body as Pair).accessToken)).status).toBe(200);
  });
});

describe('POST /api/v1/auth/refresh: refused tokens', () => {
  it('refuses malformed and unknown tokens with 401 invalid_refresh_token', async () => {
    const secret = randomBytes(32).toString('base64url');
    const shapes = [
      'garbage',
      'a.b',
      `${randomUUID()}.${secret}.extra`,
      `${randomUUID()}.${secret.slice(1)}`,
      `${randomUUID()}.${secret}=`,
      `${randomUUID().toUpperCase()}.${secret}`,
      randomUUID(),
      `.${secret}`,
      // Well-formed but never issued.
      `${randomUUID()}.${secret}`,
    ];
    for (const token of shapes) {
      const res = await refresh(token);
      expect(res.status, token).toBe(401);
      expect(res.body.error.code, token).toBe('invalid_refresh_token');
    }
  });

  it('refuses a token whose id looks like a uuid but is not one with 401, not 500', async () => {
    // parseRefreshToken accepts any 36 characters of [0-9a-f-]; PostgreSQL then rejects the value as uuid.
    const secret = randomBytes(32).toString('base64url');
    const ids = ['a'.repeat(36), '-'.repeat(36), `${randomUUID().slice(0, 35)}-`];
    const answers: Record<string, string> = {};
    for (const id of ids) {
      const res = await refresh(`${id}.${secret}`);
      answers[id] = `${res.status} ${res.body.error.code}`;
    }
    expect(answers).toEqual(Object.fromEntries(ids.map((id) => [id, '401 invalid_refresh_token'])));
  });

  it('refuses an empty or missing refresh token as a validation error', async () => {
    const empty = await refresh('');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation_failed');
    const missing = await t.request('POST', '/api/v1/auth/refresh', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
    const notString = await refresh(42);
    expect(notString.status).toBe(400);
  });

  it('refuses the right id with a wrong secret, without spending the real token', async () => {
    const { pair } = await freshUser();
    const forged = `${refreshIdOf(pair.refreshToken)}.${randomBytes(32).toString('base64url')}`;
    expectInvalidRefresh(await refresh(forged));
    const row = await t.db.query<{ used_at: Date | null }>(
      'SELECT used_at FROM refresh_tokens WHERE id = $1',
      [refreshIdOf(pair.refreshToken)],
    );
    expect(row.rows[0]!.used_at).toBeNull();
    // Guessing a secret must not revoke the family either.
    const res = await refresh(pair.refreshToken);
    expect(res.status).toBe(200);
  });

  it('refuses an expired refresh token', async () => {
    const { pair } = await freshUser();
    await t.db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      refreshIdOf(pair.refreshToken),
    ]);
    expectInvalidRefresh(await refresh(pair.refreshToken));
    // Refused, not consumed: the row stays unused.
    const row = await t.db.query<{ used_at: Date | null }>(
      'SELECT used_at FROM refresh_tokens WHERE id = $1',
      [refreshIdOf(pair.refreshToken)],
    );
    expect(row.rows[0]!.used_at).toBeNull();
  });

  it('refuses a refresh token whose session has expired', async () => {
    const { pair } = await freshUser();
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      sessionOf(pair.accessToken),
    ]);
    expectInvalidRefresh(await refresh(pair.refreshToken));
  });

  it('caps a new refresh token at the session lifetime', async () => {
    const { pair } = await freshUser();
    await t.db.query(`UPDATE sessions SET expires_at = now() + interval '10 minutes' WHERE id = $1`, [
      sessionOf(pair.accessToken),
    ]);
    const res = await refresh(pair.refreshToken);
    expect(res.status).toBe(200);
    expect(res.body.refreshExpiresIn).toBeLessThanOrEqual(600);
    expect(res.body.refreshExpiresIn).toBeGreaterThan(500);
  });

  it('refuses the refresh token of a user disabled directly in the database', async () => {
    const { id, pair } = await freshUser();
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [id]);
    expectInvalidRefresh(await refresh(pair.refreshToken));
  });

  it('refuses the refresh and access tokens of a user disabled through the API', async () => {
    const { id, pair } = await freshUser();
    const admin = await t.tokenFor();
    const patched = await t.request('PATCH', `/api/v1/users/${id}`, {
      token: admin,
      body: { disabled: true },
    });
    expect(patched.status).toBe(200);
    expectInvalidRefresh(await refresh(pair.refreshToken));
    const res = await me(pair.accessToken);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('session_revoked');
  });

  it('refuses the refresh token of a deleted user', async () => {
    const { id, pair } = await freshUser();
    const admin = await t.tokenFor();
    const deleted = await t.request('DELETE', `/api/v1/users/${id}`, { token: admin });
    expect(deleted.status).toBeLessThan(300);
    expectInvalidRefresh(await refresh(pair.refreshToken));
  });
});
