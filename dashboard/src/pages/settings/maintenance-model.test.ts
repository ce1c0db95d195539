import { describe, expect, it } from 'vitest';
import {
  formOf,
  fromLocalInput,
  phaseOf,
  toLocalInput,
  windowBody,
  withoutNulls,
  type MaintenanceWindow,
} from './maintenance-model';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const AGENT = '0b9d6f1e-6c1a-4a7e-9a55-3f1c2d4e5f60';

function window(overrides: Partial<MaintenanceWindow>): MaintenanceWindow {
  return {
    id: 'w',
    name: 'patching',
    reason: '',
    agentId: AGENT,
    probeId: null,
    containerId: null,
    labels: null,
    startsAt: null,
    endsAt: null,
    cron: null,
    durationS: null,
    active: false,
    createdBy: null,
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
    ...overrides,
  };
}

describe('maintenance windows', () => {
  it('places one-off windows by the clock and recurring ones by the server', () => {
    const once = (startsAt: string, endsAt: string) => phaseOf(window({ startsAt, endsAt }), NOW);
    expect(once('2026-03-10T11:00:00Z', '2026-03-10T13:00:00Z')).toBe('active');
    expect(once('2026-03-10T13:00:00Z', '2026-03-10T14:00:00Z')).toBe('upcoming');
    expect(once('2026-03-10T10:00:00Z', '2026-03-10T12:00:00Z')).toBe('past');
    const weekly = { cron: '0 2 * * 0', durationS: 3600 };
    expect(phaseOf(window({ ...weekly, active: true }), NOW)).toBe('active');
    expect(phaseOf(window({ ...weekly, active: false }), NOW)).toBe('upcoming');
    expect(phaseOf(window({ ...weekly, endsAt: '2026-03-01T00:00:00Z' }), NOW)).toBe('past');
  });

  it('converts between local date-time inputs and ISO times', () => {
    const local = toLocalInput('2026-03-10T12:34:56Z');
    expect(local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    expect(fromLocalInput(local)).toBe('2026-03-10T12:34:00.000Z');
    expect(toLocalInput(null)).toBe('');
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('nonsense')).toBeUndefined();
  });

  it('builds a one-off body with exactly one scope, nulls for the rest', () => {
    const form = { ...formOf(undefined, NOW), name: ' deploy ', targetId: AGENT };
    const { body, errors } = windowBody(form);
    expect(errors).toEqual({});
    expect(body).toMatchObject({ name: 'deploy', agentId: AGENT, probeId: null, labels: null, cron: null });
    expect(Date.parse(String(body.endsAt)) - Date.parse(String(body.startsAt))).toBe(3_600_000);
    expect(withoutNulls(body)).toEqual({
      name: 'deploy',
      reason: '',
      agentId: AGENT,
      startsAt: body.startsAt,
      endsAt: body.endsAt,
    });
  });

  it('builds a recurring body by labels, in seconds', () => {
    const form = {
      ...formOf(undefined, NOW),
      name: 'nightly',
      scope: 'labels' as const,
      labels: [
        ['env', 'prod'],
        ['', 'x'],
      ] as [string, string][],
      recurring: true,
      cron: '0 2 * * *',
      durationMin: '90',
      startsAt: '',
      endsAt: '',
    };
    const { body, errors } = windowBody(form);
    expect(errors).toEqual({});
    expect(withoutNulls(body)).toEqual({
      name: 'nightly',
      reason: '',
      labels: { env: 'prod' },
      cron: '0 2 * * *',
      durationS: 5400,
    });
  });

  it('says what is missing or wrong before sending', () => {
    const base = formOf(undefined, NOW);
    expect(windowBody({ ...base, name: '', scope: 'probe' }).errors).toEqual({
      name: 'settings.error.required',
      probeId: 'settings.error.required',
    });
    expect(windowBody({ ...base, name: 'x', targetId: AGENT, endsAt: base.startsAt }).errors).toEqual({
      endsAt: 'settings.error.endBeforeStart',
    });
    expect(
      windowBody({ ...base, name: 'x', scope: 'labels', recurring: true, cron: ' ', durationMin: '0' })
        .errors,
    ).toEqual({
      labels: 'settings.error.required',
      cron: 'settings.error.required',
      durationS: 'settings.error.integer',
    });
  });

  it('fills the form from a stored window', () => {
    const stored = window({
      agentId: null,
      containerId: AGENT,
      cron: '30 1 * * 1',
      durationS: 1800,
      reason: 'kernel',
    });
    expect(formOf(stored, NOW)).toMatchObject({
      scope: 'container',
      targetId: AGENT,
      recurring: true,
      cron: '30 1 * * 1',
      durationMin: '30',
      reason: 'kernel',
      startsAt: '',
    });
  });
});
