// What the probe screens decide without the network: filters, the target in a word, latency over agents.
import type { components } from '../../api/schema.gen';

export type Probe = components['schemas']['Probe'];
export type ProbeState = Probe['state'];
export type ProbeType = Probe['type'];

export const PROBE_STATES: readonly ProbeState[] = ['down', 'degraded', 'up', 'pending', 'paused'];
export const PROBE_TYPES: readonly ProbeType[] = ['http', 'tcp', 'icmp', 'sql', 'dns', 'tls'];

export interface ProbeFilter {
  state?: string | undefined;
  type?: string | undefined;
  q: string;
}

/** What a probe checks, read from its config without knowing its type: a URL, host:port, host or name. */
export function probeTarget(probe: Pick<Probe, 'config'>): string {
  const { url, host, port, name } = probe.config;
  if (typeof url === 'string') return url;
  if (typeof host === 'string') return typeof port === 'number' ? `${host}:${port}` : host;
  if (typeof name === 'string') return name;
  return '';
}

export function matchesProbe(probe: Probe, filter: ProbeFilter): boolean {
  if (filter.state && probe.state !== filter.state) return false;
  if (filter.type && probe.type !== filter.type) return false;
  const q = filter.q.trim().toLowerCase();
  return !q || probe.name.toLowerCase().includes(q) || probeTarget(probe).toLowerCase().includes(q);
}

/** Problems first (down, degraded), then by name: what needs attention is on top. */
const STATE_ORDER: Readonly<Record<ProbeState, number>> = {
  down: 0,
  degraded: 1,
  pending: 2,
  up: 3,
  paused: 4,
};

export function sortProbes(list: readonly Probe[]): Probe[] {
  return [...list].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }) ||
      a.id.localeCompare(b.id),
  );
}

/** The slowest agent's last latency (a probe run by several agents is as good as its worst view). */
export function worstLatency(probe: Pick<Probe, 'agents'>): number | null {
  const values = probe.agents.map((a) => a.lastLatencyMs).filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}

/** The newest result time over the agents. */
export function lastResultAt(probe: Pick<Probe, 'agents'>): string | null {
  const times = probe.agents.map((a) => a.lastResultAt).filter((v): v is string => v !== null);
  return times.length ? times.reduce((a, b) => (Date.parse(a) > Date.parse(b) ? a : b)) : null;
}

export interface Bucket {
  checks: number;
  down: number;
  degraded: number;
}

/** One window of the uptime bar: grey without checks, red when all failed, amber when some did or were slow. */
export function bucketTone(bucket: Bucket): 'none' | 'ok' | 'warn' | 'bad' {
  if (bucket.checks === 0) return 'none';
  if (bucket.down === bucket.checks) return 'bad';
  return bucket.down > 0 || bucket.degraded > 0 ? 'warn' : 'ok';
}

/** Checks that were not down, in % (degraded counts as up, as the server's uptime does). */
export function uptimePercent(buckets: readonly Bucket[]): number | null {
  const checks = buckets.reduce((n, b) => n + b.checks, 0);
  const down = buckets.reduce((n, b) => n + b.down, 0);
  return checks === 0 ? null : ((checks - down) / checks) * 100;
}
