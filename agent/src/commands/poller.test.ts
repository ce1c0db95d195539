// Container actions end to end: a real HTTP server implementing the two command endpoints (long poll and
// result), the poller, and real containers on the test engine (Podman's Docker API).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CommandResultSchema,
  type AgentCommand,
  type CommandResult,
  type ContainerInventory,
} from '@emma/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUSYBOX_IMAGE, startTestEngine, type TestEngine } from '../../../test-support/engine';
import { ContainerMonitor, dockerEngine, type Engine } from '../collectors/containers';
import { EXPIRED_MESSAGE, executeCommand } from './executor';
import { CommandPoller } from './poller';

/** vi.waitFor with room for a busy 2-core machine (its default gives up after 1 s). */
function eventually(check: () => void): Promise<void> {
  return vi.waitFor(check, { timeout: 10_000, interval: 20 });
}

interface CommandServer {
  url: string;
  credential: string;
  polls: { authorization: string | undefined; waitS: string | null }[];
  results: { id: string; body: CommandResult; authorization: string | undefined }[];
  /** Statuses for the next result posts (then 204). */
  resultReplies: number[];
  unauthorized: number;
  queue(...commands: AgentCommand[]): void;
  close(): Promise<void>;
}

async function startCommandServer(credential: string): Promise<CommandServer> {
  let queued: AgentCommand[] = [];
  const waiting = new Set<() => void>();
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers.authorization !== `Bearer ${server.credential}`) {
      server.unauthorized++;
      send(res, 401, { error: { code: 'unauthorized', message: 'unknown credential' } });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/agents/self/commands') {
      server.polls.push({ authorization: req.headers.authorization, waitS: url.searchParams.get('waitS') });
      const waitMs = Math.min(30, Number(url.searchParams.get('waitS') ?? 25)) * 1000;
      if (queued.length === 0) {
        // The long poll: answer when something is queued, or with nothing after waitS.
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiting.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, waitMs);
          waiting.add(wake);
          req.once('close', wake);
        });
      }
      const commands = queued;
      queued = [];
      send(res, 200, { commands });
      return;
    }
    const result = /^\/api\/v1\/agents\/self\/commands\/([^/]+)\/result$/.exec(url.pathname);
    if (req.method === 'POST' && result?.[1]) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = CommandResultSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      server.results.push({ id: result[1], body, authorization: req.headers.authorization });
      const status = server.resultReplies.shift() ?? 204;
      send(
        res,
        status,
        status >= 400 ? { error: { code: `http_${status}`, message: 'scripted' } } : undefined,
      );
      return;
    }
    send(res, 404, { error: { code: 'not_found', message: 'no such route' } });
  };
  const http = createServer((req, res) => {
    handle(req, res).catch(() => {
      send(res, 500, { error: { code: 'internal', message: 'test server failed' } });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const server: CommandServer = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    credential,
    polls: [],
    results: [],
    resultReplies: [],
    unauthorized: 0,
    queue(...commands) {
      queued.push(...commands);
      for (const wake of [...waiting]) wake();
    },
    async close() {
      for (const wake of [...waiting]) wake();
      http.closeAllConnections();
      await new Promise<void>((resolve) =>
        http.close(() => {
          resolve();
        }),
      );
    },
  };
  return server;
}

const PREFIX = `emma-cmd-${process.pid}`;
const NAME = `${PREFIX}-app`;
const OTHER = `${PREFIX}-other`;
let engine: TestEngine;
let docker: Engine;
let server: CommandServer;
let appId: string;
let otherId: string;
const cleanups: (() => Promise<void>)[] = [];

function command(
  containerId: string,
  action: AgentCommand['action'],
  extra: Partial<AgentCommand> = {},
): AgentCommand {
  return {
    id: randomUUID(),
    kind: 'container_action',
    containerId,
    action,
    stopTimeoutS: 1,
    expiresAt: Date.now() + 60_000,
    ...extra,
  };
}

async function state(name: string): Promise<{ status: string; startedAt: string }> {
  const [status = '', startedAt = ''] = (
    await engine.podman('inspect', '-f', '{{.State.Status}}|{{.State.StartedAt}}', name)
  ).split('|');
  return { status, startedAt };
}

function resultFor(id: string) {
  return server.results.find((r) => r.id === id);
}

beforeAll(async () => {
  engine = await startTestEngine();
  docker = dockerEngine({ socketPath: engine.socketPath });
  server = await startCommandServer('cred-1');
  [appId, otherId] = await Promise.all([
    engine.podman('run', '-d', '--name', NAME, BUSYBOX_IMAGE, 'sleep', '600'),
    engine.podman('run', '-d', '--name', OTHER, BUSYBOX_IMAGE, 'sleep', '600'),
  ]);
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await server.close();
  await engine.remove(NAME, OTHER);
});

describe('executeCommand (live engine)', () => {
  it('treats "already stopped/started" as success and a missing container as failure', async () => {
    await engine.podman('stop', '-t', '0', OTHER);
    expect(await executeCommand(docker, command(otherId, 'stop'))).toMatchObject({
      status: 'succeeded',
      message: 'the container was already stopped',
    });
    expect(await executeCommand(docker, command(otherId, 'start'))).toMatchObject({
      status: 'succeeded',
      message: 'started',
    });
    expect((await state(OTHER)).status).toBe('running');
    expect(await executeCommand(docker, command(otherId, 'start'))).toMatchObject({
      status: 'succeeded',
      message: 'the container was already running',
    });
    const missing = await executeCommand(docker, command('f'.repeat(64), 'restart'));
    expect(missing).toMatchObject({ status: 'failed', message: 'no such container on this host' });
    expect(CommandResultSchema.safeParse(missing).success).toBe(true);
  });

  it('refuses an expired command without touching the container', async () => {
    const result = await executeCommand(docker, command(otherId, 'stop', { expiresAt: Date.now() - 1 }));
    expect(result).toMatchObject({ status: 'failed', message: EXPIRED_MESSAGE });
    expect((await state(OTHER)).status).toBe('running');
  });
});

describe('CommandPoller (live engine, real HTTP server)', () => {
  let poller: CommandPoller;
  const inventories: ContainerInventory[] = [];
  const executed: string[] = [];

  it('long-polls with the credential, and stops, starts and restarts a real container', async () => {
    const monitor = new ContainerMonitor({
      engine: docker,
      mode: 'auto',
      actionsEnabled: true,
      fullInventoryMs: 60_000,
      concurrency: 2,
      onInventory: (inv) => inventories.push(inv),
      onEvents: () => undefined,
    });
    monitor.start();
    cleanups.push(() => monitor.stop());
    poller = new CommandPoller({
      serverUrl: server.url,
      credential: 'cred-1',
      engine: docker,
      waitS: 2,
      backoff: { baseMs: 50, capMs: 200 },
      resultBackoff: { baseMs: 50, capMs: 200 },
      onExecuted: async (cmd) => {
        executed.push(cmd.id);
        await monitor.refresh(cmd.containerId);
      },
    });
    poller.start();
    cleanups.push(() => poller.stop());
    await eventually(() => {
      expect(server.polls.length).toBeGreaterThan(0);
    });
    expect(server.polls[0]).toEqual({ authorization: 'Bearer cred-1', waitS: '2' });

    const stop = command(appId, 'stop');
    const queuedAt = Date.now();
    server.queue(stop);
    await vi.waitFor(
      () => {
        expect(resultFor(stop.id)?.body).toMatchObject({ status: 'succeeded', message: 'stopped' });
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(resultFor(stop.id)?.body.finishedAt).toBeGreaterThanOrEqual(queuedAt);
    expect((await state(NAME)).status).toBe('exited');
    // The container was re-read at once: the inventory already says so.
    await eventually(() => {
      expect(
        inventories.some(
          (inv) => !inv.full && inv.containers?.some((c) => c.id === appId && c.state === 'exited'),
        ),
      ).toBe(true);
    });
    expect(inventories.every((inv) => inv.actionsEnabled)).toBe(true);

    const start = command(appId, 'start');
    server.queue(start);
    await vi.waitFor(
      () => {
        expect(resultFor(start.id)?.body).toMatchObject({ status: 'succeeded', message: 'started' });
      },
      { timeout: 10_000, interval: 20 },
    );
    const running = await state(NAME);
    expect(running.status).toBe('running');

    const restart = command(appId, 'restart');
    server.queue(restart);
    await vi.waitFor(
      () => {
        expect(resultFor(restart.id)?.body).toMatchObject({ status: 'succeeded', message: 'restarted' });
      },
      { timeout: 10_000, interval: 20 },
    );
    const restarted = await state(NAME);
    expect(restarted.status).toBe('running');
    expect(restarted.startedAt).not.toBe(running.startedAt);
    expect(executed).toEqual([stop.id, start.id, restart.id]);
  });

  it('reports an expired command as failed without running it', async () => {
    const expired = command(appId, 'stop', { expiresAt: Date.now() - 1000 });
    server.queue(expired);
    await eventually(() => {
      expect(resultFor(expired.id)?.body).toMatchObject({ status: 'failed', message: EXPIRED_MESSAGE });
    });
    expect((await state(NAME)).status).toBe('running');
    expect(executed).not.toContain(expired.id);
    expect(poller.stats().expired).toBe(1);
  });

  it('runs a command handed out twice only once', async () => {
    const stop = command(otherId, 'stop');
    server.queue(stop);
    await vi.waitFor(
      () => {
        expect(resultFor(stop.id)?.body.status).toBe('succeeded');
      },
      { timeout: 10_000, interval: 20 },
    );
    await engine.podman('start', OTHER);
    server.queue(stop);
    await eventually(() => {
      expect(poller.stats().duplicates).toBe(1);
    });
    await poller.idle();
    expect(server.results.filter((r) => r.id === stop.id)).toHaveLength(1);
    expect((await state(OTHER)).status).toBe('running'); // not stopped a second time
  });

  it('retries the result until the server takes it, and gives up when it no longer wants it', async () => {
    server.resultReplies.push(503, 500);
    const first = command('e'.repeat(64), 'start');
    server.queue(first);
    await eventually(() => {
      expect(server.results.filter((r) => r.id === first.id)).toHaveLength(3);
    });
    expect(server.results.find((r) => r.id === first.id)?.body).toMatchObject({ status: 'failed' });

    server.resultReplies.push(409);
    const unwanted = command('e'.repeat(64), 'stop');
    server.queue(unwanted);
    await eventually(() => {
      expect(poller.stats().unwanted).toBe(1);
    });
    await poller.idle();
    expect(server.results.filter((r) => r.id === unwanted.id)).toHaveLength(1);
  });

  it('uses a rotated credential from the next request on', async () => {
    server.credential = 'cred-2';
    await vi.waitFor(
      () => {
        expect(server.unauthorized).toBeGreaterThan(0);
        // The poller records the refusal a moment after the server sent it (until then the last error
        // may still be the previous test's 500).
        expect(poller.stats().lastError).toMatchObject({ status: 401 });
      },
      { timeout: 5000, interval: 20 },
    );
    poller.setCredential('cred-2');
    const start = command(appId, 'start');
    server.queue(start);
    await eventually(() => {
      expect(resultFor(start.id)).toMatchObject({ authorization: 'Bearer cred-2' });
    });
    expect(server.polls.at(-1)?.authorization).toBe('Bearer cred-2');
  });

  it('stops promptly even in the middle of a long poll', async () => {
    const before = Date.now();
    await poller.stop();
    expect(Date.now() - before).toBeLessThan(1000);
    const polls = server.polls.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.polls).toHaveLength(polls);
  });
});
