// All SQL of alerting: rules, the conditions under watch, incidents and their history, maintenance windows,
// and the queries that find the subjects violating each kind of rule.
import type { AlertRuleKind, IncidentEventKind, IncidentStatus, Severity } from '@emma/protocol';
import { onlyRow, type Db } from '../../db/pool';
import { containing, page, Where } from '../../db/where';

// ---------------------------------------------------------------------------------------------- rules

export interface RuleRow {
  id: string;
  name: string;
  kind: AlertRuleKind;
  severity: Severity;
  for_s: number;
  channel_ids: string[];
  repeat_interval_s: number;
  notify_on_resolve: boolean;
  enabled: boolean;
  params: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

const RULE_COLUMNS = `id, name, kind, severity, for_s, channel_ids, repeat_interval_s, notify_on_resolve, enabled,
  params, created_at, updated_at`;

export interface RuleWrite {
  name: string;
  kind: AlertRuleKind;
  severity: Severity;
  forS: number;
  channelIds: string[];
  repeatIntervalS: number;
  notifyOnResolve: boolean;
  enabled: boolean;
  params: Record<string, unknown>;
}

function ruleValues(rule: RuleWrite): unknown[] {
  return [
    rule.name,
    rule.kind,
    rule.severity,
    rule.forS,
    rule.channelIds,
    rule.repeatIntervalS,
    rule.notifyOnResolve,
    rule.enabled,
    JSON.stringify(rule.params),
  ];
}

export async function insertRule(db: Db, rule: RuleWrite, createdBy: string | null): Promise<RuleRow> {
  const result = await db.query<RuleRow>(
    `INSERT INTO alert_rules (name, kind, severity, for_s, channel_ids, repeat_interval_s, notify_on_resolve,
       enabled, params, created_by)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10) RETURNING ${RULE_COLUMNS}`,
    [...ruleValues(rule), createdBy],
  );
  return onlyRow(result);
}

export async function updateRule(db: Db, id: string, rule: RuleWrite): Promise<RuleRow> {
  const result = await db.query<RuleRow>(
    `UPDATE alert_rules SET name = $2, kind = $3, severity = $4, for_s = $5, channel_ids = $6::uuid[],
       repeat_interval_s = $7, notify_on_resolve = $8, enabled = $9, params = $10, updated_at = now()
     WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
    [id, ...ruleValues(rule)],
  );
  return onlyRow(result);
}

export async function findRule(db: Db, id: string, forUpdate = false): Promise<RuleRow | undefined> {
  const result = await db.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM alert_rules WHERE id = $1 AND deleted_at IS NULL ${forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

/** The rule row for one evaluation, or undefined when another worker holds it (the lease). */
export async function leaseRule(db: Db, id: string): Promise<RuleRow | undefined> {
  const result = await db.query<RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM alert_rules WHERE id = $1 AND deleted_at IS NULL FOR UPDATE SKIP LOCKED`,
    [id],
  );
  return result.rows[0];
}

export async function markEvaluated(db: Db, id: string, at: Date): Promise<void> {
  // No trigger on alert_rules: an evaluation is no change of the rule, so updated_at stays.
  await db.query('UPDATE alert_rules SET last_evaluated_at = $2 WHERE id = $1', [id, at]);
}

/** What notifying about a rule's incident needs, deleted rules included (their incidents live on). */
export async function ruleNotification(
  db: Db,
  id: string,
): Promise<Pick<RuleRow, 'id' | 'channel_ids' | 'severity' | 'notify_on_resolve'> | undefined> {
  const result = await db.query<Pick<RuleRow, 'id' | 'channel_ids' | 'severity' | 'notify_on_resolve'>>(
    'SELECT id, channel_ids, severity, notify_on_resolve FROM alert_rules WHERE id = $1',
    [id],
  );
  return result.rows[0];
}

export async function liveRuleIds(db: Db): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    'SELECT id FROM alert_rules WHERE deleted_at IS NULL ORDER BY last_evaluated_at NULLS FIRST, id',
  );
  return result.rows.map((r) => r.id);
}

