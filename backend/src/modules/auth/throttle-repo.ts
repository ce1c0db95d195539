import { onlyRow, withTransaction, type Db, type Pool } from '../../db/pool';

export interface ThrottleLimits {
  maxFailures: number;
  windowS: number;
  lockoutS: number;
}

/** The longest remaining lockout among the keys, in whole seconds; 0 when none is locked. */
export async function lockedFor(db: Db, keys: string[]): Promise<number> {
  const result = await db.query<{ retry_after_s: number | null }>(
    `SELECT max(ceil(extract(epoch FROM locked_until - now())))::int AS retry_after_s
     FROM login_throttle WHERE key = ANY($1) AND locked_until > now()`,
    [keys],
  );
  return result.rows[0]?.retry_after_s ?? 0;
}

/** Counts one failure in the key's window; reaching the limit locks the key and starts a fresh window. */
export async function recordFailure(db: Db, key: string, limits: ThrottleLimits): Promise<boolean> {
  const counted = await db.query<{ failures: number }>(
    `INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN login_throttle.window_started_at <= now() - make_interval(secs => $2)
                       THEN 1 ELSE login_throttle.failures + 1 END,
       window_started_at = CASE WHEN login_throttle.window_started_at <= now() - make_interval(secs => $2)
                                THEN now() ELSE login_throttle.window_started_at END
     RETURNING failures`,
    [key, limits.windowS],
  );
  if ((counted.rows[0]?.failures ?? 0) < limits.maxFailures) return false;
  await db.query(
    `UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2), failures = 0, window_started_at = now()
     WHERE key = $1`,
    [key, limits.lockoutS],
  );
  return true;
}

export async function clear(db: Db, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}

export type AttemptReservation =
  { allowed: true; locksNow: boolean } | { allowed: false; retryAfterS: number };

/**
 * Counts an attempt on a key BEFORE the password is checked, in its own short transaction (the row is
 * locked for milliseconds, not for the request). Parallel guesses therefore cannot all slip past the
 * lock check: the attempt that reaches the limit sets the lockout and every later one is refused.
 */
export async function reserveAttempt(
  pool: Pool,
  key: string,
  limits: ThrottleLimits,
): Promise<AttemptReservation> {
  return withTransaction(pool, async (db) => {
    // An upsert that always returns the row, locked: a plain INSERT … DO NOTHING followed by SELECT … FOR
    // UPDATE finds nothing when a successful login deletes the row in between.
    const result = await db.query<{
      failures: number;
      window_expired: boolean;
      retry_after_s: number | null;
    }>(
      `INSERT INTO login_throttle (key) VALUES ($1)
       ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
       RETURNING failures,
         window_started_at <= now() - make_interval(secs => $2) AS window_expired,
         CASE WHEN locked_until > now() THEN ceil(extract(epoch FROM locked_until - now()))::int END AS retry_after_s`,
      [key, limits.windowS],
    );
    const row = onlyRow(result);
    if (row.retry_after_s !== null) return { allowed: false, retryAfterS: Math.max(1, row.retry_after_s) };
    const attempts = (row.window_expired ? 0 : row.failures) + 1;
    const locksNow = attempts >= limits.maxFailures;
    await db.query(
      `UPDATE login_throttle SET
         failures = $2,
         window_started_at = CASE WHEN $3::boolean THEN now() ELSE window_started_at END,
         locked_until = CASE WHEN $4::boolean THEN now() + make_interval(secs => $5) ELSE NULL END
       WHERE key = $1`,
      [key, locksNow ? 0 : attempts, row.window_expired || locksNow, locksNow, limits.lockoutS],
    );
    return { allowed: true, locksNow };
  });
}
