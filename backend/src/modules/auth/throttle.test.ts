// Brute-force protection: per-account and per-address lockouts (EMMA_TRUST_PROXY is on in the harness, so
// x-forwarded-for decides the client address).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiResponse, type TestServer } from '../../../test/harness';

const MAX_FAILURES = 3;
const IP_MAX_FAILURES = 5;
const LOCKOUT_S = 900;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    EMMA_LOGIN_MAX_FAILURES: String(MAX_FAILURES),
    EMMA_LOGIN_IP_MAX_FAILURES: String(IP_MAX_FAILURES),
    EMMA_LOGIN_WINDOW_S: '900',
    EMMA_LOGIN_LOCKOUT_S: String(LOCKOUT_S),
  });
});
afterAll(async () => {
  await t.close();
});

let nextIp = 0;
/** A client address nobody else in this file uses. */
const freshIp = () => {
  nextIp += 1;
  return `10.${Math.floor(nextIp / 250)}.${nextIp % 250}.7`;
};
const loginFrom = (ip: string, email: string, password: string) =>
  t.login(email, password, { 'x-forwarded-for': ip });

function expectLocked(res: ApiResponse, maxSeconds = LOCKOUT_S): number {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('too_many_requests');
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  const seconds = Number(retryAfter);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
  expect(res.body.error.details).toEqual({ retryAfterS: seconds });
  return seconds;
}

function expectInvalidCredentials(res: ApiResponse): void {
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('invalid_credentials');
}

async function throttleRow(key: string) {
  const rows = await t.db.query<{ failures: number; locked_until: Date | null }>(
    'SELECT failures, locked_until FROM login_throttle WHERE key = $1',
    [key],
  );
  return rows.rows[0];
}

