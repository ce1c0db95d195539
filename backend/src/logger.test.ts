// Secrets never reach the logs: neither from a direct log call nor from a real server's request handling.
import { describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestDatabase, TEST_JWT_SECRET } from '../test/harness';
import { loadConfig } from './config';
import { createLogger, REDACTED_PATHS } from './logger';
import { startServer } from './server';

function capture(): {
  lines: string[];
  records: () => Record<string, unknown>[];
  write: (line: string) => void;
} {
  const lines: string[] = [];
  return {
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    write: (line: string) => {
      lines.push(line);
    },
  };
}

describe('createLogger', () => {
  it('redacts passwords, tokens and authorization headers', () => {
    const out = capture();
    const logger = createLogger('info', out);
    logger.info(
      {
        password: 'top-level-pass-1',
        body: { password: 'body-pass-2', refreshToken: 'refresh-tok-3', accessToken: 'access-tok-4' },
        req: { headers: { authorization: 'Bearer abc-bearer-5', cookie: 'sid=cookie-6', host: 'h' } },
        headers: { authorization: 'Bearer abc-bearer-7' },
        input: { currentPassword: 'cur-pass-8', newPassword: 'new-pass-9', secret: 'secret-10' },
        user: { passwordHash: 'hash-11', email: 'kept@example.test' },
        token: 'token-12',
        session: { token: 'token-13' },
      },
      'something happened',
    );
    expect(out.lines).toHaveLength(1);
    const line = out.lines[0]!;
    for (const secret of [
      'top-level-pass-1',
      'body-pass-2',
      'refresh-tok-3',
      'access-tok-4',
      'abc-bearer-5',
      'cookie-6',
      'abc-bearer-7',
      'cur-pass-8',
      'new-pass-9',
      'secret-10',
      'hash-11',
      'token-12',
      'token-13',
    ]) {
      expect(line).not.toContain(secret);
    }
    const record = out.records()[0]!;
    expect(record).toMatchObject({
      password: '[redacted]',
      body: { password: '[redacted]', refreshToken: '[redacted]' },
      req: { headers: { authorization: '[redacted]', host: 'h' } },
      user: { email: 'kept@example.test' },
      msg: 'something happened',
      service: 'emma',
    });
    expect(record.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts child logger bindings too', () => {
    const out = capture();
    createLogger('info', out)
      .child({ component: 'x' })
      .warn({ body: { password: 'child-pass' } }, 'child');
    expect(out.lines.join('')).not.toContain('child-pass');
    expect(out.records()[0]).toMatchObject({ component: 'x', level: 40 });
  });

  it('writes nothing below its level and nothing at all when silent', () => {
    const out = capture();
    const warn = createLogger('warn', out);
    warn.info('hidden');
    warn.debug('hidden');
    warn.error('shown');
    expect(out.records().map((r) => r.msg)).toEqual(['shown']);
    const quiet = capture();
    createLogger('silent', quiet).fatal('nothing');
    expect(quiet.lines).toEqual([]);
  });

  it('covers the authorization header and the password fields', () => {
    expect(REDACTED_PATHS).toEqual(
      expect.arrayContaining(['password', '*.password', 'req.headers.authorization', '*.refreshToken']),
    );
  });
});

describe('a real server’s logs', () => {
  it('carry the access log of each request but never a password or a token', async () => {
    const out = capture();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: await createTestDatabase(),
      EMMA_HOST: '127.0.0.1',
      EMMA_HTTP_PORT: '0',
      EMMA_JWT_SECRET: TEST_JWT_SECRET,
      EMMA_BCRYPT_ROUNDS: '4',
      EMMA_ADMIN_EMAIL: ADMIN_EMAIL,
      EMMA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      EMMA_LOG_LEVEL: 'trace',
    });
    const server = await startServer(config, createLogger('trace', out));
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': 'logged-request-1',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    try {
      const login = await post('/api/v1/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
      expect(login.status).toBe(200);
      const tokens = (await login.json()) as { accessToken: string; refreshToken: string };
      const newPassword = 'created-user-pass-77';
      expect(
        (
          await post(
            '/api/v1/users',
            { email: 'logged@example.test', name: 'L', role: 'viewer', password: newPassword },
            tokens.accessToken,
          )
        ).status,
      ).toBe(201);
      expect(
        (await post('/api/v1/auth/login', { email: ADMIN_EMAIL, password: 'wrong-pass-secret-99' })).status,
      ).toBe(401);
      expect((await post('/api/v1/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(200);

      const text = out.lines.join('');
      const access = out.records().filter((r) => r.msg === 'request');
      expect(access.length).toBeGreaterThanOrEqual(4);
      expect(access[0]).toMatchObject({
        requestId: 'logged-request-1',
        method: 'POST',
        route: '/api/v1/auth/login',
        status: 200,
      });
      for (const secret of [
        ADMIN_PASSWORD,
        newPassword,
        'wrong-pass-secret-99',
        tokens.accessToken,
        tokens.refreshToken,
        tokens.refreshToken.split('.')[1]!,
        TEST_JWT_SECRET,
      ]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await server.close();
    }
  });
});
