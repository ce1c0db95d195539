// All SQL of the containers module: the inventory and its history as ingest writes them, the reads of
// the REST API, and the queue of actions the agents take.
import { onlyRow, type Db } from '../../db/pool';
import { containing, page, Where } from '../../db/where';
import type { LatestStats } from './schemas';

// ---------------------------------------------------------------------------------------------------
// Ingest

/** Names of an agent's containers by engine id (removed ones included), for the labels of stats series. */
export async function namesOf(db: Db, agentId: string, containerIds: string[]): Promise<Map<string, string>> {
  if (containerIds.length === 0) return new Map();
  const result = await db.query<{ container_id: string; name: string }>(
    'SELECT container_id, name FROM containers WHERE agent_id = $1 AND container_id = ANY($2::text[])',
    [agentId, containerIds],
  );
  return new Map(result.rows.map((row) => [row.container_id, row.name]));
}

export interface InventoryRow {
  id: string;
  name: string;
  image: string;
  image_id: string | null;
  command: string | null;
  labels: Record<string, string>;
  state: string;
  health: string;
  exit_code: number | null;
  restart_count: number;
  ports: unknown[];
  created_ms: number | null;
  started_ms: number | null;
  finished_ms: number | null;
}

/** A container whose state, health or presence changed, as ingest announces it. */
export interface ChangedContainer {
  id: string;
  container_id: string;
  state: string;
  health: string;
  change: 'created' | 'state' | 'removed';
}

/**
 * Upserts the listed containers of one report (at `reportedMs`) in one statement and records a history
 * row for each that is new, came back after removal, or changed state or health. Rows a newer report
 * wrote already (reported_at later than this one) are left as they are.
 */
