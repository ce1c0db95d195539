// deploy/nginx/emma.conf.template in a real nginx (Debian's, installed when missing) in front of a real
// eMMA: the dashboard's files and pages, the API and health checks proxied, the WebSocket upgraded.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../backend/test/harness';
import { freePort } from '../backend/test/support';
import { TestWs } from '../backend/test/ws';
import { startTestDns, type TestDns } from '../test-support/dns-server';
import { ROOT } from '../test-support/engine';
import { until } from '../test-support/until';

const run = promisify(execFile);

let t: TestServer;
let nginx: ChildProcess | undefined;
let dir: string;
let base: string;
let dns: TestDns;
/** The api's name, looked up by nginx at run time through the test's DNS server, as compose's `api` is. */
const API_NAME = 'api.emma.test';

async function ensureNginx(): Promise<string> {
  const found = await run('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx']).catch(() => undefined);
  if (found?.stdout.trim()) return found.stdout.trim().split('\n')[0]!;
  await run('bash', [path.join(ROOT, 'scripts/apt-install.sh'), '--no-recommends', 'nginx']);
  return '/usr/sbin/nginx';
}

/** The template with its ${VARIABLES} filled, as the nginx image's envsubst step does. */
async function render(values: Record<string, string>): Promise<string> {
  const template = await readFile(path.join(ROOT, 'deploy/nginx/emma.conf.template'), 'utf8');
  return template.replace(/\$\{(EMMA_[A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

beforeAll(async () => {
  const binary = await ensureNginx();
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-nginx-'));
  await chmod(dir, 0o755);
  const dist = path.join(dir, 'dist');
  await mkdir(path.join(dist, 'assets'), { recursive: true });
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>eMMA</title><div id="root"></div>');
  await writeFile(
    path.join(dist, 'assets', 'index-abc123.js'),
    `console.log(${JSON.stringify('x'.repeat(4000))});`,
  );

  t = await startTestServer({}, { serverOptions: { realtime: true } });
  dns = await startTestDns();
  dns.set(API_NAME, '127.0.0.1');
  const port = await freePort();
  const site = await render({
    EMMA_API_UPSTREAM: `${API_NAME}:${new URL(t.url).port}`,
    EMMA_REALTIME_UPSTREAM: `127.0.0.1:${t.server.realtime!.port}`,
    EMMA_NGINX_PORT: `127.0.0.1:${port}`,
    EMMA_DASHBOARD_ROOT: dist,
  });
  expect(site).not.toMatch(/\$\{EMMA_/);
  await writeFile(path.join(dir, 'emma.conf'), site);
  // The image's main nginx.conf, reduced to what a test run needs (its own temp paths, in the foreground).
  await writeFile(
    path.join(dir, 'nginx.conf'),
    `user root;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  resolver 127.0.0.1:${dns.port} valid=1s ipv6=off;
  include ${dir}/emma.conf;
}
`,
  );
  await run(binary, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')]);
  nginx = spawn(binary, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
  base = `http://127.0.0.1:${port}`;
  await until(
    'nginx to answer',
    async () => ((await fetch(`${base}/health`).catch(() => undefined))?.ok ? true : undefined),
    20_000,
  );
}, 300_000);

afterAll(async () => {
  nginx?.kill('SIGQUIT');
  await dns.close();
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('nginx in front of eMMA', () => {
  it('serves the dashboard: pages fall back to index.html, hashed assets are cached for good', async () => {
    const page = await fetch(`${base}/hosts/3f0e4c1a`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('server')).toBe('nginx');

    const asset = await fetch(`${base}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('proxies the API, with its error shape, and the health checks', async () => {
    const me = await fetch(`${base}/api/v1/auth/me`);
    expect(me.status).toBe(401);
    expect(((await me.json()) as { error: { code: string } }).error.code).toBeTruthy();
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.test', password: 'admin-password-123' }),
    });
    expect(login.status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('upgrades /ws to the realtime role', async () => {
    const token = await t.tokenFor();
    const ticket = await t.request('POST', '/api/v1/auth/ws-ticket', { token });
    const client = await TestWs.connect(
      `${base.replace('http', 'ws')}/ws?ticket=${ticket.body.ticket as string}`,
    );
    try {
      expect(await client.subscribe('overview')).toMatchObject({ op: 'subscribed', topic: 'overview' });
    } finally {
      client.ws.close();
    }
  });
  it('looks the api name up while it runs: a new address takes over without a restart, none answers 502', async () => {
    const apiPort = Number(new URL(t.url).port);
    const moved = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'ok', replica: 'moved' }));
    });
    await new Promise<void>((resolve) => moved.listen(apiPort, '127.0.0.2', resolve));
    const health = async () => {
      const res = await fetch(`${base}/health`);
      return {
        status: res.status,
        body: res.status === 200 ? ((await res.json()) as { replica?: string }) : {},
      };
    };
    try {
      expect((await health()).body.replica).toBeUndefined();
      dns.set(API_NAME, '127.0.0.2');
      await until(
        'nginx to follow the new address',
        async () => ((await health()).body.replica === 'moved' ? true : undefined),
        20_000,
      );
      dns.set(API_NAME, undefined);
      await until(
        'a 502 while the name does not resolve',
        async () => ((await health()).status === 502 ? true : undefined),
        20_000,
      );
    } finally {
      dns.set(API_NAME, '127.0.0.1');
      moved.close();
    }
    await until(
      'the api again',
      async () => {
        const now = await health();
        return now.status === 200 && now.body.replica === undefined ? true : undefined;
      },
      20_000,
    );
  });
});
