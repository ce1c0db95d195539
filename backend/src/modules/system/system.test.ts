// Liveness, readiness and metrics: what orchestrators and Prometheus see.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe('GET /health', () => {
  it('answers 200 ok without a token', async () => {
    const res = await t.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(typeof res.body.uptimeS).toBe('number');
    expect(res.headers.get('content-type')).toContain('application/json');
  });
});

describe('GET /ready', () => {
  it('answers 200 with the database ok and nothing pending', async () => {
    const res = await t.request('GET', '/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', database: 'ok', pendingMigrations: [] });
  });

  it('answers 503 not_ready while a migration is pending, and ready again once it is applied', async () => {
    const removed = await t.db.query<{ name: string; run_on: Date }>(
      'DELETE FROM pgmigrations RETURNING name, run_on',
    );
    expect(removed.rowCount).toBeGreaterThan(0);
    try {
      const res = await t.request('GET', '/ready');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('not_ready');
      expect(res.body.error.message).toBe('Migrations are pending');
      expect(res.body.error.details.pendingMigrations).toEqual(removed.rows.map((row) => row.name));
    } finally {
      for (const row of removed.rows) {
        await t.db.query('INSERT INTO pgmigrations (name, run_on) VALUES ($1, $2)', [row.name, row.run_on]);
      }
    }
    expect((await t.request('GET', '/ready')).status).toBe(200);
  });

  it('answers 503 not_ready when the migrations table itself is gone', async () => {
    const other = await startTestServer();
    try {
      await other.db.query('DROP TABLE pgmigrations');
      const res = await other.request('GET', '/ready');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('not_ready');
      expect(res.body.error.details.pendingMigrations.length).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('answers 503 not_ready when the database is unreachable', async () => {
    const other = await startTestServer();
    // The harness pool would see its connections killed; end it first and close the server by hand.
    await other.db.end();
    try {
      const name = new URL(other.databaseUrl).pathname.slice(1);
      const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
      const res = await other.request('GET', '/ready');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('not_ready');
      expect(res.body.error.message).toBe('Database is unreachable');
      // Liveness does not depend on the database.
      expect((await other.request('GET', '/health')).status).toBe(200);
    } finally {
      await other.server.close();
    }
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with request durations by route and the pool gauges', async () => {
    expect((await t.request('GET', '/health')).status).toBe(200);
    expect((await t.request('GET', '/api/v1/no-such-thing')).status).toBe(404);
    const res = await t.request<string>('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('# TYPE emma_http_request_duration_seconds histogram');
    expect(text).toMatch(
      /emma_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/,
    );
    expect(text).toMatch(/emma_http_errors_total\{method="GET",route="unmatched",code="not_found"\} \d+/);
    expect(text).toMatch(/^emma_db_pool_connections \d+$/m);
    expect(text).toMatch(/^emma_db_pool_idle \d+$/m);
    expect(text).toMatch(/^emma_db_pool_waiting \d+$/m);
    expect(text).toContain('emma_process_cpu_user_seconds_total');
  });

  it('labels requests by route template, not by the concrete path', async () => {
    const token = await t.tokenFor();
    const me = await t.request('GET', '/api/v1/auth/me', { token });
    await t.request('GET', `/api/v1/users/${me.body.user.id as string}`, { token });
    const text = (await t.request<string>('GET', '/metrics')).body;
    expect(text).toContain('route="/api/v1/users/:id"');
    expect(text).not.toContain(me.body.user.id as string);
  });

  it('requires the bearer token when EMMA_METRICS_TOKEN is set', async () => {
    const secured = await startTestServer({ EMMA_METRICS_TOKEN: 'metrics-token-0123456789' });
    try {
      const missing = await secured.request('GET', '/metrics');
      expect(missing.status).toBe(401);
      expect(missing.body.error.code).toBe('unauthorized');
      const wrong = await secured.request('GET', '/metrics', { token: 'metrics-token-wrong' });
      expect(wrong.status).toBe(401);
      const userToken = await secured.tokenFor();
      expect((await secured.request('GET', '/metrics', { token: userToken })).status).toBe(401);
      const ok = await secured.request<string>('GET', '/metrics', { token: 'metrics-token-0123456789' });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('emma_http_request_duration_seconds');
      // Health and readiness stay open to probes.
      expect((await secured.request('GET', '/health')).status).toBe(200);
    } finally {
      await secured.close();
    }
  });
});
