// Containers end to end: the real agent process watching a real engine (Podman's Docker API), reporting to
// the real server; containers started, made unhealthy, killed and removed on the engine show up in the API
// within seconds, and operators' actions travel to the agent, run on the engine and report back.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../backend/test/harness';
import { BUSYBOX_IMAGE, startTestEngine, type TestEngine } from '../../test-support/engine';
import { until } from '../../test-support/until';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const PREFIX = `emma-e2e-${process.pid}`;
const WEB = `${PREFIX}-web`;
const SICK = `${PREFIX}-sick`;
const VICTIM = `${PREFIX}-victim`;

interface Container {
  id: string;
  containerId: string;
  name: string;
  state: string;
  health: string;
  exitCode: number | null;
  labels: Record<string, string>;
  stats: { cpuPercent: number | null; memUsedBytes: number } | null;
  removedAt: string | null;
  actionsEnabled: boolean | null;
}

interface Action {
  id: string;
  action: string;
  status: string;
  requestedBy: { id: string; email: string } | null;
  message: string | null;
}

let t: TestServer;
let engine: TestEngine;
let stateRoot: string;
let admin: string;
let operator: { id: string; email: string; token: string };
let viewer: { token: string };
const agents: ChildProcess[] = [];

async function startAgent(name: string, env: Record<string, string> = {}): Promise<string> {
  const created = await t.request('POST', '/api/v1/enrollment-tokens', { token: admin, body: { name } });
  expect(created.status).toBe(201);
  const child = spawn(TSX, [path.join(ROOT, 'agent/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      EMMA_URL: t.url,
      EMMA_ENROLL_TOKEN: created.body.token as string,
      EMMA_AGENT_NAME: name,
      EMMA_STATE_DIR: path.join(stateRoot, name),
      EMMA_INTERVAL_S: '1',
      EMMA_LOG_LEVEL: 'warn',
      EMMA_DOCKER: 'on',
      EMMA_DOCKER_SOCKET: engine.socketPath,
      EMMA_COMMAND_WAIT_S: '5',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  agents.push(child);
  return until(`agent ${name} to enrol`, async () => {
    const row = await t.db.query<{ id: string }>(`SELECT id FROM agents WHERE name = $1`, [name]);
    return row.rows[0]?.id;
  });
}

async function containersOf(agentId: string, query = ''): Promise<Container[]> {
  const res = await t.request('GET', `/api/v1/containers?agentId=${agentId}&limit=500${query}`, {
    token: admin,
  });
  expect(res.status).toBe(200);
  return (res.body as { items: Container[] }).items.filter((c) => c.name.startsWith(PREFIX));
}

async function containerNamed(agentId: string, name: string, query = ''): Promise<Container | undefined> {
  return (await containersOf(agentId, query)).find((c) => c.name === name);
}

async function engineState(name: string): Promise<string> {
  return engine.podman('inspect', '--format', '{{.State.Status}}', name);
}

beforeAll(async () => {
  engine = await startTestEngine();
  await engine.remove(WEB, SICK, VICTIM);
  await engine.podman('run', '-d', '--name', WEB, '--label', 'tier=web', BUSYBOX_IMAGE, 'sleep', '600');
  await engine.podman(
    'run',
    '-d',
    '--name',
    SICK,
    '--health-cmd',
    'test -f /tmp/ok',
    '--health-retries',
    '1',
    BUSYBOX_IMAGE,
    'sleep',
    '600',
  );
  await engine.podman('run', '-d', '--name', VICTIM, BUSYBOX_IMAGE, 'sleep', '600');
  t = await startTestServer();
  admin = await t.tokenFor();
  operator = await t.userWithRole('operator');
  viewer = await t.userWithRole('viewer');
  stateRoot = await mkdtemp(path.join(os.tmpdir(), 'emma-containers-e2e-'));
}, 180_000);

afterAll(async () => {
  for (const child of agents) child.kill('SIGTERM');
  await engine.remove(WEB, SICK, VICTIM);
  await t.close();
  await rm(stateRoot, { recursive: true, force: true });
}, 120_000);

describe('an agent watching a real engine', () => {
  let agentId: string;
  let web: Container;

  it('reports the inventory with labels, state and stats', async () => {
    agentId = await startAgent('docker-host');
    const seen = await until('three running containers with stats', async () => {
      const items = await containersOf(agentId);
      const running = items.filter((c) => c.state === 'running');
      return running.length === 3 && items.some((c) => c.name === WEB && c.stats !== null)
        ? items
        : undefined;
    });
    web = seen.find((c) => c.name === WEB)!;
    expect(web.labels).toMatchObject({ tier: 'web' });
    expect(web.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(web.actionsEnabled).toBe(true);
    // The agent itself says which engine it watches and that it takes actions.
    const agent = await t.request('GET', `/api/v1/agents/${agentId}`, { token: admin });
    expect(agent.body.containers).toMatchObject({
      engine: { name: expect.any(String) },
      actionsEnabled: true,
    });
    expect(Date.parse(agent.body.containers.reportedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(web.stats!.memUsedBytes).toBeGreaterThanOrEqual(0);
    const byLabel = await containersOf(agentId, '&label=tier%3Dweb');
    expect(byLabel.map((c) => c.name)).toEqual([WEB]);
    // The stats also become the contract's series.
    const points = await until('container series', async () => {
      const res = await t.request<{ points: [number, number][] }>(
        'GET',
        `/api/v1/containers/${web.id}/series?metric=container.mem.used.bytes`,
        { token: admin },
      );
      return res.status === 200 && res.body.points.length > 0 ? res.body.points : undefined;
    });
    expect(points[0]![1]).toBeGreaterThan(0);
  });

  it('sees a container turn unhealthy', async () => {
    await engine.podman('healthcheck', 'run', SICK).catch(() => undefined);
    const sick = await until('health unhealthy', async () => {
      const c = await containerNamed(agentId, SICK);
      return c?.health === 'unhealthy' ? c : undefined;
    });
    const events = await t.request('GET', `/api/v1/containers/${sick.id}/events`, { token: admin });
    expect(events.status).toBe(200);
    expect((events.body as { items: { health: string | null }[] }).items.map((e) => e.health)).toContain(
      'unhealthy',
    );
  });

  it('learns of a killed container from the event stream within seconds', async () => {
    const killedAt = Date.now();
    await engine.podman('kill', VICTIM);
    const victim = await until(
      'the killed container to be exited',
      async () => {
        const c = await containerNamed(agentId, VICTIM);
        return c?.state === 'exited' ? c : undefined;
      },
      15_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(victim.exitCode).toBe(137);
    const events = await t.request('GET', `/api/v1/containers/${victim.id}/events`, { token: admin });
    const actions = (events.body as { items: { action: string; exitCode: number | null }[] }).items;
    expect(actions).toContainEqual(expect.objectContaining({ action: 'die', exitCode: 137 }));
  });

  it('marks a removed container removed, not deleted', async () => {
    await engine.remove(VICTIM);
    await until('the container marked removed', async () => {
      const c = await containerNamed(agentId, VICTIM, '&includeRemoved=true');
      return c?.removedAt ? c : undefined;
    });
    expect(await containerNamed(agentId, VICTIM)).toBeUndefined();
  });

  it('stops, starts and restarts a container on an operator request, and says who asked', async () => {
    const refused = await t.request('POST', `/api/v1/containers/${web.id}/actions`, {
      token: viewer.token,
      body: { action: 'stop' },
    });
    expect(refused.status).toBe(403);

    for (const [action, expected] of [
      ['stop', 'exited'],
      ['start', 'running'],
      ['restart', 'running'],
    ] as const) {
      const queued = await t.request('POST', `/api/v1/containers/${web.id}/actions`, {
        token: operator.token,
        body: { action, stopTimeoutS: 1 },
      });
      expect(queued.status).toBe(202);
      const done = await until(`${action} to finish`, async () => {
        const res = await t.request('GET', `/api/v1/containers/${web.id}/actions`, { token: admin });
        const found = (res.body as { items: Action[] }).items.find((a) => a.id === queued.body.id);
        return found && ['succeeded', 'failed', 'expired'].includes(found.status) ? found : undefined;
      });
      expect(done).toMatchObject({ action, status: 'succeeded', requestedBy: { email: operator.email } });
      expect(await engineState(WEB)).toBe(expected);
      await until(`the API to show ${expected}`, async () => {
        const c = await containerNamed(agentId, WEB);
        return c?.state === expected ? c : undefined;
      });
    }
    const audited = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'container.action%'`,
    );
    expect(audited.rows[0]!.n).toBeGreaterThanOrEqual(3);
  });

  it('refuses actions on a read-only agent with a clear message', async () => {
    const readOnly = await startAgent('read-only-host', { EMMA_CONTAINER_ACTIONS: 'false' });
    const webThere = await until('the read-only agent to report', async () => {
      const c = await containerNamed(readOnly, WEB);
      return c?.actionsEnabled === false ? c : undefined;
    });
    const res = await t.request('POST', `/api/v1/containers/${webThere.id}/actions`, {
      token: operator.token,
      body: { action: 'restart' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('actions_disabled');
    const agent = await t.request('GET', `/api/v1/agents/${readOnly}`, { token: admin });
    expect(agent.body.containers.actionsEnabled).toBe(false);
    expect(res.body.error.message).toMatch(/read-only/i);
  });
});
