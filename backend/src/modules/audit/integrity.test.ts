// The chain under attack and under load: tampering is detected, rows commit or roll back with their request,
// and concurrent appends still form one unbroken chain. Every test gets its own server and database.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { auditHash } from './chain';
import type { AuditRow } from './repo';
import { contentOf } from './service';
import type { AuditVerification } from './schemas';

type RawRow = AuditRow;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(): Promise<TestServer> {
  const t = await startTestServer();
  servers.push(t);
  return t;
}

async function rows(t: TestServer): Promise<RawRow[]> {
  const result = await t.db.query<RawRow>('SELECT * FROM audit_log ORDER BY id');
  return result.rows.map((row) => ({ ...row, id: Number(row.id as number | string) }));
}

async function verify(t: TestServer, token: string): Promise<AuditVerification> {
  const res = await t.request<AuditVerification>('GET', '/api/v1/audit/verify', { token });
  expect(res.status).toBe(200);
  return res.body;
}

let counter = 0;
async function createUser(t: TestServer, token: string, email = `u${++counter}-${Date.now()}@example.test`) {
  return t.request('POST', '/api/v1/users', {
    token,
    body: { email, name: 'Someone', role: 'viewer', password: 'someone-password-1' },
  });
}

/** A server with a few rows, and the token used to make them. */
async function seeded(): Promise<{ t: TestServer; token: string; chain: RawRow[] }> {
  const t = await server();
  const token = await t.tokenFor();
  for (let i = 0; i < 3; i++) expect((await createUser(t, token)).status).toBe(201);
  const chain = await rows(t);
  expect(chain.length).toBeGreaterThanOrEqual(5);
  expect(await verify(t, token)).toEqual({
    intact: true,
    checked: chain.length,
    firstBrokenId: null,
    reason: null,
  });
  return { t, token, chain };
}