export async function upsertInventory(
  db: Db,
  agentId: string,
  rows: InventoryRow[],
  reportedMs: number,
): Promise<ChangedContainer[]> {
  if (rows.length === 0) return [];
  const result = await db.query<ChangedContainer>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(id text, name text, image text, image_id text,
         command text, labels jsonb, state text, health text, exit_code int, restart_count int, ports jsonb,
         created_ms float8, started_ms float8, finished_ms float8)
     ),
     old AS (
       SELECT c.id, c.state, c.health, c.removed_at FROM containers c
       WHERE c.agent_id = $1 AND c.container_id IN (SELECT id FROM input)
     ),
     up AS (
       INSERT INTO containers AS c (agent_id, container_id, name, image, image_id, command, labels, state,
         health, exit_code, restart_count, ports, engine_created_at, started_at, finished_at, state_since,
         reported_at)
       SELECT $1, i.id, i.name, i.image, i.image_id, i.command, i.labels, i.state, i.health, i.exit_code,
         i.restart_count, i.ports, to_timestamp(i.created_ms / 1000.0), to_timestamp(i.started_ms / 1000.0),
         to_timestamp(i.finished_ms / 1000.0), to_timestamp($3::float8 / 1000.0),
         to_timestamp($3::float8 / 1000.0)
       FROM input i
       ON CONFLICT (agent_id, container_id) DO UPDATE SET name = EXCLUDED.name, image = EXCLUDED.image,
         image_id = EXCLUDED.image_id, command = EXCLUDED.command, labels = EXCLUDED.labels,
         state = EXCLUDED.state, health = EXCLUDED.health, exit_code = EXCLUDED.exit_code,
         restart_count = EXCLUDED.restart_count, ports = EXCLUDED.ports,
         engine_created_at = EXCLUDED.engine_created_at, started_at = EXCLUDED.started_at,
         finished_at = EXCLUDED.finished_at,
         state_since = CASE WHEN c.removed_at IS NOT NULL OR c.state <> EXCLUDED.state
           OR c.health <> EXCLUDED.health THEN EXCLUDED.state_since ELSE c.state_since END,
         reported_at = EXCLUDED.reported_at, removed_at = NULL, updated_at = now()
       WHERE c.reported_at <= EXCLUDED.reported_at
       RETURNING c.id, c.container_id, c.state, c.health, c.exit_code
     ),
     changed AS (
       SELECT up.*, CASE WHEN old.id IS NULL THEN 'created' ELSE 'state' END AS change,
         CASE WHEN old.removed_at IS NOT NULL THEN 'seen again after it was reported removed' END AS message
       FROM up LEFT JOIN old ON old.id = up.id
       WHERE old.id IS NULL OR old.removed_at IS NOT NULL OR old.state <> up.state OR old.health <> up.health
     ),
     history AS (
       INSERT INTO container_events (container_ref, agent_id, ts, action, state, health, exit_code, message)
       SELECT id, $1, to_timestamp($3::float8 / 1000.0), change, state, health, exit_code, message FROM changed
     )
     SELECT id, container_id, state, health, change FROM changed ORDER BY container_id`,
    [agentId, JSON.stringify(rows), reportedMs],
  );
  return result.rows;
}

/**
 * Marks containers removed, with a history row each: on a full report every live container of the
 * agent it does not list, and in any report those in `removed`. Containers a newer report saw stay.
 */
export async function markRemoved(
  db: Db,
  agentId: string,
  report: { full: boolean; listed: string[]; removed: string[]; reportedMs: number },
): Promise<ChangedContainer[]> {
  if (!report.full && report.removed.length === 0) return [];
  const result = await db.query<ChangedContainer>(
    `WITH gone AS (
       UPDATE containers c SET removed_at = now(), reported_at = to_timestamp($5::float8 / 1000.0),
         updated_at = now()
       WHERE c.agent_id = $1 AND c.removed_at IS NULL AND c.reported_at <= to_timestamp($5::float8 / 1000.0)
         AND NOT (c.container_id = ANY($2::text[]))
         AND ($3::boolean OR c.container_id = ANY($4::text[]))
       RETURNING c.id, c.container_id, c.state, c.health, c.exit_code
     ),
     history AS (
       INSERT INTO container_events (container_ref, agent_id, ts, action, state, health, exit_code)
       SELECT id, $1, to_timestamp($5::float8 / 1000.0), 'removed', state, health, exit_code FROM gone
     )
     SELECT id, container_id, state, health, 'removed' AS change FROM gone ORDER BY container_id`,
    [agentId, report.listed, report.full, report.removed, report.reportedMs],
  );
  return result.rows;
}

/** What the agent said about its engine with its newest report; an older report changes nothing. */
export async function updateAgentEngine(
  db: Db,
  agentId: string,
  report: { engine: unknown; actionsEnabled: boolean; reportedMs: number },
): Promise<void> {
  await db.query(
    `UPDATE agents SET container_engine = coalesce($2::jsonb, container_engine),
       container_actions_enabled = $3, containers_reported_at = to_timestamp($4::float8 / 1000.0)
     WHERE id = $1
       AND (containers_reported_at IS NULL OR containers_reported_at <= to_timestamp($4::float8 / 1000.0))`,
    [
      agentId,
      report.engine === undefined ? null : JSON.stringify(report.engine),
      report.actionsEnabled,
      report.reportedMs,
    ],
  );
}

export interface EngineEventWrite {
  containerId: string;
  ts: number;
  action: string;
  exitCode: number | null;
  message: string | null;
}

/** Stores engine events of the agent's known containers; returns how many were stored. */
export async function insertEngineEvents(
  db: Db,
  agentId: string,
  events: EngineEventWrite[],
): Promise<number> {
  if (events.length === 0) return 0;
  const result = await db.query(
    `INSERT INTO container_events (container_ref, agent_id, ts, action, exit_code, message)
     SELECT c.id, $1, to_timestamp(u.ts / 1000.0), u.action, u.exit_code, u.message
     FROM unnest($2::text[], $3::float8[], $4::text[], $5::int[], $6::text[]) AS u(cid, ts, action, exit_code, message)
     JOIN containers c ON c.agent_id = $1 AND c.container_id = u.cid`,
    [
      agentId,
      events.map((e) => e.containerId),
      events.map((e) => e.ts),
      events.map((e) => e.action),
      events.map((e) => e.exitCode),
      events.map((e) => e.message),
    ],
  );
  return result.rowCount ?? 0;
}

/** Keeps each container's newest stats on its row; older stats than those stored change nothing. */
export async function updateLatestStats(
  db: Db,
  agentId: string,
  stats: { containerId: string; ts: number; stats: LatestStats }[],
): Promise<void> {
  if (stats.length === 0) return;
  await db.query(
    `UPDATE containers c SET stats = u.stats, stats_at = to_timestamp(u.ts / 1000.0), updated_at = now()
     FROM unnest($2::text[], $3::float8[], $4::jsonb[]) AS u(cid, ts, stats)
     WHERE c.agent_id = $1 AND c.container_id = u.cid
       AND (c.stats_at IS NULL OR c.stats_at <= to_timestamp(u.ts / 1000.0))`,
    [
      agentId,
      stats.map((s) => s.containerId),
      stats.map((s) => s.ts),
      stats.map((s) => JSON.stringify(s.stats)),
    ],
  );
}

// ---------------------------------------------------------------------------------------------------
// Reads

export interface ContainerRow {
  id: string;
  container_id: string;
  agent_id: string;
  agent_name: string;
  agent_status: 'pending' | 'online' | 'offline' | 'revoked';
  agent_deleted_at: Date | null;
  container_actions_enabled: boolean | null;
  name: string;
  image: string;
  labels: Record<string, string>;
  state: string;
  health: string;
  exit_code: number | null;
  restart_count: number;
  ports: unknown[];
  engine_created_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  state_since: Date;
  stats: LatestStats | null;
  stats_at: Date | null;
  removed_at: Date | null;
}

const FROM = 'containers c JOIN agents a ON a.id = c.agent_id';
const COLUMNS = `c.id, c.container_id, c.agent_id, a.name AS agent_name, a.status AS agent_status,
  a.deleted_at AS agent_deleted_at, a.container_actions_enabled, c.name, c.image, c.labels, c.state, c.health,
  c.exit_code, c.restart_count, c.ports, c.engine_created_at, c.started_at, c.finished_at, c.state_since,
  c.stats, c.stats_at, c.removed_at`;

export interface ContainerFilter {
  agentId?: string | undefined;
  states?: string[] | undefined;
  health?: string | undefined;
  name?: string | undefined;
  /** `key=value` or `key`; all must match. */
  labels: string[];
  includeRemoved: boolean;
  limit: number;
  offset: number;
}

export async function list(
  db: Db,
  filter: ContainerFilter,
): Promise<{ rows: ContainerRow[]; total: number }> {
  const where = new Where('a.deleted_at IS NULL');
  if (!filter.includeRemoved) where.raw('c.removed_at IS NULL');
  if (filter.agentId) where.add('c.agent_id = ?', filter.agentId);
  if (filter.states) where.add('c.state = ANY(?::text[])', filter.states);
  if (filter.health) where.add('c.health = ?', filter.health);
  if (filter.name) where.add('c.name ILIKE ?', containing(filter.name));
  for (const label of filter.labels) {
    const at = label.indexOf('=');
    // jsonb_exists is the `?` operator, spelled as a function: Where reads every `?` as a placeholder.
    if (at < 0) where.add('jsonb_exists(c.labels, ?::text)', label);
    else where.add('c.labels @> ?::jsonb', JSON.stringify({ [label.slice(0, at)]: label.slice(at + 1) }));
  }
  return page<ContainerRow>(db, {
    from: FROM,
    columns: COLUMNS,
    where,
    orderBy: 'c.name, a.name, c.id',
    limit: filter.limit,
    offset: filter.offset,
  });
}

export async function findById(db: Db, id: string): Promise<ContainerRow | undefined> {
  const result = await db.query<ContainerRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = $1`, [id]);
  return result.rows[0];
}

