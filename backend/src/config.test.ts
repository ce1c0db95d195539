// Settings are validated once at start: production refuses weak secrets, and the process exits early.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STRONG_SECRET = 'Zq4n8Vb2Kx7Lm1Pw9Rt3Yh6Jd5Fs0Gc8Ae2Ui4Oo7Nn1Bb'; // 48 characters

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('Invalid configuration');
    return (err as ConfigError).problems;
  }
  throw new Error(`expected loadConfig to refuse ${JSON.stringify(env)}`);
}

describe('loadConfig in production', () => {
  it('refuses a missing, default or short EMMA_JWT_SECRET', () => {
    for (const secret of [
      undefined,
      '',
      '   ',
      'changeme',
      'CHANGEME',
      'change-me',
      'secret',
      'dev-secret',
      'short-secret',
    ]) {
      const env: Record<string, string> = { NODE_ENV: 'production' };
      if (secret !== undefined) env.EMMA_JWT_SECRET = secret;
      const problems = problemsOf(env);
      expect(
        problems.some((p) => p.startsWith('EMMA_JWT_SECRET:')),
        String(secret),
      ).toBe(true);
    }
    const shortOne = problemsOf({ NODE_ENV: 'production', EMMA_JWT_SECRET: 'x'.repeat(31) });
    expect(shortOne).toEqual(['EMMA_JWT_SECRET: must be at least 32 characters']);
  });

  it('accepts a 48-character secret', () => {
    const config = loadConfig({ NODE_ENV: 'production', EMMA_JWT_SECRET: STRONG_SECRET });
    expect(config.env).toBe('production');
    expect(config.auth.jwtSecret).toBe(STRONG_SECRET);
    expect(config.auth.bcryptRounds).toBe(12);
    expect(
      loadConfig({ NODE_ENV: 'production', EMMA_JWT_SECRET: 'y'.repeat(32) }).auth.jwtSecret,
    ).toHaveLength(32);
  });

  it('refuses EMMA_BCRYPT_ROUNDS below 10', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      EMMA_JWT_SECRET: STRONG_SECRET,
      EMMA_BCRYPT_ROUNDS: '4',
    });
    expect(problems).toEqual(['EMMA_BCRYPT_ROUNDS: must be at least 10 in production']);
    expect(
      loadConfig({ NODE_ENV: 'production', EMMA_JWT_SECRET: STRONG_SECRET, EMMA_BCRYPT_ROUNDS: '10' }).auth
        .bcryptRounds,
    ).toBe(10);
  });

  it('reports the production problems together', () => {
    // The production checks run once every value has a valid shape; then they are all reported at once.
    const refined = problemsOf({ NODE_ENV: 'production', EMMA_BCRYPT_ROUNDS: '4' });
    expect(refined.map((p) => p.split(':')[0]).sort()).toEqual(['EMMA_BCRYPT_ROUNDS', 'EMMA_JWT_SECRET']);
  });
});

