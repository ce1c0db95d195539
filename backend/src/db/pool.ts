import pg from 'pg';
import type { Logger } from '../logger';

export type Pool = pg.Pool;
export type QueryResultRow = pg.QueryResultRow;

/** What repos need: a place to run parameterised SQL (a pool, a client, or a request's transaction). */
export interface Db {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

// timestamptz and bigint come back as strings by default; ISO strings are what the API serves anyway.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createPool(
  connectionString: string,
  max: number,
  logger: Logger,
  connectTimeoutMs = 10_000,
): Pool {
  // Waiting longer than this for a connection fails the request instead of queueing it forever.
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: 'emma',
    connectionTimeoutMillis: connectTimeoutMs,
  });
  pool.on('error', (err) => {
    logger.error({ err }, 'idle database client failed');
  });
  return pool;
}

/** Runs fn inside one transaction on its own client; for work outside a request (startup, workers). */
export async function withTransaction<T>(pool: Pool, fn: (db: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The single row a statement such as INSERT … RETURNING must produce. */
export function onlyRow<R extends QueryResultRow>(result: pg.QueryResult<R>): R {
  const row = result.rows[0];
  if (row === undefined) throw new Error('expected the statement to return a row');
  return row;
}