/** Containers whose engine id is or starts with `prefix` (lowercase hex), at most `limit`. */
export async function findByEngineId(db: Db, prefix: string, limit: number): Promise<ContainerRow[]> {
  const result = await db.query<ContainerRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE c.container_id LIKE $1 || '%' ORDER BY c.removed_at NULLS FIRST, c.id
     LIMIT $2`,
    [prefix, limit],
  );
  return result.rows;
}

export interface EventRow {
  ts: Date;
  action: string;
  state: string | null;
  health: string | null;
  exit_code: number | null;
  message: string | null;
}

export async function events(
  db: Db,
  containerRef: string,
  range: { from: Date | null; to: Date; limit: number },
): Promise<EventRow[]> {
  const result = await db.query<EventRow>(
    `SELECT ts, action, state, health, exit_code, message FROM container_events
     WHERE container_ref = $1 AND ts < $2 AND ($3::timestamptz IS NULL OR ts >= $3::timestamptz)
     ORDER BY ts DESC LIMIT $4`,
    [containerRef, range.to, range.from, range.limit],
  );
  return result.rows;
}

// ---------------------------------------------------------------------------------------------------
// Actions

export interface ActionRow {
  id: string;
  container_ref: string;
  container_id: string;
  container_name: string;
  agent_id: string;
  action: 'start' | 'stop' | 'restart';
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'expired';
  stop_timeout_s: number;
  requested_by: string | null;
  requested_by_email: string | null;
  requested_by_name: string | null;
  requested_at: Date;
  expires_at: Date;
  taken_at: Date | null;
  finished_at: Date | null;
  message: string | null;
}

export const EXPIRED_MESSAGE = 'the agent did not take the action before it expired';
export const NO_RESULT_MESSAGE = 'the agent did not report a result';
/** How long past its stop timeout a taken action may run before it counts as failed. */
export const RESULT_GRACE_S = 120;

// A queued action past its expiry reads as expired at once, before the worker has written it so.
const ACTION_COLUMNS = `x.id, x.container_ref, c.container_id, c.name AS container_name, x.agent_id, x.action,
  CASE WHEN x.status = 'queued' AND x.expires_at <= now() THEN 'expired' ELSE x.status END AS status,
  x.stop_timeout_s, x.requested_by, u.email AS requested_by_email, u.name AS requested_by_name,
  x.requested_at, x.expires_at, x.taken_at,
  CASE WHEN x.status = 'queued' AND x.expires_at <= now() THEN x.expires_at ELSE x.finished_at END
    AS finished_at,
  CASE WHEN x.status = 'queued' AND x.expires_at <= now() THEN '${EXPIRED_MESSAGE}' ELSE x.message END
    AS message`;
const ACTION_FROM = `container_actions x JOIN containers c ON c.id = x.container_ref
  LEFT JOIN users u ON u.id = x.requested_by`;

export async function insertAction(
  db: Db,
  action: {
    containerRef: string;
    agentId: string;
    action: string;
    stopTimeoutS: number;
    requestedBy: string | null;
    expiresInS: number;
  },
): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO container_actions (container_ref, agent_id, action, stop_timeout_s, requested_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING id`,
    [
      action.containerRef,
      action.agentId,
      action.action,
      action.stopTimeoutS,
      action.requestedBy,
      action.expiresInS,
    ],
  );
  return onlyRow(result).id;
}

