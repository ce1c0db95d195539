// A sql probe's password: write-only through the API, encrypted in the database, kept out of the audit
// trail, kept across config changes, and handed only to the probe's agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../../test/harness';
import { enrolledAgent, type EnrolledAgent } from '../agents/agent-fixtures';
import { agentProbes, createProbe, type ProbeBody } from './probe-fixtures';
import { decryptSecrets } from './secrets';

let t: TestServer;
let operator: string;
let viewer: string;
let agent: EnrolledAgent;
let other: EnrolledAgent;

const PASSWORD = 'Pw-7f3a9c-never-leak';
const NEW_PASSWORD = 'Pw-b81e2d-second-one';

function sqlProbe(agentId: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'orders db',
    type: 'sql',
    agentId,
    intervalS: 60,
    timeoutMs: 5000,
    config: { engine: 'postgres', host: 'db.internal', user: 'monitor', password: PASSWORD, ...extra },
  };
}

const PLAIN_CONFIG = {
  engine: 'postgres',
  host: 'db.internal',
  user: 'monitor',
  query: 'SELECT 1',
  tls: false,
};

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
  agent = await enrolledAgent(t, operator);
  other = await enrolledAgent(t, operator);
});
afterAll(async () => {
  await t.close();
});

async function storedProbe(id: string) {
  const result = await t.db.query<{
    config: Record<string, unknown>;
    secret_config: string | null;
    row: string;
  }>('SELECT config, secret_config, row_to_json(p)::text AS row FROM probes p WHERE id = $1', [id]);
  return result.rows[0]!;
}

async function auditText(): Promise<string> {
  const result = await t.db.query<{ text: string }>(
    `SELECT coalesce(string_agg(row_to_json(a)::text, ' '), '') AS text FROM audit_log a`,
  );
  return result.rows[0]!.text;
}

function expectNoPassword(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(NEW_PASSWORD);
}

describe('sql probe passwords', () => {
  it('are never returned by the API; secretsSet names them', async () => {
    const created = await t.request<ProbeBody>('POST', '/api/v1/probes', {
      token: operator,
      body: sqlProbe(agent.agentId),
    });
    expect(created.status).toBe(201);
    expectNoPassword(created.body);
    expect(created.body.config).toEqual(PLAIN_CONFIG);
    expect(created.body.secretsSet).toEqual(['password']);
    const id = created.body.id;

    for (const token of [operator, viewer]) {
      const one = await t.request('GET', `/api/v1/probes/${id}`, { token });
      expect(one.status).toBe(200);
      expectNoPassword(one.body);
      expect(one.body).toMatchObject({ config: PLAIN_CONFIG, secretsSet: ['password'] });
      const list = await t.request('GET', '/api/v1/probes?type=sql', { token });
      expect(list.status).toBe(200);
      expectNoPassword(list.body);
      expect((list.body as { items: ProbeBody[] }).items.find((p) => p.id === id)).toMatchObject({
        secretsSet: ['password'],
      });
    }

    const renamed = await t.request('PATCH', `/api/v1/probes/${id}`, {
      token: operator,
      body: { name: 'orders' },
    });
    expect(renamed.status).toBe(200);
    expectNoPassword(renamed.body);
    expect(renamed.body.secretsSet).toEqual(['password']);

    const changed = await t.request('PATCH', `/api/v1/probes/${id}`, {
      token: operator,
      body: { config: { ...PLAIN_CONFIG, password: NEW_PASSWORD } },
    });
    expect(changed.status).toBe(200);
    expectNoPassword(changed.body);
    expect(changed.body).toMatchObject({ config: PLAIN_CONFIG, secretsSet: ['password'] });
  });

  it('are stored only encrypted under the server secret, and not in the audit trail', async () => {
    const probe = await createProbe(t, operator, sqlProbe(agent.agentId));
    const stored = await storedProbe(probe.id);
    expect(stored.config).toEqual(PLAIN_CONFIG);
    expect(stored.secret_config).toMatch(/^v1:/);
    expect(stored.row).not.toContain(PASSWORD);
    expect(decryptSecrets(TEST_JWT_SECRET, stored.secret_config!)).toEqual({ password: PASSWORD });

    await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator,
      body: { config: { ...PLAIN_CONFIG, password: NEW_PASSWORD } },
    });
    const changed = await storedProbe(probe.id);
    expect(changed.row).not.toContain(NEW_PASSWORD);
    expect(decryptSecrets(TEST_JWT_SECRET, changed.secret_config!)).toEqual({ password: NEW_PASSWORD });
    await t.request('DELETE', `/api/v1/probes/${probe.id}`, { token: operator });

    const actions = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [probe.id],
    );
    expect(actions.rows.map((r) => r.action)).toEqual(['probe.created', 'probe.updated', 'probe.deleted']);
    const audit = await auditText();
    expect(audit).not.toContain(PASSWORD);
    expect(audit).not.toContain(NEW_PASSWORD);
  });

  it('reach the agent of the probe, and only it', async () => {
    const probe = await createProbe(t, operator, sqlProbe(agent.agentId, { database: 'orders' }));
    const received = (await agentProbes(t, agent.credential)).find((p) => p.id === probe.id);
    expect(received).toEqual({
      id: probe.id,
      name: 'orders db',
      intervalS: 60,
      timeoutMs: 5000,
      type: 'sql',
      config: { ...PLAIN_CONFIG, database: 'orders', password: PASSWORD },
    });
    expect(JSON.stringify(await agentProbes(t, other.credential))).not.toContain(PASSWORD);
  });

  it('are kept when the config is changed without one, and replaced when one is sent', async () => {
    const probe = await createProbe(t, operator, sqlProbe(agent.agentId));
    const before = await storedProbe(probe.id);

    const patched = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator,
      body: { config: { ...PLAIN_CONFIG, query: 'SELECT count(*) FROM orders', expectFirstValue: '0' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.secretsSet).toEqual(['password']);
    const kept = await storedProbe(probe.id);
    expect(kept.config).toEqual({
      ...PLAIN_CONFIG,
      query: 'SELECT count(*) FROM orders',
      expectFirstValue: '0',
    });
    expect(decryptSecrets(TEST_JWT_SECRET, kept.secret_config!)).toEqual({ password: PASSWORD });
    expect(kept.secret_config).not.toBe(before.secret_config); // sealed again, with a fresh IV

    const find = async () => (await agentProbes(t, agent.credential)).find((p) => p.id === probe.id);
    expect((await find())?.config).toEqual({
      ...PLAIN_CONFIG,
      query: 'SELECT count(*) FROM orders',
      expectFirstValue: '0',
      password: PASSWORD,
    });

    // Changing other fields leaves the password alone too.
    await t.request('PATCH', `/api/v1/probes/${probe.id}`, { token: operator, body: { retries: 3 } });
    expect((await find())?.config.password).toBe(PASSWORD);

    await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator,
      body: { config: { ...PLAIN_CONFIG, password: NEW_PASSWORD } },
    });
    expect((await find())?.config.password).toBe(NEW_PASSWORD);
  });

  it('are not set for a sql probe created without one', async () => {
    const { password: _password, ...config } = sqlProbe(agent.agentId).config;
    const probe = await createProbe(t, operator, { ...sqlProbe(agent.agentId), config });
    expect(probe.secretsSet).toEqual([]);
    expect((await storedProbe(probe.id)).secret_config).toBeNull();
    const received = (await agentProbes(t, agent.credential)).find((p) => p.id === probe.id);
    expect(received?.config).toEqual(PLAIN_CONFIG);
  });
});
