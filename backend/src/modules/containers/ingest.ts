// The container part of an ingest batch: the inventory (upserted, with removals and a state history),
// the engine's events, and the stats, which become series like any other metric plus the newest stats
// on each container's row. Called by the ingest service: prepare() on the pool before the transaction,
// apply() inside it for a fresh batch only.
import {
  CONTAINER_METRICS,
  type ContainerEvent,
  type ContainerInventorySchema,
  type ContainerStats,
  type SeriesPoints,
} from '@emma/protocol';
import type { z } from 'zod';
import type { Db } from '../../db/pool';
import { dayStart } from '../ingest/partitions';
import { notifyChanges } from '../ingest/repo';
import * as repo from './repo';
import type { LatestStats } from './schemas';

export type ParsedInventory = z.output<typeof ContainerInventorySchema>;

export interface ContainerBatch {
  containers?: ParsedInventory | undefined;
  containerEvents: ContainerEvent[];
  containerStats: ContainerStats[];
}

/** The stats fields that become series, each with its metric name. */
const STAT_METRICS = [
  ['cpuPercent', CONTAINER_METRICS.cpuPercent],
  ['memUsedBytes', CONTAINER_METRICS.memUsedBytes],
  ['memLimitBytes', CONTAINER_METRICS.memLimitBytes],
  ['netRxBytesPerS', CONTAINER_METRICS.netRxBytesPerS],
  ['netTxBytesPerS', CONTAINER_METRICS.netTxBytesPerS],
  ['blockReadBytesPerS', CONTAINER_METRICS.blockReadBytesPerS],
  ['blockWriteBytesPerS', CONTAINER_METRICS.blockWriteBytesPerS],
  ['pids', CONTAINER_METRICS.pids],
] as const satisfies readonly (readonly [keyof ContainerStats, string])[];

/** More changed containers than this in one batch are announced with one summary notice. */
export const MAX_CONTAINER_NOTICES = 50;

function statValues(stats: ContainerStats): number {
  let n = 0;
  for (const [field] of STAT_METRICS) if (stats[field] !== null) n += 1;
  return n;
}

/**
 * What a batch's stats count towards maxBatchSamples: one per stats entry, as the agent's batcher counts
 * them when it closes a batch (agent/src/pipeline/batcher.ts). Counting each value instead would refuse
 * (413, which the agent drops) batches the agent built within the bound.
 */
export function countStats(stats: ContainerStats[]): number {
  return stats.length;
}

function latestOf(stats: ContainerStats): LatestStats {
  const { id: _id, ts: _ts, ...rest } = stats;
  return rest;
}

/** What prepare() settled on the pool for apply() in the transaction. */
export interface ContainerWork {
  /** The batch's inventory, unless its time lies outside the accepted range (then it is ignored). */
  inventory: ParsedInventory | undefined;
  /** Stats and restart counts as series, labelled {container: <name>}. */
  series: SeriesPoints[];
  /** Days the history and event rows fall on (their partitions must exist). */
  days: number[];
  /**
   * Stats values of containers never reported, events outside the accepted time range, and the
   * containers of an inventory outside it.
   */
  rejected: number;
  latest: { containerId: string; ts: number; stats: LatestStats }[];
  acceptedStats: number;
  events: repo.EngineEventWrite[];
}

function hasContainerData(batch: ContainerBatch): boolean {
  return (
    batch.containers !== undefined || batch.containerEvents.length > 0 || batch.containerStats.length > 0
  );
}

