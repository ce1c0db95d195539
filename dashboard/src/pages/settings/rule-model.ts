// Alert rules for people: where each field goes in the form, what a rule watches in one line, and the
// PATCH that makes a stored rule equal to the form.
import { firstMessage, t } from '../../i18n';
import type { components } from '../../api/schema.gen';
import type { FieldSpec } from './schema-form';

export type Rule = components['schemas']['AlertRule'];

const GENERAL = ['name', 'severity', 'enabled'];
const NOTIFY = ['channelIds', 'repeatIntervalS', 'notifyOnResolve'];

/** The form's three parts: the rule itself, its condition (the kind's targets and the "for" time), notifications. */
export function groupFields(fields: readonly FieldSpec[]) {
  const named = (names: string[]) => names.flatMap((name) => fields.filter((f) => f.name === name));
  const condition = fields.filter((f) => !GENERAL.includes(f.name) && !NOTIFY.includes(f.name));
  // The "for" time belongs to the condition, after the kind's own fields.
  const forS = condition.filter((f) => f.name === 'forS');
  return {
    general: named(GENERAL),
    condition: [...condition.filter((f) => f.name !== 'forS'), ...forS],
    notify: named(NOTIFY),
  };
}

/** A kind's name in the current language (a kind this dashboard does not know yet keeps its own name). */
export function kindLabel(kind: string): string {
  return firstMessage(`settings.kind.${kind}`) ?? kind;
}

/** A sentence on what the kind watches; undefined for a kind without one. */
export function kindHint(kind: string): string | undefined {
  return firstMessage(`settings.kindHint.${kind}`);
}

function labelText(labels: unknown): string | undefined {
  if (typeof labels !== 'object' || labels === null) return undefined;
  const entries = Object.entries(labels as Record<string, unknown>);
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(', ') : undefined;
}

export type NameOf = (kind: 'agent' | 'probe', id: string) => string | null | undefined;

/** What the rule watches, e.g. "probe web", "agents with env=prod", "cpu.percent > 90 on all agents". */
export function targetSummary(rule: Readonly<Record<string, unknown>>, nameOf: NameOf): string {
  const parts: string[] = [];
  if (typeof rule.metric === 'string') {
    const series = labelText(rule.seriesLabels);
    parts.push(`${rule.metric}${series ? `{${series}}` : ''} ${String(rule.op)} ${String(rule.value)}`);
  }
  if (typeof rule.probeId === 'string') {
    parts.push(t('settings.rules.targetProbe', { name: nameOf('probe', rule.probeId) ?? '…' }));
  } else if (typeof rule.agentId === 'string') {
    parts.push(t('settings.rules.targetAgent', { name: nameOf('agent', rule.agentId) ?? '…' }));
  } else if (labelText(rule.labels)) {
    parts.push(t('settings.rules.targetLabels', { labels: labelText(rule.labels) ?? '' }));
  } else {
    parts.push(t('settings.rules.targetAll'));
  }
  if (typeof rule.containerName === 'string') {
    parts.push(t('settings.rules.targetContainer', { name: rule.containerName }));
  }
  if (typeof rule.days === 'number') parts.push(t('settings.rules.targetDays', { days: rule.days }));
  if (typeof rule.restarts === 'number' && typeof rule.windowS === 'number') {
    parts.push(
      t('settings.rules.targetRestarts', { restarts: rule.restarts, minutes: Math.round(rule.windowS / 60) }),
    );
  }
  return parts.join(' · ');
}

/**
 * The PATCH body that makes the stored rule what the form says: every field of the kind that the form
 * leaves empty is sent as null, which removes it (an old target goes, a default applies again).
 */
export function rulePatch(
  kind: string,
  fields: readonly FieldSpec[],
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = { kind };
  for (const field of fields) patch[field.name] = field.name in values ? values[field.name] : null;
  return patch;
}
