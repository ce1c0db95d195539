import type pg from 'pg';
import type { Db, Pool, QueryResultRow } from './pool';

/**
 * The transaction of one HTTP request. It begins at the first query (so requests that never touch the
 * database hold no connection) and the HTTP layer commits it when the handler returns, or rolls it back
 * when the handler throws.
 */
export class RequestTransaction implements Db {
  private client: pg.PoolClient | undefined;
  private opening: Promise<pg.PoolClient> | undefined;

  constructor(private readonly pool: Pool) {}

  get started(): boolean {
    return this.opening !== undefined;
  }

  async query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    const client = await this.open();
    return client.query<R>(text, values);
  }

  async commit(): Promise<void> {
    await this.finish('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.finish('ROLLBACK').catch(() => undefined);
  }

  private open(): Promise<pg.PoolClient> {
    this.opening ??= (async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
      } catch (err) {
        client.release(true);
        throw err;
      }
      this.client = client;
      return client;
    })();
    return this.opening;
  }

  private async finish(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (!this.opening) return;
    const client = await this.opening;
    this.opening = undefined;
    this.client = undefined;
    try {
      await client.query(statement);
      client.release();
    } catch (err) {
      client.release(true);
      throw err;
    }
  }
}
