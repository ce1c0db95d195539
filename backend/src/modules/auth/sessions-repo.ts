import { onlyRow, type Db } from '../../db/pool';
import type { UserRow } from '../users/repo';

export interface SessionPrincipalRow {
  session_id: string;
  revoked_at: Date | null;
  expired: boolean;
  user_id: string;
  email: string;
  role: UserRow['role'];
  disabled_at: Date | null;
  deleted_at: Date | null;
}

/** One query per authenticated request: the session and its user as they are now. */
export async function findSessionPrincipal(
  db: Db,
  sessionId: string,
): Promise<SessionPrincipalRow | undefined> {
  const result = await db.query<SessionPrincipalRow>(
    `SELECT s.id AS session_id, s.revoked_at, s.expires_at <= now() AS expired,
            u.id AS user_id, u.email, u.role, u.disabled_at, u.deleted_at
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1`,
    [sessionId],
  );
  return result.rows[0];
}

export async function createSession(
  db: Db,
  session: { userId: string; ip: string; userAgent: string | undefined; maxAgeS: number },
): Promise<{ id: string; expiresAt: Date }> {
  const result = await db.query<{ id: string; expires_at: Date }>(
    `INSERT INTO sessions (user_id, ip, user_agent, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id, expires_at`,
    [session.userId, session.ip, session.userAgent?.slice(0, 512) ?? null, session.maxAgeS],
  );
  const row = onlyRow(result);
  return { id: row.id, expiresAt: row.expires_at };
}

export async function revokeSession(db: Db, sessionId: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`,
    [sessionId, reason],
  );
}

/** Ends every session of a user (optionally but one), e.g. after a password change or when disabled. */
export async function revokeUserSessions(
  db: Db,
  userId: string,
  reason: string,
  exceptSessionId?: string,
): Promise<number> {
  const result = await db.query(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
     WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)`,
    [userId, reason, exceptSessionId ?? null],
  );
  return result.rowCount ?? 0;
}

export interface RefreshTokenRow {
  id: string;
  session_id: string;
  token_hash: string;
  expired: boolean;
  used_at: Date | null;
  session_revoked_at: Date | null;
  session_expires_at: Date;
  user_id: string;
}

export async function findRefreshTokenForUpdate(db: Db, id: string): Promise<RefreshTokenRow | undefined> {
  const result = await db.query<RefreshTokenRow>(
    `SELECT t.id, t.session_id, t.token_hash, t.expires_at <= now() AS expired, t.used_at,
            s.revoked_at AS session_revoked_at, s.expires_at AS session_expires_at, s.user_id
     FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
     WHERE t.id = $1
     FOR UPDATE OF t, s`,
    [id],
  );
  return result.rows[0];
}

export async function insertRefreshToken(
  db: Db,
  token: { id: string; sessionId: string; hash: string; ttlS: number },
): Promise<Date> {
  // A refresh token never outlives its session.
  const result = await db.query<{ expires_at: Date }>(
    `INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at)
     SELECT $1, $2, $3, least(now() + make_interval(secs => $4), s.expires_at) FROM sessions s WHERE s.id = $2
     RETURNING expires_at`,
    [token.id, token.sessionId, token.hash, token.ttlS],
  );
  return onlyRow(result).expires_at;
}

export async function markRefreshTokenUsed(db: Db, id: string, replacedBy: string): Promise<void> {
  await db.query(`UPDATE refresh_tokens SET used_at = now(), replaced_by = $2 WHERE id = $1`, [
    id,
    replacedBy,
  ]);
  await db.query(
    `UPDATE sessions SET last_used_at = now() WHERE id = (SELECT session_id FROM refresh_tokens WHERE id = $1)`,
    [id],
  );
}

export interface SessionStateRow {
  session_id: string;
  user_id: string;
  role: UserRow['role'];
  /** Revoked or past its end. */
  ended: boolean;
  disabled: boolean;
  deleted: boolean;
}

/** Many sessions and their users in one query (the realtime server re-checks its connections with it). */
export async function sessionStates(db: Db, sessionIds: readonly string[]): Promise<SessionStateRow[]> {
  if (sessionIds.length === 0) return [];
  const result = await db.query<SessionStateRow>(
    `SELECT s.id AS session_id, s.user_id, u.role,
            (s.revoked_at IS NOT NULL OR s.expires_at <= now()) AS ended,
            u.disabled_at IS NOT NULL AS disabled, u.deleted_at IS NOT NULL AS deleted
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ANY($1::uuid[])`,
    [sessionIds],
  );
  return result.rows;
}
