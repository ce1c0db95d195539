import { describe, expect, it } from 'vitest';
import {
  actorOf,
  appendOlder,
  auditQuery,
  EMPTY_FILTER,
  filterFromParams,
  filterToParams,
  mergeNewest,
  prettyJson,
  targetOf,
  type AuditEntry,
} from './audit';

function entry(id: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    occurredAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
    actorId: null,
    actorEmail: 'admin@example.test',
    action: 'user.created',
    targetType: 'user',
    targetId: '7f1c2d3e-0000-4000-8000-000000000001',
    before: null,
    after: null,
    ip: null,
    requestId: null,
    hash: `h${id}`,
    prevHash: `h${id - 1}`,
    ...extra,
  };
}
const ids = (list: { items: AuditEntry[] }) => list.items.map((e) => e.id);

describe('audit filter', () => {
  it('round-trips through the URL, leaving out empty fields', () => {
    const filter = { ...EMPTY_FILTER, action: 'user.*', targetId: ' ' };
    expect(filterToParams(filter)).toEqual({
      actorId: undefined,
      action: 'user.*',
      targetType: undefined,
      targetId: undefined,
      from: undefined,
      to: undefined,
    });
    expect(filterFromParams({ action: 'user.*', targetType: ['agent', 'user'] })).toEqual({
      ...EMPTY_FILTER,
      action: 'user.*',
      targetType: 'agent',
    });
  });

  it('becomes an API query with ISO times, a lowercase action and the cursor', () => {
    const local = '2025-03-01T10:30';
    expect(
      auditQuery(
        { ...EMPTY_FILTER, action: ' User.* ', targetType: 'user', from: local, to: 'not a time' },
        100,
        42,
      ),
    ).toEqual({
      limit: 100,
      action: 'user.*',
      targetType: 'user',
      from: new Date(local).toISOString(),
      before: 42,
    });
    expect(auditQuery(EMPTY_FILTER, 50)).toEqual({ limit: 50 });
  });
});

describe('live audit list', () => {
  it('puts new entries on top and keeps the older pages and their cursor', () => {
    const shown = { items: [entry(5), entry(4), entry(3)], cursor: 3 };
    const merged = mergeNewest(shown, { items: [entry(7), entry(6), entry(5), entry(4)], nextCursor: 4 }, 4);
    expect(ids(merged)).toEqual([7, 6, 5, 4, 3]);
    expect(merged.cursor).toBe(3);
  });

  it('keeps the same list when nothing is new', () => {
    const shown = { items: [entry(5)], cursor: null };
    expect(mergeNewest(shown, { items: [entry(5)], nextCursor: null }, 10)).toBe(shown);
  });

  it('starts over from the fresh page when more arrived than one page holds', () => {
    const shown = { items: [entry(2), entry(1)], cursor: null };
    const fresh = { items: [entry(9), entry(8), entry(7)], nextCursor: 7 };
    expect(mergeNewest(shown, fresh, 3)).toEqual({ items: fresh.items, cursor: 7 });
  });

  it('takes the first page as it is', () => {
    const fresh = { items: [entry(2), entry(1)], nextCursor: null };
    expect(mergeNewest({ items: [], cursor: null }, fresh, 100)).toEqual({
      items: fresh.items,
      cursor: null,
    });
  });

  it('appends older pages without repeating entries', () => {
    const shown = { items: [entry(9), entry(8)], cursor: 8 };
    const older = appendOlder(shown, { items: [entry(8), entry(7), entry(6)], nextCursor: null });
    expect(ids(older)).toEqual([9, 8, 7, 6]);
    expect(older.cursor).toBeNull();
  });
});

describe('audit entry text', () => {
  it('names the actor, falling back to the id and then the system', () => {
    expect(actorOf(entry(1))).toBe('admin@example.test');
    expect(actorOf(entry(1, { actorEmail: null, actorId: 'u-1' }))).toBe('u-1');
    expect(actorOf(entry(1, { actorEmail: null, actorId: null }))).toBe('system');
  });

  it('shortens long target ids', () => {
    expect(targetOf(entry(1))).toBe('user 7f1c2d3e…');
    expect(targetOf(entry(1, { targetType: 'probe', targetId: '12' }))).toBe('probe 12');
    expect(targetOf(entry(1, { targetType: null, targetId: null }))).toBe('–');
    expect(targetOf(entry(1, { targetId: null }))).toBe('user');
  });

  it('pretty-prints before and after', () => {
    expect(prettyJson({ role: 'viewer' })).toBe('{\n  "role": "viewer"\n}');
    expect(prettyJson(null)).toBe('–');
  });
});
