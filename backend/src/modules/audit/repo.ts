import { onlyRow, type Db } from '../../db/pool';
import { escapeLike, Where } from '../../db/where';
import type { AuditQuery } from './schemas';

export interface AuditRow {
  id: number;
  occurred_at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

// One arbitrary, fixed key: the transaction-scoped lock that serialises appends to the chain.
const AUDIT_CHAIN_LOCK = 7_120_405_001;

/** Locks the chain for this transaction and returns the last hash and the next id. */
export async function reserveNext(db: Db): Promise<{ id: number; prevHash: string | null }> {
  await db.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
  const last = await db.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
  const next = await db.query<{ id: number }>("SELECT nextval('audit_log_id_seq')::bigint AS id");
  return { id: onlyRow(next).id, prevHash: last.rows[0]?.hash ?? null };
}

export async function insert(db: Db, row: AuditRow): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (id, occurred_at, actor_id, actor_email, action, target_type, target_id, before, after,
       ip, request_id, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      row.id,
      row.occurred_at,
      row.actor_id,
      row.actor_email,
      row.action,
      row.target_type,
      row.target_id,
      row.before === null ? null : JSON.stringify(row.before),
      row.after === null ? null : JSON.stringify(row.after),
      row.ip,
      row.request_id,
      row.prev_hash,
      row.hash,
    ],
  );
}

const COLUMNS = `id, occurred_at, actor_id, actor_email, action, target_type, target_id, before, after, ip,
  request_id, prev_hash, hash`;

export async function list(db: Db, query: AuditQuery): Promise<AuditRow[]> {
  const where = new Where();
  if (query.actorId) where.add('actor_id = ?', query.actorId);
  if (query.action?.endsWith('*')) {
    where.add('action LIKE ?', `${escapeLike(query.action.slice(0, -1).replaceAll('*', ''))}%`);
  } else if (query.action) where.add('action = ?', query.action);
  if (query.targetType) where.add('target_type = ?', query.targetType);
  if (query.targetId) where.add('target_id = ?', query.targetId);
  if (query.from) where.add('occurred_at >= ?', query.from);
  if (query.to) where.add('occurred_at < ?', query.to);
  if (query.before) where.add('id < ?', query.before);
  const result = await db.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log ${where.sql} ORDER BY id DESC LIMIT ${where.param(query.limit + 1)}`,
    where.values,
  );
  return result.rows;
}

/** Rows in chain order after a given id, for verification in bounded pages. */
export async function pageAfter(db: Db, afterId: number, limit: number): Promise<AuditRow[]> {
  const result = await db.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id ASC LIMIT $2`,
    [afterId, limit],
  );
  return result.rows;
}
