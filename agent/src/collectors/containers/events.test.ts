import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerEventSchema } from '@emma/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUSYBOX_IMAGE, startTestEngine, type TestEngine } from '../../../../test-support/engine';
import { dockerEngine } from './engine';
import { EventStream, JsonObjectSplitter, parseEngineEvent, type ParsedEvent } from './events';
import { startSocketProxy, type SocketProxy } from './test-proxy';

/** vi.waitFor with room for a busy 2-core machine (its default gives up after 1 s). */
function eventually(check: () => void): Promise<void> {
  return vi.waitFor(check, { timeout: 10_000, interval: 20 });
}

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const lines = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('JsonObjectSplitter', () => {
  const events = lines('podman-4.3-cgroup-v1/events.jsonl');
  const expected = events
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);

  it('cuts the captured stream into its events whatever the chunking', () => {
    const bytes = Buffer.from(events);
    for (const size of [1, 7, 64, 333, 4096, bytes.length]) {
      const splitter = new JsonObjectSplitter();
      const out: unknown[] = [];
      for (let i = 0; i < bytes.length; i += size) out.push(...splitter.push(bytes.subarray(i, i + size)));
      expect(out).toEqual(expected);
      expect(splitter.invalid).toBe(0);
    }
  });

  it('handles objects glued together, braces in strings, split UTF-8, and skips garbage', () => {
    const splitter = new JsonObjectSplitter();
    const glued = '{"a":"x}{\\"y"}{"b":[1,{"c":2}]}\r\n  {"d":"ü€"}';
    const bytes = Buffer.from(glued);
    const out: unknown[] = [];
    // Split inside the multi-byte characters.
    for (let i = 0; i < bytes.length; i += 3) out.push(...splitter.push(bytes.subarray(i, i + 3)));
    expect(out).toEqual([{ a: 'x}{"y' }, { b: [1, { c: 2 }] }, { d: 'ü€' }]);
    expect(splitter.push('oops {"broken": } {"ok":1}\n')).toEqual([{ ok: 1 }]);
    expect(splitter.invalid).toBe(1);
  });
});

describe('parseEngineEvent', () => {
  it("reads Podman's captured events", () => {
    const parsed = lines('podman-4.3-cgroup-v1/events.jsonl')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => parseEngineEvent(JSON.parse(l)))
      .filter((p): p is ParsedEvent => p !== undefined);
    const web = '4dc7fbdc905a184bd75b25e1277367680a5ff4b7f5a4f538155a07a5178c6905';
    const die = parsed.find((p) => p.id === web && p.action === 'die');
    expect(die?.event).toEqual({ id: web, ts: 1795682677190, action: 'die', exitCode: 137 });
    expect(die?.effect).toBe('inspect');
    // Podman's kill carries containerExitCode 0, which is not the container's exit code.
    expect(parsed.find((p) => p.action === 'kill')?.event).toEqual({
      id: web,
      ts: 1795682677157,
      action: 'kill',
    });
    const health = parsed.find((p) => p.action === 'health_status');
    expect(health?.event?.message).toBe('unhealthy');
    expect(health?.effect).toBe('inspect');
    // Podman's 'remove' is Docker's 'destroy'; exec, cleanup, init, attach are not reported.
    const removal = parsed.find((p) => p.effect === 'remove');
    expect(removal?.event?.action).toBe('destroy');
    for (const action of ['exec_died', 'cleanup', 'init', 'attach']) {
      expect(parsed.filter((p) => p.action === action).every((p) => p.effect === 'ignore' && !p.event)).toBe(
        true,
      );
    }
    expect(parsed.filter((p) => p.event).map((p) => p.action)).toEqual([
      'kill',
      'die',
      'health_status',
      'start',
      'restart',
      'die',
      'start',
      'pause',
      'unpause',
      'create',
      'start',
      'die',
      'destroy',
    ]);
    for (const p of parsed) if (p.event) expect(ContainerEventSchema.safeParse(p.event).success).toBe(true);
  });

  it("reads Docker's events: health in the action, kill signal, rename, oom, destroy", () => {
    const parsed = lines('docker-cgroup-v2/events.jsonl')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => parseEngineEvent(JSON.parse(l)));
    const reported = parsed.filter((p) => p?.event).map((p) => p?.event);
    const web = '3f4e8c2a9b1d7e6f5a4c3b2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f';
    const db = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';
    const t = 1715680800_000;
    expect(reported).toEqual([
      { id: web, ts: t + 1, action: 'start' },
      { id: web, ts: t + 30_051, action: 'health_status', message: 'healthy' },
      { id: web, ts: t + 60_000, action: 'kill', message: 'signal 15' },
      { id: web, ts: t + 60_250, action: 'die', exitCode: 143 },
      { id: web, ts: t + 60_260, action: 'stop' },
      { id: db, ts: t + 61_000, action: 'oom', message: 'out of memory' },
      { id: db, ts: t + 61_010, action: 'die', exitCode: 137 },
      { id: db, ts: t + 62_000, action: 'rename', message: 'renamed from /shop-db-1' },
      { id: db, ts: t + 63_000, action: 'destroy' },
    ]);
    expect(parsed.filter((p) => p?.action.startsWith('exec_')).every((p) => p?.effect === 'ignore')).toBe(
      true,
    );
    expect(parsed.at(-1)?.effect).toBe('remove');
  });

  it('ignores what is not a container event and falls back to `time` and `status`', () => {
    expect(
      parseEngineEvent({ Type: 'image', Action: 'pull', Actor: { ID: 'a'.repeat(64) } }),
    ).toBeUndefined();
    expect(parseEngineEvent({ Type: 'container', Action: 'start', Actor: { ID: 'nope' } })).toBeUndefined();
    expect(parseEngineEvent('x')).toBeUndefined();
    expect(parseEngineEvent({ status: 'start', id: 'a'.repeat(64), time: 1_700_000_000 })?.event).toEqual({
      id: 'a'.repeat(64),
      ts: 1_700_000_000_000,
      action: 'start',
    });
  });
});

