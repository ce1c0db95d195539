import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PG_MIGRATE_LOCK_ID, runner } from 'node-pg-migrate';
import type { Db } from './pool';
import type { Logger } from '../logger';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../db/migrations',
);
export const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * Applies (or reverts) migrations. Every eMMA migrator (`emma migrate`, each `emma api` or `emma all`
 * replica) waits its turn on node-pg-migrate's advisory lock: node-pg-migrate only *tries* that lock and
 * fails with "Another migration is already running", and engines that start `migrate` and the api
 * replicas together (podman-compose ignores `depends_on` conditions) would see every loser exit 1.
 * Whoever waits then finds the migrations applied and has nothing to do.
 */
export async function migrate(
  databaseUrl: string,
  direction: 'up' | 'down',
  logger: Logger,
  count?: number,
): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A server that goes away mid-run also fails the pending query, which reports it.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PG_MIGRATE_LOCK_ID]);
    const applied = await runner({
      dbClient: client,
      noLock: true,
      dir: MIGRATIONS_DIR,
      direction,
      count: count ?? (direction === 'up' ? Infinity : 1),
      migrationsTable: MIGRATIONS_TABLE,
      checkOrder: true,
      singleTransaction: true,
      log: (message: string) => {
        logger.debug({ component: 'migrate' }, message);
      },
    });
    const names = applied.map((migration) => migration.name);
    if (names.length > 0) logger.info({ direction, migrations: names }, 'migrations applied');
    return names;
  } finally {
    // Ending the session releases the advisory lock with it.
    await client.end().catch(() => undefined);
  }
}

/** Names of migration files on disk that the database has not applied yet. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR))
    .filter((file) => /\.(sql|js|ts)$/.test(file))
    .map((file) => file.replace(/\.(sql|js|ts)$/, ''));
  let applied = new Set<string>();
  try {
    const result = await db.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    applied = new Set(result.rows.map((row) => row.name));
  } catch {
    return files;
  }
  return files.filter((name) => !applied.has(name));
}
