import bcrypt from 'bcrypt';
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
const refresh = (refreshToken: string) =>
  t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
const changePassword = (token: string, body: unknown) =>
  t.request('POST', '/api/v1/auth/password', { token, body });
const sessionOf = (accessToken: string) => (jwt.decode(accessToken) as { sid: string }).sid;

async function passwordHashOf(userId: string): Promise<string> {
  const row = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [
    userId,
  ]);
  return row.rows[0]!.password_hash;
}

describe('POST /api/v1/auth/password', () => {
  it('changes the password, keeps the current session and ends the others', async () => {
    const user = await t.userWithRole('operator', 'first-password-123');
    const current = (await t.login(user.email, user.password)).body as Pair;
    const other = (await t.login(user.email, user.password)).body as Pair;
    const newPassword = 'second-password-456';
    const before = await t.db.query<{ must_change_password: boolean; password_changed_at: Date }>(
      'SELECT must_change_password, password_changed_at FROM users WHERE id = $1',
      [user.id],
    );
    expect(before.rows[0]!.must_change_password).toBe(true);

    const res = await changePassword(current.accessToken, { currentPassword: user.password, newPassword });
    expect(res.status).toBe(204);
    expect(res.body).toBe('');

    // The new password works, the old one no longer does.
    const fresh = await t.login(user.email, newPassword, { 'x-forwarded-for': '10.30.0.1' });
    expect(fresh.status).toBe(200);
    const old = await t.login(user.email, user.password, { 'x-forwarded-for': '10.30.0.2' });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('invalid_credentials');

    // This session keeps working, including its refresh token.
    expect((await me(current.accessToken)).status).toBe(200);
    const rotated = await refresh(current.refreshToken);
    expect(rotated.status).toBe(200);
    expect((await me((rotated.body as Pair).accessToken)).status).toBe(200);
    // Every other session of the user has ended.
    const otherMe = await me(other.accessToken);
    expect(otherMe.status).toBe(401);
    expect(otherMe.body.error.code).toBe('session_revoked');
    const otherRefresh = await refresh(other.refreshToken);
    expect(otherRefresh.status).toBe(401);
    expect(otherRefresh.body.error.code).toBe('invalid_refresh_token');
    expect((await me(user.token)).status).toBe(401);
    const sessions = await t.db.query<{ id: string; revoked_reason: string | null }>(
      'SELECT id, revoked_reason FROM sessions WHERE user_id = $1',
      [user.id],
    );
    const reasons = Object.fromEntries(sessions.rows.map((s) => [s.id, s.revoked_reason]));
    expect(reasons[sessionOf(current.accessToken)]).toBeNull();
    expect(reasons[sessionOf(other.accessToken)]).toBe('password_changed');
    expect(reasons[sessionOf(user.token)]).toBe('password_changed');

    // Stored as a bcrypt hash, never in clear.
    const stored = await t.db.query<{
      password_hash: string;
      must_change_password: boolean;
      password_changed_at: Date;
    }>('SELECT password_hash, must_change_password, password_changed_at FROM users WHERE id = $1', [user.id]);
    const row = stored.rows[0]!;
    expect(row.password_hash).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    expect(row.password_hash).not.toContain(newPassword);
    expect(await bcrypt.compare(newPassword, row.password_hash)).toBe(true);
    expect(row.must_change_password).toBe(false);
    expect(row.password_changed_at.getTime()).toBeGreaterThan(before.rows[0]!.password_changed_at.getTime());

    const audit = await t.db.query<{ actor_id: string; target_id: string; after: unknown; row: unknown }>(
      `SELECT actor_id, target_id, after, to_jsonb(a) AS row FROM audit_log a
       WHERE action = 'user.password_changed' AND target_id = $1`,
      [user.id],
    );
    expect(audit.rowCount).toBe(1);
    expect(audit.rows[0]!.actor_id).toBe(user.id);
    // `other` and the session userWithRole opened.
    expect(audit.rows[0]!.after).toEqual({ otherSessionsRevoked: 2 });
    const json = JSON.stringify(audit.rows[0]!.row);
    expect(json).not.toContain(newPassword);
    expect(json).not.toContain(user.password);
  });

  it('refuses a wrong current password with 400 invalid_current_password and changes nothing', async () => {
    const user = await t.userWithRole('viewer');
    const hash = await passwordHashOf(user.id);
    const res = await changePassword(user.token, {
      currentPassword: 'not-my-password-1',
      newPassword: 'whatever-password-9',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_current_password');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'body.currentPassword' })]);
    expect(await passwordHashOf(user.id)).toBe(hash);
    expect((await me(user.token)).status).toBe(200);

    // The failure is kept (audited and counted toward the lockout) although the answer is an error.
    const audit = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'user.password_change_failed' AND target_id = $1`,
      [user.id],
    );
    expect(audit.rowCount).toBe(1);
    const throttle = await t.db.query<{ failures: number }>(
      'SELECT failures FROM login_throttle WHERE key = $1',
      [`account:${user.email}`],
    );
    expect(throttle.rows[0]!.failures).toBe(1);
  });

  it('refuses a new password equal to the current one with 422 password_unchanged', async () => {
    const user = await t.userWithRole('viewer');
    const hash = await passwordHashOf(user.id);
    const res = await changePassword(user.token, {
      currentPassword: user.password,
      newPassword: user.password,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('password_unchanged');
    expect(res.body.error.details[0].path).toBe('body.newPassword');
    expect(await passwordHashOf(user.id)).toBe(hash);
  });

  it('validates the new password against the policy', async () => {
    const user = await t.userWithRole('viewer');
    const hash = await passwordHashOf(user.id);
    const short = await changePassword(user.token, { currentPassword: user.password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('validation_failed');
    expect(short.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body.newPassword' })]),
    );

    // bcrypt would silently truncate beyond 72 bytes.
    const long = await changePassword(user.token, {
      currentPassword: user.password,
      newPassword: 'é'.repeat(37),
    });
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('validation_failed');
    expect(long.body.error.details[0].path).toBe('body.newPassword');

    const missing = await changePassword(user.token, { newPassword: 'long-enough-password' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('body.currentPassword');
    expect(await passwordHashOf(user.id)).toBe(hash);
  });

  it('needs authentication', async () => {
    const res = await t.request('POST', '/api/v1/auth/password', {
      body: { currentPassword: 'x', newPassword: 'long-enough-password' },
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});