describe('per-account lockout', () => {
  it('locks an account after too many failures, even for the right password, until the lock passes', async () => {
    const user = await t.userWithRole('viewer');
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expectInvalidCredentials(await loginFrom(freshIp(), user.email, `wrong-password-${i}`));
    }
    const locked = await loginFrom(freshIp(), user.email, user.password);
    expectLocked(locked);
    expect(locked.body.accessToken).toBeUndefined();
    // The lock is on the account whatever the case or padding of the address.
    expectLocked(await loginFrom(freshIp(), `  ${user.email.toUpperCase()} `, user.password));

    const row = await throttleRow(`account:${user.email}`);
    expect(row!.locked_until!.getTime()).toBeGreaterThan(Date.now() + (LOCKOUT_S - 60) * 1000);

    // Another account is not affected.
    const other = await t.userWithRole('viewer');
    expect((await loginFrom(freshIp(), other.email, other.password)).status).toBe(200);

    // Let the lock pass.
    await t.db.query(`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`, [
      `account:${user.email}`,
    ]);
    const ok = await loginFrom(freshIp(), user.email, user.password);
    expect(ok.status).toBe(200);
    expect(ok.body.accessToken).toEqual(expect.any(String));
    // A successful login clears the account's counter.
    expect(await throttleRow(`account:${user.email}`)).toBeUndefined();
    // So the count starts again from zero.
    for (let i = 0; i < MAX_FAILURES - 1; i += 1) {
      expectInvalidCredentials(await loginFrom(freshIp(), user.email, `wrong-again-${i}`));
    }
    expect((await loginFrom(freshIp(), user.email, user.password)).status).toBe(200);
  });

  it('locks unknown emails exactly like real ones (no user enumeration)', async () => {
    const user = await t.userWithRole('viewer');
    const ghost = 'ghost-account@example.test';
    const answers: Record<string, ApiResponse[]> = { real: [], ghost: [] };
    for (let i = 0; i <= MAX_FAILURES; i += 1) {
      answers.real!.push(await loginFrom(freshIp(), user.email, `wrong-password-${i}`));
      answers.ghost!.push(await loginFrom(freshIp(), ghost, `wrong-password-${i}`));
    }
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expectInvalidCredentials(answers.real![i]!);
      expectInvalidCredentials(answers.ghost![i]!);
    }
    const realLocked = answers.real![MAX_FAILURES]!;
    const ghostLocked = answers.ghost![MAX_FAILURES]!;
    expectLocked(realLocked);
    expectLocked(ghostLocked);
    expect(ghostLocked.body.error.message).toBe(realLocked.body.error.message);
    expect((await throttleRow(`account:${ghost}`))!.locked_until).not.toBeNull();
  });

  it('unlocks by itself when the lockout time has passed', async () => {
    const quick = await startTestServer({ EMMA_LOGIN_MAX_FAILURES: '2', EMMA_LOGIN_LOCKOUT_S: '1' });
    try {
      const user = await quick.userWithRole('viewer');
      for (let i = 0; i < 2; i += 1) {
        expectInvalidCredentials(
          await quick.login(user.email, `wrong-password-${i}`, { 'x-forwarded-for': freshIp() }),
        );
      }
      const seconds = expectLocked(
        await quick.login(user.email, user.password, { 'x-forwarded-for': freshIp() }),
        1,
      );
      expect(seconds).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const ok = await quick.login(user.email, user.password, { 'x-forwarded-for': freshIp() });
      expect(ok.status).toBe(200);
      const rows = await quick.db.query('SELECT 1 FROM login_throttle WHERE key = $1', [
        `account:${user.email}`,
      ]);
      expect(rows.rowCount).toBe(0);
    } finally {
      await quick.close();
    }
  });

  it('forgets failures older than the window', async () => {
    const user = await t.userWithRole('viewer');
    for (let i = 0; i < MAX_FAILURES - 1; i += 1) {
      expectInvalidCredentials(await loginFrom(freshIp(), user.email, `wrong-password-${i}`));
    }
    expect((await throttleRow(`account:${user.email}`))!.failures).toBe(MAX_FAILURES - 1);
    await t.db.query(
      `UPDATE login_throttle SET window_started_at = now() - interval '901 seconds' WHERE key = $1`,
      [`account:${user.email}`],
    );
    expectInvalidCredentials(await loginFrom(freshIp(), user.email, 'wrong-password-late'));
    const row = await throttleRow(`account:${user.email}`);
    expect(row!.failures).toBe(1);
    expect(row!.locked_until).toBeNull();
    expect((await loginFrom(freshIp(), user.email, user.password)).status).toBe(200);
  });

  it('counts wrong current passwords on the change-password endpoint toward the account lock', async () => {
    const user = await t.userWithRole('operator');
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      const res = await t.request('POST', '/api/v1/auth/password', {
        token: user.token,
        body: { currentPassword: `wrong-password-${i}`, newPassword: 'brand-new-password-1' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_current_password');
    }
    const change = await t.request('POST', '/api/v1/auth/password', {
      token: user.token,
      body: { currentPassword: user.password, newPassword: 'brand-new-password-1' },
    });
    expectLocked(change);
    expectLocked(await loginFrom(freshIp(), user.email, user.password));
  });

  it('does not let a burst of concurrent guesses exceed the failure limit', async () => {
    // Every attempt checks the lock before any of them has recorded its failure, so a burst is not held
    // to EMMA_LOGIN_MAX_FAILURES (see the report: login() reads login_throttle without locking it).
    const user = await t.userWithRole('viewer');
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => loginFrom(freshIp(), user.email, `burst-guess-${i}`)),
    );
    const statuses = burst.map((res) => res.status).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(MAX_FAILURES);
    expect(statuses.filter((status) => status === 429)).toHaveLength(12 - MAX_FAILURES);
  });
});

