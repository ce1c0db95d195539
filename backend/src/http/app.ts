import cors from '@koa/cors';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import { RequestTransaction } from '../db/request-transaction';
import type { Logger } from '../logger';
import * as auth from '../modules/auth/service';
import { registerAuthRoutes } from '../modules/auth/routes';
import { registerAuditRoutes } from '../modules/audit/routes';
import { registerRoleRoutes } from '../modules/roles/routes';
import { registerSystemRoutes } from '../modules/system/routes';
import { registerUserRoutes } from '../modules/users/routes';
import type { EmmaContext, EmmaState } from './context';
import { AppError } from './errors';
import { createMetrics } from './metrics';
import { requestContext, requestTransaction, securityHeaders } from './request-context';
import { ApiRouter } from './route';

export interface AppDeps {
  config: Config;
  pool: Pool;
  logger: Logger;
  jwtSecret: string;
  version: string;
}

export function createApp(deps: AppDeps): { app: Koa<EmmaState>; api: ApiRouter } {
  const { config, pool, logger } = deps;
  const authDeps: auth.AuthDeps = { config, pool, jwtSecret: deps.jwtSecret };
  const metrics = createMetrics(pool);
  const api = new ApiRouter({
    authenticateAgent: () => Promise.reject(new Error('agent routes are not registered yet')),
    authenticate: (ctx: EmmaContext) =>
      auth.authenticate(authDeps, ctx.state.db, ctx.get('authorization') || undefined),
    validateResponses: config.env !== 'production',
  });
  registerSystemRoutes(api, { config, pool, metrics, version: deps.version });
  registerAuthRoutes(api, authDeps);
  registerUserRoutes(api, config);
  registerRoleRoutes(api);
  registerAuditRoutes(api);

  const app = new Koa<EmmaState>();
  app.proxy = config.http.trustProxy;
  // Koa's own error printing would bypass pino; every error is already handled in requestContext.
  app.silent = true;
  app.use(requestContext(logger, metrics));
  app.use(securityHeaders());
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
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: config.http.bodyLimitBytes,
      encoding: 'utf-8',
      onError: (err) => {
        throw err instanceof SyntaxError
          ? new AppError(400, 'invalid_json', 'Request body is not valid JSON')
          : err;
      },
    }),
  );
  app.use(async (ctx, next) => {
    ctx.state.db = new RequestTransaction(pool);
    await next();
  });
  app.use(requestTransaction());
  app.use(api.router.routes());
  app.use(api.router.allowedMethods());
  return { app, api };
}
