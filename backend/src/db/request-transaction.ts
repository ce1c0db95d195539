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
  private committed: (() => void)[] = [];

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

  /**
   * Runs `fn` once the transaction has committed (or at commit time, when no query opened it): for in-process
   * signals that must not run ahead of the data, such as waking an agent's long poll. Dropped on rollback;
   * `fn` must not throw.
   */
  afterCommit(fn: () => void): void {
    this.committed.push(fn);
  }

  async commit(): Promise<void> {
    const callbacks = this.committed;
    this.committed = [];
    await this.finish('COMMIT');
    for (const fn of callbacks) fn();
  }

  async rollback(): Promise<void> {
    this.committed = [];
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
    let result: pg.QueryResult;
    try {
      result = await client.query(statement);
    } catch (err) {
      client.release(true);
      throw err;
    }
    client.release();
    // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK and no error: that must not pass as success.
    if (statement === 'COMMIT' && result.command === 'ROLLBACK') {
      throw new Error('transaction was rolled back by the database (an earlier statement failed)');
    }
  }
}
