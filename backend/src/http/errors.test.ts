// Everything thrown becomes one error shape; only deliberate client errors keep their message.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestServer } from '../../test/harness';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  sendError,
  toAppError,
  tooManyRequests,
  unauthorized,
  unprocessable,
  validationError,
  zodIssues,
} from './errors';

function zodError(schema: z.ZodType, value: unknown): z.ZodError {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a validation error');
  return result.error;
}

describe('toAppError', () => {
  it('passes AppErrors through unchanged', () => {
    const error = conflict('email_taken', 'taken', { field: 'email' });
    expect(toAppError(error)).toBe(error);
  });

  it('turns zod errors into 400 validation_failed with field paths', () => {
    const error = toAppError(zodError(z.object({ a: z.object({ b: z.number() }) }), { a: { b: 'x' } }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([expect.objectContaining({ path: 'input.a.b', code: 'invalid_type' })]);
  });

  it('maps the body parser’s errors', () => {
    expect(toAppError({ status: 413, type: 'entity.too.large', expose: true })).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
    expect(toAppError({ type: 'entity.too.large' }).status).toBe(413);
    expect(toAppError({ statusCode: 413 }).code).toBe('payload_too_large');
    expect(toAppError({ status: 415, expose: true })).toMatchObject({
      status: 415,
      code: 'unsupported_media_type',
    });
    expect(toAppError({ status: 400, type: 'entity.parse.failed', expose: true })).toMatchObject({
      status: 400,
      code: 'invalid_json',
    });
  });

  it('keeps exposed 4xx HTTP errors, naming 405 method_not_allowed', () => {
    expect(toAppError({ status: 405, expose: true, message: 'Method Not Allowed' })).toMatchObject({
      status: 405,
      code: 'method_not_allowed',
      message: 'Method Not Allowed',
    });
    expect(toAppError({ status: 400, expose: true, message: 'Bad thing' })).toMatchObject({
      status: 400,
      code: 'bad_request',
      message: 'Bad thing',
    });
  });

  it('hides everything else behind 500 internal "Internal server error"', () => {
    const secretish = [
      new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      Object.assign(new Error('relation "audit_log" does not exist'), { code: '42P01', severity: 'ERROR' }),
      { status: 401, message: 'not exposed', expose: false },
      { status: 503, message: 'exposed 5xx', expose: true },
      { status: 501, expose: false },
      'a thrown string',
      42,
      null,
      undefined,
    ];
    for (const thrown of secretish) {
      const error = toAppError(thrown);
      expect(error).toBeInstanceOf(AppError);
      expect(error.status).toBe(500);
      expect(error.code).toBe('internal');
      expect(error.message).toBe('Internal server error');
      expect(error.details).toBeUndefined();
    }
  });
});

describe('error helpers', () => {
  it('carry the documented statuses and codes', () => {
    expect(badRequest('m')).toMatchObject({ status: 400, code: 'bad_request' });
    expect(unauthorized()).toMatchObject({
      status: 401,
      code: 'unauthorized',
      message: 'Authentication required',
    });
    expect(unauthorized('m', 'token_expired')).toMatchObject({ status: 401, code: 'token_expired' });
    expect(forbidden('m', { required: 'x' })).toMatchObject({
      status: 403,
      code: 'forbidden',
      details: { required: 'x' },
    });
    expect(notFound('User')).toMatchObject({ status: 404, code: 'not_found', message: 'User not found' });
    expect(unprocessable('c', 'm')).toMatchObject({ status: 422, code: 'c' });
    const limited = tooManyRequests('slow down', 30);
    expect(limited).toMatchObject({ status: 429, code: 'too_many_requests', details: { retryAfterS: 30 } });
    expect(limited.headers).toEqual({ 'Retry-After': '30' });
  });

  it('zodIssues joins the prefix and the path, and validationError names where', () => {
    const error = zodError(z.object({ items: z.array(z.object({ n: z.number() })) }), {
      items: [{ n: 'x' }],
    });
    expect(zodIssues(error, 'body')).toEqual([
      { path: 'body.items.0.n', message: expect.any(String), code: 'invalid_type' },
    ]);
    expect(zodIssues(error)[0]!.path).toBe('items.0.n');
    const root = zodError(z.string(), 1);
    expect(zodIssues(root, 'query')[0]!.path).toBe('query');
    expect(validationError(root, 'params')).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Invalid params',
    });
  });
});

describe('sendError', () => {
  function fakeCtx() {
    const headers: Record<string, string> = {};
    return {
      state: { requestId: 'rid-1' },
      status: 200,
      body: undefined as unknown,
      headers,
      set(name: string, value: string) {
        headers[name] = value;
      },
    };
  }

  it('writes the one shape, with details only when there are some, and the error’s headers', () => {
    const ctx = fakeCtx();
    sendError(ctx as never, tooManyRequests('slow', 5));
    expect(ctx.status).toBe(429);
    expect(ctx.body).toEqual({
      error: { code: 'too_many_requests', message: 'slow', details: { retryAfterS: 5 }, requestId: 'rid-1' },
    });
    expect(ctx.headers).toEqual({ 'Retry-After': '5' });

    const plain = fakeCtx();
    sendError(plain as never, notFound('Thing'));
    expect(plain.body).toEqual({
      error: { code: 'not_found', message: 'Thing not found', requestId: 'rid-1' },
    });
    expect(Object.keys((plain.body as { error: object }).error)).not.toContain('details');
  });
});

describe('an internal error over HTTP', () => {
  it('answers 500 internal without the cause, and the next request still works', async () => {
    const t = await startTestServer();
    try {
      const token = await t.tokenFor();
      await t.db.query('DROP TABLE audit_log CASCADE');
      const res = await t.request('GET', '/api/v1/audit', { token, headers: { 'x-request-id': 'boom-1' } });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        error: { code: 'internal', message: 'Internal server error', requestId: 'boom-1' },
      });
      const text = JSON.stringify(res.body);
      for (const leak of ['audit_log', 'relation', 'stack', '.ts:', 'node_modules', 'SELECT']) {
        expect(text).not.toContain(leak);
      }
      // A failed write is rolled back; it does not wedge the pool or the server.
      const create = await t.request('POST', '/api/v1/users', {
        token,
        body: {
          email: 'after-boom@example.test',
          name: 'After',
          role: 'viewer',
          password: 'after-boom-pass-1',
        },
      });
      expect(create.status).toBe(500);
      expect(create.body.error.code).toBe('internal');
      const users = await t.db.query(`SELECT 1 FROM users WHERE email = 'after-boom@example.test'`);
      expect(users.rowCount).toBe(0);
      const pool = t.server.pool;
      expect(pool.totalCount - pool.idleCount).toBe(0);
      expect((await t.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