describe('per-address lockout', () => {
  it('locks an address that fails across many accounts, while other addresses still log in', async () => {
    const user = await t.userWithRole('viewer');
    const attacker = freshIp();
    for (let i = 0; i < IP_MAX_FAILURES; i += 1) {
      // Each account fails once only: no account lock is involved.
      expectInvalidCredentials(await loginFrom(attacker, `victim-${i}@example.test`, 'guess-password-1'));
    }
    expectLocked(await loginFrom(attacker, user.email, user.password));
    expectLocked(await loginFrom(attacker, 'someone-else@example.test', 'guess-password-1'));
    expect((await throttleRow(`ip:${attacker}`))!.locked_until).not.toBeNull();
    for (let i = 0; i < IP_MAX_FAILURES; i += 1) {
      const row = await throttleRow(`account:victim-${i}@example.test`);
      expect(row!.failures).toBe(1);
      expect(row!.locked_until).toBeNull();
    }

    const fromElsewhere = await loginFrom(freshIp(), user.email, user.password);
    expect(fromElsewhere.status).toBe(200);
  });
});

describe('audit of logins', () => {
  it('records failures with their reason, successes and throttled attempts, never the password', async () => {
    const user = await t.userWithRole('viewer');
    const disabled = await t.userWithRole('viewer');
    await t.db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabled.id]);
    const wrongPassword = 'Attempted-Secret-Wrong-7731';
    const ghostPassword = 'Attempted-Secret-Ghost-4412';
    const ghost = 'nobody-here@example.test';

    expectInvalidCredentials(await loginFrom(freshIp(), user.email, wrongPassword));
    expectInvalidCredentials(await loginFrom(freshIp(), ghost, ghostPassword));
    // A disabled user with the right password answers like any other failure.
    expectInvalidCredentials(await loginFrom(freshIp(), disabled.email, disabled.password));
    const ok = await loginFrom(freshIp(), user.email, user.password);
    expect(ok.status).toBe(200);

    const failed = await t.db.query<{ target_id: string | null; after: Record<string, unknown> }>(
      `SELECT target_id, after FROM audit_log WHERE action = 'auth.login_failed' AND after->>'email' = ANY($1)`,
      [[user.email, ghost, disabled.email]],
    );
    const byEmail = Object.fromEntries(failed.rows.map((row) => [row.after.email, row]));
    expect(byEmail[user.email]!.after.reason).toBe('wrong_password');
    expect(byEmail[user.email]!.target_id).toBe(user.id);
    expect(byEmail[ghost]!.after.reason).toBe('unknown_user');
    expect(byEmail[ghost]!.target_id).toBeNull();
    expect(byEmail[disabled.email]!.after.reason).toBe('user_disabled');

    const success = await t.db.query<{ actor_id: string; target_type: string }>(
      `SELECT actor_id, target_type FROM audit_log WHERE action = 'auth.login' AND actor_id = $1`,
      [user.id],
    );
    // userWithRole logged in once, then the login above.
    expect(success.rowCount).toBe(2);
    expect(success.rows[0]!.target_type).toBe('session');

    // No audit row, of any action, holds an attempted or real password.
    const everything = await t.db.query<{ row: unknown }>('SELECT to_jsonb(a) AS row FROM audit_log a');
    const dump = JSON.stringify(everything.rows);
    for (const secret of [wrongPassword, ghostPassword, user.password, disabled.password]) {
      expect(dump).not.toContain(secret);
    }
    expect(dump).toContain('auth.login_failed');
  });

  it('records throttled attempts', async () => {
    const ghost = 'throttled-ghost@example.test';
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expectInvalidCredentials(await loginFrom(freshIp(), ghost, `wrong-password-${i}`));
    }
    expectLocked(await loginFrom(freshIp(), ghost, 'wrong-password-x'));
    const throttled = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'auth.login_throttled' AND after->>'email' = $1`,
      [ghost],
    );
    expect(throttled.rowCount).toBe(1);
    const lockedFailure = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'auth.login_failed' AND after->>'email' = $1
       AND (after->>'accountLocked')::boolean`,
      [ghost],
    );
    expect(lockedFailure.rowCount).toBe(1);
  });
});
