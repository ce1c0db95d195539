// Listing, filtering, paging and verifying the audit trail through the API, on an untampered chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, startTestServer, type TestServer } from '../../../test/harness';
import type { AuditEntry, AuditVerification } from './schemas';
import { verify } from './service';

interface AuditPage {
  items: AuditEntry[];
  nextCursor: number | null;
}

let t: TestServer;
let adminToken: string;
let adminId: string;
let viewer: { id: string; email: string; password: string; token: string };
let operator: { id: string; email: string; password: string; token: string };
let created: { id: string; email: string; password: string; requestId: string };
let window: { from: string; to: string };

async function page(query: string, token = adminToken): Promise<AuditPage> {
  const res = await t.request<AuditPage>('GET', `/api/v1/audit${query}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function countRows(where = 'true', values: unknown[] = []): Promise<number> {
  const result = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE ${where}`,
    values,
  );
  return result.rows[0]!.n;
}

beforeAll(async () => {
  t = await startTestServer();
  adminToken = await t.tokenFor();
  adminId = (await t.request('GET', '/api/v1/auth/me', { token: adminToken })).body.user.id as string;
  viewer = await t.userWithRole('viewer');
  operator = await t.userWithRole('operator');
  // A failed login, so that the exact action filter has a near neighbour to exclude.
  expect((await t.login(viewer.email, 'wrong-password-000', { 'x-forwarded-for': '10.7.0.9' })).status).toBe(
    401,
  );

  // Millisecond timestamps: a pause on each side keeps other rows out of the window.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const from = new Date().toISOString();
  const email = `audited-${Date.now()}@example.test`;
  const password = 'audited-password-123';
  const res = await t.request('POST', '/api/v1/users', {
    token: adminToken,
    body: { email, name: 'Audited', role: 'viewer', password },
    headers: { 'x-request-id': 'create-audited-user-1', 'x-forwarded-for': '10.7.0.1' },
  });
  expect(res.status).toBe(201);
  const to = new Date(Date.now() + 1).toISOString();
  created = { id: res.body.user.id as string, email, password, requestId: 'create-audited-user-1' };
  window = { from, to };
  // Something after the window, so that `to` has something to exclude.
  await new Promise((resolve) => setTimeout(resolve, 5));
  await t.tokenFor(viewer.email, viewer.password);
});

afterAll(async () => {
  await t.close();
});

describe('rows written by requests', () => {
  it('records a login with the actor, the session, the client address and the request id', async () => {
    const login = await t.login(ADMIN_EMAIL, undefined, {
      'x-request-id': 'audit-login-check-1',
      'x-forwarded-for': '10.7.0.2',
    });
    expect(login.status).toBe(200);
    const rows = await t.db.query<{ actor_id: string; actor_email: string; target_type: string; ip: string }>(
      `SELECT actor_id, actor_email, target_type, ip FROM audit_log
       WHERE action = 'auth.login' AND request_id = 'audit-login-check-1'`,
    );
    expect(rows.rows).toEqual([
      { actor_id: adminId, actor_email: ADMIN_EMAIL, target_type: 'session', ip: '10.7.0.2' },
    ]);
  });

  it('records a user creation with its actor and target, and no secret in the snapshot', async () => {
    const { items } = await page(`?action=user.created&targetId=${created.id}`);
    expect(items).toHaveLength(1);
    const entry = items[0]!;
    expect(entry).toMatchObject({
      action: 'user.created',
      actorId: adminId,
      actorEmail: ADMIN_EMAIL,
      targetType: 'user',
      targetId: created.id,
      ip: '10.7.0.1',
      requestId: created.requestId,
      before: null,
    });
    expect(entry.after).toMatchObject({ id: created.id, email: created.email, role: 'viewer' });
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.prevHash).toMatch(/^[0-9a-f]{64}$/);
    const raw = await t.db.query('SELECT row_to_json(a)::text AS json FROM audit_log a');
    for (const row of raw.rows) expect(row.json).not.toContain(created.password);
  });

  it('starts the chain with the bootstrap of the first admin, by the system', async () => {
    const first = await t.db.query(
      'SELECT action, actor_id, actor_email, prev_hash FROM audit_log ORDER BY id LIMIT 1',
    );
    expect(first.rows[0]).toEqual({
      action: 'user.bootstrap_admin',
      actor_id: null,
      actor_email: 'system',
      prev_hash: '0'.repeat(64),
    });
  });
});

