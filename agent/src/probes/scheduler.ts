// The probe scheduler: runs every probe on its own fixed time grid, with ONE timer for all of them.
//
// - Grid: a probe's ticks are the absolute times `phase + k·interval` (same clock as `now()`), with the
//   phase drawn once, uniformly in [0, interval), and kept for the probe's lifetime (a changed probe keeps
//   its random draw, so only a changed interval moves its ticks). The first run is the first grid point at
//   or after the moment the probe was added, which spreads the first runs of many probes evenly across
//   one interval. Later ticks are computed from the grid, never from "now + interval", so nothing drifts.
// - One timer: the next due time of every probe lives in a binary min-heap; a single timer is armed for
//   the heap's top (or an earlier run watchdog deadline). Adding, removing and rescheduling are O(log n).
// - No overlap: a tick that comes while the same probe's run is still in flight is skipped and counted
//   (`skippedOverlap`).
// - Bounded concurrency: at most `concurrency` runs at once; further due runs wait in a FIFO queue. A queued
//   probe whose next tick comes before it got a slot is coalesced into the one queued run (`coalesced`);
//   its result carries the newest tick, its lateness is measured from the oldest.
// - No bursts after a pause: when the timer fires more than `pauseThresholdMs` late (blocked event loop,
//   laptop sleep, wall clock jumped forward), the ticks that came due meanwhile are not run at all: each of
//   those probes resumes at its next grid point after now (`missedTicks`, `pauses`). Since phases are spread
//   out, so are the resumed runs. A timer firing far too early means the clock moved backwards: every probe
//   is moved to its next grid point after the new now, so nothing waits for the old clock to come back.
//   Smaller lateness (below the threshold) still runs each late probe once — never once per missed tick.
// - The runner owns timeouts (it turns them into a `down` outcome and never throws). As a safety net, a run
//   that has not settled `watchdogGraceMs` after its probe's timeoutMs is aborted, its slot freed and a
//   `down` result reported; a rejected or throwing run is reported as `down` too (both go to lastErrors).
//
// Intervals: by default `probe.intervalS * 1000`. `intervalMs` overrides that mapping, which is how tests
// (and a test mode of the agent, if ever needed) run probes on sub-second intervals; the protocol's
// minimum of 5 s is not enforced here.
import type { AgentProbe, ProbeOutcome, ProbeResult } from '@emma/protocol';
import { silentLogger, type PipelineLogger } from '../pipeline/logger';

export interface ProbeSchedulerOptions {
  /** Runs one check; should honour `signal` and never reject (a rejection is reported as `down`). */
  run: (probe: AgentProbe, signal: AbortSignal) => Promise<ProbeOutcome>;
  /** Receives each result; `ts` is the tick's scheduled time. */
  onResult: (result: ProbeResult) => void;
  /** Most runs in flight at once; 64 by default. */
  concurrency?: number;
  /** Unix milliseconds; `Date.now` by default. Scheduled times (and `ts`) are on this clock. */
  now?: () => number;
  /** Uniform in [0, 1); `Math.random` by default. Draws each probe's phase. */
  random?: () => number;
  /** The one timer; `setTimeout` by default. */
  setTimer?: (fn: () => void, delayMs: number) => unknown;
  /** `clearTimeout` by default; receives what `setTimer` returned. */
  clearTimer?: (handle: unknown) => void;
  logger?: PipelineLogger;
  /** A probe's interval in ms; `probe.intervalS * 1000` by default (tests use sub-second intervals). */
  intervalMs?: (probe: AgentProbe) => number;
  /** A timer firing later than this (or earlier by this much) is a pause or clock jump; 2,000 by default. */
  pauseThresholdMs?: number;
  /** A run still unsettled this long after its probe's timeoutMs is abandoned; 5,000 by default. */
  watchdogGraceMs?: number;
  /** How many recent run starts the lateness percentiles cover; 1,024 by default. */
  latenessWindow?: number;
}

