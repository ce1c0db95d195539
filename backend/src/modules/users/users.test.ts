// The users REST API as an admin: listing, creating, reading, changing and soft-deleting users.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@emma/protocol';
import { ADMIN_EMAIL, startTestServer, type TestServer } from '../../../test/harness';

let t: TestServer;
let admin: string;
let adminId: string;

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.tokenFor();
  adminId = (await t.request('GET', '/api/v1/auth/me', { token: admin })).body.user.id;
});
afterAll(async () => {
  await t.close();
});

const tag = () => randomBytes(4).toString('hex');

interface Created {
  id: string;
  email: string;
  password: string;
}

async function createUser(
  fields: { email?: string; name?: string; role?: Role; password?: string } = {},
): Promise<Created> {
  const password = fields.password ?? 'user-password-123';
  const email = fields.email ?? `u-${tag()}@example.test`;
  const res = await t.request('POST', '/api/v1/users', {
    token: admin,
    body: { email, name: fields.name ?? 'Some User', role: fields.role ?? 'viewer', password },
  });
  expect(res.status).toBe(201);
  return { id: res.body.user.id, email: res.body.user.email, password };
}

function patch(id: string, body: unknown, token = admin) {
  return t.request('PATCH', `/api/v1/users/${id}`, { token, body });
}

// Lets requests read (and lock rows in) users but holds back every write until `waiters` requests are
// queued behind a lock; then releases them together so that they really overlap.
const USERS_WRITE_BLOCKED = 'LOCK TABLE users IN SHARE MODE';

