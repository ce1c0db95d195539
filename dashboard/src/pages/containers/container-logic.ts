// What the container screens decide without the network: filtering, grouping per host, which actions
// make sense in which state, and how far an action has got.
import type { components } from '../../api/schema.gen';
import { t } from '../../i18n';

export type Container = components['schemas']['Container'];
export type ContainerAction = components['schemas']['ContainerAction'];
export type ActionKind = ContainerAction['action'];
export type ContainerState = Container['state'];

export const CONTAINER_STATES: readonly ContainerState[] = [
  'running',
  'restarting',
  'paused',
  'created',
  'exited',
  'dead',
  'removing',
];
/** The shared texts name most states; `removing` is the engine's own and has a text here. */
export function stateLabel(state: ContainerState): string {
  const key = `state.${state}`;
  return t(key) === key ? t(`containers.state.${state}`) : t(key);
}

export const ACTION_KINDS: readonly ActionKind[] = ['start', 'stop', 'restart'];

export interface ContainerFilter {
  agentId?: string | undefined;
  states: readonly ContainerState[];
  q: string;
}

/** A `state` query parameter (comma list) as known states; unknown words are ignored. */
export function parseStates(param: string | undefined): ContainerState[] {
  if (!param) return [];
  const known = new Set<string>(CONTAINER_STATES);
  return [...new Set(param.split(','))].filter((s): s is ContainerState => known.has(s));
}

/** The search matches name, image, host name and the start of the engine id, in any case. */
export function matchesFilter(container: Container, filter: ContainerFilter): boolean {
  if (filter.agentId && container.agent.id !== filter.agentId) return false;
  if (filter.states.length > 0 && !filter.states.includes(container.state)) return false;
  const q = filter.q.trim().toLowerCase();
  if (!q) return true;
  return (
    container.name.toLowerCase().includes(q) ||
    container.image.toLowerCase().includes(q) ||
    container.agent.name.toLowerCase().includes(q) ||
    container.containerId.startsWith(q)
  );
}

const byText = (a: string, b: string) =>
  a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });

/** Host by host (by name), containers by name within a host. */
export function sortContainers(list: readonly Container[]): Container[] {
  return [...list].sort(
    (a, b) =>
      byText(a.agent.name, b.agent.name) || a.agent.id.localeCompare(b.agent.id) || byText(a.name, b.name),
  );
}

export type ListRow =
  | { kind: 'host'; agent: Container['agent']; total: number; running: number }
  | { kind: 'container'; container: Container };

/** The rows of the list: with `grouped`, a header row before each host's containers. */
export function listRows(sorted: readonly Container[], grouped: boolean): ListRow[] {
  if (!grouped) return sorted.map((container) => ({ kind: 'container', container }));
  const rows: ListRow[] = [];
  let header: Extract<ListRow, { kind: 'host' }> | undefined;
  for (const container of sorted) {
    if (header?.agent.id !== container.agent.id) {
      header = { kind: 'host', agent: container.agent, total: 0, running: 0 };
      rows.push(header);
    }
    header.total += 1;
    if (container.state === 'running') header.running += 1;
    rows.push({ kind: 'container', container });
  }
  return rows;
}

/** The hosts present in a list, by name, for the host filter. */
export function hostsOf(list: readonly Container[]): Container['agent'][] {
  const hosts = new Map<string, Container['agent']>();
  for (const c of list) hosts.set(c.agent.id, c.agent);
  return [...hosts.values()].sort((a, b) => byText(a.name, b.name));
}

/** The states in which each action does something (the engine refuses or ignores the others). */
const ACTION_STATES: Readonly<Record<ActionKind, readonly ContainerState[]>> = {
  start: ['created', 'exited'],
  stop: ['running', 'restarting', 'paused'],
  restart: ['running', 'restarting', 'paused', 'exited'],
};

export function actionFitsState(action: ActionKind, state: ContainerState): boolean {
  return ACTION_STATES[action].includes(state);
}

export type BlockedReason = 'removed' | 'agentUnavailable' | 'readOnly';

/** Why the server would refuse every action on this container, if it would. */
export function actionsBlocked(container: Container): BlockedReason | undefined {
  if (container.actionsEnabled) return undefined;
  if (container.removedAt) return 'removed';
  if (container.agent.status === 'pending' || container.agent.status === 'revoked') return 'agentUnavailable';
  return 'readOnly';
}

const FINISHED: ReadonlySet<ContainerAction['status']> = new Set(['succeeded', 'failed', 'expired']);

export function isFinished(action: ContainerAction): boolean {
  return FINISHED.has(action.status);
}

export type StepState = 'done' | 'current' | 'todo' | 'failed';
export interface Step {
  key: 'queued' | 'sent' | 'succeeded' | 'failed' | 'expired';
  state: StepState;
}

/** Queued → sent to the agent → the outcome; `running` means the agent took it and works on it. */
export function actionSteps(action: ContainerAction): Step[] {
  switch (action.status) {
    case 'queued':
      return [
        { key: 'queued', state: 'current' },
        { key: 'sent', state: 'todo' },
        { key: 'succeeded', state: 'todo' },
      ];
    case 'running':
      return [
        { key: 'queued', state: 'done' },
        { key: 'sent', state: 'current' },
        { key: 'succeeded', state: 'todo' },
      ];
    case 'succeeded':
      return [
        { key: 'queued', state: 'done' },
        { key: 'sent', state: 'done' },
        { key: 'succeeded', state: 'done' },
      ];
    case 'failed':
      return [
        { key: 'queued', state: 'done' },
        { key: 'sent', state: 'done' },
        { key: 'failed', state: 'failed' },
      ];
    case 'expired':
      // Never taken: the agent did not ask for it in time.
      return [
        { key: 'queued', state: 'done' },
        { key: 'expired', state: 'failed' },
      ];
  }
}

/** Memory use as a share of the limit, when there is a limit. */
export function memPercent(stats: Container['stats']): number | null {
  if (!stats?.memLimitBytes || stats.memLimitBytes <= 0) return null;
  return (stats.memUsedBytes / stats.memLimitBytes) * 100;
}

/** `0.0.0.0:8080→80/tcp` for a published port, `80/tcp` for an exposed one. */
export function formatPort(port: Container['ports'][number]): string {
  const inner = `${port.privatePort}/${port.type}`;
  if (port.publicPort === undefined) return inner;
  return `${port.ip ? `${port.ip}:` : ''}${port.publicPort}→${inner}`;
}

export function actionTone(status: ContainerAction['status']): 'ok' | 'info' | 'bad' {
  if (status === 'succeeded') return 'ok';
  return status === 'queued' || status === 'running' ? 'info' : 'bad';
}
