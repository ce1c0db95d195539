// The real agent (agent/src/main.ts, started as in its container: node --import tsx) against the bench
// server, measured from outside through /proc: resident memory and CPU time of the agent process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readProcStat, statusKb } from './procstat';

/**
 * Bundles the agent as its image does (agent/build.mjs), to see what it costs without the TypeScript
 * loader. Returns the bundle's main file, or undefined when the build fails.
 */
export function bundleAgent(root: string, outfile: string): string | undefined {
  const outdir = path.dirname(outfile);
  const result = spawnSync(process.execPath, [path.join(root, 'agent/build.mjs'), outdir], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const main = path.join(outdir, 'main.mjs');
  return result.status === 0 && existsSync(main) ? main : undefined;
}

export interface AgentRunOptions {
  /** How the agent runs: its TypeScript through tsx (as `npm run agent`), or a prebuilt bundle on plain node. */
  variant: 'tsx' | 'bundle';
  bundle?: string;
  /** Extra node flags, e.g. heap limits to try. */
  nodeFlags: string[];
  root: string;
  serverUrl: string;
  enrollToken: string;
  stateDir: string;
  intervalS: number;
  /** Startup (tsx, enrolment, first collections) left out of the figures. */
  settleS: number;
  seconds: number;
  /** More agent settings, e.g. EMMA_DOCKER_SOCKET. */
  env?: Record<string, string>;
}

export interface AgentRunResult {
  variant: 'tsx' | 'bundle';
  intervalS: number;
  seconds: number;
  /** Largest RSS sampled during the measured window. */
  rssMaxMb: number;
  /** Kernel's peak RSS over the whole life of the process, startup included. */
  rssPeakMb: number;
  cpuS: number;
  cpuPct: number;
  collections: number;
  cpuMsPerCollection: number;
  exitCode: number | null;
  stderr: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startAgent(options: AgentRunOptions): {
  child: ChildProcess;
  result: Promise<AgentRunResult>;
} {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('EMMA_')),
  );
  Object.assign(env, {
    EMMA_URL: options.serverUrl,
    EMMA_ENROLL_TOKEN: options.enrollToken,
    EMMA_STATE_DIR: options.stateDir,
    EMMA_INTERVAL_S: String(options.intervalS),
    EMMA_HOST_PROC: '/proc',
    EMMA_HOST_ROOT: '/',
    EMMA_LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ...options.env,
  });
  const args = [
    ...options.nodeFlags,
    ...(options.variant === 'bundle' && options.bundle
      ? [options.bundle]
      : ['--import', 'tsx', path.join(options.root, 'agent/src/main.ts')]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });

  const result = (async (): Promise<AgentRunResult> => {
    const pid = child.pid ?? -1;
    await Promise.race([sleep(options.settleS * 1000), exited]);
    const first = readProcStat(pid);
    const from = performance.now();
    let rssMax = 0;
    while (performance.now() - from < options.seconds * 1000 && child.exitCode === null) {
      rssMax = Math.max(rssMax, statusKb(pid, 'VmRSS'));
      await sleep(250);
    }
    const last = readProcStat(pid);
    const wallS = (performance.now() - from) / 1000;
    const peak = statusKb(pid, 'VmHWM');
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const exitCode = await exited;
    clearTimeout(timeout);
    const cpuS = first && last ? last.cpuS - first.cpuS : 0;
    const collections = wallS / options.intervalS;
    return {
      variant: options.variant,
      intervalS: options.intervalS,
      seconds: wallS,
      rssMaxMb: rssMax / 1024,
      rssPeakMb: peak / 1024,
      cpuS,
      cpuPct: (cpuS / wallS) * 100,
      collections,
      cpuMsPerCollection: (cpuS * 1000) / Math.max(1, collections),
      exitCode,
      stderr: stderr.trim(),
    };
  })();
  return { child, result };
}
