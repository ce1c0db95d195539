// A successful login deletes its account's throttle row while other attempts reserve theirs; the
// reservation must then count afresh, not fail. (The interleaving that once answered 500 — the delete
// landing between the reservation's insert and its select — cannot be forced from outside; the upsert now
// used has no such gap. This pins the behaviour when the delete comes first.)
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { reserveAttempt } from './throttle-repo';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

it('reserves an attempt while a concurrent transaction deletes the row', async () => {
  const key = 'account:race@example.test';
  const limits = { maxFailures: 5, windowS: 900, lockoutS: 900 };
  expect(await reserveAttempt(t.server.pool, key, limits)).toEqual({ allowed: true, locksNow: false });

  const deleter = await t.db.connect();
  try {
    await deleter.query('BEGIN');
    await deleter.query('DELETE FROM login_throttle WHERE key = $1', [key]);
    // The reservation waits on the deleted row's lock …
    const pending = reserveAttempt(t.server.pool, key, limits);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // … and, once the delete commits, starts a fresh count instead of failing.
    await deleter.query('COMMIT');
    expect(await pending).toEqual({ allowed: true, locksNow: false });
  } finally {
    deleter.release();
  }
  const row = await t.db.query<{ failures: number }>('SELECT failures FROM login_throttle WHERE key = $1', [
    key,
  ]);
  expect(row.rows[0]?.failures).toBe(1);
});
