// The OpenAPI document must describe exactly the routes the server serves, with their permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestServer, type TestServer } from '../../test/harness';
import { buildOpenApi } from './openapi';
import type { RouteSpec } from './route';

interface Operation {
  operationId: string;
  'x-permission': string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

let t: TestServer;
let doc: Document;
beforeAll(async () => {
  t = await startTestServer();
  const res = await t.request<Document>('GET', '/api/v1/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(async () => {
  await t.close();
});

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1.0 document with bearer auth', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('eMMA API');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
  });

  it('documents every declared route, and nothing else', () => {
    const specs = t.server.api.specs;
    expect(specs.length).toBeGreaterThan(10);
    const missing = specs
      .filter((spec) => doc.paths[openApiPath(spec.path)]?.[spec.method] === undefined)
      .map((spec) => `${spec.method.toUpperCase()} ${spec.path}`);
    expect(missing).toEqual([]);
    const declared = new Set(specs.map((spec) => `${spec.method} ${openApiPath(spec.path)}`));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(new Set(documented)).toEqual(declared);
    expect(documented).toHaveLength(specs.length);
  });

  it('names each operation’s permission in x-permission, and lists 401 for non-public ones', () => {
    for (const spec of t.server.api.specs) {
      const op = doc.paths[openApiPath(spec.path)]![spec.method]!;
      const where = `${spec.method} ${spec.path}`;
      expect(op['x-permission'], where).toBe(spec.access);
      expect(op.responses['500'], where).toBeDefined();
      if (spec.access === 'public') {
        expect(op.security, where).toEqual([]);
      } else {
        expect(op.responses['401'], where).toBeDefined();
        expect(op.security, where).toBeUndefined();
      }
      if (spec.access !== 'public' && spec.access !== 'authenticated') {
        expect(op.responses['403'], where).toBeDefined();
      }
      if (spec.body) {
        expect(op.requestBody?.content['application/json'], where).toBeDefined();
        expect(op.responses['415'], where).toBeDefined();
      }
    }
  });

  it('declares a path parameter for every {name} in a path, and unique operation ids', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops)) {
        const inPath = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(
          inPath.map((p) => p.name),
          path,
        ).toEqual(names);
        expect(inPath.every((p) => p.required)).toBe(true);
        expect(ids.has(op.operationId), op.operationId).toBe(false);
        ids.add(op.operationId);
      }
    }
  });

  it('shares the Error and User schemas as components, and every $ref resolves', () => {
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'] });
    expect(doc.components.schemas.User).toMatchObject({ type: 'object' });
    expect(doc.components.schemas.AuditEntry).toBeDefined();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
    }
    const listUsers = doc.paths['/api/v1/users']!.get!;
    expect(listUsers.parameters!.map((p) => p.name)).toEqual(['q', 'role', 'status', 'limit', 'offset']);
    expect(listUsers.parameters!.every((p) => p.in === 'query' && !p.required)).toBe(true);
  });
});

describe('buildOpenApi', () => {
  const spec = (overrides: Partial<RouteSpec>): RouteSpec => ({
    method: 'get',
    path: '/api/v1/things',
    access: 'public',
    summary: 'Things',
    tags: ['things'],
    responses: { 200: { description: 'OK', schema: z.object({ ok: z.boolean() }) } },
    handler: () => Promise.resolve(undefined),
    ...overrides,
  });

  it('turns :params into {params}, merges methods of one path and marks permissions', () => {
    const built = buildOpenApi(
      [
        spec({
          path: '/api/v1/things/:thingId',
          params: z.object({ thingId: z.uuid() }),
          access: 'users:read',
        }),
        spec({
          method: 'delete',
          path: '/api/v1/things/:thingId',
          params: z.object({ thingId: z.uuid() }),
          access: 'authenticated',
          responses: { 204: { description: 'Gone' } },
        }),
      ],
      { title: 'T', version: '1.0.0' },
    ) as unknown as Document;
    const ops = built.paths['/api/v1/things/{thingId}']!;
    expect(Object.keys(ops).sort()).toEqual(['delete', 'get']);
    expect(ops.get!['x-permission']).toBe('users:read');
    expect(ops.get!.operationId).toBe('getThingsByThingId');
    expect(Object.keys(ops.get!.responses).sort()).toEqual(['200', '400', '401', '403', '500']);
    expect(Object.keys(ops.delete!.responses).sort()).toEqual(['204', '400', '401', '500']);
    expect(ops.delete!.responses['204']).toEqual({ description: 'Gone' });
    expect(ops.get!.parameters).toEqual([
      expect.objectContaining({ name: 'thingId', in: 'path', required: true }),
    ]);
  });
});

describe('GET /api/docs', () => {
  it('serves the Swagger UI page with its own CSP', async () => {
    const res = await t.request<string>('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain('/api/docs/swagger-ui-bundle.js');
    expect(res.body).toContain('/api/docs/swagger-ui.css');
    expect(res.body).toContain('/api/docs/init.js');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves the bundle, the stylesheet and the init script', async () => {
    const bundle = await t.request<string>('GET', '/api/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('application/javascript');
    expect(bundle.body).toContain('SwaggerUIBundle');
    expect(bundle.body.length).toBeGreaterThan(100_000);
    const css = await t.request<string>('GET', '/api/docs/swagger-ui.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    const init = await t.request<string>('GET', '/api/docs/init.js');
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toContain('application/javascript');
    expect(init.body).toContain("url: '/api/v1/openapi.json'");
    expect(init.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('refuses any other file name with 400', async () => {
    for (const asset of ['unknown.js', '..%2F..%2Fpackage.json', 'index.html']) {
      const res = await t.request('GET', `/api/docs/${asset}`);
      expect(res.status, asset).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details[0].path).toBe('params.asset');
    }
  });
});
