// createHostCollector on fixture directories laid out like /proc, plus a sanity run on this machine.
import { cp, mkdir, mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { statFilesystems } from './filesystems';
import { createHostCollector, readHostFacts, type Sample } from './index';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const KiB = 1024;
const temps: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'emma-collectors-'));
  temps.push(dir);
  return dir;
}

/** Copy fixture sets over each other into `dir` (later sets replace files of earlier ones). */
async function lay(dir: string, ...sets: string[]): Promise<string> {
  for (const set of sets) await cp(path.join(FIXTURES, set), dir, { recursive: true });
  return dir;
}

/** "metric{label=value}" → value, to compare whole sample sets at once. */
function byKey(samples: Sample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    const labels = s.labels
      ? `{${Object.entries(s.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}}`
      : '';
    const key = s.metric + labels;
    expect(out, `duplicate sample ${key}`).not.toHaveProperty([key]);
    out[key] = s.value;
  }
  return out;
}

const pick = (all: Record<string, number>, prefix: string) =>
  Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(prefix)));

afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('createHostCollector on linux-5.15-container-host', () => {
  const HOST = 'linux-5.15-container-host';
  const NEXT = 'linux-5.15-container-host.next';

  async function setup() {
    const proc = await lay(await tempDir(), HOST);
    // The host's / : only some mountpoints exist, the others (/boot/efi, /mnt/media) must be skipped.
    const hostRoot = await tempDir();
    await mkdir(path.join(hostRoot, 'boot'));
    await mkdir(path.join(hostRoot, 'srv/backup data'), { recursive: true });
    let t = 1_000_000;
    const collector = createHostCollector({ procRoot: proc, hostRoot, now: () => t });
    const advance = (ms: number) => {
      t += ms;
    };
    return { proc, hostRoot, collector, advance };
  }

  it('reports gauges at once and no rates or CPU percentages on the first collect', async () => {
    const { hostRoot, collector } = await setup();
    const s = byKey(await collector.collect());
    const fs = await statfs(hostRoot);

    expect(pick(s, 'cpu.')).toEqual({});
    expect(pick(s, 'disk.')).toEqual({});
    expect(pick(s, 'net.')).toEqual({});
    expect(s).toMatchObject({
      'load.1m': 1.25,
      'load.5m': 0.98,
      'load.15m': 0.76,
      'mem.total.bytes': 65843188 * KiB,
      'mem.available.bytes': 40123456 * KiB,
      'mem.used.bytes': (65843188 - 40123456) * KiB,
      'swap.total.bytes': 8388604 * KiB,
      'swap.used.bytes': (8388604 - 8123456) * KiB,
      'uptime.seconds': 1234567.89,
    });
    expect(Object.keys(pick(s, 'fs.total.bytes'))).toEqual([
      'fs.total.bytes{mount=/}',
      'fs.total.bytes{mount=/boot}',
      'fs.total.bytes{mount=/srv/backup data}',
    ]);
    expect(s['fs.total.bytes{mount=/}']).toBe(fs.blocks * fs.bsize);
    const used = s['fs.used.bytes{mount=/boot}'];
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(fs.blocks * fs.bsize);
  });

  it('reports exact rates and CPU shares 10 s later; lo, partitions and new interfaces have none', async () => {
    const { proc, collector, advance } = await setup();
    await collector.collect();
    await lay(proc, NEXT);
    advance(10_000);
    const s = byKey(await collector.collect());

    expect(pick(s, 'cpu.')).toEqual({
      'cpu.percent': 40,
      'cpu.user.percent': 25,
      'cpu.nice.percent': 0,
      'cpu.system.percent': 12.5,
      'cpu.idle.percent': 55,
      'cpu.iowait.percent': 5,
      'cpu.irq.percent': 0,
      'cpu.softirq.percent': 2.5,
      'cpu.steal.percent': 0,
    });
    expect(pick(s, 'disk.')).toEqual({
      'disk.read.bytes_per_s{device=nvme0n1}': 10485760,
      'disk.write.bytes_per_s{device=nvme0n1}': 20971520,
      'disk.read.bytes_per_s{device=nvme1n1}': 0,
      'disk.write.bytes_per_s{device=nvme1n1}': 1048576,
      'disk.read.bytes_per_s{device=dm-0}': 10485760,
      'disk.write.bytes_per_s{device=dm-0}': 20971520,
      'disk.read.bytes_per_s{device=sr0}': 0,
      'disk.write.bytes_per_s{device=sr0}': 0,
    });
    // veth1a2b3c4 vanished and veth9f8e7d6 is new: neither has a rate yet.
    expect(pick(s, 'net.')).toEqual({
      'net.rx.bytes_per_s{iface=eth0}': 12500000,
      'net.tx.bytes_per_s{iface=eth0}': 2500000,
      'net.rx.bytes_per_s{iface=docker0}': 100,
      'net.tx.bytes_per_s{iface=docker0}': 200,
    });
    expect(s['uptime.seconds']).toBe(1234577.89);
    expect(s['load.1m']).toBe(1.31);
  });

  it('drops rates for one cycle after counters go back (reboot), then resumes', async () => {
    const { proc, collector, advance } = await setup();
    await lay(proc, NEXT);
    await collector.collect();
    await lay(proc, HOST); // every counter smaller than before
    advance(10_000);
    const reset = byKey(await collector.collect());
    expect(pick(reset, 'cpu.')).toEqual({});
    // Only the counters that did not go back keep a (zero) rate.
    expect(pick(reset, 'disk.')).toEqual({
      'disk.read.bytes_per_s{device=nvme1n1}': 0,
      'disk.read.bytes_per_s{device=sr0}': 0,
      'disk.write.bytes_per_s{device=sr0}': 0,
    });
    expect(pick(reset, 'net.')).toEqual({});
    expect(reset['mem.total.bytes']).toBe(65843188 * KiB);

    await lay(proc, NEXT);
    advance(10_000);
    const resumed = byKey(await collector.collect());
    expect(resumed['cpu.percent']).toBe(40);
    expect(resumed['net.rx.bytes_per_s{iface=eth0}']).toBe(12500000);
    expect(resumed['disk.write.bytes_per_s{device=nvme0n1}']).toBe(20971520);
  });

  it('forgets an interface that vanished, so its return starts a new series', async () => {
    const { proc, collector, advance } = await setup();
    await collector.collect(); // veth1a2b3c4 present
    await lay(proc, NEXT); // gone
    advance(10_000);
    await collector.collect();
    await lay(proc, HOST); // back with the same counters: a stale baseline would give rate 0
    advance(10_000);
    const s = byKey(await collector.collect());
    expect(s).not.toHaveProperty(['net.rx.bytes_per_s{iface=veth1a2b3c4}']);
  });

  it('prefers 1/mounts (the host mount namespace) over mounts', async () => {
    const { proc, collector } = await setup();
    await mkdir(path.join(proc, '1'));
    await cp(path.join(FIXTURES, 'linux-4.19-server/mounts'), path.join(proc, '1/mounts'));
    const s = byKey(await collector.collect());
    expect(Object.keys(pick(s, 'fs.total.bytes'))).toEqual([
      'fs.total.bytes{mount=/}',
      'fs.total.bytes{mount=/boot}',
    ]);
  });
});

