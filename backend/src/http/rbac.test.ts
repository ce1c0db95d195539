// Every declared route against every role, driven by the route specs themselves: a new route is covered
// the moment it is declared. Each call gets a fresh session so routes such as logout cannot end the
// sessions other calls rely on.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission, PERMISSIONS, ROLES, type Permission, type Role } from '@emma/protocol';
import { startTestServer, type TestServer } from '../../test/harness';
import type { RouteSpec } from './route';

// Started at collection time: the specs decide which tests exist.
const t: TestServer = await startTestServer();
const specs: readonly RouteSpec[] = [...t.server.api.specs];

/** Path parameters that must have a particular value for the route to be reached meaningfully. */
const PARAM_VALUES: Record<string, string> = { asset: 'init.js' };

function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => PARAM_VALUES[name] ?? randomUUID());
}

function call(spec: RouteSpec, token?: string) {
  return t.request(spec.method.toUpperCase(), concretePath(spec.path), {
    ...(token === undefined ? {} : { token }),
    ...(spec.body ? { body: {} } : {}),
  });
}

const credentials = {} as Record<Role, { email: string; password: string; token: string }>;

beforeAll(async () => {
  for (const role of ROLES) credentials[role] = await t.userWithRole(role);
});

afterAll(async () => {
  await t.close();
});

const label = (spec: RouteSpec) => `${spec.method.toUpperCase()} ${spec.path} [${spec.access}]`;

/** How a route is guarded, as far as users are concerned. */
type Guard =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; permission: Permission }
  /** Any other access (an agent credential, say): user tokens must never get through. */
  | { kind: 'other' };

function guardOf(spec: RouteSpec): Guard {
  const access: string = spec.access;
  if (access === 'public') return { kind: 'public' };
  if (access === 'authenticated') return { kind: 'authenticated' };
  const permission = (PERMISSIONS as readonly string[]).find((p) => p === access) as Permission | undefined;
  return permission === undefined ? { kind: 'other' } : { kind: 'permission', permission };
}

describe('the route table', () => {
  it('is not empty and includes routes each non-admin role is refused', () => {
    expect(specs.length).toBeGreaterThan(10);
    const permissions = specs.flatMap((s) => {
      const guard = guardOf(s);
      return guard.kind === 'permission' ? [guard.permission] : [];
    });
    for (const role of ['operator', 'viewer'] as const) {
      expect(permissions.some((p) => !hasPermission(role, p))).toBe(true);
    }
    expect(specs.some((s) => guardOf(s).kind === 'public')).toBe(true);
  });
});

for (const spec of specs) describeRoute(spec);

function describeRoute(spec: RouteSpec): void {
  const guard = guardOf(spec);
  describe(label(spec), () => {
    if (guard.kind === 'public') {
      it('answers without a token', async () => {
        const res = await call(spec);
        expect(res.status).not.toBe(401);
        expect(res.status).not.toBe(403);
        expect(res.status).toBeLessThan(500);
      });
    } else if (guard.kind === 'other') {
      it('answers 401 without a credential', async () => {
        expect((await call(spec)).status).toBe(401);
      });
    } else {
      it('answers 401 without a token', async () => {
        const res = await call(spec);
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      });

      it('answers 401 with a forged token', async () => {
        const res = await call(spec, 'not.a.jwt');
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('invalid_token');
      });
    }

    it.each(ROLES)('as %s', async (role) => {
      const token = await t.tokenFor(credentials[role].email, credentials[role].password);
      const res = await call(spec, token);
      if (guard.kind === 'other') {
        expect([401, 403]).toContain(res.status);
      } else if (guard.kind === 'permission' && !hasPermission(role, guard.permission)) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(res.body.error.details).toEqual({ required: guard.permission });
      } else {
        expect(res.status).not.toBe(401);
        expect(res.status).not.toBe(403);
        expect(res.status).toBeLessThan(500);
      }
    });
  });
}

describe('specific outcomes of the matrix', () => {
  it('lets an admin reach DELETE /api/v1/users/:id (404 for an unknown id) and refuses an operator', async () => {
    const admin = await t.tokenFor(credentials.admin.email, credentials.admin.password);
    const operator = await t.tokenFor(credentials.operator.email, credentials.operator.password);
    const id = randomUUID();
    expect((await t.request('DELETE', `/api/v1/users/${id}`, { token: admin })).status).toBe(404);
    const refused = await t.request('DELETE', `/api/v1/users/${id}`, { token: operator });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });

  it('checks the permission before validating the body, and writes nothing when refused', async () => {
    const operator = await t.tokenFor(credentials.operator.email, credentials.operator.password);
    const before = await t.db.query('SELECT count(*)::int AS n FROM users');
    const res = await t.request('POST', '/api/v1/users', {
      token: operator,
      body: { email: 'sneaky@example.test', name: 'Sneaky', role: 'admin', password: 'sneaky-password-1' },
    });
    expect(res.status).toBe(403);
    const after = await t.db.query('SELECT count(*)::int AS n FROM users');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('leaves the sessions opened before the matrix ran working', async () => {
    for (const role of ROLES) {
      const me = await t.request('GET', '/api/v1/auth/me', { token: credentials[role].token });
      expect(me.status).toBe(200);
      expect(me.body.user.role).toBe(role);
    }
  });
});
