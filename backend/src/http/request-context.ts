// The outer middleware of every request: request id, timing, the access log, metrics, and the error
// boundary that turns anything thrown into the one error shape.
import { randomUUID } from 'node:crypto';
import type { Next } from 'koa';
import type { Logger } from '../logger';
import type { EmmaContext } from './context';
import { AppError, sendError, toAppError } from './errors';
import type { HttpMetrics } from './metrics';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UNROUTED: Record<number, string | undefined> = {
  404: 'not_found',
  405: 'method_not_allowed',
  501: 'not_implemented',
};

export function requestContext(logger: Logger, metrics: HttpMetrics) {
  return async (ctx: EmmaContext, next: Next): Promise<void> => {
    const started = process.hrtime.bigint();
    const offered = ctx.get('x-request-id');
    ctx.state.requestId = CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);

    let failure: AppError | undefined;
    try {
      await next();
      // The router answers unknown paths and methods with an empty body (keeping its Allow header).
      if (ctx.body == null && UNROUTED[ctx.status] !== undefined) {
        failure = new AppError(
          ctx.status,
          UNROUTED[ctx.status] ?? 'not_found',
          `No route for ${ctx.method} ${ctx.path}`,
        );
        sendError(ctx, failure);
      }
    } catch (err) {
      failure = toAppError(err);
      if (failure.status >= 500) {
        logger.error(
          { err, requestId: ctx.state.requestId, method: ctx.method, path: ctx.path },
          'request failed',
        );
      }
      sendError(ctx, failure);
    }

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = ctx.state.routePath ?? 'unmatched';
    metrics.requestDuration.observe({ method: ctx.method, route, status: String(ctx.status) }, seconds);
    if (ctx.status >= 400) {
      const code = (ctx.body as { error?: { code?: string } } | undefined)?.error?.code ?? String(ctx.status);
      metrics.errors.inc({ method: ctx.method, route, code });
    }
    logger.info(
      {
        requestId: ctx.state.requestId,
        method: ctx.method,
        route,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(seconds * 10000) / 10,
        userId: ctx.state.principal?.userId,
        ip: ctx.ip,
      },
      'request',
    );
  };
}

/** Commits the request's transaction when the handler returned, rolls it back when it threw. */
export function requestTransaction() {
  return async (ctx: EmmaContext, next: Next): Promise<void> => {
    try {
      await next();
    } catch (err) {
      await ctx.state.db.rollback();
      throw err;
    }
    await ctx.state.db.commit();
  };
}

/**
 * Where the dashboard's WebSocket is (see the ws-ticket route): its public URL, a path on the page's own origin
 * (`/ws`), or a port on the page's host.
 */
export interface WsLocation {
  url: string | null;
  port: number;
}

const HOSTNAME = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])$/;

/**
 * The policy for everything served, the dashboard included: its own scripts only, inline styles (Solid sets
 * style attributes), images from itself and data: URLs, and connections to itself and to the realtime
 * WebSocket: the public URL's origin, or the realtime port on the host the page was loaded from. A path
 * (`/ws`) is on the page's own origin, which 'self' already allows for ws(s): (CSP Level 3).
 */
export function contentSecurityPolicy(hostname: string, ws: WsLocation | undefined): string {
  const connect = ["'self'"];
  if (ws?.url) {
    if (!ws.url.startsWith('/')) connect.push(new URL(ws.url).origin);
  } else if (ws && HOSTNAME.test(hostname))
    connect.push(`ws://${hostname}:${ws.port}`, `wss://${hostname}:${ws.port}`);
  else connect.push('ws:', 'wss:');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(wsLocation?: () => WsLocation) {
  return async (ctx: EmmaContext, next: Next): Promise<void> => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Content-Security-Policy', contentSecurityPolicy(ctx.hostname, wsLocation?.()));
    await next();
  };
}
