import client from 'prom-client';
import type { Pool } from '../db/pool';

export interface HttpMetrics {
  registry: client.Registry;
  requestDuration: client.Histogram<'method' | 'route' | 'status'>;
  errors: client.Counter<'method' | 'route' | 'code'>;
}

/** One registry per server instance, so several servers in one process (tests) never share counters. */
export function createMetrics(pool: Pool): HttpMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'emma_' });
  const requestDuration = new client.Histogram({
    name: 'emma_http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new client.Counter({
    name: 'emma_http_errors_total',
    help: 'HTTP error responses by route template and error code',
    labelNames: ['method', 'route', 'code'] as const,
    registers: [registry],
  });
  const gauge = (name: string, help: string, read: () => number) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('emma_db_pool_connections', 'Database pool connections, in use and idle', () => pool.totalCount);
  gauge('emma_db_pool_idle', 'Idle database pool connections', () => pool.idleCount);
  gauge('emma_db_pool_waiting', 'Requests waiting for a database connection', () => pool.waitingCount);
  return { registry, requestDuration, errors };
}
