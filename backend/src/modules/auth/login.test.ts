import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../../../test/harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/v1/auth/login', () => {
  it('returns an access token, a refresh token and the user', async () => {
    const res = await t.login();
    expect(res.status).toBe(200);
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.body.expiresIn).toBe(900);
    expect(res.body.user.email).toBe(ADMIN_EMAIL);
    expect(res.body.user.role).toBe('admin');
    const me = await t.request('GET', '/api/v1/auth/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(ADMIN_EMAIL);
    expect(me.body.permissions).toContain('users:write');
  });

  it('answers unknown user and wrong password alike', async () => {
    const unknown = await t.login('nobody@example.test', ADMIN_PASSWORD, { 'x-forwarded-for': '10.9.0.1' });
    const wrong = await t.login(ADMIN_EMAIL, 'wrong-password-1', { 'x-forwarded-for': '10.9.0.2' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.error.code).toBe('invalid_credentials');
    expect(wrong.body.error.code).toBe(unknown.body.error.code);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('stores refresh tokens hashed, never in clear', async () => {
    const res = await t.login();
    const refreshToken = res.body.refreshToken as string;
    const secret = refreshToken.split('.')[1]!;
    const rows = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens');
    expect(rows.rowCount).toBeGreaterThan(0);
    for (const row of rows.rows) {
      expect(row.token_hash).not.toContain(secret);
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