export interface ProbeSchedulerError {
  probeId: string;
  /** The tick's scheduled time. */
  ts: number;
  message: string;
}

export interface ProbeSchedulerStats {
  /** Probes scheduled. */
  probes: number;
  /** Runs holding a concurrency slot (including aborted ones not settled yet). */
  running: number;
  /** Probes waiting for a slot. */
  queued: number;
  /** Runs started since the scheduler was created. */
  runs: number;
  /** Ticks skipped because the probe's previous run was still in flight. */
  skippedOverlap: number;
  /** Ticks merged into an already queued run of the same probe. */
  coalesced: number;
  /** Ticks dropped because the scheduler fell behind (a pause, or a timer later than an interval). */
  missedTicks: number;
  /** Times the timer fired more than pauseThresholdMs late (or early: the clock went back). */
  pauses: number;
  /** Runs the watchdog gave up on. */
  abandoned: number;
  /** Lateness (start − scheduled time) over the recent window; null before any run. */
  latenessP50Ms: number | null;
  latenessP99Ms: number | null;
  /** The most recent scheduler-level failures (a run rejected or overran, onResult threw), newest last. */
  lastErrors: ProbeSchedulerError[];
}

interface Entry {
  probe: AgentProbe;
  /** What a change is judged by: interval, timeout, type and config, as JSON (key order aside). */
  json: string;
  intervalMs: number;
  /** The probe's random draw in [0, 1), kept across changes. */
  u: number;
  phaseMs: number;
  nextDue: number;
  heapIndex: number;
  /** Insertion order; breaks ties between equal due times. */
  seq: number;
  retired: boolean;
  queued: { firstTick: number; tick: number } | undefined;
}

interface Run {
  entry: Entry;
  probeId: string;
  ts: number;
  deadline: number;
  controller: AbortController;
  /** The result is not to be delivered (probe removed or changed, scheduler stopped). */
  dropped: boolean;
  /** The slot was given back (the run settled or was abandoned). */
  released: boolean;
  settled: Promise<void>;
}

const MAX_TIMER_DELAY_MS = 2_147_483_647;
const MAX_LAST_ERRORS = 10;
const MAX_MESSAGE = 2000;

/** JSON with object keys sorted, so key order does not count as a change. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** A binary min-heap of entries by next due time, each entry knowing its index (O(log n) removal). */
class DueHeap {
  private items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  entries(): readonly Entry[] {
    return this.items;
  }

  push(e: Entry): void {
    e.heapIndex = this.items.length;
    this.items.push(e);
    this.up(e.heapIndex);
  }

  remove(e: Entry): void {
    const i = e.heapIndex;
    if (i < 0 || this.items[i] !== e) return;
    e.heapIndex = -1;
    const last = this.items.pop();
    if (last === undefined || last === e) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.down(i);
    this.up(last.heapIndex);
  }

  /** Restores the order after `e.nextDue` changed. */
  update(e: Entry): void {
    this.up(e.heapIndex);
    this.down(e.heapIndex);
  }

  /** Restores the order after many due times changed. */
  rebuild(): void {
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  clear(): void {
    for (const e of this.items) e.heapIndex = -1;
    this.items = [];
  }

  private static less(a: Entry, b: Entry): boolean {
    return a.nextDue < b.nextDue || (a.nextDue === b.nextDue && a.seq < b.seq);
  }

  private up(start: number): void {
    const items = this.items;
    const e = items[start];
    if (!e) return;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p];
      if (!parent || !DueHeap.less(e, parent)) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    items[i] = e;
    e.heapIndex = i;
  }

