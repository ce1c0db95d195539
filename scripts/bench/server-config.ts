// The configuration of the eMMA server a benchmark starts in its own process: production mode on a loopback
// port with a fresh secret, the admin the script signs in as, no local agent, on the benchmark's database.
// The caller's defaults come first, then the EMMA_* settings of the environment (so a run can try one),
// then what the benchmark cannot do without.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig, type Config } from '../../backend/src/config';

export interface BenchServerOptions {
  tmp: string;
  databaseUrl: string;
  admin: { email: string; password: string };
  /** Settings a run's environment may override, e.g. raised ingest limits. */
  defaults?: Record<string, string>;
}

export function benchServerConfig(options: BenchServerOptions): Config {
  return loadConfig({
    EMMA_LOG_LEVEL: 'warn',
    ...options.defaults,
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('EMMA_'))),
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    EMMA_HOST: '127.0.0.1',
    EMMA_HTTP_PORT: '0',
    EMMA_DATA_DIR: path.join(options.tmp, 'data'),
    EMMA_JWT_SECRET: randomBytes(48).toString('base64url'),
    EMMA_BCRYPT_ROUNDS: '10',
    EMMA_ADMIN_EMAIL: options.admin.email,
    EMMA_ADMIN_PASSWORD: options.admin.password,
    EMMA_LOCAL_AGENT: 'false',
  });
}