describe('createHostCollector with missing or broken sources', () => {
  it('skips unreadable and unparsable files, keeps the rest, and reports what it skipped', async () => {
    const proc = await tempDir();
    await cp(path.join(FIXTURES, 'linux-2.6.9-rhel4/meminfo'), path.join(proc, 'meminfo'));
    await writeFile(path.join(proc, 'stat'), 'this is not /proc/stat\n');
    await writeFile(path.join(proc, 'uptime'), '');
    const skipped: string[] = [];
    const collector = createHostCollector({
      procRoot: proc,
      hostRoot: proc,
      now: () => 0,
      onError: (source) => skipped.push(source),
    });

    const s = byKey(await collector.collect());
    expect(s).toEqual({
      'mem.total.bytes': 4041528 * KiB,
      'mem.available.bytes': 2703701 * KiB,
      'mem.used.bytes': (4041528 - 2703701) * KiB,
      'swap.total.bytes': 2097144 * KiB,
      'swap.used.bytes': (2097144 - 2031608) * KiB,
    });
    expect(skipped.sort()).toEqual([
      '1/mounts | mounts',
      'diskstats',
      'loadavg',
      'net/dev',
      'stat',
      'uptime',
    ]);
  });

  it('returns an empty set for a procRoot that does not exist', async () => {
    const collector = createHostCollector({ procRoot: '/nonexistent/proc', hostRoot: '/nonexistent' });
    await expect(collector.collect()).resolves.toEqual([]);
  });
});

