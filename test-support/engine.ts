// The real Docker-compatible engine for tests: Podman's Docker API, started by scripts/docker-engine.sh
// (which installs it on first use). Every test file that needs containers calls startTestEngine().
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ENGINE_DIR = path.join(process.env.TMPDIR ?? '/tmp', 'emma-engine');
/** A tiny image made of the machine's busybox: sh, sleep, httpd, nc, ping, ls, cat, echo, wget. */
export const BUSYBOX_IMAGE = 'localhost/emma-busybox:latest';

export interface TestEngine {
  socketPath: string;
  /** Environment for the podman CLI (its configuration for these machines). */
  env: NodeJS.ProcessEnv;
  /** Runs the podman CLI; resolves with its trimmed stdout. */
  podman(...args: string[]): Promise<string>;
  /** Stops and removes containers, ignoring those already gone (`rm -f` alone does not stop them here). */
  remove(...names: string[]): Promise<void>;
  /** Makes the base images deploy/*.Dockerfile pin available for image builds (slow the first time). */
  baseImage(): Promise<void>;
}

export async function startTestEngine(): Promise<TestEngine> {
  const env = { ...process.env, CONTAINERS_CONF: path.join(ENGINE_DIR, 'containers.conf') };
  await run('bash', [path.join(ROOT, 'scripts/docker-engine.sh'), 'start', ENGINE_DIR], { env });
  const podman = async (...args: string[]) =>
    (await run('podman', args, { env, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
  return {
    socketPath: path.join(ENGINE_DIR, 'podman.sock'),
    env,
    podman,
    remove: async (...names) => {
      if (names.length === 0) return;
      await podman('stop', '-t', '1', '--ignore', ...names).catch(() => undefined);
      await podman('rm', '--ignore', ...names).catch(() => undefined);
    },
    baseImage: async () => {
      await run('bash', [path.join(ROOT, 'scripts/docker-engine.sh'), 'base-image', ENGINE_DIR], {
        env,
        maxBuffer: 16 * 1024 * 1024,
      });
    },
  };
}
