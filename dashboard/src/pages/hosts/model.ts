// The host list's logic without the page: facts out of the agent's host record, the key metrics of a row,
// filtering and ordering, and the subscriptions of the rows in view.
import type { components, paths } from '../../api/schema.gen';
import { formatRelative } from '../../lib/format';

export type Agent = components['schemas']['Agent'];
export type AgentStatus = Agent['status'];
export type LatestItem =
  paths['/api/v1/metrics/latest']['get']['responses'][200]['content']['application/json']['items'][number];

export const AGENT_STATUSES: readonly AgentStatus[] = ['online', 'offline', 'pending', 'revoked'];

/** The metrics a host row shows (GET /api/v1/metrics/latest). */
export const SUMMARY_METRICS = [
  'cpu.percent',
  'mem.used.bytes',
  'mem.total.bytes',
  'fs.used.bytes',
  'fs.total.bytes',
] as const;

/** A text fact of the host record the agent reported at enrolment (hostname, os, agentVersion …). */
export function hostFact(agent: Pick<Agent, 'host'>, key: string): string | undefined {
  const value = agent.host[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function numberFact(
  record: Record<string, unknown> | null | undefined,
  key: string,
): number | undefined {
  const value = record?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export interface HostSummary {
  cpuPercent?: number;
  memPercent?: number;
  /** The fullest mount's use in %, and which mount that is. */
  diskPercent?: number;
  diskMount?: string;
  /** The newest of the values' times (ISO): the agent reported then. */
  ts?: string;
}

/** Each agent's key metrics out of a batched latest answer. */
export function summarize(items: readonly LatestItem[]): Map<string, HostSummary> {
  const parts = new Map<
    string,
    {
      summary: HostSummary;
      memUsed?: number;
      memTotal?: number;
      fs: Map<string, { used?: number; total?: number }>;
    }
  >();
  for (const item of items) {
    let part = parts.get(item.agentId);
    if (!part) {
      part = { summary: {}, fs: new Map() };
      parts.set(item.agentId, part);
    }
    if (!part.summary.ts || item.ts > part.summary.ts) part.summary.ts = item.ts;
    const mount = item.labels.mount ?? '';
    const fs = part.fs.get(mount) ?? {};
    switch (item.metric) {
      case 'cpu.percent':
        part.summary.cpuPercent = item.value;
        break;
      case 'mem.used.bytes':
        part.memUsed = item.value;
        break;
      case 'mem.total.bytes':
        part.memTotal = item.value;
        break;
      case 'fs.used.bytes':
        part.fs.set(mount, { ...fs, used: item.value });
        break;
      case 'fs.total.bytes':
        part.fs.set(mount, { ...fs, total: item.value });
        break;
      default:
        break;
    }
  }
  const out = new Map<string, HostSummary>();
  for (const [agentId, part] of parts) {
    const summary = { ...part.summary };
    if (part.memUsed !== undefined && part.memTotal)
      summary.memPercent = (part.memUsed / part.memTotal) * 100;
    for (const [mount, fs] of part.fs) {
      if (fs.used === undefined || !fs.total) continue;
      const percent = (fs.used / fs.total) * 100;
      if (summary.diskPercent === undefined || percent > summary.diskPercent) {
        summary.diskPercent = percent;
        summary.diskMount = mount;
      }
    }
    out.set(agentId, summary);
  }
  return out;
}

/** Warn from 75 %, bad from 90 % (CPU, memory and disk alike). */
export function usageTone(percent: number | undefined): 'ok' | 'warn' | 'bad' | 'muted' {
  if (percent === undefined) return 'muted';
  if (percent >= 90) return 'bad';
  if (percent >= 75) return 'warn';
  return 'ok';
}

/** Whether an agent matches a search: any words, each in its name, hostname, version or a label. */
export function matchesSearch(agent: Agent, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    agent.name,
    hostFact(agent, 'hostname') ?? '',
    hostFact(agent, 'agentVersion') ?? '',
    ...Object.entries(agent.labels).map(([key, value]) => `${key}=${value}`),
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The agents of a status (all when undefined) that match the search, by name (web-2 before web-10). */
export function filterAgents(
  agents: readonly Agent[],
  status: AgentStatus | undefined,
  query: string,
): Agent[] {
  return agents
    .filter((agent) => (!status || agent.status === status) && matchesSearch(agent, query))
    .sort((a, b) => byName.compare(a.name, b.name));
}

export function countByStatus(agents: readonly Agent[]): Record<AgentStatus, number> {
  const counts: Record<AgentStatus, number> = { online: 0, offline: 0, pending: 0, revoked: 0 };
  for (const agent of agents) counts[agent.status] += 1;
  return counts;
}

export function isAgentStatus(value: unknown): value is AgentStatus {
  return typeof value === 'string' && (AGENT_STATUSES as readonly string[]).includes(value);
}

/** The later of two ISO times (either may be missing). */
export function later(a: string | null | undefined, b: string | null | undefined): string | undefined {
  if (!a) return b ?? undefined;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * When an agent was last seen, relative to `now`: a time ahead of it (the agent's clock, or a clock tick
 * that has not come yet) reads as "now" rather than "in 2 seconds".
 */
export function seenAgo(iso: string, now: number): string {
  const at = Date.parse(iso);
  return formatRelative(Number.isNaN(at) ? iso : new Date(Math.min(at, now)).toISOString(), now);
}

/** Applies an agent read again after a change: replaced in place, added when new, removed when gone (null). */
export function patchAgents(agents: readonly Agent[], id: string, fresh: Agent | null): Agent[] {
  const index = agents.findIndex((agent) => agent.id === id);
  if (fresh === null || fresh.deletedAt) return index < 0 ? [...agents] : agents.filter((a) => a.id !== id);
  if (index < 0) return [...agents, fresh];
  const copy = [...agents];
  copy[index] = fresh;
  return copy;
}

/**
 * Keeps a set of realtime topics in line with what is wanted, changing at most `perTick` subscriptions per
 * `tickMs`: the server closes a connection that sends more than its message rate (20/s by default, in a burst
 * of 40), and fast scrolling through a list would otherwise do exactly that.
 */
export class ThrottledTopics {
  private readonly current = new Map<string, () => void>();
  private desired: readonly string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastApply = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly subscribe: (topic: string) => () => void,
    private readonly perTick = 8,
    private readonly tickMs = 1000,
  ) {}

  /** The topics subscribed to now. */
  get active(): string[] {
    return [...this.current.keys()];
  }

  set(topics: readonly string[]): void {
    this.desired = topics;
    if (this.timer) return;
    const wait = Math.max(0, this.lastApply + this.tickMs - Date.now());
    if (wait === 0) this.apply();
    else this.timer = setTimeout(() => this.apply(), wait);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const unsubscribe of this.current.values()) unsubscribe();
    this.current.clear();
  }

  private apply(): void {
    this.timer = undefined;
    this.lastApply = Date.now();
    const wanted = new Set(this.desired);
    let budget = this.perTick;
    for (const [topic, unsubscribe] of [...this.current]) {
      if (budget === 0) break;
      if (wanted.has(topic)) continue;
      unsubscribe();
      this.current.delete(topic);
      budget -= 1;
    }
    for (const topic of this.desired) {
      if (budget === 0) break;
      if (this.current.has(topic)) continue;
      this.current.set(topic, this.subscribe(topic));
      budget -= 1;
    }
    const pending =
      [...this.current.keys()].some((topic) => !wanted.has(topic)) ||
      this.desired.some((topic) => !this.current.has(topic));
    if (pending) this.timer = setTimeout(() => this.apply(), this.tickMs);
  }
}
