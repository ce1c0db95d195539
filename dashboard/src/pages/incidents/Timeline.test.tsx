import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n';
import type { IncidentEvent } from './incident-model';
import { Timeline } from './Timeline';

afterEach(cleanup);

const events: IncidentEvent[] = [
  {
    id: 1,
    kind: 'opened',
    actorId: null,
    actorEmail: null,
    comment: null,
    details: {},
    occurredAt: '2026-01-01T10:00:00Z',
  },
  {
    id: 2,
    kind: 'notified',
    actorId: null,
    actorEmail: null,
    comment: null,
    details: { event: 'opened', channels: 1, deliveries: 1 },
    occurredAt: '2026-01-01T10:00:01Z',
  },
  {
    id: 3,
    kind: 'commented',
    actorId: 'u1',
    actorEmail: 'olga@example',
    comment: 'disk replaced <b>now</b>',
    details: {},
    occurredAt: '2026-01-01T10:30:00Z',
  },
  {
    id: 4,
    kind: 'resolved',
    actorId: null,
    actorEmail: null,
    comment: null,
    details: {},
    occurredAt: '2026-01-01T11:00:00Z',
  },
];

describe('Timeline', () => {
  it('lists the history in order with times, comments as plain text', () => {
    setLocale('en');
    render(() => (
      <Timeline
        events={events}
        context={{ userName: () => undefined }}
        now={Date.parse('2026-01-01T12:00:00Z')}
      />
    ));
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.dataset.kind)).toEqual(['opened', 'notified', 'commented', 'resolved']);
    expect(items[2]!.textContent).toContain('olga@example commented');
    // A comment is text, never markup.
    expect(screen.getByText('disk replaced <b>now</b>').tagName).toBe('BLOCKQUOTE');
    expect(items[3]!.textContent).toContain('Resolved: the condition cleared');
    expect(items[3]!.textContent).toContain('1 hr. ago');
  });

  it('says so when there is no history', () => {
    render(() => <Timeline events={[]} context={{ userName: () => undefined }} now={0} />);
    expect(screen.getByText('No history yet.')).toBeTruthy();
  });
});
