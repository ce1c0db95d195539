// Pure container stats math: ContainerStats from two consecutive one-shot samples of the engine's
// counters (GET /containers/:id/stats?stream=false&one-shot=true). One-shot answers carry no usable
// precpu_stats, so the agent keeps the previous sample itself and computes every rate from the pair.
//
// - CPU %: as `docker stats` does, Δcpu_usage.total_usage / Δsystem_cpu_usage × online_cpus × 100 (100 = one
//   core). Docker's system_cpu_usage is the host's whole CPU time (all CPUs, idle included), so
//   Δsystem / online_cpus equals the wall time between the samples. Podman's Docker API reports the CPU time
//   *used* on the host instead (the root cgroup's usage), which makes that formula overstate; when
//   Δsystem / online_cpus does not match the wall time between the two `read` stamps (±25 %), the
//   wall time is used: Δtotal_usage / Δt × 100.
// - Memory used = usage − inactive_file (cgroup v1: total_inactive_file), like `docker stats`.
// - Network: rx/tx bytes summed over `networks` (null when the engine gives none, e.g. host networking).
// - Block I/O: blkio io_service_bytes_recursive, ops Read/read and Write/write summed over devices.
// - A counter that went down (the container restarted, its cgroup was recreated) or a first sample gives
//   null for that rate, never a negative or made-up value.
import type { ContainerStats } from '@emma/protocol';

/** The parts of an engine stats sample the agent reads. */
export interface RawStats {
  read?: string;
  id?: string;
  Id?: string;
  pids_stats?: { current?: number } | null;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null } | null;
    system_cpu_usage?: number;
    online_cpus?: number;
  } | null;
  memory_stats?: {
    usage?: number;
    limit?: number;
    stats?: Record<string, number> | null;
  } | null;
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
  blkio_stats?: {
    io_service_bytes_recursive?: { op?: string; value?: number }[] | null;
  } | null;
}

/** One sample as the agent keeps it: the engine's counters and when they were taken. */
export interface StatsSample {
  raw: RawStats;
  /** Unix ms when the agent received the sample; used when the engine's `read` stamp is unusable. */
  receivedAt: number;
}

/** How far Δsystem_cpu_usage / online_cpus may stray from the wall time before it is not trusted. */
const SYSTEM_CPU_TOLERANCE = 0.25;

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Unix ms (with sub-ms fraction) from an RFC 3339 time with nanoseconds; undefined for Go's zero time. */
export function readTime(value: string | undefined): number | undefined {
  if (!value || value.startsWith('0001-01-01')) return undefined;
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!match) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  }
  const [, base = '', fraction = '', zone = 'Z'] = match;
  const seconds = Date.parse(`${base}${zone}`);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return seconds + (fraction === '' ? 0 : Number(`0.${fraction}`) * 1000);
}

function onlineCpus(raw: RawStats): number | undefined {
  const online = num(raw.cpu_stats?.online_cpus);
  if (online !== undefined && online > 0) return online;
  const perCpu = raw.cpu_stats?.cpu_usage?.percpu_usage;
  return perCpu && perCpu.length > 0 ? perCpu.length : undefined;
}

/** Memory in use without the reclaimable page cache, like `docker stats`. */
export function memoryUsed(raw: RawStats): number {
  const usage = num(raw.memory_stats?.usage) ?? 0;
  const stats = raw.memory_stats?.stats ?? {};
  const v1 = num(stats.total_inactive_file);
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = num(stats.inactive_file);
  if (v2 !== undefined && v2 < usage) return usage - v2;
  return usage;
}

function networkTotals(raw: RawStats): { rx: number; tx: number } | undefined {
  const networks = raw.networks;
  if (!networks || typeof networks !== 'object') return undefined;
  const entries = Object.values(networks);
  if (entries.length === 0) return undefined;
  let rx = 0;
  let tx = 0;
  for (const net of entries) {
    rx += num(net.rx_bytes) ?? 0;
    tx += num(net.tx_bytes) ?? 0;
  }
  return { rx, tx };
}

function blockTotals(raw: RawStats): { read: number; write: number } | undefined {
  const entries = raw.blkio_stats?.io_service_bytes_recursive;
  if (!Array.isArray(entries)) return undefined;
  let read = 0;
  let write = 0;
  for (const entry of entries) {
    const op = entry.op?.toLowerCase();
    if (op === 'read') read += num(entry.value) ?? 0;
    else if (op === 'write') write += num(entry.value) ?? 0;
  }
  return { read, write };
}

