// The realtime WebSocket's authentication, on a real server (`emma all`'s realtime in-process) with real
// `ws` clients: refused upgrades get 401 and never a socket; tickets work once; connections end with their
// token, their session and their user.
import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../test/harness';
import { TestWs } from '../../test/ws';
import { signAccessToken } from '../modules/auth/tokens';

let t: TestServer;
let wsUrl: string;
let adminToken: string;

beforeAll(async () => {
  t = await startTestServer({ EMMA_WS_RECHECK_S: '0.5' }, { serverOptions: { realtime: true } });
  const realtime = t.server.realtime;
  if (!realtime) throw new Error('the realtime server did not start');
  wsUrl = `ws://127.0.0.1:${realtime.port}/ws`;
  adminToken = await t.tokenFor();
});

afterAll(async () => {
  await t.close();
});

async function ticketFor(token: string): Promise<string> {
  const res = await t.request('POST', '/api/v1/auth/ws-ticket', { token });
  expect(res.status).toBe(200);
  return res.body.ticket as string;
}

/** The same user and session as `token`, with a lifetime of `ttlS` seconds. */
function shortLived(token: string, ttlS: number): string {
  const claims = jwt.decode(token, { json: true })!;
  return signAccessToken(
    TEST_JWT_SECRET,
    { sub: claims.sub!, sid: claims.sid as string, role: claims.role as 'admin' },
    ttlS,
  );
}

