import type { AgentCommand, ContainerAction } from '@emma/protocol';
import type { Db, Pool } from '../../db/pool';
import type { AgentPrincipal, RequestOrigin } from '../../http/context';
import { conflict, notFound } from '../../http/errors';
import * as audit from '../audit/service';
import { notifyChange, notifyChanges } from '../ingest/repo';
import * as metrics from '../metrics/repo';
import * as repo from './repo';
import {
  isUuid,
  type Container,
  type ContainerActionRecord,
  type ListContainersQuery,
  type RequestActionInput,
} from './schemas';
import type { CommandWaiters } from './waiters';
import type { Retention } from '../ingest/partitions';
import { seriesPoints } from '../history/series';

export interface CommandDeps {
  /** Waiting polls check for queued commands here, holding no connection of their own. */
  pool: Pool;
  waiters: CommandWaiters;
  /** The storage tiers' retention, for history reads. */
  retention: Retention;
}

/** The most commands one poll takes. */
const MAX_COMMANDS_PER_POLL = 100;
/** A prefix naming more containers than this lists this many in the 409's details. */
const AMBIGUOUS_SHOWN = 10;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

function unavailable(row: repo.ContainerRow): boolean {
  return row.agent_deleted_at !== null || row.agent_status === 'pending' || row.agent_status === 'revoked';
}

