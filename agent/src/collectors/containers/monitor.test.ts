// The container monitor against the real engine (Podman's Docker API): inventories, events, stats, and
// an engine that is away or comes back.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  ContainerInventorySchema,
  ContainerStatsSchema,
  type ContainerEvent,
  type ContainerInfo,
  type ContainerInventory,
} from '@emma/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUSYBOX_IMAGE, startTestEngine, type TestEngine } from '../../../../test-support/engine';
import type { PipelineLogger } from '../../pipeline/logger';
import { ContainerMonitor, dockerEngine } from './index';
import { startSocketProxy, type SocketProxy } from './test-proxy';

const PREFIX = `emma-mon-${process.pid}`;
const NAMES = {
  web: `${PREFIX}-web`,
  sick: `${PREFIX}-sick`,
  busy: `${PREFIX}-busy`,
  victim: `${PREFIX}-victim`,
  created: `${PREFIX}-created`,
};

let engine: TestEngine;
let dir: string;
let webPort: number;
const ids: Record<keyof typeof NAMES, string> = { web: '', sick: '', busy: '', victim: '', created: '' };
const monitors: ContainerMonitor[] = [];
const proxies: SocketProxy[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

interface Recorder {
  inventories: ContainerInventory[];
  events: ContainerEvent[];
  logs: { level: string; msg: string }[];
  logger: PipelineLogger;
  /** The newest state of a container across everything reported so far. */
  latest(id: string): ContainerInfo | undefined;
  removed(id: string): boolean;
}

function recorder(): Recorder {
  const r: Recorder = {
    inventories: [],
    events: [],
    logs: [],
    logger: {
      debug: (_o, msg) => r.logs.push({ level: 'debug', msg }),
      info: (_o, msg) => r.logs.push({ level: 'info', msg }),
      warn: (_o, msg) => r.logs.push({ level: 'warn', msg }),
      error: (_o, msg) => r.logs.push({ level: 'error', msg }),
    },
    latest: (id) => {
      for (let i = r.inventories.length - 1; i >= 0; i--) {
        const found = r.inventories[i]?.containers?.find((c) => c.id === id);
        if (found) return found;
      }
      return undefined;
    },
    removed: (id) => r.inventories.some((inv) => inv.removed?.includes(id)),
  };
  return r;
}

function monitor(
  socketPath: string,
  rec: Recorder,
  extra: Partial<ConstructorParameters<typeof ContainerMonitor>[0]> = {},
) {
  const m = new ContainerMonitor({
    engine: dockerEngine({ socketPath }),
    mode: 'auto',
    actionsEnabled: false,
    fullInventoryMs: 60_000,
    concurrency: 4,
    debounceMs: 100,
    retryMs: 300,
    eventBackoff: { baseMs: 100, capMs: 300 },
    logger: rec.logger,
    onInventory: (inv) => rec.inventories.push(inv),
    onEvents: (events) => rec.events.push(...events),
    ...extra,
  });
  monitors.push(m);
  m.start();
  return m;
}

beforeAll(async () => {
  engine = await startTestEngine();
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-monitor-'));
  webPort = await freePort();
  const run = (...args: string[]) => engine.podman('run', '-d', ...args);
  [ids.web, ids.sick, ids.busy, ids.victim, ids.created] = await Promise.all([
    run(
      '--name',
      NAMES.web,
      '--label',
      'emma.test=monitor',
      '-p',
      `127.0.0.1:${webPort}:80`,
      BUSYBOX_IMAGE,
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/www',
    ),
    run(
      '--name',
      NAMES.sick,
      '--health-cmd',
      'sh -c "test -f /tmp/ok"',
      '--health-retries',
      '1',
      BUSYBOX_IMAGE,
      'sleep',
      '300',
    ),
    run('--name', NAMES.busy, BUSYBOX_IMAGE, 'sh', '-c', 'while :; do :; done'),
    run('--name', NAMES.victim, BUSYBOX_IMAGE, 'sleep', '300'),
    engine.podman('create', '--name', NAMES.created, BUSYBOX_IMAGE, 'sleep', '10'),
  ]);
});

afterAll(async () => {
  await Promise.all(monitors.map((m) => m.stop()));
  await Promise.all(proxies.map((p) => p.close()));
  await engine.remove(...Object.values(NAMES));
  await rm(dir, { recursive: true, force: true });
});

describe('ContainerMonitor (live)', () => {
  const rec = recorder();
  let m: ContainerMonitor;

  it('reports a full inventory of every container, with engine, states, ports and labels', async () => {
    m = monitor(engine.socketPath, rec);
    await vi.waitFor(
      () => {
        expect(rec.inventories.find((inv) => inv.full)).toBeDefined();
      },
      { timeout: 10_000, interval: 20 },
    );
    const full = rec.inventories.find((inv) => inv.full)!;
    expect(ContainerInventorySchema.safeParse(full).success).toBe(true);
    expect(full.actionsEnabled).toBe(false);
    expect(full.engine).toMatchObject({ name: 'Podman Engine' });
    const byId = new Map(full.containers?.map((c) => [c.id, c]));
    expect(byId.get(ids.web)).toMatchObject({
      name: NAMES.web,
      image: BUSYBOX_IMAGE,
      state: 'running',
      health: 'none',
      labels: { 'emma.test': 'monitor' },
      ports: [{ privatePort: 80, publicPort: webPort, type: 'tcp', ip: '127.0.0.1' }],
      exitCode: null,
    });
    expect(byId.get(ids.web)?.startedAt).toBeGreaterThan(Date.now() - 120_000);
    expect(byId.get(ids.busy)).toMatchObject({ state: 'running', command: 'sh -c while :; do :; done' });
    expect(byId.get(ids.created)).toMatchObject({ state: 'created', startedAt: null });
    expect(m.containers.get(ids.victim)?.state).toBe('running');
    expect(m.isConnected).toBe(true);
  });

  it('reports a container turning unhealthy (health check run by hand: no systemd here)', async () => {
    await engine.podman('healthcheck', 'run', NAMES.sick).catch(() => undefined); // exits 1: unhealthy
    await vi.waitFor(
      () => {
        expect(rec.latest(ids.sick)?.health).toBe('unhealthy');
      },
      { timeout: 5000, interval: 20 },
    );
    const incremental = rec.inventories.filter(
      (inv) => !inv.full && inv.containers?.some((c) => c.id === ids.sick),
    );
    expect(incremental.length).toBeGreaterThan(0);
    expect(rec.events.some((e) => e.id === ids.sick && e.action === 'health_status')).toBe(true);
  });

  it('reports a killed container within seconds: die with exit code 137, then state exited', async () => {
    const killedAt = Date.now();
    await engine.podman('kill', NAMES.victim);
    await vi.waitFor(
      () => {
        expect(rec.events.find((e) => e.id === ids.victim && e.action === 'die')?.exitCode).toBe(137);
        expect(rec.latest(ids.victim)).toMatchObject({ state: 'exited', exitCode: 137 });
      },
      { timeout: 5000, interval: 20 },
    );
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(rec.latest(ids.victim)?.finishedAt).toBeGreaterThanOrEqual(killedAt - 2000);
    expect(m.containers.get(ids.victim)?.state).toBe('exited');
  });

  it('reports a removed container as removed', async () => {
    await engine.podman('rm', NAMES.victim);
    await vi.waitFor(
      () => {
        // The removal may be seen by a re-inspect (404) a moment before the engine's destroy event arrives.
        expect(rec.removed(ids.victim)).toBe(true);
        expect(rec.events.some((e) => e.id === ids.victim && e.action === 'destroy')).toBe(true);
      },
      { timeout: 5000, interval: 20 },
    );
    expect(m.containers.has(ids.victim)).toBe(false);
  });

  it('samples stats of the running containers: a busy loop uses well over 10 % CPU', async () => {
    const first = await m.sampleStats();
    const firstBusy = first.find((s) => s.id === ids.busy);
    expect(firstBusy?.cpuPercent).toBeNull(); // no previous sample yet
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const second = await m.sampleStats();
    const busy = second.find((s) => s.id === ids.busy);
    expect(busy?.cpuPercent).toBeGreaterThan(10);
    expect(busy?.cpuPercent).toBeLessThanOrEqual(os.cpus().length * 100);
    expect(busy?.memUsedBytes).toBeGreaterThan(0);
    expect(busy?.pids).toBeGreaterThanOrEqual(1);
    const web = second.find((s) => s.id === ids.web);
    expect(web?.netRxBytesPerS).not.toBeNull();
    expect(web?.cpuPercent).toBeLessThan(busy?.cpuPercent ?? 0);
    // Only running containers are sampled.
    expect(second.some((s) => s.id === ids.created || s.id === ids.victim)).toBe(false);
    for (const s of second) expect(ContainerStatsSchema.safeParse(s).success).toBe(true);
  });

  it('re-reads one container on request and a full inventory on demand', async () => {
    const before = rec.inventories.length;
    await engine.podman('stop', '-t', '0', NAMES.busy);
    await m.refresh(ids.busy);
    expect(rec.inventories.length).toBeGreaterThan(before);
    expect(rec.latest(ids.busy)?.state).toBe('exited');
    const fulls = m.stats().fullInventories;
    await m.fullInventory();
    expect(m.stats().fullInventories).toBe(fulls + 1);
    expect(rec.inventories.at(-1)?.full).toBe(true);
  });
});

describe('ContainerMonitor: the engine away and back (live)', () => {
  it('warns once while the engine is unreachable, then connects when it answers', async () => {
    const rec = recorder();
    const socket = path.join(dir, 'late.sock');
    const m = monitor(socket, rec);
    await vi.waitFor(
      () => {
        expect(rec.logs.filter((l) => l.level === 'debug').length).toBeGreaterThanOrEqual(2);
      },
      { timeout: 5000, interval: 20 },
    );
    expect(rec.logs.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(rec.inventories).toHaveLength(0);
    expect(await m.sampleStats()).toEqual([]);
    expect(m.stats()).toMatchObject({
      connected: false,
      lastError: { message: expect.stringContaining('ENOENT') },
    });

    const proxy = await startSocketProxy(engine.socketPath, socket);
    proxies.push(proxy);
    await vi.waitFor(
      () => {
        expect(rec.inventories.find((inv) => inv.full)?.containers?.some((c) => c.id === ids.web)).toBe(true);
      },
      { timeout: 5000, interval: 20 },
    );
    expect(rec.logs.some((l) => l.level === 'info' && l.msg.includes('answers again'))).toBe(true);

    // A broken connection (an engine restart): the monitor reads the whole inventory again.
    const fulls = rec.inventories.filter((inv) => inv.full).length;
    proxy.cut();
    await vi.waitFor(
      () => {
        expect(rec.inventories.filter((inv) => inv.full).length).toBeGreaterThan(fulls);
      },
      { timeout: 5000, interval: 20 },
    );
    await m.stop();
  });

  it('warns on every failed attempt with EMMA_DOCKER=on, and stop() ends it all', async () => {
    const rec = recorder();
    const m = monitor(path.join(dir, 'never.sock'), rec, { mode: 'on', retryMs: 100 });
    await vi.waitFor(
      () => {
        expect(rec.logs.filter((l) => l.level === 'warn').length).toBeGreaterThanOrEqual(3);
      },
      { timeout: 5000, interval: 20 },
    );
    await m.stop();
    const count = rec.logs.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rec.logs).toHaveLength(count);
  });
});
