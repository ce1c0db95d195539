// CPU accounting from /proc while the load runs: the server process, the load generator, the processes
// of the benchmark's PostgreSQL (by backend type), and the machine as a whole. Linux only; elsewhere it
// reports nothing (and a PostgreSQL on another machine shows as 0).
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, in seconds. */
  cpuS: number;
  /** Seconds after boot. */
  startS: number;
  rssBytes: number;
}

export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state): field n is fields[n - 3].
  const num = (n: number): number => Number(fields[n - 3] ?? 0);
  const hz = ticksPerSecond();
  return {
    pid,
    comm,
    ppid: num(4),
    cpuS: (num(14) + num(15)) / hz,
    startS: num(22) / hz,
    rssBytes: num(24) * 4096,
  };
}

export function uptimeS(): number {
  try {
    return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  } catch {
    return 0;
  }
}

export interface MachineCpu {
  busy: number;
  iowait: number;
  total: number;
}

export function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/);
    const v = values.map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, iowait: v[4] ?? 0, total };
  } catch {
    return undefined;
  }
}

/**
 * Accumulates CPU seconds per process between start() and stop(), sampling every second so that
 * short-lived PostgreSQL processes (autovacuum workers, new backends) are counted too. `dbPids` names
 * the benchmark's PostgreSQL processes (from pg_stat_activity): other clusters on the machine (other
 * test runs, a system PostgreSQL) must not be counted as the benchmark's.
 */
export class CpuTracker {
  private readonly seen = new Map<number, { first: number; last: number; db: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private startUptime = 0;
  private startWall = 0;
  private stopWall = 0;
  private machineStart: MachineCpu | undefined;
  private machineStop: MachineCpu | undefined;

  constructor(
    private readonly fixedPids: () => number[],
    private readonly dbPids: () => number[],
  ) {}

  start(): void {
    this.startUptime = uptimeS();
    this.startWall = performance.now();
    this.machineStart = machineCpu();
    this.sample(true);
    this.timer = setInterval(() => {
      this.sample(false);
    }, 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample(false);
    this.stopWall = performance.now();
    this.machineStop = machineCpu();
  }

  private sample(initial: boolean): void {
    const db = new Set(this.dbPids());
    for (const pid of new Set([...this.fixedPids(), ...db])) {
      const stat = readProcStat(pid);
      if (!stat) continue;
      const known = this.seen.get(pid);
      if (known) {
        known.last = stat.cpuS;
      } else {
        // A process born during the window counts from zero; one found at the start, from now.
        const bornInside = !initial && stat.startS >= this.startUptime;
        this.seen.set(pid, { first: bornInside ? 0 : stat.cpuS, last: stat.cpuS, db: db.has(pid) });
      }
    }
  }

  get wallS(): number {
    return (this.stopWall - this.startWall) / 1000;
  }

  /** CPU seconds used by a process during the window. */
  cpuOf(pid: number): number {
    const entry = this.seen.get(pid);
    return entry ? entry.last - entry.first : 0;
  }

  postgres(): { pid: number; cpuS: number }[] {
    return [...this.seen.entries()]
      .filter(([, e]) => e.db)
      .map(([pid, e]) => ({ pid, cpuS: e.last - e.first }));
  }

  machine(): { busyPct: number; iowaitPct: number; cores: number } | undefined {
    if (!this.machineStart || !this.machineStop) return undefined;
    const total = this.machineStop.total - this.machineStart.total;
    if (total <= 0) return undefined;
    const hz = ticksPerSecond();
    return {
      busyPct: ((this.machineStop.busy - this.machineStart.busy) / total) * 100,
      iowaitPct: ((this.machineStop.iowait - this.machineStart.iowait) / total) * 100,
      cores: total / hz / Math.max(0.001, this.wallS),
    };
  }
}

/** `top -b -n 1`, first lines, or undefined where top is missing (asynchronous: the server shares this loop). */
export function topSnapshot(lines = 16): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('top', ['-b', '-n', '1', '-w', '160'], { encoding: 'utf8', timeout: 5000 }, (err, stdout) => {
      resolve(err ? undefined : stdout.split('\n').slice(0, lines).join('\n'));
    });
  });
}

/** Share of all cores busy over `ms` (0–100), or undefined without /proc. */
export async function machineBusyPct(ms: number): Promise<number | undefined> {
  const a = machineCpu();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = machineCpu();
  if (!a || !b || b.total <= a.total) return undefined;
  return ((b.busy - a.busy) / (b.total - a.total)) * 100;
}

/**
 * Waits (up to maxWaitS) until the machine is quiet: busy below `thresholdPct` over 2 s. Other work on a
 * shared machine distorts every figure, so the report states what was running besides the benchmark.
 */
export async function waitForQuiet(
  thresholdPct: number,
  maxWaitS: number,
): Promise<{ busyPct: number | undefined; waitedS: number }> {
  const started = performance.now();
  let busy = await machineBusyPct(2000);
  while (busy !== undefined && busy >= thresholdPct && performance.now() - started < maxWaitS * 1000) {
    busy = await machineBusyPct(2000);
  }
  return { busyPct: busy, waitedS: (performance.now() - started) / 1000 };
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM...), in kB; 0 when the process is gone. */
export function statusKb(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}
