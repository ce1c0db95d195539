import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { unusedPort } from './fake-ingest-server';
import { enroll, fetchConfig, parseRetryAfter, postBatch } from './http';

const AGENT_ID = '7d0b5f36-0d0e-4f53-9d43-1a1a4c3c9a11';
const config = {
  agentId: AGENT_ID,
  status: 'online',
  intervalS: 10,
  heartbeatS: 30,
  maxBatchSamples: 5000,
  rotateCredential: false,
};

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => {
      resolve();
    });
    server?.closeAllConnections();
    if (!server) resolve();
  });
  server = undefined;
});

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
async function serve(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

describe('http client', () => {
  it('fetches the config with its ETag and reports 304 as unchanged', async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req, _body, res) => {
      expect(req.url).toBe('/prefix/api/v1/agents/self/config');
      expect(req.headers.authorization).toBe('Bearer cred');
      seen.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"' });
        res.end();
      } else json(res, 200, config, { ETag: '"v1"' });
    });
    const first = await fetchConfig(`${url}/prefix/`, 'cred');
    // An older server sends no probe list: the client fills in an empty one.
    expect(first).toEqual({
      ok: true,
      status: 200,
      value: { changed: true, config: { ...config, probes: [] }, etag: '"v1"' },
    });
    const second = await fetchConfig(`${url}/prefix`, 'cred', '"v1"');
    expect(second).toEqual({ ok: true, status: 304, value: { changed: false } });
    expect(seen).toEqual([undefined, '"v1"']);
  });

  it('enrols with a JSON body and returns the typed response', async () => {
    const url = await serve((req, body, res) => {
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/api/v1/agents/enroll');
      expect(JSON.parse(body)).toMatchObject({ token: 'tok' });
      json(res, 201, { agentId: AGENT_ID, credential: 'secret', status: 'pending' });
    });
    const host = {
      hostname: 'h',
      os: 'linux',
      arch: 'x64',
      cpus: 2,
      memTotalBytes: 1,
      agentVersion: '0.1.0',
    };
    const result = await enroll(url, { token: 'tok', host });
    expect(result).toEqual({
      ok: true,
      status: 201,
      value: { agentId: AGENT_ID, credential: 'secret', status: 'pending' },
    });
  });

  it('returns the error body, Retry-After and request id as a typed failure', async () => {
    const url = await serve((_req, _body, res) => {
      json(
        res,
        429,
        { error: { code: 'too_many_requests', message: 'slow down', requestId: 'r-1' } },
        { 'Retry-After': '7' },
      );
    });
    const result = await postBatch(url, 'cred', { seq: 1, sentAt: 1, series: [] });
    expect(result).toEqual({
      ok: false,
      status: 429,
      code: 'too_many_requests',
      message: 'slow down',
      retryAfterS: 7,
      requestId: 'r-1',
    });
  });

  it('maps a non-JSON error page, a bad success body, a refused connection and a timeout', async () => {
    let mode = 'html';
    const url = await serve((_req, _body, res) => {
      if (mode === 'html') {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end('<h1>Bad Gateway</h1>');
      } else if (mode === 'bad') json(res, 200, { hello: 'world' });
      // mode 'hang': never answer
    });
    expect(await fetchConfig(url, 'cred')).toMatchObject({ ok: false, status: 502, code: 'http_502' });
    mode = 'bad';
    expect(await fetchConfig(url, 'cred')).toMatchObject({ ok: false, status: 200, code: 'bad_response' });
    mode = 'hang';
    expect(await fetchConfig(url, 'cred', undefined, { timeoutMs: 100 })).toMatchObject({
      ok: false,
      status: 0,
      code: 'timeout',
    });
    const controller = new AbortController();
    const pending = fetchConfig(url, 'cred', undefined, { signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, status: 0, code: 'aborted' });
    const down = `http://127.0.0.1:${await unusedPort()}`;
    const refused = await postBatch(down, 'cred', { seq: 1, sentAt: 1, series: [] });
    expect(refused).toMatchObject({ ok: false, status: 0, code: 'network_error' });
    expect(refused.ok ? '' : refused.message).toMatch(/ECONNREFUSED/);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
  });
});
