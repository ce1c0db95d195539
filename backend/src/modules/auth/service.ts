import { ROLE_PERMISSIONS, type Me, type TokenPair, type WsTicket } from '@emma/protocol';
import type { Config } from '../../config';
import type { Db, Pool } from '../../db/pool';
import type { Principal, RequestOrigin } from '../../http/context';
import { AppError, tooManyRequests, unauthorized } from '../../http/errors';
import * as audit from '../audit/service';
import { toUser } from '../users/mapper';
import * as users from '../users/repo';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords';
import * as sessions from './sessions-repo';
import * as throttle from './throttle-repo';
import {
  issueRefreshToken,
  issueTicketSecret,
  parseRefreshToken,
  refreshSecretMatches,
  signAccessToken,
  ticketHash,
  verifyAccess,
} from './tokens';
import * as wsTickets from './ws-tickets-repo';

export interface AuthDeps {
  config: Config;
  /** For the login throttle's own short transactions, outside the request's. */
  pool: Pool;
  jwtSecret: string;
}

/** Sessions (refresh families) live at most this long, however often they are refreshed. */
const SESSION_MAX_AGE_S = 30 * 86400;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

const INVALID_CREDENTIALS = () => new AppError(401, 'invalid_credentials', 'Invalid email or password');
const INVALID_REFRESH = () =>
  new AppError(401, 'invalid_refresh_token', 'Refresh token is invalid or expired');

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const ipKey = (ip: string) => `ip:${ip}`;

export async function login(
  deps: AuthDeps,
  db: Db,
  origin: RequestOrigin,
  credentials: { email: string; password: string },
): Promise<Outcome<TokenPair>> {
  const { login: limits, bcryptRounds } = deps.config.auth;
  const email = credentials.email.trim().toLowerCase();
  const account = accountKey(email);
  const ip = ipKey(origin.ip);

  const refuse = async (retryAfterS: number): Promise<Outcome<TokenPair>> => {
    await audit.record(db, origin, { action: 'auth.login_throttled', targetType: 'user', after: { email } });
    return { ok: false, error: tooManyRequests('Too many failed logins; try again later', retryAfterS) };
  };
  // The address limit is coarse and counted after the fact; the account limit is exact (see reserveAttempt).
  // Both run on the pool before the request's transaction opens, so a request never holds two connections.
  const ipRetryAfterS = await throttle.lockedFor(deps.pool, [ip]);
  if (ipRetryAfterS > 0) return refuse(ipRetryAfterS);
  const attempt = await throttle.reserveAttempt(deps.pool, account, limits);
  if (!attempt.allowed) return refuse(attempt.retryAfterS);

  const user = await users.findLiveByEmail(db, email);
  let failure: string | undefined;
  if (!user) {
    await burnPasswordCheck(credentials.password, bcryptRounds);
    failure = 'unknown_user';
  } else if (!(await verifyPassword(credentials.password, user.password_hash))) {
    failure = 'wrong_password';
  } else if (user.disabled_at) {
    failure = 'user_disabled';
  }

  if (failure !== undefined || !user) {
    const accountLocked = attempt.locksNow;
    const ipLocked = await throttle.recordFailure(db, ip, {
      maxFailures: limits.ipMaxFailures,
      windowS: limits.windowS,
      lockoutS: limits.lockoutS,
    });
    await audit.record(db, origin, {
      action: 'auth.login_failed',
      targetType: 'user',
      targetId: user?.id,
      after: { email, reason: failure, accountLocked, ipLocked },
    });
    return { ok: false, error: INVALID_CREDENTIALS() };
  }

  await throttle.clear(db, account);
  const session = await sessions.createSession(db, {
    userId: user.id,
    ip: origin.ip,
    userAgent: origin.userAgent,
    maxAgeS: SESSION_MAX_AGE_S,
  });
  const loggedIn = await users.touchLastLogin(db, user.id);
  await audit.record(
    db,
    { ...origin, actorId: user.id, actorEmail: user.email },
    { action: 'auth.login', targetType: 'session', targetId: session.id },
  );
  const { refreshId: _refreshId, ...pair } = await issueTokens(deps, db, loggedIn, session.id);
  return { ok: true, value: pair };
}