export function toContainer(row: repo.ContainerRow): Container {
  return {
    id: row.id,
    containerId: row.container_id,
    agent: { id: row.agent_id, name: row.agent_name, status: row.agent_status },
    name: row.name,
    image: row.image,
    labels: row.labels,
    state: row.state as Container['state'],
    health: row.health as Container['health'],
    exitCode: row.exit_code,
    restartCount: row.restart_count,
    ports: row.ports as Container['ports'],
    createdAt: iso(row.engine_created_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    stateSince: row.state_since.toISOString(),
    stats: row.stats,
    statsAt: iso(row.stats_at),
    removedAt: iso(row.removed_at),
    actionsEnabled: row.container_actions_enabled === true && row.removed_at === null && !unavailable(row),
  };
}

export async function list(db: Db, query: ListContainersQuery) {
  const { rows, total } = await repo.list(db, {
    agentId: query.agentId,
    states: query.state,
    health: query.health,
    name: query.name,
    labels: query.label,
    includeRemoved: query.includeRemoved,
    limit: query.limit,
    offset: query.offset,
  });
  return { items: rows.map(toContainer), total, limit: query.limit, offset: query.offset };
}

/** A container by eMMA id, or by engine id or its prefix (404 when none, 409 when several match). */
export async function resolve(db: Db, ref: string): Promise<repo.ContainerRow> {
  if (isUuid(ref)) {
    const row = await repo.findById(db, ref.toLowerCase());
    if (!row) throw notFound('Container');
    return row;
  }
  const rows = await repo.findByEngineId(db, ref.toLowerCase(), AMBIGUOUS_SHOWN + 1);
  const [first, second] = rows;
  if (!first) throw notFound('Container');
  if (second) {
    throw conflict(
      'ambiguous',
      `The id prefix ${ref} matches ${rows.length > AMBIGUOUS_SHOWN ? `more than ${AMBIGUOUS_SHOWN}` : rows.length} containers; give more digits or the eMMA id`,
      {
        matches: rows.slice(0, AMBIGUOUS_SHOWN).map((row) => ({
          id: row.id,
          containerId: row.container_id,
          name: row.name,
          agentId: row.agent_id,
        })),
      },
    );
  }
  return first;
}

export async function get(db: Db, ref: string): Promise<Container> {
  return toContainer(await resolve(db, ref));
}

export async function events(
  db: Db,
  ref: string,
  query: { from?: string | undefined; to?: string | undefined; limit: number },
) {
  const container = await resolve(db, ref);
  const rows = await repo.events(db, container.id, {
    from: query.from ? new Date(query.from) : null,
    to: query.to ? new Date(query.to) : new Date(),
    limit: query.limit,
  });
  return {
    items: rows.map((row) => ({
      ts: row.ts.toISOString(),
      action: row.action,
      state: row.state as Container['state'] | null,
      health: row.health as Container['health'] | null,
      exitCode: row.exit_code,
      message: row.message,
    })),
  };
}

/**
 * Raw points of one metric of the container: the agent's series labelled with the container's name (so
 * a container recreated under the same name, as compose does, continues its predecessor's series).
 */
export async function series(
  db: Db,
  ref: string,
  query: {
    metric: string;
    from?: string | undefined;
    to?: string | undefined;
    step?: number | undefined;
    maxPoints?: number | undefined;
  },
  retention: Retention,
) {
  const container = await resolve(db, ref);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
  const labels = { container: container.name };
  const matching = await metrics.matchingSeries(db, container.agent_id, [query.metric], labels);
  const exact = matching
    .filter((s) => Object.keys(s.labels).length === 1)
    .map((s) => ({ ...s, agentId: container.agent_id }));
  const answer = await seriesPoints(
    db,
    exact,
    { from, to, stepS: query.step, maxPoints: query.maxPoints },
    retention,
  );
  const only = answer.series[0];
  return {
    id: container.id,
    metric: query.metric,
    labels,
    from: from.toISOString(),
    to: to.toISOString(),
    tier: answer.tier,
    stepS: answer.stepS,
    points: only?.points ?? [],
    truncated: only?.truncated ?? false,
  };
}

// ---------------------------------------------------------------------------------------------------
// Actions

export function toAction(row: repo.ActionRow): ContainerActionRecord {
  return {
    id: row.id,
    container: { id: row.container_ref, containerId: row.container_id, name: row.container_name },
    agentId: row.agent_id,
    action: row.action,
    status: row.status,
    stopTimeoutS: row.stop_timeout_s,
    requestedBy:
      row.requested_by === null
        ? null
        : { id: row.requested_by, email: row.requested_by_email ?? '', name: row.requested_by_name ?? '' },
    requestedAt: row.requested_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    takenAt: iso(row.taken_at),
    finishedAt: iso(row.finished_at),
    message: row.message,
  };
}

async function loadAction(db: Db, id: string): Promise<ContainerActionRecord> {
  const row = await repo.findAction(db, id);
  if (!row) throw notFound('Container action');
  return toAction(row);
}

const PAST: Record<ContainerAction, string> = { start: 'started', stop: 'stopped', restart: 'restarted' };

/** Queues start/stop/restart for the container's agent; the caller wakes that agent's poll after commit. */
export async function requestAction(
  db: Db,
  origin: RequestOrigin,
  ref: string,
  input: RequestActionInput,
): Promise<ContainerActionRecord> {
  const container = await resolve(db, ref);
  if (container.removed_at !== null) {
    throw conflict(
      'container_removed',
      `Container ${container.name} was removed from its host (${container.removed_at.toISOString()}); it cannot be ${PAST[input.action]}`,
    );
  }
  if (unavailable(container)) {
    const status = container.agent_deleted_at !== null ? 'deleted' : container.agent_status;
    throw conflict(
      'agent_unavailable',
      `The agent ${container.agent_name} is ${status === 'pending' ? 'waiting for approval' : status}; it takes no actions`,
      { agentStatus: status },
    );
  }
  if (container.container_actions_enabled !== true) {
    throw conflict(
      'actions_disabled',
      `The agent ${container.agent_name} runs read-only (EMMA_CONTAINER_ACTIONS=false): it reports its containers ` +
        'but does not start, stop or restart them. Enable actions on that host to use this.',
    );
  }
  const id = await repo.insertAction(db, {
    containerRef: container.id,
    agentId: container.agent_id,
    action: input.action,
    stopTimeoutS: input.stopTimeoutS,
    requestedBy: origin.actorId,
    expiresInS: input.expiresInS,
  });
  const action = await loadAction(db, id);
  await audit.record(db, origin, {
    action: 'container.action.requested',
    targetType: 'container',
    targetId: container.id,
    after: {
      actionId: id,
      action: input.action,
      stopTimeoutS: input.stopTimeoutS,
      expiresAt: action.expiresAt,
      container: { id: container.id, containerId: container.container_id, name: container.name },
      agent: { id: container.agent_id, name: container.agent_name },
    },
  });
  // `a`: API processes LISTEN for queued actions and wake their agent's waiting poll at once.
  await notifyChange(db, {
    t: 'container_action',
    c: container.id,
    a: container.agent_id,
    id,
    status: action.status,
  });
  return action;
}

export async function actionsOf(db: Db, ref: string, limit: number) {
  const container = await resolve(db, ref);
  return { items: (await repo.actionsOf(db, container.id, limit)).map(toAction) };
}

export async function getAction(db: Db, id: string): Promise<ContainerActionRecord> {
  return loadAction(db, id);
}

async function take(db: Db, agentId: string): Promise<AgentCommand[]> {
  const taken = await repo.takeQueued(db, agentId, MAX_COMMANDS_PER_POLL);
  await notifyChanges(
    db,
    taken.map((row) => ({ t: 'container_action', c: row.container_ref, id: row.id, status: 'running' })),
  );
  return taken.map((row) => ({
    id: row.id,
    kind: 'container_action' as const,
    containerId: row.container_id,
    action: row.action,
    stopTimeoutS: row.stop_timeout_s,
    expiresAt: row.expires_at.getTime(),
  }));
}

/**
 * The agent's queued commands, taken (they become running) in the request's transaction. With waitS > 0
 * and nothing queued it waits first, holding no connection: the request's transaction opens only when
 * there is something to take. An empty answer may come early (another poll took the command).
 */
export async function takeCommands(
  deps: CommandDeps,
  db: Db,
  agent: AgentPrincipal,
  waitS: number,
  signal: AbortSignal,
): Promise<{ commands: AgentCommand[] }> {
  if (waitS > 0) {
    // Registered before the check, so an action queued in between wakes it rather than slipping by.
    const failed = new AbortController();
    const waiting = deps.waiters.wait(agent.agentId, waitS * 1000, AbortSignal.any([signal, failed.signal]));
    try {
      if ((await repo.agentsWithQueued(deps.pool, [agent.agentId])).length > 0) {
        deps.waiters.wake(agent.agentId);
      }
    } catch (err) {
      failed.abort();
      throw err;
    }
    if ((await waiting) !== 'woken') return { commands: [] };
  }
  // A client that went away would never see what it took.
  if (signal.aborted) return { commands: [] };
  return { commands: await take(db, agent.agentId) };
}

/** The agent reports how a command it took ended. */
export async function reportResult(
  db: Db,
  origin: RequestOrigin,
  agent: AgentPrincipal,
  id: string,
  result: { status: 'succeeded' | 'failed'; message: string; finishedAt: number },
): Promise<{ id: string; status: 'succeeded' | 'failed' }> {
  const finished = await repo.finishRunning(db, agent.agentId, id, {
    status: result.status,
    message: result.message === '' ? null : result.message,
    finishedMs: result.finishedAt,
  });
  if (!finished) {
    const status = await repo.statusForAgent(db, agent.agentId, id);
    if (status === undefined) throw notFound('Command');
    throw conflict(
      'already_finished',
      `This command is ${status}, not running; its result was not recorded`,
      {
        status,
      },
    );
  }
  await audit.record(db, audit.agentOrigin(origin, agent.agentId), {
    action: 'container.action.finished',
    targetType: 'container',
    targetId: finished.container_ref,
    after: { actionId: id, action: finished.action, status: result.status, message: finished.message },
  });
  await notifyChange(db, { t: 'container_action', c: finished.container_ref, id, status: result.status });
  return { id, status: result.status };
}

/** Worker job: queued actions past expiry expire, taken ones without a result fail. Returns how many. */
export async function expireActions(db: Db): Promise<number> {
  const changed = await repo.expireOverdue(db);
  await notifyChanges(
    db,
    changed.map((row) => ({ t: 'container_action', c: row.container_ref, id: row.id, status: row.status })),
  );
  return changed.length;
}
