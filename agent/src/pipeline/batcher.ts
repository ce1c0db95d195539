// Collects samples into ingest batches: grouped by series, bounded by sample count and by age.
// Each batch takes the next persisted sequence number when it is closed, and batches are handed on
// strictly in seq order (one at a time), so the sender sees them in the order the server expects.
import {
  LabelsSchema,
  MetricNameSchema,
  type ContainerEvent,
  type ContainerInfo,
  type ContainerInventory,
  type ContainerStats,
  type IngestBatch,
  type Labels,
  type ProbeResult,
  type SeriesPoints,
} from '@emma/protocol';
import { silentLogger, type PipelineLogger } from './logger';

export interface Sample {
  metric: string;
  labels?: Labels;
  value: number;
  /** Unix milliseconds. */
  ts: number;
}

export interface BatcherLimits {
  /** Most samples (points) in one batch; the server's maxBatchSamples. */
  maxSamples: number;
  /** A batch is closed at the latest this long after its first sample. */
  maxDelayMs: number;
  /** When no batch was produced for this long, an empty one is (a heartbeat). Off when unset. */
  heartbeatMs?: number;
}

export interface BatcherOptions extends BatcherLimits {
  /** Sequence numbers, e.g. `() => state.allocateSeq()`. */
  nextSeq: () => Promise<number>;
  /** Receives each batch; the next batch waits for the returned promise. */
  onBatch: (batch: IngestBatch) => Promise<void> | void;
  now?: () => number;
  logger?: PipelineLogger;
}

export interface BatcherStats {
  batches: number;
  samples: number;
  /** Samples refused locally (bad name, labels, value or time) so they cannot spoil a whole batch. */
  invalidSamples: number;
  /** Batches lost because no seq could be taken or the receiver failed. */
  failedBatches: number;
}

type Point = [number, number];

/** The protocol's bound on containerEvents and containerStats per batch. */
export const MAX_CONTAINER_ITEMS = 10_000;

/** The pending container inventory: containers by id (upserts), removals in order. */
interface PendingInventory {
  at: number;
  full: boolean;
  actionsEnabled: boolean;
  engine: ContainerInventory['engine'];
  containers: Map<string, ContainerInfo>;
  removed: Set<string>;
}

/** The open batch's container data. */
interface ContainerPart {
  inventory: PendingInventory | undefined;
  events: ContainerEvent[];
  stats: ContainerStats[];
}

function emptyContainerPart(): ContainerPart {
  return { inventory: undefined, events: [], stats: [] };
}

function inventoryOf(pending: PendingInventory): ContainerInventory {
  return {
    at: pending.at,
    full: pending.full,
    actionsEnabled: pending.actionsEnabled,
    ...(pending.engine ? { engine: pending.engine } : {}),
    containers: [...pending.containers.values()],
    removed: [...pending.removed],
  };
}

function seriesKey(metric: string, labels: Labels | undefined): string {
  if (!labels) return metric;
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? metric : `${metric}\u0000${JSON.stringify(entries)}`;
}

export class Batcher {
  private limits: BatcherLimits;
  private groups = new Map<string, SeriesPoints>();
  private probeResults: ProbeResult[] = [];
  private containerPart: ContainerPart = emptyContainerPart();
  private size = 0;
  private delayTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private running = false;
  private chain: Promise<void> = Promise.resolve();
  /** Series keys already validated; the same few hundred series repeat every interval. */
  private readonly validKeys = new Set<string>();
  private readonly counters: BatcherStats = { batches: 0, samples: 0, invalidSamples: 0, failedBatches: 0 };
  private readonly now: () => number;
  private readonly logger: PipelineLogger;

