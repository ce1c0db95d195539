// Incidents for people: what an incident is about and where that lives in the dashboard, how long it has
// been open, and each history entry as a sentence.
import type { components } from '../../api/schema.gen';
import { t } from '../../i18n';
import { formatRelative } from '../../lib/format';

export type Incident = components['schemas']['IncidentView'];
export type IncidentDetail = components['schemas']['IncidentDetail'];
export type IncidentEvent = IncidentDetail['history'][number];
export type Target = components['schemas']['IncidentTarget'];
export type IncidentStatus = Incident['status'];
export type Severity = Incident['severity'];

export const STATUSES: readonly IncidentStatus[] = ['open', 'acknowledged', 'resolved'];
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

export function parseStatus(value: unknown): IncidentStatus | undefined {
  return STATUSES.find((s) => s === value);
}

export function parseSeverity(value: unknown): Severity | undefined {
  return SEVERITIES.find((s) => s === value);
}

/** The dashboard page of what the incident is about: the host, probe or container (a series: its host). */
export function subjectHref(target: Target | null): string | undefined {
  if (!target) return undefined;
  switch (target.kind) {
    case 'agent':
      return `/hosts/${target.id}`;
    case 'probe':
      return `/probes/${target.id}`;
    case 'container':
      return `/containers/${target.id}`;
    case 'series':
      return target.agentId ? `/hosts/${target.agentId}` : undefined;
  }
}

/** "Host db-1", "Probe shop", "Container nginx on db-1", "fs.used.bytes{mount=/} on db-1". */
export function subjectLabel(target: Target | null, subject: string): string {
  if (!target) return subject;
  if (target.name === null) return t('incidents.subject.gone', { subject });
  const on =
    target.agentName && target.kind !== 'agent' ? t('incidents.subject.on', { host: target.agentName }) : '';
  return `${t(`incidents.subject.${target.kind}`, { name: target.name })}${on}`;
}

/** Seconds from opening to resolving, or to now while it is still live. */
export function openSeconds(incident: Pick<Incident, 'openedAt' | 'resolvedAt'>, now: number): number {
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  return Math.max(0, (end - Date.parse(incident.openedAt)) / 1000);
}

/** "3 min ago"; a time a little ahead of this browser's clock (skew, a tick not yet taken) reads "now". */
export function ago(iso: string, now: number): string {
  return formatRelative(iso, Math.max(now, Date.parse(iso) || now));
}

export interface EventText {
  /** One sentence: who did what. */
  title: string;
  /** A comment or other words worth showing under it. */
  detail?: string;
}

export interface EventContext {
  /** A user's name by id, when known. */
  userName: (id: string) => string | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A history entry as people read it. */
export function describeEvent(event: IncidentEvent, context: EventContext): EventText {
  const actor = event.actorEmail ?? t('incidents.timeline.system');
  const comment = event.comment ?? undefined;
  const withComment = (title: string): EventText => (comment ? { title, detail: comment } : { title });
  const notice = text(event.details.event);
  const noticeName = notice ? t(`incidents.notice.${notice}`) : '';
  switch (event.kind) {
    case 'opened':
      return { title: t('incidents.timeline.opened') };
    case 'reopened':
      return { title: t('incidents.timeline.reopened') };
    case 'acknowledged':
      return withComment(t('incidents.timeline.acknowledged', { actor }));
    case 'commented':
      return withComment(t('incidents.timeline.commented', { actor }));
    case 'assigned': {
      const userId = text(event.details.userId);
      if (!userId) return { title: t('incidents.timeline.unassigned', { actor }) };
      const user = context.userName(userId) ?? t('incidents.timeline.someone');
      return { title: t('incidents.timeline.assigned', { actor, user }) };
    }
    case 'resolved':
      return event.actorId || event.actorEmail
        ? withComment(t('incidents.timeline.resolvedBy', { actor }))
        : withComment(t('incidents.timeline.resolvedAuto'));
    case 'notified':
      return {
        title: t('incidents.timeline.notified', {
          event: noticeName,
          channels: text(event.details.channels) ?? '?',
        }),
      };
    case 'held':
      return {
        title: t('incidents.timeline.held', { event: noticeName, window: text(event.details.window) ?? '?' }),
      };
  }
}
