import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Db } from './pool';
import type { Logger } from '../logger';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../db/migrations',
);
export const MIGRATIONS_TABLE = 'pgmigrations';

export async function migrate(
  databaseUrl: string,
  direction: 'up' | 'down',
  logger: Logger,
  count?: number,
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
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
