// The container monitor: the host's containers as the Docker engine sees them, kept current for the server.
//
// - Start: GET /version (the engine's name and version), subscribe to the event stream, then a full
//   inventory (list all + inspect each). The subscription comes first, so nothing changes unseen between.
// - Every fullInventoryMs, and after every reconnect of the event stream: another full inventory.
// - Each engine event: a ContainerEvent for the server's history, and a re-inspect of that container
//   (debounced per container, so start+health_status+... makes one inspect) → an incremental inventory;
//   destroy, or an inspect answering 404, → `removed`.
// - Stats: sampleStats(), called once per agent interval, samples the running containers.
// - The engine unreachable is never fatal: warned once (every time with mode 'on'), then logged at debug
//   level, retried every retryMs (30 s) until it answers.
import type {
  ContainerEngine,
  ContainerEvent,
  ContainerInfo,
  ContainerInventory,
  ContainerStats,
} from '@emma/protocol';
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger, type PipelineLogger } from '../../pipeline/logger';
import { engineErrorMessage, isNotFound, type Engine } from './engine';
import { aborted, EventStream, type EventEffect, type EventStreamStats, type ParsedEvent } from './events';
import { containerFromInspect, containerFromList, engineFromVersion, listEntryId } from './inventory';
import { forEachLimited, StatsSampler } from './stats';

export { createDocker, dockerEngine, engineStatus, isNotFound, type Engine } from './engine';

export interface ContainerMonitorOptions {
  engine: Engine;
  /** 'on' warns on every failed retry; 'auto' warns once per outage, then logs at debug level. */
  mode: 'auto' | 'on';
  /** Reported in every inventory; false tells the server this agent runs read-only. */
  actionsEnabled: boolean;
  /** Between full inventories. */
  fullInventoryMs: number;
  /** Engine requests (inspect, stats) in flight at once. */
  concurrency: number;
  onInventory: (inventory: ContainerInventory) => void;
  onEvents: (events: ContainerEvent[]) => void;
  /** The engine answered (the first time, and after each outage). */
  onConnected?: (engine: ContainerEngine) => void;
  logger?: PipelineLogger;
  /** Between attempts while the engine does not answer; default 30 s. */
  retryMs?: number;
  /** Events for one container within this window make one re-inspect; default 200 ms. */
  debounceMs?: number;
  /** Event stream reconnect backoff; default 500 ms doubling up to retryMs. */
  eventBackoff?: { baseMs?: number; capMs?: number };
  now?: () => number;
}

export interface ContainerMonitorStats {
  connected: boolean;
  engine?: ContainerEngine;
  containers: number;
  running: number;
  fullInventories: number;
  incrementalInventories: number;
  events: number;
  eventStream: EventStreamStats;
  stats: { rounds: number; samples: number; errors: number; tracked: number };
  lastError?: { message: string; at: number };
}

/** The protocol's bound on one inventory. */
const MAX_CONTAINERS = 10_000;

interface Pending {
  effect: Exclude<EventEffect, 'ignore'>;
  timer: NodeJS.Timeout;
}

export class ContainerMonitor {
  private readonly logger: PipelineLogger;
  private readonly now: () => number;
  private readonly retryMs: number;
  private readonly debounceMs: number;
  private readonly abort = new AbortController();
  private readonly events: EventStream;
  private readonly sampler: StatsSampler;
  private known = new Map<string, ContainerInfo>();
  private engineInfo: ContainerEngine | undefined;
  private connected = false;
  private started: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  /** Outage state: warned once (mode auto) until the engine answers again. */
  private warned = false;
  private lastError: ContainerMonitorStats['lastError'];

  private fullTimer: NodeJS.Timeout | undefined;
  private fullRunning: Promise<void> | undefined;
  private fullAgain = false;
  /** Containers re-read while a full inventory was being gathered: re-read again once it is out. */
  private touchedDuringFull = new Map<string, Exclude<EventEffect, 'ignore'>>();

