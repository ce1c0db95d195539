// Which topics each `emma_changes` notice belongs to. The notices are written by the services (grep
// notifyChange); they carry ids, not data, and this table is the one place that reads their shapes.
import type { Change } from '@emma/protocol';
import { CANONICAL_UUID } from '../modules/auth/tokens';

export interface Route {
  topics: string[];
  /** What the change is about: within one coalescing window the latest change per subject wins. */
  subject: string;
}

type Notice = Record<string, unknown>;

const uuid = (value: unknown): string | undefined =>
  typeof value === 'string' && CANONICAL_UUID.test(value) ? value : undefined;
const key = (value: unknown): string | undefined =>
  (typeof value === 'string' && value.length > 0 && value.length <= 128) ||
  (typeof value === 'number' && Number.isSafeInteger(value))
    ? String(value)
    : undefined;

const ROUTES: Readonly<Record<string, (n: Notice) => Route | undefined>> = {
  // A stored ingest batch: {t, a, s (batch seq), n (samples)}.
  samples: (n) => {
    const a = uuid(n.a);
    return a ? { topics: [`agent:${a}`], subject: `samples:${a}` } : undefined;
  },
  // Online/offline: {t, a, status}.
  agent: (n) => {
    const a = uuid(n.a);
    return a ? { topics: ['overview', `agent:${a}`], subject: `agent:${a}` } : undefined;
  },
  // Created, updated, deleted: {t, p, change}.
  probe: (n) => {
    const p = uuid(n.p);
    return p ? { topics: ['overview', `probe:${p}`], subject: `probe:${p}` } : undefined;
  },
  // A probe's state on one agent changed: {t, p, a, from, to}.
  probe_state: (n) => {
    const p = uuid(n.p);
    const a = uuid(n.a);
    return p && a ? { topics: ['overview', `probe:${p}`], subject: `probe_state:${p}:${a}` } : undefined;
  },
  // One container appeared, changed state or health, or went: {t, a, c, state, health, change}.
  container: (n) => {
    const a = uuid(n.a);
    const c = uuid(n.c);
    return a && c
      ? { topics: ['overview', `container:${c}`, `agent:${a}`], subject: `container:${c}` }
      : undefined;
  },
  // Too many containers of one agent changed at once to list: {t, a, n}.
  containers: (n) => {
    const a = uuid(n.a);
    return a ? { topics: ['overview', `agent:${a}`], subject: `containers:${a}` } : undefined;
  },
  // New stats for an agent's containers: {t, a, n}.
  container_stats: (n) => {
    const a = uuid(n.a);
    return a ? { topics: [`agent:${a}`], subject: `container_stats:${a}` } : undefined;
  },
  // A container action was queued, taken, finished or expired: {t, c, id, status}.
  container_action: (n) => {
    const c = uuid(n.c);
    const id = key(n.id);
    return c && id ? { topics: [`container:${c}`], subject: `container_action:${id}` } : undefined;
  },
  // Alerting (to come): {t, id, ...}.
  incident: (n) => {
    const id = key(n.id);
    return id ? { topics: ['alerts'], subject: `incident:${id}` } : undefined;
  },
  // A new audit row: {t, id}.
  audit: (n) => {
    const id = key(n.id);
    return id ? { topics: ['audit'], subject: `audit:${id}` } : undefined;
  },
};

/** The notice as a change and where it goes; undefined for a payload that is no notice eMMA knows. */
export function routeNotice(payload: string): { change: Change; route: Route } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const notice = parsed as Notice;
  if (typeof notice.t !== 'string' || !Object.hasOwn(ROUTES, notice.t)) return undefined;
  const route = ROUTES[notice.t]?.(notice);
  return route ? { change: notice as Change, route } : undefined;
}
