import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Batcher } from './batcher';
import { readState, STATE_FILE, StateStore } from './state';

const identity = {
  serverUrl: 'http://127.0.0.1:1',
  agentId: '7d0b5f36-0d0e-4f53-9d43-1a1a4c3c9a11',
  credential: 'c1',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('StateStore', () => {
  it('is absent before enrolment and refuses a corrupt file', async () => {
    expect(await StateStore.load(dir)).toBeUndefined();
    await writeFile(path.join(dir, STATE_FILE), '{"serverUrl": 1');
    await expect(StateStore.load(dir)).rejects.toThrow();
  });

  it('writes agent.json with mode 0600 and reserves seqs before handing them out', async () => {
    const store = await StateStore.create(dir, identity, { seqBlock: 10 });
    expect((await stat(path.join(dir, STATE_FILE))).mode & 0o777).toBe(0o600);
    const seqs = [await store.allocateSeq(), await store.allocateSeq(), await store.allocateSeq()];
    expect(seqs).toEqual([1, 2, 3]);
    const onDisk = await readState(dir);
    expect(onDisk).toEqual({ ...identity, nextSeq: 11 });
    for (const seq of seqs) expect(onDisk?.nextSeq).toBeGreaterThan(seq);
  });

  it('never repeats a seq across restarts (a crash only skips the rest of a block)', async () => {
    const handedOut: number[] = [];
    let store = await StateStore.create(dir, identity, { seqBlock: 5 });
    for (let run = 0; run < 4; run++) {
      for (let i = 0; i < 7; i++) handedOut.push(await store.allocateSeq());
      // A new instance over the same directory, with no shutdown of the previous one.
      store = (await StateStore.load(dir, { seqBlock: 5 }))!;
    }
    for (let i = 1; i < handedOut.length; i++) expect(handedOut[i]).toBeGreaterThan(handedOut[i - 1]!);
    expect(new Set(handedOut).size).toBe(handedOut.length);
  });

  it('persists every seq with seqBlock 1 and hands out unique seqs to concurrent callers', async () => {
    const store = await StateStore.create(dir, identity, { seqBlock: 1 });
    const seqs = await Promise.all(Array.from({ length: 20 }, () => store.allocateSeq()));
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await readState(dir))?.nextSeq).toBe(21);
  });

  it('keeps the counter through an identity update and a re-enrolment', async () => {
    const store = await StateStore.create(dir, identity, { seqBlock: 3 });
    await store.allocateSeq();
    await store.update({ credential: 'c2' });
    expect(await readState(dir)).toEqual({ ...identity, credential: 'c2', nextSeq: 4 });
    const again = await StateStore.create(dir, { ...identity, credential: 'c3' });
    expect(await again.allocateSeq()).toBe(4);
    expect(JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8'))).toMatchObject({
      credential: 'c3',
    });
  });

  it('gives batches strictly increasing seqs across a simulated agent restart', async () => {
    const seqs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const store = (await StateStore.load(dir)) ?? (await StateStore.create(dir, identity));
      const batcher = new Batcher({
        maxSamples: 1,
        maxDelayMs: 1000,
        nextSeq: () => store.allocateSeq(),
        onBatch: (batch) => {
          seqs.push(batch.seq);
        },
      });
      batcher.add([
        { metric: 'cpu.percent', value: 1, ts: 1 },
        { metric: 'cpu.percent', value: 2, ts: 2 },
      ]);
      await batcher.flush();
    }
    expect(seqs).toHaveLength(6);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
  });
});
