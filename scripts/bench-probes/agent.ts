// The agent side of the probe benchmark: the real ProbeScheduler driving the real runProbe (wired as in
// agent/src/agent.ts), fed N http probes against the benchmark's target. Started with fork() by
// scripts/bench-probes.ts; reports what happened between a 'mark' and a 'report' message.
import { randomUUID } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { AgentProbeSchema, type AgentProbe, type ProbeResult } from '@emma/protocol';
import { probeRegistry } from '../../agent/src/probes/registry';
import { runProbe } from '../../agent/src/probes/runner';
import { ProbeScheduler, type ProbeSchedulerStats } from '../../agent/src/probes/scheduler';
import type { PipelineLogger } from '../../agent/src/pipeline/logger';
import type { AgentMessage, AgentStart, ParentMessage, Percentiles, ProfileSummary } from './messages';
import { summariseProfile } from './profile';

function send(message: AgentMessage): void {
  process.send?.(message);
}

function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: null, p90: null, p99: null, max: null };
  const sorted = Float64Array.from(values).sort();
  const pick = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return {
    count: sorted.length,
    p50: pick(0.5),
    p90: pick(0.9),
    p99: pick(0.99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

// Warnings of the scheduler (pauses, overruns) are counted, not printed.
const warnings: string[] = [];
const logger: PipelineLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (_obj, msg) => warnings.push(msg),
  error: (_obj, msg) => warnings.push(msg),
};

let scheduler: ProbeScheduler | undefined;
let probes: AgentProbe[] = [];
let profileSession: Session | undefined;
let profileWanted = false;

/** Start time (Date.now) of each probe's run in flight. */
const starts = new Map<string, number>();
/** Results handed to onResult since the last drain, as the agent's batcher would hold them. */
let pending: ProbeResult[] = [];

interface Window {
  at: number;
  perfAt: number;
  cpu: NodeJS.CpuUsage;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
  stats: ProbeSchedulerStats;
  lateness: number[];
  runWall: number[];
  checkLatency: number[];
  byStatus: Record<string, number>;
  failures: Map<string, number>;
  rssMax: number;
  heapMax: number;
  maxRunning: number;
  maxQueued: number;
  gcMs: number;
  gcCount: number;
}
let window: Window | undefined;

// The histogram's values include its 10 ms sampling period; the report subtracts it.
const LOOP_DELAY_RESOLUTION_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
const gcObserver = new PerformanceObserver((list) => {
  if (!window) return;
  for (const entry of list.getEntries()) {
    window.gcMs += entry.duration;
    window.gcCount++;
  }
});
gcObserver.observe({ entryTypes: ['gc'] });

function onResult(result: ProbeResult): void {
  pending.push(result);
  if (pending.length >= 1000) pending = [];
  const startedAt = starts.get(result.probeId);
  starts.delete(result.probeId);
  if (!window || startedAt === undefined || startedAt < window.at) return;
  window.lateness.push(startedAt - result.ts);
  window.runWall.push(Date.now() - startedAt);
  if (result.latencyMs !== null) window.checkLatency.push(result.latencyMs);
  window.byStatus[result.status] = (window.byStatus[result.status] ?? 0) + 1;
  if (result.status !== 'up') {
    const key = result.message.replace(/\d+(\.\d+)? ?ms/g, '# ms').slice(0, 160);
    window.failures.set(key, (window.failures.get(key) ?? 0) + 1);
  }
}

const sampler = setInterval(() => {
  if (!window || !scheduler) return;
  const mem = process.memoryUsage();
  window.rssMax = Math.max(window.rssMax, mem.rss);
  window.heapMax = Math.max(window.heapMax, mem.heapUsed);
  const s = scheduler.stats();
  window.maxRunning = Math.max(window.maxRunning, s.running);
  window.maxQueued = Math.max(window.maxQueued, s.queued);
}, 250);

function start(msg: AgentStart): void {
  const t0 = performance.now();
  profileWanted = msg.profile;
  probes = Array.from({ length: msg.probes }, (_, i) =>
    AgentProbeSchema.parse({
      id: randomUUID(),
      name: `bench probe ${i + 1}`,
      intervalS: msg.intervalS,
      timeoutMs: msg.timeoutMs,
      type: 'http',
      config: { url: `${msg.url}/probe/${i + 1}` },
    }),
  );
  // Wired as in agent/src/agent.ts; onResult stands in for pipeline.batcher.addProbeResults.
  scheduler = new ProbeScheduler({
    run: (probe, signal) => {
      starts.set(probe.id, Date.now());
      return runProbe(probe, { signal });
    },
    onResult,
    logger,
    ...(msg.concurrency === undefined ? {} : { concurrency: msg.concurrency }),
  });
  scheduler.update(probes);
  send({ type: 'started', probes: probes.length, setupMs: performance.now() - t0 });
}

async function mark(): Promise<void> {
  if (!scheduler) throw new Error('not started');
  if (profileWanted) {
    profileSession = new Session();
    profileSession.connect();
    await profileSession.post('Profiler.enable');
    await profileSession.post('Profiler.setSamplingInterval', { interval: 1000 });
    await profileSession.post('Profiler.start');
  }
  const mem = process.memoryUsage();
  loopDelay.reset();
  loopDelay.enable();
  window = {
    at: Date.now(),
    perfAt: performance.now(),
    cpu: process.cpuUsage(),
    elu: performance.eventLoopUtilization(),
    stats: scheduler.stats(),
    lateness: [],
    runWall: [],
    checkLatency: [],
    byStatus: {},
    failures: new Map(),
    rssMax: mem.rss,
    heapMax: mem.heapUsed,
    maxRunning: 0,
    maxQueued: 0,
    gcMs: 0,
    gcCount: 0,
  };
  send({ type: 'marked' });
}

/** µs per prepare() of an http config: the zod parse runProbe does on every run. */
function measurePrepare(): number {
  const entry = probeRegistry.get('http');
  const probe = probes[0];
  if (!entry || !probe) return 0;
  for (let i = 0; i < 2_000; i++) entry.prepare(probe.config);
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) entry.prepare(probe.config);
  return ((performance.now() - t0) * 1000) / n;
}

