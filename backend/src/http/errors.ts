import type { Context } from 'koa';
import { ZodError } from 'zod';
import type { ErrorBody, FieldIssue } from '@emma/protocol';

/** An error meant for the client: its status, code and message are sent as they are. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Authentication required', code = 'unauthorized') =>
  new AppError(401, code, message);
export const forbidden = (message: string, details?: unknown) =>
  new AppError(403, 'forbidden', message, details);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
export const tooManyRequests = (message: string, retryAfterS: number) =>
  new AppError(429, 'too_many_requests', message, { retryAfterS }, { 'Retry-After': String(retryAfterS) });

export function zodIssues(error: ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

export function validationError(error: ZodError, where: string, status = 400): AppError {
  return new AppError(status, 'validation_failed', `Invalid ${where}`, zodIssues(error, where));
}

/** Writes the one error shape; used by the error middleware and by handlers that must commit and still refuse. */
export function sendError(ctx: Context & { state: { requestId: string } }, error: AppError): void {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId: ctx.state.requestId,
    },
  };
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  ctx.status = error.status;
  ctx.body = body;
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  message?: string;
}

/** Maps anything thrown below it to an AppError; only AppErrors and known HTTP errors reach clients verbatim. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationError(err, 'input');
  const httpErr = (typeof err === 'object' && err !== null ? err : {}) as HttpLikeError;
  const status = httpErr.status ?? httpErr.statusCode;
  if (status === 413 || httpErr.type === 'entity.too.large') {
    return new AppError(413, 'payload_too_large', 'Request body is too large');
  }
  if (status === 415) return new AppError(415, 'unsupported_media_type', 'Send the body as application/json');
  if (status === 400 && httpErr.type === 'entity.parse.failed') {
    return new AppError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (status !== undefined && status >= 400 && status < 500 && httpErr.expose === true) {
    return new AppError(
      status,
      status === 405 ? 'method_not_allowed' : 'bad_request',
      httpErr.message ?? 'Bad request',
    );
  }
  return new AppError(500, 'internal', 'Internal server error');
}
