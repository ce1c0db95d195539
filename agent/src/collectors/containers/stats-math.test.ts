import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerStatsSchema } from '@emma/protocol';
import { describe, expect, it } from 'vitest';
import {
  computeContainerStats,
  isUsableSample,
  memoryUsed,
  readTime,
  statsId,
  type RawStats,
  type StatsSample,
} from './stats-math';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const raw = (name: string): RawStats =>
  JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as RawStats;
const sample = (name: string, receivedAt = 0): StatsSample => ({ raw: raw(name), receivedAt });
const MiB = 1024 * 1024;
const WEB = '3f4e8c2a9b1d7e6f5a4c3b2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f';
const DB = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';
const BUSY = '8b04ebefb2be9a0d85974aee34d48fc2cd1fa57adc7738070c5073e2c401a363';

describe('readTime', () => {
  it('keeps sub-millisecond precision and refuses the zero time', () => {
    expect(
      readTime('2026-11-26T08:43:51.888507901Z')! - readTime('2026-11-26T08:43:50.876960298Z')!,
    ).toBeCloseTo(1011.547603, 3);
    expect(readTime('2024-05-14T12:00:00.5+02:00')).toBe(Date.parse('2024-05-14T10:00:00.500Z'));
    expect(readTime('0001-01-01T00:00:00Z')).toBeUndefined();
    expect(readTime(undefined)).toBeUndefined();
  });
});

describe('computeContainerStats: Docker, cgroup v1', () => {
  it('computes what `docker stats` shows from two samples 10 s apart', () => {
    const first = computeContainerStats(WEB, undefined, sample('docker-cgroup-v1/stats-1.json'));
    expect(first).toEqual({
      id: WEB,
      ts: Date.parse('2024-05-14T10:00:00.123Z'),
      cpuPercent: null,
      memUsedBytes: 150 * MiB,
      memLimitBytes: 512 * MiB,
      netRxBytesPerS: null,
      netTxBytesPerS: null,
      blockReadBytesPerS: null,
      blockWriteBytesPerS: null,
      pids: 12,
    });
    const stats = computeContainerStats(
      WEB,
      sample('docker-cgroup-v1/stats-1.json'),
      sample('docker-cgroup-v1/stats-2.json'),
    );
    expect(stats.ts).toBe(Date.parse('2024-05-14T10:00:10.123Z'));
    expect(stats.cpuPercent).toBeCloseTo(150, 6);
    expect(stats.memUsedBytes).toBe(170 * MiB);
    expect(stats.memLimitBytes).toBe(512 * MiB);
    expect(stats.netRxBytesPerS).toBeCloseTo(600_000, 6);
    expect(stats.netTxBytesPerS).toBeCloseTo(100_000, 6);
    // Only Read/Write count: Sync, Async, Discard and Total repeat the same bytes.
    expect(stats.blockReadBytesPerS).toBeCloseTo(MiB, 6);
    expect(stats.blockWriteBytesPerS).toBeCloseTo(2 * MiB, 6);
    expect(stats.pids).toBe(14);
    expect(ContainerStatsSchema.safeParse(stats).success).toBe(true);
  });

  it('takes online_cpus from percpu_usage when the engine leaves it out', () => {
    const prev = sample('docker-cgroup-v1/stats-1.json');
    const cur = sample('docker-cgroup-v1/stats-2.json');
    delete cur.raw.cpu_stats!.online_cpus;
    expect(computeContainerStats(WEB, prev, cur).cpuPercent).toBeCloseTo(150, 6);
  });
});