  private readonly pending = new Map<string, Pending>();
  /** Per container, the re-read in progress; the next waits for it so answers arrive in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly counters = { fullInventories: 0, incrementalInventories: 0, events: 0 };

  constructor(private readonly options: ContainerMonitorOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.retryMs = options.retryMs ?? 30_000;
    this.debounceMs = options.debounceMs ?? 200;
    this.sampler = new StatsSampler({
      engine: options.engine,
      concurrency: options.concurrency,
      now: this.now,
      onError: (id, err) => {
        if (!isNotFound(err))
          this.logger.debug({ container: id, err: engineErrorMessage(err) }, 'stats failed');
      },
    });
    this.events = new EventStream({
      engine: options.engine,
      backoff: {
        baseMs: options.eventBackoff?.baseMs ?? 500,
        capMs: options.eventBackoff?.capMs ?? this.retryMs,
      },
      now: this.now,
      onEvent: (event) => {
        this.onEvent(event);
      },
      onConnected: ({ reconnect }) => {
        if (reconnect) this.onReconnected();
        this.requestFull();
      },
      onError: (err, retryInMs) => {
        this.failure('the Docker engine event stream broke off; reconnecting', err, { retryInMs });
      },
    });
  }

  /** Starts watching in the background; never throws, whatever the engine does. */
  start(): void {
    this.started ??= this.connect();
  }