  private down(start: number): void {
    const items = this.items;
    const e = items[start];
    if (!e) return;
    const n = items.length;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      const left = items[l];
      const right = items[l + 1];
      if (!left) break;
      let child = left;
      if (right && DueHeap.less(right, left)) {
        c = l + 1;
        child = right;
      }
      if (!DueHeap.less(child, e)) break;
      items[i] = child;
      child.heapIndex = i;
      i = c;
    }
    items[i] = e;
    e.heapIndex = i;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ProbeScheduler {
  private readonly runProbe: ProbeSchedulerOptions['run'];
  private readonly onResult: ProbeSchedulerOptions['onResult'];
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly setTimer: (fn: () => void, delayMs: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly logger: PipelineLogger;
  private readonly intervalOf: (probe: AgentProbe) => number;
  private readonly pauseThresholdMs: number;
  private readonly watchdogGraceMs: number;

  private readonly entries = new Map<string, Entry>();
  private readonly heap = new DueHeap();
  private seq = 0;

  /** Runs holding a slot. */
  private readonly runs = new Set<Run>();
  /** The unsettled run of each probe id (possibly of a retired entry: the new one must not overlap it). */
  private readonly inflight = new Map<string, Run>();

  private queue: Entry[] = [];
  private queueHead = 0;
  private queuedCount = 0;

  private timer: unknown;
  /** When the armed timer is planned to fire; undefined when none is armed. */
  private timerAt: number | undefined;

  private readonly onTimerCallback = (): void => {
    this.onTimer();
  };
  /** Inside onTimer, which arms the timer once at its end. */
  private firing = false;
  private stopped = false;
  private stopPromise: Promise<void> | undefined;
  private resolveStop: (() => void) | undefined;

  private readonly counters = {
    runs: 0,
    skippedOverlap: 0,
    coalesced: 0,
    missedTicks: 0,
    pauses: 0,
    abandoned: 0,
  };
  private readonly lateness: Float64Array;
  private latenessCount = 0;
  private latenessNext = 0;
  private readonly lastErrors: ProbeSchedulerError[] = [];

  constructor(opts: ProbeSchedulerOptions) {
    this.runProbe = opts.run;
    this.onResult = opts.onResult;
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 64));
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      opts.clearTimer ??
      ((handle) => {
        clearTimeout(handle as NodeJS.Timeout);
      });
    this.logger = opts.logger ?? silentLogger;
    this.intervalOf = opts.intervalMs ?? ((probe) => probe.intervalS * 1000);
    this.pauseThresholdMs = opts.pauseThresholdMs ?? 2000;
    this.watchdogGraceMs = opts.watchdogGraceMs ?? 5000;
    this.lateness = new Float64Array(Math.max(1, Math.floor(opts.latenessWindow ?? 1024)));
  }

  /**
   * Replaces the set of probes. New ones are scheduled, removed ones stop (an in-flight run is aborted and
   * its result dropped), changed ones (interval, timeout, type or config) restart on their new grid (an
   * in-flight run of the old version is aborted too). Unchanged probes keep their schedule; a changed name
   * alone is taken over without a restart. Of duplicate ids the first wins.
   */
  update(probes: readonly AgentProbe[]): void {
    if (this.stopped) {
      this.logger.warn({ probes: probes.length }, 'probe scheduler is stopped; update ignored');
      return;
    }
    const now = this.now();
    const seen = new Set<string>();
    for (const probe of probes) {
      if (seen.has(probe.id)) {
        this.logger.warn({ probeId: probe.id }, 'duplicate probe id; only the first is scheduled');
        continue;
      }
      const intervalMs = Math.round(this.intervalOf(probe));
      if (!Number.isFinite(intervalMs) || intervalMs < 1) {
        this.logger.warn({ probeId: probe.id, intervalMs }, 'probe has no usable interval; not scheduled');
        continue;
      }
      seen.add(probe.id);
      const old = this.entries.get(probe.id);
      const json = JSON.stringify([intervalMs, probe.timeoutMs, probe.type, probe.config]);
      if (old && ProbeScheduler.sameSchedule(old, json, intervalMs, probe)) {
        old.probe = probe;
        old.json = json;
        continue;
      }
      let u: number;
      if (old) {
        u = old.u;
        this.retire(old, 'probe changed');
      } else {
        u = Math.min(Math.max(this.random(), 0), 1);
      }
      this.add(probe, json, intervalMs, u, now);
    }
    for (const [id, e] of this.entries) if (!seen.has(id)) this.retire(e, 'probe removed');
    this.armNext();
  }

