// Pure functions of tokens.ts: no server, no database.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors';
import {
  issueRefreshToken,
  parseRefreshToken,
  refreshSecretMatches,
  signAccessToken,
  verifyAccessToken,
} from './tokens';

const SECRET = 'unit-test-secret-that-is-long-enough-for-hs256';
const secret43 = () => randomBytes(32).toString('base64url');

function thrownBy(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a throw');
}

describe('issueRefreshToken', () => {
  it('returns <uuid>.<43 base64url chars> with the SHA-256 of the secret as hash', () => {
    const issued = issueRefreshToken();
    const [id, secret] = issued.token.split('.');
    expect(id).toBe(issued.id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.hash).toBe(createHash('sha256').update(secret!).digest('hex'));
    expect(issued.hash).not.toContain(secret);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => issueRefreshToken().token));
    expect(tokens.size).toBe(200);
  });

  it('round-trips through parseRefreshToken and refreshSecretMatches', () => {
    const issued = issueRefreshToken();
    const parsed = parseRefreshToken(issued.token);
    expect(parsed).toEqual({ id: issued.id, secret: issued.token.split('.')[1] });
    expect(refreshSecretMatches(parsed!.secret, issued.hash)).toBe(true);
  });
});

describe('parseRefreshToken', () => {
  const id = randomUUID();
  const secret = secret43();

  it('accepts the issued shape', () => {
    expect(parseRefreshToken(`${id}.${secret}`)).toEqual({ id, secret });
  });

  it.each([
    ['empty', ''],
    ['no dot', `${id}${secret}`],
    ['only an id', id],
    ['three parts', `${id}.${secret}.x`],
    ['trailing dot', `${id}.${secret}.`],
    ['empty id', `.${secret}`],
    ['empty secret', `${id}.`],
    ['short id', `${id.slice(1)}.${secret}`],
    ['long id', `${id}0.${secret}`],
    ['uppercase id', `${id.toUpperCase()}.${secret}`],
    ['non-hex id', `${id.slice(0, 35)}g.${secret}`],
    ['short secret', `${id}.${secret.slice(1)}`],
    ['long secret', `${id}.${secret}A`],
    ['padded secret', `${id}.${secret.slice(0, 42)}=`],
    ['standard base64 secret', `${id}.${secret.slice(0, 42)}+`],
    ['whitespace', ` ${id}.${secret}`],
  ])('refuses %s', (_name, token) => {
    expect(parseRefreshToken(token)).toBeUndefined();
  });

  it('refuses ids that are 36 hex-or-dash characters but not a uuid', () => {
    // Such ids reach PostgreSQL's uuid type, which throws (500) instead of a clean 401: see refresh.test.ts.
    expect(parseRefreshToken(`${'a'.repeat(36)}.${secret}`)).toBeUndefined();
    expect(parseRefreshToken(`${'-'.repeat(36)}.${secret}`)).toBeUndefined();
  });
});

describe('refreshSecretMatches', () => {
  const secret = secret43();
  const hash = createHash('sha256').update(secret).digest('hex');

  it('matches only the exact secret', () => {
    expect(refreshSecretMatches(secret, hash)).toBe(true);
    expect(refreshSecretMatches(secret43(), hash)).toBe(false);
    expect(refreshSecretMatches(`${secret.slice(0, 42)}x`, hash)).toBe(false);
  });

  it('is false, not a throw, for stored hashes of another length or not hex', () => {
    expect(refreshSecretMatches(secret, '')).toBe(false);
    expect(refreshSecretMatches(secret, hash.slice(0, 62))).toBe(false);
    expect(refreshSecretMatches(secret, `${hash}00`)).toBe(false);
    expect(refreshSecretMatches(secret, 'z'.repeat(64))).toBe(false);
    // The hash is compared as hex, not as text: the secret itself is not a valid stored hash.
    expect(refreshSecretMatches(secret, secret)).toBe(false);
  });

  it('accepts an upper-case stored hash as the same bytes', () => {
    expect(refreshSecretMatches(secret, hash.toUpperCase())).toBe(true);
  });
});

describe('signAccessToken / verifyAccessToken', () => {
  const claims = { sub: randomUUID(), sid: randomUUID(), role: 'operator' as const };

  it('signs HS256 with issuer, audience, subject, expiry and a unique jti', () => {
    const token = signAccessToken(SECRET, claims, 900);
    const decoded = jwt.decode(token, { complete: true })!;
    expect(decoded.header.alg).toBe('HS256');
    const payload = decoded.payload as jwt.JwtPayload;
    expect(payload).toMatchObject({
      sub: claims.sub,
      sid: claims.sid,
      role: 'operator',
      iss: 'emma',
      aud: 'emma-api',
    });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.jti).toEqual(expect.any(String));
    expect(jwt.decode(signAccessToken(SECRET, claims, 900), { json: true })!.jti).not.toBe(payload.jti);
  });

  it('verifies its own tokens back to the claims', () => {
    expect(verifyAccessToken(SECRET, signAccessToken(SECRET, claims, 60))).toEqual(claims);
  });

  it('answers token_expired for an expired token and invalid_token otherwise', () => {
    const expired = signAccessToken(SECRET, claims, -10);
    const expiredError = thrownBy(() => verifyAccessToken(SECRET, expired));
    expect(expiredError.status).toBe(401);
    expect(expiredError.code).toBe('token_expired');

    const good = signAccessToken(SECRET, claims, 60);
    const cases = [
      signAccessToken('another-secret-of-sufficient-length', claims, 60),
      jwt.sign({ sid: claims.sid, role: claims.role }, SECRET, {
        algorithm: 'HS512',
        subject: claims.sub,
        issuer: 'emma',
        audience: 'emma-api',
        expiresIn: 60,
      }),
      `${good.split('.').slice(0, 2).join('.')}.`,
      good.slice(0, -2),
      'not-a-jwt',
      jwt.sign({ sid: 'nope', role: claims.role }, SECRET, {
        subject: claims.sub,
        issuer: 'emma',
        audience: 'emma-api',
        expiresIn: 60,
      }),
      jwt.sign({ sid: claims.sid, role: claims.role }, SECRET, {
        subject: claims.sub,
        issuer: 'emma',
        audience: 'someone-else',
        expiresIn: 60,
      }),
    ];
    for (const token of cases) {
      const error = thrownBy(() => verifyAccessToken(SECRET, token));
      expect(error.status, token).toBe(401);
      expect(error.code, token).toBe('invalid_token');
    }
  });
});
