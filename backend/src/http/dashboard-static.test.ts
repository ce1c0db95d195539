// The built dashboard on the HTTP port, from a directory of files made here: pages fall back to index.html,
// API paths keep their JSON 404s, hashed assets are immutable, text is gzipped (once per file version), the
// directory cannot be left, and a missing build answers a page that says how to build it.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness';
import { contentSecurityPolicy } from './request-context';
import { NOT_BUILT_HTML, safeRelativePath } from './dashboard-static';

let tmp: string;
let dist: string;
let t: TestServer;
let unbuilt: TestServer;

const INDEX = `<!doctype html><html><head><title>eMMA</title>
<script type="module" crossorigin src="/assets/index-4f2a9c.js"></script></head>
<body><div id="root"></div><!-- ${'padding '.repeat(200)} --></body></html>`;
const APP_JS = `export const answer = 42;\n${'console.log("a line of the bundle");\n'.repeat(100)}`;
const SMALL_CSS = 'body { margin: 0 }\n';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 1, 2, 3, 4]);

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request with the path sent exactly as given (fetch would normalise `..`) and no automatic decoding. */
function raw(server: TestServer, method: string, rawPath: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(server.url);
  return new Promise<Raw>((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const json = (r: Raw) => JSON.parse(r.body.toString()) as { error: { code: string } };

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'emma-dashboard-'));
  dist = path.join(tmp, 'dist');
  await mkdir(path.join(dist, 'assets'), { recursive: true });
  await writeFile(path.join(dist, 'index.html'), INDEX);
  await writeFile(path.join(dist, 'assets/index-4f2a9c.js'), APP_JS);
  await writeFile(path.join(dist, 'assets/small-77aa01.css'), SMALL_CSS);
  await writeFile(path.join(dist, 'assets/logo-0b1c2d.png'), PNG);
  await writeFile(path.join(dist, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
  await writeFile(path.join(dist, '.env'), 'SECRET=inside');
  await writeFile(path.join(tmp, 'secret.txt'), 'SECRET=outside');
  t = await startTestServer({ EMMA_DASHBOARD_DIR: dist, EMMA_WS_PORT: '18090' });
  unbuilt = await startTestServer({
    EMMA_DASHBOARD_DIR: path.join(tmp, 'no-such-dir'),
    EMMA_WS_PUBLIC_URL: 'wss://emma.example.test/ws',
  });
});

afterAll(async () => {
  await t.close();
  await unbuilt.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the dashboard files', () => {
  it('answers / and any page a browser asks for with index.html, revalidated every time', async () => {
    for (const page of ['/', '/index.html', '/agents', '/agents/8c1e/containers?tab=2']) {
      const res = await raw(t, 'GET', page, html);
      expect(res.status, page).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body.toString()).toBe(INDEX);
    }
  });

  it('keeps API and server paths to the server: JSON 404s, never index.html', async () => {
    for (const p of ['/api/v1/nope', '/api', '/api/', '/health/x', '/metrics/x', '/ready/x']) {
      const res = await raw(t, 'GET', p, html);
      expect(res.status, p).toBe(404);
      expect(res.headers['content-type'], p).toContain('application/json');
      expect(json(res).error.code).toBe('not_found');
    }
    expect((await raw(t, 'GET', '/health', html)).status).toBe(200);
    expect((await raw(t, 'GET', '/api/docs', html)).body.toString()).toContain('swagger-ui-bundle.js');
  });

  it('answers a missing file with a 404 unless a browser asks for a page; other methods are not served', async () => {
    const script = await raw(t, 'GET', '/assets/missing-123.js', { accept: '*/*' });
    expect(script.status).toBe(404);
    expect(json(script).error.code).toBe('not_found');
    // Under /assets/ even a page request gets no index.html: a stale hash must not run HTML as a script.
    expect((await raw(t, 'GET', '/assets/missing-123.js', html)).status).toBe(404);
    expect((await raw(t, 'GET', '/agents', { accept: 'application/json' })).status).toBe(404);
    const post = await raw(t, 'POST', '/', html);
    expect(post.status).toBe(404);
    expect(json(post).error.code).toBe('not_found');
  });

  it('serves hashed assets as immutable and other files for revalidation, with their types', async () => {
    const png = await raw(t, 'GET', '/assets/logo-0b1c2d.png', { 'accept-encoding': 'gzip' });
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body).toEqual(PNG);

    const css = await raw(t, 'GET', '/assets/small-77aa01.css', { 'accept-encoding': 'gzip' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['content-encoding']).toBeUndefined(); // under 1 KB
    expect(css.body.toString()).toBe(SMALL_CSS);

    const robots = await raw(t, 'GET', '/robots.txt');
    expect(robots.headers['cache-control']).toBe('no-cache');
    expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('gzips text over 1 KB for clients that accept it, and answers conditional requests with 304', async () => {
    const plain = await raw(t, 'GET', '/assets/index-4f2a9c.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['vary']).toContain('Accept-Encoding');
    expect(plain.body.toString()).toBe(APP_JS);

    const zipped = await raw(t, 'GET', '/assets/index-4f2a9c.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    expect(zipped.body.length).toBeLessThan(APP_JS.length / 4);
    expect(gunzipSync(zipped.body).toString()).toBe(APP_JS);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);

    const page = await raw(t, 'GET', '/some/page', { ...html, 'accept-encoding': 'gzip' });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(page.body).toString()).toBe(INDEX);

    const again = await raw(t, 'GET', '/assets/index-4f2a9c.js', {
      'accept-encoding': 'gzip',
      'if-none-match': zipped.headers.etag!,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const head = await raw(t, 'HEAD', '/assets/index-4f2a9c.js', { 'accept-encoding': 'gzip' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(zipped.headers['content-length']);
    expect(head.body.length).toBe(0);
  });

  it('compresses a file again once it changed (the memory cache is keyed by its modification time)', async () => {
    const file = path.join(dist, 'assets/index-4f2a9c.js');
    const first = await raw(t, 'GET', '/assets/index-4f2a9c.js', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(first.body).toString()).toBe(APP_JS);
    const changed = APP_JS.replace('42', '43');
    await writeFile(file, changed);
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    const second = await raw(t, 'GET', '/assets/index-4f2a9c.js', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(second.body).toString()).toBe(changed);
    expect(second.headers.etag).not.toBe(first.headers.etag);
    await writeFile(file, APP_JS);
  });

  it('never leaves the directory and never serves hidden files', async () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/index.html%00.png',
      '/%E0%A4%A',
    ]) {
      const res = await raw(t, 'GET', p, html);
      expect(res.status, p).toBe(400);
      expect(json(res).error.code).toBe('invalid_path');
      expect(res.body.toString()).not.toContain('SECRET');
    }
    const hidden = await raw(t, 'GET', '/.env', { accept: '*/*' });
    expect(hidden.status).toBe(404);
    expect(hidden.body.toString()).not.toContain('SECRET');
    expect(() => safeRelativePath('/a/./b')).toThrow();
    expect(safeRelativePath('/')).toBe('');
    expect(safeRelativePath('/assets/')).toBe('assets/index.html');
    expect(safeRelativePath('/assets/a%20b.js')).toBe('assets/a b.js');
    expect(safeRelativePath('/.well-known/x')).toBeUndefined();
  });
});

describe('the security headers of the dashboard', () => {
  it('let it run its own scripts, inline styles, data: images and reach the realtime port', async () => {
    const res = await raw(t, 'GET', '/', html);
    const csp = String(res.headers['content-security-policy']);
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data:",
      'connect-src': "'self' ws://127.0.0.1:18090 wss://127.0.0.1:18090",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    // The same policy on API answers.
    expect((await raw(t, 'GET', '/api/v1/nope')).headers['content-security-policy']).toBe(csp);
  });

  it('allow the public WebSocket URL when one is set, and any ws: for a host name it cannot vouch for', async () => {
    const res = await raw(unbuilt, 'GET', '/', html);
    expect(res.headers['content-security-policy']).toContain("connect-src 'self' wss://emma.example.test;");
    expect(contentSecurityPolicy('[::1]', { url: null, port: 8081 })).toContain(
      "connect-src 'self' ws://[::1]:8081 wss://[::1]:8081;",
    );
    expect(contentSecurityPolicy('evil; script-src *', { url: null, port: 8081 })).toContain(
      "connect-src 'self' ws: wss:;",
    );
  });

  it("need nothing beyond 'self' for a WebSocket path on the page's own origin (EMMA_WS_PUBLIC_URL=/ws)", async () => {
    expect(contentSecurityPolicy('emma.lan', { url: '/ws', port: 8081 })).toContain("connect-src 'self';");
    const proxied = await startTestServer({ EMMA_WS_PUBLIC_URL: '/ws' });
    try {
      const res = await raw(proxied, 'GET', '/api/v1/nope');
      expect(res.headers['content-security-policy']).toContain("connect-src 'self';");
      // The ticket hands the path on as it is; the dashboard puts its own origin in front (realtimeUrl).
      const ticket = await proxied.request('POST', '/api/v1/auth/ws-ticket', {
        token: await proxied.tokenFor(),
      });
      expect(ticket.status).toBe(200);
      expect(ticket.body).toMatchObject({ url: '/ws' });
    } finally {
      await proxied.close();
    }
  });
});

describe('without a built dashboard', () => {
  it('answers pages with how to build it, and everything else as before', async () => {
    for (const page of ['/', '/agents/1']) {
      const res = await raw(unbuilt, 'GET', page, html);
      expect(res.status, page).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body.toString()).toBe(NOT_BUILT_HTML);
    }
    expect(NOT_BUILT_HTML).toContain('npm run build -w dashboard');
    expect((await raw(unbuilt, 'GET', '/assets/index-4f2a9c.js')).status).toBe(404);
    expect((await raw(unbuilt, 'GET', '/api/v1/nope', html)).status).toBe(404);
    expect((await raw(unbuilt, 'GET', '/health')).status).toBe(200);
  });
});
