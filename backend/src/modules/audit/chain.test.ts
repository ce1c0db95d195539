import { describe, expect, it } from 'vitest';
import { auditHash, canonicalJson, GENESIS_HASH, scrubSecrets, type AuditContent } from './chain';

const content: AuditContent = {
  id: 7,
  occurredAt: '2025-01-02T03:04:05.678Z',
  actorId: '11111111-1111-4111-8111-111111111111',
  actorEmail: 'admin@example.test',
  action: 'user.created',
  targetType: 'user',
  targetId: '22222222-2222-4222-8222-222222222222',
  before: null,
  after: { email: 'x@example.test', role: 'viewer', nested: { a: 1, b: [1, 2] } },
  ip: '10.0.0.1',
  requestId: 'req-1',
};

describe('canonicalJson', () => {
  it('is independent of key order at every level', () => {
    const a = { b: 1, a: { d: [{ y: 2, x: 1 }], c: 'z' } };
    const b = { a: { c: 'z', d: [{ x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"z","d":[{"x":1,"y":2}]},"b":1}');
  });

  it('keeps array order, drops undefined members and writes null for null/undefined', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('s"q')).toBe(JSON.stringify('s"q'));
    expect(canonicalJson(true)).toBe('true');
  });

  it('distinguishes values that merely look alike', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });
});

describe('scrubSecrets', () => {
  it('removes password, token, secret and hash keys at any depth, keeping everything else', () => {
    const scrubbed = scrubSecrets({
      email: 'u@example.test',
      password: 'p1',
      passwordHash: 'h1',
      password_hash: 'h2',
      currentPassword: 'p2',
      refreshToken: 't1',
      accessToken: 't2',
      token: 't3',
      clientSecret: 's1',
      apiKey: 'k1',
      credentials: 'c1',
      profile: {
        name: 'U',
        deeper: [
          { secret: 's2', keep: 1 },
          { tokenHash: 'h3', keep: 2 },
        ],
        nested: { newPassword: 'p3', role: 'viewer' },
      },
    });
    expect(scrubbed).toEqual({
      email: 'u@example.test',
      profile: { name: 'U', deeper: [{ keep: 1 }, { keep: 2 }], nested: { role: 'viewer' } },
    });
    const text = JSON.stringify(scrubbed);
    for (const secret of ['p1', 'p2', 'p3', 'h1', 'h2', 'h3', 't1', 't2', 't3', 's1', 's2', 'k1', 'c1']) {
      expect(text).not.toContain(`"${secret}"`);
    }
  });

  it('returns plain JSON (dates as strings), null for nothing, and never mutates its input', () => {
    const input = { at: new Date('2025-01-01T00:00:00.000Z'), password: 'x' };
    expect(scrubSecrets(input)).toEqual({ at: '2025-01-01T00:00:00.000Z' });
    expect(input.password).toBe('x');
    expect(scrubSecrets(undefined)).toBeNull();
    expect(scrubSecrets(null)).toBeNull();
    expect(scrubSecrets([{ token: 'a' }, 3])).toEqual([{}, 3]);
  });
});

describe('auditHash', () => {
  it('is a deterministic sha256 hex digest that ignores key order of the snapshots', () => {
    const hash = auditHash(GENESIS_HASH, content);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(GENESIS_HASH, { ...content })).toBe(hash);
    const reordered = {
      ...content,
      after: { nested: { b: [1, 2], a: 1 }, role: 'viewer', email: 'x@example.test' },
    };
    expect(auditHash(GENESIS_HASH, reordered)).toBe(hash);
  });

  it('changes when the previous hash or any single field changes', () => {
    const hash = auditHash(GENESIS_HASH, content);
    expect(auditHash('1'.repeat(64), content)).not.toBe(hash);
    const variants: Partial<AuditContent>[] = [
      { id: 8 },
      { occurredAt: '2025-01-02T03:04:05.679Z' },
      { actorId: null },
      { actorEmail: 'other@example.test' },
      { action: 'user.deleted' },
      { targetType: 'session' },
      { targetId: '33333333-3333-4333-8333-333333333333' },
      { before: { email: 'x@example.test' } },
      { after: { email: 'x@example.test', role: 'admin', nested: { a: 1, b: [1, 2] } } },
      { after: { email: 'x@example.test', role: 'viewer', nested: { a: 1, b: [2, 1] } } },
      { ip: '10.0.0.2' },
      { requestId: 'req-2' },
    ];
    const seen = new Set([hash]);
    for (const variant of variants) {
      const changed = auditHash(GENESIS_HASH, { ...content, ...variant });
      expect(changed, JSON.stringify(variant)).not.toBe(hash);
      seen.add(changed);
    }
    expect(seen.size).toBe(variants.length + 1);
  });
});