async function issueTokens(
  deps: AuthDeps,
  db: Db,
  user: users.UserRow,
  sessionId: string,
): Promise<TokenPair & { refreshId: string }> {
  const { accessTokenTtlS, refreshTokenTtlS } = deps.config.auth;
  const refresh = issueRefreshToken();
  const refreshExpiresAt = await sessions.insertRefreshToken(db, {
    id: refresh.id,
    sessionId,
    hash: refresh.hash,
    ttlS: refreshTokenTtlS,
  });
  return {
    accessToken: signAccessToken(
      deps.jwtSecret,
      { sub: user.id, sid: sessionId, role: user.role },
      accessTokenTtlS,
    ),
    tokenType: 'Bearer',
    expiresIn: accessTokenTtlS,
    refreshToken: refresh.token,
    refreshExpiresIn: Math.max(0, Math.floor((refreshExpiresAt.getTime() - Date.now()) / 1000)),
    user: toUser(user),
    refreshId: refresh.id,
  };
}

/**
 * Rotates a refresh token. Each token works once; presenting one that was already used means it was
 * copied, so the whole session (the token family) is revoked and both holders must log in again.
 */
export async function refresh(
  deps: AuthDeps,
  db: Db,
  origin: RequestOrigin,
  token: string,
): Promise<Outcome<TokenPair>> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return { ok: false, error: INVALID_REFRESH() };
  const row = await sessions.findRefreshTokenForUpdate(db, parsed.id);
  if (!row || !refreshSecretMatches(parsed.secret, row.token_hash))
    return { ok: false, error: INVALID_REFRESH() };

  if (row.used_at) {
    if (!row.session_revoked_at) {
      await sessions.revokeSession(db, row.session_id, 'refresh_token_reuse');
      await audit.record(
        db,
        { ...origin, actorId: row.user_id },
        { action: 'auth.refresh_reuse_detected', targetType: 'session', targetId: row.session_id },
      );
    }
    return { ok: false, error: INVALID_REFRESH() };
  }
  if (row.expired || row.session_revoked_at || row.session_expires_at.getTime() <= Date.now()) {
    return { ok: false, error: INVALID_REFRESH() };
  }
  const user = await users.findById(db, row.user_id);
  if (!user || user.disabled_at) return { ok: false, error: INVALID_REFRESH() };

  const pair = await issueTokens(deps, db, user, row.session_id);
  await sessions.markRefreshTokenUsed(db, row.id, pair.refreshId);
  const { refreshId: _refreshId, ...tokens } = pair;
  return { ok: true, value: tokens };
}

export async function logout(db: Db, origin: RequestOrigin, principal: Principal): Promise<void> {
  await sessions.revokeSession(db, principal.sessionId, 'logout');
  await audit.record(db, origin, {
    action: 'auth.logout',
    targetType: 'session',
    targetId: principal.sessionId,
  });
}

/** Resolves a bearer token to the principal as the database has it now: revoked sessions and disabled users fail at once. */
export async function authenticate(
  deps: Pick<AuthDeps, 'jwtSecret'>,
  db: Db,
  authorization: string | undefined,
): Promise<Principal> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) throw unauthorized('Send an access token as "Authorization: Bearer <token>"');
  return authenticateToken(deps, db, token);
}

/** An access token's principal (the WebSocket takes the token from its URL or an `auth` message too). */
export async function authenticateToken(
  deps: Pick<AuthDeps, 'jwtSecret'>,
  db: Db,
  token: string,
): Promise<Principal> {
  const { claims, expiresAt } = verifyAccess(deps.jwtSecret, token);
  const row = await sessions.findSessionPrincipal(db, claims.sid);
  if (!row || row.user_id !== claims.sub) throw sessionRevoked();
  return livePrincipal(row, expiresAt);
}

const sessionRevoked = () => unauthorized('Session is no longer valid; log in again', 'session_revoked');

function livePrincipal(row: sessions.SessionPrincipalRow, tokenExpiresAt: Date): Principal {
  if (row.revoked_at || row.expired || row.deleted_at || row.disabled_at) throw sessionRevoked();
  return {
    userId: row.user_id,
    email: row.email,
    role: row.role,
    sessionId: row.session_id,
    permissions: ROLE_PERMISSIONS[row.role],
    tokenExpiresAt,
  };
}