export async function findAction(db: Db, id: string): Promise<ActionRow | undefined> {
  const result = await db.query<ActionRow>(`SELECT ${ACTION_COLUMNS} FROM ${ACTION_FROM} WHERE x.id = $1`, [
    id,
  ]);
  return result.rows[0];
}

export async function actionsOf(db: Db, containerRef: string, limit: number): Promise<ActionRow[]> {
  const result = await db.query<ActionRow>(
    `SELECT ${ACTION_COLUMNS} FROM ${ACTION_FROM} WHERE x.container_ref = $1
     ORDER BY x.requested_at DESC, x.id DESC LIMIT $2`,
    [containerRef, limit],
  );
  return result.rows;
}

/** Of these agents, those with at least one queued, unexpired action: one query for every waiting poll. */
export async function agentsWithQueued(db: Db, agentIds: string[]): Promise<string[]> {
  if (agentIds.length === 0) return [];
  const result = await db.query<{ agent_id: string }>(
    `SELECT DISTINCT agent_id FROM container_actions
     WHERE agent_id = ANY($1::uuid[]) AND status = 'queued' AND expires_at > now()`,
    [agentIds],
  );
  return result.rows.map((row) => row.agent_id);
}

export interface TakenRow {
  id: string;
  container_ref: string;
  container_id: string;
  action: 'start' | 'stop' | 'restart';
  stop_timeout_s: number;
  expires_at: Date;
  requested_at: Date;
}

