// /proc/stat: the aggregate `cpu` line (jiffies per mode since boot) and the number of `cpuN` lines.

export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export type CpuMode = (typeof CPU_MODES)[number];

/** Jiffies per mode. guest/guest_nice are kept apart: the kernel already counts them in user/nice. */
export type CpuTimes = Record<CpuMode, number> & { guest: number; guestNice: number };

export interface CpuStat {
  total: CpuTimes;
  /** Number of `cpuN` lines: online CPUs of the host (not a container's cgroup limit). */
  cpuCount: number;
}

// Column order of the `cpu` line. Older kernels print fewer columns (2.6.11 added steal, 2.6.24
// guest, 2.6.33 guest_nice); missing ones read as 0.
const COLUMNS = [...CPU_MODES, 'guest', 'guestNice'] as const;

export function parseCpuStat(text: string): CpuStat {
  let total: CpuTimes | undefined;
  let cpuCount = 0;
  for (const line of text.split('\n')) {
    const [name, ...values] = line.trim().split(/\s+/);
    if (name === 'cpu') {
      if (values.length < 4) throw new Error('/proc/stat: cpu line has fewer than 4 columns');
      const times = { guest: 0, guestNice: 0 } as CpuTimes;
      COLUMNS.forEach((column, i) => {
        times[column] = Number(values[i] ?? 0);
      });
      if (COLUMNS.some((c) => !Number.isFinite(times[c]))) throw new Error('/proc/stat: bad cpu line');
      total = times;
    } else if (name !== undefined && /^cpu\d+$/.test(name)) {
      cpuCount++;
    }
  }
  if (!total) throw new Error('/proc/stat: no aggregate cpu line');
  return { total, cpuCount };
}

export type CpuPercents = Record<CpuMode, number> & { busy: number };

/**
 * Share of each mode between two samples, in percent. `busy` = 100 × (1 − (idle+iowait)/total).
 * Undefined when no time passed or the counters went back (reboot): the caller re-baselines.
 * A single mode going backwards (iowait does on some NO_HZ kernels) counts as 0 instead of
 * producing a negative share.
 */
export function cpuPercents(prev: CpuTimes, cur: CpuTimes): CpuPercents | undefined {
  const deltas = {} as Record<CpuMode, number>;
  let total = 0;
  let rawTotal = 0;
  for (const mode of CPU_MODES) {
    const d = cur[mode] - prev[mode];
    rawTotal += d;
    deltas[mode] = Math.max(0, d);
    total += deltas[mode];
  }
  if (rawTotal <= 0 || total <= 0) return undefined;
  const out = { busy: 100 * (1 - (deltas.idle + deltas.iowait) / total) } as CpuPercents;
  for (const mode of CPU_MODES) out[mode] = (100 * deltas[mode]) / total;
  return out;
}
