// All SQL of dashboards: a user's own layouts and those others share, with the owner's name.
import { onlyRow, type Db } from '../../db/pool';
import { containing, page, Where } from '../../db/where';

export interface DashboardRow {
  id: string;
  owner_id: string;
  owner_name: string;
  owner_email: string;
  name: string;
  description: string;
  widgets: unknown[];
  shared: boolean;
  created_at: Date;
  updated_at: Date;
}

const FROM = 'dashboards d JOIN users u ON u.id = d.owner_id';
const COLUMNS = `d.id, d.owner_id, u.name AS owner_name, u.email AS owner_email, d.name, d.description,
  d.widgets, d.shared, d.created_at, d.updated_at`;

export interface DashboardWrite {
  name: string;
  description: string;
  shared: boolean;
  widgets: unknown[];
}

/** The dashboards a user may see: their own and the shared ones of others. */
export function listVisible(
  db: Db,
  userId: string,
  filter: { q?: string | undefined; limit: number; offset: number },
) {
  const where = new Where('d.deleted_at IS NULL').add('(d.owner_id = ? OR d.shared)', userId);
  if (filter.q) where.add(`d.name ILIKE ?`, containing(filter.q));
  return page<DashboardRow>(db, {
    from: FROM,
    columns: COLUMNS,
    where,
    // Own dashboards first, then by name; $1 is the user id, the first condition's value.
    orderBy: '(d.owner_id = $1) DESC, lower(d.name), d.id',
    limit: filter.limit,
    offset: filter.offset,
  });
}

export async function find(db: Db, id: string, forUpdate = false): Promise<DashboardRow | undefined> {
  const result = await db.query<DashboardRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE d.id = $1 AND d.deleted_at IS NULL ${forUpdate ? 'FOR UPDATE OF d' : ''}`,
    [id],
  );
  return result.rows[0];
}

export async function insert(db: Db, ownerId: string, w: DashboardWrite): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO dashboards (owner_id, name, description, shared, widgets) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [ownerId, w.name, w.description, w.shared, JSON.stringify(w.widgets)],
  );
  return onlyRow(result).id;
}

export async function update(db: Db, id: string, w: DashboardWrite): Promise<void> {
  await db.query(
    `UPDATE dashboards SET name = $2, description = $3, shared = $4, widgets = $5 WHERE id = $1`,
    [id, w.name, w.description, w.shared, JSON.stringify(w.widgets)],
  );
}

export async function softDelete(db: Db, id: string): Promise<void> {
  await db.query('UPDATE dashboards SET deleted_at = now() WHERE id = $1', [id]);
}
