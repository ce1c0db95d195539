import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeRegistry } from './registry';
import {
  createHttpProbe,
  evaluateJsonPath,
  MAX_BODY_BYTES,
  jsonMatches,
  parseStatusRanges,
  statusMatches,
} from './http';
import { runProbe } from './runner';
import { agentProbe, closedPort, makeCertificates, type TestCertificates } from './test-support';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const JSON_BODY = { status: 'ok', items: [{ id: 7 }, { id: 8 }], flag: true, nothing: null };

function handler(seen: Seen[], hung: { closed: number }) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      seen.push({ method: req.method ?? '', url, headers: req.headers, body });
      const send = (status: number, text: string, headers: http.OutgoingHttpHeaders = {}): void => {
        res.writeHead(status, { 'content-type': 'text/plain', ...headers });
        res.end(text);
      };
      if (url === '/ok') send(200, 'hello world, all systems nominal');
      else if (url.startsWith('/status/')) send(Number(url.slice(8)), `status ${url.slice(8)}`);
      else if (url === '/json') send(200, JSON.stringify(JSON_BODY), { 'content-type': 'application/json' });
      else if (url === '/redirect') send(302, '', { location: '/ok' });
      else if (url === '/see-other') send(303, '', { location: '/echo' });
      else if (url === '/loop') send(302, '', { location: '/loop' });
      else if (url.startsWith('/to?')) send(302, '', { location: decodeURIComponent(url.slice(4)) });
      else if (url === '/echo') {
        send(200, JSON.stringify({ method: req.method, headers: req.headers, body }), {
          'content-type': 'application/json',
        });
      } else if (url === '/slow')
        setTimeout(() => {
          send(200, 'slow but fine');
        }, 300);
      else if (url === '/gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
        res.end(zlib.gzipSync('compressed secret handshake'));
      } else if (url === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.on('error', () => undefined);
        res.write(Buffer.alloc(5 * 1024 * 1024, 'a'));
        res.end('TAIL');
      } else if (url === '/hang') {
        req.socket.on('close', () => {
          hung.closed += 1;
        });
      } else send(404, 'not found');
    });
  };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('http probe', () => {
  const seen: Seen[] = [];
  const hung = { closed: 0 };
  let server: http.Server;
  let base = '';
  let port = 0;

  beforeAll(async () => {
    server = http.createServer(handler(seen, hung));
    port = await listen(server);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const check = (config: Record<string, unknown>, timeoutMs = 5000) =>
    runProbe(agentProbe('http', { ...config, url: `${base}${String(config.url)}` }, timeoutMs));

  it('is up on a 2xx with the status code and latency', async () => {
    const outcome = await check({ url: '/ok' });
    expect(outcome.status).toBe('up');
    expect(outcome.message).toMatch(/^HTTP 200 OK in /);
    expect(outcome.latencyMs).toBeGreaterThan(0);
    expect(outcome.details).toMatchObject({ statusCode: 200 });
    expect(outcome.details).not.toHaveProperty('certDaysLeft');
    expect(seen.at(-1)?.headers['user-agent']).toMatch(/^emma-agent-probe/);
  });

  it('checks the status against the expected ranges', async () => {
    const failed = await check({ url: '/status/500' });
    expect(failed.status).toBe('down');
    expect(failed.message).toBe('HTTP 500 Internal Server Error, expected 200-399');
    expect(failed.latencyMs).toBeGreaterThan(0);
    expect((await check({ url: '/status/500', expectStatus: '200-299,500' })).status).toBe('up');
    expect((await check({ url: '/status/204', expectStatus: '200,201' })).status).toBe('down');
    expect((await check({ url: '/status/404', expectStatus: '400-499' })).status).toBe('up');
  });

  it('requires the keyword and refuses the absent keyword', async () => {
    expect((await check({ url: '/ok', keyword: 'systems nominal' })).status).toBe('up');
    const missing = await check({ url: '/ok', keyword: 'meltdown' });
    expect(missing).toMatchObject({ status: 'down', message: 'keyword "meltdown" not found (HTTP 200 OK)' });
    const present = await check({ url: '/ok', keywordAbsent: 'hello' });
    expect(present).toMatchObject({
      status: 'down',
      message: 'unwanted keyword "hello" found (HTTP 200 OK)',
    });
    expect((await check({ url: '/ok', keywordAbsent: 'error' })).status).toBe('up');
  });

  it('decompresses a gzip body before looking for the keyword', async () => {
    const outcome = await check({ url: '/gzip', keyword: 'secret handshake' });
    expect(outcome.status).toBe('up');
  });

  it('reads at most MAX_BODY_BYTES of a body', async () => {
    const plain = await check({ url: '/big' });
    expect(plain).toMatchObject({
      status: 'up',
      details: { bodyTruncated: true, bodyBytes: MAX_BODY_BYTES },
    });
    const tail = await check({ url: '/big', keyword: 'TAIL' });
    expect(tail).toMatchObject({
      status: 'down',
      details: { bodyTruncated: true, bodyBytes: MAX_BODY_BYTES },
    });
    expect((await check({ url: '/big', keyword: 'aaaa' })).status).toBe('up');
  });

  it('compares a JSON path with the expected value', async () => {
    expect((await check({ url: '/json', jsonPath: '$.items[0].id', jsonEquals: 7 })).status).toBe('up');
    expect((await check({ url: '/json', jsonPath: '$.items[1].id', jsonEquals: '8' })).status).toBe('up');
    expect((await check({ url: '/json', jsonPath: '$.status', jsonEquals: 'ok' })).status).toBe('up');
    expect((await check({ url: '/json', jsonPath: '$.nothing', jsonEquals: null })).status).toBe('up');
    expect((await check({ url: '/json', jsonPath: '$.flag' })).status).toBe('up');
    const wrong = await check({ url: '/json', jsonPath: '$.items[0].id', jsonEquals: 8 });
    expect(wrong).toMatchObject({ status: 'down', message: '$.items[0].id is 7, expected 8' });
    const missing = await check({ url: '/json', jsonPath: '$.items[5].id' });
    expect(missing).toMatchObject({
      status: 'down',
      message: '$.items[5].id not found in the JSON body (HTTP 200 OK)',
    });
    const notJson = await check({ url: '/ok', jsonPath: '$.status', jsonEquals: 'ok' });
    expect(notJson.status).toBe('down');
    expect(notJson.message).toMatch(/^body is not JSON/);
  });

  it('follows redirects, or reports the redirect itself when told not to', async () => {
    const followed = await check({ url: '/redirect', keyword: 'hello' });
    expect(followed.status).toBe('up');
    expect(followed.details).toMatchObject({ statusCode: 200, redirects: 1, finalUrl: `${base}/ok` });
    const notFollowed = await check({ url: '/redirect', followRedirects: false });
    expect(notFollowed).toMatchObject({ status: 'up', details: { statusCode: 302 } });
    const strict = await check({ url: '/redirect', followRedirects: false, expectStatus: '200' });
    expect(strict).toMatchObject({ status: 'down', message: 'HTTP 302 Found, expected 200' });
    const loop = await check({ url: '/loop' });
    expect(loop).toEqual({ status: 'down', latencyMs: null, message: 'more than 10 redirects' });
  });

  it('sends method, headers and body; a 303 turns into a GET without the body', async () => {
    const posted = await check({
      url: '/echo',
      method: 'POST',
      headers: { 'X-Probe': 'yes', 'Content-Type': 'application/json' },
      body: '{"ping":1}',
      jsonPath: '$.body',
      jsonEquals: '{"ping":1}',
    });
    expect(posted.status).toBe('up');
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'POST', body: '{"ping":1}' });
    expect(request?.headers['x-probe']).toBe('yes');
    expect(request?.headers['content-length']).toBe('10');

    const redirected = await check({
      url: '/see-other',
      method: 'POST',
      body: 'data',
      jsonPath: '$.method',
      jsonEquals: 'GET',
    });
    expect(redirected.status).toBe('up');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/echo', body: '' });
  });

  it('drops credentials on a redirect to another origin', async () => {
    const other = `http://localhost:${port}/echo`;
    const outcome = await check({
      url: `/to?${encodeURIComponent(other)}`,
      headers: { Authorization: 'Bearer abc', 'X-Keep': '1' },
    });
    expect(outcome.status).toBe('up');
    const last = seen.at(-1);
    expect(last?.url).toBe('/echo');
    expect(last?.headers.host).toBe(`localhost:${port}`);
    expect(last?.headers.authorization).toBeUndefined();
    expect(last?.headers['x-keep']).toBe('1');
    const first = seen.at(-2);
    expect(first?.headers.authorization).toBe('Bearer abc');
  });

  it('is degraded when slower than degradedAboveMs', async () => {
    const outcome = await check({ url: '/slow', degradedAboveMs: 100 });
    expect(outcome.status).toBe('degraded');
    expect(outcome.message).toMatch(/^slow: \d+ ms > 100 ms; HTTP 200 OK/);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(290);
    expect((await check({ url: '/slow', degradedAboveMs: 5000 })).status).toBe('up');
  });

  it('times out, closing the connection', async () => {
    const before = hung.closed;
    const started = Date.now();
    const outcome = await check({ url: '/hang' }, 300);
    expect(outcome).toEqual({ status: 'down', latencyMs: null, message: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
    await expect.poll(() => hung.closed, { timeout: 2000 }).toBe(before + 1);
  });

  it('is down when nothing listens', async () => {
    const port = await closedPort();
    const outcome = await runProbe(agentProbe('http', { url: `http://127.0.0.1:${port}/` }));
    expect(outcome).toEqual({
      status: 'down',
      latencyMs: null,
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });
});

describe('https probe', () => {
  let certs: TestCertificates;
  const servers: https.Server[] = [];
  let selfSignedUrl = '';
  let signedUrl = '';

  beforeAll(async () => {
    certs = await makeCertificates();
    const start = async (pair: { key: string; cert: string }): Promise<string> => {
      const server = https.createServer(pair, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('secure hello');
      });
      servers.push(server);
      return `https://localhost:${await listen(server)}/`;
    };
    selfSignedUrl = await start(certs.selfSigned);
    signedUrl = await start(certs.signed);
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await certs.cleanup();
  });

  it('refuses a self-signed certificate unless told to ignore TLS errors', async () => {
    const refused = await runProbe(agentProbe('http', { url: selfSignedUrl }));
    expect(refused).toEqual({ status: 'down', latencyMs: null, message: 'self-signed certificate' });
    const allowed = await runProbe(
      agentProbe('http', { url: selfSignedUrl, ignoreTlsErrors: true, keyword: 'secure' }),
    );
    expect(allowed.status).toBe('up');
    expect(allowed.details?.certDaysLeft).toBe(29);
    expect(allowed.details?.certIssuer).toBe('CN=localhost');
    expect(Date.parse(String(allowed.details?.certValidTo))).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  it('trusts a certificate from a CA it was given, and reports its days left', async () => {
    const registry = createProbeRegistry([createHttpProbe({ ca: certs.ca })]);
    const outcome = await runProbe(agentProbe('http', { url: signedUrl }), { registry });
    expect(outcome.status).toBe('up');
    expect(outcome.details).toMatchObject({
      certDaysLeft: 29,
      certIssuer: 'CN=eMMA Probe Test CA, O=eMMA tests',
    });
    // The agent's default registry does not know that CA.
    const untrusted = await runProbe(agentProbe('http', { url: signedUrl }));
    expect(untrusted).toMatchObject({ status: 'down', message: 'unable to verify the first certificate' });
  });
});

describe('http helpers', () => {
  it('parses status ranges', () => {
    const ranges = parseStatusRanges('200-299,301');
    expect(ranges).toEqual([
      [200, 299],
      [301, 301],
    ]);
    expect(statusMatches(250, ranges)).toBe(true);
    expect(statusMatches(301, ranges)).toBe(true);
    expect(statusMatches(302, ranges)).toBe(false);
  });

  it('walks simple JSON paths', () => {
    const doc = { a: { b: [{ c: 1 }, 'x'] } };
    expect(evaluateJsonPath(doc, '$')).toEqual({ found: true, value: doc });
    expect(evaluateJsonPath(doc, '$.a.b[0].c')).toEqual({ found: true, value: 1 });
    expect(evaluateJsonPath(doc, '$.a.b[1]')).toEqual({ found: true, value: 'x' });
    expect(evaluateJsonPath(doc, '$.a.b[2]')).toEqual({ found: false });
    expect(evaluateJsonPath(doc, '$.a.c')).toEqual({ found: false });
    expect(evaluateJsonPath(doc, '$.a[0]')).toEqual({ found: false });
    expect(evaluateJsonPath({}, '$.toString')).toEqual({ found: false });
    expect(jsonMatches(true, 'true')).toBe(true);
    expect(jsonMatches('7', 7)).toBe(false);
    expect(jsonMatches(null, 'null')).toBe(false);
  });
});
