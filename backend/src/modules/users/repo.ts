import type { Role } from '@emma/protocol';
import { onlyRow, type Db } from '../../db/pool';
import { containing, page, Where } from '../../db/where';
import { conflict } from '../../http/errors';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  must_change_password: boolean;
  disabled_at: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const COLUMNS = `id, email, name, role, password_hash, must_change_password, disabled_at, last_login_at,
  created_at, updated_at, deleted_at`;

export async function findLiveByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const result = await db.query<UserRow>(
    `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL`,
    [email],
  );
  return result.rows[0];
}

export async function findById(
  db: Db,
  id: string,
  opts: { includeDeleted?: boolean; forUpdate?: boolean } = {},
) {
  const result = await db.query<UserRow>(
    `SELECT ${COLUMNS} FROM users WHERE id = $1 ${opts.includeDeleted ? '' : 'AND deleted_at IS NULL'}
     ${opts.forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

export interface UserFilter {
  q?: string | undefined;
  role?: Role | undefined;
  status?: 'active' | 'disabled' | 'deleted' | 'all' | undefined;
  limit: number;
  offset: number;
}

export async function list(db: Db, filter: UserFilter): Promise<{ rows: UserRow[]; total: number }> {
  const status = filter.status ?? 'all';
  const where = new Where(status === 'deleted' ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL');
  if (status === 'active') where.raw('disabled_at IS NULL');
  if (status === 'disabled') where.raw('disabled_at IS NOT NULL');
  if (filter.role) where.add('role = ?', filter.role);
  if (filter.q) where.add('(email ILIKE ? OR name ILIKE ?)', containing(filter.q));
  return page<UserRow>(db, {
    from: 'users',
    columns: COLUMNS,
    where,
    orderBy: 'lower(email), id',
    ...filter,
  });
}

export async function countLive(db: Db): Promise<number> {
  const result = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM users WHERE deleted_at IS NULL',
  );
  return result.rows[0]?.count ?? 0;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** The unique index on live emails decides races that the service's pre-check cannot. */
async function guardEmail<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    const pgErr = err as { code?: string; constraint?: string };
    if (pgErr.code === '23505' && pgErr.constraint === 'users_email_live_uniq') {
      throw conflict('email_taken', 'A user with this email already exists');
    }
    throw err;
  }
}

export async function insert(db: Db, user: NewUser): Promise<UserRow> {
  const result = await guardEmail(
    db.query<UserRow>(
      `INSERT INTO users (email, name, role, password_hash, must_change_password)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [user.email, user.name, user.role, user.passwordHash, user.mustChangePassword],
    ),
  );
  return onlyRow(result);
}

export interface UserChanges {
  email?: string;
  name?: string;
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

export async function update(db: Db, id: string, changes: UserChanges): Promise<UserRow> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (changes.email !== undefined) set('email', changes.email);
  if (changes.name !== undefined) set('name', changes.name);
  if (changes.role !== undefined) set('role', changes.role);
  if (changes.disabled !== undefined)
    sets.push(changes.disabled ? 'disabled_at = coalesce(disabled_at, now())' : 'disabled_at = NULL');
  if (changes.passwordHash !== undefined) {
    set('password_hash', changes.passwordHash);
    sets.push('password_changed_at = now()');
  }
  if (changes.mustChangePassword !== undefined) set('must_change_password', changes.mustChangePassword);
  const result = await guardEmail(
    db.query<UserRow>(`UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, values),
  );
  return onlyRow(result);
}

export async function softDelete(db: Db, id: string): Promise<UserRow> {
  const result = await db.query<UserRow>(
    `UPDATE users SET deleted_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return onlyRow(result);
}

export async function touchLastLogin(db: Db, id: string): Promise<UserRow> {
  const result = await db.query<UserRow>(
    `UPDATE users SET last_login_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return onlyRow(result);
}

// Fixed key of the transaction lock that serialises changes which could remove the last active admin.
const ADMIN_GUARD_LOCK = 7_120_405_002;

/** Active admins other than the given user, counted under a lock so two demotions cannot race. */
export async function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  await db.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_GUARD_LOCK]);
  const result = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM users
     WHERE role = 'admin' AND deleted_at IS NULL AND disabled_at IS NULL AND id <> $1`,
    [exceptId],
  );
  return result.rows[0]?.count ?? 0;
}
