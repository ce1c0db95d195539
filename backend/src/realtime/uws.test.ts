// Which uWebSockets.js build is in use, and that the server refuses the JavaScript fallback.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadUws } from './uws';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('uWebSockets.js', () => {
  it('loads its native binary on this Node', () => {
    expect(loadUws().build).toEqual({
      native: true,
      binary: `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`,
      version: '20.30.0-unofficial.0',
    });
  });

  it('is refused in its JavaScript fallback, with a reason', async () => {
    const script = `
      import { loadUws, listenWs } from ${JSON.stringify(path.join(here, 'uws.ts'))};
      import { startRealtime } from ${JSON.stringify(path.join(here, 'index.ts'))};
      import { loadConfig } from ${JSON.stringify(path.join(here, '../config.ts'))};
      import { createLogger } from ${JSON.stringify(path.join(here, '../logger.ts'))};
      const build = loadUws().build;
      const error = await listenWs({ host: '127.0.0.1', port: 0, path: '/ws', maxBackpressure: 1024,
        maxPayloadLength: 1024, idleTimeoutS: 8 }, {}).then(() => 'started', (err) => err.message);
      // Refused before it reaches for the database (nothing listens on port 1).
      const realtime = await startRealtime({ config: loadConfig({}), logger: createLogger('silent'),
        databaseUrl: 'postgres://x:y@127.0.0.1:1/none', jwtSecret: 'x' }).then(() => 'started', (err) => err.name);
      process.stdout.write(JSON.stringify({ build, error, realtime }));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { env: { ...process.env, UWS_USE_FALLBACK: '1' } },
    );
    const result = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      build: unknown;
      error: string;
      realtime: string;
    };
    expect(result.build).toEqual({ native: false, version: '20.30.0-unofficial.0' });
    expect(result.error).toMatch(/native binary did not load.*fallback/);
    expect(result.realtime).toBe('UwsUnavailableError');
  });
});
