// The agent image built from deploy/agent.Dockerfile and run the way the install command says, on a real
// Docker-compatible engine (Podman, set up by scripts/docker-engine.sh): it enrols, reports, is healthy,
// and keeps its identity across a restart.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../backend/test/harness';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENGINE_DIR = path.join(process.env.TMPDIR ?? '/tmp', 'emma-engine');
const IMAGE = 'localhost/emma-agent:test';
const NAME = `emma-agent-test-${process.pid}`;
const VOLUME = `${NAME}-state`;
const env = { ...process.env, CONTAINERS_CONF: path.join(ENGINE_DIR, 'containers.conf') };

const podman = async (...args: string[]) =>
  (await run('podman', args, { env, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();

let t: TestServer;

beforeAll(async () => {
  await run('bash', ['scripts/docker-engine.sh', 'start', ENGINE_DIR], { cwd: ROOT, env });
  await run('bash', ['scripts/docker-engine.sh', 'base-image', ENGINE_DIR], { cwd: ROOT, env });
  await podman(
    'build',
    '--format',
    'docker',
    '--pull=never',
    '--network',
    'host',
    '-f',
    'deploy/agent.Dockerfile',
    '-t',
    IMAGE,
    '.',
  );
  t = await startTestServer();
}, 900_000);

afterAll(async () => {
  await podman('stop', NAME).catch(() => undefined);
  await podman('rm', NAME).catch(() => undefined);
  await podman('volume', 'rm', VOLUME).catch(() => undefined);
  await t.close();
}, 120_000);

async function agentRow(): Promise<{ id: string; status: string; last_seq: number } | undefined> {
  const result = await t.db.query<{ id: string; status: string; last_seq: number }>(
    'SELECT id, status, last_seq FROM agents',
  );
  return result.rows[0];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

it('runs from the install command, reports, is healthy and keeps its identity across a restart', async () => {
  const admin = await t.tokenFor();
  const created = await t.request('POST', '/api/v1/enrollment-tokens', {
    token: admin,
    body: { name: 'image' },
  });
  expect(created.status).toBe(201);
  const dockerRun = created.body.install.dockerRun as string;
  for (const mount of ['/var/run/docker.sock:/var/run/docker.sock:ro', '/proc:/host/proc:ro']) {
    expect(dockerRun).toContain(mount);
  }

  await podman(
    'run',
    '-d',
    '--name',
    NAME,
    '--network',
    'host',
    '-v',
    `${path.join(ENGINE_DIR, 'podman.sock')}:/var/run/docker.sock:ro`,
    '-v',
    '/proc:/host/proc:ro',
    '-v',
    '/:/host/root:ro',
    '-v',
    `${VOLUME}:/var/lib/emma-agent`,
    '-e',
    `EMMA_URL=${t.url}`,
    '-e',
    `EMMA_ENROLL_TOKEN=${created.body.token as string}`,
    '-e',
    'EMMA_INTERVAL_S=1',
    IMAGE,
  );
  const first = await until('the containerised agent to report', async () => {
    const row = await agentRow();
    return row && row.status === 'online' && row.last_seq >= 2 ? row : undefined;
  });
  await podman('healthcheck', 'run', NAME);
  const latest = await t.request('GET', `/api/v1/agents/${first.id}/metrics/latest`, { token: admin });
  const metrics = (latest.body as { items: { metric: string }[] }).items.map((item) => item.metric);
  expect(metrics).toEqual(expect.arrayContaining(['mem.total.bytes', 'load.1m', 'uptime.seconds']));

  await podman('restart', NAME);
  await until('batches after the restart', async () => {
    const row = await agentRow();
    return row && row.last_seq >= first.last_seq + 2 ? row : undefined;
  });
  const agents = await t.db.query('SELECT id FROM agents');
  expect(agents.rows).toEqual([{ id: first.id }]);
  expect(await podman('logs', NAME)).toContain('using the identity in the state directory');
}, 180_000);
