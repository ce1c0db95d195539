// The OpenAPI document without a running server: the routes are registered on an app whose pool is
// never used, so tools (the dashboard's typed client generator) can read the same document the server serves.
import pg from 'pg';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { PartitionManager } from '../modules/ingest/partitions';
import { SeriesCache } from '../modules/ingest/series-cache';
import { emmaVersion } from '../server';
import { createApp } from './app';
import { buildOpenApi } from './openapi';

export function openApiDocument(): unknown {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    EMMA_JWT_SECRET: 'openapi-document-only-never-used-to-sign',
    EMMA_LOG_LEVEL: 'silent',
  });
  const pool = new pg.Pool({ connectionString: 'postgres://unused@127.0.0.1:1/unused' });
  const { api } = createApp({
    config,
    pool,
    partitions: new PartitionManager(pool, 1),
    series: new SeriesCache(pool),
    logger: createLogger('silent'),
    jwtSecret: 'openapi-document-only-never-used-to-sign',
    version: emmaVersion(),
  });
  void pool.end();
  return buildOpenApi(api.specs, { title: 'eMMA API', version: emmaVersion() });
}
