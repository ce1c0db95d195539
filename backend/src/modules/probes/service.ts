import {
  PROBE_CONFIG_SCHEMAS,
  ProbeDefinitionSchema,
  type AgentProbe,
  type ProbeResult,
  type ProbeState,
} from '@emma/protocol';
import type { Retention } from '../ingest/partitions';
import { probeTotals } from '../history/probe-history';
import type { Db } from '../../db/pool';
import type { RequestOrigin } from '../../http/context';
import { AppError, notFound, validationError } from '../../http/errors';
import * as audit from '../audit/service';
import { notifyChange } from '../ingest/repo';
import * as repo from './repo';
import type { CreateProbeInput, Probe, UpdateProbeInput, UptimeBarsQuery } from './schemas';
import { decryptSecrets, encryptSecrets, SECRET_FIELDS, splitSecrets } from './secrets';
import { nextState, overallState, type StateSnapshot } from './state';

export interface ProbeDeps {
  serverSecret: string;
}

function toProbe(row: repo.ProbeRow, states: repo.ProbeStateRow[], serverSecret: string): Probe {
  const secrets = row.secret_config ? decryptSecrets(serverSecret, row.secret_config) : {};
  const agents = states.map((s) => ({
    agentId: s.agent_id,
    state: s.state,
    consecutiveFailures: s.consecutive_failures,
    since: s.state_since.toISOString(),
    lastResultAt: s.last_result_at?.toISOString() ?? null,
    lastLatencyMs: s.last_latency_ms,
    lastMessage: s.last_message,
  }));
  const state: ProbeState = row.paused ? 'paused' : overallState(states.map((s) => s.state));
  return {
    id: row.id,
    name: row.name,
    type: row.type as Probe['type'],
    config: row.config,
    secretsSet: Object.keys(secrets).sort(),
    intervalS: row.interval_s,
    timeoutMs: row.timeout_ms,
    retries: row.retries,
    agentId: row.agent_id,
    labels: row.labels,
    paused: row.paused,
    state,
    agents,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function withStates(db: Db, rows: repo.ProbeRow[], serverSecret: string): Promise<Probe[]> {
  const states = await repo.statesFor(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) =>
    toProbe(
      row,
      states.filter((s) => s.probe_id === row.id),
      serverSecret,
    ),
  );
}

async function assertAgent(db: Db, agentId: string): Promise<void> {
  const found = await db.query('SELECT 1 FROM agents WHERE id = $1 AND deleted_at IS NULL', [agentId]);
  if (found.rowCount !== 1) {
    throw new AppError(422, 'unknown_agent', 'No such agent', [
      { path: 'body.agentId', message: 'no such agent', code: 'unknown_agent' },
    ]);
  }
}

function seal(serverSecret: string, secrets: Record<string, string>): string | null {
  return Object.keys(secrets).length === 0 ? null : encryptSecrets(serverSecret, secrets);
}

export async function create(
  deps: ProbeDeps,
  db: Db,
  origin: RequestOrigin,
  input: CreateProbeInput,
): Promise<Probe> {
  if (input.agentId) await assertAgent(db, input.agentId);
  const { config, secrets } = splitSecrets(input.type, input.config);
  const row = await repo.insert(db, {
    name: input.name,
    type: input.type,
    config,
    secretConfig: seal(deps.serverSecret, secrets),
    intervalS: input.intervalS,
    timeoutMs: input.timeoutMs,
    retries: input.retries,
    agentId: input.agentId ?? null,
    labels: input.labels ?? null,
    paused: input.paused,
    createdBy: origin.actorId,
  });
  const probe = toProbe(row, [], deps.serverSecret);
  await audit.record(db, origin, {
    action: 'probe.created',
    targetType: 'probe',
    targetId: row.id,
    after: probe,
  });
  await notifyChange(db, { t: 'probe', p: row.id, change: 'created' });
  return probe;
}

export async function get(deps: ProbeDeps, db: Db, id: string): Promise<Probe> {
  const row = await repo.find(db, id);
  if (!row) throw notFound('Probe');
  const [probe] = await withStates(db, [row], deps.serverSecret);
  if (!probe) throw notFound('Probe');
  return probe;
}

export async function list(
  deps: ProbeDeps,
  db: Db,
  filter: repo.ProbeFilter & { state?: ProbeState | undefined },
) {
  const { rows, total } = await repo.list(db, filter);
  return {
    items: await withStates(db, rows, deps.serverSecret),
    total,
    limit: filter.limit,
    offset: filter.offset,
  };
}

export async function update(
  deps: ProbeDeps,
  db: Db,
  origin: RequestOrigin,
  id: string,
  input: UpdateProbeInput,
): Promise<Probe> {
  const current = await repo.find(db, id, true);
  if (!current) throw notFound('Probe');
  if (input.agentId) await assertAgent(db, input.agentId);
  const oldSecrets = current.secret_config ? decryptSecrets(deps.serverSecret, current.secret_config) : {};
  let config = current.config;
  let secrets = oldSecrets;
  if (input.config !== undefined) {
    // A secret left out of the new config keeps its stored value: clients never see it to send it back.
    const merged = { ...oldSecrets, ...input.config };
    const parsed = ProbeDefinitionSchema.safeParse({ type: current.type, config: merged });
    if (!parsed.success) throw validationError(parsed.error, 'body');
    const split = splitSecrets(current.type, parsed.data.config);
    config = split.config;
    secrets = split.secrets;
  }
  const intervalS = input.intervalS ?? current.interval_s;
  const timeoutMs = input.timeoutMs ?? current.timeout_ms;
  if (timeoutMs >= intervalS * 1000) {
    throw new AppError(400, 'validation_failed', 'Invalid body', [
      { path: 'body.timeoutMs', message: 'must be shorter than the interval', code: 'custom' },
    ]);
  }
  const row = await repo.update(db, id, {
    name: input.name ?? current.name,
    type: current.type,
    config,
    secretConfig: seal(deps.serverSecret, secrets),
    intervalS,
    timeoutMs,
    retries: input.retries ?? current.retries,
    agentId: input.labels ? null : (input.agentId ?? current.agent_id),
    labels: input.agentId ? null : (input.labels ?? current.labels),
    paused: input.paused ?? current.paused,
  });
  const before = toProbe(current, [], deps.serverSecret);
  const after = await get(deps, db, id);
  await audit.record(db, origin, {
    action: 'probe.updated',
    targetType: 'probe',
    targetId: id,
    before,
    after,
  });
  await notifyChange(db, { t: 'probe', p: row.id, change: 'updated' });
  return after;
}

export async function remove(deps: ProbeDeps, db: Db, origin: RequestOrigin, id: string): Promise<void> {
  const current = await repo.find(db, id, true);
  if (!current) throw notFound('Probe');
  await repo.softDelete(db, id);
  await audit.record(db, origin, {
    action: 'probe.deleted',
    targetType: 'probe',
    targetId: id,
    before: toProbe(current, [], deps.serverSecret),
  });
  await notifyChange(db, { t: 'probe', p: id, change: 'deleted' });
}

/** What an agent receives in its configuration: its probes with their secrets. */
export async function probesForAgent(deps: ProbeDeps, db: Db, agentId: string): Promise<AgentProbe[]> {
  const rows = await repo.forAgent(db, agentId);
  const probes: AgentProbe[] = [];
  for (const row of rows) {
    const secrets = row.secret_config ? decryptSecrets(deps.serverSecret, row.secret_config) : {};
    const parsed = ProbeDefinitionSchema.safeParse({ type: row.type, config: { ...row.config, ...secrets } });
    if (!parsed.success) continue;
    probes.push({
      id: row.id,
      name: row.name,
      intervalS: row.interval_s,
      timeoutMs: row.timeout_ms,
      ...parsed.data,
    });
  }
  return probes;
}

/**
 * Stores an agent's probe results and moves each probe's state for that agent by the retries rule.
 * Results for probes the agent does not run (deleted meanwhile, reassigned) are counted and dropped.
 */
/** The retries setting of each of these probes that the agent runs now; others are not its to report. */
export async function assignedRetries(
  db: Db,
  agentId: string,
  probeIds: string[],
): Promise<Map<string, number>> {
  if (probeIds.length === 0) return new Map();
  const probes = await db.query<{ id: string; retries: number }>(
    `SELECT p.id, p.retries FROM probes p JOIN agents a ON a.id = $1
     WHERE p.id = ANY($2::uuid[]) AND p.deleted_at IS NULL
       AND (p.agent_id = a.id OR (p.agent_id IS NULL AND a.labels @> p.labels))`,
    [agentId, [...new Set(probeIds)]],
  );
  return new Map(probes.rows.map((p) => [p.id, p.retries]));
}

export async function ingestResults(
  db: Db,
  agentId: string,
  results: ProbeResult[],
  knownRetries?: Map<string, number>,
): Promise<{ stored: number; rejected: number }> {
  if (results.length === 0) return { stored: 0, rejected: 0 };
  const retries =
    knownRetries ??
    (await assignedRetries(
      db,
      agentId,
      results.map((r) => r.probeId),
    ));
  const accepted = results.filter((r) => retries.has(r.probeId)).sort((a, b) => a.ts - b.ts);
  await repo.insertResults(
    db,
    agentId,
    accepted.map((r) => ({
      probeId: r.probeId,
      ts: r.ts,
      status: r.status,
      latencyMs: r.latencyMs,
      message: r.message,
      details: r.details,
    })),
  );

  const current = new Map(
    (await repo.lockStates(db, agentId, [...retries.keys()])).map((s) => [
      s.probe_id,
      { state: s.state, consecutiveFailures: s.consecutive_failures, since: s.state_since.getTime() },
    ]),
  );
  const writes = new Map<string, repo.StateWrite>();
  for (const result of accepted) {
    const before = current.get(result.probeId) ?? {
      state: 'pending' as const,
      consecutiveFailures: 0,
      since: result.ts,
    };
    const after: StateSnapshot = nextState(before, result.status, retries.get(result.probeId) ?? 0);
    const since = after.state === before.state ? before.since : result.ts;
    if (after.state !== before.state) {
      await repo.insertEvent(db, {
        probeId: result.probeId,
        agentId,
        from: before.state,
        to: after.state,
        message: result.message,
        at: result.ts,
      });
      await notifyChange(db, {
        t: 'probe_state',
        p: result.probeId,
        a: agentId,
        from: before.state,
        to: after.state,
      });
    }
    current.set(result.probeId, { ...after, since });
    writes.set(result.probeId, {
      probeId: result.probeId,
      state: after.state,
      consecutiveFailures: after.consecutiveFailures,
      stateSince: since,
      lastResultAt: result.ts,
      lastLatencyMs: result.latencyMs,
      lastMessage: result.message,
    });
  }
  await repo.upsertStates(db, agentId, [...writes.values()]);
  return { stored: accepted.length, rejected: results.length - accepted.length };
}

export { PROBE_CONFIG_SCHEMAS, SECRET_FIELDS };

/** Existence only: cheaper than get(), which decrypts secrets and loads states. */
async function assertProbe(db: Db, id: string): Promise<void> {
  if (!(await repo.find(db, id))) throw notFound('Probe');
}

export async function results(
  db: Db,
  id: string,
  query: { from?: string | undefined; to?: string | undefined; agentId?: string | undefined; limit: number },
) {
  await assertProbe(db, id);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
  const rows = await repo.results(db, id, { from, to, agentId: query.agentId, limit: query.limit });
  return {
    items: rows.map((row) => ({
      agentId: row.agent_id,
      ts: row.ts.toISOString(),
      status: row.status,
      latencyMs: row.latency_ms,
      message: row.message,
      details: row.details,
    })),
  };
}

const UPTIME_WINDOWS = { '24h': 1, '7d': 7, '30d': 30 } as const;

export async function uptime(db: Db, id: string, retention: Retention) {
  await assertProbe(db, id);
  const now = Date.now();
  const window = async (days: number) => {
    // Raw results answer exactly while they are kept; past the raw tier the rollups answer (p50/p99 unknown).
    if (days > retention.rawDays) {
      const totals = await probeTotals(db, id, new Date(now - days * 86_400_000), new Date(now), retention);
      return {
        checks: totals.checks,
        upChecks: totals.up,
        uptimePercent: totals.checks === 0 ? null : Math.round((totals.up / totals.checks) * 100_000) / 1000,
        latencyP50Ms: null,
        latencyP95Ms: totals.latencyP95,
        latencyP99Ms: null,
      };
    }
    const row = await repo.uptime(db, id, days);
    return {
      checks: row.checks,
      upChecks: row.up,
      uptimePercent: row.checks === 0 ? null : Math.round((row.up / row.checks) * 100_000) / 1000,
      latencyP50Ms: row.p50,
      latencyP95Ms: row.p95,
      latencyP99Ms: row.p99,
    };
  };
  return {
    probeId: id,
    windows: {
      '24h': await window(UPTIME_WINDOWS['24h']),
      '7d': await window(UPTIME_WINDOWS['7d']),
      '30d': await window(UPTIME_WINDOWS['30d']),
    },
  };
}

export async function events(db: Db, id: string, limit: number) {
  await assertProbe(db, id);
  const rows = await repo.events(db, id, limit);
  return {
    items: rows.map((row) => ({
      id: row.id,
      agentId: row.agent_id,
      from: row.from_state,
      to: row.to_state,
      message: row.message,
      occurredAt: row.occurred_at.toISOString(),
    })),
  };
}

/**
 * Recent checks of many probes at once, in equal windows ending with the current one, for the uptime bars
 * of a list: one request for the rows in view instead of one per probe. Windows align to multiples of their
 * length, so rows fetched at different moments line up.
 */
export async function uptimeBars(db: Db, query: UptimeBarsQuery) {
  const bucketMs = Math.floor((query.hours * 3_600_000) / query.buckets);
  const toMs = Math.ceil((Date.now() + 1) / bucketMs) * bucketMs;
  const fromMs = toMs - bucketMs * query.buckets;
  const existing = await repo.existingIds(db, query.ids);
  const ids = query.ids.filter((id) => existing.has(id));
  const bars = new Map(
    ids.map((id) => [id, Array.from({ length: query.buckets }, () => ({ checks: 0, down: 0, degraded: 0 }))]),
  );
  if (ids.length > 0) {
    for (const row of await repo.uptimeBars(db, ids, { fromMs, toMs, bucketMs })) {
      const buckets = bars.get(row.probe_id);
      if (buckets && row.bucket >= 0 && row.bucket < buckets.length) {
        buckets[row.bucket] = { checks: row.checks, down: row.down, degraded: row.degraded };
      }
    }
  }
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    bucketMs,
    items: ids.map((id) => ({ probeId: id, buckets: bars.get(id) ?? [] })),
  };
}