/** Per second from two counter values dt ms apart; null when a counter is missing or went backwards. */
function rate(prev: number | undefined, cur: number | undefined, dtMs: number | undefined): number | null {
  if (prev === undefined || cur === undefined || dtMs === undefined || dtMs <= 0 || cur < prev) return null;
  return ((cur - prev) * 1000) / dtMs;
}

function cpuPercent(prev: RawStats, cur: RawStats, dtMs: number | undefined): number | null {
  const prevTotal = num(prev.cpu_stats?.cpu_usage?.total_usage);
  const curTotal = num(cur.cpu_stats?.cpu_usage?.total_usage);
  if (prevTotal === undefined || curTotal === undefined || curTotal < prevTotal) return null;
  const cpuDelta = curTotal - prevTotal;
  const cpus = onlineCpus(cur);
  const prevSystem = num(prev.cpu_stats?.system_cpu_usage);
  const curSystem = num(cur.cpu_stats?.system_cpu_usage);
  let percent: number | undefined;
  if (prevSystem !== undefined && curSystem !== undefined && curSystem > prevSystem && cpus !== undefined) {
    const systemDelta = curSystem - prevSystem;
    const wallNs = dtMs === undefined ? undefined : dtMs * 1e6;
    const systemIsCapacity =
      wallNs === undefined || Math.abs(systemDelta / cpus / wallNs - 1) <= SYSTEM_CPU_TOLERANCE;
    if (systemIsCapacity) percent = (cpuDelta / systemDelta) * cpus * 100;
  }
  if (percent === undefined) {
    if (dtMs === undefined || dtMs <= 0) return null;
    percent = (cpuDelta / (dtMs * 1e6)) * 100;
  }
  // Sampling jitter can overshoot a little; more than every CPU busy is not real.
  if (cpus !== undefined) percent = Math.min(percent, cpus * 100);
  return Math.max(0, percent);
}

/** The container's id as the engine reports it in the sample (Docker: `id`, Podman: `Id`). */
export function statsId(raw: RawStats): string | undefined {
  return raw.id ?? raw.Id;
}

/** Whether a sample holds counters at all (a stopped container's answer is empty or all zero). */
export function isUsableSample(raw: unknown): raw is RawStats {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Buffer.isBuffer(raw)) return false;
  const stats = raw as RawStats;
  return (
    num(stats.cpu_stats?.cpu_usage?.total_usage) !== undefined || num(stats.memory_stats?.usage) !== undefined
  );
}

/**
 * ContainerStats for `id` from the current sample and the previous one (undefined on the first). Times
 * come from the engine's `read` stamps when both have one, else from when the agent received them.
 */
export function computeContainerStats(
  id: string,
  prev: StatsSample | undefined,
  cur: StatsSample,
): ContainerStats {
  const curRead = readTime(cur.raw.read);
  const prevRead = prev ? readTime(prev.raw.read) : undefined;
  const engineClock = curRead !== undefined && (prev === undefined || prevRead !== undefined);
  const curAt = engineClock ? curRead : cur.receivedAt;
  const prevAt = prev ? (engineClock ? prevRead : prev.receivedAt) : undefined;
  const dtMs = prevAt === undefined || curAt - prevAt <= 0 ? undefined : curAt - prevAt;

  const net = networkTotals(cur.raw);
  const prevNet = prev ? networkTotals(prev.raw) : undefined;
  const blk = blockTotals(cur.raw);
  const prevBlk = prev ? blockTotals(prev.raw) : undefined;
  const limit = num(cur.raw.memory_stats?.limit);
  const pids = num(cur.raw.pids_stats?.current);

  return {
    id,
    ts: Math.round(curAt),
    cpuPercent: prev ? cpuPercent(prev.raw, cur.raw, dtMs) : null,
    memUsedBytes: Math.max(0, memoryUsed(cur.raw)),
    memLimitBytes: limit !== undefined && limit > 0 ? limit : null,
    netRxBytesPerS: rate(prevNet?.rx, net?.rx, dtMs),
    netTxBytesPerS: rate(prevNet?.tx, net?.tx, dtMs),
    blockReadBytesPerS: rate(prevBlk?.read, blk?.read, dtMs),
    blockWriteBytesPerS: rate(prevBlk?.write, blk?.write, dtMs),
    pids: pids !== undefined && pids >= 0 ? Math.floor(pids) : null,
  };
}
