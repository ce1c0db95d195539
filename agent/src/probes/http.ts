// HTTP(S) probe: one request (following redirects when asked) with checks on the status code, the body
// (keyword present/absent, a simple JSON path) and the time taken; HTTPS reports the certificate's days left.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { rootCertificates, TLSSocket } from 'node:tls';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { HttpProbeConfigSchema, type ProbeOutcome } from '@emma/protocol';
import type { z } from 'zod';
import { certificateFacts, type CertificateFacts } from './cert';
import { defineProbe, type ProbeContext, type ProbeModule } from './types';
import { formatMs, now, since, upOrSlow } from './util';

type HttpConfig = z.output<typeof HttpProbeConfigSchema>;

export const MAX_REDIRECTS = 10;
/** Bodies are read up to this size (for the keyword and JSON checks); the rest is not downloaded. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
const USER_AGENT = 'emma-agent-probe/1';

export interface HttpProbeOptions {
  /** Extra trust anchors (PEM) besides the system's; for private CAs. */
  ca?: string | string[];
}

/** "200-299,301" → [[200, 299], [301, 301]]. */
export function parseStatusRanges(spec: string): [number, number][] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [from = '', to = from] = part.split('-');
      return [Number(from), Number(to)];
    });
}

export function statusMatches(code: number, ranges: readonly [number, number][]): boolean {
  return ranges.some(([from, to]) => code >= from && code <= to);
}

/** Follows `$.a.b[0]` through a parsed JSON value. */
export function evaluateJsonPath(
  root: unknown,
  path: string,
): { found: true; value: unknown } | { found: false } {
  let current: unknown = root;
  const steps = path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g);
  for (const step of steps) {
    const [, key, index] = step;
    if (key !== undefined) {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return { found: false };
      if (!Object.hasOwn(current, key)) return { found: false };
      current = (current as Record<string, unknown>)[key];
    } else if (index !== undefined) {
      if (!Array.isArray(current)) return { found: false };
      const i = Number(index);
      if (i >= current.length) return { found: false };
      current = (current as unknown[])[i];
    }
  }
  return { found: true, value: current };
}

/** Equal primitives; a string expectation also matches a number or boolean with that text ("42" = 42). */
export function jsonMatches(value: unknown, expected: string | number | boolean | null): boolean {
  if (value === expected) return true;
  if (typeof expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return String(value) === expected;
  }
  return false;
}

interface Exchange {
  url: URL;
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
  bodyBytes: number;
  truncated: boolean;
  cert: CertificateFacts | undefined;
}

function decoded(res: IncomingMessage): Readable {
  const encoding = (res.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return res.pipe(zlib.createInflate());
  if (encoding === 'br') return res.pipe(zlib.createBrotliDecompress());
  return res;
}

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  readBody: boolean,
  config: HttpConfig,
  options: HttpProbeOptions,
  ctx: ProbeContext,
): Promise<Exchange> {
  return new Promise<Exchange>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const common = { method, headers, agent: false as const, signal: ctx.signal };
    const req =
      url.protocol === 'https:'
        ? https.request(url, {
            ...common,
            rejectUnauthorized: !config.ignoreTlsErrors,
            ...(options.ca ? { ca: [...rootCertificates, ...[options.ca].flat()] } : {}),
          })
        : http.request(url, common);
    req.on('error', fail);
    req.on('response', (res) => {
      const cert =
        res.socket instanceof TLSSocket ? certificateFacts(res.socket.getPeerCertificate()) : undefined;
      const finish = (text: string, bytes: number, truncated: boolean): void => {
        if (settled) return;
        settled = true;
        resolve({
          url,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body: text,
          bodyBytes: bytes,
          truncated,
          cert,
        });
        if (truncated) res.destroy();
      };
      res.on('error', fail);
      if (!readBody || method === 'HEAD') {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= MAX_BODY_BYTES) finish('', MAX_BODY_BYTES, true);
        });
        res.on('end', () => {
          finish('', bytes, false);
        });
        return;
      }
      const stream = decoded(res);
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('error', fail);
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = MAX_BODY_BYTES - bytes;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        bytes += Math.min(chunk.length, room);
        if (chunk.length >= room) finish(Buffer.concat(chunks).toString('utf8'), bytes, true);
      });
      stream.on('end', () => {
        finish(Buffer.concat(chunks).toString('utf8'), bytes, false);
      });
    });
    req.end(body);
  });
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function withoutHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => !names.includes(key.toLowerCase())));
}

