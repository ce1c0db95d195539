import type { ContainerEvent, ContainerInfo, ContainerStats, IngestBatch } from '@emma/protocol';
import { ContainerInfoSchema, IngestBatchSchema } from '@emma/protocol';
import { describe, expect, it, vi } from 'vitest';
import { Batcher, MAX_CONTAINER_ITEMS, type BatcherOptions } from './batcher';

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
      containerEvents: [],
      containerStats: [],
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

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);
const ID_C = 'c'.repeat(64);

function container(
  id: string,
  state: ContainerInfo['state'] = 'running',
  name = `c-${id.slice(0, 4)}`,
): ContainerInfo {
  return { id, name, image: 'busybox', state };
}

function containerStats(id: string, ts: number): ContainerStats {
  return {
    id,
    ts,
    cpuPercent: 1,
    memUsedBytes: 1024,
    memLimitBytes: null,
    netRxBytesPerS: null,
    netTxBytesPerS: null,
    blockReadBytesPerS: null,
    blockWriteBytesPerS: null,
    pids: 1,
  };
}

describe('Batcher: container data', () => {
  it('sends container data alone as a batch the server accepts', async () => {
    const { batcher, batches } = collect();
    const event: ContainerEvent = { id: ID_A, ts: 5, action: 'die', exitCode: 137 };
    batcher.addContainerEvents([event]);
    batcher.addContainerStats([containerStats(ID_A, 6)]);
    await batcher.flush();
    expect(batches).toHaveLength(1);
    const batch = IngestBatchSchema.parse(batches[0]);
    expect(batch.series).toEqual([]);
    expect(batch.containers).toBeUndefined();
    expect(batch.containerEvents).toEqual([event]);
    expect(batch.containerStats).toEqual([containerStats(ID_A, 6)]);

    batcher.addContainerInventory({
      at: 7,
      full: false,
      actionsEnabled: true,
      containers: [],
      removed: [ID_B],
    });
    await batcher.flush();
    expect(batches).toHaveLength(2);
    expect(IngestBatchSchema.parse(batches[1]).containers).toMatchObject({ full: false, removed: [ID_B] });
    await batcher.flush();
    expect(batches).toHaveLength(2); // nothing pending: no empty batch
  });

  it('keeps one inventory per batch: a full report replaces, an incremental one merges', async () => {
    const { batcher, batches } = collect();
    batcher.addContainerInventory({
      at: 1,
      full: false,
      actionsEnabled: true,
      containers: [container(ID_C)],
      removed: [],
    });
    // A full report replaces whatever was pending.
    batcher.addContainerInventory({
      at: 2,
      full: true,
      actionsEnabled: true,
      engine: { name: 'Podman Engine', version: '4.3.1' },
      containers: [container(ID_A), container(ID_B)],
      removed: [],
    });
    // Incremental ones merge into it: upsert by id, removals drop the pending entry and are listed.
    batcher.addContainerInventory({
      at: 3,
      full: false,
      actionsEnabled: true,
      containers: [container(ID_A, 'exited')],
      removed: [],
    });
    batcher.addContainerInventory({
      at: 4,
      full: false,
      actionsEnabled: true,
      containers: [],
      removed: [ID_B],
    });
    await batcher.flush();
    expect(batches).toHaveLength(1);
    expect(IngestBatchSchema.parse(batches[0]).containers).toEqual({
      at: 4,
      full: true,
      actionsEnabled: true,
      engine: { name: 'Podman Engine', version: '4.3.1' },
      containers: [ContainerInfoSchema.parse(container(ID_A, 'exited'))],
      removed: [ID_B],
    });

    // Incremental after incremental: a container coming back is no longer listed as removed.
    batcher.addContainerInventory({
      at: 5,
      full: false,
      actionsEnabled: false,
      containers: [],
      removed: [ID_A],
    });
    batcher.addContainerInventory({
      at: 6,
      full: false,
      actionsEnabled: false,
      containers: [container(ID_A), container(ID_C)],
      removed: [ID_B],
    });
    await batcher.flush();
    const second = IngestBatchSchema.parse(batches[1]).containers;
    expect(second).toMatchObject({ at: 6, full: false, actionsEnabled: false, removed: [ID_B] });
    expect(second?.containers.map((c) => c.id)).toEqual([ID_A, ID_C]);
  });

  it('counts events and stats toward the bounds and keeps their lists within the protocol', async () => {
    const { batcher, batches } = collect({ maxSamples: 3 });
    batcher.add({ metric: 'cpu.percent', value: 1, ts: 1 });
    batcher.addContainerEvents([
      { id: ID_A, ts: 1, action: 'start' },
      { id: ID_A, ts: 2, action: 'die' },
      { id: ID_A, ts: 3, action: 'destroy' },
    ]);
    await batcher.flush();
    expect(batches.map((b) => [(b.series ?? []).length, (b.containerEvents ?? []).length])).toEqual([
      [1, 2],
      [0, 1],
    ]);

    const big = collect({ maxSamples: 50_000 });
    big.batcher.addContainerStats(
      Array.from({ length: MAX_CONTAINER_ITEMS + 5 }, (_, i) => containerStats(ID_A, i + 1)),
    );
    await big.batcher.flush();
    expect(big.batches.map((b) => (b.containerStats ?? []).length)).toEqual([MAX_CONTAINER_ITEMS, 5]);
    for (const batch of big.batches) expect(IngestBatchSchema.safeParse(batch).success).toBe(true);
  });

  it('closes a batch with only an inventory after maxDelayMs, and a heartbeat carries it', async () => {
    const { batcher, batches } = collect({ maxDelayMs: 40 });
    batcher.addContainerInventory({ at: 1, full: true, actionsEnabled: true, containers: [container(ID_A)] });
    await vi.waitFor(
      () => {
        expect(batches).toHaveLength(1);
      },
      { timeout: 2000, interval: 5 },
    );
    expect(batches[0]?.containers?.full).toBe(true);

    const hb = collect({ maxDelayMs: 60_000, heartbeatMs: 50 });
    hb.batcher.start();
    hb.batcher.addContainerInventory({ at: 1, full: false, actionsEnabled: true, removed: [ID_C] });
    await vi.waitFor(
      () => {
        expect(hb.batches).toHaveLength(1);
      },
      { timeout: 2000, interval: 5 },
    );
    expect(hb.batches[0]?.containers?.removed).toEqual([ID_C]);
    await hb.batcher.stop();
  });
});
