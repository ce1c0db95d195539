import cors from '@koa/cors';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import { RequestTransaction } from '../db/request-transaction';
import type { Logger } from '../logger';
import * as agents from '../modules/agents/service';
import { registerAgentRoutes } from '../modules/agents/routes';
import * as auth from '../modules/auth/service';
import { INGEST_PATH, registerIngestRoutes } from '../modules/ingest/routes';
import type { PartitionManager } from '../modules/ingest/partitions';
import { RateLimiter } from '../modules/ingest/rate-limit';
import type { SeriesCache } from '../modules/ingest/series-cache';
import { registerMetricRoutes } from '../modules/metrics/routes';
import { registerAlertRoutes } from '../modules/alerts/routes';
import { registerNotificationRoutes } from '../modules/notifications/routes';
import { registerOverviewRoutes } from '../modules/overview/routes';
import { registerDashboardRoutes } from '../modules/dashboards/routes';
import { registerReportRoutes } from '../modules/reports/routes';
import { registerProbeRoutes } from '../modules/probes/routes';
import { registerAuthRoutes } from '../modules/auth/routes';
import { registerAuditRoutes } from '../modules/audit/routes';
import { agentsWithQueued } from '../modules/containers/repo';
import { registerContainerRoutes } from '../modules/containers/routes';
import { CommandWaiters } from '../modules/containers/waiters';
import { registerRoleRoutes } from '../modules/roles/routes';
import { registerSystemRoutes } from '../modules/system/routes';
import { registerUserRoutes } from '../modules/users/routes';
import type { EmmaContext, EmmaState } from './context';
import { AppError } from './errors';
import { dashboardStatic } from './dashboard-static';
import { createMetrics } from './metrics';
import { requestContext, requestTransaction, securityHeaders } from './request-context';
import { ApiRouter } from './route';

export interface AppDeps {
  config: Config;
  pool: Pool;
  partitions: PartitionManager;
  series: SeriesCache;
  logger: Logger;
  jwtSecret: string;
  version: string;
  /**
   * Where browsers find the realtime WebSocket, asked at each ticket. `emma all` passes the port its realtime
   * server actually listens on (known only after start); default: EMMA_WS_PUBLIC_URL and EMMA_WS_PORT.
   */
  wsEndpoint?: () => auth.WsEndpoint;
}

export interface App {
  app: Koa<EmmaState>;
  api: ApiRouter;
  /** Agents waiting for commands in this process; closed on shutdown so no long poll delays it. */
  commandWaiters: CommandWaiters;
}

export function createApp(deps: AppDeps): App {
  const { config, pool, logger } = deps;
  const authDeps: auth.AuthDeps = { config, pool, jwtSecret: deps.jwtSecret };
  const metrics = createMetrics(pool);
  const wsEndpoint = deps.wsEndpoint ?? (() => ({ url: config.wsPublicUrl ?? null, port: config.wsPort }));
  const api = new ApiRouter({
    // On the pool, not the request's transaction: ingest resolves series on the pool before its transaction.
    authenticateAgent: (ctx: EmmaContext) =>
      agents.authenticateAgent(pool, ctx.get('authorization') || undefined),
    authenticate: (ctx: EmmaContext) =>
      auth.authenticate(authDeps, ctx.state.db, ctx.get('authorization') || undefined),
    validateResponses: config.env !== 'production',
  });
  registerSystemRoutes(api, { config, pool, metrics, version: deps.version });
  registerAuthRoutes(api, { ...authDeps, wsEndpoint });
  registerUserRoutes(api, config);
  registerRoleRoutes(api);
  registerAuditRoutes(api);
  registerAgentRoutes(api, {
    serverSecret: deps.jwtSecret,
    agentImage: config.agentImage,
    publicUrl: config.publicUrl,
    maxBatchSamples: config.ingest.maxBatchSamples,
  });
  registerIngestRoutes(api, {
    pool,
    partitions: deps.partitions,
    series: deps.series,
    maxBatchSamples: config.ingest.maxBatchSamples,
    limiter: new RateLimiter(config.ingest.maxBatchesPerS, Math.max(1, config.ingest.maxBatchesPerS * 2)),
  });
  registerMetricRoutes(api, { retention: config.history.retention });
  registerProbeRoutes(api, { serverSecret: deps.jwtSecret, retention: config.history.retention });
  registerAlertRoutes(api, { publicUrl: config.publicUrl });
  registerNotificationRoutes(api, {
    serverSecret: deps.jwtSecret,
    timeoutMs: config.notifications.timeoutMs,
    publicUrl: config.publicUrl,
    logger: logger.child({ module: 'notifications' }),
  });
  const commandWaiters = new CommandWaiters({
    check: (agentIds) => agentsWithQueued(pool, agentIds),
    everyMs: config.commandCheckMs,
    onError: (err) => {
      logger.error({ err }, 'checking for queued agent commands failed');
    },
  });
  registerContainerRoutes(api, { pool, waiters: commandWaiters, retention: config.history.retention });
  registerOverviewRoutes(api);
  registerDashboardRoutes(api);
  registerReportRoutes(api);

  const app = new Koa<EmmaState>();
  app.proxy = config.http.trustProxy;
  // Koa's own error printing would bypass pino; every error is already handled in requestContext.
  app.silent = true;
  app.use(requestContext(logger, metrics));
  app.use(securityHeaders(wsEndpoint));
  if (config.http.corsOrigins.length > 0) {
    const allowed = new Set(config.http.corsOrigins);
    app.use(
      cors({
        origin: (ctx) => (allowed.has(ctx.get('origin')) ? ctx.get('origin') : ''),
        exposeHeaders: ['X-Request-Id', 'Retry-After'],
        allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
        maxAge: 600,
      }),
    );
  }
  const jsonBody = (limit: number) =>
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: limit,
      encoding: 'utf-8',
      onError: (err) => {
        if (err instanceof SyntaxError)
          throw new AppError(400, 'invalid_json', 'Request body is not valid JSON');
        // zlib errors (Z_DATA_ERROR, Z_BUF_ERROR …) mean a corrupt or truncated compressed body.
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('Z_')) {
          throw new AppError(400, 'invalid_body', 'Request body could not be decompressed');
        }
        throw err;
      },
    });
  const apiBody = jsonBody(config.http.bodyLimitBytes);
  // Agent batches are larger than anything a person sends; the limit applies after gzip inflation.
  const ingestBody = jsonBody(config.ingest.bodyLimitBytes);
  app.use((ctx, next) => (ctx.path === INGEST_PATH ? ingestBody(ctx, next) : apiBody(ctx, next)));

  app.use(async (ctx, next) => {
    ctx.state.db = new RequestTransaction(pool);
    await next();
  });
  app.use(requestTransaction());
  app.use(api.router.routes());
  app.use(api.router.allowedMethods());
  // After the API: only what no route answered reaches the dashboard, and API paths never do (JSON 404s).
  app.use(dashboardStatic(config.dashboardDir));
  return { app, api, commandWaiters };
}
