// Probe scheduling benchmark: one agent process running the real ProbeScheduler + runProbe (as wired in
// agent/src/agent.ts) with N http probes against ONE local HTTP target (its own process, 200 "OK", keep-alive),
// for N = 1,000, 2,500 and 5,000 at a 30 s interval. Prints achieved checks/s, schedule lateness, skipped
// runs, failures, and the CPU and RSS of the agent (and the target's CPU). Prints figures; not a test.
//
//   npm run bench:probes
//   BENCH_PROBES=5000 BENCH_SECONDS=120 npm run bench:probes
//
// Only 127.0.0.1 traffic; stops by itself. See docs/performance.md ("Probe scheduling") for the settings
// and the figures measured so far.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  AgentMessage,
  AgentReport,
  ParentMessage,
  Percentiles,
  TargetMessage,
  TargetReport,
} from './bench-probes/messages';
import {
  busySeconds,
  busyShare,
  machineCpu,
  peakRssMb,
  procCpu,
  tcpStates,
  waitForQuiet,
  type ProcCpu,
} from './bench-probes/proc';
import { numEnv } from './bench/env';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function listEnv(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim().replace(/_/g, '')));
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 100_000)) {
    throw new Error(`${name} must be a comma-separated list of probe counts (1–100,000), got '${raw}'`);
  }
  return values;
}