export interface RuleFilter {
  kind?: string | undefined;
  limit: number;
  offset: number;
}

export function listRules(db: Db, filter: RuleFilter) {
  const where = new Where('deleted_at IS NULL');
  if (filter.kind) where.add('kind = ?', filter.kind);
  return page<RuleRow>(db, {
    from: 'alert_rules',
    columns: RULE_COLUMNS,
    where,
    orderBy: 'name, id',
    limit: filter.limit,
    offset: filter.offset,
  });
}

export async function softDeleteRule(db: Db, id: string): Promise<void> {
  await db.query('UPDATE alert_rules SET deleted_at = now(), updated_at = now() WHERE id = $1', [id]);
  await db.query('DELETE FROM alert_conditions WHERE rule_id = $1', [id]);
}

/** Which of these notification channels exist (and are not deleted). */
export async function existingChannels(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const result = await db.query<{ id: string }>(
    'SELECT id FROM notification_channels WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL',
    [ids],
  );
  return new Set(result.rows.map((r) => r.id));
}

export async function existing(db: Db, table: 'agents' | 'probes' | 'users', id: string): Promise<boolean> {
  const result = await db.query(`SELECT 1 FROM ${table} WHERE id = $1 AND deleted_at IS NULL`, [id]);
  return result.rowCount === 1;
}

export async function containerExists(db: Db, id: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM containers WHERE id = $1', [id]);
  return result.rowCount === 1;
}

// ---------------------------------------------------------------------------------------- violations

export interface Violation {
  subject: string;
  title: string;
  summary: string;
  fields: Record<string, string>;
  scope: {
    agentIds: string[];
    agentLabels: Record<string, string>[];
    probeId?: string;
    containerId?: string;
  };
}

