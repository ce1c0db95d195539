// What the probe benchmark reads from /proc (Linux only; elsewhere these return undefined / empty):
// CPU time and RSS of a process, the machine's busy time, and the TCP sockets of one local port by state.
import { execFileSync } from 'node:child_process';
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

export interface ProcCpu {
  /** utime + stime, seconds. */
  cpuS: number;
  rssMb: number;
}

export function procCpu(pid: number | undefined): ProcCpu | undefined {
  if (pid === undefined) return undefined;
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text
      .slice(text.lastIndexOf(')') + 2)
      .trim()
      .split(/\s+/);
    // fields[0] is field 3 (state): field n is fields[n - 3].
    const num = (n: number): number => Number(fields[n - 3] ?? 0);
    return { cpuS: (num(14) + num(15)) / ticksPerSecond(), rssMb: (num(24) * 4096) / 1024 / 1024 };
  } catch {
    return undefined;
  }
}

/** The kernel's peak RSS of the process over its life (VmHWM), MB. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

export interface MachineCpu {
  /** Busy jiffies (all but idle and iowait), summed over all CPUs. */
  busy: number;
  total: number;
}

export function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/** Busy share of the whole machine between two readings, 0..1. */
export function busyShare(a: MachineCpu | undefined, b: MachineCpu | undefined): number | undefined {
  if (!a || !b || b.total <= a.total) return undefined;
  return (b.busy - a.busy) / (b.total - a.total);
}

/** Seconds of CPU the machine spent busy between two readings (all cores). */
export function busySeconds(a: MachineCpu | undefined, b: MachineCpu | undefined): number | undefined {
  if (!a || !b) return undefined;
  return (b.busy - a.busy) / ticksPerSecond();
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
};

/**
 * IPv4 TCP sockets with `port` as local port (the server's side, "target") or remote port (the client's side,
 * "agent"), counted by side and state. Client-side TIME_WAIT sockets hold an ephemeral port each.
 */
export function tcpStates(port: number): Record<string, number> {
  const counts: Record<string, number> = {};
  let text: string;
  try {
    text = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return counts;
  }
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    const remote = cols[2];
    const state = cols[3];
    if (local === undefined || remote === undefined || state === undefined) continue;
    const side = local.endsWith(`:${hex}`) ? 'target' : remote.endsWith(`:${hex}`) ? 'agent' : undefined;
    if (side === undefined) continue;
    const name = `${TCP_STATES[state] ?? state} (${side} side)`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Waits (up to maxWaitS) until the machine is less busy than `pct` % over a 2 s sample. */
export async function waitForQuiet(
  pct: number,
  maxWaitS: number,
): Promise<{ busyPct?: number; waitedS: number }> {
  const t0 = Date.now();
  let busyPct: number | undefined;
  for (;;) {
    const a = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const share = busyShare(a, machineCpu());
    busyPct = share === undefined ? undefined : share * 100;
    const waitedS = (Date.now() - t0) / 1000;
    if (busyPct === undefined || busyPct < pct || waitedS >= maxWaitS) return { busyPct, waitedS };
  }
}
