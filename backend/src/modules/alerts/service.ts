// Alerting rules for people: rules, incidents (acknowledge, resolve, comment, assign) and maintenance
// windows. Every change is audited; every incident change is NOTIFYed to the `alerts` topic.
import {
  AlertRuleDefinitionSchema,
  MaintenanceWindowInputSchema,
  type AlertRule,
  type AlertRuleDefinition,
  type Incident,
  type MaintenanceWindow,
  type MaintenanceWindowInput,
} from '@emma/protocol';
import type { Db } from '../../db/pool';
import type { RequestOrigin } from '../../http/context';
import { AppError, notFound, validationError } from '../../http/errors';
import * as audit from '../audit/service';
import { definitionOf } from './evaluate';
import { parseCron } from './cron';
import { activeWindows, isActive } from './maintenance';
import { incidentChanged, notifyIncident } from './notify';
import * as repo from './repo';
import type { IncidentTarget, IncidentView } from './schemas';

export interface AlertDeps {
  publicUrl?: string | undefined;
}

// ---------------------------------------------------------------------------------------------- rules

const COMMON_KEYS = new Set([
  'kind',
  'name',
  'severity',
  'forS',
  'channelIds',
  'repeatIntervalS',
  'notifyOnResolve',
  'enabled',
]);

export function toRule(row: repo.RuleRow): AlertRule {
  return {
    ...definitionOf(row),
    id: row.id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function unknownRef(path: string, code: string, message: string): AppError {
  return new AppError(422, code, message, [{ path, message, code }]);
}

async function checkReferences(db: Db, rule: AlertRuleDefinition): Promise<void> {
  const present = await repo.existingChannels(db, rule.channelIds);
  const missing = rule.channelIds.findIndex((id) => !present.has(id));
  if (missing >= 0) {
    throw unknownRef(`body.channelIds.${String(missing)}`, 'unknown_channel', 'No such notification channel');
  }
  if ('agentId' in rule && rule.agentId !== undefined && !(await repo.existing(db, 'agents', rule.agentId))) {
    throw unknownRef('body.agentId', 'unknown_agent', 'No such agent');
  }
  if ('probeId' in rule && rule.probeId !== undefined && !(await repo.existing(db, 'probes', rule.probeId))) {
    throw unknownRef('body.probeId', 'unknown_probe', 'No such probe');
  }
}

function toWrite(rule: AlertRuleDefinition): repo.RuleWrite {
  const params = Object.fromEntries(Object.entries(rule).filter(([key]) => !COMMON_KEYS.has(key)));
  return {
    name: rule.name,
    kind: rule.kind,
    severity: rule.severity,
    forS: rule.forS,
    channelIds: [...new Set(rule.channelIds)],
    repeatIntervalS: rule.repeatIntervalS,
    notifyOnResolve: rule.notifyOnResolve,
    enabled: rule.enabled,
    params,
  };
}

export async function createRule(
  db: Db,
  origin: RequestOrigin,
  input: AlertRuleDefinition,
): Promise<AlertRule> {
  await checkReferences(db, input);
  const row = await repo.insertRule(db, toWrite(input), origin.actorId);
  const rule = toRule(row);
  await audit.record(db, origin, {
    action: 'alert_rule.created',
    targetType: 'alert_rule',
    targetId: row.id,
    after: rule,
  });
  return rule;
}

export async function getRule(db: Db, id: string): Promise<AlertRule> {
  const row = await repo.findRule(db, id);
  if (!row) throw notFound('Alert rule');
  return toRule(row);
}

export async function listRules(db: Db, filter: repo.RuleFilter) {
  const { rows, total } = await repo.listRules(db, filter);
  return { items: rows.map(toRule), total, limit: filter.limit, offset: filter.offset };
}

export async function updateRule(
  db: Db,
  origin: RequestOrigin,
  id: string,
  patch: Record<string, unknown>,
): Promise<AlertRule> {
  const current = await repo.findRule(db, id, true);
  if (!current) throw notFound('Alert rule');
  const before = toRule(current);
  const base: Record<string, unknown> = { ...definitionOf(current) };
  // A new kind keeps only the common fields: the old kind's targets mean nothing to it.
  if (patch.kind !== undefined && patch.kind !== current.kind) {
    for (const key of Object.keys(base)) if (!COMMON_KEYS.has(key)) Reflect.deleteProperty(base, key);
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(merged, key);
    else merged[key] = value;
  }
  const parsed = AlertRuleDefinitionSchema.safeParse(merged);
  if (!parsed.success) throw validationError(parsed.error, 'body');
  await checkReferences(db, parsed.data);
  const row = await repo.updateRule(db, id, toWrite(parsed.data));
  const after = toRule(row);
  await audit.record(db, origin, {
    action: 'alert_rule.updated',
    targetType: 'alert_rule',
    targetId: id,
    before,
    after,
  });
  return after;
}

/** Soft-deletes the rule; its live incidents resolve (without notifications). */
export async function removeRule(db: Db, origin: RequestOrigin, id: string): Promise<void> {
  const current = await repo.findRule(db, id, true);
  if (!current) throw notFound('Alert rule');
  await repo.softDeleteRule(db, id);
  const now = new Date();
  for (const incidentId of await repo.resolveLiveOfRule(db, id, now)) {
    await repo.insertEvent(db, {
      incidentId,
      kind: 'resolved',
      actorId: origin.actorId,
      actorEmail: origin.actorEmail,
      comment: 'rule deleted',
      at: now,
    });
    await incidentChanged(db, { id: incidentId, rule_id: id });
  }
  await audit.record(db, origin, {
    action: 'alert_rule.deleted',
    targetType: 'alert_rule',
    targetId: id,
    before: toRule(current),
  });
}

// ------------------------------------------------------------------------------------------ incidents

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toIncident(row: repo.IncidentRow): Incident {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    subject: row.subject,
    status: row.status,
    severity: row.severity,
    title: row.title,
    summary: row.summary,
    openedAt: row.opened_at.toISOString(),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: iso(row.resolved_at),
    resolvedBy: row.resolved_by,
    assigneeId: row.assignee_id,
    lastNotifiedAt: iso(row.last_notified_at),
    reopenCount: row.reopen_count,
    updatedAt: row.updated_at.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUBJECT_KINDS: Readonly<Record<string, IncidentTarget['kind']>> = {
  agent: 'agent',
  probe: 'probe',
  tls: 'probe',
  container: 'container',
  series: 'series',
};

/** `probe:<id>`, `tls:<probe id>`, `agent:<id>`, `container:<id>`, `series:<n>` as a kind and an id. */
export function parseSubject(subject: string): { kind: IncidentTarget['kind']; id: string } | undefined {
  const colon = subject.indexOf(':');
  const kind = SUBJECT_KINDS[subject.slice(0, colon)];
  const id = subject.slice(colon + 1);
  if (colon < 0 || !kind) return undefined;
  return (kind === 'series' ? /^\d{1,18}$/.test(id) : UUID.test(id)) ? { kind, id } : undefined;
}

function seriesName(metric: string, labels: Record<string, string> | null): string {
  const text = Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return text ? `${metric}{${text}}` : metric;
}

/** The incidents with their targets (current names, the host they are on) and assignees' names. */
async function views(db: Db, rows: repo.IncidentRow[]): Promise<IncidentView[]> {
  const parsed = rows.map((row) => parseSubject(row.subject));
  const idsOf = (kind: IncidentTarget['kind']) => [
    ...new Set(parsed.filter((p) => p?.kind === kind).map((p) => p?.id ?? '')),
  ];
  const [found, names] = await Promise.all([
    repo.subjects(db, {
      agents: idsOf('agent'),
      probes: idsOf('probe'),
      containers: idsOf('container'),
      series: idsOf('series').map(Number),
    }),
    repo.userNames(db, [...new Set(rows.flatMap((r) => (r.assignee_id ? [r.assignee_id] : [])))]),
  ]);
  const byKey = new Map(found.map((f) => [`${f.kind}:${f.id}`, f]));
  return rows.map((row, i) => {
    const subject = parsed[i];
    const match = subject ? byKey.get(`${subject.kind}:${subject.id}`) : undefined;
    const target: IncidentTarget | null = subject
      ? {
          kind: subject.kind,
          id: subject.id,
          name: match ? (match.kind === 'series' ? seriesName(match.name, match.labels) : match.name) : null,
          agentId: match?.agent_id ?? null,
          agentName: match?.agent_name ?? null,
        }
      : null;
    return {
      ...toIncident(row),
      assigneeName: row.assignee_id ? (names.get(row.assignee_id) ?? null) : null,
      target,
    };
  });
}

export async function listIncidents(db: Db, filter: repo.IncidentFilter) {
  const { rows, total } = await repo.listIncidents(db, filter);
  return { items: await views(db, rows), total, limit: filter.limit, offset: filter.offset };
}

export async function getIncident(db: Db, id: string) {
  const row = await repo.findIncident(db, id);
  if (!row) throw notFound('Incident');
  const history = await repo.events(db, id);
  const view = (await views(db, [row]))[0];
  if (!view) throw notFound('Incident');
  return {
    ...view,
    history: history.map((e) => ({
      id: e.id,
      kind: e.kind,
      actorId: e.actor_id,
      actorEmail: e.actor_email,
      comment: e.comment,
      details: e.details,
      occurredAt: e.occurred_at.toISOString(),
    })),
  };
}

async function lockIncident(db: Db, id: string): Promise<repo.IncidentRow> {
  const row = await repo.findIncident(db, id, true);
  if (!row) throw notFound('Incident');
  return row;
}

async function changed(db: Db, origin: RequestOrigin, action: string, before: repo.IncidentRow) {
  const after = await getIncident(db, before.id);
  await audit.record(db, origin, {
    action,
    targetType: 'incident',
    targetId: before.id,
    before: toIncident(before),
    after: { ...after, history: undefined },
  });
  await incidentChanged(db, before);
  return after;
}

export async function acknowledge(
  deps: AlertDeps,
  db: Db,
  origin: RequestOrigin,
  id: string,
  comment: string | undefined,
) {
  const incident = await lockIncident(db, id);
  if (incident.status !== 'open') {
    throw new AppError(
      409,
      'invalid_state',
      `The incident is ${incident.status}; only an open one can be acknowledged`,
    );
  }
  const now = new Date();
  await repo.setStatus(db, id, 'acknowledged', now, origin.actorId);
  await repo.insertEvent(db, {
    incidentId: id,
    kind: 'acknowledged',
    actorId: origin.actorId,
    actorEmail: origin.actorEmail,
    comment: comment ?? null,
    at: now,
  });
  await notifyByHand(deps, db, origin, incident, 'acknowledged', now, comment);
  return changed(db, origin, 'incident.acknowledged', incident);
}

export async function resolve(
  deps: AlertDeps,
  db: Db,
  origin: RequestOrigin,
  id: string,
  comment: string | undefined,
) {
  const incident = await lockIncident(db, id);
  if (incident.status === 'resolved') {
    throw new AppError(409, 'invalid_state', 'The incident is already resolved');
  }
  const now = new Date();
  await repo.setStatus(db, id, 'resolved', now, origin.actorId);
  // The condition must hold its "for" time again before the rule opens (or reopens) the incident.
  await repo.dropCondition(db, incident.rule_id, incident.subject);
  await repo.insertEvent(db, {
    incidentId: id,
    kind: 'resolved',
    actorId: origin.actorId,
    actorEmail: origin.actorEmail,
    comment: comment ?? null,
    at: now,
  });
  await notifyByHand(deps, db, origin, incident, 'resolved', now, comment);
  return changed(db, origin, 'incident.resolved', incident);
}

/**
 * Someone acknowledged or resolved an incident: its channels hear of it, if they heard of the incident
 * before (and, for resolved, if the rule says so).
 */
async function notifyByHand(
  deps: AlertDeps,
  db: Db,
  origin: RequestOrigin,
  incident: Parameters<typeof notifyIncident>[2],
  event: 'acknowledged' | 'resolved',
  now: Date,
  comment: string | undefined,
): Promise<void> {
  const rule = await repo.ruleNotification(db, incident.rule_id);
  if (!rule || incident.last_notified_at === null) return;
  if (event === 'resolved' && !rule.notify_on_resolve) return;
  const windows = await activeWindows(db, now);
  await notifyIncident(
    db,
    rule,
    { ...incident, status: event },
    event,
    { windows, publicUrl: deps.publicUrl, now },
    { comment, actor: origin.actorEmail },
  );
}

export async function comment(db: Db, origin: RequestOrigin, id: string, text: string) {
  const incident = await lockIncident(db, id);
  await repo.insertEvent(db, {
    incidentId: id,
    kind: 'commented',
    actorId: origin.actorId,
    actorEmail: origin.actorEmail,
    comment: text,
    at: new Date(),
  });
  return changed(db, origin, 'incident.commented', incident);
}

export async function assign(db: Db, origin: RequestOrigin, id: string, userId: string | null) {
  const incident = await lockIncident(db, id);
  if (userId !== null && !(await repo.existing(db, 'users', userId))) {
    throw unknownRef('body.userId', 'unknown_user', 'No such user');
  }
  await repo.setAssignee(db, id, userId);
  await repo.insertEvent(db, {
    incidentId: id,
    kind: 'assigned',
    actorId: origin.actorId,
    actorEmail: origin.actorEmail,
    details: { userId },
    at: new Date(),
  });
  return changed(db, origin, 'incident.assigned', incident);
}

// -------------------------------------------------------------------------------- maintenance windows

export function toWindow(row: repo.MaintenanceRow, now = new Date()): MaintenanceWindow {
  return {
    id: row.id,
    name: row.name,
    reason: row.reason,
    agentId: row.agent_id,
    probeId: row.probe_id,
    containerId: row.container_id,
    labels: row.labels,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    cron: row.cron,
    durationS: row.duration_s,
    active: isActive(row, now),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function checkWindow(db: Db, w: MaintenanceWindowInput): Promise<repo.WindowWrite> {
  if (w.cron !== undefined) {
    try {
      parseCron(w.cron);
    } catch (err) {
      const message = err instanceof Error ? err.message : 'invalid cron expression';
      throw new AppError(400, 'validation_failed', 'Invalid body', [
        { path: 'body.cron', message, code: 'custom' },
      ]);
    }
  }
  if (w.agentId !== undefined && !(await repo.existing(db, 'agents', w.agentId))) {
    throw unknownRef('body.agentId', 'unknown_agent', 'No such agent');
  }
  if (w.probeId !== undefined && !(await repo.existing(db, 'probes', w.probeId))) {
    throw unknownRef('body.probeId', 'unknown_probe', 'No such probe');
  }
  if (w.containerId !== undefined && !(await repo.containerExists(db, w.containerId))) {
    throw unknownRef('body.containerId', 'unknown_container', 'No such container');
  }
  return {
    name: w.name,
    reason: w.reason,
    agentId: w.agentId ?? null,
    probeId: w.probeId ?? null,
    containerId: w.containerId ?? null,
    labels: w.labels ?? null,
    startsAt: w.startsAt ?? null,
    endsAt: w.endsAt ?? null,
    cron: w.cron ?? null,
    durationS: w.durationS ?? null,
  };
}

function windowInput(row: repo.MaintenanceRow): Record<string, unknown> {
  const w = toWindow(row);
  const input: Record<string, unknown> = { name: w.name, reason: w.reason };
  for (const key of [
    'agentId',
    'probeId',
    'containerId',
    'labels',
    'startsAt',
    'endsAt',
    'cron',
    'durationS',
  ] as const) {
    if (w[key] !== null) input[key] = w[key];
  }
  return input;
}

export async function createWindow(db: Db, origin: RequestOrigin, input: MaintenanceWindowInput) {
  const row = await repo.insertWindow(db, await checkWindow(db, input), origin.actorId);
  const window = toWindow(row);
  await audit.record(db, origin, {
    action: 'maintenance_window.created',
    targetType: 'maintenance_window',
    targetId: row.id,
    after: window,
  });
  return window;
}

export async function getWindow(db: Db, id: string) {
  const row = await repo.findWindow(db, id);
  if (!row) throw notFound('Maintenance window');
  return toWindow(row);
}

export async function listWindows(db: Db, filter: { limit: number; offset: number }) {
  const { rows, total } = await repo.listWindows(db, filter);
  const now = new Date();
  return { items: rows.map((r) => toWindow(r, now)), total, limit: filter.limit, offset: filter.offset };
}

export async function updateWindow(
  db: Db,
  origin: RequestOrigin,
  id: string,
  patch: Record<string, unknown>,
) {
  const current = await repo.findWindow(db, id, true);
  if (!current) throw notFound('Maintenance window');
  const merged = windowInput(current);
  const scopeKeys = ['agentId', 'probeId', 'containerId', 'labels'];
  // A new scope replaces the old one.
  if (scopeKeys.some((k) => patch[k] !== undefined && patch[k] !== null)) {
    for (const k of scopeKeys) Reflect.deleteProperty(merged, k);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(merged, key);
    else merged[key] = value;
  }
  const parsed = MaintenanceWindowInputSchema.safeParse(merged);
  if (!parsed.success) throw validationError(parsed.error, 'body');
  const row = await repo.updateWindow(db, id, await checkWindow(db, parsed.data));
  const after = toWindow(row);
  await audit.record(db, origin, {
    action: 'maintenance_window.updated',
    targetType: 'maintenance_window',
    targetId: id,
    before: toWindow(current),
    after,
  });
  return after;
}

export async function removeWindow(db: Db, origin: RequestOrigin, id: string): Promise<void> {
  const current = await repo.findWindow(db, id, true);
  if (!current) throw notFound('Maintenance window');
  await repo.softDeleteWindow(db, id);
  await audit.record(db, origin, {
    action: 'maintenance_window.deleted',
    targetType: 'maintenance_window',
    targetId: id,
    before: toWindow(current),
  });
}