  async stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      clearTimeout(this.fullTimer);
      for (const pending of this.pending.values()) clearTimeout(pending.timer);
      this.pending.clear();
      await this.events.stop();
      await this.started;
      await this.fullRunning;
      await Promise.all([...this.chains.values()]);
      this.connected = false;
    })();
    return this.stopping;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** The containers as last seen (by id). */
  get containers(): ReadonlyMap<string, ContainerInfo> {
    return this.known;
  }

  stats(): ContainerMonitorStats {
    let running = 0;
    for (const info of this.known.values()) if (info.state === 'running') running++;
    return {
      connected: this.connected,
      ...(this.engineInfo ? { engine: this.engineInfo } : {}),
      containers: this.known.size,
      running,
      ...this.counters,
      eventStream: this.events.stats(),
      stats: this.sampler.stats(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** One stats round over the running containers (empty while the engine is not connected). */
  async sampleStats(): Promise<ContainerStats[]> {
    if (!this.connected || this.abort.signal.aborted) return [];
    const targets = [...this.known.values()]
      .filter((info) => info.state === 'running')
      .map((info) => ({ id: info.id, startedAt: info.startedAt ?? null }));
    return this.sampler.sample(targets, this.abort.signal);
  }

  /** Re-reads one container now (after an action on it) → an incremental inventory. */
  async refresh(id: string): Promise<void> {
    if (this.abort.signal.aborted) return;
    const pending = this.pending.get(id);
    if (pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
    }
    await this.reread(id, pending?.effect === 'remove' ? 'remove' : 'inspect');
  }

  /** Gathers and reports a full inventory now (also used on the timer and after reconnects). */
  fullInventory(): Promise<void> {
    this.requestFull();
    return this.fullRunning ?? Promise.resolve();
  }

  // --- connection -------------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        this.engineInfo = engineFromVersion(await this.options.engine.version(signal));
        break;
      } catch (err) {
        if (aborted(signal)) return;
        this.failure('the Docker engine is not reachable; retrying', err, { retryInMs: this.retryMs });
        await delay(this.retryMs, undefined, { signal }).catch(() => undefined);
      }
    }
    if (signal.aborted) return;
    this.connected = true;
    this.recovered();
    this.logger.info({ engine: this.engineInfo }, 'watching containers');
    if (this.engineInfo) this.options.onConnected?.(this.engineInfo);
    // The stream's first connect asks for the first full inventory.
    this.events.start();
  }

  private onReconnected(): void {
    this.recovered();
    // The engine may have restarted (upgraded): its version is read again with the next full inventory.
    void this.options.engine.version(this.abort.signal).then(
      (raw) => {
        this.engineInfo = engineFromVersion(raw);
      },
      () => undefined,
    );
  }

  private failure(what: string, err: unknown, details: Record<string, unknown> = {}): void {
    const message = engineErrorMessage(err);
    this.lastError = { message, at: this.now() };
    if (this.options.mode === 'on' || !this.warned) {
      this.warned = true;
      this.logger.warn({ err: message, ...details }, what);
    } else {
      this.logger.debug({ err: message, ...details }, what);
    }
  }

  private recovered(): void {
    if (!this.warned) return;
    this.warned = false;
    this.logger.info({}, 'the Docker engine answers again');
  }

  // --- full inventories -------------------------------------------------------------------------------

  private requestFull(): void {
    if (this.abort.signal.aborted) return;
    if (this.fullRunning) {
      this.fullAgain = true;
      return;
    }
    clearTimeout(this.fullTimer);
    this.fullTimer = undefined;
    this.fullRunning = this.runFull().finally(() => {
      this.fullRunning = undefined;
      if (this.fullAgain && !this.abort.signal.aborted) {
        this.fullAgain = false;
        this.requestFull();
      }
    });
  }

  private armFull(ms: number): void {
    clearTimeout(this.fullTimer);
    if (this.abort.signal.aborted) return;
    this.fullTimer = setTimeout(() => {
      this.requestFull();
    }, ms);
    this.fullTimer.unref();
  }

  private async runFull(): Promise<void> {
    const signal = this.abort.signal;
    this.touchedDuringFull = new Map();
    let ok = false;
    try {
      const list = await this.options.engine.list(signal);
      const infos: ContainerInfo[] = [];
      await forEachLimited(list, this.options.concurrency, async (entry) => {
        const id = listEntryId(entry);
        if (id === undefined || signal.aborted) return;
        try {
          const info = containerFromInspect(await this.options.engine.inspect(id, signal));
          if (info) infos.push(info);
        } catch (err) {
          if (isNotFound(err)) return; // removed since the list
          // Keep it in the report from the list entry rather than have the server think it is gone.
          const info = containerFromList(entry);
          if (info) infos.push(info);
          this.logger.debug(
            { container: id, err: engineErrorMessage(err) },
            'inspect failed; using the list entry',
          );
        }
      });
      if (signal.aborted) return;
      if (infos.length > MAX_CONTAINERS) {
        this.logger.warn(
          { containers: infos.length, reported: MAX_CONTAINERS },
          'too many containers to report',
        );
        infos.length = MAX_CONTAINERS;
      }
      this.known = new Map(infos.map((info) => [info.id, info]));
      this.counters.fullInventories++;
      this.options.onInventory({
        at: this.now(),
        full: true,
        actionsEnabled: this.options.actionsEnabled,
        ...(this.engineInfo ? { engine: this.engineInfo } : {}),
        containers: infos,
        removed: [],
      });
      this.recovered();
      ok = true;
    } catch (err) {
      if (signal.aborted) return;
      this.failure('listing the containers failed; retrying', err, { retryInMs: this.retryMs });
    } finally {
      const touched = this.touchedDuringFull;
      this.touchedDuringFull = new Map();
      if (!signal.aborted) {
        for (const [id, effect] of touched) this.schedule(id, effect);
        this.armFull(ok ? this.options.fullInventoryMs : this.retryMs);
      }
    }
  }

  // --- events and incremental inventories -------------------------------------------------------------

  private onEvent(parsed: ParsedEvent): void {
    if (parsed.event) {
      this.counters.events++;
      this.options.onEvents([parsed.event]);
    }
    if (parsed.effect !== 'ignore') this.schedule(parsed.id, parsed.effect);
  }

  /** One re-read per container per debounce window; a removal wins over an inspect. */
  private schedule(id: string, effect: Exclude<EventEffect, 'ignore'>): void {
    if (this.abort.signal.aborted) return;
    const pending = this.pending.get(id);
    if (pending) {
      if (effect === 'remove') pending.effect = 'remove';
      return;
    }
    const timer = setTimeout(() => {
      const due = this.pending.get(id);
      this.pending.delete(id);
      if (due) void this.reread(id, due.effect);
    }, this.debounceMs);
    this.pending.set(id, { effect, timer });
  }

  private reread(id: string, effect: Exclude<EventEffect, 'ignore'>): Promise<void> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(() => this.rereadNow(id, effect));
    this.chains.set(id, next);
    void next.finally(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
    return next;
  }

  private async rereadNow(id: string, effect: Exclude<EventEffect, 'ignore'>): Promise<void> {
    const signal = this.abort.signal;
    if (signal.aborted) return;
    if (this.fullRunning)
      this.touchedDuringFull.set(
        id,
        effect === 'remove' ? 'remove' : (this.touchedDuringFull.get(id) ?? effect),
      );
    if (effect === 'remove') {
      this.removed(id);
      return;
    }
    try {
      const info = containerFromInspect(await this.options.engine.inspect(id, signal));
      if (!info || aborted(signal)) return;
      this.known.set(id, info);
      this.emitIncremental([info], []);
    } catch (err) {
      if (aborted(signal)) return;
      if (isNotFound(err)) this.removed(id);
      else
        this.logger.debug({ container: id, err: engineErrorMessage(err) }, 'inspect after an event failed');
    }
  }

  private removed(id: string): void {
    this.known.delete(id);
    this.sampler.forget(id);
    this.emitIncremental([], [id]);
  }

  private emitIncremental(containers: ContainerInfo[], removed: string[]): void {
    this.counters.incrementalInventories++;
    this.options.onInventory({
      at: this.now(),
      full: false,
      actionsEnabled: this.options.actionsEnabled,
      containers,
      removed,
    });
  }
}
