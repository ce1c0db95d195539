// Maintenance windows for people: active, upcoming or past; local date-time inputs to and from the API's
// ISO times; the form's state to and from the API's body (exactly one scope; one-off or recurring).
import type { components } from '../../api/schema.gen';

export type MaintenanceWindow = components['schemas']['MaintenanceWindow'];
export type WindowPhase = 'active' | 'upcoming' | 'past';
export type ScopeKind = 'agent' | 'probe' | 'container' | 'labels';

/** Where a window stands at `now`: one-offs by their times, recurring ones by the server's `active`. */
export function phaseOf(window: MaintenanceWindow, now: number): WindowPhase {
  const starts = window.startsAt ? Date.parse(window.startsAt) : undefined;
  const ends = window.endsAt ? Date.parse(window.endsAt) : undefined;
  if (ends !== undefined && ends <= now) return 'past';
  if (window.cron === null) {
    return starts !== undefined && starts > now ? 'upcoming' : 'active';
  }
  return window.active ? 'active' : 'upcoming';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as a `datetime-local` value in the browser's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (browser's time zone) as an ISO time; undefined when empty or invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export interface WindowForm {
  name: string;
  reason: string;
  scope: ScopeKind;
  /** The chosen agent, probe or container id. */
  targetId: string;
  labels: [string, string][];
  recurring: boolean;
  startsAt: string;
  endsAt: string;
  cron: string;
  durationMin: string;
}

export function scopeOf(window: MaintenanceWindow): ScopeKind {
  if (window.probeId) return 'probe';
  if (window.containerId) return 'container';
  if (window.labels) return 'labels';
  return 'agent';
}

export function formOf(window: MaintenanceWindow | undefined, now: number): WindowForm {
  if (!window) {
    return {
      name: '',
      reason: '',
      scope: 'agent',
      targetId: '',
      labels: [],
      recurring: false,
      startsAt: toLocalInput(new Date(now).toISOString()),
      endsAt: toLocalInput(new Date(now + 3_600_000).toISOString()),
      cron: '',
      durationMin: '60',
    };
  }
  return {
    name: window.name,
    reason: window.reason,
    scope: scopeOf(window),
    targetId: window.agentId ?? window.probeId ?? window.containerId ?? '',
    labels: Object.entries(window.labels ?? {}),
    recurring: window.cron !== null,
    startsAt: toLocalInput(window.startsAt),
    endsAt: toLocalInput(window.endsAt),
    cron: window.cron ?? '',
    durationMin: window.durationS === null ? '60' : String(Math.round(window.durationS / 60)),
  };
}

const SCOPE_KEYS: Record<Exclude<ScopeKind, 'labels'>, string> = {
  agent: 'agentId',
  probe: 'probeId',
  container: 'containerId',
};

/**
 * The request body, with null for everything the form does not use (a PATCH removes it; a POST leaves nulls
 * out), and the fields the browser already knows are wrong (message keys).
 */
export function windowBody(form: WindowForm): {
  body: Record<string, unknown>;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const body: Record<string, unknown> = {
    name: form.name.trim(),
    reason: form.reason.trim(),
    agentId: null,
    probeId: null,
    containerId: null,
    labels: null,
    startsAt: fromLocalInput(form.startsAt) ?? null,
    endsAt: fromLocalInput(form.endsAt) ?? null,
    cron: null,
    durationS: null,
  };
  if (body.name === '') errors.name = 'settings.error.required';
  if (form.scope === 'labels') {
    const rows = form.labels.filter(([k]) => k.trim() !== '');
    if (rows.length === 0) errors.labels = 'settings.error.required';
    else body.labels = Object.fromEntries(rows.map(([k, v]) => [k.trim(), v]));
  } else if (form.targetId === '') {
    errors[SCOPE_KEYS[form.scope]] = 'settings.error.required';
  } else {
    body[SCOPE_KEYS[form.scope]] = form.targetId;
  }
  if (form.recurring) {
    body.cron = form.cron.trim();
    if (body.cron === '') errors.cron = 'settings.error.required';
    const minutes = Number(form.durationMin);
    if (!Number.isInteger(minutes) || minutes < 1) errors.durationS = 'settings.error.integer';
    else body.durationS = minutes * 60;
  } else {
    if (body.startsAt === null) errors.startsAt = 'settings.error.required';
    if (body.endsAt === null) errors.endsAt = 'settings.error.required';
    if (
      typeof body.startsAt === 'string' &&
      typeof body.endsAt === 'string' &&
      Date.parse(body.endsAt) <= Date.parse(body.startsAt)
    ) {
      errors.endsAt = 'settings.error.endBeforeStart';
    }
  }
  return { body, errors };
}

/** A POST takes no nulls: the fields the form does not use are left out. */
export function withoutNulls(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}
