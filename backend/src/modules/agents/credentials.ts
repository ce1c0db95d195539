// Enrolment tokens and agent credentials are `<prefix><uuid>.<secret>`; the database keeps only the
// SHA-256 of the secret. Enrolment-token secrets are an HMAC of the token id under a key derived from the
// server secret, so the install command can be shown again later without storing the token anywhere.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CANONICAL_UUID } from '../auth/tokens';

export const ENROLLMENT_PREFIX = 'emmaet_';
export const AGENT_PREFIX = 'emmaag_';

export interface ParsedSecret {
  id: string;
  secret: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function parseSecret(prefix: string, value: string): ParsedSecret | undefined {
  if (!value.startsWith(prefix)) return undefined;
  const [id, secret, extra] = value.slice(prefix.length).split('.');
  if (extra !== undefined || id === undefined || secret === undefined) return undefined;
  if (!CANONICAL_UUID.test(id) || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return undefined;
  return { id, secret };
}

export function enrollmentTokenFor(serverSecret: string, tokenId: string): string {
  const key = createHmac('sha256', serverSecret).update('emma enrollment tokens v1').digest();
  const secret = createHmac('sha256', key).update(tokenId).digest('base64url');
  return `${ENROLLMENT_PREFIX}${tokenId}.${secret}`;
}

export function newAgentCredential(agentId: string): { credential: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { credential: `${AGENT_PREFIX}${agentId}.${secret}`, hash: hashSecret(secret) };
}