/**
 * Takes the agent's queued, unexpired actions (oldest first, at most `limit`): they become running.
 * SKIP LOCKED lets two concurrent polls each take different actions, never the same one.
 */
export async function takeQueued(db: Db, agentId: string, limit: number): Promise<TakenRow[]> {
  const result = await db.query<TakenRow>(
    `UPDATE container_actions x SET status = 'running', taken_at = now()
     FROM containers c
     WHERE x.id IN (
         SELECT id FROM container_actions
         WHERE agent_id = $1 AND status = 'queued' AND expires_at > now()
         ORDER BY requested_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       AND x.status = 'queued' AND c.id = x.container_ref
     RETURNING x.id, x.container_ref, c.container_id, x.action, x.stop_timeout_s, x.expires_at, x.requested_at`,
    [agentId, limit],
  );
  return result.rows.sort(
    (a, b) => a.requested_at.getTime() - b.requested_at.getTime() || (a.id < b.id ? -1 : 1),
  );
}

export interface FinishedRow {
  id: string;
  container_ref: string;
  action: string;
  status: 'succeeded' | 'failed' | 'expired';
  message: string | null;
}

/** Records the agent's result of a running action; undefined when it is not the agent's or not running. */
export async function finishRunning(
  db: Db,
  agentId: string,
  id: string,
  result: { status: 'succeeded' | 'failed'; message: string | null; finishedMs: number },
): Promise<FinishedRow | undefined> {
  // The agent's clock may be off: its finish time is kept between taking and now.
  const updated = await db.query<FinishedRow>(
    `UPDATE container_actions SET status = $3, message = $4,
       finished_at = least(greatest(to_timestamp($5::float8 / 1000.0), taken_at), now())
     WHERE id = $1 AND agent_id = $2 AND status = 'running'
     RETURNING id, container_ref, action, status, message`,
    [id, agentId, result.status, result.message, result.finishedMs],
  );
  return updated.rows[0];
}

/** The action's current status if it belongs to the agent. */
export async function statusForAgent(db: Db, agentId: string, id: string): Promise<string | undefined> {
  const result = await db.query<{ status: string }>(
    `SELECT CASE WHEN status = 'queued' AND expires_at <= now() THEN 'expired' ELSE status END AS status
     FROM container_actions WHERE id = $1 AND agent_id = $2`,
    [id, agentId],
  );
  return result.rows[0]?.status;
}

/**
 * Queued actions past their expiry become expired; running ones with no result long after their stop
 * timeout become failed. Returns what changed.
 */
export async function expireOverdue(db: Db): Promise<FinishedRow[]> {
  const expired = await db.query<FinishedRow>(
    `UPDATE container_actions SET status = 'expired', finished_at = expires_at, message = $1
     WHERE status = 'queued' AND expires_at <= now()
     RETURNING id, container_ref, action, status, message`,
    [EXPIRED_MESSAGE],
  );
  const failed = await db.query<FinishedRow>(
    `UPDATE container_actions SET status = 'failed', finished_at = now(), message = $1
     WHERE status = 'running' AND taken_at < now() - make_interval(secs => stop_timeout_s + $2)
     RETURNING id, container_ref, action, status, message`,
    [NO_RESULT_MESSAGE, RESULT_GRACE_S],
  );
  return [...expired.rows, ...failed.rows];
}
