// scripts/docker-engine.sh is called by many test files at once: each call must return promptly once the
// engine runs. A service that inherited the script's lock once made every later call wait forever.
import { execFile } from 'node:child_process';
import { readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ENGINE_DIR, ROOT, startTestEngine } from '../test-support/engine.js';

const run = promisify(execFile);

describe('scripts/docker-engine.sh', () => {
  it('returns at once when the engine already runs, and the service holds no lock', async () => {
    const engine = await startTestEngine();
    const started = Date.now();
    const { stdout } = await run('bash', [path.join(ROOT, 'scripts/docker-engine.sh'), 'start', ENGINE_DIR], {
      env: engine.env,
      timeout: 20_000,
    });
    expect(stdout).toContain(`DOCKER_HOST=unix://${engine.socketPath}`);
    expect(Date.now() - started).toBeLessThan(20_000);

    const pid = (await readFile(path.join(ENGINE_DIR, 'service.pid'), 'utf8')).trim();
    const fds = await readdir(`/proc/${pid}/fd`);
    const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => t.endsWith('.lock') && t.startsWith(ENGINE_DIR))).toEqual([]);
  });
});