const intervalS = numEnv('BENCH_INTERVAL_S', 30, 5);
const warmupS = numEnv('BENCH_WARMUP_SECONDS', intervalS, 0);
const requestedSeconds = numEnv('BENCH_SECONDS', 90, 1);
const settings = {
  probes: listEnv('BENCH_PROBES', [1000, 2500, 5000]),
  intervalS,
  warmupS,
  /** Total per run; at least the warm-up plus two full intervals. */
  seconds: Math.max(requestedSeconds, warmupS + 2 * intervalS),
  timeoutMs: numEnv('BENCH_TIMEOUT_MS', 10_000, 100),
  concurrency: process.env.BENCH_CONCURRENCY ? numEnv('BENCH_CONCURRENCY', 64, 1) : undefined,
  profile: process.env.BENCH_PROFILE === '1',
  /** The target answers after this long (read by the target child from the same variable). */
  targetDelayMs: numEnv('BENCH_TARGET_DELAY_MS', 0, 0),
  agentNodeFlags: (process.env.BENCH_AGENT_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
  /**
   * How the agent child runs: 'bundle' (esbuild bundle on plain node, as the agent image runs it) or 'tsx'
   * (the sources through tsx, as `npm run agent`). A CPU profile needs 'tsx' (file names tell the code apart).
   */
  agentRuntime:
    process.env.BENCH_AGENT_RUNTIME === 'tsx' || process.env.BENCH_PROFILE === '1' ? 'tsx' : 'bundle',
  quietPct: numEnv('BENCH_QUIET_PCT', 25, 0),
  quietWaitS: numEnv('BENCH_QUIET_WAIT_SECONDS', 60, 0),
  jsonOut: process.env.BENCH_JSON?.trim() || undefined,
};

// ---------------------------------------------------------------------------------------------- helpers

const children = new Set<ChildProcess>();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function pct(part: number, whole: number, digits = 1): string {
  return whole > 0 ? `${fmt((100 * part) / whole, digits)} %` : 'n/a';
}

function ms(p: Percentiles): string {
  return `p50 ${fmt(p.p50, 1)} / p90 ${fmt(p.p90, 1)} / p99 ${fmt(p.p99, 1)} / max ${fmt(p.max, 1)} ms`;
}

/** Resolves with the child's next message that passes `accept`; rejects if it exits or time runs out. */
function nextMessage<T>(
  child: ChildProcess,
  accept: (msg: unknown) => msg is T,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (msg: unknown): void => {
      if (!accept(msg)) return;
      cleanup();
      resolve(msg);
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${what}: child exited (code ${code}) before answering`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function ofType<M extends { type: string }, K extends M['type']>(type: K) {
  return (msg: unknown): msg is Extract<M, { type: K }> =>
    typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === type;
}

/** Starts a child: a .ts file of scripts/bench-probes through tsx, or a bundle (.mjs) on plain node. */
function spawnChild(file: string, nodeFlags: string[] = []): ChildProcess {
  const bundled = file.endsWith('.mjs');
  const child = fork(bundled ? file : path.join(HERE, 'bench-probes', file), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...(bundled ? [] : process.execArgv), ...nodeFlags],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function post(child: ChildProcess, msg: ParentMessage): void {
  if (child.connected) child.send(msg);
}

/** Asks a child to stop; kills it (by its own pid) when it has not gone after `graceMs`. */
async function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  post(child, { type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Bundles scripts/bench-probes/agent.ts (with the agent's probe code) into one file, as deploy/agent.Dockerfile
 * bundles the agent; undefined when esbuild is not there (the agent then runs through tsx).
 */
function bundleAgent(dir: string): string | undefined {
  const root = path.dirname(HERE);
  const esbuild = path.join(root, 'node_modules', 'esbuild', 'bin', 'esbuild');
  if (!existsSync(esbuild)) return undefined;
  const outfile = path.join(dir, 'agent.mjs');
  // Run directly: esbuild/bin/esbuild is the native binary or a JS shim with a shebang.
  const result = spawnSync(
    esbuild,
    [
      path.join(HERE, 'bench-probes', 'agent.ts'),
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20',
      '--external:pg-native',
      `--outfile=${outfile}`,
      '--log-level=warning',
      "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    ],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    console.log(`  esbuild failed (${result.stderr.trim().slice(0, 300)}); the agent runs through tsx`);
    return undefined;
  }
  return outfile;
}

function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}
process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
process.on('SIGTERM', () => {
  killAll();
  process.exit(143);
});

/** Progress on one line while waiting. */
async function countdown(label: string, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  const tty = process.stdout.isTTY;
  while (Date.now() < end) {
    const left = Math.ceil((end - Date.now()) / 1000);
    if (tty) process.stdout.write(`\r  ${label}: ${left} s left   `);
    await sleep(Math.min(1000, Math.max(0, end - Date.now())));
  }
  if (tty) process.stdout.write('\r' + ' '.repeat(60) + '\r');
}

// --------------------------------------------------------------------------------------------- one run

interface RunResult {
  probes: number;
  expectedPerS: number;
  windowS: number;
  setupMs: number;
  agent: AgentReport;
  target: TargetReport;
  agentProc: { cpuPct: number | undefined; rssMaxMb: number | undefined; peakRssMb: number | undefined };
  targetProcCpuPct: number | undefined;
  benchCpuPct: number;
  otherCpuCores: number | undefined;
  machineBusyPct: number | undefined;
  quietBeforePct: number | undefined;
  sockets: Record<string, number>;
}

async function runOnce(probes: number, agentFile: string): Promise<RunResult> {
  const measureS = settings.seconds - settings.warmupS;
  console.log(
    `\n== ${fmt(probes)} http probes every ${settings.intervalS} s (expected ${fmt(probes / settings.intervalS, 1)} checks/s); warm-up ${settings.warmupS} s, measured ${measureS} s`,
  );
  const quiet = await waitForQuiet(settings.quietPct, settings.quietWaitS);
  console.log(
    `  machine busy before the run: ${fmt(quiet.busyPct, 0)} %${quiet.waitedS > 3 ? ` (waited ${fmt(quiet.waitedS, 0)} s for other work to calm down)` : ''}`,
  );

  const target = spawnChild('target.ts');
  const agent = spawnChild(agentFile, settings.agentNodeFlags);
  try {
    const { port } = await nextMessage(
      target,
      ofType<TargetMessage, 'listening'>('listening'),
      30_000,
      'target',
    );
    const started = nextMessage(agent, ofType<AgentMessage, 'started'>('started'), 60_000, 'agent start');
    post(agent, {
      type: 'start',
      url: `http://127.0.0.1:${port}`,
      probes,
      intervalS: settings.intervalS,
      timeoutMs: settings.timeoutMs,
      concurrency: settings.concurrency,
      profile: settings.profile,
    });
    const { setupMs } = await started;
    console.log(`  target on 127.0.0.1:${port}; agent scheduled ${fmt(probes)} probes in ${fmt(setupMs)} ms`);
    await countdown('warm-up', settings.warmupS);

    // Mark the window in both children, then take /proc readings around it.
    const marks = Promise.all([
      nextMessage(agent, ofType<AgentMessage, 'marked'>('marked'), 10_000, 'agent mark'),
      nextMessage(target, ofType<TargetMessage, 'marked'>('marked'), 10_000, 'target mark'),
    ]);
    post(agent, { type: 'mark' });
    post(target, { type: 'mark' });
    await marks;
    const t0 = performance.now();
    const machine0 = machineCpu();
    const agent0 = procCpu(agent.pid);
    const target0 = procCpu(target.pid);
    const self0 = process.cpuUsage();
    let agentRssMax = agent0?.rssMb;
    const rssTimer = setInterval(() => {
      const now = procCpu(agent.pid);
      if (now) agentRssMax = Math.max(agentRssMax ?? 0, now.rssMb);
    }, 1000);
    try {
      await countdown('measuring', measureS);
    } finally {
      clearInterval(rssTimer);
    }
    const reports = Promise.all([
      nextMessage(agent, ofType<AgentMessage, 'report'>('report'), 60_000, 'agent report'),
      nextMessage(target, ofType<TargetMessage, 'report'>('report'), 10_000, 'target report'),
    ]);
    post(agent, { type: 'report' });
    post(target, { type: 'report' });
    const wallS = (performance.now() - t0) / 1000;
    const machine1 = machineCpu();
    const agent1 = procCpu(agent.pid);
    const target1 = procCpu(target.pid);
    const self = process.cpuUsage(self0);
    const sockets = tcpStates(port);
    const agentPeak = peakRssMb(agent.pid);
    const [agentReport, targetReport] = await reports;

    const cpuPct = (a: ProcCpu | undefined, b: ProcCpu | undefined): number | undefined =>
      a && b ? ((b.cpuS - a.cpuS) / wallS) * 100 : undefined;
    const agentPct = cpuPct(agent0, agent1);
    const targetPct = cpuPct(target0, target1);
    const benchPct = ((self.user + self.system) / 1e6 / wallS) * 100;
    const busyS = busySeconds(machine0, machine1);
    const other =
      busyS === undefined || agentPct === undefined || targetPct === undefined
        ? undefined
        : busyS / wallS - (agentPct + targetPct + benchPct) / 100;
    const share = busyShare(machine0, machine1);
    return {
      probes,
      expectedPerS: probes / settings.intervalS,
      windowS: agentReport.windowMs / 1000,
      setupMs,
      agent: agentReport,
      target: targetReport,
      agentProc: { cpuPct: agentPct, rssMaxMb: agentRssMax, peakRssMb: agentPeak },
      targetProcCpuPct: targetPct,
      benchCpuPct: benchPct,
      otherCpuCores: other === undefined ? undefined : Math.max(0, other),
      machineBusyPct: share === undefined ? undefined : share * 100,
      quietBeforePct: quiet.busyPct,
      sockets,
    };
  } finally {
    await Promise.all([stopChild(agent), stopChild(target)]);
  }
}

