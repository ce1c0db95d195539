// Starts eMMA's HTTP side: database (external or embedded), migrations, the first admin, the Koa app.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Koa from 'koa';
import type { Config } from './config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { migrate, pendingMigrations } from './db/migrate';
import { createPool, type Db, type Pool } from './db/pool';
import { NotMigratedError } from './db/wait';
import { createApp } from './http/app';
import type { EmmaState } from './http/context';
import type { ApiRouter } from './http/route';
import type { Logger } from './logger';
import { PartitionManager } from './modules/ingest/partitions';
import { SeriesCache } from './modules/ingest/series-cache';
import type { CommandWaiters } from './modules/containers/waiters';
import { listenForQueuedCommands } from './modules/containers/wake-listener';
import type { ListenBridge } from './realtime/bridge';
import { ensureFirstAdmin } from './modules/users/bootstrap';
import { ensureBootstrapEnrollmentToken } from './modules/agents/bootstrap-token';
import { startLocalAgent } from './local-agent';
import { startRealtime, UwsUnavailableError, type RealtimeServer } from './realtime';
import { startWorker, type Worker } from './worker';
import { WORKER_HEARTBEAT_MS, workerHeartbeatFile } from './healthcheck';

export interface EmmaServer {
  url: string;
  config: Config;
  pool: Pool;
  app: Koa<EmmaState>;
  api: ApiRouter;
  partitions: PartitionManager;
  commandWaiters: CommandWaiters;
  worker: Worker | undefined;
  /** The WebSocket server (`emma all`), on config.wsPort or, with 0, the port it picked. */
  realtime: RealtimeServer | undefined;
  close(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function emmaVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export interface ServerOptions {
  /** Run the worker's periodic jobs (agent liveness, partition maintenance) in this process. */
  worker?: boolean;
  /** Enrol and run an agent for this host in this process (`emma all` with EMMA_LOCAL_AGENT). */
  localAgent?: boolean;
  /** Serve the realtime WebSocket (`emma all`) on EMMA_WS_PORT. */
  realtime?: boolean;
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: ServerOptions = {},
): Promise<EmmaServer> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.database.url;
  if (databaseUrl === undefined) {
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, logger);
    databaseUrl = embedded.url;
  }
  let pool: Pool | undefined;
  let worker: Worker | undefined;
  let realtime: RealtimeServer | undefined;
  let commandListener: ListenBridge | undefined;
  try {
    await migrate(databaseUrl, 'up', logger);
    pool = createPool(databaseUrl, config.database.poolMax, logger, config.database.connectTimeoutMs);
    const jwtSecret = config.auth.jwtSecret ?? (await localJwtSecret(config.dataDir, logger));
    await ensureFirstAdmin(config, pool, logger);
    if (config.agentEnrollToken !== undefined) {
      await ensureBootstrapEnrollmentToken(config.agentEnrollToken, pool, logger);
    }
    const partitions = new PartitionManager(pool, config.history.retention);
    const series = new SeriesCache(pool);
    const { app, api, commandWaiters } = createApp({
      config,
      pool,
      logger,
      jwtSecret,
      version: emmaVersion(),
      partitions,
      series,
      // `realtime` is assigned below, once its server listens: tickets name the port it actually got.
      wsEndpoint: () => ({ url: config.wsPublicUrl ?? null, port: realtime?.port ?? config.wsPort }),
    });
    commandListener = await listenForQueuedCommands(databaseUrl, logger, commandWaiters);
    worker = options.worker
      ? await startWorker({
          pool,
          logger,
          partitions,
          rollupEveryMs: config.history.rollupEveryMs,
          notifications: { serverSecret: jwtSecret, ...config.notifications },
          alerts: { ...config.alerts, publicUrl: config.publicUrl },
          listenUrl: databaseUrl,
        })
      : undefined;
    realtime = options.realtime
      ? await startRealtimeIfPossible(config, logger, databaseUrl, jwtSecret, pool)
      : undefined;
    const httpServer = await listen(app, config.http.host, config.http.port);
    const address = httpServer.address() as AddressInfo;
    const host = config.http.host === '0.0.0.0' ? 'localhost' : config.http.host;
    const url = `http://${host}:${address.port}`;
    logger.info({ url, database: embedded ? 'embedded' : 'external' }, 'eMMA api listening');
    const openPool = pool;
    const localAgent = options.localAgent
      ? await startLocalAgent(
          config,
          pool,
          logger,
          `http://${loopbackHost(config.http.host)}:${address.port}`,
          jwtSecret,
        )
      : undefined;
    return {
      url,
      config,
      pool: openPool,
      app,
      api,
      partitions,
      commandWaiters,
      worker,
      realtime,
      // Graceful: the local agent flushes first (it sends to this API), then the listener stops accepting
      // while in-flight requests finish (an ingest batch commits), WebSockets close with 1001 and the worker
      // finishes its running job, all at once; the pool and the database go last.
      close: async () => {
        await localAgent?.stop();
        // Waiting long polls answer (empty) now instead of holding the listener open for up to 30 s.
        commandWaiters.close();
        await Promise.all([drain(httpServer), realtime?.close(), worker?.stop()]);
        await commandListener?.close();
        await openPool.end();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await commandListener?.close().catch(() => undefined);
    await realtime?.close().catch(() => undefined);
    await worker?.stop().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
}

/** The roles that do not migrate (`realtime`, `worker`) refuse to start on a schema that is not current. */
export { NotMigratedError };

/** Throws NotMigratedError when migration files on disk are not applied to this database yet. */
export async function requireMigrated(db: Db, role: string): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) throw new NotMigratedError(role, pending);
}

export interface WorkerRole {
  worker: Worker;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * `emma worker`: the worker's jobs alone (no HTTP), on the shared DATABASE_URL, with a heartbeat file the
 * container's health check reads. close() stops the timers, waits for the running job and ends the pool.
 */
export async function startWorkerRole(
  config: Config,
  logger: Logger,
  databaseUrl: string,
): Promise<WorkerRole> {
  const pool = createPool(databaseUrl, config.database.poolMax, logger, config.database.connectTimeoutMs);
  let worker: Worker | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const heartbeatFile = workerHeartbeatFile();
  try {
    await requireMigrated(pool, 'worker');
    const jwtSecret = config.auth.jwtSecret ?? (await localJwtSecret(config.dataDir, logger));
    worker = await startWorker({
      pool,
      logger,
      partitions: new PartitionManager(pool, config.history.retention),
      rollupEveryMs: config.history.rollupEveryMs,
      notifications: { serverSecret: jwtSecret, ...config.notifications },
      alerts: { ...config.alerts, publicUrl: config.publicUrl },
      listenUrl: databaseUrl,
    });
    const beat = () => {
      writeFile(heartbeatFile, `${new Date().toISOString()}\n`).catch((err: unknown) => {
        logger.warn({ err, file: heartbeatFile }, 'cannot write the worker heartbeat file');
      });
    };
    // The first beat is written before the role reports itself started, so a health check right after passes.
    await writeFile(heartbeatFile, `${new Date().toISOString()}\n`);
    heartbeat = setInterval(beat, WORKER_HEARTBEAT_MS);
    const started = worker;
    return {
      worker: started,
      pool,
      close: async () => {
        clearInterval(heartbeat);
        await started.stop();
        await pool.end();
        await rm(heartbeatFile, { force: true });
      },
    };
  } catch (err) {
    clearInterval(heartbeat);
    await worker?.stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw err;
  }
}

/**
 * `emma all` serves the WebSocket too; where uWebSockets.js has no native binary for this platform the rest of
 * eMMA still runs (without live updates) instead of refusing to start. `emma realtime` alone does fail.
 */
async function startRealtimeIfPossible(
  config: Config,
  logger: Logger,
  databaseUrl: string,
  jwtSecret: string,
  pool: Pool,
): Promise<RealtimeServer | undefined> {
  try {
    return await startRealtime({ config, logger, databaseUrl, jwtSecret, pool });
  } catch (err) {
    if (!(err instanceof UwsUnavailableError)) throw err;
    logger.error(
      { err },
      'the realtime WebSocket is off: uWebSockets.js has no native binary for this platform',
    );
    return undefined;
  }
}

/** Where this process reaches its own listener. */
function loopbackHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Stops accepting connections and resolves once every open one has ended. A keep-alive connection that was
 * busy when the close began is closed as soon as its response is sent (Node closes only the idle ones once).
 */
function drain(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => {
      server.closeIdleConnections();
    }, 100);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function listen(app: Koa<EmmaState>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => {
      resolve(server);
    });
    server.once('error', reject);
  });
}

/** Outside production a missing EMMA_JWT_SECRET is replaced by a random one kept in the data directory. */
export async function localJwtSecret(dataDir: string, logger: Logger): Promise<string> {
  const file = path.join(dataDir, 'jwt.secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  logger.warn({ file }, 'EMMA_JWT_SECRET is not set; using a generated secret kept in the data directory');
  return secret;
}