describe('GET /api/v1/audit', () => {
  it('lists every row newest first', async () => {
    const { items, nextCursor } = await page('?limit=500');
    expect(items.length).toBe(await countRows());
    expect(nextCursor).toBeNull();
    const ids = items.map((entry) => entry.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('filters by actor', async () => {
    const { items } = await page(`?actorId=${viewer.id}`);
    expect(items.length).toBe(await countRows('actor_id = $1', [viewer.id]));
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.every((entry) => entry.actorId === viewer.id)).toBe(true);
    expect(items.map((entry) => entry.action)).toContain('auth.login');
  });

  it('filters by exact action, which excludes actions that merely start alike', async () => {
    const { items } = await page('?action=auth.login&limit=500');
    expect(items.length).toBe(await countRows(`action = 'auth.login'`));
    expect(items.every((entry) => entry.action === 'auth.login')).toBe(true);
    expect(await countRows(`action = 'auth.login_failed'`)).toBeGreaterThan(0);
  });

  it('filters by an action prefix ending in *', async () => {
    const { items } = await page('?action=user.*&limit=500');
    const actions = new Set(items.map((entry) => entry.action));
    expect(actions).toEqual(new Set(['user.bootstrap_admin', 'user.created']));
    expect(items.length).toBe(await countRows(`action LIKE 'user.%'`));
    const auth = await page('?action=auth.*&limit=500');
    expect(new Set(auth.items.map((entry) => entry.action))).toEqual(
      new Set(['auth.login', 'auth.login_failed']),
    );
  });

  it('treats _ in an action prefix literally, not as a LIKE wildcard', async () => {
    // 'auth_*' means "actions starting with auth_"; no action does. The repo passes the prefix to LIKE
    // unescaped, so '_' matches any character and every 'auth.*' row comes back.
    const { items } = await page('?action=auth_*');
    expect(items.map((entry) => entry.action)).toEqual([]);
  });

  it('filters by target type and id', async () => {
    const { items } = await page(`?targetType=user&targetId=${created.id}`);
    expect(items.map((entry) => entry.action)).toEqual(['user.created']);
    const sessions = await page('?targetType=session&limit=500');
    expect(sessions.items.length).toBe(await countRows(`target_type = 'session'`));
    expect(sessions.items.every((entry) => entry.targetType === 'session')).toBe(true);
  });

  it('filters by time: from is inclusive, to is exclusive', async () => {
    const { items } = await page(`?from=${window.from}&to=${window.to}&limit=500`);
    expect(items.map((entry) => entry.action)).toEqual(['user.created']);
    expect(items[0]!.targetId).toBe(created.id);

    const after = await page(`?from=${window.to}&limit=500`);
    expect(after.items.length).toBeGreaterThan(0);
    expect(after.items.every((entry) => entry.occurredAt >= window.to)).toBe(true);
    const before = await page(`?to=${window.from}&limit=500`);
    expect(before.items.every((entry) => entry.occurredAt < window.from)).toBe(true);
    expect(before.items.length + 1 + after.items.length).toBe(await countRows());

    const exact = items[0]!.occurredAt;
    expect((await page(`?from=${exact}&to=${exact}`)).items).toEqual([]);
    expect((await page(`?from=${exact}&targetId=${created.id}`)).items).toHaveLength(1);
    expect((await page(`?to=${exact}&targetId=${created.id}`)).items).toHaveLength(0);
  });

  it('pages with limit, nextCursor and before, without gaps or repeats', async () => {
    const all = (await page('?limit=500')).items.map((entry) => entry.id);
    expect(all.length).toBeGreaterThan(5);
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&before=${cursor}`;
      const current = await page(query);
      expect(current.items.length).toBeLessThanOrEqual(2);
      seen.push(...current.items.map((entry) => entry.id));
      if (current.nextCursor !== null) expect(current.nextCursor).toBe(current.items.at(-1)!.id);
      cursor = current.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it('combines filters with the cursor', async () => {
    const first = await page('?action=auth.*&limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBe(first.items[0]!.id);
    const second = await page(`?action=auth.*&limit=1&before=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.id).toBeLessThan(first.items[0]!.id);
    expect(second.items[0]!.action.startsWith('auth.')).toBe(true);
  });

  it('refuses invalid filters with field-level details', async () => {
    const cases: [string, string][] = [
      ['?limit=0', 'query.limit'],
      ['?limit=501', 'query.limit'],
      ['?actorId=not-a-uuid', 'query.actorId'],
      ['?action=User.Created', 'query.action'],
      ['?from=yesterday', 'query.from'],
      ['?before=-3', 'query.before'],
    ];
    for (const [query, path] of cases) {
      const res = await t.request<{ error: { code: string; details: { path: string }[] } }>(
        'GET',
        `/api/v1/audit${query}`,
        { token: adminToken },
      );
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d) => d.path)).toContain(path);
    }
    const unknown = await t.request('GET', '/api/v1/audit?colour=red', { token: adminToken });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
  });

  it('is for admins only: viewers and operators get 403, anonymous callers 401', async () => {
    for (const path of ['/api/v1/audit', '/api/v1/audit/verify']) {
      for (const token of [viewer.token, operator.token]) {
        const res = await t.request('GET', path, { token });
        expect(res.status, path).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(res.body.error.details).toEqual({ required: 'audit:read' });
      }
      const anonymous = await t.request('GET', path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthorized');
    }
  });
});

describe('GET /api/v1/audit/verify', () => {
  it('finds an untouched chain intact and checks every row', async () => {
    const res = await t.request<AuditVerification>('GET', '/api/v1/audit/verify', { token: adminToken });
    expect(res.status).toBe(200);
    const total = await countRows();
    expect(res.body).toEqual({ intact: true, checked: total, firstBrokenId: null, reason: null });
  });

  it('walks the chain across page boundaries', async () => {
    const total = await countRows();
    for (const pageSize of [1, 2, 3, total, total + 1]) {
      expect(await verify(t.db, pageSize)).toEqual({
        intact: true,
        checked: total,
        firstBrokenId: null,
        reason: null,
      });
    }
  });

  it('links each row to the hash of the one before it', async () => {
    const rows = await t.db.query<{ id: number; prev_hash: string; hash: string }>(
      'SELECT id, prev_hash, hash FROM audit_log ORDER BY id',
    );
    let previous = '0'.repeat(64);
    for (const row of rows.rows) {
      expect(row.prev_hash).toBe(previous);
      previous = row.hash;
    }
  });
});
