// The only way routes are added: each declares its access (a permission, 'authenticated' or 'public')
// and its zod schemas, which serve validation, TypeScript types and the OpenAPI document at once.
import Router from 'koa-router';
import type { Next } from 'koa';
import type { z } from 'zod';
import { hasPermission, type Permission } from '@emma/protocol';
import type { AgentPrincipal, EmmaContext, Principal } from './context';
import { AppError, forbidden, sendError, validationError } from './errors';
import { toCsv, type CsvTable } from './csv';

/** A user permission, any signed-in user, an enrolled agent's credential, or nobody in particular. */
export type Access = Permission | 'authenticated' | 'agent' | 'public';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/** A handler returns the response body (undefined for 204), or a Refusal to answer with an error while keeping its writes. */
export type RouteResult = unknown;

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  path: string;
  access: Access;
  summary: string;
  description?: string;
  tags: string[];
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Status for a body that fails its schema (default 400; ingest answers 422). */
  invalidBodyStatus?: number;
  responses: Record<number, ResponseSpec>;
  handler: (ctx: EmmaContext, input: RouteInput<P, Q, B>) => Promise<RouteResult>;
  /**
   * Other representations of the success body, chosen by the request's Accept header (JSON stays the
   * default): `csv` turns it into a table (`Accept: text/csv`), `html` into a printable page (`text/html`).
   */
  representations?: {
    csv?: (result: never) => CsvTable;
    html?: (result: never) => string;
  };
}

/**
 * An error answer whose transaction still commits: a failed login must keep its audit row and its
 * throttle counter, a reused refresh token must keep the revocation of its family.
 */
export class Refusal {
  constructor(readonly error: AppError) {}
}

export interface ApiRouterOptions {
  authenticate(ctx: EmmaContext): Promise<Principal>;
  authenticateAgent(ctx: EmmaContext): Promise<AgentPrincipal>;
  /** Checks each answer against its declared schema (on in development and tests) so the document never drifts. */
  validateResponses: boolean;
}

export class ApiRouter {
  readonly router = new Router();
  readonly specs: RouteSpec[] = [];

  constructor(private readonly options: ApiRouterOptions) {}

  route<P, Q, B>(spec: RouteSpec<P, Q, B>): void {
    const duplicate = this.specs.find((s) => s.method === spec.method && s.path === spec.path);
    if (duplicate) throw new Error(`route ${spec.method.toUpperCase()} ${spec.path} declared twice`);
    const successStatus = Math.min(
      ...Object.keys(spec.responses)
        .map(Number)
        .filter((s) => s >= 200 && s < 300),
    );
    if (!Number.isFinite(successStatus)) throw new Error(`route ${spec.path} declares no success response`);
    this.specs.push(spec as RouteSpec);

    const handle = async (ctx: EmmaContext, next: Next): Promise<void> => {
      ctx.state.routePath = spec.path;
      if (spec.access === 'agent') {
        ctx.state.agent = await this.options.authenticateAgent(ctx);
      } else if (spec.access !== 'public') {
        const principal = await this.options.authenticate(ctx);
        ctx.state.principal = principal;
        if (spec.access !== 'authenticated' && !hasPermission(principal.role, spec.access)) {
          throw forbidden(`Your role '${principal.role}' lacks the permission '${spec.access}'`, {
            required: spec.access,
          });
        }
      }
      const input = {
        params: parse(spec.params, ctx.params, 'params'),
        query: parse(spec.query, ctx.query, 'query'),
        body: spec.body ? parse(spec.body, readJsonBody(ctx), 'body', spec.invalidBodyStatus) : undefined,
      } as RouteInput<P, Q, B>;

      const result = await spec.handler(ctx, input);
      if (result instanceof Refusal) {
        sendError(ctx, result.error);
        return;
      }
      if (result !== undefined) {
        ctx.status = successStatus;
        ctx.body = result;
        if (this.options.validateResponses) checkResponse(spec as RouteSpec, successStatus, result);
        represent(ctx, spec as RouteSpec, result);
      } else if ((ctx.body === undefined || ctx.body === null) && ctx.status === 404) {
        // 404 is Koa's "nothing set yet"; a handler may have chosen another status itself (e.g. 304).
        ctx.status = successStatus;
      }
      await next();
    };
    this.router[spec.method](spec.path, handle as unknown as Router.IMiddleware);
  }
}

/** Swaps the JSON body for the representation the client asked for, when the route offers one. */
function represent(ctx: EmmaContext, spec: RouteSpec, result: unknown): void {
  const offered = spec.representations;
  if (!offered) return;
  const types = [
    'application/json',
    ...(offered.csv ? ['text/csv'] : []),
    ...(offered.html ? ['text/html'] : []),
  ];
  const chosen = ctx.accepts(types);
  if (chosen === 'text/csv' && offered.csv) {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = toCsv((offered.csv as (r: unknown) => CsvTable)(result));
    ctx.set('content-disposition', `attachment; filename="${csvFileName(spec.path)}"`);
  } else if (chosen === 'text/html' && offered.html) {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = (offered.html as (r: unknown) => string)(result);
  }
  ctx.vary('Accept');
}

/** /api/v1/reports/uptime → emma-reports-uptime.csv */
function csvFileName(path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, '')
    .split('/')
    .filter((part) => part !== '' && !part.startsWith(':'));
  return `emma-${words.join('-')}.csv`;
}

function parse<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  where: string,
  status = 400,
): T | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where, status);
  return result.data;
}

function readJsonBody(ctx: EmmaContext): unknown {
  const hasBody = Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== '';
  if (hasBody && !ctx.is('application/json')) {
    throw new AppError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  return (ctx.request as { body?: unknown }).body;
}

function checkResponse(spec: RouteSpec, status: number, body: unknown): void {
  const schema = spec.responses[status]?.schema;
  if (!schema) return;
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `response of ${spec.method.toUpperCase()} ${spec.path} does not match its schema: ${JSON.stringify(result.error.issues)}`,
    );
  }
}
