// One request, one transaction: opened lazily, committed or rolled back exactly once.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness';
import { RequestTransaction } from './request-transaction';

let url: string;
let pool: pg.Pool;
let observer: pg.Pool;

async function visible(key: string): Promise<boolean> {
  const result = await observer.query('SELECT 1 FROM login_throttle WHERE key = $1', [key]);
  return result.rowCount === 1;
}

beforeAll(async () => {
  url = await createTestDatabase();
  observer = new pg.Pool({ connectionString: url, max: 1 });
});
beforeEach(() => {
  pool = new pg.Pool({ connectionString: url, max: 3 });
});
afterEach(async () => {
  await pool.end();
});
afterAll(async () => {
  await observer.end();
});

describe('RequestTransaction', () => {
  it('takes no connection until the first query', async () => {
    const tx = new RequestTransaction(pool);
    expect(tx.started).toBe(false);
    expect(pool.totalCount).toBe(0);
    await tx.commit();
    await tx.rollback();
    expect(pool.totalCount).toBe(0);

    const result = await tx.query<{ one: number }>('SELECT 1 AS one');
    expect(result.rows).toEqual([{ one: 1 }]);
    expect(tx.started).toBe(true);
    expect(pool.totalCount).toBe(1);
    expect(pool.idleCount).toBe(0);
    await tx.commit();
    expect(tx.started).toBe(false);
    expect(pool.idleCount).toBe(1);
  });

  it('runs every query of the request on one connection inside one transaction', async () => {
    const tx = new RequestTransaction(pool);
    const [a, b] = await Promise.all([
      tx.query<{ pid: number; xact: string }>('SELECT pg_backend_pid() AS pid, txid_current()::text AS xact'),
      tx.query<{ pid: number; xact: string }>('SELECT pg_backend_pid() AS pid, txid_current()::text AS xact'),
    ]);
    expect(a.rows[0]).toEqual(b.rows[0]);
    expect(pool.totalCount).toBe(1);
    // Outside a transaction every statement would get its own transaction id.
    const later = await tx.query<{ xact: string }>('SELECT txid_current()::text AS xact');
    expect(later.rows[0]!.xact).toBe(a.rows[0]!.xact);
    await tx.rollback();
  });

  it('commit persists the writes, which are invisible to others until then', async () => {
    const tx = new RequestTransaction(pool);
    await tx.query(`INSERT INTO login_throttle (key) VALUES ('commit-me')`);
    expect(await visible('commit-me')).toBe(false);
    await tx.commit();
    expect(await visible('commit-me')).toBe(true);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('rollback discards the writes and returns the connection', async () => {
    const tx = new RequestTransaction(pool);
    await tx.query(`INSERT INTO login_throttle (key) VALUES ('discard-me')`);
    await tx.rollback();
    expect(await visible('discard-me')).toBe(false);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('starts a fresh transaction for queries after a commit', async () => {
    const tx = new RequestTransaction(pool);
    await tx.query(`INSERT INTO login_throttle (key) VALUES ('first')`);
    await tx.commit();
    await tx.query(`INSERT INTO login_throttle (key) VALUES ('second')`);
    expect(tx.started).toBe(true);
    await tx.rollback();
    expect(await visible('first')).toBe(true);
    expect(await visible('second')).toBe(false);
  });

  it('after a failed statement, commit fails loudly and persists nothing', async () => {
    const tx = new RequestTransaction(pool);
    await tx.query(`INSERT INTO login_throttle (key) VALUES ('before-failure')`);
    await expect(tx.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
    await expect(tx.commit()).rejects.toThrow(/rolled back/);
    expect(await visible('before-failure')).toBe(false);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('runs afterCommit callbacks once the writes are visible, and never after a rollback or failed commit', async () => {
    const seen: boolean[] = [];
    const tx = new RequestTransaction(pool);
    await tx.query(`INSERT INTO login_throttle (key) VALUES ('after-commit')`);
    tx.afterCommit(() => {
      void visible('after-commit').then((v) => seen.push(v));
    });
    expect(seen).toEqual([]);
    await tx.commit();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([true]);
    // Once only: a later commit of the same object does not repeat it.
    await tx.commit();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([true]);

    const calls: string[] = [];
    const rolledBack = new RequestTransaction(pool);
    rolledBack.afterCommit(() => calls.push('rolled back'));
    await rolledBack.query('SELECT 1');
    await rolledBack.rollback();
    await rolledBack.commit();
    const failed = new RequestTransaction(pool);
    failed.afterCommit(() => calls.push('failed'));
    await expect(failed.query('SELECT * FROM no_such_table')).rejects.toThrow();
    await expect(failed.commit()).rejects.toThrow(/rolled back/);
    const untouched = new RequestTransaction(pool);
    untouched.afterCommit(() => calls.push('untouched'));
    await untouched.commit();
    expect(calls).toEqual(['untouched']);
  });

  it('surfaces a connection failure on query and commit, but rollback stays quiet', async () => {
    const broken = new pg.Pool({ connectionString: 'postgres://nobody:x@127.0.0.1:1/none', max: 1 });
    try {
      const tx = new RequestTransaction(broken);
      await expect(tx.query('SELECT 1')).rejects.toThrow();
      await expect(tx.rollback()).resolves.toBeUndefined();
      const other = new RequestTransaction(broken);
      await expect(other.query('SELECT 1')).rejects.toThrow();
      await expect(other.commit()).rejects.toThrow();
    } finally {
      await broken.end();
    }
  });
});
