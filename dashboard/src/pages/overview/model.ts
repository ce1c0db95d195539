// The overview's logic without the page: tiles out of the counts, and the "needs attention" items out of
// the list endpoints' problem pages, with their filter and search.
import type { components, paths } from '../../api/schema.gen';
import { toneOf } from '../../components/StatusBadge';
import { t } from '../../i18n';

export type Overview = components['schemas']['Overview'];
export type Probe = components['schemas']['Probe'];
export type Agent = components['schemas']['Agent'];
export type Container = components['schemas']['Container'];
export type Incident =
  paths['/api/v1/incidents']['get']['responses'][200]['content']['application/json']['items'][number];

export interface Chip {
  /** The state (or health, or severity) as the API names it. */
  state: string;
  count: number;
  /** The list page filtered to it. */
  href: string;
}

export interface Tile {
  key: 'agents' | 'probes' | 'containers' | 'incidents';
  total: number;
  href: string;
  chips: Chip[];
}

/** A state's chip, shown when it has members or when it is one a watcher always wants to see (0 down). */
function chips(
  counts: Readonly<Record<string, number>>,
  always: readonly string[],
  href: (state: string) => string,
): Chip[] {
  return Object.entries(counts)
    .filter(([state, count]) => count > 0 || always.includes(state))
    .map(([state, count]) => ({ state, count, href: href(state) }));
}

export function tiles(o: Overview): Tile[] {
  return [
    {
      key: 'agents',
      total: o.agents.total,
      href: '/hosts',
      chips: chips(o.agents.byStatus, ['online', 'offline'], (s) => `/hosts?status=${s}`),
    },
    {
      key: 'probes',
      total: o.probes.total,
      href: '/probes',
      chips: chips(o.probes.byState, ['up', 'down', 'degraded'], (s) => `/probes?state=${s}`),
    },
    {
      key: 'containers',
      total: o.containers.total,
      href: '/containers',
      chips: [
        ...chips(o.containers.byState, ['running', 'exited'], (s) => `/containers?state=${s}`),
        ...chips(
          { unhealthy: o.containers.byHealth.unhealthy },
          ['unhealthy'],
          () => '/containers?health=unhealthy',
        ),
      ],
    },
    {
      key: 'incidents',
      total: o.incidents.open + o.incidents.acknowledged,
      href: '/incidents',
      chips: chips(
        { open: o.incidents.open, acknowledged: o.incidents.acknowledged },
        ['open'],
        (s) => `/incidents?status=${s}`,
      ),
    },
  ];
}

export type AttentionKind = 'probe' | 'agent' | 'container' | 'incident';
export const ATTENTION_KINDS: readonly AttentionKind[] = ['probe', 'agent', 'container', 'incident'];

export interface AttentionItem {
  kind: AttentionKind;
  id: string;
  name: string;
  /** What the badge shows: down, degraded, offline, exited, dead, unhealthy, or an incident's severity. */
  state: string;
  detail: string;
  /** Since when (ISO); null when unknown. */
  since: string | null;
  href: string;
}

/** The message and start of a probe's failure: from the agents in its (worst) state, the longest-failing. */
export function probeItem(probe: Pick<Probe, 'id' | 'name' | 'type' | 'state' | 'agents'>): AttentionItem {
  const failing = probe.agents
    .filter((a) => a.state === probe.state)
    .sort((a, b) => a.since.localeCompare(b.since));
  const first = failing[0];
  return {
    kind: 'probe',
    id: probe.id,
    name: probe.name,
    state: probe.state,
    detail: [probe.type.toUpperCase(), first?.lastMessage].filter(Boolean).join(' · '),
    since: first?.since ?? null,
    href: `/probes/${probe.id}`,
  };
}

export function agentItem(
  agent: Pick<Agent, 'id' | 'name' | 'status' | 'host' | 'lastSeenAt'>,
): AttentionItem {
  const hostname = typeof agent.host.hostname === 'string' ? agent.host.hostname : '';
  return {
    kind: 'agent',
    id: agent.id,
    name: agent.name,
    state: agent.status,
    detail: hostname && hostname !== agent.name ? hostname : '',
    since: agent.lastSeenAt,
    href: `/hosts/${agent.id}`,
  };
}

export function containerItem(
  container: Pick<
    Container,
    'id' | 'name' | 'image' | 'state' | 'health' | 'exitCode' | 'agent' | 'stateSince'
  >,
): AttentionItem {
  const exit =
    container.exitCode !== null && container.state === 'exited'
      ? t('overview.exitCode', { code: container.exitCode })
      : undefined;
  return {
    kind: 'container',
    id: container.id,
    name: container.name,
    state: container.health === 'unhealthy' ? 'unhealthy' : container.state,
    detail: [container.agent.name, container.image, exit].filter(Boolean).join(' · '),
    since: container.stateSince,
    href: `/containers/${container.id}`,
  };
}

export function incidentItem(
  incident: Pick<Incident, 'id' | 'title' | 'ruleName' | 'severity' | 'openedAt'>,
): AttentionItem {
  return {
    kind: 'incident',
    id: incident.id,
    name: incident.title,
    state: incident.severity,
    detail: incident.ruleName,
    since: incident.openedAt,
    href: `/incidents/${incident.id}`,
  };
}

/** Severity tone of an item: incidents by severity, the rest by state. */
export function itemTone(item: Pick<AttentionItem, 'kind' | 'state'>): string {
  if (item.kind === 'incident')
    return item.state === 'critical' ? 'bad' : item.state === 'warning' ? 'warn' : 'info';
  return toneOf(item.state);
}

const RANK: Record<string, number> = { bad: 0, warn: 1, info: 2 };

/** The worst first, then the newest problem first (a fresh failure is what someone is looking for). */
export function sortItems(items: readonly AttentionItem[]): AttentionItem[] {
  return [...items].sort((a, b) => {
    const rank = (RANK[itemTone(a)] ?? 3) - (RANK[itemTone(b)] ?? 3);
    if (rank !== 0) return rank;
    return (b.since ?? '').localeCompare(a.since ?? '');
  });
}

/** Items of one kind (all when undefined) whose name or detail holds every word of the search. */
export function filterItems(
  items: readonly AttentionItem[],
  kind: AttentionKind | undefined,
  query: string,
): AttentionItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((item) => {
    if (kind && item.kind !== kind) return false;
    const text = `${item.name} ${item.detail} ${item.state}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Items of each kind, deduplicated by kind and id (an exited container may also be unhealthy). */
export function joinItems(groups: readonly (readonly AttentionItem[])[]): AttentionItem[] {
  const seen = new Set<string>();
  const out: AttentionItem[] = [];
  for (const group of groups)
    for (const item of group) {
      const key = `${item.kind}:${item.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  return sortItems(out);
}

export function isAttentionKind(value: unknown): value is AttentionKind {
  return typeof value === 'string' && (ATTENTION_KINDS as readonly string[]).includes(value);
}

/**
 * Runs tasks at most `concurrency` at a time, in the order given. The overview's problem lists go through
 * one, so they do not all land on the server (and its CPU) at the moment the counts are being drawn.
 */
export function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      next();
    }
  };
}