interface Target {
  agentId?: string | undefined;
  probeId?: string | undefined;
  labels?: Record<string, string> | undefined;
  containerName?: string | undefined;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export async function probeViolations(
  db: Db,
  target: Target,
  state: 'down' | 'degraded',
): Promise<Violation[]> {
  const result = await db.query<{
    id: string;
    name: string;
    agent_ids: string[];
    agent_labels: Record<string, string>[];
    messages: string;
  }>(
    `SELECT p.id, p.name,
       array_agg(a.id ORDER BY a.name) FILTER (WHERE s.state = $1) AS agent_ids,
       jsonb_agg(a.labels ORDER BY a.name) FILTER (WHERE s.state = $1) AS agent_labels,
       string_agg(a.name || ': ' || coalesce(s.last_message, ''), '; ' ORDER BY a.name)
         FILTER (WHERE s.state = $1) AS messages
     FROM probes p JOIN probe_states s ON s.probe_id = p.id JOIN agents a ON a.id = s.agent_id
     WHERE p.deleted_at IS NULL AND NOT p.paused AND a.deleted_at IS NULL
       AND (p.agent_id = a.id OR (p.agent_id IS NULL AND a.labels @> p.labels))
       AND ($2::uuid IS NULL OR p.id = $2) AND ($3::jsonb IS NULL OR a.labels @> $3)
     GROUP BY p.id, p.name
     HAVING bool_or(s.state = $1) AND ($1 = 'down' OR NOT bool_or(s.state = 'down'))`,
    [state, target.probeId ?? null, json(target.labels)],
  );
  return result.rows.map((r) => ({
    subject: `probe:${r.id}`,
    title: `${r.name} is ${state}`,
    summary: r.messages,
    fields: { probe: r.name, agents: String(r.agent_ids.length) },
    scope: { agentIds: r.agent_ids, agentLabels: r.agent_labels, probeId: r.id },
  }));
}

export async function offlineAgents(db: Db, target: Target): Promise<Violation[]> {
  const result = await db.query<{
    id: string;
    name: string;
    labels: Record<string, string>;
    last_seen_at: Date | null;
  }>(
    `SELECT id, name, labels, last_seen_at FROM agents
     WHERE deleted_at IS NULL AND status = 'offline'
       AND ($1::uuid IS NULL OR id = $1) AND ($2::jsonb IS NULL OR labels @> $2)`,
    [target.agentId ?? null, json(target.labels)],
  );
  return result.rows.map((r) => ({
    subject: `agent:${r.id}`,
    title: `agent ${r.name} is offline`,
    summary: `last seen ${r.last_seen_at?.toISOString() ?? 'never'}`,
    fields: { agent: r.name },
    scope: { agentIds: [r.id], agentLabels: [r.labels] },
  }));
}

const CONTAINER_CONDITIONS = {
  container_exited: `c.state IN ('exited', 'dead')`,
  container_unhealthy: `c.health = 'unhealthy'`,
  container_restarting: `(c.state = 'restarting' OR (SELECT count(*) FROM container_events e
      WHERE e.container_ref = c.id AND e.action = 'die' AND e.ts > $4::timestamptz - make_interval(secs => $5))
      >= $6)`,
} as const;

export async function containerViolations(
  db: Db,
  kind: keyof typeof CONTAINER_CONDITIONS,
  target: Target,
  now: Date,
  restarts = { windowS: 600, count: 3 },
): Promise<Violation[]> {
  const values: unknown[] = [target.agentId ?? null, json(target.labels), target.containerName ?? null];
  if (kind === 'container_restarting') values.push(now, restarts.windowS, restarts.count);
  const result = await db.query<{
    id: string;
    name: string;
    agent_id: string;
    agent_name: string;
    agent_labels: Record<string, string>;
    state: string;
    health: string;
    exit_code: number | null;
    restart_count: number;
  }>(
    `SELECT c.id, c.name, c.agent_id, a.name AS agent_name, a.labels AS agent_labels, c.state, c.health,
       c.exit_code, c.restart_count
     FROM containers c JOIN agents a ON a.id = c.agent_id
     WHERE c.removed_at IS NULL AND a.deleted_at IS NULL
       AND ($1::uuid IS NULL OR c.agent_id = $1) AND ($2::jsonb IS NULL OR a.labels @> $2)
       AND ($3::text IS NULL OR c.name = $3)
       AND ${CONTAINER_CONDITIONS[kind]}`,
    values,
  );
  const what = {
    container_exited: 'exited',
    container_unhealthy: 'unhealthy',
    container_restarting: 'restarting in a loop',
  }[kind];
  return result.rows.map((r) => ({
    subject: `container:${r.id}`,
    title: `container ${r.name} on ${r.agent_name} is ${what}`,
    summary: `state ${r.state}, health ${r.health}, exit code ${r.exit_code === null ? '-' : String(r.exit_code)}, restarts ${String(r.restart_count)}`,
    fields: { container: r.name, agent: r.agent_name, state: r.state, health: r.health },
    scope: { agentIds: [r.agent_id], agentLabels: [r.agent_labels], containerId: r.id },
  }));
}

const OPS = { '>': '>', '>=': '>=', '<': '<', '<=': '<=' } as const;

export async function metricViolations(
  db: Db,
  rule: {
    metric: string;
    op: keyof typeof OPS;
    value: number;
    agentId?: string | undefined;
    labels?: Record<string, string> | undefined;
    seriesLabels?: Record<string, string> | undefined;
  },
  now: Date,
  staleAfterS: number,
): Promise<Violation[]> {
  const result = await db.query<{
    id: number;
    agent_id: string;
    agent_name: string;
    agent_labels: Record<string, string>;
    labels: Record<string, string>;
    last_value: number;
  }>(
    `SELECT s.id, s.agent_id, a.name AS agent_name, a.labels AS agent_labels, s.labels, s.last_value
     FROM series s JOIN agents a ON a.id = s.agent_id
     WHERE s.metric = $1 AND a.deleted_at IS NULL
       AND s.last_ts >= $2::timestamptz - make_interval(secs => $3)
       AND ($4::uuid IS NULL OR s.agent_id = $4) AND ($5::jsonb IS NULL OR a.labels @> $5)
       AND ($6::jsonb IS NULL OR s.labels @> $6)
       AND s.last_value ${OPS[rule.op]} $7`,
    [
      rule.metric,
      now,
      staleAfterS,
      rule.agentId ?? null,
      json(rule.labels),
      json(rule.seriesLabels),
      rule.value,
    ],
  );
  return result.rows.map((r) => {
    const labelText = Object.entries(r.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const series = labelText ? `${rule.metric}{${labelText}}` : rule.metric;
    return {
      subject: `series:${String(r.id)}`,
      title: `${series} on ${r.agent_name} is ${String(r.last_value)} (${rule.op} ${String(rule.value)})`,
      summary: `${series} = ${String(r.last_value)}, threshold ${rule.op} ${String(rule.value)}`,
      fields: { agent: r.agent_name, metric: series, value: String(r.last_value) },
      scope: { agentIds: [r.agent_id], agentLabels: [r.agent_labels] },
    };
  });
}

export async function tlsViolations(db: Db, target: Target, days: number, now: Date): Promise<Violation[]> {
  const result = await db.query<{
    probe_id: string;
    name: string;
    agent_id: string;
    agent_labels: Record<string, string>;
    days_left: number;
    message: string;
  }>(
    `SELECT * FROM (
       SELECT DISTINCT ON (r.probe_id) r.probe_id, p.name, r.agent_id, a.labels AS agent_labels,
         (r.details ->> 'daysLeft')::float8 AS days_left, r.message
       FROM probe_results r JOIN probes p ON p.id = r.probe_id JOIN agents a ON a.id = r.agent_id
       WHERE p.type = 'tls' AND p.deleted_at IS NULL AND NOT p.paused AND a.deleted_at IS NULL
         AND r.ts >= $1::timestamptz - interval '2 days' AND r.ts <= $1::timestamptz + interval '1 hour'
         AND jsonb_typeof(r.details -> 'daysLeft') = 'number'
         AND ($2::uuid IS NULL OR p.id = $2) AND ($3::jsonb IS NULL OR a.labels @> $3)
       ORDER BY r.probe_id, r.ts DESC) latest
     WHERE days_left < $4`,
    [now, target.probeId ?? null, json(target.labels), days],
  );
  return result.rows.map((r) => ({
    subject: `tls:${r.probe_id}`,
    title: `certificate of ${r.name} expires in ${String(Math.floor(r.days_left))} days`,
    summary: r.message,
    fields: { probe: r.name, daysLeft: String(r.days_left) },
    scope: { agentIds: [r.agent_id], agentLabels: [r.agent_labels], probeId: r.probe_id },
  }));
}

// ---------------------------------------------------------------------------------------- conditions

export async function conditions(db: Db, ruleId: string): Promise<Map<string, Date>> {
  const result = await db.query<{ subject: string; since: Date }>(
    'SELECT subject, since FROM alert_conditions WHERE rule_id = $1',
    [ruleId],
  );
  return new Map(result.rows.map((r) => [r.subject, r.since]));
}

/** Keeps exactly these subjects under watch: new ones start now, gone ones are dropped. */
export async function syncConditions(db: Db, ruleId: string, subjects: string[], now: Date): Promise<void> {
  await db.query('DELETE FROM alert_conditions WHERE rule_id = $1 AND NOT (subject = ANY($2::text[]))', [
    ruleId,
    subjects,
  ]);
  if (subjects.length === 0) return;
  await db.query(
    `INSERT INTO alert_conditions (rule_id, subject, since, last_seen_at)
     SELECT $1, s, $3, $3 FROM unnest($2::text[]) AS s
     ON CONFLICT (rule_id, subject) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
    [ruleId, subjects, now],
  );
}

export async function dropCondition(db: Db, ruleId: string, subject: string): Promise<void> {
  await db.query('DELETE FROM alert_conditions WHERE rule_id = $1 AND subject = $2', [ruleId, subject]);
}

// ----------------------------------------------------------------------------------------- incidents

export interface IncidentRow {
  id: string;
  rule_id: string;
  rule_name: string;
  subject: string;
  scope: Violation['scope'];
  status: IncidentStatus;
  severity: Severity;
  title: string;
  summary: string;
  opened_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  assignee_id: string | null;
  last_notified_at: Date | null;
  held_event: 'opened' | 'repeat' | null;
  reopen_count: number;
  updated_at: Date;
}

const INCIDENT_COLUMNS = `i.id, i.rule_id, r.name AS rule_name, i.subject, i.scope, i.status, i.severity, i.title,
  i.summary, i.opened_at, i.acknowledged_at, i.acknowledged_by, i.resolved_at, i.resolved_by, i.assignee_id,
  i.last_notified_at, i.held_event, i.reopen_count, i.updated_at`;
const INCIDENT_FROM = 'incidents i JOIN alert_rules r ON r.id = i.rule_id';

export async function findIncident(db: Db, id: string, forUpdate = false): Promise<IncidentRow | undefined> {
  const result = await db.query<IncidentRow>(
    `SELECT ${INCIDENT_COLUMNS} FROM ${INCIDENT_FROM} WHERE i.id = $1 ${forUpdate ? 'FOR UPDATE OF i' : ''}`,
    [id],
  );
  return result.rows[0];
}

export async function liveIncidents(db: Db, ruleId: string): Promise<IncidentRow[]> {
  const result = await db.query<IncidentRow>(
    `SELECT ${INCIDENT_COLUMNS} FROM ${INCIDENT_FROM} WHERE i.rule_id = $1 AND i.status <> 'resolved'`,
    [ruleId],
  );
  return result.rows;
}

/** The newest incident of this rule and subject resolved at or after `since`: it reopens instead of a new one. */
export async function recentlyResolved(
  db: Db,
  ruleId: string,
  subject: string,
  since: Date,
): Promise<IncidentRow | undefined> {
  const result = await db.query<IncidentRow>(
    `SELECT ${INCIDENT_COLUMNS} FROM ${INCIDENT_FROM}
     WHERE i.rule_id = $1 AND i.subject = $2 AND i.status = 'resolved' AND i.resolved_at >= $3
     ORDER BY i.resolved_at DESC LIMIT 1 FOR UPDATE OF i`,
    [ruleId, subject, since],
  );
  return result.rows[0];
}

export async function insertIncident(
  db: Db,
  incident: {
    ruleId: string;
    subject: string;
    scope: Violation['scope'];
    severity: Severity;
    title: string;
    summary: string;
    openedAt: Date;
  },
): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO incidents (rule_id, subject, scope, status, severity, title, summary, opened_at)
     VALUES ($1, $2, $3, 'open', $4, $5, $6, $7) RETURNING id`,
    [
      incident.ruleId,
      incident.subject,
      JSON.stringify(incident.scope),
      incident.severity,
      incident.title,
      incident.summary,
      incident.openedAt,
    ],
  );
  return onlyRow(result).id;
}

export async function reopenIncident(
  db: Db,
  id: string,
  fields: { scope: Violation['scope']; severity: Severity; title: string; summary: string },
): Promise<void> {
  await db.query(
    `UPDATE incidents SET status = 'open', resolved_at = NULL, resolved_by = NULL, acknowledged_at = NULL,
       acknowledged_by = NULL, held_event = NULL, reopen_count = reopen_count + 1, scope = $2, severity = $3,
       title = $4, summary = $5
     WHERE id = $1`,
    [id, JSON.stringify(fields.scope), fields.severity, fields.title, fields.summary],
  );
}

export async function setStatus(
  db: Db,
  id: string,
  status: 'acknowledged' | 'resolved',
  at: Date,
  by: string | null,
): Promise<void> {
  if (status === 'acknowledged') {
    await db.query(
      `UPDATE incidents SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1`,
      [id, at, by],
    );
  } else {
    await db.query(
      `UPDATE incidents SET status = 'resolved', resolved_at = $2, resolved_by = $3, held_event = NULL
       WHERE id = $1`,
      [id, at, by],
    );
  }
}

export async function setAssignee(db: Db, id: string, userId: string | null): Promise<void> {
  await db.query('UPDATE incidents SET assignee_id = $2 WHERE id = $1', [id, userId]);
}

export async function setNotified(db: Db, id: string, at: Date): Promise<void> {
  await db.query('UPDATE incidents SET last_notified_at = $2, held_event = NULL WHERE id = $1', [id, at]);
}

export async function setHeld(db: Db, id: string, event: 'opened' | 'repeat' | null): Promise<void> {
  await db.query('UPDATE incidents SET held_event = $2 WHERE id = $1', [id, event]);
}

export async function updateSummary(db: Db, id: string, title: string, summary: string): Promise<void> {
  await db.query(
    'UPDATE incidents SET title = $2, summary = $3 WHERE id = $1 AND (title <> $2 OR summary <> $3)',
    [id, title, summary],
  );
}

export interface IncidentFilter {
  status?: IncidentStatus | undefined;
  q?: string | undefined;
  severity?: Severity | undefined;
  ruleId?: string | undefined;
  limit: number;
  offset: number;
}

export function listIncidents(db: Db, filter: IncidentFilter) {
  const where = new Where();
  if (filter.status) where.add('i.status = ?', filter.status);
  if (filter.q) where.add('(i.title ILIKE ? OR i.summary ILIKE ? OR r.name ILIKE ?)', containing(filter.q));
  if (filter.severity) where.add('i.severity = ?', filter.severity);
  if (filter.ruleId) where.add('i.rule_id = ?', filter.ruleId);
  return page<IncidentRow>(db, {
    from: INCIDENT_FROM,
    columns: INCIDENT_COLUMNS,
    where,
    orderBy: 'i.opened_at DESC, i.id',
    limit: filter.limit,
    offset: filter.offset,
  });
}

/** Names of these users (deleted ones too: an incident may stay assigned to someone who left). */
export async function userNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const result = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM users WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(result.rows.map((r) => [r.id, r.name]));
}

export interface SubjectRow {
  kind: 'agent' | 'probe' | 'container' | 'series';
  id: string;
  name: string;
  agent_id: string | null;
  agent_name: string | null;
  labels: Record<string, string> | null;
}

/** The agents, probes, containers and series behind incident subjects, by kind and id. */
export async function subjects(
  db: Db,
  ids: { agents: string[]; probes: string[]; containers: string[]; series: number[] },
): Promise<SubjectRow[]> {
  if (Object.values(ids).every((list) => list.length === 0)) return [];
  const result = await db.query<SubjectRow>(
    `SELECT 'agent' AS kind, a.id::text AS id, a.name, a.id AS agent_id, a.name AS agent_name, NULL::jsonb AS labels
       FROM agents a WHERE a.id = ANY($1::uuid[])
     UNION ALL
     SELECT 'probe', p.id::text, p.name, NULL, NULL, NULL FROM probes p WHERE p.id = ANY($2::uuid[])
     UNION ALL
     SELECT 'container', c.id::text, c.name, c.agent_id, a.name, NULL
       FROM containers c JOIN agents a ON a.id = c.agent_id WHERE c.id = ANY($3::uuid[])
     UNION ALL
     SELECT 'series', s.id::text, s.metric, s.agent_id, a.name, s.labels
       FROM series s JOIN agents a ON a.id = s.agent_id WHERE s.id = ANY($4::bigint[])`,
    [ids.agents, ids.probes, ids.containers, ids.series],
  );
  return result.rows;
}

export async function resolveLiveOfRule(db: Db, ruleId: string, at: Date): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `UPDATE incidents SET status = 'resolved', resolved_at = $2, held_event = NULL
     WHERE rule_id = $1 AND status <> 'resolved' RETURNING id`,
    [ruleId, at],
  );
  return result.rows.map((r) => r.id);
}

