// Every route of the app goes through ApiRouter.route and names a known access level. The checker below
// walks koa-router's own layer stack, so a route added any other way (router.get, router.use) is caught.
import type Router from 'koa-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '@emma/protocol';
import { startTestServer, type TestServer } from '../../test/harness';
import { ApiRouter, type Access, type RouteSpec } from './route';

// Besides the permissions: anyone, any signed-in user, and an enrolled agent's own credential.
const KNOWN_ACCESS = new Set<string>([...PERMISSIONS, 'public', 'authenticated', 'agent']);

/** Problems with how the routes of `api` are declared; empty when every layer is a declared, known-access route. */
function routeDeclarationProblems(api: { router: Router; specs: readonly RouteSpec[] }): string[] {
  const problems: string[] = [];
  const declared = new Set(api.specs.map((spec) => `${spec.method.toUpperCase()} ${spec.path}`));
  const layered = new Set<string>();
  for (const layer of api.router.stack) {
    // koa-router adds HEAD to every GET layer by itself.
    const methods = layer.methods.filter((m) => !(m === 'HEAD' && layer.methods.includes('GET')));
    if (methods.length === 0) problems.push(`middleware layer on ${layer.path} bypasses ApiRouter.route`);
    for (const method of methods) {
      const key = `${method} ${layer.path}`;
      layered.add(key);
      if (!declared.has(key)) problems.push(`${key} has no route spec (registered outside ApiRouter.route)`);
    }
  }
  for (const spec of api.specs) {
    const key = `${spec.method.toUpperCase()} ${spec.path}`;
    if (!KNOWN_ACCESS.has(spec.access)) problems.push(`${key} declares unknown access '${spec.access}'`);
    if (!layered.has(key)) problems.push(`${key} has a spec but no router layer`);
  }
  return problems;
}

function smallApi(): ApiRouter {
  const unused = () => Promise.reject(new Error('not used in these tests'));
  const options = { authenticate: unused, authenticateAgent: unused, validateResponses: true };
  return new ApiRouter(options);
}

function spec(method: RouteSpec['method'], path: string, access: Access = 'public'): RouteSpec {
  return {
    method,
    path,
    access,
    summary: `${method} ${path}`,
    tags: ['test'],
    responses: { 200: { description: 'ok' } },
    handler: () => Promise.resolve({ ok: true }),
  };
}

describe('route declarations of the running app', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has a spec with a known access level for every koa-router layer', () => {
    const { api } = t.server;
    expect(api.router.stack.length).toBeGreaterThan(0);
    expect(api.specs.length).toBe(api.router.stack.length);
    expect(routeDeclarationProblems(api)).toEqual([]);
  });

  it('covers the user, role and auth routes with the expected access', () => {
    const access = Object.fromEntries(
      t.server.api.specs.map((s) => [`${s.method.toUpperCase()} ${s.path}`, s.access]),
    );
    expect(access).toMatchObject({
      'GET /api/v1/users': 'users:read',
      'POST /api/v1/users': 'users:write',
      'GET /api/v1/users/:id': 'users:read',
      'PATCH /api/v1/users/:id': 'users:write',
      'DELETE /api/v1/users/:id': 'users:write',
      'GET /api/v1/roles': 'roles:read',
      'POST /api/v1/auth/login': 'public',
      'GET /api/v1/auth/me': 'authenticated',
    });
  });
});

describe('the declaration checker', () => {
  it('accepts routes declared through ApiRouter.route', () => {
    const api = smallApi();
    api.route(spec('get', '/a'));
    api.route(spec('post', '/a', 'users:write'));
    api.route(spec('get', '/b/:id', 'authenticated'));
    expect(routeDeclarationProblems(api)).toEqual([]);
  });

  it('flags a route registered directly on the koa router', () => {
    const api = smallApi();
    api.route(spec('get', '/declared'));
    api.router.get('/raw', (ctx) => {
      ctx.body = 'no access check here';
    });
    expect(routeDeclarationProblems(api)).toEqual([
      'GET /raw has no route spec (registered outside ApiRouter.route)',
    ]);
  });

  it('flags a raw route that shares a path with a declared one but uses another method', () => {
    const api = smallApi();
    api.route(spec('get', '/things'));
    api.router.delete('/things', (ctx) => {
      ctx.status = 204;
    });
    expect(routeDeclarationProblems(api)).toEqual([
      'DELETE /things has no route spec (registered outside ApiRouter.route)',
    ]);
  });

  it('flags middleware mounted on the router', () => {
    const api = smallApi();
    api.route(spec('get', '/x'));
    api.router.use('/x', async (_ctx, next) => {
      await next();
    });
    const problems = routeDeclarationProblems(api);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/middleware layer/);
  });

  it('flags an access level that is neither a permission nor public/authenticated', () => {
    const api = smallApi();
    api.route(spec('get', '/odd', 'users:delete' as Access));
    expect(routeDeclarationProblems(api)).toEqual(["GET /odd declares unknown access 'users:delete'"]);
  });
});

describe('ApiRouter.route', () => {
  it('throws when the same method and path are declared twice', () => {
    const api = smallApi();
    api.route(spec('get', '/twice'));
    expect(() => {
      api.route(spec('get', '/twice', 'users:read'));
    }).toThrow('route GET /twice declared twice');
    expect(api.specs).toHaveLength(1);
    expect(api.router.stack).toHaveLength(1);
  });

  it('allows the same path with another method', () => {
    const api = smallApi();
    api.route(spec('get', '/same'));
    api.route(spec('put', '/same'));
    expect(api.specs.map((s) => s.method)).toEqual(['get', 'put']);
  });

  it('throws when a route declares no 2xx response', () => {
    const api = smallApi();
    expect(() => {
      api.route({ ...spec('get', '/nothing'), responses: { 404: { description: 'never found' } } });
    }).toThrow('declares no success response');
  });
});
