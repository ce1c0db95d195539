import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { IngestBatch } from '@emma/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool } from './spool';

const batch = (seq: number, points = 1): IngestBatch => ({
  seq,
  sentAt: 1000,
  droppedBatches: 0,
  probeResults: [],
  containerEvents: [],
  containerStats: [],
  series: [
    { metric: 'cpu.percent', points: Array.from({ length: points }, (_, i) => [i, seq] as [number, number]) },
  ],
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function drain(spool: Spool): Promise<number[]> {
  const seqs: number[] = [];
  for (let b = await spool.head(); b; b = await spool.head()) {
    seqs.push(b.seq);
    await spool.remove(b.seq);
  }
  return seqs;
}

describe('Spool', () => {
  it('replays in seq order, from gzip files named by seq, after a restart', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1e6 });
    for (const seq of [3, 1, 12, 2]) await spool.push(batch(seq));
    expect(spool.count).toBe(4);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      '0000000000000001.json.gz',
      '0000000000000002.json.gz',
      '0000000000000003.json.gz',
      '0000000000000012.json.gz',
    ]);
    expect(JSON.parse(gunzipSync(await readFile(path.join(dir, files[0]!))).toString())).toMatchObject({
      seq: 1,
    });

    const reopened = await Spool.open({ dir, maxBytes: 1e6 });
    expect(reopened.count).toBe(4);
    expect(reopened.bytes).toBe(spool.bytes);
    expect(await reopened.head()).toEqual(batch(1));
    expect(await drain(reopened)).toEqual([1, 2, 3, 12]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('drops the oldest batches beyond maxCount and remembers the drops across restarts', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1e6, maxCount: 3 });
    for (let seq = 1; seq <= 5; seq++) await spool.push(batch(seq));
    expect(spool.count).toBe(3);
    expect(spool.dropped).toBe(2);
    expect(spool.pendingDrops).toBe(2);
    await spool.push(batch(0)); // older than everything kept: it is the one to go
    expect(spool.pendingDrops).toBe(3);

    const reopened = await Spool.open({ dir, maxBytes: 1e6, maxCount: 3 });
    expect(reopened.pendingDrops).toBe(3);
    await reopened.ackDrops(2);
    expect(reopened.pendingDrops).toBe(1);
    expect((await Spool.open({ dir, maxBytes: 1e6 })).pendingDrops).toBe(1);
    expect(await drain(reopened)).toEqual([3, 4, 5]);
  });

  it('drops the oldest batches beyond maxBytes', async () => {
    const probe = await Spool.open({ dir: path.join(dir, 'probe'), maxBytes: 1e6 });
    await probe.push(batch(1, 50));
    const size = probe.bytes;
    const spool = await Spool.open({ dir: path.join(dir, 'bounded'), maxBytes: Math.floor(size * 2.5) });
    for (let seq = 1; seq <= 6; seq++) await spool.push(batch(seq, 50));
    expect(spool.count).toBe(2);
    expect(spool.bytes).toBeLessThanOrEqual(size * 2.5);
    expect(spool.dropped).toBe(4);
    expect(await drain(spool)).toEqual([5, 6]);
  });

  it('spares the batch in flight when it must evict', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1e6, maxCount: 2 });
    await spool.push(batch(1));
    await spool.push(batch(2));
    spool.setInFlight(1);
    await spool.push(batch(3));
    expect(await drain(spool)).toEqual([1, 3]);
  });

  it('skips and deletes corrupt files, and cleans up interrupted writes', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1e6 });
    for (const seq of [1, 2, 3, 4]) await spool.push(batch(seq));
    await writeFile(path.join(dir, '0000000000000001.json.gz'), 'not gzip at all');
    await writeFile(path.join(dir, '0000000000000003.json.gz'), gzipSync('{"seq": 3, "series": "nope"}'));
    await writeFile(path.join(dir, '.0000000000000005.json.gz.abc.tmp'), 'half a file');

    const reopened = await Spool.open({ dir, maxBytes: 1e6 });
    expect(await readdir(dir)).not.toContain('.0000000000000005.json.gz.abc.tmp');
    expect(await drain(reopened)).toEqual([2, 4]);
    expect(reopened.corrupt).toBe(2);
    expect(reopened.pendingDrops).toBe(2);
    expect((await readdir(dir)).filter((f) => f.endsWith('.gz'))).toEqual([]);
  });
});
