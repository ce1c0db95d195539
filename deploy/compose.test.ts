// The shipped docker-compose.yml with deploy/compose.scale.yml, on a real engine (Podman with
// podman-compose, scripts/docker-engine.sh): the images build from the repository's Dockerfiles, the stack
// comes up in order (PostgreSQL, migrations once, two of each server role, nginx with the dashboard, an agent
// for this host), and a user drives it through nginx only: the dashboard and the API, logging in, the agent
// enrolled by EMMA_AGENT_ENROLL_TOKEN, its data on the WebSocket, and a graceful stop.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- JSON answers and WebSocket messages are whatever each step expects */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../backend/test/support';
import { TestWs } from '../backend/test/ws';
import { ROOT, startTestEngine, type TestEngine } from '../test-support/engine';
import { until } from '../test-support/until';

const run = promisify(execFile);
const PROJECT = `emmact${process.pid}`;
const ADMIN = { email: 'admin@example.com', password: 'compose-admin-password-1' };
const AGENT_NAME = 'compose-host';
const ROLES = ['api', 'realtime', 'worker'] as const;

let engine: TestEngine;
let dir: string;
let base: string;
let env: NodeJS.ProcessEnv;

/** podman-compose on the copied compose files, with this run's settings in its environment. */
async function compose(...args: string[]): Promise<string> {
  const { stdout } = await run(
    'podman-compose',
    ['-p', PROJECT, '-f', 'docker-compose.yml', '-f', 'compose.scale.yml', ...args],
    { cwd: dir, env, maxBuffer: 256 * 1024 * 1024, timeout: 1_500_000 },
  );
  return stdout;
}

const container = (service: string, n = 1) => `${PROJECT}_${service}_${n}`;

async function inspect(name: string, format: string): Promise<string> {
  return engine.podman('inspect', '--format', format, name);
}

/** Server errors seen and retried: Podman's network DNS (aardvark-dns 1.x) has been seen failing lookups for
 * seconds while the stack's containers start, so a role's database connection fails now and then. */
const transient: string[] = [];

/**
 * One request through nginx. A 5xx answer or a failed connection is tried again for up to a minute, as an
 * operator's browser would; the tries are counted in `transient`.
 */
async function api(
  method: string,
  url: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  return until(
    `${method} ${url}`,
    async () => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      }).catch((err: unknown) => {
        transient.push(`${method} ${url}: ${String(err)}`);
        return undefined;
      });
      if (!res) return undefined;
      const text = await res.text();
      if (res.status >= 500) {
        transient.push(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
        return undefined;
      }
      return {
        status: res.status,
        body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
      };
    },
    60_000,
    1_000,
  );
}

