import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_DESCRIPTIONS, ROLE_PERMISSIONS, ROLES } from '@emma/protocol';
import { startTestServer, type TestServer } from '../../../test/harness';

interface RoleList {
  items: { name: string; description: string; permissions: string[] }[];
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/v1/roles', () => {
  it('lists admin, operator and viewer with exactly the permissions of ROLE_PERMISSIONS', async () => {
    const res = await t.request<RoleList>('GET', '/api/v1/roles', { token: await t.tokenFor() });
    expect(res.status).toBe(200);
    expect(res.body.items.map((r) => r.name)).toEqual(['admin', 'operator', 'viewer']);
    for (const role of ROLES) {
      const item = res.body.items.find((r) => r.name === role);
      expect(item).toEqual({
        name: role,
        description: ROLE_DESCRIPTIONS[role],
        permissions: [...ROLE_PERMISSIONS[role]],
      });
    }
  });

  it('gives admin every permission and keeps user management and the audit trail admin-only', async () => {
    const res = await t.request<RoleList>('GET', '/api/v1/roles', { token: await t.tokenFor() });
    const permissions: Record<string, string[]> = Object.fromEntries(
      res.body.items.map((r) => [r.name, r.permissions]),
    );
    expect([...permissions.admin!].sort()).toEqual([...PERMISSIONS].sort());
    for (const role of ['operator', 'viewer']) {
      expect(permissions[role]).not.toContain('users:read');
      expect(permissions[role]).not.toContain('users:write');
      expect(permissions[role]).not.toContain('audit:read');
      expect(permissions[role]).toContain('roles:read');
    }
    expect(permissions.viewer).not.toContain('agents:write');
    expect(permissions.operator).toContain('agents:write');
    // Notification channels hold credentials of other systems: admin only; everyone may read them.
    for (const role of ['operator', 'viewer']) {
      expect(permissions[role]).not.toContain('channels:write');
      expect(permissions[role]).toContain('alerts:read');
    }
    expect(permissions.admin).toContain('channels:write');
  });

  it('can be read by a viewer', async () => {
    const viewer = await t.userWithRole('viewer');
    const res = await t.request<RoleList>('GET', '/api/v1/roles', { token: viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(ROLES.length);
  });

  it('needs a token', async () => {
    const res = await t.request('GET', '/api/v1/roles');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});