export interface IncidentEventRow {
  id: number;
  kind: IncidentEventKind;
  actor_id: string | null;
  actor_email: string | null;
  comment: string | null;
  details: Record<string, unknown>;
  occurred_at: Date;
}

export async function insertEvent(
  db: Db,
  event: {
    incidentId: string;
    kind: IncidentEventKind;
    actorId?: string | null;
    actorEmail?: string | null;
    comment?: string | null;
    details?: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO incident_events (incident_id, kind, actor_id, actor_email, comment, details, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      event.incidentId,
      event.kind,
      event.actorId ?? null,
      event.actorEmail ?? null,
      event.comment ?? null,
      JSON.stringify(event.details ?? {}),
      event.at,
    ],
  );
}

export async function events(db: Db, incidentId: string): Promise<IncidentEventRow[]> {
  const result = await db.query<IncidentEventRow>(
    `SELECT id, kind, actor_id, actor_email, comment, details, occurred_at FROM incident_events
     WHERE incident_id = $1 ORDER BY id`,
    [incidentId],
  );
  return result.rows;
}

// --------------------------------------------------------------------------------- maintenance windows

export interface MaintenanceRow {
  id: string;
  name: string;
  reason: string;
  agent_id: string | null;
  probe_id: string | null;
  container_id: string | null;
  labels: Record<string, string> | null;
  starts_at: Date | null;
  ends_at: Date | null;
  cron: string | null;
  duration_s: number | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const WINDOW_COLUMNS = `id, name, reason, agent_id, probe_id, container_id, labels, starts_at, ends_at, cron,
  duration_s, created_by, created_at, updated_at`;

export interface WindowWrite {
  name: string;
  reason: string;
  agentId: string | null;
  probeId: string | null;
  containerId: string | null;
  labels: Record<string, string> | null;
  startsAt: string | null;
  endsAt: string | null;
  cron: string | null;
  durationS: number | null;
}

function windowValues(w: WindowWrite): unknown[] {
  return [
    w.name,
    w.reason,
    w.agentId,
    w.probeId,
    w.containerId,
    w.labels === null ? null : JSON.stringify(w.labels),
    w.startsAt,
    w.endsAt,
    w.cron,
    w.durationS,
  ];
}

export async function insertWindow(
  db: Db,
  w: WindowWrite,
  createdBy: string | null,
): Promise<MaintenanceRow> {
  const result = await db.query<MaintenanceRow>(
    `INSERT INTO maintenance_windows (name, reason, agent_id, probe_id, container_id, labels, starts_at, ends_at,
       cron, duration_s, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${WINDOW_COLUMNS}`,
    [...windowValues(w), createdBy],
  );
  return onlyRow(result);
}

export async function updateWindow(db: Db, id: string, w: WindowWrite): Promise<MaintenanceRow> {
  const result = await db.query<MaintenanceRow>(
    `UPDATE maintenance_windows SET name = $2, reason = $3, agent_id = $4, probe_id = $5, container_id = $6,
       labels = $7, starts_at = $8, ends_at = $9, cron = $10, duration_s = $11
     WHERE id = $1 RETURNING ${WINDOW_COLUMNS}`,
    [id, ...windowValues(w)],
  );
  return onlyRow(result);
}

export async function findWindow(db: Db, id: string, forUpdate = false): Promise<MaintenanceRow | undefined> {
  const result = await db.query<MaintenanceRow>(
    `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows WHERE id = $1 AND deleted_at IS NULL
     ${forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

export async function liveWindows(db: Db): Promise<MaintenanceRow[]> {
  const result = await db.query<MaintenanceRow>(
    `SELECT ${WINDOW_COLUMNS} FROM maintenance_windows
     WHERE deleted_at IS NULL AND (ends_at IS NULL OR ends_at > now() - interval '1 day')
     ORDER BY starts_at NULLS FIRST, id`,
  );
  return result.rows;
}

export function listWindows(db: Db, filter: { limit: number; offset: number }) {
  return page<MaintenanceRow>(db, {
    from: 'maintenance_windows',
    columns: WINDOW_COLUMNS,
    where: new Where('deleted_at IS NULL'),
    orderBy: 'starts_at DESC NULLS FIRST, id',
    ...filter,
  });
}

export async function softDeleteWindow(db: Db, id: string): Promise<void> {
  await db.query('UPDATE maintenance_windows SET deleted_at = now() WHERE id = $1', [id]);
}
