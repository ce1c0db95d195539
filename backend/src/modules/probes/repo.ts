import { onlyRow, type Db } from '../../db/pool';
import { containing, page, Where } from '../../db/where';
import type { AgentProbeState } from './state';

export interface ProbeRow {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  secret_config: string | null;
  interval_s: number;
  timeout_ms: number;
  retries: number;
  agent_id: string | null;
  labels: Record<string, string> | null;
  paused: boolean;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface ProbeStateRow {
  probe_id: string;
  agent_id: string;
  state: AgentProbeState;
  consecutive_failures: number;
  state_since: Date;
  last_result_at: Date | null;
  last_latency_ms: number | null;
  last_message: string | null;
}

const COLUMNS = `id, name, type, config, secret_config, interval_s, timeout_ms, retries, agent_id, labels, paused,
  created_at, updated_at, deleted_at`;

export interface ProbeWrite {
  name: string;
  type: string;
  config: Record<string, unknown>;
  secretConfig: string | null;
  intervalS: number;
  timeoutMs: number;
  retries: number;
  agentId: string | null;
  labels: Record<string, string> | null;
  paused: boolean;
}

/** The written columns in the order both INSERT and UPDATE use: name … paused. */
function writeValues(probe: ProbeWrite): unknown[] {
  return [
    probe.name,
    probe.type,
    JSON.stringify(probe.config),
    probe.secretConfig,
    probe.intervalS,
    probe.timeoutMs,
    probe.retries,
    probe.agentId,
    probe.labels === null ? null : JSON.stringify(probe.labels),
    probe.paused,
  ];
}

export async function insert(db: Db, probe: ProbeWrite & { createdBy: string | null }): Promise<ProbeRow> {
  const result = await db.query<ProbeRow>(
    `INSERT INTO probes (name, type, config, secret_config, interval_s, timeout_ms, retries, agent_id, labels, paused, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
    [...writeValues(probe), probe.createdBy],
  );
  return onlyRow(result);
}

export async function update(db: Db, id: string, probe: ProbeWrite): Promise<ProbeRow> {
  const result = await db.query<ProbeRow>(
    `UPDATE probes SET name = $2, type = $3, config = $4, secret_config = $5, interval_s = $6, timeout_ms = $7,
       retries = $8, agent_id = $9, labels = $10, paused = $11
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, ...writeValues(probe)],
  );
  return onlyRow(result);
}

export async function softDelete(db: Db, id: string): Promise<void> {
  await db.query('UPDATE probes SET deleted_at = now() WHERE id = $1', [id]);
}

