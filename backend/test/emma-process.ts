// `emma <role>` as a real child process (node --import tsx backend/src/main.ts <role>) for the role and shutdown
// tests: its JSON log lines to wait on, its stderr, and its exit.
/* eslint-disable @typescript-eslint/no-explicit-any -- log lines are whatever pino wrote */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_SERVER_ENV } from './harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN = path.join(ROOT, 'backend/src/main.ts');
export const HEALTHCHECK = path.join(ROOT, 'backend/src/healthcheck.ts');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EmmaProcess {
  child: ChildProcess;
  /** Parsed JSON log lines from stdout, in order. */
  logs: any[];
  stderr(): string;
  /** The first log line (already written or still to come) that matches; rejects if the process exits first. */
  waitForLog(match: (line: any) => boolean, timeoutMs?: number): Promise<any>;
  /** The `eMMA is running` line each role logs once it serves (with `url` or `port` where it has one). */
  waitForRunning(): Promise<{ url?: string; port?: number }>;
  exited: Promise<Exit>;
  /** Sends the signal (if still running) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** The environment of a test process: a private data and temp directory, free ports, info logs. */
export function emmaEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emma-role-'));
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...TEST_SERVER_ENV,
    EMMA_LOG_LEVEL: 'info',
    EMMA_LOCAL_AGENT: 'false',
    EMMA_DATA_DIR: path.join(dir, 'data'),
    TMPDIR: dir,
    ...env,
  };
}

export function spawnEmma(role: string, env: NodeJS.ProcessEnv): EmmaProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, role], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: any[] = [];
  let err = '';
  let pendingOut = '';
  let listeners: (() => void)[] = [];
  const wake = () => {
    const current = listeners;
    listeners = [];
    for (const listener of current) listener();
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pendingOut += chunk;
    const lines = pendingOut.split('\n');
    pendingOut = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
    wake();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
      wake();
    });
  });

  const waitForLog = (match: (line: any) => boolean, timeoutMs = 60_000) =>
    new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${err}`));
      }, timeoutMs);
      const look = () => {
        const found = logs.find(match);
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else if (exit) {
          clearTimeout(timer);
          reject(new Error(`emma ${role} exited (${JSON.stringify(exit)}) first; stderr: ${err}`));
        } else listeners.push(look);
      };
      look();
    });

  return {
    child,
    logs,
    stderr: () => err,
    waitForLog,
    waitForRunning: () =>
      waitForLog((line: { msg?: unknown }) => String(line.msg).startsWith('eMMA is running')),
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (!exit) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the container health check script with this environment; resolves with its exit code and output. */
export function runHealthcheck(
  role: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HEALTHCHECK, role], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => {
      resolve({ code, output });
    });
  });
}
