// The audit tab's pure parts: filters ⇄ URL and query, merging live pages, and how an entry reads.
import type { components, paths } from '../../api/schema.gen';

export type AuditEntry = components['schemas']['AuditEntry'];
export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
export interface AuditPage {
  items: AuditEntry[];
  nextCursor: number | null;
}

/** What the filter form holds; times as the `datetime-local` inputs write them (local time). */
export interface AuditFilter {
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
}
export const FILTER_KEYS = ['actorId', 'action', 'targetType', 'targetId', 'from', 'to'] as const;
export const EMPTY_FILTER: AuditFilter = {
  actorId: '',
  action: '',
  targetType: '',
  targetId: '',
  from: '',
  to: '',
};

export function filterFromParams(
  params: Readonly<Partial<Record<string, string | string[] | undefined>>>,
): AuditFilter {
  const filter = { ...EMPTY_FILTER };
  for (const key of FILTER_KEYS) {
    const value = params[key];
    // A parameter given twice: the first wins.
    filter[key] = (Array.isArray(value) ? value[0] : value) ?? '';
  }
  return filter;
}

/** Only the set fields, for the URL (so a filtered view can be linked). */
export function filterToParams(filter: AuditFilter): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  for (const key of FILTER_KEYS) params[key] = filter[key].trim() || undefined;
  return params;
}

function isoFromLocal(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The API query of a filter; empty fields are left out, local times become ISO instants. */
export function auditQuery(filter: AuditFilter, limit: number, before?: number): AuditQuery {
  const query: AuditQuery = { limit };
  const text = (value: string) => value.trim() || undefined;
  const set = <K extends keyof AuditQuery>(key: K, value: AuditQuery[K] | undefined) => {
    if (value !== undefined) query[key] = value;
  };
  set('actorId', text(filter.actorId));
  // Actions are lowercase on the server; "User.*" should still find them.
  set('action', text(filter.action)?.toLowerCase());
  set('targetType', text(filter.targetType));
  set('targetId', text(filter.targetId));
  set('from', isoFromLocal(filter.from));
  set('to', isoFromLocal(filter.to));
  set('before', before);
  return query;
}

export interface AuditList {
  items: AuditEntry[];
  /** Where the next older page starts; null when everything is loaded. */
  cursor: number | null;
}

/**
 * Puts a freshly read newest page on top of what is shown. When the fresh page is full and shares nothing
 * with the list, entries between them may be missing, so the list restarts from the fresh page.
 */
export function mergeNewest(current: AuditList, fresh: AuditPage, limit: number): AuditList {
  const newestShown = current.items[0]?.id;
  if (newestShown === undefined) return { items: fresh.items, cursor: fresh.nextCursor };
  const added = fresh.items.filter((entry) => entry.id > newestShown);
  if (added.length === 0) return current;
  if (added.length >= limit) return { items: fresh.items, cursor: fresh.nextCursor };
  return { items: [...added, ...current.items], cursor: current.cursor };
}

/** Appends an older page, skipping anything already shown. */
export function appendOlder(current: AuditList, older: AuditPage): AuditList {
  const oldestShown = current.items[current.items.length - 1]?.id ?? Number.POSITIVE_INFINITY;
  return {
    items: [...current.items, ...older.items.filter((entry) => entry.id < oldestShown)],
    cursor: older.nextCursor,
  };
}

/** Who did it: a user's email, `agent:<id>`, `system`, or the bare id. */
export function actorOf(entry: AuditEntry): string {
  return entry.actorEmail ?? entry.actorId ?? 'system';
}

/** "user 1c2d…" style: the target type with a short id (full id in the details). */
export function targetOf(entry: AuditEntry): string {
  if (!entry.targetType) return entry.targetId ?? '–';
  if (!entry.targetId) return entry.targetType;
  const id = entry.targetId.length > 13 ? `${entry.targetId.slice(0, 8)}…` : entry.targetId;
  return `${entry.targetType} ${id}`;
}

/** Pretty JSON for the details view; "–" for nothing. */
export function prettyJson(value: unknown): string {
  return value === null || value === undefined ? '–' : JSON.stringify(value, null, 2);
}
