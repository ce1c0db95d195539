// The last active admin can be neither demoted, disabled nor deleted, also when two admins act on each
// other at the same moment: the guard counts the other admins under a transaction lock.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';

let t: TestServer;
let bootstrap: { id: string; token: string };

beforeEach(async () => {
  t = await startTestServer();
  const token = await t.tokenFor();
  const me = await t.request('GET', '/api/v1/auth/me', { token });
  bootstrap = { id: me.body.user.id, token };
});
afterEach(async () => {
  await t.close();
});

function patch(id: string, body: unknown, token: string) {
  return t.request('PATCH', `/api/v1/users/${id}`, { token, body });
}

function remove(id: string, token: string) {
  return t.request('DELETE', `/api/v1/users/${id}`, { token });
}

async function activeAdmins(): Promise<string[]> {
  const rows = await t.db.query<{ id: string }>(
    `SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL AND deleted_at IS NULL`,
  );
  return rows.rows.map((r) => r.id);
}

/**
 * Holds `lockSql` in a transaction of its own while `run` sends its requests, releases it once
 * `waiters` requests are queued behind a lock, and returns their answers: the requests then really overlap.
 */
async function overlapping<T>(lockSql: string, params: unknown[], waiters: number, run: () => Promise<T>) {
  const client = await t.db.connect();
  try {
    await client.query('BEGIN');
    await client.query(lockSql, params);
    const pending = run();
    pending.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const waiting = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE NOT l.granted AND a.datname = current_database()`,
      );
      if (waiting.rows[0]!.n >= waiters) break;
      if (Date.now() > deadline) throw new Error(`only ${waiting.rows[0]!.n} of ${waiters} requests queued`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await client.query('COMMIT');
    return await pending;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

describe('with only the bootstrap admin', () => {
  it('refuses to demote it with 409 last_admin', async () => {
    for (const role of ['operator', 'viewer']) {
      const res = await patch(bootstrap.id, { role }, bootstrap.token);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('last_admin');
    }
    expect(await activeAdmins()).toEqual([bootstrap.id]);
    expect((await t.request('GET', '/api/v1/users', { token: bootstrap.token })).status).toBe(200);
  });

  it('refuses to disable it with 409 last_admin, and keeps its session', async () => {
    const res = await patch(bootstrap.id, { disabled: true }, bootstrap.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('last_admin');
    const row = await t.db.query('SELECT disabled_at FROM users WHERE id = $1', [bootstrap.id]);
    expect(row.rows[0].disabled_at).toBeNull();
    expect((await t.request('GET', '/api/v1/auth/me', { token: bootstrap.token })).status).toBe(200);
  });

  it('still allows changes that keep it an active admin', async () => {
    const res = await patch(
      bootstrap.id,
      { role: 'admin', disabled: false, name: 'Still Boss' },
      bootstrap.token,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'admin', disabled: false, name: 'Still Boss' });
  });

  it('does not count operators, viewers, disabled or deleted admins as other admins', async () => {
    await t.userWithRole('operator');
    await t.userWithRole('viewer');
    const disabled = await t.userWithRole('admin');
    const deleted = await t.userWithRole('admin');
    expect((await patch(disabled.id, { disabled: true }, bootstrap.token)).status).toBe(200);
    expect((await remove(deleted.id, bootstrap.token)).status).toBe(204);

    const demote = await patch(bootstrap.id, { role: 'operator' }, bootstrap.token);
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_admin');
    const disable = await patch(bootstrap.id, { disabled: true }, bootstrap.token);
    expect(disable.status).toBe(409);
    expect(await activeAdmins()).toEqual([bootstrap.id]);
  });
});

describe('with a second admin', () => {
  it('lets the second admin delete the first, then guards the second', async () => {
    const second = await t.userWithRole('admin');
    const deleted = await remove(bootstrap.id, second.token);
    expect(deleted.status).toBe(204);
    expect(await activeAdmins()).toEqual([second.id]);
    expect((await t.request('GET', '/api/v1/auth/me', { token: bootstrap.token })).status).toBe(401);

    const demote = await patch(second.id, { role: 'operator' }, second.token);
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_admin');
    const disable = await patch(second.id, { disabled: true }, second.token);
    expect(disable.status).toBe(409);
    expect(disable.body.error.code).toBe('last_admin');
    const self = await remove(second.id, second.token);
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('cannot_delete_self');
    expect(await activeAdmins()).toEqual([second.id]);
  });

  it('lets an admin demote itself while another active admin remains', async () => {
    const second = await t.userWithRole('admin');
    const res = await patch(bootstrap.id, { role: 'viewer' }, bootstrap.token);
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('viewer');
    expect(await activeAdmins()).toEqual([second.id]);
    const refused = await t.request('GET', '/api/v1/users', { token: bootstrap.token });
    expect(refused.status).toBe(403);
  });
});

// Lets both requests read and lock rows but holds back every write to users until both are queued: without
// a lock around the admin count, both would count the other admin as still active and both would win.
const USERS_WRITE_BLOCKED = 'LOCK TABLE users IN SHARE MODE';

describe('two admins acting on each other at once', () => {
  it('lets exactly one of two crossed demotions through; the other gets 409 last_admin', async () => {
    const a = bootstrap;
    const b = await t.userWithRole('admin');
    const results = await overlapping(USERS_WRITE_BLOCKED, [], 2, () =>
      Promise.all([patch(a.id, { role: 'operator' }, b.token), patch(b.id, { role: 'operator' }, a.token)]),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('last_admin');
    const admins = await activeAdmins();
    expect(admins).toHaveLength(1);
    const winner = results[0].status === 200 ? b.id : a.id;
    expect(admins).toEqual([winner]);
  });

  it('lets exactly one of two crossed deletions through', async () => {
    const a = bootstrap;
    const b = await t.userWithRole('admin');
    const results = await overlapping(USERS_WRITE_BLOCKED, [], 2, () =>
      Promise.all([remove(a.id, b.token), remove(b.id, a.token)]),
    );
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('last_admin');
    expect(await activeAdmins()).toHaveLength(1);
  });

  it('lets exactly one of a crossed demotion and disabling through', async () => {
    const a = bootstrap;
    const b = await t.userWithRole('admin');
    const results = await overlapping(USERS_WRITE_BLOCKED, [], 2, () =>
      Promise.all([patch(a.id, { disabled: true }, b.token), patch(b.id, { role: 'viewer' }, a.token)]),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await activeAdmins()).toHaveLength(1);
  });

  it('keeps an active admin when the crossed demotions are simply sent together', async () => {
    const a = bootstrap;
    const b = await t.userWithRole('admin');
    const results = await Promise.all([
      patch(a.id, { role: 'operator' }, b.token),
      patch(b.id, { role: 'operator' }, a.token),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    // The loser is refused by the guard (409), or, when the winner committed before it was even
    // authenticated, by its own lost permission (403).
    expect([403, 409]).toContain(statuses[1]);
    expect(await activeAdmins()).toHaveLength(1);
  });
});

describe('the lock helper', () => {
  it('really makes requests wait on the held rows', async () => {
    const user = await t.userWithRole('viewer');
    const name = `Waited ${randomBytes(3).toString('hex')}`;
    const [res] = await overlapping('SELECT id FROM users WHERE id = $1 FOR UPDATE', [user.id], 1, () =>
      Promise.all([patch(user.id, { name }, bootstrap.token)]),
    );
    expect(res.status).toBe(200);
    expect(res.body.name).toBe(name);
  });
});
