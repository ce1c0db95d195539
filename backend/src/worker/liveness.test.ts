// The worker's liveness check: agents silent for three intervals go offline (with an event and a
// NOTIFY), and come back online with their next batch.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness';
import { createLogger } from '../logger';
import { agentRow, batch, enrolledAgent, eventKinds, postIngest } from '../modules/agents/agent-fixtures';
import { listPartitions, partitionName, dayStart } from '../modules/ingest/partitions';
import { checkAgentLiveness, startWorker } from './index';

let t: TestServer;
let operator: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
});
afterAll(async () => {
  await t.close();
});

let seq = 0;
async function onlineAgent() {
  const agent = await enrolledAgent(t, operator);
  seq += 1;
  const res = await postIngest(
    t,
    agent.credential,
    batch(seq, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]),
  );
  expect(res.status).toBe(200);
  expect((await agentRow(t, agent.agentId))?.status).toBe('online');
  return agent;
}

async function silentFor(agentId: string, interval: string) {
  await t.db.query(`UPDATE agents SET status = 'online', last_seen_at = now() - $2::interval WHERE id = $1`, [
    agentId,
    interval,
  ]);
}

describe('checkAgentLiveness', () => {
  it('marks a silent agent offline with an event; its next batch brings it back online', async () => {
    const agent = await onlineAgent();
    const fresh = await onlineAgent();
    await silentFor(agent.agentId, '1 hour');

    const ids = await checkAgentLiveness(t.server.pool);
    expect(ids).toEqual([agent.agentId]);
    expect((await agentRow(t, agent.agentId))?.status).toBe('offline');
    expect((await agentRow(t, fresh.agentId))?.status).toBe('online');
    const events = await t.db.query(
      `SELECT kind, details FROM agent_events WHERE agent_id = $1 ORDER BY id DESC LIMIT 1`,
      [agent.agentId],
    );
    expect(events.rows[0]).toEqual({ kind: 'offline', details: { reason: 'missed three intervals' } });
    const api = await t.request('GET', `/api/v1/agents/${agent.agentId}`, { token: operator });
    expect(api.body.status).toBe('offline');

    // Nothing more happens on the next run.
    expect(await checkAgentLiveness(t.server.pool)).toEqual([]);
    expect(await eventKinds(t, agent.agentId)).toEqual(['enrolled', 'online', 'offline']);

    const res = await postIngest(
      t,
      agent.credential,
      batch(100, [{ metric: 'cpu.percent', points: [[Date.now(), 2]] }]),
    );
    expect(res.status).toBe(200);
    expect((await agentRow(t, agent.agentId))?.status).toBe('online');
    expect(await eventKinds(t, agent.agentId)).toEqual(['enrolled', 'online', 'offline', 'online']);
  });

  it('gives each agent three of its own intervals', async () => {
    const agent = await onlineAgent();
    await t.db.query('UPDATE agents SET interval_s = 60 WHERE id = $1', [agent.agentId]);
    await silentFor(agent.agentId, '170 seconds');
    expect(await checkAgentLiveness(t.server.pool)).toEqual([]);
    await silentFor(agent.agentId, '190 seconds');
    expect(await checkAgentLiveness(t.server.pool)).toEqual([agent.agentId]);

    const quick = await onlineAgent();
    await silentFor(quick.agentId, '25 seconds');
    expect(await checkAgentLiveness(t.server.pool)).toEqual([]);
    await silentFor(quick.agentId, '35 seconds');
    expect(await checkAgentLiveness(t.server.pool)).toEqual([quick.agentId]);
  });

  it('leaves pending, revoked, deleted and already offline agents alone', async () => {
    const pending = await enrolledAgent(t, operator, { requiresApproval: true });
    const revoked = await onlineAgent();
    const deleted = await onlineAgent();
    const offline = await enrolledAgent(t, operator);
    expect(
      (await t.request('POST', `/api/v1/agents/${revoked.agentId}/revoke`, { token: operator })).status,
    ).toBe(200);
    expect((await t.request('DELETE', `/api/v1/agents/${deleted.agentId}`, { token: operator })).status).toBe(
      204,
    );
    await t.db.query(`UPDATE agents SET last_seen_at = now() - interval '1 day' WHERE id = ANY($1)`, [
      [pending.agentId, revoked.agentId, offline.agentId],
    ]);
    // Even a deleted row that somehow says online is not the liveness check's business.
    await t.db.query(
      `UPDATE agents SET status = 'online', last_seen_at = now() - interval '1 day' WHERE id = $1`,
      [deleted.agentId],
    );
    expect(await checkAgentLiveness(t.server.pool)).toEqual([]);
    expect((await agentRow(t, pending.agentId))?.status).toBe('pending');
    expect((await agentRow(t, revoked.agentId))?.status).toBe('revoked');
    expect((await agentRow(t, offline.agentId))?.status).toBe('offline');
    expect(await eventKinds(t, offline.agentId)).toEqual(['enrolled']);
  });

  it('reports an agent once when several checks run at the same time, and notifies', async () => {
    const listener = new pg.Client({ connectionString: t.databaseUrl });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (msg) => payloads.push(msg.payload ?? ''));
    await listener.query('LISTEN emma_changes');
    try {
      const agent = await onlineAgent();
      await silentFor(agent.agentId, '1 hour');
      const runs = await Promise.all([1, 2, 3, 4].map(() => checkAgentLiveness(t.server.pool)));
      expect(runs.flat()).toEqual([agent.agentId]);
      expect((await eventKinds(t, agent.agentId)).filter((k) => k === 'offline')).toHaveLength(1);

      await t.db.query(`SELECT pg_notify('emma_changes', 'done')`);
      const deadline = Date.now() + 5000;
      while (!payloads.includes('done') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const notices = payloads
        .filter((p) => p.startsWith('{'))
        .map((p) => JSON.parse(p) as Record<string, unknown>)
        .filter((p) => p.a === agent.agentId && p.t === 'agent');
      // Enrolled (offline), online with its first batch, then offline once however many checks ran.
      expect(notices.map((n) => n.status)).toEqual(['offline', 'online', 'offline']);
    } finally {
      await listener.end();
    }
  });
});

describe('startWorker', () => {
  it('maintains partitions at start and runs the liveness check on its timer', async () => {
    const agent = await onlineAgent();
    await silentFor(agent.agentId, '1 hour');
    const worker = await startWorker({
      pool: t.server.pool,
      logger: createLogger('silent'),
      partitions: t.server.partitions,
      livenessEveryMs: 20,
    });
    try {
      const names = await listPartitions(t.db);
      expect(names).toContain(partitionName(dayStart(Date.now()) + 3 * 86_400_000));
      const deadline = Date.now() + 5000;
      while ((await agentRow(t, agent.agentId))?.status !== 'offline') {
        if (Date.now() > deadline) throw new Error('the worker never marked the agent offline');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await worker.checkLiveness()).toEqual([]);
    } finally {
      await worker.stop();
    }
  });
});
