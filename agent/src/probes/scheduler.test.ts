import type { AgentProbe, ProbeOutcome, ProbeResult } from '@emma/protocol';
import { describe, expect, it } from 'vitest';
import { ProbeScheduler, stableStringify, type ProbeSchedulerOptions } from './scheduler';

// A fake clock with the two times a real process has: a monotonic one that drives timers, and a wall
// clock (`now`) that can jump (suspend, NTP) independently of it.
class FakeClock {
  mono = 0;
  offset: number;
  /** Extra delay added to each scheduler timer (timer lag). */
  lag: () => number = () => 0;
  maxSchedulerTimers = 0;
  /** Lets promise callbacks run after each timer; the scale test swaps in a cheaper microtask flush. */
  flush: () => Promise<void> = flush;
  private timers: { at: number; fn: () => void; id: number; scheduler: boolean }[] = [];
  private nextId = 1;

  constructor(start = 1_700_000_000_000) {
    this.offset = start;
  }

  readonly now = (): number => this.mono + this.offset;

  readonly setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.add(fn, ms + this.lag(), true);
    this.maxSchedulerTimers = Math.max(this.maxSchedulerTimers, this.schedulerTimers());
    return id;
  };

  readonly clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };

  /** A timer for the fake runs; returns its cancel function. */
  sleep(ms: number, fn: () => void): () => void {
    const id = this.add(fn, ms, false);
    return () => {
      this.clearTimer(id);
    };
  }

  schedulerTimers(): number {
    return this.timers.filter((t) => t.scheduler).length;
  }

  /** Lets time pass, firing due timers in order (and letting promises settle after each). */
  async advance(ms: number): Promise<void> {
    const end = this.mono + ms;
    for (;;) {
      let next: (typeof this.timers)[number] | undefined;
      for (const t of this.timers) if (t.at <= end && (!next || t.at < next.at)) next = t;
      if (!next) break;
      const fired = next;
      this.timers = this.timers.filter((t) => t !== fired);
      this.mono = Math.max(this.mono, fired.at);
      fired.fn();
      await this.flush();
    }
    this.mono = end;
    await this.flush();
  }

  /** The event loop is blocked: time passes, nothing fires until the next advance(). */
  block(ms: number): void {
    this.mono += ms;
  }

  /** The machine sleeps or the wall clock is set: `now` jumps, the monotonic timers do not move. */
  jumpWall(ms: number): void {
    this.offset += ms;
  }

  private add(fn: () => void, ms: number, scheduler: boolean): number {
    const id = this.nextId++;
    this.timers.push({ at: this.mono + Math.max(0, ms), fn, id, scheduler });
    return id;
  }
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Deterministic uniform [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function probeId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function probe(
  n: number,
  over: { intervalS?: number; timeoutMs?: number; name?: string; port?: number } = {},
): AgentProbe {
  return {
    id: probeId(n),
    name: over.name ?? `probe ${n}`,
    intervalS: over.intervalS ?? 5,
    timeoutMs: over.timeoutMs ?? 120_000,
    type: 'tcp',
    config: { host: 'db.example.test', port: over.port ?? 5432 },
  };
}

const UP: ProbeOutcome = { status: 'up', latencyMs: 1, message: 'ok' };

interface Start {
  id: string;
  name: string;
  at: number;
  signal: AbortSignal;
}

/** A fake runner: each run takes `duration(probe)` ms of fake time; an abort ends it (after `settleMs`). */
function fakeRunner(clock: FakeClock, duration: (probe: AgentProbe) => number = () => 0, settleMs = 0) {
  const starts: Start[] = [];
  const perProbe = new Map<string, number>();
  const state = { running: 0, maxRunning: 0, maxPerProbe: 0, aborted: 0 };
  const run = (p: AgentProbe, signal: AbortSignal): Promise<ProbeOutcome> => {
    starts.push({ id: p.id, name: p.name, at: clock.now(), signal });
    state.running++;
    state.maxRunning = Math.max(state.maxRunning, state.running);
    const mine = (perProbe.get(p.id) ?? 0) + 1;
    perProbe.set(p.id, mine);
    state.maxPerProbe = Math.max(state.maxPerProbe, mine);
    return new Promise<ProbeOutcome>((resolve) => {
      let done = false;
      const finish = (o: ProbeOutcome): void => {
        if (done) return;
        done = true;
        state.running--;
        perProbe.set(p.id, (perProbe.get(p.id) ?? 1) - 1);
        resolve(o);
      };
      const ms = duration(p);
      if (ms <= 0) {
        finish(UP);
        return;
      }
      const cancel = clock.sleep(ms, () => {
        finish(UP);
      });
      signal.addEventListener(
        'abort',
        () => {
          cancel();
          state.aborted++;
          const down: ProbeOutcome = { status: 'down', latencyMs: null, message: 'aborted' };
          if (settleMs > 0)
            clock.sleep(settleMs, () => {
              finish(down);
            });
          else finish(down);
        },
        { once: true },
      );
    });
  };
  return { run, starts, state };
}

function setup(overrides: Partial<ProbeSchedulerOptions> & { clock?: FakeClock; seed?: number } = {}) {
  const clock = overrides.clock ?? new FakeClock();
  const results: ProbeResult[] = [];
  const runner = fakeRunner(clock);
  const scheduler = new ProbeScheduler({
    run: runner.run,
    onResult: (r) => {
      results.push(r);
    },
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: seeded(overrides.seed ?? 42),
    ...overrides,
  });
  return { clock, results, scheduler, runner };
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

describe('ProbeScheduler', () => {
  it('spreads the first runs uniformly across one interval', async () => {
    const clock = new FakeClock(1_700_000_001_234);
    const { scheduler, runner, results } = setup({ clock });
    const probes = Array.from({ length: 1000 }, (_, i) => probe(i, { intervalS: 10 }));
    const added = clock.now();
    scheduler.update(probes);
    await clock.advance(9_999);

    expect(runner.starts).toHaveLength(1000);
    expect(new Set(runner.starts.map((s) => s.id)).size).toBe(1000);
    const buckets = new Array<number>(10).fill(0);
    for (const s of runner.starts) {
      const offset = s.at - added;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(10_000);
      buckets[Math.floor(offset / 1000)]!++;
    }
    for (const b of buckets) {
      expect(b).toBeGreaterThan(60);
      expect(b).toBeLessThan(140);
    }
    // No lag here: the result's ts is the scheduled time, which is when it started.
    const startAt = new Map(runner.starts.map((s) => [s.id, s.at]));
    for (const r of results) expect(r.ts).toBe(startAt.get(r.probeId));
    expect(clock.maxSchedulerTimers).toBe(1);
    await scheduler.stop();
  });

  it('keeps each probe on a fixed grid without drift despite timer lag and slow runs', async () => {
    const clock = new FakeClock();
    const lagRandom = seeded(7);
    clock.lag = () => Math.floor(lagRandom() * 40);
    const durRandom = seeded(8);
    const runner = fakeRunner(clock, () => 1 + Math.floor(durRandom() * 3000));
    const results: ProbeResult[] = [];
    const scheduler = new ProbeScheduler({
      run: runner.run,
      onResult: (r) => results.push(r),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: seeded(3),
    });
    const start = clock.now();
    scheduler.update([probe(1), probe(2), probe(3)]);
    await clock.advance(200 * 5000);

    for (const n of [1, 2, 3]) {
      const ts = results.filter((r) => r.probeId === probeId(n)).map((r) => r.ts);
      expect(ts).toHaveLength(200);
      const first = ts[0]!;
      expect(first - start).toBeGreaterThanOrEqual(0);
      expect(first - start).toBeLessThan(5000);
      ts.forEach((t, k) => {
        expect(t).toBe(first + k * 5000);
      });
      const starts = runner.starts.filter((s) => s.id === probeId(n));
      starts.forEach((s, k) => {
        const late = s.at - (first + k * 5000);
        expect(late).toBeGreaterThanOrEqual(0);
        expect(late).toBeLessThan(40);
      });
    }
    const stats = scheduler.stats();
    expect(stats.missedTicks).toBe(0);
    expect(stats.latenessP99Ms).toBeGreaterThan(0);
    expect(stats.latenessP99Ms).toBeLessThan(40);
    await scheduler.stop();
  });

  it('reports lateness percentiles', async () => {
    const clock = new FakeClock();
    clock.lag = () => 7;
    const { scheduler } = setup({ clock });
    expect(scheduler.stats().latenessP50Ms).toBeNull();
    scheduler.update(Array.from({ length: 20 }, (_, i) => probe(i)));
    await clock.advance(3 * 5000);
    const stats = scheduler.stats();
    expect(stats.runs).toBeGreaterThanOrEqual(40);
    // Every timer fires 7 ms late; probes due in between also start then, hence "up to 7".
    expect(stats.latenessP99Ms).toBe(7);
    expect(stats.latenessP50Ms).toBeGreaterThanOrEqual(0);
    expect(stats.latenessP50Ms).toBeLessThanOrEqual(7);
    await scheduler.stop();
  });

  it('skips (and counts) a tick while the same probe is still running', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const runner = fakeRunner(clock, () => 12_000);
    const results: ProbeResult[] = [];
    const scheduler = new ProbeScheduler({
      run: runner.run,
      onResult: (r) => results.push(r),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: () => 0,
    });
    const t0 = clock.now(); // a multiple of 5 s, so phase 0 makes the first tick now
    scheduler.update([probe(1)]);
    await clock.advance(27_500);

    // Ticks at 0, 5, 10, 15, 20, 25 s: runs at 0 (until 12 s) and 15 s (until 27 s); 5, 10, 20, 25 skipped.
    expect(runner.starts.map((s) => s.at - t0)).toEqual([0, 15_000]);
    expect(results.map((r) => r.ts - t0)).toEqual([0, 15_000]);
    expect(runner.state.maxPerProbe).toBe(1);
    expect(scheduler.stats().skippedOverlap).toBe(4);
    await scheduler.stop();
  });

  it('never runs more than `concurrency` at once; the queue is FIFO', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const runner = fakeRunner(clock, () => 100);
    const results: ProbeResult[] = [];
    let maxQueued = 0;
    const scheduler: ProbeScheduler = new ProbeScheduler({
      run: (p, signal) => {
        maxQueued = Math.max(maxQueued, scheduler.stats().queued);
        return runner.run(p, signal);
      },
      onResult: (r) => results.push(r),
      concurrency: 10,
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: () => 0, // every probe due at the same instant: the worst case
    });
    const probes = Array.from({ length: 200 }, (_, i) => probe(i));
    const t0 = clock.now();
    scheduler.update(probes);
    await clock.advance(3 * 5000 - 1);

    expect(runner.state.maxRunning).toBe(10);
    expect(maxQueued).toBeGreaterThanOrEqual(180);
    // 20 waves of 100 ms fit in the 5 s interval: every probe ran once per tick, in update order.
    expect(runner.starts).toHaveLength(600);
    expect(runner.starts.slice(0, 200).map((s) => s.id)).toEqual(probes.map((p) => p.id));
    expect(runner.starts[199]!.at - t0).toBe(1900);
    for (const n of countBy(results, (r) => r.probeId).values()) expect(n).toBe(3);
    expect(new Set(results.map((r) => r.ts - t0))).toEqual(new Set([0, 5000, 10_000]));
    const stats = scheduler.stats();
    expect(stats.latenessP99Ms).toBe(1900);
    expect(stats.coalesced).toBe(0);
    expect(stats.running).toBe(0);
    expect(stats.queued).toBe(0);
    await scheduler.stop();
  });

  it('coalesces a queued run whose next tick came before it got a slot', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const runner = fakeRunner(clock, (p) => (p.id === probeId(1) ? 12_000 : 10));
    const results: ProbeResult[] = [];
    const draws = [0, 0.2];
    const scheduler = new ProbeScheduler({
      run: runner.run,
      onResult: (r) => results.push(r),
      concurrency: 1,
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: () => draws.shift() ?? 0,
    });
    const t0 = clock.now();
    scheduler.update([probe(1), probe(2)]); // phases 0 and 1 s
    await clock.advance(14_000);

    // Probe 2 was due at 1, 6 and 11 s while probe 1 held the only slot until 12 s: it ran once, at 12 s,
    // reporting the newest tick; its lateness counts from the oldest.
    const b = runner.starts.filter((s) => s.id === probeId(2));
    expect(b.map((s) => s.at - t0)).toEqual([12_000]);
    expect(results.map((r) => [r.probeId, r.ts - t0])).toEqual([
      [probeId(1), 0],
      [probeId(2), 11_000],
    ]);
    const stats = scheduler.stats();
    expect(stats.coalesced).toBe(2);
    expect(stats.skippedOverlap).toBe(2); // probe 1 at 5 and 10 s
    expect(stats.latenessP99Ms).toBe(11_000);
    await clock.advance(1500); // probe 1's tick at 15 s runs again
    expect(runner.starts.filter((s) => s.id === probeId(1)).map((s) => s.at - t0)).toEqual([0, 15_000]);
    await scheduler.stop();
  });

  it('update adds, removes and changes probes', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const runner = fakeRunner(clock, (p) => (p.id === probeId(1) ? 3000 : 1000));
    const results: ProbeResult[] = [];
    const scheduler = new ProbeScheduler({
      run: runner.run,
      onResult: (r) => results.push(r),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: seeded(5),
    });
    scheduler.update([probe(1), probe(2)]);
    // Run until probe 1 is in flight.
    while (!runner.starts.some((s) => s.id === probeId(1))) await clock.advance(100);
    const aStart = runner.starts.find((s) => s.id === probeId(1))!;
    expect(aStart.signal.aborted).toBe(false);

    // Remove 1, add 3: 1's in-flight run is aborted and its result never arrives.
    scheduler.update([probe(2), probe(3)]);
    expect(aStart.signal.aborted).toBe(true);
    await clock.advance(3 * 5000);
    expect(results.some((r) => r.probeId === probeId(1))).toBe(false);
    expect(runner.starts.filter((s) => s.id === probeId(1))).toHaveLength(1);
    const c = runner.starts.filter((s) => s.id === probeId(3));
    expect(c.length).toBeGreaterThanOrEqual(3);
    expect(scheduler.stats().probes).toBe(2);

    // Probe 2's interval goes from 5 s to 10 s: its ticks move to the new grid.
    const before = results.filter((r) => r.probeId === probeId(2)).length;
    scheduler.update([probe(2, { intervalS: 10 }), probe(3)]);
    await clock.advance(6 * 10_000);
    const b = results.filter((r) => r.probeId === probeId(2)).slice(before);
    expect(b.length).toBeGreaterThanOrEqual(5);
    expect(b.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < b.length; i++) expect(b[i]!.ts - b[i - 1]!.ts).toBe(10_000);
    expect(results.filter((r) => r.probeId === probeId(3)).length).toBeGreaterThanOrEqual(14);

    // A config change while probe 2 is in flight: that run is aborted and dropped, the grid stays.
    for (let i = 0; i < 400 && (runner.state.running === 0 || runner.starts.at(-1)!.id !== probeId(2)); i++) {
      await clock.advance(50);
    }
    expect(runner.starts.at(-1)!.id).toBe(probeId(2));
    const inFlight = runner.starts.at(-1)!;
    const resultsBefore = results.filter((r) => r.probeId === probeId(2)).length;
    scheduler.update([probe(2, { intervalS: 10, port: 6543 }), probe(3)]);
    expect(inFlight.signal.aborted).toBe(true);
    await clock.advance(11_000);
    const after = results.filter((r) => r.probeId === probeId(2)).slice(resultsBefore);
    expect(after).toHaveLength(1); // the next tick's result, not the aborted one
    expect((after[0]!.ts - b[0]!.ts) % 10_000).toBe(0);
    expect(after[0]!.ts).toBeGreaterThan(inFlight.at);
    expect(results.every((r) => r.status === 'up')).toBe(true);
    await scheduler.stop();
  });

  it('keeps every probe exactly on time through heavy add/remove churn', async () => {
    const { scheduler, runner, results, clock } = setup({ seed: 17 });
    const pick = seeded(18);
    let live = Array.from({ length: 400 }, (_, i) => probe(i));
    let nextN = 400;
    scheduler.update(live);
    for (let round = 0; round < 20; round++) {
      live = live.filter(() => pick() < 0.7);
      for (let i = 0; i < 120; i++) live.push(probe(nextN++));
      if (round % 5 === 4)
        live = live.map((p) =>
          pick() < 0.2 ? probe(Number.parseInt(p.id.slice(-12), 16), { port: round }) : p,
        );
      scheduler.update(live);
      await clock.advance(Math.floor(pick() * 1000));
    }
    runner.starts.length = 0;
    results.length = 0;
    await clock.advance(5000);
    expect(scheduler.stats().probes).toBe(live.length);
    const perProbe = countBy(runner.starts, (s) => s.id);
    expect(perProbe.size).toBe(live.length);
    for (const n of perProbe.values()) expect(n).toBe(1);
    const startAt = new Map(runner.starts.map((s) => [s.id, s.at]));
    for (const r of results) expect(r.ts).toBe(startAt.get(r.probeId));
    expect(results).toHaveLength(live.length);
    await scheduler.stop();
  });

  it('an unchanged update (even with new objects and reordered keys) does not reset anything', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const runner = fakeRunner(clock, () => 2000);
    const results: ProbeResult[] = [];
    let draws = 0;
    const random = seeded(11);
    const scheduler = new ProbeScheduler({
      run: runner.run,
      onResult: (r) => results.push(r),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: () => {
        draws++;
        return random();
      },
    });
    const probes = Array.from({ length: 20 }, (_, i) => probe(i));
    scheduler.update(probes);
    await clock.advance(4999);
    const gridOf = new Map(runner.starts.map((s) => [s.id, s.at]));
    expect(gridOf.size).toBe(20);

    for (let k = 0; k < 10; k++) {
      const copies = probes.map((p): AgentProbe => ({
        timeoutMs: p.timeoutMs,
        type: 'tcp',
        config: { port: 5432, host: 'db.example.test' },
        intervalS: p.intervalS,
        name: k === 9 ? `renamed ${p.id}` : p.name,
        id: p.id,
      }));
      scheduler.update(copies);
      await clock.advance(1300);
    }
    expect(draws).toBe(20);
    expect(runner.starts.some((s) => s.signal.aborted)).toBe(false);
    // Every result stays on the grid of the first interval, one per tick.
    for (const r of results) expect((r.ts - gridOf.get(r.probeId)!) % 5000).toBe(0);
    for (const [id, n] of countBy(results, (r) => r.probeId)) {
      const ts = results.filter((r) => r.probeId === id).map((r) => r.ts);
      expect(new Set(ts).size).toBe(n);
    }
    expect(runner.starts.length).toBeGreaterThanOrEqual(20 * 3);
    expect(runner.starts.length).toBeLessThanOrEqual(20 * 4);
    // The rename is taken over without a restart.
    await clock.advance(5000);
    expect(runner.starts.slice(-20).every((s) => s.name.startsWith('renamed'))).toBe(true);
    expect(draws).toBe(20);
    await scheduler.stop();
  });

  it.each([
    ['the machine slept (wall clock jumped, timers did not move)', 'sleep'],
    ['the event loop was blocked', 'block'],
  ] as const)('after a pause (%s) missed ticks are not replayed and there is no burst', async (_, kind) => {
    const clock = new FakeClock(1_700_000_000_000);
    const { scheduler, runner, results } = setup({ clock });
    const probes = Array.from({ length: 50 }, (_x, i) => probe(i));
    scheduler.update(probes);
    await clock.advance(5000);
    expect(runner.starts).toHaveLength(50);
    const gridOf = new Map(runner.starts.map((s) => [s.id, s.at]));

    if (kind === 'sleep') clock.jumpWall(10 * 5000);
    else clock.block(10 * 5000);
    const resumed = clock.now();
    runner.starts.length = 0;
    results.length = 0;
    await clock.advance(2 * 5000);

    // No burst: about one probe per 100 ms, as before the pause (a replay or catch-up would start 50).
    expect(runner.starts.filter((s) => s.at - resumed <= 100).length).toBeLessThanOrEqual(3);
    // Not replayed: once or twice per probe in two intervals, on the old grid, each 5 s apart.
    const perProbe = countBy(runner.starts, (s) => s.id);
    expect(perProbe.size).toBe(50);
    for (const n of perProbe.values()) {
      expect(n).toBeGreaterThanOrEqual(kind === 'block' ? 2 : 1);
      expect(n).toBeLessThanOrEqual(2);
    }
    for (const p of probes) {
      const at = runner.starts.filter((s) => s.id === p.id).map((s) => s.at);
      for (const t of at) expect((t - gridOf.get(p.id)!) % 5000).toBe(0);
      if (at.length === 2) expect(at[1]! - at[0]!).toBe(5000);
    }
    for (const r of results) expect(r.ts).toBeGreaterThanOrEqual(resumed);
    const stats = scheduler.stats();
    expect(stats.pauses).toBe(1);
    expect(stats.missedTicks).toBeGreaterThanOrEqual(50 * 10);
    expect(stats.missedTicks).toBeLessThanOrEqual(50 * 11);
    await scheduler.stop();
  });

  it('a timer late by more than an interval (but no pause) runs each probe once, for its latest tick', async () => {
    const { scheduler, runner, results, clock } = setup({ intervalMs: () => 100 });
    scheduler.update(Array.from({ length: 5 }, (_, i) => probe(i)));
    await clock.advance(100);
    expect(runner.starts).toHaveLength(5);
    const gridOf = new Map(runner.starts.map((s) => [s.id, s.at]));

    clock.block(550); // below the 2 s pause threshold
    const resumed = clock.now();
    runner.starts.length = 0;
    results.length = 0;
    await clock.advance(0);
    expect(runner.starts).toHaveLength(5);
    for (const s of runner.starts) expect(s.at).toBe(resumed);
    let skipped = 0; // grid points between the one each probe was waiting for and the one it ran for
    for (const r of results) {
      const first = gridOf.get(r.probeId)!;
      expect(r.ts).toBe(first + 100 * Math.floor((resumed - first) / 100));
      skipped += (r.ts - (first + 100)) / 100;
    }
    expect(results).toHaveLength(5);
    expect(skipped).toBeGreaterThanOrEqual(5 * 4);
    await clock.advance(300);
    for (const n of countBy(runner.starts, (s) => s.id).values()) expect(n).toBe(4);
    const stats = scheduler.stats();
    expect(stats.pauses).toBe(0);
    expect(stats.skippedOverlap).toBe(0);
    expect(stats.missedTicks).toBe(skipped);
    await scheduler.stop();
  });

  it('keeps running when the wall clock goes backwards', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const { scheduler, runner, results } = setup({ clock });
    scheduler.update([probe(1)]);
    await clock.advance(5000);
    expect(runner.starts).toHaveLength(1);
    clock.jumpWall(-3_600_000);
    await clock.advance(3 * 5000);
    expect(runner.starts.length).toBeGreaterThanOrEqual(3);
    const ts = results.map((r) => r.ts);
    for (let i = 2; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBe(5000);
    expect(scheduler.stats().pauses).toBe(1);
    await scheduler.stop();
  });

  it('stop() aborts in-flight runs, resolves once they settled, and drops their results', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const runner = fakeRunner(clock, () => 60_000, 100);
    const results: ProbeResult[] = [];
    const scheduler = new ProbeScheduler({
      run: runner.run,
      onResult: (r) => results.push(r),
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: seeded(1),
    });
    scheduler.update(Array.from({ length: 5 }, (_, i) => probe(i)));
    await clock.advance(5000);
    expect(runner.state.running).toBe(5);

    let resolved = false;
    const stopped = scheduler.stop().then(() => {
      resolved = true;
    });
    expect(runner.starts.every((s) => s.signal.aborted)).toBe(true);
    await clock.advance(50);
    expect(resolved).toBe(false); // the runs take 100 ms to wind down
    await clock.advance(50);
    await stopped;
    expect(resolved).toBe(true);
    expect(runner.state.running).toBe(0);
    expect(results).toHaveLength(0);
    expect(clock.schedulerTimers()).toBe(0);
    expect(scheduler.stop()).toBe(scheduler.stop());

    scheduler.update([probe(9)]);
    await clock.advance(5 * 5000);
    expect(runner.starts).toHaveLength(5);
    expect(scheduler.stats().probes).toBe(0);
  });

  it('stop() resolves at once when nothing is in flight', async () => {
    const { scheduler, clock } = setup();
    scheduler.update([probe(1)]);
    expect(clock.schedulerTimers()).toBe(1);
    await scheduler.stop();
    expect(clock.schedulerTimers()).toBe(0);
  });

  it('reports a throwing or rejecting run as down and survives a throwing onResult', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const results: ProbeResult[] = [];
    let onResultCalls = 0;
    const scheduler = new ProbeScheduler({
      run: (p) => {
        if (p.id === probeId(1)) throw new Error('sync boom');
        if (p.id === probeId(2)) return Promise.reject(new Error('async boom'));
        return Promise.resolve(UP);
      },
      onResult: (r) => {
        onResultCalls++;
        if (onResultCalls === 1) throw new Error('consumer failed');
        results.push(r);
      },
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: seeded(2),
    });
    scheduler.update([probe(1), probe(2), probe(3)]);
    await clock.advance(2 * 5000);
    expect(onResultCalls).toBe(6);
    const byId = (n: number) => results.filter((r) => r.probeId === probeId(n));
    expect(byId(1).length + byId(2).length + byId(3).length).toBe(5);
    for (const r of [...byId(1), ...byId(2)]) {
      expect(r.status).toBe('down');
      expect(r.latencyMs).toBeNull();
    }
    expect(byId(1).at(-1)!.message).toBe('probe run failed: sync boom');
    expect(byId(2).at(-1)!.message).toBe('probe run failed: async boom');
    expect(byId(3).every((r) => r.status === 'up')).toBe(true);
    const messages = scheduler.stats().lastErrors.map((e) => e.message);
    expect(messages).toContain('probe run failed: sync boom');
    expect(messages).toContain('onResult failed: consumer failed');
    await scheduler.stop();
  });

  it('abandons a run that ignores its timeout and abort, freeing its slot', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const results: ProbeResult[] = [];
    const signals: AbortSignal[] = [];
    const starts: string[] = [];
    const scheduler = new ProbeScheduler({
      run: (p, signal) => {
        starts.push(p.id);
        if (p.id !== probeId(1)) return Promise.resolve(UP);
        signals.push(signal);
        return new Promise<ProbeOutcome>(() => undefined); // never settles
      },
      onResult: (r) => results.push(r),
      concurrency: 1,
      watchdogGraceMs: 500,
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: () => 0,
    });
    const t0 = clock.now();
    scheduler.update([probe(1, { timeoutMs: 1000 }), probe(2)]);
    await clock.advance(1499);
    expect(starts).toEqual([probeId(1)]);
    expect(results).toHaveLength(0);
    await clock.advance(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(results.map((r) => [r.probeId, r.status, r.ts - t0])).toEqual([
      [probeId(1), 'down', 0],
      [probeId(2), 'up', 0],
    ]);
    expect(results[0]!.message).toMatch(/did not finish within 1000 ms/);
    expect(scheduler.stats().abandoned).toBe(1);
    // stop() does not wait for the abandoned run.
    await clock.advance(5000);
    await scheduler.stop();
  });

  it('ignores duplicate ids and probes without a usable interval', async () => {
    const { scheduler, clock, runner } = setup({ intervalMs: (p) => (p.name === 'bad' ? 0 : 5000) });
    scheduler.update([probe(1), probe(1, { port: 1 }), probe(2, { name: 'bad' })]);
    expect(scheduler.stats().probes).toBe(1);
    await clock.advance(5000);
    expect(runner.starts).toHaveLength(1);
    await scheduler.stop();
  });

  it('stableStringify ignores key order', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } })).toBe(
      stableStringify({ a: { c: null, d: [1, { x: 2, y: 1 }] }, b: 1 }),
    );
  });

  it('scales: 5,000 probes, update() and a full cycle stay cheap, with one timer', async () => {
    // A lean single-slot fake timer, so that the harness costs little next to the scheduler. It counts
    // timers armed while another is still pending: one timer per probe would show up there.
    const cycle = async (count: number): Promise<{ cpuMs: number; overlapping: number }> => {
      let mono = 0;
      let pending: { at: number; fn: () => void } | undefined;
      let overlapping = 0;
      const now = (): number => 1_700_000_000_000 + mono;
      const seen = new Set<string>();
      const scheduler = new ProbeScheduler({
        run: (p) => {
          seen.add(p.id);
          return Promise.resolve(UP);
        },
        onResult: () => undefined,
        now,
        setTimer: (fn, ms) => {
          if (pending) overlapping++;
          pending = { at: mono + ms, fn };
          return pending;
        },
        clearTimer: (handle) => {
          if (handle === pending) pending = undefined;
        },
        random: seeded(count),
      });
      const probes = Array.from({ length: count }, (_, i) => probe(i, { intervalS: 30 }));
      const copies = Array.from({ length: count }, (_, i) => probe(i, { intervalS: 30 }));

      const cpu = process.cpuUsage();
      scheduler.update(probes);
      while (pending && pending.at < 30_000) {
        const { at, fn } = pending;
        pending = undefined;
        mono = Math.max(mono, at);
        fn();
        for (let i = 0; i < 4; i++) await Promise.resolve(); // let the finished runs settle
      }
      scheduler.update(copies); // unchanged: must not reschedule anything
      const used = process.cpuUsage(cpu);

      expect(seen.size).toBe(count);
      const stats = scheduler.stats();
      expect(stats.probes).toBe(count);
      expect(stats.runs).toBe(count);
      expect(stats.running).toBe(0);
      expect(stats.missedTicks).toBe(0);
      await scheduler.stop();
      return { cpuMs: (used.user + used.system) / 1000, overlapping };
    };
    // The first rounds pay for JIT compilation (on background threads, which process.cpuUsage counts):
    // warm up, then take the best of three measured rounds (steady state is about 40 ms here).
    await cycle(1000);
    const rounds = [await cycle(5000), await cycle(5000), await cycle(5000)];
    for (const r of rounds) expect(r.overlapping).toBe(0);
    expect(Math.min(...rounds.map((r) => r.cpuMs))).toBeLessThan(200);
  });

  it('works on real timers with the default clock (sub-second intervals via intervalMs)', async () => {
    const results: ProbeResult[] = [];
    const scheduler = new ProbeScheduler({
      run: () => Promise.resolve(UP),
      onResult: (r) => results.push(r),
      intervalMs: () => 20,
    });
    scheduler.update([probe(1), probe(2)]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await scheduler.stop();
    const count = results.length;
    for (const n of [1, 2]) {
      const ts = results.filter((r) => r.probeId === probeId(n)).map((r) => r.ts);
      expect(ts.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < ts.length; i++) expect((ts[i]! - ts[i - 1]!) % 20).toBe(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(results).toHaveLength(count);
  });
});