export async function find(db: Db, id: string, forUpdate = false): Promise<ProbeRow | undefined> {
  const result = await db.query<ProbeRow>(
    `SELECT ${COLUMNS} FROM probes WHERE id = $1 AND deleted_at IS NULL ${forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

export interface ProbeFilter {
  type?: string | undefined;
  agentId?: string | undefined;
  q?: string | undefined;
  state?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * The state a probe `p` shows (service.ts, state.ts): `paused` when paused, else the worst state of the
 * agents that run it now (not deleted; assigned, or selected by their labels), `pending` when none reported.
 * Its states are walked worst first (probe_states_worst_idx: the ORDER BY must stay exactly that index's
 * expression) down to the first one of an agent that still runs it: one index probe per probe, however many
 * agents a label selector reaches. The agent check is a scalar subquery on purpose: as a join or EXISTS the
 * planner would start from the agents and read every state.
 */
export const PROBE_STATE_SQL = `CASE WHEN p.paused THEN 'paused' ELSE coalesce((
    SELECT s.state FROM probe_states s
    WHERE s.probe_id = p.id
      AND (SELECT a.deleted_at IS NULL AND (p.agent_id = a.id OR (p.agent_id IS NULL AND a.labels @> p.labels))
           FROM agents a WHERE a.id = s.agent_id)
    ORDER BY CASE state WHEN 'down' THEN 3 WHEN 'degraded' THEN 2 WHEN 'up' THEN 1 ELSE 0 END DESC
    LIMIT 1), 'pending') END`;

export async function list(db: Db, filter: ProbeFilter): Promise<{ rows: ProbeRow[]; total: number }> {
  const where = new Where('deleted_at IS NULL');
  if (filter.type) where.add('type = ?', filter.type);
  if (filter.state) {
    // Compiling this expression costs more than running it.
    await db.query('SET LOCAL jit = off');
    where.add(`${PROBE_STATE_SQL} = ?`, filter.state);
  }
  // An agent's probes: assigned to it, or selected by labels it carries.
  if (filter.agentId) {
    where.add(
      '(agent_id = ? OR (agent_id IS NULL AND labels <@ (SELECT labels FROM agents WHERE id = ?)))',
      filter.agentId,
    );
  }
  if (filter.q) where.add('name ILIKE ?', containing(filter.q));
  return page<ProbeRow>(db, { from: 'probes p', columns: COLUMNS, where, orderBy: 'name, id', ...filter });
}

export async function statesFor(db: Db, probeIds: string[]): Promise<ProbeStateRow[]> {
  if (probeIds.length === 0) return [];
  // Only agents that run the probe now: a state left behind by an agent it moved away from does not count.
  const result = await db.query<ProbeStateRow>(
    `SELECT s.probe_id, s.agent_id, s.state, s.consecutive_failures, s.state_since, s.last_result_at,
            s.last_latency_ms, s.last_message
     FROM probe_states s JOIN probes p ON p.id = s.probe_id JOIN agents a ON a.id = s.agent_id
     WHERE s.probe_id = ANY($1::uuid[]) AND a.deleted_at IS NULL
       AND (p.agent_id = a.id OR (p.agent_id IS NULL AND a.labels @> p.labels))
     ORDER BY s.agent_id`,
    [probeIds],
  );
  return result.rows;
}

/** The probes an agent runs: assigned to it, or selected by labels its own labels contain. */
export async function forAgent(db: Db, agentId: string): Promise<ProbeRow[]> {
  const result = await db.query<ProbeRow>(
    `SELECT ${COLUMNS.split(',')
      .map((c) => `p.${c.trim()}`)
      .join(', ')}
     FROM probes p JOIN agents a ON a.id = $1
     WHERE p.deleted_at IS NULL AND NOT p.paused
       AND (p.agent_id = a.id OR (p.agent_id IS NULL AND a.labels @> p.labels))
     ORDER BY p.id`,
    [agentId],
  );
  return result.rows;
}

export async function lockStates(db: Db, agentId: string, probeIds: string[]): Promise<ProbeStateRow[]> {
  const result = await db.query<ProbeStateRow>(
    `SELECT probe_id, agent_id, state, consecutive_failures, state_since, last_result_at, last_latency_ms, last_message
     FROM probe_states WHERE agent_id = $1 AND probe_id = ANY($2::uuid[]) ORDER BY probe_id FOR UPDATE`,
    [agentId, probeIds],
  );
  return result.rows;
}

export interface StateWrite {
  probeId: string;
  state: AgentProbeState;
  consecutiveFailures: number;
  stateSince: number;
  lastResultAt: number;
  lastLatencyMs: number | null;
  lastMessage: string;
}

export async function upsertStates(db: Db, agentId: string, states: StateWrite[]): Promise<void> {
  if (states.length === 0) return;
  await db.query(
    `INSERT INTO probe_states (probe_id, agent_id, state, consecutive_failures, state_since, last_result_at,
       last_latency_ms, last_message)
     SELECT p, $1, s, f, to_timestamp(since / 1000.0), to_timestamp(at / 1000.0), l, m
     FROM unnest($2::uuid[], $3::text[], $4::int[], $5::float8[], $6::float8[], $7::float8[], $8::text[])
       AS u(p, s, f, since, at, l, m)
     ON CONFLICT (probe_id, agent_id) DO UPDATE SET state = EXCLUDED.state,
       consecutive_failures = EXCLUDED.consecutive_failures, state_since = EXCLUDED.state_since,
       last_result_at = EXCLUDED.last_result_at, last_latency_ms = EXCLUDED.last_latency_ms,
       last_message = EXCLUDED.last_message, updated_at = now()`,
    [
      agentId,
      states.map((s) => s.probeId),
      states.map((s) => s.state),
      states.map((s) => s.consecutiveFailures),
      states.map((s) => s.stateSince),
      states.map((s) => s.lastResultAt),
      states.map((s) => s.lastLatencyMs),
      states.map((s) => s.lastMessage),
    ],
  );
}

export interface ResultWrite {
  probeId: string;
  ts: number;
  status: string;
  latencyMs: number | null;
  message: string;
  details: unknown;
}

export async function insertResults(db: Db, agentId: string, results: ResultWrite[]): Promise<void> {
  if (results.length === 0) return;
  await db.query(
    `INSERT INTO probe_results (probe_id, agent_id, ts, status, latency_ms, message, details)
     SELECT p, $1, to_timestamp(t / 1000.0), s, l, m, d
     FROM unnest($2::uuid[], $3::float8[], $4::text[], $5::float8[], $6::text[], $7::jsonb[]) AS u(p, t, s, l, m, d)`,
    [
      agentId,
      results.map((r) => r.probeId),
      results.map((r) => r.ts),
      results.map((r) => r.status),
      results.map((r) => r.latencyMs),
      results.map((r) => r.message),
      results.map((r) => (r.details === undefined ? null : JSON.stringify(r.details))),
    ],
  );
}

export async function insertEvent(
  db: Db,
  event: {
    probeId: string;
    agentId: string | null;
    from: string;
    to: string;
    message: string | null;
    at: number;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO probe_events (probe_id, agent_id, from_state, to_state, message, occurred_at)
     VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0))`,
    [event.probeId, event.agentId, event.from, event.to, event.message, event.at],
  );
}