describe('the upgrade', () => {
  it('refuses missing and bad credentials, used and expired tickets with 401 and never opens a socket', async () => {
    const used = await ticketFor(adminToken);
    (await TestWs.connect(`${wsUrl}?ticket=${used}`)).close();
    const expired = await ticketFor(adminToken);
    await t.db.query(`UPDATE ws_tickets SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
      createHash('sha256').update(expired).digest('hex'),
    ]);
    const cases: [string, Record<string, string>, string][] = [
      [wsUrl, {}, 'unauthorized'],
      [`${wsUrl}?access_token=not-a-jwt`, {}, 'invalid_token'],
      [wsUrl, { authorization: 'Bearer not-a-jwt' }, 'invalid_token'],
      [`${wsUrl}?access_token=${shortLived(adminToken, -5)}`, {}, 'token_expired'],
      [`${wsUrl}?ticket=`, {}, 'invalid_ticket'],
      [`${wsUrl}?ticket=${'A'.repeat(43)}`, {}, 'invalid_ticket'],
      [`${wsUrl}?ticket=${used}`, {}, 'invalid_ticket'],
      [`${wsUrl}?ticket=${expired}`, {}, 'invalid_ticket'],
    ];
    const before = t.server.realtime!.stats().refusedUpgrades;
    for (const [url, headers, code] of cases) {
      const refused = await TestWs.refused(url, { ...headers, 'x-request-id': 'req-123' });
      expect({ url: url.replace(/=.*/, '=…'), status: refused.status, opened: refused.opened }).toEqual({
        url: url.replace(/=.*/, '=…'),
        status: 401,
        opened: false,
      });
      expect(refused.body).toEqual({ error: { code, message: expect.any(String), requestId: 'req-123' } });
    }
    expect(t.server.realtime!.stats().refusedUpgrades - before).toBe(cases.length);
    // The expired ticket was consumed by its attempt, too.
    expect((await t.db.query('SELECT count(*)::int AS n FROM ws_tickets')).rows[0].n).toBe(0);
  });

  it('accepts a ticket once, an access token in the query, and a Bearer header', async () => {
    const ticket = await ticketFor(adminToken);
    const clients = [
      await TestWs.connect(`${wsUrl}?ticket=${ticket}`),
      await TestWs.connect(`${wsUrl}?access_token=${adminToken}`),
      await TestWs.connect(wsUrl, { authorization: `Bearer ${adminToken}` }),
    ];
    for (const client of clients) await client.sync();
    expect((await TestWs.refused(`${wsUrl}?ticket=${ticket}`)).status).toBe(401);
    // Used at the same moment by two connections, a ticket still opens one.
    const raced = await ticketFor(adminToken);
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () => TestWs.refused(`${wsUrl}?ticket=${raced}`)),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([101, 401, 401, 401]);
    expect(t.server.realtime!.stats().connections).toBeGreaterThanOrEqual(3);
    for (const client of clients) client.close();
  });

  it('issues tickets to signed-in users only, stores only their hash, and honours the session', async () => {
    expect((await t.request('POST', '/api/v1/auth/ws-ticket')).status).toBe(401);
    const viewer = await t.userWithRole('viewer');
    const res = await t.request('POST', '/api/v1/auth/ws-ticket', { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = Date.parse(res.body.expiresAt as string) - Date.now();
    expect(lifetime).toBeGreaterThan(20_000);
    expect(lifetime).toBeLessThanOrEqual(30_000);
    const stored = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM ws_tickets');
    expect(stored.rows.map((r) => r.token_hash)).toEqual([
      createHash('sha256')
        .update(res.body.ticket as string)
        .digest('hex'),
    ]);
    // After logout, neither a ticket nor the access token of that session opens a socket.
    const ticket = await ticketFor(viewer.token);
    expect((await t.request('POST', '/api/v1/auth/logout', { token: viewer.token })).status).toBe(204);
    expect((await TestWs.refused(`${wsUrl}?ticket=${ticket}`)).body.error.code).toBe('session_revoked');
    expect((await TestWs.refused(`${wsUrl}?access_token=${viewer.token}`)).body.error.code).toBe(
      'session_revoked',
    );
    await t.db.query('DELETE FROM ws_tickets');
  });
});

describe('the connection lifetime', () => {
  it('ends with 4401 when the access token (also behind a ticket) expires', async () => {
    const byToken = await TestWs.connect(`${wsUrl}?access_token=${shortLived(adminToken, 2)}`);
    const byTicket = await TestWs.connect(`${wsUrl}?ticket=${await ticketFor(shortLived(adminToken, 2))}`);
    await byToken.sync();
    expect(await byToken.waitClose(5000)).toEqual({ code: 4401, reason: 'token expired' });
    expect(await byTicket.waitClose(5000)).toEqual({ code: 4401, reason: 'token expired' });
  });

  it('lasts as long as a fresh token of the same user sent with {op: auth}; another user is refused', async () => {
    const client = await TestWs.connect(`${wsUrl}?access_token=${shortLived(adminToken, 2)}`);
    client.send({ op: 'auth', token: 'garbage' });
    expect(await client.take((m) => m.op === 'error')).toMatchObject({ code: 'invalid_token' });
    const other = await t.userWithRole('operator');
    client.send({ op: 'auth', token: other.token });
    expect(await client.take((m) => m.op === 'error')).toMatchObject({ code: 'wrong_user' });
    client.send({ op: 'auth', token: adminToken });
    const ok = await client.take((m) => m.op === 'authenticated');
    expect(Date.parse(ok.expiresAt as string)).toBeGreaterThan(Date.now() + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await client.sync();
    expect(client.closed).toBeUndefined();
    client.close();
  });

  it('ends with 4403 when the user is disabled and 4401 when the session is revoked', async () => {
    const disabled = await t.userWithRole('viewer');
    const revoked = await t.userWithRole('viewer');
    const a = await TestWs.connect(`${wsUrl}?ticket=${await ticketFor(disabled.token)}`);
    const b = await TestWs.connect(`${wsUrl}?access_token=${revoked.token}`);
    await a.sync();
    await b.sync();
    const res = await t.request('PATCH', `/api/v1/users/${disabled.id}`, {
      token: adminToken,
      body: { disabled: true },
    });
    expect(res.status).toBe(200);
    expect(await a.waitClose(5000)).toEqual({ code: 4403, reason: 'user disabled' });
    // Straight in the database: no audit notice, so the periodic check finds it.
    await t.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1`, [revoked.id]);
    expect(await b.waitClose(5000)).toEqual({ code: 4401, reason: 'session ended' });
    expect(b.closed).toBeDefined();
  });

  it('ends the subscriptions a changed role may no longer read', async () => {
    const admin = await t.userWithRole('admin');
    const client = await TestWs.connect(`${wsUrl}?access_token=${admin.token}`);
    expect(await client.subscribe('audit')).toMatchObject({ op: 'subscribed' });
    expect(await client.subscribe('overview')).toMatchObject({ op: 'subscribed' });
    const res = await t.request('PATCH', `/api/v1/users/${admin.id}`, {
      token: adminToken,
      body: { role: 'viewer' },
    });
    expect(res.status).toBe(200);
    expect(await client.take((m) => m.op === 'error')).toMatchObject({
      code: 'forbidden',
      topic: 'audit',
    });
    expect(await client.subscribe('audit')).toMatchObject({ op: 'error', code: 'forbidden' });
    expect(client.closed).toBeUndefined();
    client.close();
  });
});