// -------------------------------------------------------------------------------------------- printing

function agentCpuPct(r: RunResult): number {
  return ((r.agent.cpuUserMs + r.agent.cpuSystemMs) / r.agent.windowMs) * 100;
}

function printRun(r: RunResult): void {
  const a = r.agent;
  const s = a.scheduler;
  const checksPerS = a.runs / r.windowS;
  const failures = a.results - (a.byStatus.up ?? 0);
  const cpuMs = a.cpuUserMs + a.cpuSystemMs;
  const targetMs = r.target.cpuUserMs + r.target.cpuSystemMs;
  console.log(`  window ${fmt(r.windowS, 1)} s`);
  console.log(
    `  checks/s          ${fmt(checksPerS, 1)} started vs ${fmt(r.expectedPerS, 1)} expected (${pct(checksPerS, r.expectedPerS)}); ${fmt(a.results / r.windowS, 1)} results/s`,
  );
  console.log(`  lateness          ${ms(a.lateness)}  (start − scheduled tick, every run in the window)`);
  console.log(
    `  scheduler stats   latenessP50Ms ${fmt(s.latenessP50Ms, 1)}, latenessP99Ms ${fmt(s.latenessP99Ms, 1)} (its last 1,024 runs)`,
  );
  console.log(
    `  skipped/merged    skippedOverlap ${fmt(s.skippedOverlap)}, coalesced ${fmt(s.coalesced)}, missedTicks ${fmt(s.missedTicks)}, pauses ${fmt(s.pauses)}, abandoned ${fmt(s.abandoned)}; max running ${fmt(s.maxRunning)}, max queued ${fmt(s.maxQueued)}`,
  );
  console.log(
    `  results           ${Object.entries(a.byStatus)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}; failures (not up) ${fmt(failures)} (${pct(failures, a.results, 2)})`,
  );
  for (const f of a.failureMessages) console.log(`                      ${fmt(f.count)} × ${f.message}`);
  for (const e of s.lastErrors.slice(-3)) console.log(`  scheduler error   ${e}`);
  console.log(`  check latency     ${ms(a.checkLatency)}  (what the http probe reports)`);
  console.log(`  run wall time     ${ms(a.runWall)}  (runProbe start → result)`);
  console.log(
    `  agent CPU         ${fmt(agentCpuPct(r), 1)} % of one core (process.cpuUsage; /proc: ${fmt(r.agentProc.cpuPct, 1)} %), user ${fmt(a.cpuUserMs)} ms + system ${fmt(a.cpuSystemMs)} ms = ${fmt(a.runs > 0 ? cpuMs / a.runs : undefined, 2)} ms per check`,
  );
  console.log(
    `  agent event loop  utilisation ${fmt(a.elu * 100, 1)} %, delay p50 ${fmt(a.loopDelay.p50, 1)} / p99 ${fmt(a.loopDelay.p99, 1)} / max ${fmt(a.loopDelay.max, 1)} ms; GC ${fmt(a.gcMs)} ms in ${fmt(a.gcCount)} pauses (${pct(a.gcMs, a.windowMs)} of wall)`,
  );
  console.log(
    `  agent memory      RSS max ${fmt(a.rssMaxMb, 1)} MB in the window (/proc: ${fmt(r.agentProc.rssMaxMb, 1)} MB), peak over its life ${fmt(r.agentProc.peakRssMb, 1)} MB, heap used max ${fmt(a.heapUsedMaxMb, 1)} MB`,
  );
  console.log(
    `  prepare()         ${fmt(a.prepareUs, 1)} µs per run (zod parse of the http config, done on every run)`,
  );
  console.log(
    `  target            ${fmt(r.target.requests / (r.target.windowMs / 1000), 1)} requests/s, ${fmt(r.target.connections / (r.target.windowMs / 1000), 1)} new connections/s, CPU ${fmt((targetMs / r.target.windowMs) * 100, 1)} % of one core (/proc: ${fmt(r.targetProcCpuPct, 1)} %), RSS max ${fmt(r.target.rssMaxMb, 1)} MB`,
  );
  console.log(
    `  machine           busy ${fmt(r.machineBusyPct, 0)} % of ${os.cpus().length} cores; bench parent ${fmt(r.benchCpuPct, 1)} %; other processes ${fmt(r.otherCpuCores, 2)} cores`,
  );
  console.log(
    `  sockets at end    ${
      Object.entries(r.sockets)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ') || 'none'
    } (IPv4, to/from the target port)`,
  );
  if (a.profile) {
    const total = a.profile.totalMs;
    console.log(`  CPU profile       ${fmt(total)} ms sampled (profiling inflates the CPU figures above)`);
    for (const c of a.profile.categories.slice(0, 14)) {
      console.log(`    ${c.name.padEnd(24)} ${fmt(c.ms).padStart(7)} ms  ${pct(c.ms, total)}`);
    }
    console.log('    top functions (self time):');
    for (const f of a.profile.top) {
      console.log(`    ${fmt(f.ms).padStart(7)} ms  ${pct(f.ms, total).padStart(7)}  ${f.fn}  ${f.where}`);
    }
  }
}