describe('loadConfig everywhere', () => {
  it('allows a missing secret and low bcrypt rounds outside production', () => {
    const config = loadConfig({ NODE_ENV: 'development', EMMA_BCRYPT_ROUNDS: '4' });
    expect(config.auth.jwtSecret).toBeUndefined();
    expect(config.auth.bcryptRounds).toBe(4);
  });

  it('refuses invalid ports', () => {
    for (const [name, value] of [
      ['EMMA_HTTP_PORT', 'eighty'],
      ['EMMA_HTTP_PORT', '70000'],
      ['EMMA_HTTP_PORT', '-1'],
      ['EMMA_HTTP_PORT', '80.5'],
      ['EMMA_WS_PORT', '65536'],
      ['EMMA_EMBEDDED_PG_PORT', 'x'],
    ] as const) {
      const problems = problemsOf({ [name]: value });
      expect(
        problems.some((p) => p.startsWith(`${name}:`)),
        `${name}=${value}`,
      ).toBe(true);
    }
    expect(loadConfig({ EMMA_HTTP_PORT: '0' }).http.port).toBe(0);
    expect(loadConfig({ EMMA_HTTP_PORT: '65535' }).http.port).toBe(65535);
  });

  it('refuses a weak EMMA_ADMIN_PASSWORD', () => {
    expect(problemsOf({ EMMA_ADMIN_PASSWORD: 'short' })).toEqual([
      'EMMA_ADMIN_PASSWORD: must be at least 10 characters',
    ]);
    expect(problemsOf({ EMMA_ADMIN_PASSWORD: 'é'.repeat(40) })[0]).toMatch(
      /^EMMA_ADMIN_PASSWORD: must be at most 72 bytes/,
    );
    expect(loadConfig({ EMMA_ADMIN_PASSWORD: 'long-enough-pass' }).bootstrapAdmin.password).toBe(
      'long-enough-pass',
    );
  });

  it('refuses other invalid values', () => {
    const cases: Record<string, string>[] = [
      { NODE_ENV: 'staging' },
      { EMMA_LOG_LEVEL: 'verbose' },
      { EMMA_TRUST_PROXY: 'maybe' },
      { EMMA_BODY_LIMIT_BYTES: '100' },
      { EMMA_DB_POOL_MAX: '0' },
      { EMMA_ACCESS_TOKEN_TTL_S: '5' },
    ];
    for (const env of cases) {
      const [name] = Object.keys(env);
      expect(
        problemsOf(env).some((p) => p.startsWith(`${name!}:`)),
        JSON.stringify(env),
      ).toBe(true);
    }
  });

  it('has sensible defaults', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.http).toEqual({
      host: '0.0.0.0',
      port: 8080,
      trustProxy: false,
      corsOrigins: [],
      bodyLimitBytes: 1024 * 1024,
    });
    expect(config.wsPort).toBe(8081);
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.embeddedPgPort).toBe(54329);
    expect(config.database).toEqual({ url: undefined, poolMax: 10, connectTimeoutMs: 10_000, waitS: 60 });
    expect(config.auth).toMatchObject({
      jwtSecret: undefined,
      accessTokenTtlS: 900,
      refreshTokenTtlS: 14 * 86400,
      bcryptRounds: 12,
      login: { maxFailures: 5, ipMaxFailures: 50, windowS: 900, lockoutS: 900 },
    });
    expect(config.logLevel).toBe('info');
    expect(config.metricsToken).toBeUndefined();
    expect(config.bootstrapAdmin).toEqual({ email: undefined, password: undefined });
  });

  it('parses lists, booleans and blank optional values', () => {
    const config = loadConfig({
      EMMA_CORS_ORIGINS: ' https://a.example , ,https://b.example',
      EMMA_TRUST_PROXY: 'yes',
      DATABASE_URL: '  ',
      EMMA_METRICS_TOKEN: '',
      EMMA_DATA_DIR: '/var/lib/emma',
    });
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.http.trustProxy).toBe(true);
    expect(config.database.url).toBeUndefined();
    expect(config.metricsToken).toBeUndefined();
    expect(config.dataDir).toBe('/var/lib/emma');
    expect(loadConfig({ EMMA_TRUST_PROXY: '0' }).http.trustProxy).toBe(false);
  });
});