async function login(): Promise<string> {
  const res = await api('POST', '/api/v1/auth/login', { body: ADMIN });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

beforeAll(async () => {
  engine = await startTestEngine();
  await engine.baseImage();
  // The shipped files, with the build context pointing back at the repository: the project directory is
  // a fresh one, so no developer's .env takes part and the project name is this run's own.
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-compose-'));
  for (const [from, to] of [
    ['docker-compose.yml', 'docker-compose.yml'],
    ['deploy/compose.scale.yml', 'compose.scale.yml'],
  ] as const) {
    const text = await readFile(path.join(ROOT, from), 'utf8');
    await writeFile(path.join(dir, to), text.replaceAll('context: .', `context: ${ROOT}`));
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    ...engine.env,
    POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
    EMMA_JWT_SECRET: randomBytes(48).toString('base64'),
    EMMA_AGENT_ENROLL_TOKEN: randomBytes(32).toString('hex'),
    EMMA_DOCKER_GID: String(statSync(engine.socketPath).gid),
    EMMA_HOST_DOCKER_SOCKET: engine.socketPath,
    EMMA_PORT: String(port),
    EMMA_PUBLIC_URL: base,
    EMMA_ADMIN_EMAIL: ADMIN.email,
    EMMA_ADMIN_PASSWORD: ADMIN.password,
    EMMA_AGENT_NAME: AGENT_NAME,
    EMMA_VERSION: 'compose-test',
    EMMA_REGISTRY: '',
  };
  // As the README says to build them, here with no registry: the pinned bases are local (--pull=never), and
  // RUN steps reach npm and Debian's mirror through the host's network.
  await compose('--podman-build-args=--format docker --pull=never --network host', 'build');
  await compose('up', '-d');
}, 1_800_000);

afterAll(async () => {
  if (!dir) return;
  if (transient.length > 0)
    process.stderr.write(`compose test: retried after transient failures:\n${transient.join('\n')}\n`);
  // Every container's output beside the screenshots, for a failed CI run.
  const logs = path.join(ROOT, 'test-output', 'compose-logs');
  await mkdir(logs, { recursive: true });
  const names = (
    await engine.podman(
      'ps',
      '-a',
      '--filter',
      `label=io.podman.compose.project=${PROJECT}`,
      '--format',
      '{{.Names}}',
    )
  )
    .split('\n')
    .filter(Boolean);
  for (const name of names) {
    const { stdout, stderr } = await run('podman', ['logs', name], {
      env: engine.env,
      maxBuffer: 64 * 1024 * 1024,
    }).catch(() => ({ stdout: '', stderr: '' }));
    await writeFile(path.join(logs, `${name}.log`), stdout + stderr);
  }
  await compose('down', '-v').catch(() => undefined);
  await engine.remove(...names);
}, 300_000);

describe('docker-compose.yml with deploy/compose.scale.yml', () => {
  it('builds images that run as non-root users, with health checks', async () => {
    const images = {
      'emma-server': 'node',
      'emma-agent': 'node',
      'emma-dashboard': 'www-data',
      'emma-postgres': 'postgres',
    };
    for (const [image, user] of Object.entries(images)) {
      const ref = `localhost/${image}:compose-test`;
      expect(await inspect(ref, '{{.Config.User}}')).toBe(user);
      expect(await engine.podman('image', 'inspect', '--format', '{{json .HealthCheck.Test}}', ref)).toMatch(
        /^\["CMD/,
      );
    }
  }, 60_000);

  it('runs the migrations once, two of each server role, and every container is healthy', async () => {
    // `up -d` returns once the containers are started; migrate may still be waiting for PostgreSQL.
    const migrate = await until(
      'migrate to finish',
      async () => {
        const state = await inspect(container('migrate'), '{{.State.Status}} {{.State.ExitCode}}');
        return state.startsWith('exited') ? state : undefined;
      },
      120_000,
    );
    if (migrate !== 'exited 0') {
      const logs = await engine.podman('logs', container('migrate')).catch((err: unknown) => String(err));
      expect.fail(`migrate: ${migrate}, its log:\n${logs}`);
    }
    const running = ['postgres', 'nginx', 'agent', ...ROLES.flatMap((role) => [role, role])].map(
      (service, i, all) => container(service, all.slice(0, i).filter((s) => s === service).length + 1),
    );
    expect(running).toContain(container('realtime', 2));
    for (const name of running) {
      await until(
        `${name} to be healthy`,
        async () => {
          const ok = await engine.podman('healthcheck', 'run', name).then(
            () => true,
            () => false,
          );
          return ok || undefined;
        },
        120_000,
        2_000,
      );
      expect(await inspect(name, '{{.State.Status}}')).toBe('running');
    }
    // Each role runs under its own command in the one server image.
    for (const role of ROLES) {
      expect(await inspect(container(role, 2), '{{json .Config.Cmd}}')).toBe(JSON.stringify([role]));
    }
  }, 600_000);

  it('serves the dashboard and the API through nginx, and logs the admin in', async () => {
    const page = await until(
      'the dashboard through nginx',
      async () => {
        const res = await fetch(`${base}/agents`).catch(() => undefined);
        return res?.status === 200 ? res : undefined;
      },
      120_000,
    );
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toMatch(/<script type="module"[^>]+src="\/assets\//);
    expect((await api('GET', '/health')).body).toMatchObject({ status: 'ok' });
    expect((await api('GET', '/api/v1/agents')).status).toBe(401);
    const token = await until('the admin to log in', async () => login().catch(() => undefined), 60_000);
    const me = await api('GET', '/api/v1/auth/me', { token });
    expect(me.body.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
  }, 300_000);

  it('enrols the agent with EMMA_AGENT_ENROLL_TOKEN; its data arrive on the WebSocket through nginx', async () => {
    const token = await login();
    const agent = await until(
      'the compose agent to report',
      async () => {
        const res = await api('GET', '/api/v1/agents', { token });
        const items = (res.body.items ?? []) as { id: string; name: string; status: string }[];
        return items.find((a) => a.name === AGENT_NAME && a.status === 'online');
      },
      180_000,
    );
    // The bootstrap token: created once by the api replicas, used once.
    const tokens = await api('GET', '/api/v1/enrollment-tokens', { token });
    const bootstrap = (tokens.body.items as { name: string; uses: number }[]).filter((t) =>
      t.name.startsWith('bootstrap'),
    );
    expect(bootstrap).toHaveLength(1);
    expect(bootstrap[0]!.uses).toBe(1);

    // It sees this host's containers, the stack's own among them.
    await until(
      "the stack's containers in the agent's inventory",
      async () => {
        const res = await api('GET', `/api/v1/containers?agentId=${agent.id}&limit=500`, { token });
        const names = ((res.body.items ?? []) as { name: string }[]).map((c) => c.name);
        return names.includes(container('postgres')) && names.includes(container('realtime', 2))
          ? names
          : undefined;
      },
      180_000,
    );

    // Two browsers' WebSockets: nginx spreads them over the realtime replicas, and each gets the samples.
    const clients: TestWs[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        // As the dashboard does, a refused upgrade is tried again with a new ticket (see `transient`).
        const client = await until(
          'a WebSocket through nginx',
          async () => {
            const ticket = await api('POST', '/api/v1/auth/ws-ticket', { token });
            expect(ticket.status).toBe(200);
            expect(ticket.body.url).toBe('/ws');
            return TestWs.connect(
              `${base.replace('http', 'ws')}${ticket.body.url as string}?ticket=${ticket.body.ticket as string}`,
            ).catch((err: unknown) => {
              transient.push(`WebSocket: ${String(err)}`);
              return undefined;
            });
          },
          120_000,
          1_000,
        );
        clients.push(client);
        expect(await client.subscribe(`agent:${agent.id}`)).toMatchObject({ op: 'subscribed' });
      }
      for (const client of clients) {
        const message = await client.take(
          (m) =>
            m.topic === `agent:${agent.id}` &&
            Array.isArray(m.data?.changes) &&
            m.data.changes.some((c: { t: string }) => c.t === 'samples'),
          120_000,
        );
        expect(message.seq).toBeGreaterThan(0);
      }
    } finally {
      for (const client of clients) client.ws.close();
    }
    const latest = await api('GET', `/api/v1/agents/${agent.id}/metrics/latest`, { token });
    const metrics = (latest.body.items as { metric: string }[]).map((item) => item.metric);
    expect(metrics).toEqual(expect.arrayContaining(['mem.total.bytes', 'load.1m']));
  }, 600_000);

  it('stops each server role gracefully: exit 0 after its drain, and nginx goes on with the other replica', async () => {
    for (const role of ROLES) {
      await engine.podman('stop', '-t', '30', container(role, 2));
      expect(`${role} ${await inspect(container(role, 2), '{{.State.ExitCode}}')}`).toBe(`${role} 0`);
      // The log's last lines may reach `podman logs` a moment after the exit.
      await until(
        `${role}'s "shut down" line`,
        async () => {
          const logs = await run('podman', ['logs', container(role, 2)], {
            env: engine.env,
            maxBuffer: 64 * 1024 * 1024,
          });
          return logs.stdout.includes('"msg":"shut down"') || undefined;
        },
        10_000,
      );
    }
    // The API still answers through nginx (its failed upstream is skipped).
    const token = await until(
      'the API with one replica left',
      async () => login().catch(() => undefined),
      60_000,
    );
    expect((await api('GET', '/api/v1/agents', { token })).status).toBe(200);
  }, 300_000);
});
