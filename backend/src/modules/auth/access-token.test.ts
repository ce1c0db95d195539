// Access tokens as the API sees them: every way a bearer token can be wrong must end in 401.
import { createHmac, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_JWT_SECRET, type ApiResponse, type TestServer } from '../../../test/harness';

let t: TestServer;
let viewer: { id: string; email: string; token: string };
let viewerSid: string;

beforeAll(async () => {
  t = await startTestServer();
  viewer = await t.userWithRole('viewer');
  viewerSid = (jwt.decode(viewer.token) as { sid: string }).sid;
});
afterAll(async () => {
  await t.close();
});

const me = (token: string) => t.request('GET', '/api/v1/auth/me', { token });
const meWith = (authorization: string) => t.request('GET', '/api/v1/auth/me', { headers: { authorization } });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function expect401(res: ApiResponse, code: string): void {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe(code);
}

/** Claims the server would issue for the viewer's session. */
function viewerClaims(overrides: Record<string, unknown> = {}) {
  return {
    sub: viewer.id,
    sid: viewerSid,
    role: 'viewer',
    iss: 'emma',
    aud: 'emma-api',
    iat: now(),
    exp: now() + 600,
    ...overrides,
  };
}

/** A JWT assembled by hand: any header, HMAC-SHA256 signature (or none). */
function handMade(header: Record<string, unknown>, payload: Record<string, unknown>, key?: string): string {
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  const signature =
    key === undefined ? '' : createHmac('sha256', key).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

describe('bearer access tokens', () => {
  it('accepts a token built like the server builds them (control for the cases below)', async () => {
    const token = jwt.sign(viewerClaims(), TEST_JWT_SECRET, { algorithm: 'HS256' });
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(viewer.email);
    // And the same by hand, so the hand-made variants below differ only in what they test.
    const manual = handMade({ alg: 'HS256', typ: 'JWT' }, viewerClaims(), TEST_JWT_SECRET);
    expect((await me(manual)).status).toBe(200);
    // The scheme name is case-insensitive.
    expect((await meWith(`bearer ${token}`)).status).toBe(200);
  });

  it('answers an expired token with token_expired', async () => {
    const token = jwt.sign(
      { sid: viewerSid, role: 'viewer', exp: now() - 60, iat: now() - 1000 },
      TEST_JWT_SECRET,
      { algorithm: 'HS256', subject: viewer.id, issuer: 'emma', audience: 'emma-api' },
    );
    expect401(await me(token), 'token_expired');
  });

  it('refuses a token signed with another secret', async () => {
    const token = jwt.sign(viewerClaims(), 'another-secret-that-is-long-enough-for-hs256-xyz', {
      algorithm: 'HS256',
    });
    expect401(await me(token), 'invalid_token');
    // Even when it is also expired, the signature is what fails.
    const expired = jwt.sign(viewerClaims({ exp: now() - 60 }), 'another-secret-that-is-long-enough', {
      algorithm: 'HS256',
    });
    expect401(await me(expired), 'invalid_token');
  });

  it('refuses alg none tokens', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      const token = handMade({ alg, typ: 'JWT' }, viewerClaims());
      expect401(await me(token), 'invalid_token');
    }
  });

  it('pins the algorithm to HS256', async () => {
    const hs512 = jwt.sign(viewerClaims(), TEST_JWT_SECRET, { algorithm: 'HS512' });
    expect401(await me(hs512), 'invalid_token');
    const hs384 = jwt.sign(viewerClaims(), TEST_JWT_SECRET, { algorithm: 'HS384' });
    expect401(await me(hs384), 'invalid_token');
    // RS256 header, HMAC signature with the shared secret: the key-confusion attack.
    const rs256 = handMade({ alg: 'RS256', typ: 'JWT' }, viewerClaims(), TEST_JWT_SECRET);
    expect401(await me(rs256), 'invalid_token');
  });

  it('refuses a wrong or missing issuer or audience', async () => {
    for (const overrides of [
      { iss: 'someone-else' },
      { iss: undefined },
      { aud: 'other-api' },
      { aud: undefined },
    ]) {
      const token = jwt.sign(viewerClaims(overrides), TEST_JWT_SECRET, { algorithm: 'HS256' });
      const res = await me(token);
      expect(res.status, JSON.stringify(overrides)).toBe(401);
      expect(res.body.error.code, JSON.stringify(overrides)).toBe('invalid_token');
    }
  });

  it('refuses tokens whose claims have the wrong shape', async () => {
    for (const overrides of [
      { sid: undefined },
      { sid: 'not-a-uuid' },
      { sub: undefined },
      { sub: 'admin' },
      { role: 'superuser' },
    ]) {
      const token = jwt.sign(viewerClaims(overrides), TEST_JWT_SECRET, { algorithm: 'HS256' });
      const res = await me(token);
      expect(res.status, JSON.stringify(overrides)).toBe(401);
      expect(res.body.error.code, JSON.stringify(overrides)).toBe('invalid_token');
    }
  });

  it('refuses a missing or garbled Authorization header', async () => {
    const missing = await t.request('GET', '/api/v1/auth/me');
    expect401(missing, 'unauthorized');
    for (const header of ['Bearer', 'Bearer ', `Basic ${viewer.token}`, viewer.token, `Bearer a b`]) {
      const res = await meWith(header);
      expect(res.status, header).toBe(401);
      expect(res.body.error.code, header).toBe('unauthorized');
    }
    for (const garbage of [
      'garbage',
      'a.b.c',
      `${viewer.token}x`,
      viewer.token.split('.').slice(0, 2).join('.'),
    ]) {
      expect401(await me(garbage), 'invalid_token');
    }
  });

  it('refuses a validly signed token for a session that does not exist', async () => {
    const token = jwt.sign(viewerClaims({ sid: randomUUID() }), TEST_JWT_SECRET, { algorithm: 'HS256' });
    expect401(await me(token), 'session_revoked');
  });

  it("refuses a token pairing one user's id with another user's session", async () => {
    const adminToken = await t.tokenFor();
    const adminSid = (jwt.decode(adminToken) as { sid: string }).sid;
    const token = jwt.sign(viewerClaims({ sid: adminSid }), TEST_JWT_SECRET, { algorithm: 'HS256' });
    expect401(await me(token), 'session_revoked');
  });

  it('takes the role from the database, not from the token', async () => {
    const token = jwt.sign(viewerClaims({ role: 'admin' }), TEST_JWT_SECRET, { algorithm: 'HS256' });
    const who = await me(token);
    expect(who.status).toBe(200);
    expect(who.body.user.role).toBe('viewer');
    expect(who.body.permissions).not.toContain('users:read');
    const users = await t.request('GET', '/api/v1/users', { token });
    expect(users.status).toBe(403);
    expect(users.body.error.code).toBe('forbidden');
  });

  it('refuses a token of an expired session', async () => {
    const user = await t.userWithRole('operator');
    const sid = (jwt.decode(user.token) as { sid: string }).sid;
    expect((await me(user.token)).status).toBe(200);
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [sid]);
    expect401(await me(user.token), 'session_revoked');
  });
});