export interface ResultRow {
  agent_id: string;
  ts: Date;
  status: 'up' | 'down' | 'degraded';
  latency_ms: number | null;
  message: string;
  details: unknown;
}

export async function results(
  db: Db,
  probeId: string,
  range: { from: Date; to: Date; agentId: string | undefined; limit: number },
): Promise<ResultRow[]> {
  const result = await db.query<ResultRow>(
    `SELECT agent_id, ts, status, latency_ms, message, details FROM probe_results
     WHERE probe_id = $1 AND ts >= $2 AND ts < $3 AND ($4::uuid IS NULL OR agent_id = $4::uuid)
     ORDER BY ts LIMIT $5`,
    [probeId, range.from, range.to, range.agentId ?? null, range.limit],
  );
  return result.rows;
}

export interface UptimeRow {
  checks: number;
  up: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Checks, checks that were not down, and latency percentiles of those over the last `days`. */
export async function uptime(db: Db, probeId: string, days: number): Promise<UptimeRow> {
  const result = await db.query<UptimeRow>(
    `SELECT count(*)::int AS checks, count(*) FILTER (WHERE status <> 'down')::int AS up,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down') AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down') AS p95,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down') AS p99
     FROM probe_results WHERE probe_id = $1 AND ts >= now() - make_interval(days => $2)`,
    [probeId, days],
  );
  return onlyRow(result);
}

export interface EventRow {
  id: number;
  agent_id: string | null;
  from_state: string;
  to_state: string;
  message: string | null;
  occurred_at: Date;
}

export async function events(db: Db, probeId: string, limit: number): Promise<EventRow[]> {
  const result = await db.query<EventRow>(
    `SELECT id, agent_id, from_state, to_state, message, occurred_at FROM probe_events
     WHERE probe_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`,
    [probeId, limit],
  );
  return result.rows;
}

/** Which of these probes exist (not deleted). */
export async function existingIds(db: Db, probeIds: string[]): Promise<Set<string>> {
  const result = await db.query<{ id: string }>(
    'SELECT id FROM probes WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL',
    [probeIds],
  );
  return new Set(result.rows.map((row) => row.id));
}

export interface BarRow {
  probe_id: string;
  bucket: number;
  checks: number;
  down: number;
  degraded: number;
}

/** Checks per probe and window of `bucketMs` from `fromMs` (window 0) to `toMs`; only windows with checks. */
export async function uptimeBars(
  db: Db,
  probeIds: string[],
  range: { fromMs: number; toMs: number; bucketMs: number },
): Promise<BarRow[]> {
  const result = await db.query<BarRow>(
    `SELECT probe_id, floor((extract(epoch FROM ts) * 1000 - $2) / $4)::int AS bucket, count(*)::int AS checks,
       count(*) FILTER (WHERE status = 'down')::int AS down,
       count(*) FILTER (WHERE status = 'degraded')::int AS degraded
     FROM probe_results
     WHERE probe_id = ANY($1::uuid[]) AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)
     GROUP BY 1, 2`,
    [probeIds, range.fromMs, range.toMs, range.bucketMs],
  );
  return result.rows;
}
