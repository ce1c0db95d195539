// Access tokens are short-lived HS256 JWTs (algorithm pinned on verify); refresh tokens are random,
// single-use, and stored only as a SHA-256 hash (they carry 256 bits of entropy, so a fast hash is enough).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { RoleSchema, type Role } from '@emma/protocol';
import { unauthorized } from '../../http/errors';

const ISSUER = 'emma';
/** Only a canonical uuid may reach a uuid column; anything else would make PostgreSQL fail the request. */
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AUDIENCE = 'emma-api';

const AccessClaimsSchema = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
  role: RoleSchema,
});
export type AccessClaims = z.infer<typeof AccessClaimsSchema>;

export function signAccessToken(secret: string, claims: AccessClaims, ttlS: number): string {
  return jwt.sign({ sid: claims.sid, role: claims.role }, secret, {
    algorithm: 'HS256',
    expiresIn: ttlS,
    subject: claims.sub,
    issuer: ISSUER,
    audience: AUDIENCE,
    jwtid: randomUUID(),
  });
}

export function verifyAccessToken(secret: string, token: string): AccessClaims {
  return verifyAccess(secret, token).claims;
}

/** The claims and the token's expiry (the realtime server closes a connection when its token expires). */
export function verifyAccess(secret: string, token: string): { claims: AccessClaims; expiresAt: Date } {
  let payload: unknown;
  try {
    payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw unauthorized('Access token expired', 'token_expired');
    throw unauthorized('Invalid access token', 'invalid_token');
  }
  const claims = AccessClaimsSchema.safeParse(payload);
  const exp = (payload as { exp?: unknown } | null)?.exp;
  if (!claims.success || typeof exp !== 'number') throw unauthorized('Invalid access token', 'invalid_token');
  return { claims: claims.data, expiresAt: new Date(exp * 1000) };
}

export interface IssuedRefreshToken {
  id: string;
  token: string;
  hash: string;
}

export function issueRefreshToken(): IssuedRefreshToken {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, hash: hashSecret(secret) };
}

/** Splits `<id>.<secret>`; undefined when the shape is wrong. */
export function parseRefreshToken(token: string): { id: string; secret: string } | undefined {
  const [id, secret, extra] = token.split('.');
  if (extra !== undefined || id === undefined || secret === undefined) return undefined;
  if (!CANONICAL_UUID.test(id) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { id, secret };
}

export function refreshSecretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export type { Role };

/** A WebSocket ticket: 256 random bits, stored only as their SHA-256. */
export function issueTicketSecret(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecret(token) };
}

/** The stored hash of a ticket; undefined when its shape is wrong (nothing to look up). */
export function ticketHash(ticket: string): string | undefined {
  return /^[A-Za-z0-9_-]{43}$/.test(ticket) ? hashSecret(ticket) : undefined;
}