/** Where browsers find the realtime WebSocket, as a ticket tells them. */
export interface WsEndpoint {
  /** EMMA_WS_PUBLIC_URL, when set. */
  url: string | null;
  /** The port this process's realtime server listens on (`emma all`), else EMMA_WS_PORT. */
  port: number;
}

/** Tickets for the WebSocket live this long; the client asks for one right before it connects. */
export const WS_TICKET_TTL_S = 30;

/**
 * A single-use ticket for `/ws?ticket=…` (browsers cannot send an Authorization header on a WebSocket).
 * It carries the session and the expiry of the access token that asked for it, never longer.
 */
export async function issueWsTicket(db: Db, principal: Principal, endpoint: WsEndpoint): Promise<WsTicket> {
  const ticket = issueTicketSecret();
  const expiresAt = await wsTickets.insertTicket(db, {
    hash: ticket.hash,
    sessionId: principal.sessionId,
    accessExpiresAt: principal.tokenExpiresAt,
    ttlS: WS_TICKET_TTL_S,
  });
  return { ticket: ticket.token, expiresAt: expiresAt.toISOString(), url: endpoint.url, port: endpoint.port };
}

/** Consumes a ticket (it works once, also when refused) and returns its principal as the database has it now. */
export async function consumeWsTicket(db: Db, ticket: string): Promise<Principal> {
  const hash = ticketHash(ticket);
  if (hash === undefined) throw unauthorized('Invalid or expired ticket', 'invalid_ticket');
  const row = await wsTickets.consumeTicket(db, hash);
  if (!row || row.ticket_expired) throw unauthorized('Invalid or expired ticket', 'invalid_ticket');
  if (row.access_expires_at.getTime() <= Date.now()) {
    throw unauthorized('The access token behind the ticket expired', 'token_expired');
  }
  return livePrincipal(row, row.access_expires_at);
}

export async function me(db: Db, principal: Principal): Promise<Me> {
  const user = await users.findById(db, principal.userId);
  if (!user) throw unauthorized('Session is no longer valid; log in again', 'session_revoked');
  return { user: toUser(user), permissions: [...principal.permissions] };
}

export async function changeOwnPassword(
  deps: AuthDeps,
  db: Db,
  origin: RequestOrigin,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
): Promise<Outcome<undefined>> {
  const { login: limits, bcryptRounds } = deps.config.auth;
  const key = accountKey(principal.email);
  // The user row lock serialises this user's attempts, so the failure count below is exact. (The request
  // already holds a connection from authentication, so login()'s pool-based reservation is not used here.)
  const user = await users.findById(db, principal.userId, { forUpdate: true });
  if (!user) throw unauthorized('Session is no longer valid; log in again', 'session_revoked');
  const retryAfterS = await throttle.lockedFor(db, [key]);
  if (retryAfterS > 0) {
    return { ok: false, error: tooManyRequests('Too many failed attempts; try again later', retryAfterS) };
  }
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    // A stolen access token must not become a way to guess the password: failures count toward the lockout.
    await throttle.recordFailure(db, key, limits);
    await audit.record(db, origin, {
      action: 'user.password_change_failed',
      targetType: 'user',
      targetId: user.id,
    });
    return {
      ok: false,
      error: new AppError(400, 'invalid_current_password', 'Current password is incorrect', [
        { path: 'body.currentPassword', message: 'is incorrect', code: 'invalid_current_password' },
      ]),
    };
  }
  if (await verifyPassword(input.newPassword, user.password_hash)) {
    return {
      ok: false,
      error: new AppError(422, 'password_unchanged', 'The new password must differ from the current one', [
        {
          path: 'body.newPassword',
          message: 'must differ from the current password',
          code: 'password_unchanged',
        },
      ]),
    };
  }
  await throttle.clear(db, key);
  await users.update(db, user.id, {
    passwordHash: await hashPassword(input.newPassword, bcryptRounds),
    mustChangePassword: false,
  });
  // Other devices must log in with the new password; this session stays.
  const revoked = await sessions.revokeUserSessions(db, user.id, 'password_changed', principal.sessionId);
  await audit.record(db, origin, {
    action: 'user.password_changed',
    targetType: 'user',
    targetId: user.id,
    after: { otherSessionsRevoked: revoked },
  });
  return { ok: true, value: undefined };
}
