// `emma <role>`: composes the server roles. `all` runs the HTTP API, the worker, the realtime WebSocket and a
// local agent in one process; `api` the HTTP API alone; `realtime` the WebSocket alone (on DATABASE_URL, next
// to api processes that own the schema). The worker joins as a role of its own as it is built.
import { ConfigError, loadConfig, loadDotEnv, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { startRealtime } from './realtime';
import { localJwtSecret, startServer } from './server';

const ROLES = ['all', 'api', 'realtime'] as const;
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
  let server: { close(): Promise<void> };
  if (role === 'realtime') {
    server = await realtimeAlone(config, logger);
  } else {
    const emma = await startServer(config, logger, {
      worker: role === 'all',
      localAgent: role === 'all' && config.localAgent,
      realtime: role === 'all',
    });
    const ws = emma.realtime ? `; WebSocket on port ${emma.realtime.port} at /ws` : '';
    logger.info({ role }, `eMMA is running: ${emma.url} (API docs at ${emma.url}/api/docs${ws})`);
    server = emma;
  }

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

/** The realtime role in a process of its own: it needs the database the api processes share. */
async function realtimeAlone(config: Config, logger: Logger): Promise<{ close(): Promise<void> }> {
  const databaseUrl = config.database.url;
  if (databaseUrl === undefined) {
    process.stderr.write(
      'emma realtime needs DATABASE_URL: the embedded PostgreSQL belongs to `emma all` (or `emma api`)\n',
    );
    process.exit(1);
  }
  const jwtSecret = config.auth.jwtSecret ?? (await localJwtSecret(config.dataDir, logger));
  return startRealtime({ config, logger, databaseUrl, jwtSecret });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `eMMA failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
