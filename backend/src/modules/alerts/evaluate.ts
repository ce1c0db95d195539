// The worker's alert evaluation. Each rule is evaluated in its own transaction under a row lease
// (`FOR UPDATE SKIP LOCKED` on the rule), so with several workers each rule is evaluated by one at a time.
// A rule's violating subjects are computed from the current state tables; a subject must keep violating
// for the rule's "for" time before an incident opens (one per rule and subject); a cleared subject resolves
// its incident; a subject that violates again shortly after its incident resolved reopens that incident.
import { AlertRuleDefinitionSchema, type AlertRuleDefinition } from '@emma/protocol';
import { withTransaction, type Db, type Pool } from '../../db/pool';
import { activeWindows, coveringWindow } from './maintenance';
import { incidentChanged, notifyIncident, type NotifyContext } from './notify';
import * as repo from './repo';

export interface AlertSettings {
  /** A resolved incident whose condition returns within this time reopens instead of a new one. */
  reopenWindowS: number;
  /** Metric series without a sample for this long no longer count. */
  metricStaleS: number;
  publicUrl?: string | undefined;
}

export interface EvaluationResult {
  rules: number;
  skipped: number;
  opened: number;
  reopened: number;
  resolved: number;
  notified: number;
}

/** The rule as its definition (common fields and the kind's targets), as the API shows it. */
export function definitionOf(row: repo.RuleRow): AlertRuleDefinition {
  return AlertRuleDefinitionSchema.parse({
    ...row.params,
    kind: row.kind,
    name: row.name,
    severity: row.severity,
    forS: row.for_s,
    channelIds: row.channel_ids,
    repeatIntervalS: row.repeat_interval_s,
    notifyOnResolve: row.notify_on_resolve,
    enabled: row.enabled,
  });
}

export async function violations(
  db: Db,
  rule: AlertRuleDefinition,
  now: Date,
  settings: AlertSettings,
): Promise<repo.Violation[]> {
  switch (rule.kind) {
    case 'probe_down':
    case 'probe_degraded':
      return repo.probeViolations(db, rule, rule.kind === 'probe_down' ? 'down' : 'degraded');
    case 'agent_offline':
      return repo.offlineAgents(db, rule);
    case 'container_exited':
    case 'container_unhealthy':
      return repo.containerViolations(db, rule.kind, rule, now);
    case 'container_restarting':
      return repo.containerViolations(db, rule.kind, rule, now, {
        windowS: rule.windowS,
        count: rule.restarts,
      });
    case 'metric_threshold':
      return repo.metricViolations(db, rule, now, settings.metricStaleS);
    case 'tls_expiry':
      return repo.tlsViolations(db, rule, rule.days, now);
  }
}

/** Evaluates every rule once; rules another worker is evaluating right now are skipped. */
export async function evaluateAlerts(
  pool: Pool,
  settings: AlertSettings,
  now: Date = new Date(),
): Promise<EvaluationResult> {
  const total: EvaluationResult = { rules: 0, skipped: 0, opened: 0, reopened: 0, resolved: 0, notified: 0 };
  const ids = await repo.liveRuleIds(pool);
  const windows = await activeWindows(pool, now);
  const context: NotifyContext = { windows, publicUrl: settings.publicUrl, now };
  for (const id of ids) {
    const result = await withTransaction(pool, (db) => evaluateRule(db, id, settings, context));
    if (result === undefined) {
      total.skipped += 1;
      continue;
    }
    total.rules += 1;
    total.opened += result.opened;
    total.reopened += result.reopened;
    total.resolved += result.resolved;
    total.notified += result.notified;
  }
  return total;
}

type RuleResult = Omit<EvaluationResult, 'rules' | 'skipped'>;

