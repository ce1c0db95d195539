// The agent with its container monitor wired in (agent.ts): a real agent process loop, a fake ingest
// server, and the real engine. An engine event must reach the server within seconds, not at the next
// collect interval (30 s here).
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUSYBOX_IMAGE, startTestEngine, type TestEngine } from '../../../../test-support/engine';
import { runAgent, type RunningAgent } from '../../agent';
import { loadAgentSettings } from '../../config';
import { startFakeIngestServer, type FakeIngestServer } from '../../pipeline/fake-ingest-server';
import { silentLogger } from '../../pipeline/logger';
import { StateStore } from '../../pipeline/state';

const NAME = `emma-wire-${process.pid}`;
let engine: TestEngine;
let ingest: FakeIngestServer;
let dir: string;
let agent: RunningAgent | undefined;

beforeAll(async () => {
  engine = await startTestEngine();
  ingest = await startFakeIngestServer({ credential: 'cred-test' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-wiring-'));
});

afterAll(async () => {
  await agent?.stop();
  await ingest.close();
  await engine.remove(NAME);
  await rm(dir, { recursive: true, force: true });
});

describe('agent with containers (live)', () => {
  it('sends the inventory, and an engine event within seconds, between collect intervals', async () => {
    const id = await engine.podman('run', '-d', '--name', NAME, BUSYBOX_IMAGE, 'sleep', '300');
    await StateStore.create(dir, { serverUrl: ingest.url, agentId: randomUUID(), credential: 'cred-test' });
    const settings = loadAgentSettings({
      EMMA_URL: ingest.url,
      EMMA_STATE_DIR: dir,
      EMMA_INTERVAL_S: '30',
      EMMA_DOCKER_SOCKET: engine.socketPath,
      EMMA_CONTAINER_ACTIONS: 'false',
    });
    expect(settings).toMatchObject({ docker: 'auto', containerActions: false, statsConcurrency: 4 });
    agent = await runAgent(settings, silentLogger);

    await vi.waitFor(
      () => {
        const full = ingest.accepted.find((b) => b.containers?.full);
        expect(full?.containers?.containers.find((c) => c.id === id)?.state).toBe('running');
        expect(full?.containers?.actionsEnabled).toBe(false);
      },
      { timeout: 10_000, interval: 20 },
    );
    const batchesBefore = ingest.accepted.length;
    const killedAt = Date.now();
    await engine.podman('kill', NAME);
    await vi.waitFor(
      () => {
        const batches = ingest.accepted.slice(batchesBefore);
        const die = batches.flatMap((b) => b.containerEvents).find((e) => e.id === id && e.action === 'die');
        expect(die?.exitCode).toBe(137);
        const state = batches.flatMap((b) => b.containers?.containers ?? []).find((c) => c.id === id);
        expect(state).toMatchObject({ state: 'exited', exitCode: 137 });
      },
      { timeout: 10_000, interval: 20 },
    );
    // Well before the next collect (30 s): the event made the batch go out by itself.
    expect(Date.now() - killedAt).toBeLessThan(5000);

    await agent.stop();
    const count = ingest.accepted.length;
    await engine.podman('start', NAME);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(ingest.accepted).toHaveLength(count); // stopped: the monitor is gone too
    agent = undefined;
  });

  it('sends container stats with the host metrics every interval', async () => {
    const stateDir = path.join(dir, 'stats');
    await mkdir(stateDir, { recursive: true });
    await StateStore.create(stateDir, {
      serverUrl: ingest.url,
      agentId: randomUUID(),
      credential: 'cred-test',
    });
    await engine.podman('start', NAME); // running whatever the first test left
    const id = (await engine.podman('inspect', '-f', '{{.Id}}', NAME)).trim();
    agent = await runAgent(
      loadAgentSettings({
        EMMA_URL: ingest.url,
        EMMA_STATE_DIR: stateDir,
        EMMA_INTERVAL_S: '1',
        EMMA_DOCKER: 'on',
        EMMA_DOCKER_SOCKET: engine.socketPath,
        EMMA_CONTAINER_ACTIONS: 'false',
      }),
      silentLogger,
    );
    const from = ingest.accepted.length;
    await vi.waitFor(
      () => {
        const batch = ingest.accepted
          .slice(from)
          .find((b) => b.containerStats.some((s) => s.id === id && s.cpuPercent !== null));
        expect(batch).toBeDefined();
        // In the same batch as the host's own metrics.
        expect(batch?.series.some((series) => series.metric === 'cpu.percent')).toBe(true);
      },
      { timeout: 15_000, interval: 50 },
    );
    await agent.stop();
    agent = undefined;
  });
});
