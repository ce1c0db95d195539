// Sending (or holding) one notification about an incident: the message for the rule's channels, the
// history row, and the maintenance window check. Used by the evaluation and by people's actions.
import type { NotificationEvent } from '@emma/protocol';
import type { Db } from '../../db/pool';
import { notifyChange } from '../ingest/repo';
import { enqueueNotifications } from '../notifications/queue';
import { coveringWindow } from './maintenance';
import * as repo from './repo';

export interface NotifyContext {
  windows: repo.MaintenanceRow[];
  publicUrl?: string | undefined;
  now: Date;
}

type Sendable = Exclude<NotificationEvent, 'test'>;

export async function incidentChanged(db: Db, incident: { id: string; rule_id: string }): Promise<void> {
  const current = await db.query<{ status: string }>('SELECT status FROM incidents WHERE id = $1', [
    incident.id,
  ]);
  await notifyChange(db, {
    t: 'incident',
    id: incident.id,
    status: current.rows[0]?.status ?? 'resolved',
    ruleId: incident.rule_id,
  });
}

/**
 * Sends `event` for the incident to the rule's channels, unless a maintenance window covers its subject:
 * then the notification is held ('held' in the history); an 'opened' or 'repeat' held this way goes out
 * when the window ends and the incident is still open. Returns whether it was sent.
 */
export async function notifyIncident(
  db: Db,
  rule: Pick<repo.RuleRow, 'id' | 'channel_ids' | 'severity'>,
  incident: repo.IncidentRow,
  event: Sendable,
  context: NotifyContext,
  extra: { comment?: string | null | undefined; actor?: string | null | undefined } = {},
): Promise<boolean> {
  if (rule.channel_ids.length === 0) return false;
  const window = coveringWindow(context.windows, incident.scope);
  if (window) {
    await repo.insertEvent(db, {
      incidentId: incident.id,
      kind: 'held',
      details: { event, windowId: window.id, window: window.name },
      at: context.now,
    });
    if (event === 'opened' || event === 'repeat') await repo.setHeld(db, incident.id, event);
    return false;
  }
  const fields: Record<string, string> = { rule: incident.rule_name, status: incident.status };
  if (extra.actor) fields.by = extra.actor;
  if (extra.comment) fields.comment = extra.comment.slice(0, 1000);
  const deliveries = await enqueueNotifications(
    db,
    {
      event,
      incidentId: incident.id,
      ruleId: rule.id,
      severity: incident.severity,
      title: `[${event}] ${incident.title}`.slice(0, 300),
      summary: incident.summary.slice(0, 4000),
      subject: incident.subject.slice(0, 300),
      fields,
      ...(context.publicUrl ? { url: `${context.publicUrl}/incidents/${incident.id}` } : {}),
      occurredAt: context.now.getTime(),
    },
    rule.channel_ids,
  );
  await repo.insertEvent(db, {
    incidentId: incident.id,
    kind: 'notified',
    details: { event, channels: rule.channel_ids.length, deliveries },
    at: context.now,
  });
  if (event === 'opened' || event === 'repeat') await repo.setNotified(db, incident.id, context.now);
  return true;
}