describe.concurrent('the emma process', () => {
  function run(
    args: string[],
    env: Record<string, string>,
  ): Promise<{ code: number | null; stderr: string; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('npx', ['tsx', 'backend/src/main.ts', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr, stdout });
      });
    });
  }

  it('exits 1 naming EMMA_JWT_SECRET when production has no secret, before touching a database', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'emma-config-test-'));
    try {
      const result = await run(['all'], {
        NODE_ENV: 'production',
        EMMA_DATA_DIR: dataDir,
        // Unreachable on purpose: if the config check were skipped, start-up would fail differently.
        DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Invalid configuration');
      expect(result.stderr).toContain('EMMA_JWT_SECRET');
      expect(result.stderr).not.toContain('ECONNREFUSED');
      expect(result.stdout).not.toContain('listening');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('exits 2 with usage for an unknown role', async () => {
    const result = await run(['bogus'], { NODE_ENV: 'test' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: emma <all|api|realtime|worker|migrate>');
  });

  it('exits 1 when the realtime role alone has no DATABASE_URL', async () => {
    const result = await run(['realtime'], { NODE_ENV: 'test', DATABASE_URL: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('emma realtime needs DATABASE_URL');
  });
});

describe('the realtime settings', () => {
  it('default to a 1 MiB send buffer, 150 ms windows and a 15 s session check', () => {
    expect(loadConfig({}).realtime).toEqual({
      maxBackpressureBytes: 1024 * 1024,
      coalesceMs: 150,
      recheckMs: 15_000,
      maxSubscriptions: 256,
      maxMessagesPerS: 20,
      idleTimeoutS: 120,
    });
    expect(
      loadConfig({
        EMMA_WS_MAX_BACKPRESSURE_BYTES: '65536',
        EMMA_WS_COALESCE_MS: '0',
        EMMA_WS_RECHECK_S: '0.5',
      }).realtime,
    ).toMatchObject({ maxBackpressureBytes: 65536, coalesceMs: 0, recheckMs: 500 });
    expect(() => loadConfig({ EMMA_WS_MAX_BACKPRESSURE_BYTES: '100' })).toThrow(
      /EMMA_WS_MAX_BACKPRESSURE_BYTES/,
    );
    expect(() => loadConfig({ EMMA_WS_IDLE_TIMEOUT_S: '4' })).toThrow(/EMMA_WS_IDLE_TIMEOUT_S/);
  });
});

describe('where browsers find the WebSocket and the dashboard', () => {
  it('takes a ws:// or wss:// EMMA_WS_PUBLIC_URL, nothing else; blank means unset', () => {
    expect(loadConfig({}).wsPublicUrl).toBeUndefined();
    expect(loadConfig({ EMMA_WS_PUBLIC_URL: ' ' }).wsPublicUrl).toBeUndefined();
    expect(loadConfig({ EMMA_WS_PUBLIC_URL: 'wss://emma.example.com/ws' }).wsPublicUrl).toBe(
      'wss://emma.example.com/ws',
    );
    expect(loadConfig({ EMMA_WS_PUBLIC_URL: 'ws://10.0.0.5:8081/ws' }).wsPublicUrl).toBe(
      'ws://10.0.0.5:8081/ws',
    );
    for (const bad of ['https://emma.example.com/ws', 'emma.example.com/ws', 'wss//x']) {
      expect(() => loadConfig({ EMMA_WS_PUBLIC_URL: bad }), bad).toThrow(/EMMA_WS_PUBLIC_URL: must be a ws/);
    }
  });

  it("takes an absolute path for the dashboard page's own origin (compose's nginx), and no other relative form", () => {
    expect(loadConfig({ EMMA_WS_PUBLIC_URL: '/ws' }).wsPublicUrl).toBe('/ws');
    expect(loadConfig({ EMMA_WS_PUBLIC_URL: '/emma/realtime-ws' }).wsPublicUrl).toBe('/emma/realtime-ws');
    // `//host/ws` is another host to a browser; the rest is not a path or not a clean one.
    for (const bad of ['//evil.example/ws', '/\\evil.example/ws', 'ws', './ws', '/w s', '/ws?x=1', '/ws#x']) {
      expect(() => loadConfig({ EMMA_WS_PUBLIC_URL: bad }), bad).toThrow(
        /EMMA_WS_PUBLIC_URL: must be a ws:\/\/ or wss:\/\/ URL .* or an absolute path on the dashboard's own origin \(e\.g\. \/ws\)/,
      );
    }
  });

  it('serves the dashboard from dashboard/dist of the repository unless EMMA_DASHBOARD_DIR says otherwise', () => {
    expect(loadConfig({}).dashboardDir).toBe(path.join(ROOT, 'dashboard/dist'));
    expect(loadConfig({ EMMA_DASHBOARD_DIR: '/srv/emma/dashboard' }).dashboardDir).toBe(
      '/srv/emma/dashboard',
    );
    expect(loadConfig({ EMMA_DASHBOARD_DIR: 'built' }).dashboardDir).toBe(path.resolve('built'));
  });
});

describe('EMMA_AGENT_ENROLL_TOKEN', () => {
  const secret = 'k3J9+Zp0/QxW7vN2bR5tY8uE1oA4sD6fG0hJ2kL4mN6pQ8rT0vX2zB4dF6hJ8lN=';

  it('is unset by default or blank, and taken as it is otherwise', () => {
    expect(loadConfig({}).agentEnrollToken).toBeUndefined();
    expect(loadConfig({ EMMA_AGENT_ENROLL_TOKEN: '' }).agentEnrollToken).toBeUndefined();
    expect(loadConfig({ EMMA_AGENT_ENROLL_TOKEN: secret }).agentEnrollToken).toBe(secret);
    expect(loadConfig({ EMMA_AGENT_ENROLL_TOKEN: 'x'.repeat(32) }).agentEnrollToken).toBe('x'.repeat(32));
  });

  it('refuses a value under 32 characters, with whitespace, too long, or a dashboard token, without echoing it', () => {
    const cases: [string, RegExp][] = [
      ['x'.repeat(31), /EMMA_AGENT_ENROLL_TOKEN: must be at least 32 characters/],
      [`${'x'.repeat(20)} ${'y'.repeat(20)}`, /EMMA_AGENT_ENROLL_TOKEN: must not contain whitespace/],
      ['x'.repeat(513), /EMMA_AGENT_ENROLL_TOKEN: must be at most 512 characters/],
      [
        `emmaet_${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.${'s'.repeat(43)}`,
        /not a token made in the dashboard/,
      ],
    ];
    for (const [value, message] of cases) {
      let error: unknown;
      try {
        loadConfig({ EMMA_AGENT_ENROLL_TOKEN: value });
      } catch (err) {
        error = err;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as Error).message, value).toMatch(message);
      expect((error as Error).message).not.toContain(value.slice(0, 20));
    }
  });
});

describe('the local agent of emma all', () => {
  it('is on by default, off in production, and follows EMMA_LOCAL_AGENT either way', () => {
    expect(loadConfig({}).localAgent).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', EMMA_JWT_SECRET: STRONG_SECRET }).localAgent).toBe(false);
    expect(loadConfig({ EMMA_LOCAL_AGENT: 'false' }).localAgent).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'production', EMMA_JWT_SECRET: STRONG_SECRET, EMMA_LOCAL_AGENT: 'true' })
        .localAgent,
    ).toBe(true);
  });
});