/** Names, series and days of the batch's container data; on the pool, before the transaction. */
export async function prepare(
  pool: Db,
  agentId: string,
  batch: ContainerBatch,
  range: { fromMs: number; toMs: number },
): Promise<ContainerWork | undefined> {
  if (!hasContainerData(batch)) return undefined;
  const inRange = (ts: number) => ts >= range.fromMs && ts <= range.toMs;
  let rejected = 0;
  // A report from too far ahead would freeze the inventory (older reports never overwrite newer ones),
  // one from before retention is stale: like samples out of range, it is not stored.
  let inventory = batch.containers;
  if (inventory && !inRange(inventory.at)) {
    rejected += Math.max(1, inventory.containers.length);
    inventory = undefined;
  }
  const names = new Map<string, string>();
  for (const info of inventory?.containers ?? []) names.set(info.id, info.name);
  const unknown = [...new Set(batch.containerStats.map((s) => s.id).filter((id) => !names.has(id)))];
  for (const [id, name] of await repo.namesOf(pool, agentId, unknown)) names.set(id, name);

  const series = new Map<string, SeriesPoints>();
  const add = (metric: string, name: string, point: [number, number]) => {
    const key = `${metric}\u0000${name}`;
    const entry = series.get(key);
    if (entry) entry.points.push(point);
    else series.set(key, { metric, labels: { container: name }, points: [point] });
  };
  let acceptedStats = 0;
  const latest = new Map<string, ContainerStats>();
  for (const stats of batch.containerStats) {
    const name = names.get(stats.id);
    if (name === undefined) {
      rejected += statValues(stats);
      continue;
    }
    for (const [field, metric] of STAT_METRICS) {
      const value = stats[field];
      if (value !== null) add(metric, name, [stats.ts, value]);
    }
    // Points outside the range are counted by the ingest loop; only in-range stats may become the newest.
    if (!inRange(stats.ts)) continue;
    acceptedStats += 1;
    const current = latest.get(stats.id);
    if (!current || current.ts <= stats.ts) latest.set(stats.id, stats);
  }
  if (inventory) {
    for (const info of inventory.containers) {
      add(CONTAINER_METRICS.restarts, info.name, [inventory.at, info.restartCount]);
    }
  }

  const events: repo.EngineEventWrite[] = [];
  for (const event of batch.containerEvents) {
    if (!inRange(event.ts)) {
      rejected += 1;
      continue;
    }
    events.push({
      containerId: event.id,
      ts: event.ts,
      action: event.action,
      exitCode: event.exitCode ?? null,
      message: event.message ?? null,
    });
  }
  const days = new Set(events.map((e) => dayStart(e.ts)));
  if (inventory) days.add(dayStart(inventory.at));
  return {
    inventory,
    series: [...series.values()],
    days: [...days],
    rejected,
    latest: [...latest.values()].map((s) => ({ containerId: s.id, ts: s.ts, stats: latestOf(s) })),
    acceptedStats,
    events,
  };
}

function inventoryRows(inventory: ParsedInventory): repo.InventoryRow[] {
  // One row per engine id (the last listing wins): an upsert may not touch a row twice.
  const byId = new Map(inventory.containers.map((info) => [info.id, info]));
  return [...byId.values()].map((info) => ({
    id: info.id,
    name: info.name,
    image: info.image,
    image_id: info.imageId ?? null,
    command: info.command ?? null,
    labels: info.labels,
    state: info.state,
    health: info.health,
    exit_code: info.exitCode,
    restart_count: info.restartCount,
    ports: info.ports,
    created_ms: info.createdAt,
    started_ms: info.startedAt,
    finished_ms: info.finishedAt,
  }));
}

/**
 * Writes the container data of a fresh batch in the request's transaction and announces the changes.
 * Returns the events that were rejected (their container was never reported by this agent).
 */
export async function apply(db: Db, agentId: string, work: ContainerWork): Promise<{ rejected: number }> {
  const changed: repo.ChangedContainer[] = [];
  const inventory = work.inventory;
  if (inventory) {
    const rows = inventoryRows(inventory);
    changed.push(...(await repo.upsertInventory(db, agentId, rows, inventory.at)));
    changed.push(
      ...(await repo.markRemoved(db, agentId, {
        full: inventory.full,
        listed: rows.map((r) => r.id),
        removed: inventory.removed,
        reportedMs: inventory.at,
      })),
    );
    await repo.updateAgentEngine(db, agentId, {
      engine: inventory.engine,
      actionsEnabled: inventory.actionsEnabled,
      reportedMs: inventory.at,
    });
  }
  const stored = await repo.insertEngineEvents(db, agentId, work.events);
  await repo.updateLatestStats(db, agentId, work.latest);

  // Ids, not data: listeners read the containers they care about.
  const notices: Record<string, unknown>[] =
    changed.length > MAX_CONTAINER_NOTICES
      ? [{ t: 'containers', a: agentId, n: changed.length }]
      : changed.map((c) => ({
          t: 'container',
          a: agentId,
          c: c.id,
          state: c.state,
          health: c.health,
          change: c.change,
        }));
  if (work.acceptedStats > 0) notices.push({ t: 'container_stats', a: agentId, n: work.acceptedStats });
  await notifyChanges(db, notices);
  return { rejected: work.events.length - stored };
}
