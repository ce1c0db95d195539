// The pool helpers used outside requests: transactions for startup work, and bigint parsing.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness';
import { createLogger } from '../logger';
import { createPool, onlyRow, withTransaction, type Pool } from './pool';

let pool: Pool;
beforeAll(async () => {
  pool = createPool(await createTestDatabase(), 2, createLogger('silent'));
});
afterAll(async () => {
  await pool.end();
});

const exists = async (key: string) =>
  (await pool.query('SELECT 1 FROM login_throttle WHERE key = $1', [key])).rowCount === 1;

describe('withTransaction', () => {
  it('commits what fn wrote and returns its result', async () => {
    const result = await withTransaction(pool, async (db) => {
      await db.query(`INSERT INTO login_throttle (key) VALUES ('tx-commit')`);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await exists('tx-commit')).toBe(true);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('rolls back and rethrows when fn throws', async () => {
    const failure = new Error('stop');
    await expect(
      withTransaction(pool, async (db) => {
        await db.query(`INSERT INTO login_throttle (key) VALUES ('tx-rollback')`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await exists('tx-rollback')).toBe(false);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });
});

describe('pool helpers', () => {
  it('parses bigint columns as numbers', async () => {
    const result = await pool.query<{ n: unknown }>('SELECT 9007199254740991::bigint AS n');
    expect(result.rows[0]!.n).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('onlyRow returns the single row or throws', async () => {
    expect(onlyRow(await pool.query<{ a: number }>('SELECT 1 AS a'))).toEqual({ a: 1 });
    const empty = { rows: [] } as unknown as pg.QueryResult<{ a: number }>;
    expect(() => onlyRow(empty)).toThrow('expected the statement to return a row');
  });

  it('survives an idle client losing its connection', async () => {
    const lines: string[] = [];
    const logged = createPool(
      pool.options.connectionString!,
      1,
      createLogger('error', { write: (l: string) => lines.push(l) }),
    );
    try {
      const pid = (await logged.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await pool.query('SELECT pg_terminate_backend($1)', [pid]);
      for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(lines.join('')).toContain('idle database client failed');
      expect((await logged.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await logged.end();
    }
  });
});