function printSummary(results: RunResult[]): void {
  console.log('\n== summary');
  console.log(
    '| probes | checks/s (expected) | lateness p50 / p99 / max ms | skipped overlap | failures | agent CPU % of a core | agent RSS max MB | target CPU % | other processes (cores) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const a = r.agent;
    const failures = a.results - (a.byStatus.up ?? 0);
    const targetPct = ((r.target.cpuUserMs + r.target.cpuSystemMs) / r.target.windowMs) * 100;
    console.log(
      `| ${fmt(r.probes)} | ${fmt(a.runs / r.windowS, 1)} (${fmt(r.expectedPerS, 1)}) | ${fmt(a.lateness.p50, 1)} / ${fmt(a.lateness.p99, 1)} / ${fmt(a.lateness.max, 1)} | ${fmt(a.scheduler.skippedOverlap)} | ${fmt(failures)} | ${fmt(agentCpuPct(r), 1)} | ${fmt(a.rssMaxMb, 1)} | ${fmt(targetPct, 1)} | ${fmt(r.otherCpuCores, 2)} |`,
    );
  }
  const last = results.find((r) => r.probes === 5000);
  if (last) {
    const p99 = last.agent.lateness.p99 ?? Infinity;
    const cpu = agentCpuPct(last);
    console.log(
      `\n  target (5,000 probes at 30 s): lateness p99 < 1,000 ms → ${fmt(p99, 1)} ms ${p99 < 1000 ? 'met' : 'NOT met'}; agent < 50 % of a core → ${fmt(cpu, 1)} % ${cpu < 50 ? 'met' : 'NOT met'}${settings.intervalS === 30 ? '' : ` (interval was ${settings.intervalS} s)`}`,
    );
  }
}

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log('eMMA probe scheduling benchmark');
  console.log(
    `  machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 1024 ** 3, 1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
  );
  console.log(
    `  settings: probes ${settings.probes.map((n) => fmt(n)).join(', ')}; interval ${settings.intervalS} s; timeout ${fmt(settings.timeoutMs)} ms; ${settings.seconds} s per run (warm-up ${settings.warmupS} s); concurrency ${settings.concurrency ?? 'default (64)'}${settings.targetDelayMs > 0 ? `; target answers after ${fmt(settings.targetDelayMs)} ms` : ''}${settings.agentNodeFlags.length > 0 ? `; agent node flags ${settings.agentNodeFlags.join(' ')}` : ''}${settings.profile ? '; CPU profile ON' : ''}`,
  );
  if (settings.seconds !== requestedSeconds) {
    console.log(`  (BENCH_SECONDS raised to ${settings.seconds}: warm-up plus two full intervals)`);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'emma-bench-probes-'));
  const results: RunResult[] = [];
  let agentChild: 'bundle' | 'tsx' = 'tsx';
  try {
    const bundle = settings.agentRuntime === 'bundle' ? bundleAgent(tmp) : undefined;
    if (bundle) agentChild = 'bundle';
    console.log(
      `  agent child: ${bundle ? 'esbuild bundle on plain node (as the agent image)' : 'TypeScript sources through tsx'}`,
    );
    for (const n of settings.probes) {
      const result = await runOnce(n, bundle ?? 'agent.ts');
      printRun(result);
      results.push(result);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  printSummary(results);
  if (settings.jsonOut) {
    writeFileSync(
      settings.jsonOut,
      JSON.stringify({ at: new Date().toISOString(), settings, agentChild, results }, null, 2),
    );
    console.log(`\n  figures written to ${settings.jsonOut}`);
  }
}

main().then(
  () => {
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    killAll();
    process.exit(1);
  },
);
