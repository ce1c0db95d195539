import { describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n';
import {
  describeEvent,
  openSeconds,
  parseSeverity,
  parseStatus,
  subjectHref,
  subjectLabel,
  type IncidentEvent,
  type Target,
} from './incident-model';

const AGENT = '11111111-1111-4111-8111-111111111111';
const target = (overrides: Partial<Target>): Target => ({
  kind: 'probe',
  id: 'p1',
  name: 'shop',
  agentId: null,
  agentName: null,
  ...overrides,
});
const event = (overrides: Partial<IncidentEvent>): IncidentEvent => ({
  id: 1,
  kind: 'opened',
  actorId: null,
  actorEmail: null,
  comment: null,
  details: {},
  occurredAt: '2026-01-01T00:00:00Z',
  ...overrides,
});
const context = { userName: (id: string) => (id === AGENT ? 'Olga' : undefined) };

describe('incident model', () => {
  it('links each kind of subject to its page; a series to its host', () => {
    expect(subjectHref(target({}))).toBe('/probes/p1');
    expect(subjectHref(target({ kind: 'agent', id: AGENT }))).toBe(`/hosts/${AGENT}`);
    expect(subjectHref(target({ kind: 'container', id: 'c1' }))).toBe('/containers/c1');
    expect(subjectHref(target({ kind: 'series', id: '42', agentId: AGENT }))).toBe(`/hosts/${AGENT}`);
    expect(subjectHref(target({ kind: 'series', id: '42' }))).toBeUndefined();
    expect(subjectHref(null)).toBeUndefined();
  });

  it('names the subject, with its host, and says when it is gone', () => {
    setLocale('en');
    expect(subjectLabel(target({}), 'probe:p1')).toBe('Probe shop');
    expect(subjectLabel(target({ kind: 'container', name: 'nginx', agentName: 'db-1' }), 'x')).toBe(
      'Container nginx on db-1',
    );
    expect(subjectLabel(target({ kind: 'agent', name: 'db-1', agentName: 'db-1' }), 'x')).toBe('Host db-1');
    expect(subjectLabel(target({ name: null }), 'probe:p1')).toBe('probe:p1 (no longer exists)');
    expect(subjectLabel(null, 'disk:sda')).toBe('disk:sda');
    setLocale('de');
    expect(subjectLabel(target({ kind: 'series', name: 'cpu.percent', agentName: 'db-1' }), 'x')).toBe(
      'cpu.percent auf db-1',
    );
    setLocale('en');
  });

  it('counts the duration to the resolve, or to now while open', () => {
    const openedAt = '2026-01-01T00:00:00Z';
    expect(
      openSeconds({ openedAt, resolvedAt: '2026-01-01T01:00:00Z' }, Date.parse('2026-02-01T00:00:00Z')),
    ).toBe(3600);
    expect(openSeconds({ openedAt, resolvedAt: null }, Date.parse('2026-01-01T00:05:00Z'))).toBe(300);
  });

  it('reads filters from the query string, ignoring nonsense', () => {
    expect(parseStatus('acknowledged')).toBe('acknowledged');
    expect(parseStatus('closed')).toBeUndefined();
    expect(parseSeverity('critical')).toBe('critical');
    expect(parseSeverity(undefined)).toBeUndefined();
  });

  it('tells every step of the history as a sentence', () => {
    setLocale('en');
    const by = { actorId: AGENT, actorEmail: 'olga@example' };
    expect(describeEvent(event({}), context)).toEqual({ title: 'Opened: the rule’s condition held' });
    expect(describeEvent(event({ kind: 'acknowledged', ...by, comment: 'on it' }), context)).toEqual({
      title: 'Acknowledged by olga@example',
      detail: 'on it',
    });
    expect(describeEvent(event({ kind: 'commented', ...by, comment: 'restarted' }), context).detail).toBe(
      'restarted',
    );
    expect(describeEvent(event({ kind: 'assigned', ...by, details: { userId: AGENT } }), context).title).toBe(
      'olga@example assigned it to Olga',
    );
    expect(describeEvent(event({ kind: 'assigned', ...by, details: { userId: 'x' } }), context).title).toBe(
      'olga@example assigned it to a user',
    );
    expect(describeEvent(event({ kind: 'assigned', ...by, details: { userId: null } }), context).title).toBe(
      'olga@example removed the assignee',
    );
    expect(describeEvent(event({ kind: 'resolved' }), context).title).toBe('Resolved: the condition cleared');
    expect(describeEvent(event({ kind: 'resolved', ...by }), context).title).toBe('Resolved by olga@example');
    expect(
      describeEvent(
        event({ kind: 'notified', details: { event: 'repeat', channels: 2, deliveries: 2 } }),
        context,
      ).title,
    ).toBe('Notification “still firing” sent to 2 channel(s)');
    expect(
      describeEvent(event({ kind: 'held', details: { event: 'opened', window: 'patch night' } }), context)
        .title,
    ).toBe('Notification “opened” held by maintenance window patch night');
  });
});
