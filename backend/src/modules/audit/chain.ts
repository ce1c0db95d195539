// Pure functions of the audit hash chain: each row's hash covers its content and the previous row's hash.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  id: number;
  occurredAt: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  requestId: string | null;
}

/** JSON with object keys sorted at every level, so the same content always hashes the same (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function auditHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

const SECRET_KEY = /pass(word)?|secret|token|hash|credential|api[-_]?key/i;

/** Secret-looking keys holding text or structure; flags such as mustChangePassword: true stay visible. */
function isSecretField(key: string, value: unknown): boolean {
  return SECRET_KEY.test(key) && typeof value !== 'boolean' && typeof value !== 'number' && value !== null;
}

/** Copies a before/after snapshot as plain JSON without any secret-looking field. */
export function scrubSecrets(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const plain: unknown = JSON.parse(JSON.stringify(value));
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node as Record<string, unknown>)
          .filter(([key, v]) => !isSecretField(key, v))
          .map(([key, v]) => [key, walk(v)]),
      );
    }
    return node;
  };
  return walk(plain);
}