async function report(): Promise<void> {
  const w = window;
  if (!w || !scheduler) throw new Error('not marked');
  const cpu = process.cpuUsage(w.cpu);
  const elu = performance.eventLoopUtilization(w.elu);
  const windowMs = performance.now() - w.perfAt;
  loopDelay.disable();
  window = undefined;
  let profile: ProfileSummary | undefined;
  if (profileSession) {
    const { profile: raw } = await profileSession.post('Profiler.stop');
    profileSession.disconnect();
    profileSession = undefined;
    profile = summariseProfile(raw);
  }
  const s = scheduler.stats();
  const mem = process.memoryUsage();
  const failureMessages = [...w.failures.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([message, count]) => ({ message, count }));
  const ns = (v: number): number => Math.max(0, v / 1e6 - LOOP_DELAY_RESOLUTION_MS);
  send({
    type: 'report',
    windowMs,
    runs: s.runs - w.stats.runs,
    results: w.lateness.length,
    byStatus: w.byStatus,
    failureMessages,
    lateness: percentiles(w.lateness),
    runWall: percentiles(w.runWall),
    checkLatency: percentiles(w.checkLatency),
    scheduler: {
      latenessP50Ms: s.latenessP50Ms,
      latenessP99Ms: s.latenessP99Ms,
      skippedOverlap: s.skippedOverlap - w.stats.skippedOverlap,
      coalesced: s.coalesced - w.stats.coalesced,
      missedTicks: s.missedTicks - w.stats.missedTicks,
      pauses: s.pauses - w.stats.pauses,
      abandoned: s.abandoned - w.stats.abandoned,
      maxRunning: w.maxRunning,
      maxQueued: w.maxQueued,
      lastErrors: [...s.lastErrors.map((e) => e.message), ...warnings.slice(-5)],
    },
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    rssMaxMb: Math.max(w.rssMax, mem.rss) / 1024 / 1024,
    heapUsedMaxMb: Math.max(w.heapMax, mem.heapUsed) / 1024 / 1024,
    elu: elu.utilization,
    loopDelay: {
      p50: ns(loopDelay.percentile(50)),
      p99: ns(loopDelay.percentile(99)),
      max: ns(loopDelay.max),
    },
    gcMs: w.gcMs,
    gcCount: w.gcCount,
    // Measured after the window's figures were taken, while the probes keep running.
    prepareUs: measurePrepare(),
    profile,
  });
}

async function stop(): Promise<void> {
  clearInterval(sampler);
  gcObserver.disconnect();
  const timer = setTimeout(() => process.exit(0), 15_000);
  await scheduler?.stop();
  clearTimeout(timer);
  send({ type: 'stopped' });
  process.exit(0);
}

function fail(err: unknown): void {
  console.error('bench agent:', err);
  process.exit(1);
}

process.on('message', (msg: ParentMessage) => {
  if (msg.type === 'start') {
    try {
      start(msg);
    } catch (err) {
      fail(err);
    }
  } else if (msg.type === 'mark') mark().catch(fail);
  else if (msg.type === 'report') report().catch(fail);
  else stop().catch(fail);
});
process.on('disconnect', () => {
  process.exit(0);
});