/** One rule under its lease; undefined when another worker holds it or it is gone. */
export async function evaluateRule(
  db: Db,
  ruleId: string,
  settings: AlertSettings,
  context: NotifyContext,
): Promise<RuleResult | undefined> {
  const rule = await repo.leaseRule(db, ruleId);
  if (!rule) return undefined;
  const { now } = context;
  const result: RuleResult = { opened: 0, reopened: 0, resolved: 0, notified: 0 };
  const definition = definitionOf(rule);
  const found = rule.enabled ? await violations(db, definition, now, settings) : [];
  const bySubject = new Map(found.map((v) => [v.subject, v]));
  await repo.syncConditions(db, rule.id, [...bySubject.keys()], now);
  const since = await repo.conditions(db, rule.id);
  const live = new Map((await repo.liveIncidents(db, rule.id)).map((i) => [i.subject, i]));

  // Cleared subjects resolve their incidents.
  for (const incident of live.values()) {
    if (bySubject.has(incident.subject)) continue;
    await repo.setStatus(db, incident.id, 'resolved', now, null);
    await repo.insertEvent(db, {
      incidentId: incident.id,
      kind: 'resolved',
      comment: 'condition cleared',
      at: now,
    });
    result.resolved += 1;
    if (rule.notify_on_resolve && incident.last_notified_at !== null) {
      const resolved = { ...incident, status: 'resolved' as const };
      if (await notifyIncident(db, rule, resolved, 'resolved', context)) result.notified += 1;
    }
    await incidentChanged(db, incident);
  }

  for (const violation of bySubject.values()) {
    const existing = live.get(violation.subject);
    if (existing) {
      await repo.updateSummary(db, existing.id, violation.title, violation.summary);
      if (await followUp(db, rule, { ...existing, scope: violation.scope }, context)) result.notified += 1;
      continue;
    }
    const heldSince = since.get(violation.subject) ?? now;
    if (now.getTime() - heldSince.getTime() < rule.for_s * 1000) continue;

    const fields = {
      scope: violation.scope,
      severity: rule.severity,
      title: violation.title,
      summary: violation.summary,
    };
    // A window of 0 never reopens: the lookup would still find an incident resolved by hand after this
    // run's `now` was taken (resolved_at >= now) and reopen it.
    const previous =
      settings.reopenWindowS > 0
        ? await repo.recentlyResolved(
            db,
            rule.id,
            violation.subject,
            new Date(now.getTime() - settings.reopenWindowS * 1000),
          )
        : undefined;
    let incidentId: string;
    if (previous) {
      await repo.reopenIncident(db, previous.id, fields);
      await repo.insertEvent(db, {
        incidentId: previous.id,
        kind: 'reopened',
        details: { heldSince: heldSince.toISOString() },
        at: now,
      });
      incidentId = previous.id;
      result.reopened += 1;
    } else {
      incidentId = await repo.insertIncident(db, {
        ruleId: rule.id,
        subject: violation.subject,
        openedAt: now,
        ...fields,
      });
      await repo.insertEvent(db, {
        incidentId,
        kind: 'opened',
        details: { heldSince: heldSince.toISOString(), fields: violation.fields },
        at: now,
      });
      result.opened += 1;
    }
    const incident = await repo.findIncident(db, incidentId);
    if (incident) {
      if (await notifyIncident(db, rule, incident, 'opened', context)) result.notified += 1;
      await incidentChanged(db, incident);
    }
  }
  await repo.markEvaluated(db, rule.id, now);
  return result;
}

/** A live incident still violating: a held notification goes out once no window covers it; repeats fall due. */
async function followUp(
  db: Db,
  rule: repo.RuleRow,
  incident: repo.IncidentRow,
  context: NotifyContext,
): Promise<boolean> {
  if (incident.held_event !== null) {
    if (incident.status !== 'open') {
      await repo.setHeld(db, incident.id, null);
      return false;
    }
    if (coveringWindow(context.windows, incident.scope)) return false;
    const sent = await notifyIncident(db, rule, incident, incident.held_event, context);
    if (sent) await incidentChanged(db, incident);
    return sent;
  }
  if (incident.status !== 'open' || rule.repeat_interval_s === 0 || incident.last_notified_at === null) {
    return false;
  }
  const due = incident.last_notified_at.getTime() + rule.repeat_interval_s * 1000;
  if (context.now.getTime() < due) return false;
  const sent = await notifyIncident(db, rule, incident, 'repeat', context);
  await incidentChanged(db, incident);
  return sent;
}