describe('tampering', () => {
  it('detects a changed snapshot as content_changed at that row', async () => {
    const { t, token, chain } = await seeded();
    const middle = chain[2]!;
    await t.db.query(`UPDATE audit_log SET after = '{"x":1}' WHERE id = $1`, [middle.id]);
    expect(await verify(t, token)).toEqual({
      intact: false,
      checked: 2,
      firstBrokenId: middle.id,
      reason: 'content_changed',
    });
  });

  it('detects a changed actor, action or time as content_changed', async () => {
    const { t, token, chain } = await seeded();
    const middle = chain[3]!;
    const edits = [
      `actor_email = 'someone-else@example.test'`,
      `action = 'user.updated'`,
      `occurred_at = occurred_at + interval '1 millisecond'`,
      `ip = '1.2.3.4'`,
    ];
    for (const edit of edits) {
      const original = await t.db.query(
        'SELECT actor_email, action, occurred_at, ip FROM audit_log WHERE id = $1',
        [middle.id],
      );
      await t.db.query(`UPDATE audit_log SET ${edit} WHERE id = $1`, [middle.id]);
      const result = await verify(t, token);
      expect(result, edit).toMatchObject({
        intact: false,
        firstBrokenId: middle.id,
        reason: 'content_changed',
      });
      const o = original.rows[0];
      await t.db.query(
        'UPDATE audit_log SET actor_email = $2, action = $3, occurred_at = $4, ip = $5 WHERE id = $1',
        [middle.id, o.actor_email, o.action, o.occurred_at, o.ip],
      );
      expect((await verify(t, token)).intact).toBe(true);
    }
  });

  it('detects a deleted row as chain_broken at the row after it', async () => {
    const { t, token, chain } = await seeded();
    const middle = chain[2]!;
    await t.db.query('DELETE FROM audit_log WHERE id = $1', [middle.id]);
    expect(await verify(t, token)).toEqual({
      intact: false,
      checked: 2,
      firstBrokenId: chain[3]!.id,
      reason: 'chain_broken',
    });
  });

  it('detects an edit whose hash the attacker recomputed, at the link to the next row', async () => {
    const { t, token, chain } = await seeded();
    const middle = chain[2]!;
    const forged = { ...middle, after: { x: 1 } };
    const forgedHash = auditHash(middle.prev_hash, contentOf(forged));
    expect(forgedHash).not.toBe(middle.hash);
    await t.db.query(`UPDATE audit_log SET after = '{"x":1}', hash = $2 WHERE id = $1`, [
      middle.id,
      forgedHash,
    ]);
    expect(await verify(t, token)).toEqual({
      intact: false,
      checked: 3,
      firstBrokenId: chain[3]!.id,
      reason: 'chain_broken',
    });
  });

  it('detects an inserted row, even one with a valid hash of its own', async () => {
    const { t, token, chain } = await seeded();
    const last = chain.at(-1)!;
    const fake: RawRow = {
      ...last,
      id: last.id + 1000,
      action: 'user.deleted',
      prev_hash: chain[1]!.hash,
      hash: '',
      occurred_at: new Date(),
    };
    fake.hash = auditHash(fake.prev_hash, contentOf(fake));
    await t.db.query(
      `INSERT INTO audit_log (id, occurred_at, actor_id, actor_email, action, target_type, target_id, before, after,
         ip, request_id, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
      [
        fake.id,
        fake.occurred_at,
        fake.actor_id,
        fake.actor_email,
        fake.action,
        fake.target_type,
        fake.target_id,
        JSON.stringify(fake.before),
        JSON.stringify(fake.after),
        fake.ip,
        fake.request_id,
        fake.prev_hash,
        fake.hash,
      ],
    );
    expect(await verify(t, token)).toEqual({
      intact: false,
      checked: chain.length,
      firstBrokenId: fake.id,
      reason: 'chain_broken',
    });
  });
});

describe('audit rows share the request transaction', () => {
  it('a refused request (duplicate email, 409) leaves no user.created row', async () => {
    const t = await server();
    const token = await t.tokenFor();
    const email = 'dupe@example.test';
    expect((await createUser(t, token, email)).status).toBe(201);
    const before = await rows(t);
    const again = await createUser(t, token, email);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
    const after = await rows(t);
    expect(after).toEqual(before);
    const created = after.filter(
      (row) => row.action === 'user.created' && (row.after as { email?: string }).email === email,
    );
    expect(created).toHaveLength(1);
  });

  it('rolls the audit row back when the request fails after writing it (commit-time failure)', async () => {
    const t = await server();
    const token = await t.tokenFor();
    // A deferred constraint trigger fails at COMMIT, after the handler and its audit.record succeeded.
    await t.db.query(`
      CREATE FUNCTION reject_doomed() RETURNS trigger AS $$
      BEGIN
        IF NEW.email = 'doomed@example.test' THEN RAISE EXCEPTION 'doomed'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE CONSTRAINT TRIGGER users_doomed AFTER INSERT ON users DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION reject_doomed();`);
    const countBefore = (await rows(t)).length;
    const res = await createUser(t, token, 'doomed@example.test');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    const after = await rows(t);
    expect(after).toHaveLength(countBefore);
    expect(after.some((row) => JSON.stringify(row.after).includes('doomed@example.test'))).toBe(false);
    const users = await t.db.query(`SELECT 1 FROM users WHERE email = 'doomed@example.test'`);
    expect(users.rowCount).toBe(0);
    expect((await verify(t, token)).intact).toBe(true);
    // The sequence value the failed request reserved leaves a gap, which the chain tolerates.
    expect((await createUser(t, token)).status).toBe(201);
    expect(await verify(t, token)).toMatchObject({ intact: true, checked: countBefore + 1 });
  });

  it('rolls the change back when its audit row cannot be written', async () => {
    const t = await server();
    const token = await t.tokenFor();
    await t.db.query(`
      CREATE FUNCTION reject_audit() RETURNS trigger AS $$
      BEGIN
        IF NEW.after->>'email' = 'unaudited@example.test' THEN RAISE EXCEPTION 'no audit'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER audit_reject BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION reject_audit();`);
    const res = await createUser(t, token, 'unaudited@example.test');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    const users = await t.db.query(`SELECT 1 FROM users WHERE email = 'unaudited@example.test'`);
    expect(users.rowCount).toBe(0);
  });

  it('two simultaneous creations of the same email: one 201, one 409 email_taken, one audit row', async () => {
    const t = await server();
    const token = await t.tokenFor();
    const email = 'race@example.test';
    // Hold the email in an uncommitted transaction: both requests find it free, insert, and wait on the
    // unique index. Once the holder rolls back one of them wins; the other must still answer 409, not 500.
    const holder = await t.db.connect();
    let results: Awaited<ReturnType<typeof createUser>>[];
    try {
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Holder', 'viewer', 'x')`,
        [email],
      );
      const pending = Promise.all([createUser(t, token, email), createUser(t, token, email)]);
      for (let i = 0; i < 200; i++) {
        const waiting = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (waiting.rows[0]!.n >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await holder.query('ROLLBACK');
      results = await pending;
    } finally {
      holder.release();
    }
    const created = (await rows(t)).filter(
      (row) => row.action === 'user.created' && (row.after as { email?: string }).email === email,
    );
    expect(created).toHaveLength(1);
    const users = await t.db.query('SELECT 1 FROM users WHERE email = $1', [email]);
    expect(users.rowCount).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status !== 201)!.body.error.code).toBe('email_taken');
  });
});

describe('concurrent appends', () => {
  it('keep one intact chain: ids strictly increasing, each prev_hash the previous hash', async () => {
    const t = await server();
    const token = await t.tokenFor();
    const countBefore = (await rows(t)).length;
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => createUser(t, token)),
      ...Array.from({ length: 4 }, () => t.login()),
    ]);
    expect(results.map((r) => r.status)).toEqual([...Array(10).fill(201), ...Array(4).fill(200)]);

    const chain = await rows(t);
    expect(chain).toHaveLength(countBefore + 14);
    expect(chain.filter((row) => row.action === 'user.created')).toHaveLength(10);
    let previous = '0'.repeat(64);
    let previousId = 0;
    let previousTime = 0;
    for (const row of chain) {
      expect(row.id).toBeGreaterThan(previousId);
      expect(row.prev_hash).toBe(previous);
      expect(auditHash(row.prev_hash, contentOf(row))).toBe(row.hash);
      // The time is taken under the chain lock, so it never goes backwards along the chain.
      expect(row.occurred_at.getTime()).toBeGreaterThanOrEqual(previousTime);
      previous = row.hash;
      previousId = row.id;
      previousTime = row.occurred_at.getTime();
    }
    expect(await verify(t, token)).toEqual({
      intact: true,
      checked: chain.length,
      firstBrokenId: null,
      reason: null,
    });
  });
});
