// The agents page's pure parts: the token form (lifetimes, labels typed as "key=value, key=value", the
// request body), how tokens and agents read, and which actions an agent's state allows.
import type { components } from '../../api/schema.gen';
import { t } from '../../i18n';

export type EnrollmentToken = components['schemas']['EnrollmentToken'];
export type Agent = components['schemas']['Agent'];

export const EXPIRY_CHOICES = [
  { key: '1h', seconds: 3600 },
  { key: '24h', seconds: 86_400 },
  { key: '7d', seconds: 7 * 86_400 },
  { key: '30d', seconds: 30 * 86_400 },
  { key: '90d', seconds: 90 * 86_400 },
  { key: '365d', seconds: 365 * 86_400 },
] as const;
export const DEFAULT_EXPIRY_S = 86_400;

export interface TokenFormValues {
  name: string;
  expiresInS: number;
  maxUses: string;
  labels: string;
  requiresApproval: boolean;
}

export interface ParsedLabels {
  labels: Record<string, string>;
  /** Parts without "=" or with a name the server would refuse. */
  invalid: string[];
}

/** The server's rule for label names (protocol LabelsSchema); its own message would only say "Invalid key". */
const LABEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** "site=berlin, env=prod" (commas or new lines) → {site: 'berlin', env: 'prod'}. */
export function parseLabels(text: string): ParsedLabels {
  const labels: Record<string, string> = {};
  const invalid: string[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    if (!LABEL_NAME.test(key)) invalid.push(part);
    else labels[key] = part.slice(eq + 1).trim();
  }
  return { labels, invalid };
}

export function formatLabels(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`);
}

export interface CreateTokenBody {
  name: string;
  expiresInS: number;
  maxUses: number;
  labels: Record<string, string>;
  requiresApproval: boolean;
}

/** The request body, or the fields the browser can already tell are wrong. */
export function tokenRequest(
  values: TokenFormValues,
): { ok: true; body: CreateTokenBody } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const { labels, invalid } = parseLabels(values.labels);
  if (invalid.length > 0) fields.labels = t('enrolment.labelsInvalid', { parts: invalid.join(', ') });
  // The server checks the range; here only what JSON could not carry as a whole number.
  const maxUses = values.maxUses.trim() === '' ? 1 : Number(values.maxUses);
  if (!Number.isInteger(maxUses)) fields.maxUses = t('enrolment.wholeNumber');
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return {
    ok: true,
    body: {
      name: values.name.trim(),
      expiresInS: values.expiresInS,
      maxUses,
      labels,
      requiresApproval: values.requiresApproval,
    },
  };
}

export function tokenTone(status: EnrollmentToken['status']): string {
  return status === 'active' ? 'ok' : status === 'revoked' ? 'bad' : 'muted';
}

/** A host fact the agent reported at enrolment (version, hostname, OS …) as text, or undefined. */
export function hostFact(agent: Agent, key: string): string | undefined {
  const value = agent.host[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export type AgentAction = 'approve' | 'reject' | 'revoke' | 'rotate' | 'delete';

/** What the signed-in user may do to an agent in its state. */
export function actionsFor(agent: Agent, mayWrite: boolean): AgentAction[] {
  if (!mayWrite) return [];
  switch (agent.status) {
    case 'pending':
      return ['approve', 'reject'];
    case 'revoked':
      return ['delete'];
    default:
      return ['rotate', 'revoke'];
  }
}
