// Operational endpoints: liveness, readiness, Prometheus metrics, and the API's own documentation.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Pool } from '../../db/pool';
import { pendingMigrations } from '../../db/migrate';
import { AppError, unauthorized } from '../../http/errors';
import type { HttpMetrics } from '../../http/metrics';
import { buildOpenApi } from '../../http/openapi';
import type { ApiRouter } from '../../http/route';

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const HealthSchema = z.object({ status: z.literal('ok'), uptimeS: z.number() });
const ReadySchema = z.object({
  status: z.enum(['ready']),
  database: z.literal('ok'),
  pendingMigrations: z.array(z.string()),
});

export interface SystemDeps {
  config: Config;
  pool: Pool;
  metrics: HttpMetrics;
  version: string;
}

export function registerSystemRoutes(api: ApiRouter, deps: SystemDeps): void {
  api.route({
    method: 'get',
    path: '/health',
    access: 'public',
    tags: ['system'],
    summary: 'Liveness: the process answers',
    responses: { 200: { description: 'Alive', schema: HealthSchema } },
    handler: () => Promise.resolve({ status: 'ok' as const, uptimeS: Math.round(process.uptime()) }),
  });

  api.route({
    method: 'get',
    path: '/ready',
    access: 'public',
    tags: ['system'],
    summary: 'Readiness: the database answers and every migration is applied',
    responses: {
      200: { description: 'Ready to serve', schema: ReadySchema },
      503: { description: 'Database unreachable or migrations pending' },
    },
    handler: async () => {
      let pending: string[];
      try {
        const client = await deps.pool.connect();
        try {
          await client.query('SELECT 1');
          pending = await pendingMigrations(client);
        } finally {
          client.release();
        }
      } catch {
        throw new AppError(503, 'not_ready', 'Database is unreachable');
      }
      if (pending.length > 0)
        throw new AppError(503, 'not_ready', 'Migrations are pending', { pendingMigrations: pending });
      return { status: 'ready' as const, database: 'ok' as const, pendingMigrations: pending };
    },
  });

  api.route({
    method: 'get',
    path: '/metrics',
    access: 'public',
    tags: ['system'],
    summary: 'Prometheus metrics',
    description: 'When EMMA_METRICS_TOKEN is set, send it as a bearer token.',
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
    handler: async (ctx) => {
      const token = deps.config.metricsToken;
      if (token !== undefined && !sameSecret(ctx.get('authorization'), `Bearer ${token}`)) {
        throw unauthorized('Send the metrics token as a bearer token');
      }
      ctx.type = deps.metrics.registry.contentType;
      ctx.body = await deps.metrics.registry.metrics();
      return undefined;
    },
  });

  let document: Record<string, unknown> | undefined;
  api.route({
    method: 'get',
    path: '/api/v1/openapi.json',
    access: 'public',
    tags: ['system'],
    summary: 'This API as an OpenAPI 3.1 document',
    responses: { 200: { description: 'OpenAPI document', contentType: 'application/json' } },
    handler: (ctx) => {
      document ??= buildOpenApi(api.specs, { title: 'eMMA API', version: deps.version });
      ctx.body = document;
      return Promise.resolve(undefined);
    },
  });

  registerDocsRoutes(api);
}

const require = createRequire(import.meta.url);
const ASSETS = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
} as const;
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>eMMA API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#docs', deepLinking: true,
  persistAuthorization: false });`;

function registerDocsRoutes(api: ApiRouter): void {
  const distDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  api.route({
    method: 'get',
    path: '/api/docs',
    access: 'public',
    tags: ['system'],
    summary: 'Browsable API documentation (Swagger UI)',
    responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
    handler: (ctx) => {
      ctx.set('Content-Security-Policy', DOCS_CSP);
      ctx.type = 'text/html';
      ctx.body = DOCS_HTML;
      return Promise.resolve(undefined);
    },
  });
  api.route({
    method: 'get',
    path: '/api/docs/:asset',
    access: 'public',
    tags: ['system'],
    summary: 'Static files of the documentation page',
    params: z.object({ asset: z.enum(['swagger-ui.css', 'swagger-ui-bundle.js', 'init.js']) }),
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    handler: async (ctx, { params }) => {
      ctx.set('Cache-Control', 'public, max-age=3600');
      if (params.asset === 'init.js') {
        ctx.type = 'application/javascript';
        ctx.body = DOCS_INIT;
        return undefined;
      }
      ctx.type = ASSETS[params.asset];
      ctx.body = await readFile(path.join(distDir, params.asset));
      return undefined;
    },
  });
}
