import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeIngestServer, type FakeIngestServer } from './fake-ingest-server';
import { startPipeline, StateStore } from './index';

let dir: string;
let fake: FakeIngestServer;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-pipeline-'));
  fake = await startFakeIngestServer({ credential: 'cred-test' });
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('startPipeline', () => {
  it('delivers samples and heartbeats with seqs that keep increasing across a restart', async () => {
    const identity = {
      serverUrl: fake.url,
      agentId: '7d0b5f36-0d0e-4f53-9d43-1a1a4c3c9a11',
      credential: 'cred-test',
    };
    await StateStore.create(dir, identity);
    for (let run = 0; run < 2; run++) {
      const state = await StateStore.load(dir);
      const pipeline = await startPipeline({
        state: state!,
        spoolDir: path.join(dir, 'spool'),
        maxSamples: 2,
        maxDelayMs: 1000,
        heartbeatMs: 80,
      });
      pipeline.batcher.add([
        { metric: 'cpu.percent', value: 1, ts: 1000 },
        { metric: 'mem.used.bytes', value: 2, ts: 1000 },
      ]);
      const before = fake.accepted.length;
      await vi.waitFor(
        () => {
          expect(fake.accepted.length).toBeGreaterThanOrEqual(before + 2);
        },
        {
          timeout: 2000,
        },
      );
      await pipeline.stop();
    }
    const accepted = fake.accepted;
    expect(accepted.filter((b) => b.series.length === 2)).toHaveLength(2);
    expect(accepted.filter((b) => b.series.length === 0).length).toBeGreaterThanOrEqual(2); // heartbeats
    for (let i = 1; i < accepted.length; i++) expect(accepted[i]!.seq).toBeGreaterThan(accepted[i - 1]!.seq);
    expect(fake.invalid).toBe(0);
  });
});