// --- against the real engine (Podman's Docker API) -------------------------------------------------------

const PREFIX = `emma-ev-${process.pid}`;
let engine: TestEngine;
let dir: string;
const streams: EventStream[] = [];
const proxies: SocketProxy[] = [];

beforeAll(async () => {
  engine = await startTestEngine();
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-events-'));
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.stop()));
  await Promise.all(proxies.map((p) => p.close()));
  // A paused container does not stop: unpause it first (the test may have failed half-way).
  await engine.podman('unpause', `${PREFIX}-b`).catch(() => undefined);
  await engine.remove(`${PREFIX}-a`, `${PREFIX}-b`);
  await rm(dir, { recursive: true, force: true });
});

function watch(socketPath: string) {
  const seen: ParsedEvent[] = [];
  const connects: boolean[] = [];
  const errors: unknown[] = [];
  const stream = new EventStream({
    engine: dockerEngine({ socketPath }),
    backoff: { baseMs: 100, capMs: 400 },
    onEvent: (e) => seen.push(e),
    onConnected: ({ reconnect }) => connects.push(reconnect),
    onError: (err) => errors.push(err),
  });
  streams.push(stream);
  stream.start();
  return { stream, seen, connects, errors };
}

describe('EventStream (live)', () => {
  it('delivers start and die (with the exit code) within seconds', async () => {
    const { seen, connects } = watch(engine.socketPath);
    await eventually(() => {
      expect(connects).toEqual([false]);
    });
    const id = await engine.podman('run', '-d', '--name', `${PREFIX}-a`, BUSYBOX_IMAGE, 'sleep', '300');
    await vi.waitFor(
      () => {
        expect(seen.some((e) => e.id === id && e.action === 'start')).toBe(true);
      },
      { timeout: 5000, interval: 20 },
    );
    const killedAt = Date.now();
    await engine.podman('kill', `${PREFIX}-a`);
    await vi.waitFor(
      () => {
        expect(seen.find((e) => e.id === id && e.action === 'die')?.event?.exitCode).toBe(137);
      },
      { timeout: 5000, interval: 20 },
    );
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(seen.find((e) => e.id === id && e.action === 'kill')?.event).toBeDefined();
  });

  it('reconnects after the connection breaks or the socket disappears, replaying what it missed', async () => {
    const proxy = await startSocketProxy(engine.socketPath, path.join(dir, 'engine.sock'));
    proxies.push(proxy);
    const { stream, seen, connects, errors } = watch(proxy.path);
    await eventually(() => {
      expect(connects).toEqual([false]);
    });
    const id = await engine.podman('run', '-d', '--name', `${PREFIX}-b`, BUSYBOX_IMAGE, 'sleep', '300');
    await eventually(() => {
      expect(seen.some((e) => e.id === id && e.action === 'start')).toBe(true);
    });

    // The connection breaks (an engine restart looks like this): the stream comes back by itself.
    proxy.cut();
    await vi.waitFor(
      () => {
        expect(connects).toEqual([false, true]);
      },
      { timeout: 5000, interval: 20 },
    );
    expect(errors.length).toBeGreaterThanOrEqual(1);

    // The socket is gone for a while, and something happens meanwhile.
    await proxy.down();
    await eventually(() => {
      expect(stream.stats().connected).toBe(false);
    });
    await engine.podman('pause', `${PREFIX}-b`);
    await new Promise((resolve) => setTimeout(resolve, 600)); // a few failed reconnects
    expect(errors.length).toBeGreaterThanOrEqual(3);
    await proxy.listen();
    await vi.waitFor(
      () => {
        expect(connects).toEqual([false, true, true]);
      },
      { timeout: 5000, interval: 20 },
    );
    // The pause happened while nothing was connected: the replay (`since`) brings it, once.
    await vi.waitFor(
      () => {
        expect(seen.filter((e) => e.id === id && e.action === 'pause')).toHaveLength(1);
      },
      { timeout: 5000, interval: 20 },
    );
    // And live events flow again; the start seen before the break is not delivered twice.
    await engine.podman('unpause', `${PREFIX}-b`);
    await eventually(() => {
      expect(seen.some((e) => e.id === id && e.action === 'unpause')).toBe(true);
    });
    expect(seen.filter((e) => e.id === id && e.action === 'start')).toHaveLength(1);
  });
});
