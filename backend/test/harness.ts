// A real eMMA server per test file: its own database cloned from the migrated template, a random port,
// and a small HTTP client that speaks to it with fetch.
/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each test expects */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Role } from '@emma/protocol';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startServer, type EmmaServer, type ServerOptions } from '../src/server';
import { withDatabase } from './support';

export const ADMIN_EMAIL = 'admin@example.test';
export const ADMIN_PASSWORD = 'admin-password-123';
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** What every test server runs with, in process (startTestServer) or as a process (emma-process.ts). */
export const TEST_SERVER_ENV = {
  NODE_ENV: 'test',
  EMMA_HOST: '127.0.0.1',
  EMMA_HTTP_PORT: '0',
  EMMA_WS_PORT: '0',
  EMMA_JWT_SECRET: TEST_JWT_SECRET,
  EMMA_BCRYPT_ROUNDS: '4',
  EMMA_ADMIN_EMAIL: ADMIN_EMAIL,
  EMMA_ADMIN_PASSWORD: ADMIN_PASSWORD,
} as const;

/** A fresh database cloned from the migrated template; returns its URL. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<string> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `emma_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(
      options.empty
        ? `CREATE DATABASE ${name}`
        : `CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`,
    );
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestServer {
  server: EmmaServer;
  url: string;
  databaseUrl: string;
  /** A direct connection to the server's database, for setting up and inspecting state. */
  db: pg.Pool;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  login(email?: string, password?: string, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Logs in and returns the access token; throws when the login fails. */
  tokenFor(email?: string, password?: string): Promise<string>;
  /** Creates a user through the API as the admin and returns its id and a token for it. */
  userWithRole(
    role: Role,
    password?: string,
  ): Promise<{ id: string; email: string; password: string; token: string }>;
  close(): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: { databaseUrl?: string; serverOptions?: ServerOptions } = {},
): Promise<TestServer> {
  // Reusing a database lets a test stop a server and start it again over the same data.
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = loadConfig({
    ...TEST_SERVER_ENV,
    DATABASE_URL: databaseUrl,
    EMMA_TRUST_PROXY: 'true',
    EMMA_LOG_LEVEL: 'silent',
    EMMA_DB_POOL_MAX: '5',
    // The whole suite shares two cores; a busy moment must not fail a request that merely waited.
    EMMA_DB_CONNECT_TIMEOUT_MS: '60000',
    ...env,
  });
  const server = await startServer(config, createLogger(config.logLevel), options.serverOptions);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  let counter = 0;

  const request = async <T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0)
      parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T };
  };

  const login = (email = ADMIN_EMAIL, password = ADMIN_PASSWORD, headers?: Record<string, string>) =>
    request('POST', '/api/v1/auth/login', { body: { email, password }, ...(headers ? { headers } : {}) });

  const tokenFor = async (email = ADMIN_EMAIL, password = ADMIN_PASSWORD) => {
    const response = await login(email, password);
    if (response.status !== 200)
      throw new Error(`login of ${email} failed: ${JSON.stringify(response.body)}`);
    return response.body.accessToken as string;
  };

  const userWithRole = async (role: Role, password = 'user-password-123') => {
    counter += 1;
    const email = `${role}-${counter}-${randomBytes(3).toString('hex')}@example.test`;
    const adminToken = await tokenFor();
    const created = await request('POST', '/api/v1/users', {
      token: adminToken,
      body: { email, name: `${role} ${counter}`, role, password },
    });
    if (created.status !== 201) throw new Error(`creating ${role} failed: ${JSON.stringify(created.body)}`);
    return { id: created.body.user.id as string, email, password, token: await tokenFor(email, password) };
  };

  return {
    server,
    url: server.url,
    databaseUrl,
    db,
    request,
    login,
    tokenFor,
    userWithRole,
    close: async () => {
      await db.end();
      await server.close();
    },
  };
}