  /** Stops scheduling, aborts in-flight runs (their results are dropped); resolves once they settled. */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.stopped = true;
    for (const e of this.entries.values()) {
      e.retired = true;
      e.queued = undefined;
    }
    this.entries.clear();
    this.heap.clear();
    this.queue = [];
    this.queueHead = 0;
    this.queuedCount = 0;
    this.stopPromise = new Promise<void>((resolve) => {
      this.resolveStop = resolve;
    });
    for (const run of this.runs) {
      run.dropped = true;
      run.controller.abort(new Error('probe scheduler stopped'));
    }
    // The timer now only watches the aborted runs' deadlines, so a run ignoring its signal cannot hang stop().
    this.armNext();
    this.maybeStopped();
    return this.stopPromise;
  }

  stats(): ProbeSchedulerStats {
    const window = this.lateness.slice(0, this.latenessCount).sort();
    const pick = (p: number): number | null => {
      if (window.length === 0) return null;
      const v = window[Math.min(window.length - 1, Math.max(0, Math.ceil(p * window.length) - 1))];
      return v ?? null;
    };
    return {
      probes: this.entries.size,
      running: this.runs.size,
      queued: this.queuedCount,
      ...this.counters,
      latenessP50Ms: pick(0.5),
      latenessP99Ms: pick(0.99),
      lastErrors: [...this.lastErrors],
    };
  }

  // --- the grid ---------------------------------------------------------------------------------------

  /** The first grid point at or after t. */
  private static gridAtOrAfter(e: Entry, t: number): number {
    return e.phaseMs + Math.ceil((t - e.phaseMs) / e.intervalMs) * e.intervalMs;
  }

  /** The last grid point at or before t. */
  private static gridAtOrBefore(e: Entry, t: number): number {
    return e.phaseMs + Math.floor((t - e.phaseMs) / e.intervalMs) * e.intervalMs;
  }

  /** Unchanged interval, timeout, type and config: the same JSON, or the same once keys are sorted. */
  private static sameSchedule(old: Entry, json: string, intervalMs: number, probe: AgentProbe): boolean {
    if (old.json === json) return true;
    if (old.intervalMs !== intervalMs || old.probe.timeoutMs !== probe.timeoutMs) return false;
    if (old.probe.type !== probe.type) return false;
    return stableStringify(old.probe.config) === stableStringify(probe.config);
  }

  private add(probe: AgentProbe, json: string, intervalMs: number, u: number, now: number): void {
    const phaseMs = Math.min(intervalMs - 1, Math.floor(u * intervalMs));
    const e: Entry = {
      probe,
      json,
      intervalMs,
      u,
      phaseMs,
      nextDue: 0,
      heapIndex: -1,
      seq: this.seq++,
      retired: false,
      queued: undefined,
    };
    e.nextDue = ProbeScheduler.gridAtOrAfter(e, now);
    this.entries.set(probe.id, e);
    this.heap.push(e);
  }

  private retire(e: Entry, reason: string): void {
    e.retired = true;
    this.entries.delete(e.probe.id);
    this.heap.remove(e);
    if (e.queued) {
      e.queued = undefined;
      this.queuedCount--;
    }
    const run = this.inflight.get(e.probe.id);
    if (run?.entry === e && !run.dropped) {
      run.dropped = true;
      run.controller.abort(new Error(reason));
    }
  }

  // --- the timer --------------------------------------------------------------------------------------

  /** Arms the one timer for the earliest of the heap's top and the runs' watchdog deadlines. */
  private armNext(): void {
    let next = this.heap.peek()?.nextDue;
    for (const run of this.runs) if (next === undefined || run.deadline < next) next = run.deadline;
    if (next === undefined) {
      this.disarm();
      return;
    }
    if (this.timerAt !== undefined && this.timerAt === next) return;
    this.armAt(next);
  }

  /** Arms the timer for `at` unless it is already armed no later than that. */
  private armBy(at: number): void {
    if (this.firing) return;
    if (this.timerAt !== undefined && this.timerAt <= at) return;
    this.armAt(at);
  }

  private armAt(at: number): void {
    this.disarm();
    const now = this.now();
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, at - now));
    this.timerAt = now + delay;
    this.timer = this.setTimer(this.onTimerCallback, delay);
  }

  private disarm(): void {
    if (this.timerAt === undefined) return;
    this.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }

  private onTimer(): void {
    const planned = this.timerAt;
    this.timer = undefined;
    this.timerAt = undefined;
    const now = this.now();
    let paused = false;
    if (planned !== undefined && !this.stopped) {
      const drift = now - planned;
      if (drift > this.pauseThresholdMs) {
        paused = true;
        this.counters.pauses++;
        this.logger.warn(
          { lateMs: drift },
          'probe timer fired late (pause or clock jump); skipping missed ticks',
        );
        // In-flight runs were paused too; give them their grace before the watchdog judges them.
        for (const run of this.runs) run.deadline = Math.max(run.deadline, now + this.watchdogGraceMs);
      } else if (drift < -this.pauseThresholdMs) {
        this.counters.pauses++;
        this.logger.warn({ earlyMs: -drift }, 'clock moved backwards; rescheduling every probe');
        this.rebase(now);
      }
    }
    this.firing = true;
    try {
      this.fire(now, paused);
    } finally {
      this.firing = false;
    }
    this.armNext();
  }

  private fire(now: number, paused: boolean): void {
    this.checkWatchdog(now);
    for (let top = this.heap.peek(); top && top.nextDue <= now && !this.stopped; top = this.heap.peek()) {
      const tick = ProbeScheduler.gridAtOrBefore(top, now);
      if (paused && tick < now) {
        // Resume at the next grid point instead of running now: no burst of everything that came due.
        const next = tick + top.intervalMs;
        this.counters.missedTicks += Math.round((next - top.nextDue) / top.intervalMs);
        top.nextDue = next;
        this.heap.update(top);
        continue;
      }
      this.counters.missedTicks += Math.round((tick - top.nextDue) / top.intervalMs);
      top.nextDue = tick + top.intervalMs;
      this.heap.update(top);
      this.tick(top, tick);
    }
    this.pump();
  }

  /** After the clock went back: every probe to its first grid point after now, deadlines made sane. */
  private rebase(now: number): void {
    for (const e of this.heap.entries()) e.nextDue = ProbeScheduler.gridAtOrBefore(e, now) + e.intervalMs;
    this.heap.rebuild();
    for (const run of this.runs) {
      run.deadline = Math.min(run.deadline, now + run.entry.probe.timeoutMs + this.watchdogGraceMs);
    }
  }

  // --- runs -------------------------------------------------------------------------------------------

  private tick(e: Entry, tick: number): void {
    if (this.inflight.has(e.probe.id)) {
      this.counters.skippedOverlap++;
      return;
    }
    if (e.queued) {
      e.queued.tick = tick;
      this.counters.coalesced++;
      return;
    }
    if (this.runs.size < this.concurrency && this.queuedCount === 0) {
      this.start(e, tick, tick);
      return;
    }
    e.queued = { firstTick: tick, tick };
    this.queue.push(e);
    this.queuedCount++;
  }

  /** Starts queued runs while slots are free, oldest first. */
  private pump(): void {
    while (!this.stopped && this.runs.size < this.concurrency && this.queueHead < this.queue.length) {
      const e = this.queue[this.queueHead++];
      if (!e?.queued || e.retired) continue;
      const { firstTick, tick } = e.queued;
      e.queued = undefined;
      this.queuedCount--;
      if (this.inflight.has(e.probe.id)) this.counters.skippedOverlap++;
      else this.start(e, tick, firstTick);
    }
    if (this.queueHead >= this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  private start(e: Entry, ts: number, firstTick: number): void {
    const startedAt = this.now();
    this.recordLateness(startedAt - firstTick);
    this.counters.runs++;
    const run: Run = {
      entry: e,
      probeId: e.probe.id,
      ts,
      deadline: startedAt + e.probe.timeoutMs + this.watchdogGraceMs,
      controller: new AbortController(),
      dropped: false,
      released: false,
      settled: Promise.resolve(),
    };
    this.runs.add(run);
    this.inflight.set(run.probeId, run);
    const probe = e.probe;
    // Calls run() synchronously; a synchronous throw becomes a rejection.
    const outcome = new Promise<ProbeOutcome>((resolve) => {
      resolve(this.runProbe(probe, run.controller.signal));
    });
    run.settled = outcome.then(
      (o) => {
        this.finish(run, o);
      },
      (err: unknown) => {
        // A dropped run (probe removed or changed, scheduler stopped) rejecting on its abort is no error.
        this.finish(
          run,
          run.dropped ? undefined : this.failure(run, `probe run failed: ${errorMessage(err)}`),
        );
      },
    );
    this.armBy(run.deadline);
  }

  private finish(run: Run, outcome: ProbeOutcome | undefined): void {
    if (run.released) return; // abandoned by the watchdog, already reported
    this.release(run);
    if (outcome && !run.dropped) this.deliver(run, outcome);
    this.pump();
    this.maybeStopped();
  }

  private release(run: Run): void {
    run.released = true;
    this.runs.delete(run);
    if (this.inflight.get(run.probeId) === run) this.inflight.delete(run.probeId);
  }

  private checkWatchdog(now: number): void {
    for (const run of this.runs) {
      if (now < run.deadline) continue;
      this.counters.abandoned++;
      run.controller.abort(new Error('probe run overran its timeout'));
      this.release(run);
      const outcome = this.failure(
        run,
        `probe run did not finish within ${run.entry.probe.timeoutMs} ms + ${this.watchdogGraceMs} ms`,
      );
      if (!run.dropped) this.deliver(run, outcome);
    }
    this.pump();
    this.maybeStopped();
  }

  private failure(run: Run, text: string): ProbeOutcome {
    const message = text.slice(0, MAX_MESSAGE);
    this.recordError(run.probeId, run.ts, message);
    this.logger.warn({ probeId: run.probeId, ts: run.ts }, message);
    return { status: 'down', latencyMs: null, message };
  }

  private deliver(run: Run, outcome: ProbeOutcome): void {
    if (this.stopped) return;
    try {
      this.onResult({ ...outcome, probeId: run.probeId, ts: run.ts });
    } catch (err) {
      const message = `onResult failed: ${errorMessage(err)}`;
      this.recordError(run.probeId, run.ts, message);
      this.logger.error({ probeId: run.probeId }, message);
    }
  }

  private maybeStopped(): void {
    if (this.stopped && this.runs.size === 0 && this.resolveStop) {
      const resolve = this.resolveStop;
      this.resolveStop = undefined;
      this.disarm();
      resolve();
    }
  }

  private recordLateness(ms: number): void {
    this.lateness[this.latenessNext] = Math.max(0, ms);
    this.latenessNext = (this.latenessNext + 1) % this.lateness.length;
    this.latenessCount = Math.min(this.latenessCount + 1, this.lateness.length);
  }

  private recordError(probeId: string, ts: number, message: string): void {
    this.lastErrors.push({ probeId, ts, message });
    if (this.lastErrors.length > MAX_LAST_ERRORS) this.lastErrors.shift();
  }
}
