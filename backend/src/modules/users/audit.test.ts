// Every user mutation leaves one audit row: who (actor), from where (ip), which request, and before/after
// snapshots that never carry a password or a hash.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, startTestServer, type ApiResponse, type TestServer } from '../../../test/harness';

let t: TestServer;
let admin: string;
let adminId: string;

const CLIENT_IP = '203.0.113.7';
// Fields that would hold a secret; flags such as mustChangePassword or passwordReset are no secret.
const SECRET_KEY = /^(password|temporaryPassword|newPassword|currentPassword)$|hash|secret|token/i;

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.tokenFor();
  adminId = (await t.request('GET', '/api/v1/auth/me', { token: admin })).body.user.id;
});
afterAll(async () => {
  await t.close();
});

interface AuditRow {
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
  request_id: string | null;
}

function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return t.request(method, path, {
    token: admin,
    headers: { 'x-forwarded-for': CLIENT_IP, ...headers },
    ...(body === undefined ? {} : { body }),
  });
}

async function auditRows(action: string, targetId: string): Promise<AuditRow[]> {
  const result = await t.db.query<AuditRow>(
    `SELECT actor_id, actor_email, action, target_type, target_id, before, after, ip, request_id
     FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id`,
    [action, targetId],
  );
  return result.rows;
}

function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => [key, ...keysDeep(v)]);
  return [];
}

/** The one row of `action` on `targetId`, checked against the response that caused it. */
async function expectOneRow(action: string, targetId: string, res: ApiResponse): Promise<AuditRow> {
  const rows = await auditRows(action, targetId);
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  const requestId = res.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  expect(row).toMatchObject({
    actor_id: adminId,
    actor_email: ADMIN_EMAIL,
    target_type: 'user',
    ip: CLIENT_IP,
    request_id: requestId,
  });
  const snapshots = JSON.stringify([row.before, row.after]);
  expect(keysDeep([row.before, row.after]).filter((key) => SECRET_KEY.test(key))).toEqual([]);
  expect(snapshots).not.toMatch(/\$2[aby]\$/);
  return row;
}

async function createViewer(password?: string): Promise<{ id: string; email: string; res: ApiResponse }> {
  const email = `audited-${randomBytes(4).toString('hex')}@example.test`;
  const res = await send('POST', '/api/v1/users', {
    email,
    name: 'Audited',
    role: 'viewer',
    ...(password === undefined ? {} : { password }),
  });
  expect(res.status).toBe(201);
  return { id: res.body.user.id, email, res };
}

describe('audit rows of user mutations', () => {
  it('records user.created with the new user and no password', async () => {
    const password = 'created-password-1';
    const { id, email, res } = await createViewer(password);
    const row = await expectOneRow('user.created', id, res);
    expect(row.before).toBeNull();
    expect(row.after).toMatchObject({ id, email, role: 'viewer', disabled: false });
    expect(JSON.stringify(row)).not.toContain(password);
  });

  it('records user.created without the generated temporary password', async () => {
    const { id, res } = await createViewer();
    const row = await expectOneRow('user.created', id, res);
    expect(JSON.stringify(row)).not.toContain(res.body.temporaryPassword as string);
  });

  it('records user.updated with the state before and after', async () => {
    const { id } = await createViewer();
    const res = await send('PATCH', `/api/v1/users/${id}`, { name: 'Renamed', role: 'operator' });
    expect(res.status).toBe(200);
    const row = await expectOneRow('user.updated', id, res);
    expect(row.before).toMatchObject({ id, name: 'Audited', role: 'viewer' });
    expect(row.after).toMatchObject({ id, name: 'Renamed', role: 'operator' });
  });

  it('records disabling as user.updated', async () => {
    const { id } = await createViewer();
    const res = await send('PATCH', `/api/v1/users/${id}`, { disabled: true });
    expect(res.status).toBe(200);
    const row = await expectOneRow('user.updated', id, res);
    expect(row.before).toMatchObject({ disabled: false });
    expect(row.after).toMatchObject({ disabled: true });
  });

  it('records user.password_reset without the new password', async () => {
    const { id } = await createViewer('first-password-1');
    const res = await send('PATCH', `/api/v1/users/${id}`, { password: 'second-password-2' });
    expect(res.status).toBe(200);
    const row = await expectOneRow('user.password_reset', id, res);
    expect(row.after).toMatchObject({ id });
    expect(JSON.stringify(row)).not.toContain('second-password-2');
    expect(await auditRows('user.updated', id)).toEqual([]);
  });

  // BUG (service.ts update + audit/chain.ts scrubSecrets): update() adds `passwordReset: true` to the
  // snapshot, but scrubSecrets drops every key matching /pass/, so the marker (and mustChangePassword)
  // never reaches the audit row.
  it('keeps the passwordReset marker that update() adds to the snapshot', async () => {
    const { id } = await createViewer('first-password-1');
    const res = await send('PATCH', `/api/v1/users/${id}`, { password: 'second-password-2' });
    expect(res.status).toBe(200);
    const [row] = await auditRows('user.password_reset', id);
    expect(row!.after).toMatchObject({ passwordReset: true });
  });

  it('records user.deleted with deletedAt before and after', async () => {
    const { id } = await createViewer();
    const res = await send('DELETE', `/api/v1/users/${id}`);
    expect(res.status).toBe(204);
    const row = await expectOneRow('user.deleted', id, res);
    expect(row.before).toMatchObject({ id, deletedAt: null });
    expect(typeof row.after?.deletedAt).toBe('string');
  });

  it('stores the request id the client chose, as echoed in X-Request-Id', async () => {
    const { id } = await createViewer();
    const res = await send(
      'PATCH',
      `/api/v1/users/${id}`,
      { name: 'Traced' },
      { 'x-request-id': 'trace-42.a' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-42.a');
    const row = await expectOneRow('user.updated', id, res);
    expect(row.request_id).toBe('trace-42.a');
  });

  it('writes nothing for a refused mutation', async () => {
    const { id, email } = await createViewer();
    const count = async () =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]!.n;
    const before = await count();
    expect((await send('POST', '/api/v1/users', { email, name: 'Dup', role: 'viewer' })).status).toBe(409);
    expect((await send('PATCH', `/api/v1/users/${id}`, {})).status).toBe(400);
    expect((await send('DELETE', `/api/v1/users/${adminId}`)).status).toBe(409);
    expect(await count()).toBe(before);
  });

  it('keeps the audit chain intact after all these mutations', async () => {
    const res = await t.request('GET', '/api/v1/audit/verify', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ intact: true, firstBrokenId: null });
    expect(res.body.checked).toBeGreaterThan(10);
  });
});
