// What the HTTP layer does with what clients send: request ids, bodies, validation, routing, headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiResponse, type TestServer } from '../../test/harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestServer;
let adminToken: string;
beforeAll(async () => {
  t = await startTestServer();
  adminToken = await t.tokenFor();
});
afterAll(async () => {
  await t.close();
});

/** The one error shape: {error:{code,message,requestId,details?}}, nothing more, no stack trace. */
function expectErrorShape(res: ApiResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(Object.keys(res.body as object)).toEqual(['error']);
  const error = res.body.error as Record<string, unknown>;
  const keys = Object.keys(error).sort();
  expect(keys.filter((k) => k !== 'details')).toEqual(['code', 'message', 'requestId']);
  expect(keys.every((k) => ['code', 'message', 'requestId', 'details'].includes(k))).toBe(true);
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
  expect(error.requestId).toBe(res.headers.get('x-request-id'));
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(text).not.toContain('node_modules');
  expect(text.toLowerCase()).not.toContain('stack');
}

describe('X-Request-Id', () => {
  it('echoes a valid client id in the header and in the error body', async () => {
    const id = 'client-req_42.a:b';
    const res = await t.request('GET', '/api/v1/nothing-here', { headers: { 'x-request-id': id } });
    expect(res.headers.get('x-request-id')).toBe(id);
    expectErrorShape(res, 404, 'not_found');
    expect(res.body.error.requestId).toBe(id);
    const ok = await t.request('GET', '/health', { headers: { 'x-request-id': id } });
    expect(ok.headers.get('x-request-id')).toBe(id);
  });

  it('replaces an invalid id with a generated uuid', async () => {
    for (const offered of ['has spaces in it', 'x'.repeat(300), 'semi;colon', '<script>']) {
      const res = await t.request('GET', '/api/v1/nothing-here', { headers: { 'x-request-id': offered } });
      const id = res.headers.get('x-request-id')!;
      expect(id, offered).toMatch(UUID);
      expect(res.body.error.requestId).toBe(id);
    }
    const max = 'y'.repeat(128);
    const kept = await t.request('GET', '/health', { headers: { 'x-request-id': max } });
    expect(kept.headers.get('x-request-id')).toBe(max);
  });

  it('generates a fresh uuid for each request without one', async () => {
    const a = await t.request('GET', '/health');
    const b = await t.request('GET', '/health');
    expect(a.headers.get('x-request-id')).toMatch(UUID);
    expect(b.headers.get('x-request-id')).toMatch(UUID);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('request bodies', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await t.request('POST', '/api/v1/auth/login', {
      rawBody: '{"email": "a@example.test", "password": ',
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(res, 400, 'invalid_json');
    expect(res.body.error.message).toBe('Request body is not valid JSON');
    // The body the client sent is not echoed back.
    expect(JSON.stringify(res.body)).not.toContain('a@example.test');
  });

  it('answers a non-JSON body on a JSON route with 415 unsupported_media_type', async () => {
    const res = await t.request('POST', '/api/v1/auth/login', {
      rawBody: 'email=a@example.test&password=x',
      headers: { 'content-type': 'text/plain' },
    });
    expectErrorShape(res, 415, 'unsupported_media_type');
    const form = await t.request('POST', '/api/v1/users', {
      token: adminToken,
      rawBody: 'email=a@example.test',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectErrorShape(form, 415, 'unsupported_media_type');
  });

  it('answers a body over EMMA_BODY_LIMIT_BYTES with 413 payload_too_large', async () => {
    const small = await startTestServer({ EMMA_BODY_LIMIT_BYTES: '2048' });
    try {
      const big = await small.request('POST', '/api/v1/auth/login', {
        body: { email: 'a@example.test', password: 'x'.repeat(10 * 1024) },
      });
      expectErrorShape(big, 413, 'payload_too_large');
      // Under the limit the same route works as usual.
      const fits = await small.request('POST', '/api/v1/auth/login', {
        body: { email: 'a@example.test', password: 'x'.repeat(1000) },
      });
      expectErrorShape(fits, 401, 'invalid_credentials');
    } finally {
      await small.close();
    }
  });

  it('validates bodies with field-level details', async () => {
    const res = await t.request('POST', '/api/v1/users', {
      token: adminToken,
      body: { email: 'not-an-email', name: 'X', role: 'admin', password: 'short' },
    });
    expectErrorShape(res, 400, 'validation_failed');
    expect(res.body.error.message).toBe('Invalid body');
    const details = res.body.error.details as { path: string; message: string; code: string }[];
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'body.email',
          code: expect.any(String),
          message: expect.any(String),
        }),
        expect.objectContaining({ path: 'body.password', message: 'must be at least 10 characters' }),
      ]),
    );
    expect(details.every((d) => Object.keys(d).sort().join() === 'code,message,path')).toBe(true);
    // Nothing was created.
    const users = await t.db.query(`SELECT 1 FROM users WHERE email = 'not-an-email'`);
    expect(users.rowCount).toBe(0);
  });

  it('refuses unknown body fields and a missing body', async () => {
    const extra = await t.request('POST', '/api/v1/users', {
      token: adminToken,
      body: { email: 'x@example.test', name: 'X', role: 'viewer', isAdmin: true },
    });
    expectErrorShape(extra, 400, 'validation_failed');
    expect(extra.body.error.details[0]).toMatchObject({ path: 'body', code: 'unrecognized_keys' });
    const none = await t.request('POST', '/api/v1/auth/login');
    expectErrorShape(none, 400, 'validation_failed');
  });
});

