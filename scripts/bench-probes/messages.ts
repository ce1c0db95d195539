// The IPC messages between the probe benchmark (scripts/bench-probes.ts) and its two children: the agent
// (scripts/bench-probes/agent.ts) and the HTTP target (scripts/bench-probes/target.ts).

export interface AgentStart {
  type: 'start';
  url: string;
  probes: number;
  intervalS: number;
  timeoutMs: number;
  /** The scheduler's concurrency bound; undefined keeps the agent's default (64). */
  concurrency: number | undefined;
  /** Profile the agent's CPU during the measured window (node:inspector). */
  profile: boolean;
}

export type ParentMessage = AgentStart | { type: 'mark' } | { type: 'report' } | { type: 'stop' };

export interface Percentiles {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface ProfileSummary {
  /** Sampled CPU time (ms) by category (agent code, zod, node:http, GC, ...). */
  categories: { name: string; ms: number }[];
  /** Functions with the most self time. */
  top: { fn: string; where: string; ms: number }[];
  totalMs: number;
}

export interface AgentReport {
  type: 'report';
  windowMs: number;
  /** Runs started in the window (the scheduler's `runs` counter). */
  runs: number;
  /** Results delivered for runs started in the window. */
  results: number;
  byStatus: Record<string, number>;
  /** The most frequent messages of results that were not `up`. */
  failureMessages: { message: string; count: number }[];
  /** Start − scheduled tick of each run started in the window, measured here (ms). */
  lateness: Percentiles;
  /** Wall time of runProbe, start to result (ms). */
  runWall: Percentiles;
  /** The latency the http probe reported (ms). */
  checkLatency: Percentiles;
  /** The scheduler's own stats() at the end of the window (its percentiles cover its last 1,024 runs). */
  scheduler: {
    latenessP50Ms: number | null;
    latenessP99Ms: number | null;
    skippedOverlap: number;
    coalesced: number;
    missedTicks: number;
    pauses: number;
    abandoned: number;
    maxRunning: number;
    maxQueued: number;
    lastErrors: string[];
  };
  cpuUserMs: number;
  cpuSystemMs: number;
  rssMaxMb: number;
  heapUsedMaxMb: number;
  /** Event-loop utilisation over the window, 0..1. */
  elu: number;
  /** Event-loop delay over the window (ms, beyond the 10 ms sampling period), from monitorEventLoopDelay. */
  loopDelay: { p50: number; p99: number; max: number };
  gcMs: number;
  gcCount: number;
  /** µs per call of the http plug-in's prepare() (the zod parse runProbe does on every run), measured after. */
  prepareUs: number;
  profile: ProfileSummary | undefined;
}

export type AgentMessage =
  | { type: 'started'; probes: number; setupMs: number }
  | { type: 'marked' }
  | AgentReport
  | { type: 'stopped' };

export interface TargetReport {
  type: 'report';
  windowMs: number;
  requests: number;
  connections: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  rssMaxMb: number;
}

export type TargetMessage = { type: 'listening'; port: number } | { type: 'marked' } | TargetReport;
