import type { IngestBatch } from '@emma/protocol';
import { IngestBatchSchema } from '@emma/protocol';
import { describe, expect, it, vi } from 'vitest';
import { Batcher, type BatcherOptions } from './batcher';

function collect(overrides: Partial<BatcherOptions> = {}): { batcher: Batcher; batches: IngestBatch[] } {
  const batches: IngestBatch[] = [];
  let seq = 0;
  const batcher = new Batcher({
    maxSamples: 100,
    maxDelayMs: 60_000,
    nextSeq: () => Promise.resolve(++seq),
    onBatch: (batch) => {
      batches.push(batch);
    },
    now: () => 1_700_000_000_000,
    ...overrides,
  });
  return { batcher, batches };
}

describe('Batcher', () => {
  it('groups points by metric and labels (label order does not matter)', async () => {
    const { batcher, batches } = collect();
    batcher.add([
      { metric: 'cpu.percent', value: 1, ts: 1000 },
      { metric: 'fs.used.bytes', labels: { mount: '/', device: 'sda' }, value: 10, ts: 1000 },
      { metric: 'cpu.percent', value: 2, ts: 2000 },
      { metric: 'fs.used.bytes', labels: { device: 'sda', mount: '/' }, value: 11, ts: 2000 },
      { metric: 'fs.used.bytes', labels: { mount: '/data', device: 'sdb' }, value: 5, ts: 2000 },
    ]);
    batcher.addSeries({ metric: 'cpu.percent', points: [[3000, 3]] });
    await batcher.flush();
    expect(batches).toHaveLength(1);
    const batch = IngestBatchSchema.parse(batches[0]);
    expect(batch).toEqual({
      seq: 1,
      sentAt: 1_700_000_000_000,
      droppedBatches: 0,
      probeResults: [],
      series: [
        {
          metric: 'cpu.percent',
          points: [
            [1000, 1],
            [2000, 2],
            [3000, 3],
          ],
        },
        {
          metric: 'fs.used.bytes',
          labels: { mount: '/', device: 'sda' },
          points: [
            [1000, 10],
            [2000, 11],
          ],
        },
        { metric: 'fs.used.bytes', labels: { mount: '/data', device: 'sdb' }, points: [[2000, 5]] },
      ],
    });
  });

  it('closes a batch at maxSamples, splitting long series, with consecutive seqs', async () => {
    const { batcher, batches } = collect({ maxSamples: 3 });
    batcher.addSeries({
      metric: 'load.1m',
      points: Array.from({ length: 7 }, (_, i) => [i * 1000, i] as [number, number]),
    });
    await batcher.flush();
    expect(batches.map((b) => b.seq)).toEqual([1, 2, 3]);
    const sizes = batches.map((b) => (b.series ?? []).reduce((n, s) => n + s.points.length, 0));
    expect(sizes).toEqual([3, 3, 1]);
    expect(batches.flatMap((b) => (b.series ?? []).flatMap((s) => s.points.map((p) => p[1])))).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
  });

  it('closes a batch maxDelayMs after its first sample', async () => {
    const { batcher, batches } = collect({ maxDelayMs: 40 });
    const started = Date.now();
    batcher.add({ metric: 'cpu.percent', value: 1, ts: 1 });
    batcher.add({ metric: 'cpu.percent', value: 2, ts: 2 });
    expect(batches).toHaveLength(0);
    await vi.waitFor(
      () => {
        expect(batches).toHaveLength(1);
      },
      { timeout: 2000, interval: 5 },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(batches[0]?.series?.[0]?.points).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(batcher.pendingSamples).toBe(0);
  });

  it('refuses samples that would make the server reject the whole batch', async () => {
    const { batcher, batches } = collect();
    batcher.add([
      { metric: 'CPU', value: 1, ts: 1 },
      { metric: 'cpu.percent', labels: { 'Bad-Label': 'x' }, value: 1, ts: 1 },
      { metric: 'cpu.percent', value: Number.NaN, ts: 1 },
      { metric: 'cpu.percent', value: 1, ts: -5 },
      { metric: 'cpu.percent', value: 1, ts: 1.5 },
      { metric: 'cpu.percent', value: 42, ts: 7 },
    ]);
    await batcher.flush();
    expect(batcher.stats.invalidSamples).toBe(5);
    expect(batches).toHaveLength(1);
    expect(IngestBatchSchema.parse(batches[0]).series).toEqual([
      { metric: 'cpu.percent', points: [[7, 42]] },
    ]);
  });

  it('hands batches on one at a time, in seq order, even when the receiver is slow', async () => {
    const order: number[] = [];
    let active = 0;
    const { batcher } = collect({
      maxSamples: 1,
      onBatch: async (batch) => {
        active++;
        expect(active).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(batch.seq);
        active--;
      },
    });
    for (let i = 0; i < 5; i++) batcher.add({ metric: 'cpu.percent', value: i, ts: i });
    await batcher.flush();
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('produces an empty heartbeat batch when nothing was produced for heartbeatMs', async () => {
    const { batcher, batches } = collect({ heartbeatMs: 200 });
    batcher.start();
    batcher.add({ metric: 'cpu.percent', value: 1, ts: 1 });
    await batcher.flush(); // a real batch resets the heartbeat clock
    expect(batches).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batches).toHaveLength(1);
    await vi.waitFor(
      () => {
        expect(batches).toHaveLength(2);
      },
      { timeout: 2000, interval: 5 },
    );
    expect(batches[1]).toMatchObject({ seq: 2, series: [] });
    expect(IngestBatchSchema.safeParse(batches[1]).success).toBe(true);
    await batcher.stop();
    const count = batches.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(batches).toHaveLength(count); // stopped: no more heartbeats
  });

  it('counts a batch as failed when no seq can be taken, and keeps going', async () => {
    let calls = 0;
    const { batcher, batches } = collect({
      nextSeq: () => (++calls === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve(calls)),
    });
    batcher.add({ metric: 'cpu.percent', value: 1, ts: 1 });
    await batcher.flush();
    batcher.add({ metric: 'cpu.percent', value: 2, ts: 2 });
    await batcher.flush();
    expect(batcher.stats.failedBatches).toBe(1);
    expect(batches.map((b) => b.seq)).toEqual([2]);
  });
});
