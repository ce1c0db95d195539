// `node --import tsx backend/src/healthcheck.ts [role]`: the container HEALTHCHECK of the server image, for
// every role. The role is the argument, else the one PID 1 runs (`/proc/1/cmdline`: `... main.ts <role>`),
// else `all`.
//   all, api  → GET /health on EMMA_HTTP_PORT (8080)
//   realtime  → GET /health on EMMA_WS_PORT (8081), served by the uWS app next to /ws
//   worker    → the heartbeat file `emma worker` rewrites every 10 s is younger than 60 s
//   migrate   → healthy (a one-shot job)
// Exit 0 healthy, 1 not; one line on stdout says why. No config loading: the check must stay cheap.
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const WORKER_HEARTBEAT_MS = 10_000;
/** A heartbeat older than this means the worker's event loop is stuck (or the process is gone). */
export const WORKER_HEARTBEAT_STALE_MS = 6 * WORKER_HEARTBEAT_MS;

/** Container-local (the image's /tmp; TMPDIR moves it), so workers sharing a volume never share it. */
export function workerHeartbeatFile(): string {
  return path.join(os.tmpdir(), 'emma-worker.alive');
}

/** The role in a NUL-separated command line such as `node\0--import\0tsx\0backend/src/main.ts\0worker\0`. */
export function roleFromCmdline(cmdline: string): string | undefined {
  const args = cmdline.split('\0').filter((arg) => arg !== '');
  const main = args.findIndex((arg) => /(^|\/)main\.[cm]?[jt]s$/.test(arg));
  if (main < 0) return undefined;
  return args[main + 1] ?? 'all';
}

function processRole(): string {
  try {
    return roleFromCmdline(readFileSync('/proc/1/cmdline', 'utf8')) ?? 'all';
  } catch {
    return 'all';
  }
}

export interface HealthResult {
  ok: boolean;
  detail: string;
}

async function httpHealth(env: NodeJS.ProcessEnv, port: string): Promise<HealthResult> {
  const configured = env.EMMA_HOST ?? '';
  const host = ['', '0.0.0.0', '::'].includes(configured)
    ? '127.0.0.1'
    : configured.includes(':')
      ? `[${configured}]`
      : configured;
  const url = `http://${host}:${port}/health`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2500) });
    await response.arrayBuffer();
    return { ok: response.ok, detail: `${url} answered ${response.status}` };
  } catch (err) {
    return { ok: false, detail: `${url} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export async function checkHealth(
  role: string,
  env: NodeJS.ProcessEnv = process.env,
  now = Date.now(),
): Promise<HealthResult> {
  switch (role) {
    case 'all':
    case 'api':
      return httpHealth(env, env.EMMA_HTTP_PORT ?? '8080');
    case 'realtime':
      return httpHealth(env, env.EMMA_WS_PORT ?? '8081');
    case 'worker': {
      const file = workerHeartbeatFile();
      try {
        const age = now - (await stat(file)).mtimeMs;
        return age <= WORKER_HEARTBEAT_STALE_MS
          ? { ok: true, detail: `worker heartbeat ${Math.round(age / 1000)} s old` }
          : { ok: false, detail: `worker heartbeat ${Math.round(age / 1000)} s old (stale)` };
      } catch {
        return { ok: false, detail: `no worker heartbeat at ${file}` };
      }
    }
    case 'migrate':
      return { ok: true, detail: 'migrate is a one-shot job' };
    default:
      return { ok: false, detail: `unknown role '${role}'` };
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const role = process.argv[2] ?? processRole();
  const result = await checkHealth(role);
  process.stdout.write(`${role}: ${result.detail}\n`);
  process.exit(result.ok ? 0 : 1);
}
