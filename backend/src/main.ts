// `emma <role>`: composes the server roles. Today `all` and `api` serve the HTTP API; `realtime` and
// `worker` join as they are built.
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { createLogger } from './logger';
import { startServer } from './server';

const ROLES = ['all', 'api'] as const;
type ServerRole = (typeof ROLES)[number];

async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'all') as ServerRole;
  if (!ROLES.includes(role)) {
    process.stderr.write(`usage: emma <${ROLES.join('|')}>\n`);
    process.exit(2);
  }
  await loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger, {
    worker: role === 'all',
    localAgent: role === 'all' && config.localAgent,
  });
  logger.info({ role }, `eMMA is running: ${server.url} (API docs at ${server.url}/api/docs)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `eMMA failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
