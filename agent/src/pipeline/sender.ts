// Delivers batches to the ingest API: one request at a time, strictly in seq order, spooling to disk
// whenever a batch cannot go out right away. Per the ingest contract:
//   200 (also duplicate: true)      delivered
//   400 / 413 / 422                 the batch itself is bad: drop it, count it, never retry
//   401                             credential unknown or revoked: stop and report (onFatal)
//   403 agent_pending               not approved yet: keep everything, retry slowly
//   429 / 503 with Retry-After      wait as told
//   anything else, network, timeout exponential backoff with full jitter
import { setTimeout as delay } from 'node:timers/promises';
import type { IngestBatch } from '@emma/protocol';
import { postBatch, type HttpFailure } from './http';
import { silentLogger, type PipelineLogger } from './logger';
import type { Spool } from './spool';

/** An empty batch only says "alive now"; replayed later it would say nothing. Container data is not empty. */
export function isHeartbeat(batch: IngestBatch): boolean {
  return (
    (batch.series ?? []).length === 0 &&
    (batch.probeResults ?? []).length === 0 &&
    batch.containers === undefined &&
    (batch.containerEvents ?? []).length === 0 &&
    (batch.containerStats ?? []).length === 0
  );
}

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

/** Full jitter: uniform in [0, min(cap, base * 2^attempt)). attempt counts from 0. */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const { baseMs = 1_000, capMs = 60_000 } = options;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

export type FailureAction = 'reject' | 'fatal' | 'pending' | 'retry';

/** What a failed post means for its batch. */
export function classifyFailure(failure: HttpFailure): FailureAction {
  if (failure.status === 401) return 'fatal';
  if (failure.status === 400 || failure.status === 413 || failure.status === 422) return 'reject';
  if (failure.status === 403 && failure.code === 'agent_pending') return 'pending';
  return 'retry';
}

export interface SenderOptions {
  serverUrl: string;
  credential: string;
  spool: Spool;
  /** Per request; default 30 s. */
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Retry interval while the agent waits for approval (403 agent_pending); default 30 s. */
  pendingRetryMs?: number;
  /** Upper bound for a server's Retry-After; default 10 min. */
  maxRetryAfterMs?: number;
  /** Called once when the server refuses the credential; the sender stops sending. */
  onFatal?: (failure: HttpFailure) => void;
  logger?: PipelineLogger;
  now?: () => number;
  random?: () => number;
  /** Waits between attempts; resolves early (without throwing) when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export type SenderState = 'idle' | 'sending' | 'waiting' | 'fatal' | 'stopped';

export interface SenderStats {
  state: SenderState;
  sent: number;
  duplicates: number;
  /** Refused by the server as bad (400/413/422) and dropped. */
  rejected: number;
  retries: number;
  /** Lost in the spool (full, corrupt, unwritable) since start. */
  dropped: number;
  /** Empty heartbeat batches not kept because the server was not reachable. */
  heartbeatsSkipped: number;
  spooledCount: number;
  spooledBytes: number;
  lastError?: { status: number; code: string; message: string; at: number };
  lastSuccessAt?: number;
}

const defaultSleep = async (ms: number, signal: AbortSignal): Promise<void> => {
  await delay(ms, undefined, { signal }).catch(() => undefined);
};

export class Sender {
  private status: SenderState = 'idle';
  private running: Promise<void> | undefined;
  /** A batch handed over while nothing else was queued: sent from memory, spooled only if it fails. */
  private memory: IngestBatch | undefined;
  private pushes = 0;
  private attempt = 0;
  private failing = false;
  private wake: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly abort = new AbortController();
  private readonly counters = { sent: 0, duplicates: 0, rejected: 0, retries: 0, heartbeatsSkipped: 0 };
  private lastError: SenderStats['lastError'];
  private lastSuccessAt: number | undefined;
  private readonly spool: Spool;
  private readonly logger: PipelineLogger;
  private readonly now: () => number;

  private credential: string;