describe('statFilesystems', () => {
  it('reports df-style size and used (blocks - bfree) and skips mountpoints it cannot stat', async () => {
    const hostRoot = await tempDir();
    await mkdir(path.join(hostRoot, 'data'));
    const mounts = [
      { device: '/dev/sdb1', mountpoint: '/data', fstype: 'ext4' },
      { device: 'nas:/x', mountpoint: '/mnt/gone', fstype: 'nfs' },
    ];
    const [result, ...rest] = await statFilesystems(hostRoot, mounts);
    const fs = await statfs(hostRoot);
    expect(rest).toEqual([]);
    expect(result?.mount).toBe('/data');
    expect(result?.totalBytes).toBe(fs.blocks * fs.bsize);
    // Others write to this disk meanwhile: allow 1 % drift, far less than the reserved blocks.
    expect(Math.abs(result!.usedBytes - (fs.blocks - fs.bfree) * fs.bsize)).toBeLessThan(
      fs.blocks * fs.bsize * 0.01,
    );
  });
});

describe('readHostFacts', () => {
  it('reads the host facts from the given procRoot', async () => {
    await expect(readHostFacts(path.join(FIXTURES, 'linux-5.15-container-host'))).resolves.toEqual({
      hostname: 'docker-host-01',
      os: os.platform(),
      arch: os.arch(),
      kernel: '5.15.0-105-generic',
      cpus: 8,
      memTotalBytes: 65843188 * KiB,
    });
  });

  it('falls back to node:os for files it cannot read', async () => {
    await expect(readHostFacts(await tempDir())).resolves.toEqual({
      hostname: os.hostname(),
      os: os.platform(),
      arch: os.arch(),
      kernel: os.release(),
      cpus: os.cpus().length,
      memTotalBytes: os.totalmem(),
    });
  });
});

describe('this machine', () => {
  it('collects sane values from the real /proc', async () => {
    const collector = createHostCollector({ procRoot: '/proc', hostRoot: '/' });
    await collector.collect();
    await sleep(300);
    const samples = await collector.collect();
    const s = byKey(samples);

    expect(s['cpu.percent']).toBeGreaterThanOrEqual(0);
    expect(s['cpu.percent']).toBeLessThanOrEqual(100);
    for (const mode of ['user', 'system', 'idle', 'iowait', 'steal']) {
      expect(s[`cpu.${mode}.percent`]).toBeGreaterThanOrEqual(0);
      expect(s[`cpu.${mode}.percent`]).toBeLessThanOrEqual(100);
    }
    expect(s['mem.total.bytes']).toBeGreaterThan(0);
    expect(s['mem.used.bytes']).toBeLessThanOrEqual(s['mem.total.bytes']!);
    expect(s['load.1m']).toBeGreaterThanOrEqual(0);
    expect(s['uptime.seconds']).toBeGreaterThan(0);
    expect(Object.keys(pick(s, 'fs.total.bytes{')).length).toBeGreaterThanOrEqual(1);
    for (const sample of samples.filter((x) => x.metric.endsWith('bytes_per_s'))) {
      expect(sample.value).toBeGreaterThanOrEqual(0);
    }
  });

  it('reads host facts that agree with node:os', async () => {
    const facts = await readHostFacts('/proc');
    expect(facts).toEqual({
      hostname: os.hostname(),
      os: 'linux',
      arch: os.arch(),
      kernel: os.release(),
      cpus: os.cpus().length,
      memTotalBytes: os.totalmem(),
    });
  });
});