  constructor(private readonly options: BatcherOptions) {
    this.limits = {
      maxSamples: options.maxSamples,
      maxDelayMs: options.maxDelayMs,
      heartbeatMs: options.heartbeatMs,
    };
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  /** Starts the heartbeat clock (samples are accepted and the delay bound applies either way). */
  start(): void {
    this.running = true;
    this.armHeartbeat();
  }

  /** Stops the timers and hands on what is pending. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.heartbeatTimer);
    await this.flush();
  }

  /** New limits, e.g. from the server's config; applies to the open batch too. */
  configure(limits: Partial<BatcherLimits>): void {
    this.limits = { ...this.limits, ...limits };
    if (this.size >= this.limits.maxSamples) void this.flush();
    this.armHeartbeat();
  }

  get pendingSamples(): number {
    return this.size;
  }

  get stats(): Readonly<BatcherStats> {
    return { ...this.counters };
  }

  add(samples: Sample | readonly Sample[]): void {
    for (const sample of Array.isArray(samples) ? (samples as readonly Sample[]) : [samples as Sample]) {
      this.addPoints(sample.metric, sample.labels, [[sample.ts, sample.value]]);
    }
  }

  /** Adds already grouped points; a long series is split over several batches. */
  addSeries(series: SeriesPoints | readonly SeriesPoints[]): void {
    for (const one of Array.isArray(series)
      ? (series as readonly SeriesPoints[])
      : [series as SeriesPoints]) {
      this.addPoints(one.metric, one.labels, one.points);
    }
  }

  /** Closes the open batch now (nothing happens when it is empty); resolves once it was handed on. */
  flush(): Promise<void> {
    if (this.isEmpty()) return this.chain;
    const series = [...this.groups.values()];
    const probeResults = this.probeResults;
    const containers = this.containerPart;
    this.groups = new Map();
    this.probeResults = [];
    this.containerPart = emptyContainerPart();
    this.size = 0;
    return this.emit(series, probeResults, containers);
  }

  /**
   * Adds a container inventory. A batch carries at most one: a full report replaces the pending one; an
   * incremental one merges into it (upserts by id; removals drop pending entries and are listed in
   * `removed`), and a pending full report stays full.
   */
  addContainerInventory(inventory: ContainerInventory): void {
    const pending = this.containerPart.inventory;
    if (inventory.full || !pending) {
      this.containerPart.inventory = {
        at: inventory.at,
        full: inventory.full,
        actionsEnabled: inventory.actionsEnabled,
        engine: inventory.engine,
        containers: new Map((inventory.containers ?? []).map((c) => [c.id, c])),
        removed: new Set(inventory.removed ?? []),
      };
      for (const id of this.containerPart.inventory.removed)
        this.containerPart.inventory.containers.delete(id);
    } else {
      pending.at = Math.max(pending.at, inventory.at);
      pending.actionsEnabled = inventory.actionsEnabled;
      if (inventory.engine) pending.engine = inventory.engine;
      for (const container of inventory.containers ?? []) {
        pending.removed.delete(container.id);
        pending.containers.set(container.id, container);
      }
      for (const id of inventory.removed ?? []) {
        pending.containers.delete(id);
        pending.removed.add(id);
      }
    }
    this.armDelay();
  }

  /** Appends engine events; each counts like a sample toward the batch bound. */
  addContainerEvents(events: readonly ContainerEvent[]): void {
    for (const event of events) {
      this.containerPart.events.push(event);
      this.countOne(this.containerPart.events.length);
    }
  }

  /** Appends container stats; each counts like a sample toward the batch bound. */
  addContainerStats(stats: readonly ContainerStats[]): void {
    for (const one of stats) {
      this.containerPart.stats.push(one);
      this.countOne(this.containerPart.stats.length);
    }
  }

  private isEmpty(): boolean {
    return this.size === 0 && this.containerPart.inventory === undefined;
  }

  /** One more item in the open batch: close it at the bound (the batch's or the list's), else arm the delay. */
  private countOne(listLength = 0): void {
    this.size++;
    if (this.size >= this.limits.maxSamples || listLength >= MAX_CONTAINER_ITEMS) void this.flush();
    else this.armDelay();
  }

  private armDelay(): void {
    this.delayTimer ??= setTimeout(() => void this.flush(), this.limits.maxDelayMs).unref();
  }

  /** Adds probe results; each counts like a sample toward the batch bound. */
  addProbeResults(results: readonly ProbeResult[]): void {
    for (const result of results) {
      this.probeResults.push(result);
      this.size++;
      if (this.size >= this.limits.maxSamples) void this.flush();
      else this.delayTimer ??= setTimeout(() => void this.flush(), this.limits.maxDelayMs).unref();
    }
  }

  private addPoints(
    metric: string,
    labels: Labels | undefined,
    points: readonly (readonly number[])[],
  ): void {
    const key = seriesKey(metric, labels);
    if (!this.isValidSeries(key, metric, labels)) {
      this.counters.invalidSamples += points.length;
      return;
    }
    for (const [ts, value] of points) {
      // JSON turns NaN/Infinity into null, and one bad point makes the server refuse the batch.
      if (
        ts === undefined ||
        value === undefined ||
        !Number.isSafeInteger(ts) ||
        ts < 0 ||
        !Number.isFinite(value)
      ) {
        this.counters.invalidSamples++;
        continue;
      }
      let group = this.groups.get(key);
      if (!group) {
        group =
          labels && Object.keys(labels).length > 0
            ? { metric, labels: { ...labels }, points: [] }
            : { metric, points: [] };
        this.groups.set(key, group);
      }
      group.points.push([ts, value] as Point);
      this.size++;
      if (this.size >= this.limits.maxSamples) void this.flush();
      else this.delayTimer ??= setTimeout(() => void this.flush(), this.limits.maxDelayMs).unref();
    }
  }

  private isValidSeries(key: string, metric: string, labels: Labels | undefined): boolean {
    if (this.validKeys.has(key)) return true;
    const problems = [MetricNameSchema.safeParse(metric), LabelsSchema.optional().safeParse(labels)].flatMap(
      (result) => result.error?.issues.map((issue) => issue.message) ?? [],
    );
    if (problems.length > 0) {
      this.logger.warn({ metric, problems }, 'sample refused: invalid metric name or labels');
      return false;
    }
    if (this.validKeys.size > 10_000) this.validKeys.clear(); // bound the cache on label churn
    this.validKeys.add(key);
    return true;
  }

  private emit(
    series: SeriesPoints[],
    probeResults: ProbeResult[] = [],
    containers: ContainerPart = emptyContainerPart(),
  ): Promise<void> {
    clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    this.armHeartbeat();
    const samples = series.reduce((n, s) => n + s.points.length, 0);
    this.chain = this.chain.then(async () => {
      try {
        const seq = await this.options.nextSeq();
        // droppedBatches is filled in by the sender when the batch actually goes out.
        await this.options.onBatch({
          seq,
          sentAt: this.now(),
          droppedBatches: 0,
          series,
          ...(probeResults.length > 0 ? { probeResults } : {}),
          ...(containers.inventory ? { containers: inventoryOf(containers.inventory) } : {}),
          ...(containers.events.length > 0 ? { containerEvents: containers.events } : {}),
          ...(containers.stats.length > 0 ? { containerStats: containers.stats } : {}),
        });
        this.counters.batches++;
        this.counters.samples += samples;
      } catch (err) {
        this.counters.failedBatches++;
        this.logger.error({ err, samples }, 'batch lost: no sequence number or the receiver failed');
      }
    });
    return this.chain;
  }

  private armHeartbeat(): void {
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const { heartbeatMs } = this.limits;
    if (!this.running || heartbeatMs === undefined) return;
    this.heartbeatTimer = setTimeout(() => {
      void (this.isEmpty() ? this.emit([]) : this.flush());
    }, heartbeatMs).unref();
  }
}