async function overlapping<T>(lockSql: string, waiters: number, run: () => Promise<T>): Promise<T> {
  const client = await t.db.connect();
  try {
    await client.query('BEGIN');
    await client.query(lockSql);
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

function detailPaths(body: unknown): string[] {
  const details = (body as { error: { details?: { path: string }[] } }).error.details ?? [];
  return details.map((d) => d.path);
}

interface UserJson {
  id: string;
  email: string;
  role: string;
  deletedAt: string | null;
}

interface UserPage {
  items: UserJson[];
  total: number;
  limit: number;
  offset: number;
}

function listUsers(query = '') {
  return t.request<UserPage>('GET', `/api/v1/users${query}`, { token: admin });
}

describe('GET /api/v1/users', () => {
  it('lists live users with the default page', async () => {
    const res = await listUsers();
    expect(res.status).toBe(200);
    expect(res.body.limit).toBe(50);
    expect(res.body.offset).toBe(0);
    expect(res.body.total).toBe(res.body.items.length);
    const me = res.body.items.find((u) => u.email === ADMIN_EMAIL);
    expect(me).toMatchObject({ role: 'admin', disabled: false, deletedAt: null });
    expect(me).not.toHaveProperty('passwordHash');
    expect(me).not.toHaveProperty('password_hash');
  });

  it('pages with limit and offset, ordered by email, and reports the total', async () => {
    const prefix = `pager-${tag()}`;
    const created: Created[] = [];
    for (const n of [3, 1, 4, 0, 2]) created.push(await createUser({ email: `${prefix}-${n}@example.test` }));
    const expected = created.map((u) => u.email).sort();

    const seen: string[] = [];
    for (const [offset, size] of [
      [0, 2],
      [2, 2],
      [4, 1],
    ] as const) {
      const res = await listUsers(`?q=${prefix}&limit=2&offset=${offset}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 5, limit: 2, offset });
      expect(res.body.items).toHaveLength(size);
      seen.push(...res.body.items.map((u) => u.email));
    }
    expect(seen).toEqual(expected);

    const beyond = await listUsers(`?q=${prefix}&limit=2&offset=10`);
    expect(beyond.body).toMatchObject({ items: [], total: 5 });
  });

  it('searches email and name case-insensitively', async () => {
    const word = `Zebra${tag()}`;
    const byName = await createUser({ name: `Mr ${word}` });
    const byEmail = await createUser({ email: `${word.toLowerCase()}@example.test` });
    await createUser({ name: 'Unrelated' });
    const res = await listUsers(`?q=${word.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((u) => u.id).sort()).toEqual([byName.id, byEmail.id].sort());
  });

  it('treats % and _ in the search as literal characters', async () => {
    for (const q of ['%25', '_', '%5C']) {
      const res = await listUsers(`?q=${q}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(0);
    }
  });

  it('filters by role', async () => {
    const prefix = `roles-${tag()}`;
    const viewer = await createUser({ email: `${prefix}-v@example.test`, role: 'viewer' });
    const operator = await createUser({ email: `${prefix}-o@example.test`, role: 'operator' });
    const viewers = await listUsers(`?q=${prefix}&role=viewer`);
    expect(viewers.body.items.map((u) => u.id)).toEqual([viewer.id]);
    const operators = await listUsers(`?q=${prefix}&role=operator`);
    expect(operators.body.items.map((u) => u.id)).toEqual([operator.id]);
    const admins = await listUsers('?role=admin');
    expect(admins.body.items.every((u) => u.role === 'admin')).toBe(true);
    expect(admins.body.total).toBeGreaterThanOrEqual(1);
  });

  it('filters by status: active, disabled, deleted, and all live users', async () => {
    const prefix = `status-${tag()}`;
    const active = await createUser({ email: `${prefix}-a@example.test` });
    const disabled = await createUser({ email: `${prefix}-b@example.test` });
    const deleted = await createUser({ email: `${prefix}-c@example.test` });
    expect((await patch(disabled.id, { disabled: true })).status).toBe(200);
    expect((await t.request('DELETE', `/api/v1/users/${deleted.id}`, { token: admin })).status).toBe(204);

    const ids = async (status: string) => {
      const res = await listUsers(`?q=${prefix}&status=${status}`);
      expect(res.status).toBe(200);
      return res.body.items.map((u) => u.id);
    };
    expect(await ids('all')).toEqual([active.id, disabled.id]);
    expect(await ids('active')).toEqual([active.id]);
    expect(await ids('disabled')).toEqual([disabled.id]);
    expect(await ids('deleted')).toEqual([deleted.id]);
    const implicit = await listUsers(`?q=${prefix}`);
    expect(implicit.body.total).toBe(2);
  });

  it('rejects bad query parameters with 400 validation_failed', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['offset=-1', 'query.offset'],
      ['status=gone', 'query.status'],
      ['role=root', 'query.role'],
    ];
    for (const [query, path] of cases) {
      const res = await t.request('GET', `/api/v1/users?${query}`, { token: admin });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(detailPaths(res.body)).toContain(path);
    }
    const unknown = await t.request('GET', '/api/v1/users?sort=email', { token: admin });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
  });
});

describe('POST /api/v1/users', () => {
  it('creates a user who must change the password, and stores it lowercased and hashed', async () => {
    const email = `New-${tag()}@Example.TEST`;
    const res = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: { email, name: '  New Person  ', role: 'operator', password: 'chosen-password-1' },
    });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('temporaryPassword');
    expect(res.body.user).toMatchObject({
      email: email.toLowerCase(),
      name: 'New Person',
      role: 'operator',
      disabled: false,
      mustChangePassword: true,
      lastLoginAt: null,
      deletedAt: null,
    });
    const row = await t.db.query(
      'SELECT email, password_hash, must_change_password FROM users WHERE id = $1',
      [res.body.user.id],
    );
    expect(row.rows[0].email).toBe(email.toLowerCase());
    expect(row.rows[0].password_hash).toMatch(/^\$2[aby]\$04\$/);
    expect(row.rows[0].must_change_password).toBe(true);

    const login = await t.login(email.toLowerCase(), 'chosen-password-1');
    expect(login.status).toBe(200);
    expect(login.body.user.mustChangePassword).toBe(true);
    expect(login.body.user.role).toBe('operator');
  });

  it('generates a temporary password when none is given, returned once and usable for login', async () => {
    const email = `temp-${tag()}@example.test`;
    const res = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: { email, name: 'Temp', role: 'viewer' },
    });
    expect(res.status).toBe(201);
    expect(res.body.user.mustChangePassword).toBe(true);
    const temporary = res.body.temporaryPassword as string;
    expect(typeof temporary).toBe('string');
    expect(temporary.length).toBeGreaterThanOrEqual(10);
    const login = await t.login(email, temporary);
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(res.body.user.id);
  });

  it('refuses an email already in use, whatever its case, with 409 email_taken', async () => {
    const existing = await createUser({ email: `dup-${tag()}@example.test` });
    const res = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: { email: existing.email.toUpperCase(), name: 'Dup', role: 'viewer', password: 'another-pass-1' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_taken');
    const rows = await t.db.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = $1', [
      existing.email,
    ]);
    expect(rows.rows.map((r) => r.id)).toEqual([existing.id]);
  });

  // The email check and the write are separate statements: the loser of a race must still get 409, not the
  // 500 of a unique-index violation (users_email_live_uniq).
  it('answers two overlapping creations of one email with 201 and 409 email_taken, never 500', async () => {
    const email = `race-${tag()}@example.test`;
    const results = await overlapping(USERS_WRITE_BLOCKED, 2, () =>
      Promise.all(
        [1, 2].map((i) =>
          t.request('POST', '/api/v1/users', {
            token: admin,
            body: { email, name: `Racer ${i}`, role: 'viewer', password: 'racing-password-1' },
          }),
        ),
      ),
    );
    const rows = await t.db.query('SELECT id FROM users WHERE email = $1', [email]);
    expect(rows.rowCount).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('email_taken');
  });

  it('answers two overlapping changes to one new email with 200 and 409 email_taken, never 500', async () => {
    const a = await createUser();
    const b = await createUser();
    const email = `wanted-${tag()}@example.test`;
    const results = await overlapping(USERS_WRITE_BLOCKED, 2, () =>
      Promise.all([patch(a.id, { email }), patch(b.id, { email })]),
    );
    const rows = await t.db.query('SELECT id FROM users WHERE email = $1', [email]);
    expect(rows.rowCount).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('email_taken');
  });

  it('rejects an invalid body with 400 validation_failed naming each field', async () => {
    const res = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: { email: 'not-an-email', name: '', role: 'root', password: 'short' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(detailPaths(res.body).sort()).toEqual(['body.email', 'body.name', 'body.password', 'body.role']);

    const missing = await t.request('POST', '/api/v1/users', { token: admin, body: {} });
    expect(missing.status).toBe(400);
    expect(detailPaths(missing.body)).toEqual(
      expect.arrayContaining(['body.email', 'body.name', 'body.role']),
    );
  });

  it('rejects unknown fields (strict body)', async () => {
    const res = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: {
        email: `strict-${tag()}@example.test`,
        name: 'Strict',
        role: 'viewer',
        password: 'strict-password-1',
        isSuperuser: true,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', path: 'body' }),
    ]);
    const rows = await t.db.query("SELECT 1 FROM users WHERE email LIKE 'strict-%'");
    expect(rows.rowCount).toBe(0);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await t.request('POST', '/api/v1/users', {
      token: admin,
      rawBody: 'email=x@example.test',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });
});

describe('GET /api/v1/users/:id', () => {
  it('returns the user', async () => {
    const user = await createUser({ role: 'operator' });
    const res = await t.request('GET', `/api/v1/users/${user.id}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, role: 'operator' });
  });

  it('answers 400 for an id that is not a uuid and 404 for an unknown one', async () => {
    const bad = await t.request('GET', '/api/v1/users/not-a-uuid', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(detailPaths(bad.body)).toEqual(['params.id']);
    const unknown = await t.request('GET', `/api/v1/users/${randomUUID()}`, { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });
});

describe('PATCH /api/v1/users/:id', () => {
  it('changes name, email and role and returns the changed user', async () => {
    const user = await createUser({ role: 'viewer' });
    const newEmail = `Renamed-${tag()}@Example.test`;
    const res = await patch(user.id, { name: 'Renamed', email: newEmail, role: 'operator' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: user.id,
      name: 'Renamed',
      email: newEmail.toLowerCase(),
      role: 'operator',
    });
    const row = await t.db.query<{ created_at: Date; updated_at: Date }>(
      'SELECT name, email, role, created_at, updated_at FROM users WHERE id = $1',
      [user.id],
    );
    expect(row.rows[0]).toMatchObject({ name: 'Renamed', email: newEmail.toLowerCase(), role: 'operator' });
    expect(row.rows[0]!.updated_at.getTime()).toBeGreaterThan(row.rows[0]!.created_at.getTime());
    expect((await t.login(newEmail, user.password)).status).toBe(200);
  });

  it('refuses an email another live user holds with 409 email_taken', async () => {
    const a = await createUser();
    const b = await createUser();
    const res = await patch(b.id, { email: a.email.toUpperCase() });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_taken');
    const row = await t.db.query('SELECT email FROM users WHERE id = $1', [b.id]);
    expect(row.rows[0].email).toBe(b.email);
    // Re-sending one's own email is no conflict.
    expect((await patch(a.id, { email: a.email.toUpperCase() })).status).toBe(200);
  });

  it('answers 400 for an empty or unknown-field body, and 404 for an unknown user', async () => {
    const user = await createUser();
    const empty = await patch(user.id, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation_failed');
    const extra = await patch(user.id, { name: 'X', mustChangePassword: false });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('validation_failed');
    const weak = await patch(user.id, { password: 'short' });
    expect(weak.status).toBe(400);
    expect(detailPaths(weak.body)).toEqual(['body.password']);
    const unknown = await patch(randomUUID(), { name: 'Nobody' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('applies a role change to the user’s existing token at once', async () => {
    const user = await t.userWithRole('viewer');
    const list = () => t.request('GET', '/api/v1/users', { token: user.token });
    const refused = await list();
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');

    expect((await patch(user.id, { role: 'admin' })).status).toBe(200);
    expect((await list()).status).toBe(200);
    const me = await t.request('GET', '/api/v1/auth/me', { token: user.token });
    expect(me.body.user.role).toBe('admin');
    expect(me.body.permissions).toContain('users:write');

    expect((await patch(user.id, { role: 'viewer' })).status).toBe(200);
    const again = await list();
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('forbidden');
  });

  it('ends a disabled user’s sessions at once and refuses their login until re-enabled', async () => {
    const user = await t.userWithRole('operator');
    const login = await t.login(user.email, user.password);
    const refreshToken = login.body.refreshToken as string;

    const res = await patch(user.id, { disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);

    const me = await t.request('GET', '/api/v1/auth/me', { token: user.token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('session_revoked');
    const denied = await t.login(user.email, user.password);
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('invalid_credentials');
    const refreshed = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    expect(refreshed.status).toBe(401);
    const sessions = await t.db.query(
      'SELECT revoked_reason FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
      [user.id],
    );
    expect(sessions.rowCount).toBe(0);

    const enabled = await patch(user.id, { disabled: false });
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabled).toBe(false);
    const back = await t.login(user.email, user.password);
    expect(back.status).toBe(200);
    expect((await t.request('GET', '/api/v1/auth/me', { token: back.body.accessToken })).status).toBe(200);
    // The sessions ended by disabling stay ended.
    expect((await t.request('GET', '/api/v1/auth/me', { token: user.token })).status).toBe(401);
  });

  it('resets the password: old sessions end, the new password works and must be changed', async () => {
    const user = await t.userWithRole('viewer');
    const login = await t.login(user.email, user.password);
    // The user chose their own password first, so the flag is off before the reset.
    const changed = await t.request('POST', '/api/v1/auth/password', {
      token: login.body.accessToken,
      body: { currentPassword: user.password, newPassword: 'own-choice-password-1' },
    });
    expect(changed.status).toBe(204);
    const flagBefore = await t.db.query('SELECT must_change_password FROM users WHERE id = $1', [user.id]);
    expect(flagBefore.rows[0].must_change_password).toBe(false);

    const res = await patch(user.id, { password: 'reset-by-admin-1' });
    expect(res.status).toBe(200);
    expect(res.body.mustChangePassword).toBe(true);

    const old = await t.request('GET', '/api/v1/auth/me', { token: login.body.accessToken });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('session_revoked');
    const refreshed = await t.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    expect((await t.login(user.email, 'own-choice-password-1')).status).toBe(401);

    const fresh = await t.login(user.email, 'reset-by-admin-1');
    expect(fresh.status).toBe(200);
    expect(fresh.body.user.mustChangePassword).toBe(true);
    const flagAfter = await t.db.query('SELECT must_change_password FROM users WHERE id = $1', [user.id]);
    expect(flagAfter.rows[0].must_change_password).toBe(true);
  });
});

describe('DELETE /api/v1/users/:id (soft delete)', () => {
  it('keeps the row, ends the sessions, hides the user, and frees the email', async () => {
    const user = await t.userWithRole('operator');
    const res = await t.request('DELETE', `/api/v1/users/${user.id}`, { token: admin });
    expect(res.status).toBe(204);
    expect(res.body).toBe('');

    const row = await t.db.query<{ deleted_at: Date }>('SELECT deleted_at, email FROM users WHERE id = $1', [
      user.id,
    ]);
    expect(row.rowCount).toBe(1);
    expect(row.rows[0]!.deleted_at).toBeInstanceOf(Date);
    const open = await t.db.query('SELECT 1 FROM sessions WHERE user_id = $1 AND revoked_at IS NULL', [
      user.id,
    ]);
    expect(open.rowCount).toBe(0);

    const me = await t.request('GET', '/api/v1/auth/me', { token: user.token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('session_revoked');
    const login = await t.login(user.email, user.password);
    expect(login.status).toBe(401);
    expect(login.body.error.code).toBe('invalid_credentials');

    const hidden = await t.request('GET', `/api/v1/users/${user.id}`, { token: admin });
    expect(hidden.status).toBe(404);
    const shown = await t.request('GET', `/api/v1/users/${user.id}?includeDeleted=true`, { token: admin });
    expect(shown.status).toBe(200);
    expect(shown.body.id).toBe(user.id);
    expect(shown.body.deletedAt).toBe(row.rows[0]!.deleted_at.toISOString());

    const deleted = await listUsers(`?status=deleted&q=${user.email}`);
    expect(deleted.body.items.map((u) => u.id)).toEqual([user.id]);
    const live = await listUsers(`?q=${user.email}`);
    expect(live.body.total).toBe(0);

    expect((await patch(user.id, { name: 'Ghost' })).status).toBe(404);
    expect((await t.request('DELETE', `/api/v1/users/${user.id}`, { token: admin })).status).toBe(404);

    const reused = await t.request('POST', '/api/v1/users', {
      token: admin,
      body: { email: user.email, name: 'Successor', role: 'viewer', password: 'successor-pass-1' },
    });
    expect(reused.status).toBe(201);
    expect(reused.body.user.id).not.toBe(user.id);
    expect((await t.login(user.email, 'successor-pass-1')).body.user.id).toBe(reused.body.user.id);
    const both = await t.db.query('SELECT id FROM users WHERE email = $1', [user.email]);
    expect(both.rowCount).toBe(2);
  });

  it('rejects includeDeleted values other than true/false', async () => {
    const res = await t.request('GET', `/api/v1/users/${adminId}?includeDeleted=yes`, { token: admin });
    expect(res.status).toBe(400);
    expect(detailPaths(res.body)).toEqual(['query.includeDeleted']);
  });

  it('refuses to delete yourself with 409 cannot_delete_self', async () => {
    const res = await t.request('DELETE', `/api/v1/users/${adminId}`, { token: admin });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('cannot_delete_self');
    const row = await t.db.query('SELECT deleted_at FROM users WHERE id = $1', [adminId]);
    expect(row.rows[0].deleted_at).toBeNull();
    expect((await t.request('GET', '/api/v1/auth/me', { token: admin })).status).toBe(200);
  });
});
