// EMMA_AGENT_ENROLL_TOKEN: the api makes one enrolment token with exactly this secret at start (never a second,
// also not after it was used up or revoked), and an agent enrols with the bare secret.
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { createLogger } from '../../logger';
import { agentGet, batch, enrollWith, HOST, postIngest } from './agent-fixtures';
import { ensureBootstrapEnrollmentToken } from './bootstrap-token';

/** Like `openssl rand -base64 48`: `+`, `/` and `=` included, so no token format is assumed. */
const newSecret = () => `${randomBytes(48).toString('base64')}+/=`;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

const SECRET = newSecret();
let t: TestServer;
let operator: string;

beforeAll(async () => {
  t = await startTestServer({ EMMA_AGENT_ENROLL_TOKEN: SECRET });
  operator = (await t.userWithRole('operator')).token;
});
afterAll(async () => {
  await t.close();
});

interface TokenRow {
  id: string;
  name: string;
  token_hash: string;
  max_uses: number;
  uses: number;
  created_by: string | null;
  revoked_at: Date | null;
  deleted_at: Date | null;
  lifetime_s: number;
}

async function tokensWithSecret(server: TestServer, secret: string): Promise<TokenRow[]> {
  const result = await server.db.query<TokenRow>(
    `SELECT id, name, token_hash, max_uses, uses, created_by, revoked_at, deleted_at,
       extract(epoch FROM expires_at - created_at)::int AS lifetime_s
     FROM enrollment_tokens WHERE token_hash = $1`,
    [sha256(secret)],
  );
  return result.rows;
}

async function creationAudits(server: TestServer, tokenId: string) {
  const result = await server.db.query<{ actor_id: string | null; actor_email: string; json: string }>(
    `SELECT actor_id, actor_email, row_to_json(a)::text AS json FROM audit_log a
     WHERE action = 'enrollment_token.created' AND target_id = $1`,
    [tokenId],
  );
  return result.rows;
}

describe('the EMMA_AGENT_ENROLL_TOKEN enrolment token', () => {
  it('is made at start: one use, a week, no creator, hashed like every token secret, audited as the system', async () => {
    const rows = await tokensWithSecret(t, SECRET);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      name: 'bootstrap (EMMA_AGENT_ENROLL_TOKEN)',
      max_uses: 1,
      uses: 0,
      created_by: null,
      revoked_at: null,
      lifetime_s: 7 * 86_400,
    });
    const audits = await creationAudits(t, row.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_id: null, actor_email: 'system' });
    expect(audits[0]!.json).not.toContain(SECRET);
    expect(audits[0]!.json).not.toContain(row.token_hash);

    const listed = await t.request('GET', '/api/v1/enrollment-tokens', { token: operator });
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id: row.id, status: 'active', createdBy: null, maxUses: 1 }),
    );
    // Its secret is only in the environment: no install command can be rebuilt for it.
    const install = await t.request('GET', `/api/v1/enrollment-tokens/${row.id}/install`, {
      token: operator,
    });
    expect(install.status).toBe(409);
    expect(install.body.error.message).toContain('EMMA_AGENT_ENROLL_TOKEN');
  });

  it('enrols an agent that sends the bare secret, once; the agent then works with its credential', async () => {
    const [token] = await tokensWithSecret(t, SECRET);
    const wrong = await enrollWith(t, newSecret(), 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_enrollment_token');

    const res = await t.request('POST', '/api/v1/agents/enroll', {
      body: { token: SECRET, host: { ...HOST, hostname: 'compose-host' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('offline');
    const { agentId, credential } = res.body as { agentId: string; credential: string };
    const agent = await t.db.query('SELECT enrollment_token_id, name FROM agents WHERE id = $1', [agentId]);
    expect(agent.rows[0]).toEqual({ enrollment_token_id: token!.id, name: 'compose-host' });
    expect((await tokensWithSecret(t, SECRET))[0]!.uses).toBe(1);

    const config = await agentGet(t, credential, '/api/v1/agents/self/config');
    expect(config.status).toBe(200);
    const accepted = await postIngest(
      t,
      credential,
      batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]),
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: true, samples: 1 });

    const again = await enrollWith(t, SECRET, 'second-host');
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('enrollment_token_used_up');
  });

  it('is not made again on the next start, used up or not, and a revocation sticks', async () => {
    const [before] = await tokensWithSecret(t, SECRET);
    const revoked = await t.request('DELETE', `/api/v1/enrollment-tokens/${before!.id}`, { token: operator });
    expect(revoked.status).toBe(204);

    const second = await startTestServer({ EMMA_AGENT_ENROLL_TOKEN: SECRET }, { databaseUrl: t.databaseUrl });
    try {
      const rows = await tokensWithSecret(second, SECRET);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.id).toBe(before!.id);
      expect(rows[0]!.deleted_at).not.toBeNull();
      expect(await creationAudits(second, before!.id)).toHaveLength(1);
      const refused = await enrollWith(second, SECRET, 'after-revoke');
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('enrollment_token_revoked');
    } finally {
      await second.close();
    }
  });

  it('makes exactly one token when several api processes start at once', async () => {
    // One connection per caller, all open before they start, so the callers really overlap.
    const pool = new pg.Pool({ connectionString: t.databaseUrl, max: 8 });
    try {
      await Promise.all(Array.from({ length: 8 }, () => pool.query('SELECT pg_sleep(0.05)')));
      const secret = newSecret();
      const made = await Promise.all(
        Array.from({ length: 8 }, () => ensureBootstrapEnrollmentToken(secret, pool, createLogger('silent'))),
      );
      const rows = await tokensWithSecret(t, secret);
      expect(rows).toHaveLength(1);
      expect(made.filter((id) => id !== undefined)).toEqual([rows[0]!.id]);
      expect(await creationAudits(t, rows[0]!.id)).toHaveLength(1);
    } finally {
      await pool.end();
    }
  });

  it('never writes the secret to the logs', async () => {
    const secret = newSecret();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const id = await ensureBootstrapEnrollmentToken(secret, t.server.pool, createLogger('trace', sink));
    expect(id).toBeDefined();
    expect(lines.join('')).toContain(id!);
    expect(lines.join('')).not.toContain(secret.slice(0, 16));
    expect(lines.join('')).not.toContain(sha256(secret));
  });
});