describe('query and path parameters', () => {
  it('answers a bad query with 400 naming query.limit', async () => {
    const res = await t.request('GET', '/api/v1/users?limit=9999', { token: adminToken });
    expectErrorShape(res, 400, 'validation_failed');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'query.limit' })]);
  });

  it('answers a bad path parameter with 400 naming params.id', async () => {
    const res = await t.request('GET', '/api/v1/users/not-a-uuid', { token: adminToken });
    expectErrorShape(res, 400, 'validation_failed');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });

  it('checks the token before validating input', async () => {
    const res = await t.request('GET', '/api/v1/users?limit=9999');
    expectErrorShape(res, 401, 'unauthorized');
    const bad = await t.request('GET', '/api/v1/users', { token: 'not.a.jwt' });
    expectErrorShape(bad, 401, 'invalid_token');
  });
});

describe('routing', () => {
  it('answers an unknown route with 404 not_found', async () => {
    for (const path of ['/nope', '/api/v1/nope', '/api/v1/users/x/y/z']) {
      const res = await t.request('GET', path, { token: adminToken });
      expectErrorShape(res, 404, 'not_found');
    }
  });

  it('answers a wrong method on a known path with 405 method_not_allowed', async () => {
    for (const [method, path] of [
      ['DELETE', '/health'],
      ['PUT', '/api/v1/users'],
      ['POST', '/api/v1/audit'],
    ] as const) {
      const res = await t.request(method, path, { token: adminToken });
      expectErrorShape(res, 405, 'method_not_allowed');
    }
  });

  it('names the allowed methods in the Allow header of a 405', async () => {
    // RFC 9110 §15.5.6: a 405 response MUST carry Allow. koa-router only sets it when it does not throw,
    // and the app uses allowedMethods({ throw: true }).
    const res = await t.request('PUT', '/api/v1/users', { token: adminToken });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('answers a method the router does not implement as a client error, not a 500', async () => {
    const res = await t.request('PROPFIND', '/health');
    expect(res.status).not.toBe(500);
    expect([405, 501]).toContain(res.status);
  });

  it('answers OPTIONS on a known path with its methods', async () => {
    const res = await t.request('OPTIONS', '/api/v1/users');
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
  });
});

describe('security headers', () => {
  it('are present on successes and on errors', async () => {
    for (const res of [
      await t.request('GET', '/health'),
      await t.request('GET', '/api/v1/nope'),
      await t.request('GET', '/api/v1/users'),
      await t.request('POST', '/api/v1/auth/login', {
        rawBody: '{',
        headers: { 'content-type': 'application/json' },
      }),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});
