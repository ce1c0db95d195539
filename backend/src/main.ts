// `emma <role>`: composes the server roles (one image, the role chosen by the command).
//   all       the HTTP API, the worker, the realtime WebSocket and a local agent in one process (embedded
//             PostgreSQL when DATABASE_URL is unset); migrates at start
//   api       the HTTP API alone; migrates at start
//   realtime  the WebSocket alone, on DATABASE_URL
//   worker    the worker's jobs alone (alerts, notifications, rollups, partitions, liveness), on DATABASE_URL
//   migrate   applies the pending migrations to DATABASE_URL and exits 0 (compose runs it once, first)
// Every role on DATABASE_URL first waits up to EMMA_DB_WAIT_S for the database to accept connections, so a
// stack whose engine ignores `depends_on` conditions still comes up in order. `realtime` and `worker` never
// migrate: they also wait for every migration on disk to be applied and then refuse (exit 1, naming the
// missing ones), so an old schema is never served.
//
// Every role shuts down gracefully on SIGTERM/SIGINT: it stops accepting connections, lets in-flight HTTP
// requests finish (an ingest batch in flight commits), closes WebSockets with 1001 "server shutting down",
// stops the worker's timers and waits for its running job, then closes the pool and exits 0. Past
// EMMA_SHUTDOWN_TIMEOUT_S it exits 1 anyway; a second signal does not cut the drain short.
import { ConfigError, loadConfig, loadDotEnv, type Config } from './config';
import { migrate } from './db/migrate';
import { retryWhileUnreachable, waitForDatabase } from './db/wait';
import { createLogger, type Logger } from './logger';
import { startRealtime, type RealtimeServer } from './realtime';
import { localJwtSecret, NotMigratedError, startServer, startWorkerRole } from './server';

const ROLES = ['all', 'api', 'realtime', 'worker', 'migrate'] as const;
type ServerRole = (typeof ROLES)[number];

interface Running {
  close(): Promise<void>;
}

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

  if (role === 'migrate') {
    const databaseUrl = await readyDatabase(config, logger, role, false);
    const names = await retryWhileUnreachable(() => migrate(databaseUrl, 'up', logger), {
      role,
      logger,
      timeoutS: config.database.waitS,
    });
    logger.info(
      { role, migrations: names },
      names.length > 0 ? `applied ${names.length} migration(s)` : 'nothing to migrate',
    );
    return;
  }

  let server: Running;
  let announce: () => void;
  try {
    if (role === 'realtime') {
      const realtime = await realtimeAlone(config, logger);
      announce = () => {
        logger.info({ role, port: realtime.port }, `eMMA is running: realtime on port ${realtime.port}`);
      };
      server = realtime;
    } else if (role === 'worker') {
      server = await workerAlone(config, logger);
      announce = () => {
        logger.info({ role }, 'eMMA is running: worker');
      };
    } else {
      if (config.database.url !== undefined) {
        await waitForDatabase(config.database.url, {
          role,
          logger,
          timeoutS: config.database.waitS,
          migrated: false,
        });
      }
      const emma = await startServer(config, logger, {
        worker: role === 'all',
        localAgent: role === 'all' && config.localAgent,
        realtime: role === 'all',
      });
      const ws = emma.realtime ? `; WebSocket on port ${emma.realtime.port} at /ws` : '';
      announce = () => {
        logger.info(
          { role, url: emma.url },
          `eMMA is running: ${emma.url} (API docs at ${emma.url}/api/docs${ws})`,
        );
      };
      server = emma;
    }
  } catch (err) {
    if (err instanceof NotMigratedError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Handlers first: whoever acts on the "running" line may send SIGTERM at once.
  handleSignals(server, logger, config.shutdownTimeoutS);
  announce();
}

function handleSignals(server: Running, logger: Logger, timeoutS: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal, timeoutS }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ timeoutS }, `shutdown did not finish within ${timeoutS} s; exiting anyway`);
      process.exit(1);
    }, timeoutS * 1000);
    deadline.unref();
    server.close().then(
      () => {
        logger.info('shut down');
        process.exit(0);
      },
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

/** The roles beside `all`/`api` share the database those own; the embedded one is not theirs. */
function requireDatabaseUrl(config: Config, role: ServerRole): string {
  const databaseUrl = config.database.url;
  if (databaseUrl === undefined) {
    process.stderr.write(
      `emma ${role} needs DATABASE_URL: the embedded PostgreSQL belongs to \`emma all\` (or \`emma api\`)\n`,
    );
    process.exit(1);
  }
  return databaseUrl;
}

/** DATABASE_URL once its database answers and, for the roles that never migrate, is migrated. */
async function readyDatabase(
  config: Config,
  logger: Logger,
  role: ServerRole,
  migrated: boolean,
): Promise<string> {
  const databaseUrl = requireDatabaseUrl(config, role);
  await waitForDatabase(databaseUrl, { role, logger, timeoutS: config.database.waitS, migrated });
  return databaseUrl;
}

/** The realtime role in a process of its own: it needs the database the api processes share. */
async function realtimeAlone(config: Config, logger: Logger): Promise<RealtimeServer> {
  const databaseUrl = await readyDatabase(config, logger, 'realtime', true);
  const jwtSecret = config.auth.jwtSecret ?? (await localJwtSecret(config.dataDir, logger));
  return startRealtime({ config, logger, databaseUrl, jwtSecret });
}

/** The worker role in a process of its own, on the shared database. */
async function workerAlone(config: Config, logger: Logger): Promise<Running> {
  const databaseUrl = await readyDatabase(config, logger, 'worker', true);
  return startWorkerRole(config, logger, databaseUrl);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `eMMA failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