describe('computeContainerStats: Docker, cgroup v2', () => {
  it('uses inactive_file, lowercase blkio ops and online_cpus', () => {
    const stats = computeContainerStats(
      DB,
      sample('docker-cgroup-v2/stats-1.json'),
      sample('docker-cgroup-v2/stats-2.json'),
    );
    expect(stats).toEqual({
      id: DB,
      ts: Date.parse('2024-05-14T10:00:05.500Z'),
      cpuPercent: expect.closeTo(5, 6) as number,
      memUsedBytes: 100 * MiB,
      memLimitBytes: 1024 * MiB,
      netRxBytesPerS: expect.closeTo(5000, 6) as number,
      netTxBytesPerS: expect.closeTo(2000, 6) as number,
      blockReadBytesPerS: expect.closeTo(102_400, 6) as number,
      blockWriteBytesPerS: 0,
      pids: 4,
    });
  });

  it('gives null rates for what the engine does not report (no networks, no blkio)', () => {
    const prev = sample('docker-cgroup-v2/stats-1.json');
    const cur = sample('docker-cgroup-v2/stats-2.json');
    for (const s of [prev, cur]) {
      delete s.raw.networks;
      s.raw.blkio_stats = { io_service_bytes_recursive: null };
      delete s.raw.pids_stats;
    }
    const stats = computeContainerStats(DB, prev, cur);
    expect([stats.netRxBytesPerS, stats.netTxBytesPerS, stats.blockReadBytesPerS, stats.pids]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(stats.cpuPercent).toBeCloseTo(5, 6);
  });
});

describe('computeContainerStats: Podman 4.3 (captured)', () => {
  it("computes CPU % from the wall time when system_cpu_usage is not the host's capacity", () => {
    // Podman's system_cpu_usage grew by 1.03 s over 1.01 s on 2 CPUs: CPU time used, not available.
    // Docker's formula would say 196 % for one busy-looping shell; the truth is one core.
    const stats = computeContainerStats(
      BUSY,
      sample('podman-4.3-cgroup-v1/stats-busy-1.json'),
      sample('podman-4.3-cgroup-v1/stats-busy-2.json'),
    );
    expect(stats.cpuPercent).toBeCloseTo((1_009_453_848 / 1_011_547_603) * 100, 3);
    expect(stats.cpuPercent!).toBeGreaterThan(95);
    expect(stats.memUsedBytes).toBe(282_624); // no memory_stats.stats: usage as is
    expect(stats.memLimitBytes).toBe(25_276_502_016);
    expect(stats.netRxBytesPerS).toBe(0);
    expect(stats.blockReadBytesPerS).toBe(0); // an empty blkio list: nothing read
    expect(stats.pids).toBe(1);
    expect(statsId(raw('podman-4.3-cgroup-v1/stats-busy-1.json'))).toBe(BUSY);
  });

  it('computes network rates from the captured HTTP traffic', () => {
    const stats = computeContainerStats(
      '4dc7fbdc905a184bd75b25e1277367680a5ff4b7f5a4f538155a07a5178c6905',
      sample('podman-4.3-cgroup-v1/stats-web-1.json'),
      sample('podman-4.3-cgroup-v1/stats-web-2.json'),
    );
    const dtS = 1.120943811;
    expect(stats.netRxBytesPerS).toBeCloseTo((12_722 - 796) / dtS, 3);
    expect(stats.netTxBytesPerS).toBeCloseTo((12_326 - 2_052) / dtS, 3);
    expect(stats.cpuPercent).toBeCloseTo(((29_036_374 - 24_733_506) / (dtS * 1e9)) * 100, 4);
    expect(stats.memUsedBytes).toBe(376_832);
  });

  it('gives null rates, never negative ones, when the counters restarted', () => {
    const stats = computeContainerStats(
      BUSY,
      sample('podman-4.3-cgroup-v1/stats-busy-before-restart.json'),
      sample('podman-4.3-cgroup-v1/stats-busy-after-restart.json'),
    );
    expect(stats.cpuPercent).toBeNull();
    expect(stats.netRxBytesPerS).toBeNull();
    expect(stats.netTxBytesPerS).toBeNull();
    expect(stats.memUsedBytes).toBe(593_920);
    expect(ContainerStatsSchema.safeParse(stats).success).toBe(true);
  });
});

describe('computeContainerStats: edge cases', () => {
  it("uses the agent's receive times when the engine's read stamp is missing", () => {
    const prev = sample('docker-cgroup-v1/stats-1.json', 1_000_000);
    const cur = sample('docker-cgroup-v1/stats-2.json', 1_010_000);
    prev.raw.read = '0001-01-01T00:00:00Z';
    const stats = computeContainerStats(WEB, prev, cur);
    expect(stats.ts).toBe(1_010_000);
    expect(stats.netRxBytesPerS).toBeCloseTo(600_000, 6);
    expect(stats.cpuPercent).toBeCloseTo(150, 6);
  });

  it('never reports more than every CPU busy, nor a rate over zero time', () => {
    const prev = sample('docker-cgroup-v2/stats-1.json');
    const cur = sample('docker-cgroup-v2/stats-2.json');
    delete prev.raw.cpu_stats!.system_cpu_usage;
    cur.raw.cpu_stats!.cpu_usage!.total_usage = 1_750_000_000 + 20e9; // 20 s of CPU in 5 s on 2 CPUs
    expect(computeContainerStats(DB, prev, cur).cpuPercent).toBe(200);
    const same = computeContainerStats(DB, cur, cur);
    expect([same.cpuPercent, same.netRxBytesPerS]).toEqual([null, null]);
  });

  it('recognises empty answers (a stopped container) and cgroup v1/v2 memory', () => {
    expect(isUsableSample(Buffer.alloc(0))).toBe(false);
    expect(isUsableSample('')).toBe(false);
    expect(isUsableSample({ read: '0001-01-01T00:00:00Z' })).toBe(false);
    expect(isUsableSample(raw('docker-cgroup-v2/stats-1.json'))).toBe(true);
    expect(
      memoryUsed({ memory_stats: { usage: 100, stats: { total_inactive_file: 30, inactive_file: 10 } } }),
    ).toBe(70);
    expect(memoryUsed({ memory_stats: { usage: 100, stats: { inactive_file: 10 } } })).toBe(90);
    expect(memoryUsed({ memory_stats: { usage: 100, stats: { inactive_file: 200 } } })).toBe(100);
  });
});