  constructor(private readonly options: SenderOptions) {
    this.credential = options.credential;
    this.spool = options.spool;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  get state(): SenderState {
    return this.status;
  }

  /** Uses a new credential from the next request on (after a rotation). */
  setCredential(credential: string): void {
    this.credential = credential;
  }

  /** Starts draining the spool and sending new batches. */
  start(): void {
    this.running ??= this.run();
  }

  /** Takes a batch, in seq order. Resolves once it is in flight or safely on disk. */
  async enqueue(batch: IngestBatch): Promise<void> {
    const live = this.running !== undefined && this.status !== 'fatal' && this.status !== 'stopped';
    if (live && this.wake && this.memory === undefined && this.pushes === 0 && this.spool.count === 0) {
      this.memory = batch;
      this.wakeUp();
      return;
    }
    if (isHeartbeat(batch)) {
      this.counters.heartbeatsSkipped++; // a heartbeat says "alive now"; replayed later it says nothing
      return;
    }
    this.pushes++;
    try {
      await this.spool.push(batch);
    } finally {
      this.pushes--;
    }
    this.wakeUp();
  }

  /** Resolves when nothing is left to send (or the sender stopped or hit a fatal error). */
  whenIdle(): Promise<void> {
    const ended = this.status === 'fatal' || this.status === 'stopped' || this.abort.signal.aborted;
    if (ended || this.running === undefined || this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Aborts the request in flight and waits for the loop; unsent batches stay in the spool. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp();
    await this.running;
    if (this.memory) await this.spool.push(this.memory);
    this.memory = undefined;
    if (this.status !== 'fatal') this.status = 'stopped';
  }

  stats(): SenderStats {
    return {
      state: this.status,
      ...this.counters,
      dropped: this.spool.dropped,
      spooledCount: this.spool.count,
      spooledBytes: this.spool.bytes,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.lastSuccessAt === undefined ? {} : { lastSuccessAt: this.lastSuccessAt }),
    };
  }

  private isIdle(): boolean {
    return (
      this.wake !== undefined && this.memory === undefined && this.pushes === 0 && this.spool.count === 0
    );
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private settleIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted && this.status !== 'fatal') {
      try {
        await this.step();
      } catch (err) {
        // A disk error in the spool must not end the loop: pause, then try again.
        this.logger.error({ err }, 'sender error; retrying');
        await this.pause(
          backoffDelay(this.attempt++, this.options.random ?? Math.random, this.options.backoff),
        );
      }
    }
    this.wake = undefined;
    this.settleIdle();
  }

  /** Sends the next batch, or waits for one when nothing is queued. */
  private async step(): Promise<void> {
    const fromMemory = this.memory !== undefined;
    const batch = this.memory ?? (await this.spool.head());
    if (batch) {
      this.status = 'sending';
      await this.deliver(batch, fromMemory);
      return;
    }
    this.status = 'idle';
    const woken = new Promise<void>((resolve) => (this.wake = resolve));
    const arrivedMeanwhile = this.memory !== undefined || this.spool.count > 0;
    if (arrivedMeanwhile) this.wakeUp();
    else if (this.isIdle()) this.settleIdle();
    await woken;
  }

  private async pause(ms: number): Promise<void> {
    this.status = 'waiting';
    await (this.options.sleep ?? defaultSleep)(ms, this.abort.signal);
  }

  private async deliver(batch: IngestBatch, fromMemory: boolean): Promise<void> {
    const drops = this.spool.pendingDrops;
    if (!fromMemory) this.spool.setInFlight(batch.seq);
    const result = await postBatch(
      this.options.serverUrl,
      this.credential,
      { ...batch, sentAt: this.now(), droppedBatches: drops },
      { timeoutMs: this.options.requestTimeoutMs ?? 30_000, signal: this.abort.signal },
    );
    this.spool.setInFlight(undefined);
    if (fromMemory) this.memory = undefined;

    if (result.ok) {
      this.counters[result.value.duplicate ? 'duplicates' : 'sent']++;
      this.lastSuccessAt = this.now();
      this.attempt = 0;
      if (this.failing) this.logger.info({ seq: batch.seq }, 'ingest reachable again; draining the spool');
      this.failing = false;
      // A duplicate means an earlier attempt got through; its drop count was (most likely) recorded then.
      await this.spool.ackDrops(drops);
      if (!fromMemory) await this.spool.remove(batch.seq);
      return;
    }

    this.lastError = { status: result.status, code: result.code, message: result.message, at: this.now() };
    const action = classifyFailure(result);
    if (action === 'reject') {
      this.counters.rejected++;
      this.logger.warn(
        { seq: batch.seq, status: result.status, code: result.code },
        'batch rejected; dropped',
      );
      if (!fromMemory) await this.spool.remove(batch.seq);
      return;
    }
    // Every other outcome keeps the batch: it is retried from the spool.
    if (fromMemory) await this.keep(batch);
    if (result.code === 'aborted') return; // shutting down
    if (action === 'fatal') {
      this.status = 'fatal';
      this.logger.error({ status: result.status, code: result.code }, 'credential refused; sending stopped');
      this.options.onFatal?.(result);
      return;
    }
    if (!this.failing) {
      this.logger.warn(
        { status: result.status, code: result.code, message: result.message },
        'ingest failed; spooling',
      );
      this.failing = true;
    }
    this.counters.retries++;
    await this.pause(this.retryDelay(action, result));
  }

  private async keep(batch: IngestBatch): Promise<void> {
    if (isHeartbeat(batch)) this.counters.heartbeatsSkipped++;
    else await this.spool.push(batch);
  }

  private retryDelay(action: FailureAction, failure: HttpFailure): number {
    if (action === 'pending') return this.options.pendingRetryMs ?? 30_000;
    if (failure.retryAfterS !== undefined && (failure.status === 429 || failure.status === 503)) {
      return Math.min(failure.retryAfterS * 1000, this.options.maxRetryAfterMs ?? 600_000);
    }
    return backoffDelay(this.attempt++, this.options.random ?? Math.random, this.options.backoff);
  }
}
