import type { IngestBatch, IngestResult, ProbeResult, SeriesPoints } from '@emma/protocol';
import type { Db, Pool } from '../../db/pool';
import type { AgentPrincipal } from '../../http/context';
import { AppError } from '../../http/errors';
import { recordAgentEvent } from '../agents/repo';
import * as containers from '../containers/ingest';
import { assignedRetries, ingestResults as ingestProbeResults } from '../probes/service';
import type { PartitionManager } from './partitions';
import { dayStart } from './partitions';
import { lateHours } from '../history/rollup';
import { markBackfill } from '../history/rollup-repo';
import * as repo from './repo';
import type { SeriesCache } from './series-cache';

export interface IngestDeps {
  /** For reads that must not hold the request's connection while series are resolved on the pool. */
  pool: Pool;
  partitions: PartitionManager;
  series: SeriesCache;
  maxBatchSamples: number;
  now?: () => number;
}

export type ParsedBatch = Required<
  Pick<IngestBatch, 'seq' | 'sentAt' | 'droppedBatches' | 'series' | 'probeResults'>
> &
  containers.ContainerBatch;

function probeSeries(results: ProbeResult[]): SeriesPoints[] {
  const series: SeriesPoints[] = [];
  for (const result of results) {
    const labels = { probe: result.probeId };
    series.push({ metric: 'probe.up', labels, points: [[result.ts, result.status === 'down' ? 0 : 1]] });
    if (result.latencyMs !== null) {
      series.push({ metric: 'probe.latency.ms', labels, points: [[result.ts, result.latencyMs]] });
    }
  }
  return series;
}

/** The samples a batch carries towards maxBatchSamples: its series' points and its container stats. */
export function countSamples(batch: ParsedBatch): number {
  let n = containers.countStats(batch.containerStats);
  for (const series of batch.series) n += series.points.length;
  return n;
}

/**
 * Stores one batch. Series ids and partitions are settled first on the pool (both idempotent); the
 * samples, the replay marker and the agent's liveness then commit together in the request's transaction.
 */
export async function ingest(
  deps: IngestDeps,
  db: Db,
  agent: AgentPrincipal,
  batch: ParsedBatch,
): Promise<IngestResult> {
  const total = countSamples(batch);
  if (total > deps.maxBatchSamples) {
    throw new AppError(413, 'batch_too_large', `A batch may carry at most ${deps.maxBatchSamples} samples`, {
      samples: total,
    });
  }
  const now = (deps.now ?? Date.now)();
  const { fromMs, toMs } = deps.partitions.acceptedRange(now);

  // Probe results the agent may report (its probes, within the accepted time range) also become the
  // probe.up and probe.latency.ms series, so probes chart and alert like any other metric.
  const inRange = batch.probeResults.filter((r) => r.ts >= fromMs && r.ts <= toMs);
  const retries = await assignedRetries(
    deps.pool,
    agent.agentId,
    inRange.map((r) => r.probeId),
  );
  const probeResults = inRange.filter((r) => retries.has(r.probeId));
  // Container stats and restart counts become series labelled with the container's name.
  const containerWork = await containers.prepare(deps.pool, agent.agentId, batch, { fromMs, toMs });
  const allSeries = [...batch.series, ...probeSeries(probeResults), ...(containerWork?.series ?? [])];
  const seriesIds = await deps.series.resolve(
    agent.agentId,
    allSeries.map((s) => ({ metric: s.metric, labels: s.labels ?? {} })),
  );
  const ids: number[] = [];
  const timestamps: number[] = [];
  const values: number[] = [];
  const latest = new Map<number, [number, number]>();
  const days = new Set<number>();
  let rejected = 0;
  allSeries.forEach((series, i) => {
    const id = seriesIds[i] ?? 0;
    for (const [ts, value] of series.points) {
      if (ts < fromMs || ts > toMs || !Number.isFinite(value)) {
        rejected += 1;
        continue;
      }
      ids.push(id);
      timestamps.push(ts);
      values.push(value);
      days.add(dayStart(ts));
      const current = latest.get(id);
      if (!current || current[0] <= ts) latest.set(id, [ts, value]);
    }
  });
  for (const result of probeResults) days.add(dayStart(result.ts));
  for (const day of containerWork?.days ?? []) days.add(day);
  await deps.partitions.ensureDays(days);

  const fresh = await repo.claimBatch(db, agent.agentId, batch.seq, ids.length);
  // Locking the agent row first queues one agent's batches behind each other, so their series updates
  // cannot deadlock.
  const previous = await repo.touchAgent(db, agent.agentId, batch.seq, fresh ? batch.droppedBatches : 0);
  if (fresh) {
    await repo.insertSamples(db, ids, timestamps, values);
    const latestIds = [...latest.keys()];
    await repo.updateLatest(
      db,
      latestIds,
      latestIds.map((id) => latest.get(id)?.[0] ?? 0),
      latestIds.map((id) => latest.get(id)?.[1] ?? 0),
    );
  }
  if (previous === 'offline') {
    await recordAgentEvent(db, agent.agentId, 'online');
    await repo.notifyChange(db, { t: 'agent', a: agent.agentId, status: 'online' });
  }
  if (fresh) await ingestProbeResults(db, agent.agentId, probeResults, retries);
  if (fresh) {
    // Data for buckets the rollups may already have passed (a replayed spool): roll those hours up again.
    const late = lateHours(
      now,
      timestamps,
      probeResults.map((r) => r.ts),
    );
    await markBackfill(db, agent.agentId, late);
  }
  const probeRejected = batch.probeResults.length - probeResults.length;
  let containerRejected = containerWork?.rejected ?? 0;
  if (fresh && containerWork) {
    containerRejected += (await containers.apply(db, agent.agentId, containerWork)).rejected;
  }
  if (fresh && ids.length > 0) {
    await repo.notifyChange(db, { t: 'samples', a: agent.agentId, s: batch.seq, n: ids.length });
  }
  return {
    accepted: true,
    duplicate: !fresh,
    samples: fresh ? ids.length : 0,
    rejectedSamples: rejected + probeRejected + containerRejected,
  };
}
