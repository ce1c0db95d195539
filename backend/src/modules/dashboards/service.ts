// Per-user dashboards: who may see (owner, or anyone when shared) and who may change (the owner; admins may
// also delete). Every write is audited. Widgets reference agents, probes and metrics loosely: a reference
// that no longer exists simply shows no data.
import type { Db } from '../../db/pool';
import type { Principal, RequestOrigin } from '../../http/context';
import { forbidden, notFound } from '../../http/errors';
import * as audit from '../audit/service';
import * as repo from './repo';
import type { CreateDashboard, Dashboard, DashboardSummary, UpdateDashboard, Widget } from './schemas';

type Caller = Pick<Principal, 'userId' | 'role'>;

function toSummary(row: repo.DashboardRow, caller: Caller): DashboardSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    owner: { id: row.owner_id, name: row.owner_name, email: row.owner_email },
    mine: row.owner_id === caller.userId,
    shared: row.shared,
    widgetCount: row.widgets.length,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toDashboard(row: repo.DashboardRow, caller: Caller): Dashboard {
  return { ...toSummary(row, caller), widgets: row.widgets as Widget[] };
}

/** What the audit trail keeps of a dashboard: its content, not who asked. */
function auditView(row: repo.DashboardRow) {
  return {
    ownerId: row.owner_id,
    name: row.name,
    description: row.description,
    shared: row.shared,
    widgets: row.widgets,
  };
}

const visibleTo = (row: repo.DashboardRow, caller: Caller) => row.owner_id === caller.userId || row.shared;

async function findVisible(db: Db, caller: Caller, id: string, forUpdate = false) {
  const row = await repo.find(db, id, forUpdate);
  if (!row || !visibleTo(row, caller)) throw notFound('Dashboard');
  return row;
}

async function mustFind(db: Db, id: string) {
  const row = await repo.find(db, id);
  if (!row) throw new Error(`dashboard ${id} vanished within its transaction`);
  return row;
}

export async function list(
  db: Db,
  caller: Caller,
  filter: { q?: string | undefined; limit: number; offset: number },
) {
  const { rows, total } = await repo.listVisible(db, caller.userId, filter);
  return { items: rows.map((r) => toSummary(r, caller)), total, limit: filter.limit, offset: filter.offset };
}

export async function get(db: Db, caller: Caller, id: string): Promise<Dashboard> {
  return toDashboard(await findVisible(db, caller, id), caller);
}

export async function create(
  db: Db,
  origin: RequestOrigin,
  caller: Caller,
  input: CreateDashboard,
): Promise<Dashboard> {
  const id = await repo.insert(db, caller.userId, input);
  const row = await mustFind(db, id);
  await audit.record(db, origin, {
    action: 'dashboard.created',
    targetType: 'dashboard',
    targetId: id,
    after: auditView(row),
  });
  return toDashboard(row, caller);
}

export async function update(
  db: Db,
  origin: RequestOrigin,
  caller: Caller,
  id: string,
  patch: UpdateDashboard,
): Promise<Dashboard> {
  const current = await findVisible(db, caller, id, true);
  if (current.owner_id !== caller.userId) {
    throw forbidden(
      `Only its owner (${current.owner_name}) may change this dashboard; it is shared read-only`,
      {
        ownerId: current.owner_id,
      },
    );
  }
  await repo.update(db, id, {
    name: patch.name ?? current.name,
    description: patch.description ?? current.description,
    shared: patch.shared ?? current.shared,
    widgets: patch.widgets ?? current.widgets,
  });
  const row = await mustFind(db, id);
  await audit.record(db, origin, {
    action: 'dashboard.updated',
    targetType: 'dashboard',
    targetId: id,
    before: auditView(current),
    after: auditView(row),
  });
  return toDashboard(row, caller);
}

export async function remove(db: Db, origin: RequestOrigin, caller: Caller, id: string): Promise<void> {
  const isAdmin = caller.role === 'admin';
  const current = await repo.find(db, id, true);
  if (!current || (!isAdmin && !visibleTo(current, caller))) throw notFound('Dashboard');
  if (!isAdmin && current.owner_id !== caller.userId) {
    throw forbidden(`Only its owner (${current.owner_name}) or an admin may delete this dashboard`, {
      ownerId: current.owner_id,
    });
  }
  await repo.softDelete(db, id);
  await audit.record(db, origin, {
    action: 'dashboard.deleted',
    targetType: 'dashboard',
    targetId: id,
    before: auditView(current),
  });
}
