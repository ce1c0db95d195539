import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';

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

const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });
const logout = (token?: string) => t.request('POST', '/api/v1/auth/logout', token ? { token } : {});
const refresh = (refreshToken: string) =>
  t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
const sessionOf = (accessToken: string) => (jwt.decode(accessToken) as { sid: string }).sid;

describe('POST /api/v1/auth/logout', () => {
  it('ends the session: its access and refresh tokens stop working, and it is audited', async () => {
    const user = await t.userWithRole('operator');
    const session = (await t.login(user.email, user.password)).body as Pair;
    const other = (await t.login(user.email, user.password)).body as Pair;
    const sid = sessionOf(session.accessToken);
    expect((await me(session.accessToken)).status).toBe(200);

    const res = await logout(session.accessToken);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');

    const after = await me(session.accessToken);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('session_revoked');
    const refreshed = await refresh(session.refreshToken);
    expect(refreshed.status).toBe(401);
    expect(refreshed.body.error.code).toBe('invalid_refresh_token');

    const row = await t.db.query<{ revoked_at: Date | null; revoked_reason: string | null }>(
      'SELECT revoked_at, revoked_reason FROM sessions WHERE id = $1',
      [sid],
    );
    expect(row.rows[0]!.revoked_at).not.toBeNull();
    expect(row.rows[0]!.revoked_reason).toBe('logout');

    const audit = await t.db.query<{ actor_id: string; actor_email: string; target_type: string }>(
      `SELECT actor_id, actor_email, target_type FROM audit_log WHERE action = 'auth.logout' AND target_id = $1`,
      [sid],
    );
    expect(audit.rowCount).toBe(1);
    expect(audit.rows[0]!.actor_id).toBe(user.id);
    expect(audit.rows[0]!.actor_email).toBe(user.email);
    expect(audit.rows[0]!.target_type).toBe('session');

    // Only that session ended.
    expect((await me(other.accessToken)).status).toBe(200);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('also kills the refreshed tokens of the session', async () => {
    const user = await t.userWithRole('viewer');
    const login = (await t.login(user.email, user.password)).body as Pair;
    const rotated = await refresh(login.refreshToken);
    expect(rotated.status).toBe(200);
    expect((await logout(login.accessToken)).status).toBe(204);
    const newest = rotated.body as Pair;
    expect((await me(newest.accessToken)).status).toBe(401);
    expect((await refresh(newest.refreshToken)).status).toBe(401);
  });

  it('needs a valid access token, and a logged-out token cannot log out again', async () => {
    const missing = await logout();
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');

    const token = await t.tokenFor();
    expect((await logout(token)).status).toBe(204);
    const again = await logout(token);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('session_revoked');
    const audit = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'auth.logout' AND target_id = $1`,
      [sessionOf(token)],
    );
    expect(audit.rowCount).toBe(1);
  });
});
