// The agent image built from deploy/agent.Dockerfile and run with the documented `docker run` arguments on a
// real Docker-compatible engine (Podman, test-support/engine.ts): it runs as a non-root user reaching the
// socket through its group, enrols, reports its host's metrics and containers (itself among them), is
// healthy, and keeps its identity across a restart.
import { statSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../backend/test/harness';
import { BUSYBOX_IMAGE, startTestEngine, type TestEngine } from '../test-support/engine';
import { until } from '../test-support/until';

const IMAGE = 'localhost/emma-agent:test';
const NAME = `emma-agent-test-${process.pid}`;
const NEIGHBOUR = `emma-agent-neighbour-${process.pid}`;
const VOLUME = `${NAME}-state`;

let engine: TestEngine;
let t: TestServer;

const podman = (...args: string[]) => engine.podman(...args);

beforeAll(async () => {
  engine = await startTestEngine();
  await engine.baseImage();
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
  await engine.remove(NAME, NEIGHBOUR);
  await podman('volume', 'rm', VOLUME).catch(() => undefined);
  await t.close();
}, 120_000);

async function agentRow(): Promise<{ id: string; status: string; last_seq: number } | undefined> {
  const result = await t.db.query<{ id: string; status: string; last_seq: number }>(
    'SELECT id, status, last_seq FROM agents',
  );
  return result.rows[0];
}

it('runs from the install command as non-root, reports metrics and containers, is healthy and keeps its identity', async () => {
  const admin = await t.tokenFor();
  const created = await t.request('POST', '/api/v1/enrollment-tokens', {
    token: admin,
    body: { name: 'image' },
  });
  expect(created.status).toBe(201);
  const dockerRun = created.body.install.dockerRun as string;
  for (const part of [
    '/var/run/docker.sock:/var/run/docker.sock:ro',
    '/proc:/host/proc:ro',
    '--group-add $(stat -c %g /var/run/docker.sock)',
  ]) {
    expect(dockerRun).toContain(part);
  }
  await podman('run', '-d', '--name', NEIGHBOUR, '--label', 'tier=web', BUSYBOX_IMAGE, 'sleep', '600');

  // The install command's arguments, with this engine's socket in place of /var/run/docker.sock.
  await podman(
    'run',
    '-d',
    '--name',
    NAME,
    '--network',
    'host',
    '-v',
    `${engine.socketPath}:/var/run/docker.sock:ro`,
    '--group-add',
    String(statSync(engine.socketPath).gid),
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
  const first = await until(
    'the containerised agent to report',
    async () => {
      const row = await agentRow();
      return row && row.status === 'online' && row.last_seq >= 2 ? row : undefined;
    },
    60_000,
  );
  await podman('healthcheck', 'run', NAME);
  expect(await podman('exec', NAME, 'node', '-p', 'process.getuid()')).toBe('1000');
  const latest = await t.request('GET', `/api/v1/agents/${first.id}/metrics/latest`, { token: admin });
  const metrics = (latest.body as { items: { metric: string }[] }).items.map((item) => item.metric);
  expect(metrics).toEqual(expect.arrayContaining(['mem.total.bytes', 'load.1m', 'uptime.seconds']));

  // Its own host's containers, itself and its neighbour among them, with live state and stats.
  const containers = await until(
    'the containers of its host',
    async () => {
      const res = await t.request('GET', `/api/v1/containers?agentId=${first.id}`, { token: admin });
      const items = (res.body as { items: { name: string; state: string; stats: unknown }[] }).items;
      const names = items.filter((c) => c.state === 'running' && c.stats !== null).map((c) => c.name);
      return names.includes(NAME) && names.includes(NEIGHBOUR) ? items : undefined;
    },
    60_000,
  );
  expect(containers.find((c) => c.name === NEIGHBOUR)).toMatchObject({ state: 'running' });

  // After a restart it keeps its identity: it says so at start, and what it sends after that goes to the
  // same agent row (the batches counted from there are the new process's, not the old one's last).
  await podman('restart', NAME);
  await until(
    'the restarted agent to take its stored identity',
    async () =>
      (await podman('logs', NAME)).includes('using the identity in the state directory') || undefined,
    60_000,
  );
  const restarted = await agentRow();
  await until(
    'batches after the restart',
    async () => {
      const row = await agentRow();
      return row && restarted && row.last_seq >= restarted.last_seq + 2 ? row : undefined;
    },
    60_000,
  );
  const agents = await t.db.query('SELECT id FROM agents');
  expect(agents.rows).toEqual([{ id: first.id }]);
}, 180_000);
