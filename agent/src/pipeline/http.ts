// Typed client for the agent's side of the API. Every outcome, including network failures and
// timeouts, comes back as a value: callers decide about retries by status and code, nothing is thrown.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  AgentConfigSchema,
  EnrollResponseSchema,
  IngestResultSchema,
  type AgentConfig,
  type EnrollRequest,
  type EnrollResponse,
  type IngestBatch,
  type IngestResult,
} from '@emma/protocol';
import { liteFetch, type LiteRequestInit, type LiteResponse } from './lite-fetch';

const gzipAsync = promisify(gzip);

export interface HttpSuccess<T> {
  ok: true;
  status: number;
  value: T;
}

export interface HttpFailure {
  ok: false;
  /** HTTP status, or 0 when no answer arrived (network error, timeout, abort). */
  status: number;
  /** The server's error.code, or network_error | timeout | aborted | bad_response. */
  code: string;
  message: string;
  /** From Retry-After, in seconds. */
  retryAfterS?: number;
  requestId?: string;
}

export type HttpResult<T> = HttpSuccess<T> | HttpFailure;

export interface RequestOptions {
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** Cancels the request (e.g. on shutdown); reported as code `aborted`. */
  signal?: AbortSignal;
}

export type ConfigResult = { changed: false } | { changed: true; config: AgentConfig; etag?: string };

interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** Seconds to wait from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

export function endpoint(serverUrl: string, pathname: string): string {
  // Keeps a path prefix in serverUrl (https://host/emma) instead of resolving from the root.
  return `${serverUrl.replace(/\/+$/, '')}${pathname}`;
}

export async function failureFrom(response: LiteResponse): Promise<HttpFailure> {
  const text = await response.text().catch(() => '');
  let code = `http_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  let requestId = response.headers.get('x-request-id') ?? undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (typeof body.error?.requestId === 'string') requestId = body.error.requestId;
  } catch {
    // Not the JSON error shape (a proxy's HTML page, say): keep the status-derived code.
  }
  const retryAfterS = parseRetryAfter(response.headers.get('retry-after'));
  return {
    ok: false,
    status: response.status,
    code,
    message,
    ...(retryAfterS === undefined ? {} : { retryAfterS }),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

export function networkFailure(err: unknown, callerSignal: AbortSignal | undefined): HttpFailure {
  const name = err instanceof Error ? err.name : '';
  if (callerSignal?.aborted) return { ok: false, status: 0, code: 'aborted', message: 'request aborted' };
  if (name === 'TimeoutError') return { ok: false, status: 0, code: 'timeout', message: 'request timed out' };
  // A wrapped socket error (ECONNREFUSED, ...) is in `cause`.
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  const message = err instanceof Error ? `${err.message}${cause}` : String(err);
  return { ok: false, status: 0, code: 'network_error', message };
}

/** One call: network failures, timeouts and aborts come back as HttpFailure values. */
export async function request<T>(
  url: string,
  init: Omit<LiteRequestInit, 'signal'>,
  options: RequestOptions,
  parse: (response: LiteResponse) => Promise<HttpResult<T>>,
): Promise<HttpResult<T>> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await liteFetch(url, { ...init, signal });
    return await parse(response);
  } catch (err) {
    return networkFailure(err, options.signal);
  }
}

export async function parseJson<T>(response: LiteResponse, schema: Parser<T>): Promise<HttpResult<T>> {
  if (!response.ok) return failureFrom(response);
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, status: response.status, code: 'bad_response', message: 'unexpected response body' };
  }
  return { ok: true, status: response.status, value: parsed.data };
}

/** POST /api/v1/agents/enroll with a one-time enrolment token. */
export function enroll(
  serverUrl: string,
  body: EnrollRequest,
  options: RequestOptions = {},
): Promise<HttpResult<EnrollResponse>> {
  return request(
    endpoint(serverUrl, '/api/v1/agents/enroll'),
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    options,
    (response) => parseJson(response, EnrollResponseSchema),
  );
}

/** GET /api/v1/agents/self/config; with the last ETag a 304 comes back as `changed: false`. */
export function fetchConfig(
  serverUrl: string,
  credential: string,
  etag?: string,
  options: RequestOptions = {},
): Promise<HttpResult<ConfigResult>> {
  const headers: Record<string, string> = { Authorization: `Bearer ${credential}` };
  if (etag !== undefined) headers['If-None-Match'] = etag;
  return request(
    endpoint(serverUrl, '/api/v1/agents/self/config'),
    { method: 'GET', headers },
    options,
    async (response): Promise<HttpResult<ConfigResult>> => {
      if (response.status === 304) {
        await response.text().catch(() => '');
        return { ok: true, status: 304, value: { changed: false } };
      }
      const result = await parseJson(response, AgentConfigSchema);
      if (!result.ok) return result;
      const newEtag = response.headers.get('etag') ?? undefined;
      return {
        ok: true,
        status: result.status,
        value: { changed: true, config: result.value, ...(newEtag === undefined ? {} : { etag: newEtag }) },
      };
    },
  );
}

/** POST /api/v1/ingest with the batch as gzip-compressed JSON. */
export async function postBatch(
  serverUrl: string,
  credential: string,
  batch: IngestBatch,
  options: RequestOptions = {},
): Promise<HttpResult<IngestResult>> {
  const body = await gzipAsync(JSON.stringify(batch));
  return request(
    endpoint(serverUrl, '/api/v1/ingest'),
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${credential}`,
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      },
      body,
    },
    options,
    (response) => parseJson(response, IngestResultSchema),
  );
}
