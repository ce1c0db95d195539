// The embedded PostgreSQL that runs when DATABASE_URL is unset: it starts, answers, and keeps its data.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { freePort } from '../../test/support';

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

let dataDir: string | undefined;
let running: EmbeddedDatabase | undefined;
afterAll(async () => {
  await running?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('initialises, serves, stops, and restarts on the same data with the same password', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'emma-embedded-test-'));
    const logger = createLogger('silent');
    const port = await freePort();

    running = await startEmbeddedPostgres(dataDir, port, logger, 'emma_embedded');
    const first = running;
    const url = new URL(first.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe(String(port));
    expect(url.username).toBe('emma');
    expect(url.pathname).toBe('/emma_embedded');
    expect(await query<{ one: number }>(first.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);

    const passwordFile = path.join(dataDir, 'postgres.password');
    const password = (await readFile(passwordFile, 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(decodeURIComponent(url.password)).toBe(password);
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    // Only the password works.
    const wrong = new URL(first.url);
    wrong.password = 'not-the-password';
    await expect(query(wrong.toString(), 'SELECT 1')).rejects.toThrow();

    await first.stop();
    running = undefined;
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    running = await startEmbeddedPostgres(dataDir, port, logger, 'emma_embedded');
    expect(running.url).toBe(first.url);
    expect((await readFile(passwordFile, 'utf8')).trim()).toBe(password);
    expect(await query<{ v: string }>(running.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    await running.stop();
    running = undefined;
  }, 120_000);
});
