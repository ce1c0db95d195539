import { onlyRow, type Db } from '../../db/pool';
import type { SessionPrincipalRow } from './sessions-repo';

export async function insertTicket(
  db: Db,
  ticket: { hash: string; sessionId: string; accessExpiresAt: Date; ttlS: number },
): Promise<Date> {
  // Tickets nobody used are cleared as new ones are issued; the index on expires_at keeps this cheap.
  await db.query(`DELETE FROM ws_tickets WHERE expires_at < now() - interval '1 minute'`);
  const result = await db.query<{ expires_at: Date }>(
    `INSERT INTO ws_tickets (token_hash, session_id, access_expires_at, expires_at)
     VALUES ($1, $2, $3, least(now() + make_interval(secs => $4), $3))
     RETURNING expires_at`,
    [ticket.hash, ticket.sessionId, ticket.accessExpiresAt, ticket.ttlS],
  );
  return onlyRow(result).expires_at;
}

export interface ConsumedTicketRow extends SessionPrincipalRow {
  ticket_expired: boolean;
  access_expires_at: Date;
}

/** Deletes the ticket and returns it with its session and user in one statement: a ticket works once. */
export async function consumeTicket(db: Db, hash: string): Promise<ConsumedTicketRow | undefined> {
  const result = await db.query<ConsumedTicketRow>(
    `WITH t AS (DELETE FROM ws_tickets WHERE token_hash = $1 RETURNING session_id, access_expires_at, expires_at)
     SELECT t.expires_at <= now() AS ticket_expired, t.access_expires_at,
            s.id AS session_id, s.revoked_at, s.expires_at <= now() AS expired,
            u.id AS user_id, u.email, u.role, u.disabled_at, u.deleted_at
     FROM t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id`,
    [hash],
  );
  return result.rows[0];
}