export function createHttpProbe(options: HttpProbeOptions = {}): ProbeModule<typeof HttpProbeConfigSchema> {
  return defineProbe({
    type: 'http',
    schema: HttpProbeConfigSchema,
    async run(config, ctx): Promise<ProbeOutcome> {
      const start = now();
      const needBody =
        config.keyword !== undefined || config.keywordAbsent !== undefined || config.jsonPath !== undefined;
      let url = new URL(config.url);
      let method: string = config.method;
      let body = config.body;
      let headers: Record<string, string> = { ...config.headers };
      if (!hasHeader(headers, 'user-agent')) headers['User-Agent'] = USER_AGENT;
      let redirects = 0;
      let res: Exchange;
      for (;;) {
        res = await exchange(url, method, headers, body, needBody, config, options, ctx);
        const location = res.headers.location;
        if (!config.followRedirects || res.status < 300 || res.status > 399 || !location) break;
        if (redirects >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new Error(`redirect to an unsupported URL scheme: ${next.protocol}`);
        }
        if (
          (res.status === 303 && method !== 'HEAD') ||
          ((res.status === 301 || res.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
          headers = withoutHeaders(headers, ['content-type', 'content-length']);
        }
        if (next.origin !== url.origin) {
          headers = withoutHeaders(headers, ['authorization', 'cookie', 'proxy-authorization']);
        }
        url = next;
        redirects += 1;
      }
      const latencyMs = since(start);
      const details: Record<string, unknown> = { statusCode: res.status, bodyBytes: res.bodyBytes };
      if (redirects > 0) {
        details.redirects = redirects;
        details.finalUrl = res.url.toString();
      }
      if (res.truncated) details.bodyTruncated = true;
      if (res.cert) {
        details.certDaysLeft = res.cert.daysLeft;
        details.certValidTo = res.cert.validTo;
        details.certIssuer = res.cert.issuer;
      }
      const statusLine = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      const down = (message: string): ProbeOutcome => ({ status: 'down', latencyMs, message, details });

      if (!statusMatches(res.status, parseStatusRanges(config.expectStatus))) {
        return down(`${statusLine}, expected ${config.expectStatus}`);
      }
      if (config.keyword !== undefined && !res.body.includes(config.keyword)) {
        return down(`keyword "${config.keyword}" not found (${statusLine})`);
      }
      if (config.keywordAbsent !== undefined && res.body.includes(config.keywordAbsent)) {
        return down(`unwanted keyword "${config.keywordAbsent}" found (${statusLine})`);
      }
      if (config.jsonPath !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(res.body);
        } catch {
          return down(`body is not JSON, cannot check ${config.jsonPath} (${statusLine})`);
        }
        const found = evaluateJsonPath(parsed, config.jsonPath);
        if (!found.found) return down(`${config.jsonPath} not found in the JSON body (${statusLine})`);
        if (found.value === null || typeof found.value !== 'object') details.jsonValue = found.value;
        if (config.jsonEquals !== undefined && !jsonMatches(found.value, config.jsonEquals)) {
          return down(
            `${config.jsonPath} is ${JSON.stringify(found.value)}, expected ${JSON.stringify(config.jsonEquals)}`,
          );
        }
      }
      return upOrSlow(latencyMs, config.degradedAboveMs, `${statusLine} in ${formatMs(latencyMs)}`, details);
    },
  });
}

export const httpProbe = createHttpProbe();
