// Host metrics from /proc: pure parsers per file, this module only reads files and maps results to
// the metric names of the contract (ARCHITECTURE.md, "Metric names").
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CPU_MODES, cpuPercents, parseCpuStat, type CpuTimes } from './cpu';
import { RateTracker } from './delta';
import { parseDiskStats, SECTOR_BYTES } from './disk';
import { parseMounts, statFilesystems } from './filesystems';
import { parseLoadAvg } from './load';
import { parseMemInfo } from './memory';
import { parseNetDev } from './network';
import { parseUptime } from './uptime';

export interface Sample {
  metric: string;
  labels?: Record<string, string>;
  value: number;
}

export interface HostCollectorOptions {
  /** The host's /proc: `/proc`, or e.g. `/host/proc` when the agent runs in a container. */
  procRoot: string;
  /** The host's / as seen by the agent (`/` or e.g. `/host`); mountpoints are statfs'd under it. */
  hostRoot: string;
  /** Milliseconds for rate computation; defaults to a monotonic clock (immune to NTP steps). */
  now?: () => number;
  /** Told about each source skipped in a cycle (missing or unparsable file), e.g. to log it. */
  onError?: (source: string, error: unknown) => void;
}

export interface HostCollector {
  /** One sample set. Rates and CPU percentages appear from the second call on. Call sequentially. */
  collect(): Promise<Sample[]>;
}

export function createHostCollector(options: HostCollectorOptions): HostCollector {
  const { procRoot, hostRoot, onError } = options;
  const now = options.now ?? (() => performance.now());
  const rates = new RateTracker();
  let prevCpu: CpuTimes | undefined;

  // Read and parse one /proc file; any failure skips just this source for this cycle.
  async function source<T>(files: readonly string[], parse: (text: string) => T): Promise<T | undefined> {
    let lastError: unknown;
    for (const file of files) {
      try {
        return parse(await readFile(path.join(procRoot, file), 'utf8'));
      } catch (error) {
        lastError = error;
      }
    }
    onError?.(files.join(' | '), lastError);
    return undefined;
  }

  return {
    async collect() {
      const t = now();
      const [cpu, load, mem, disks, nets, uptime, mounts] = await Promise.all([
        source(['stat'], parseCpuStat),
        source(['loadavg'], parseLoadAvg),
        source(['meminfo'], parseMemInfo),
        source(['diskstats'], parseDiskStats),
        source(['net/dev'], parseNetDev),
        source(['uptime'], parseUptime),
        // PID 1's mount table is the host's even when `self` is the agent's own container namespace.
        source(['1/mounts', 'mounts'], parseMounts),
      ]);
      const filesystems = mounts ? await statFilesystems(hostRoot, mounts) : [];

      const samples: Sample[] = [];
      const push = (metric: string, value: number | undefined, labels?: Record<string, string>): void => {
        if (value !== undefined) samples.push(labels ? { metric, labels, value } : { metric, value });
      };

      if (cpu) {
        const pct = prevCpu && cpuPercents(prevCpu, cpu.total);
        prevCpu = cpu.total;
        if (pct) {
          push('cpu.percent', pct.busy);
          for (const mode of CPU_MODES) push(`cpu.${mode}.percent`, pct[mode]);
        }
      }
      if (load) {
        push('load.1m', load.load1);
        push('load.5m', load.load5);
        push('load.15m', load.load15);
      }
      if (mem) {
        push('mem.total.bytes', mem.totalBytes);
        push('mem.used.bytes', mem.totalBytes - mem.availableBytes);
        push('mem.available.bytes', mem.availableBytes);
        push('swap.total.bytes', mem.swapTotalBytes);
        push('swap.used.bytes', mem.swapTotalBytes - mem.swapFreeBytes);
      }
      for (const fs of filesystems) {
        push('fs.total.bytes', fs.totalBytes, { mount: fs.mount });
        push('fs.used.bytes', fs.usedBytes, { mount: fs.mount });
      }
      // Rate the raw sector counters (so a 32-bit wrap is recognisable), then convert to bytes.
      for (const d of disks ?? []) {
        const read = rates.rate(`disk.read:${d.device}`, d.readSectors, t);
        const write = rates.rate(`disk.write:${d.device}`, d.writeSectors, t);
        push('disk.read.bytes_per_s', read === undefined ? undefined : read * SECTOR_BYTES, {
          device: d.device,
        });
        push('disk.write.bytes_per_s', write === undefined ? undefined : write * SECTOR_BYTES, {
          device: d.device,
        });
      }
      for (const n of nets ?? []) {
        push('net.rx.bytes_per_s', rates.rate(`net.rx:${n.iface}`, n.rxBytes, t), { iface: n.iface });
        push('net.tx.bytes_per_s', rates.rate(`net.tx:${n.iface}`, n.txBytes, t), { iface: n.iface });
      }
      push('uptime.seconds', uptime);
      // Note: a source skipped this cycle also forgets its counters; it re-baselines next cycle.
      rates.sweep();
      return samples;
    },
  };
}

export interface HostFacts {
  hostname: string;
  os: string;
  arch: string;
  kernel: string;
  cpus: number;
  memTotalBytes: number;
}

/**
 * Static facts for enrolment, read from procRoot (the host's /proc). Each falls back to what this
 * process sees through node:os when the file is unreadable; the kernel, CPUs and memory are the
 * same there, only the hostname may be the container's. Caveat: /proc/sys/kernel/hostname answers
 * for the reader's UTS namespace, so a container needs `uts: host` to see the host's name.
 */
export async function readHostFacts(procRoot: string): Promise<HostFacts> {
  const read = async <T>(file: string, parse: (text: string) => T): Promise<T | undefined> => {
    try {
      return parse(await readFile(path.join(procRoot, file), 'utf8'));
    } catch {
      return undefined;
    }
  };
  const nonEmpty = (text: string): string => {
    const value = text.trim();
    if (!value) throw new Error('empty');
    return value;
  };
  const [hostname, kernel, cpus, memTotalBytes] = await Promise.all([
    read('sys/kernel/hostname', nonEmpty),
    read('sys/kernel/osrelease', nonEmpty),
    read('stat', (text) => parseCpuStat(text).cpuCount || undefined),
    read('meminfo', (text) => parseMemInfo(text).totalBytes),
  ]);
  return {
    hostname: hostname ?? os.hostname(),
    os: os.platform(),
    arch: os.arch(),
    kernel: kernel ?? os.release(),
    cpus: cpus ?? os.cpus().length,
    memTotalBytes: memTotalBytes ?? os.totalmem(),
  };
}
