// The worker's evaluation against real state (probe results, agents, series and containers posted through
// the ingest API) at chosen times: incidents open once per rule and subject, wait for their "for" time,
// reopen within the window, repeat on schedule, hold notifications in maintenance windows, resolve; people
// acknowledge, assign, comment and resolve; two workers never open or notify twice; NOTIFY to `alerts`.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { batch, enrolledAgent, postIngest, type EnrolledAgent } from '../agents/agent-fixtures';
import { containerInfo, ContainerAgent, engineId } from '../containers/container-fixtures';
import {
  ChangeListener,
  createProbe,
  exampleHttpProbe,
  postResults,
  probeResult,
} from '../probes/probe-fixtures';
import { evaluateAlerts } from './evaluate';
import {
  at,
  channel,
  createRule,
  deliveries,
  evaluate,
  historyKinds,
  incidentsOf,
  SETTINGS,
} from './alert-fixtures';

let t: TestServer;
let operator: { id: string; token: string };
let viewer: string;
let channelId: string;
let seq = 100;

beforeAll(async () => {
  t = await startTestServer();
  operator = await t.userWithRole('operator');
  viewer = (await t.userWithRole('viewer')).token;
  channelId = await channel(t);
});
afterAll(async () => {
  await t.close();
});

/** A fresh agent with one HTTP probe (no retries) and a probe_down rule notifying the channel. */
async function probeSetup(rule: Record<string, unknown> = {}) {
  const agent = await enrolledAgent(t, operator.token);
  const probe = await createProbe(
    t,
    operator.token,
    exampleHttpProbe({ agentId: agent.agentId }, { retries: 0 }),
  );
  const created = await createRule(t, operator.token, {
    name: 'web down',
    kind: 'probe_down',
    probeId: probe.id,
    severity: 'critical',
    forS: 0,
    channelIds: [channelId],
    ...rule,
  });
  return { agent, probeId: probe.id, ruleId: created.id };
}

async function report(agent: EnrolledAgent, probeId: string, status: 'up' | 'down') {
  seq += 1;
  const res = await postResults(t, agent.credential, seq, [probeResult(probeId, status, Date.now())]);
  expect(res.status).toBe(200);
}

describe('incident lifecycle', () => {
  it('opens once, notifies once, is acknowledged, assigned, commented and resolved with full history', async () => {
    const listener = await ChangeListener.start(t);
    const { agent, probeId, ruleId } = await probeSetup();
    await report(agent, probeId, 'down');
    const first = await evaluate(t);
    expect(first.opened).toBe(1);
    await evaluate(t);
    const [incident] = await incidentsOf(t, ruleId);
    expect(await incidentsOf(t, ruleId)).toHaveLength(1);
    expect(incident).toMatchObject({ status: 'open', subject: `probe:${probeId}` });
    const id = incident!.id;
    expect(await deliveries(t, id)).toEqual([{ channel_id: channelId, incident_id: id, event: 'opened' }]);

    expect((await t.request('POST', `/api/v1/incidents/${id}/ack`, { token: viewer, body: {} })).status).toBe(
      403,
    );
    const acked = await t.request('POST', `/api/v1/incidents/${id}/ack`, {
      token: operator.token,
      body: { comment: 'looking into it' },
    });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: operator.id });
    expect(
      (await t.request('POST', `/api/v1/incidents/${id}/ack`, { token: operator.token, body: {} })).status,
    ).toBe(409);
    const assigned = await t.request('POST', `/api/v1/incidents/${id}/assign`, {
      token: operator.token,
      body: { userId: operator.id },
    });
    expect(assigned.body.assigneeId).toBe(operator.id);
    const commented = await t.request('POST', `/api/v1/incidents/${id}/comments`, {
      token: operator.token,
      body: { text: 'restarted nginx' },
    });
    expect(commented.status).toBe(201);

    await report(agent, probeId, 'up');
    expect((await evaluate(t)).resolved).toBe(1);
    const detail = await t.request<{ history: { kind: string }[] }>('GET', `/api/v1/incidents/${id}`, {
      token: viewer,
    });
    expect(detail.body).toMatchObject({ status: 'resolved', resolvedBy: null, ruleId, severity: 'critical' });
    expect(detail.body.history.map((e) => e.kind)).toEqual([
      'opened',
      'notified',
      'acknowledged',
      'notified',
      'assigned',
      'commented',
      'resolved',
      'notified',
    ]);
    expect(detail.body.history[2]).toMatchObject({ comment: 'looking into it', actorId: operator.id });
    expect((await deliveries(t, id)).map((d) => d.event)).toEqual(['opened', 'acknowledged', 'resolved']);

    const list = await t.request('GET', `/api/v1/incidents?ruleId=${ruleId}&status=resolved`, {
      token: viewer,
    });
    expect(list.body).toMatchObject({ total: 1, items: [{ id }] });

    await listener.drain();
    const notices = listener.payloads
      .filter((p) => p.startsWith('{'))
      .map((p) => JSON.parse(p) as Record<string, unknown>)
      .filter((p) => p.t === 'incident' && p.id === id);
    expect(notices.map((n) => n.status)).toEqual([
      'open',
      'acknowledged',
      'acknowledged',
      'acknowledged',
      'resolved',
    ]);
    expect(notices[0]).toEqual({ t: 'incident', id, status: 'open', ruleId });
    await listener.close();
  });

  it('resolves by hand; a condition that still holds opens again (same incident)', async () => {
    const { agent, probeId, ruleId } = await probeSetup({ notifyOnResolve: false });
    await report(agent, probeId, 'down');
    await evaluate(t);
    const [incident] = await incidentsOf(t, ruleId);
    const res = await t.request('POST', `/api/v1/incidents/${incident!.id}/resolve`, {
      token: operator.token,
      body: { comment: 'fixed' },
    });
    expect(res.body).toMatchObject({ status: 'resolved', resolvedBy: operator.id });
    expect((await deliveries(t, incident!.id)).map((d) => d.event)).toEqual(['opened']);
    await evaluate(t);
    expect(await incidentsOf(t, ruleId)).toMatchObject([
      { id: incident!.id, status: 'open', reopen_count: 1 },
    ]);
  });
});

describe('evaluation', () => {
  it('waits for the "for" time: a flapping condition shorter than it opens nothing', async () => {
    const agent = await enrolledAgent(t, operator.token);
    const rule = await createRule(t, operator.token, {
      name: 'agent gone',
      kind: 'agent_offline',
      agentId: agent.agentId,
      forS: 300,
      channelIds: [channelId],
    });
    const setStatus = (status: string) =>
      t.db.query('UPDATE agents SET status = $2 WHERE id = $1', [agent.agentId, status]);
    const t0 = Date.now();
    await setStatus('offline');
    await evaluate(t, at(t0, 0));
    await evaluate(t, at(t0, 200));
    await setStatus('online');
    await evaluate(t, at(t0, 250));
    await setStatus('offline');
    await evaluate(t, at(t0, 400));
    await evaluate(t, at(t0, 650));
    expect(await incidentsOf(t, rule.id)).toEqual([]);
    await evaluate(t, at(t0, 701));
    expect(await incidentsOf(t, rule.id)).toMatchObject([
      { status: 'open', subject: `agent:${agent.agentId}` },
    ]);
  });

  it('with a reopen window of 0 opens a new incident, also after a resolve by hand during the run', async () => {
    const { agent, probeId, ruleId } = await probeSetup({ notifyOnResolve: false });
    const t0 = Date.now();
    await report(agent, probeId, 'down');
    await evaluate(t, at(t0, 0));
    const [incident] = await incidentsOf(t, ruleId);
    const res = await t.request('POST', `/api/v1/incidents/${incident!.id}/resolve`, {
      token: operator.token,
      body: {},
    });
    expect(res.body).toMatchObject({ status: 'resolved' });
    // An evaluation that took its `now` before the operator's resolve landed.
    await evaluate(t, at(t0, 0), { ...SETTINGS, reopenWindowS: 0 });
    const after = await incidentsOf(t, ruleId);
    expect(after.find((i) => i.id === incident!.id)).toMatchObject({ status: 'resolved', reopen_count: 0 });
    expect(after.filter((i) => i.id !== incident!.id).map((i) => i.status)).toEqual(['open']);
  });

  it('reopens an incident resolved within the reopen window, opens a new one after it', async () => {
    const { agent, probeId, ruleId } = await probeSetup();
    const t0 = Date.now();
    await report(agent, probeId, 'down');
    await evaluate(t, at(t0, 0));
    await report(agent, probeId, 'up');
    await evaluate(t, at(t0, 10));
    await report(agent, probeId, 'down');
    await evaluate(t, at(t0, 20));
    const [first] = await incidentsOf(t, ruleId);
    expect(await incidentsOf(t, ruleId)).toMatchObject([{ status: 'open', reopen_count: 1 }]);
    expect(await historyKinds(t, first!.id)).toEqual([
      'opened',
      'notified',
      'resolved',
      'notified',
      'reopened',
      'notified',
    ]);
    await report(agent, probeId, 'up');
    await evaluate(t, at(t0, 30));
    await report(agent, probeId, 'down');
    await evaluate(t, at(t0, 30 + SETTINGS.reopenWindowS + 1));
    expect((await incidentsOf(t, ruleId)).map((i) => i.status)).toEqual(['resolved', 'open']);
  });

  it('repeats while open and unacknowledged, on schedule', async () => {
    const { agent, probeId, ruleId } = await probeSetup({ repeatIntervalS: 60 });
    const t0 = Date.now();
    await report(agent, probeId, 'down');
    await evaluate(t, at(t0, 0));
    await evaluate(t, at(t0, 30));
    await evaluate(t, at(t0, 61));
    await evaluate(t, at(t0, 90));
    const [incident] = await incidentsOf(t, ruleId);
    expect((await deliveries(t, incident!.id)).map((d) => d.event)).toEqual(['opened', 'repeat']);
    await evaluate(t, at(t0, 122));
    expect((await deliveries(t, incident!.id)).map((d) => d.event)).toEqual(['opened', 'repeat', 'repeat']);
    await t.request('POST', `/api/v1/incidents/${incident!.id}/ack`, { token: operator.token, body: {} });
    await evaluate(t, at(t0, 300));
    expect((await deliveries(t, incident!.id)).map((d) => d.event)).toEqual([
      'opened',
      'repeat',
      'repeat',
      'acknowledged',
    ]);
  });

  it('holds notifications in a one-off maintenance window (the incident still opens) and sends them after', async () => {
    const { agent, probeId, ruleId } = await probeSetup();
    const t0 = Date.now();
    const window = await t.request('POST', '/api/v1/maintenance-windows', {
      token: operator.token,
      body: {
        name: 'patching',
        agentId: agent.agentId,
        startsAt: new Date(t0 - 60_000).toISOString(),
        endsAt: new Date(t0 + 600_000).toISOString(),
      },
    });
    expect(window.status).toBe(201);
    await report(agent, probeId, 'down');
    await evaluate(t, at(t0, 0));
    await evaluate(t, at(t0, 300));
    const [incident] = await incidentsOf(t, ruleId);
    expect(incident!.status).toBe('open');
    expect(await deliveries(t, incident!.id)).toEqual([]);
    expect(await historyKinds(t, incident!.id)).toEqual(['opened', 'held']);
    await evaluate(t, at(t0, 601));
    expect((await deliveries(t, incident!.id)).map((d) => d.event)).toEqual(['opened']);
    await evaluate(t, at(t0, 700));
    expect(await deliveries(t, incident!.id)).toHaveLength(1);
  });

  it('holds notifications in a recurring (cron) window by label, only while an occurrence lasts', async () => {
    const agent = await enrolledAgent(t, operator.token, { labels: { env: 'prod', team: 'web' } });
    const probe = await createProbe(
      t,
      operator.token,
      exampleHttpProbe({ agentId: agent.agentId }, { retries: 0 }),
    );
    const rule = await createRule(t, operator.token, {
      name: 'web down',
      kind: 'probe_down',
      labels: { team: 'web' },
      channelIds: [channelId],
    });
    await t.request('POST', '/api/v1/maintenance-windows', {
      token: operator.token,
      body: { name: 'nightly', labels: { env: 'prod' }, cron: '0 3 * * *', durationS: 3600 },
    });
    const day = new Date();
    day.setUTCHours(0, 0, 0, 0);
    const inside = new Date(day.getTime() + 3.5 * 3_600_000);
    await report(agent, probe.id, 'down');
    await evaluate(t, inside);
    const [incident] = await incidentsOf(t, rule.id);
    expect(await deliveries(t, incident!.id)).toEqual([]);
    await evaluate(t, new Date(day.getTime() + 4 * 3_600_000 + 1000));
    expect((await deliveries(t, incident!.id)).map((d) => d.event)).toEqual(['opened']);
  });

  it('evaluates metric thresholds per series with the "for" time, and resolves when the value drops', async () => {
    const agent = await enrolledAgent(t, operator.token, { labels: { env: 'prod' } });
    const rule = await createRule(t, operator.token, {
      name: 'cpu hot',
      kind: 'metric_threshold',
      metric: 'cpu.percent',
      op: '>',
      value: 90,
      forS: 300,
      labels: { env: 'prod' },
      channelIds: [channelId],
    });
    const post = async (value: number) => {
      seq += 1;
      const res = await postIngest(
        t,
        agent.credential,
        batch(seq, [{ metric: 'cpu.percent', points: [[Date.now(), value]] }]),
      );
      expect(res.status).toBe(200);
    };
    const t0 = Date.now();
    await post(95);
    await evaluate(t, at(t0, 0));
    await evaluate(t, at(t0, 200));
    expect(await incidentsOf(t, rule.id)).toEqual([]);
    await evaluate(t, at(t0, 301));
    const [incident] = await incidentsOf(t, rule.id);
    expect(incident).toMatchObject({ status: 'open' });
    expect(incident!.subject).toMatch(/^series:\d+$/);
    const detail = await t.request('GET', `/api/v1/incidents/${incident!.id}`, { token: viewer });
    expect(detail.body.title).toContain('cpu.percent');
    await post(40);
    await evaluate(t, at(t0, 310));
    expect((await incidentsOf(t, rule.id))[0]!.status).toBe('resolved');
  });

  it('opens for exited and unhealthy containers and resolves when they run again', async () => {
    const agent = await ContainerAgent.enrol(t, operator.token);
    const exited = await createRule(t, operator.token, {
      name: 'exited',
      kind: 'container_exited',
      agentId: agent.id,
      channelIds: [channelId],
    });
    const unhealthy = await createRule(t, operator.token, {
      name: 'sick',
      kind: 'container_unhealthy',
      agentId: agent.id,
    });
    const a = engineId();
    const b = engineId();
    await agent.report([
      containerInfo(a, { state: 'exited', exitCode: 137 }),
      containerInfo(b, { health: 'unhealthy' }),
    ]);
    await evaluate(t);
    expect(await incidentsOf(t, exited.id)).toMatchObject([{ status: 'open' }]);
    expect(await incidentsOf(t, unhealthy.id)).toMatchObject([{ status: 'open' }]);
    await agent.report([containerInfo(a), containerInfo(b, { health: 'healthy' })]);
    await evaluate(t);
    expect((await incidentsOf(t, exited.id)).map((i) => i.status)).toEqual(['resolved']);
    expect((await incidentsOf(t, unhealthy.id)).map((i) => i.status)).toEqual(['resolved']);
  });

  it('two workers evaluating at once open one incident and enqueue one notification per rule', async () => {
    const setups = await Promise.all([probeSetup(), probeSetup(), probeSetup()]);
    for (const s of setups) await report(s.agent, s.probeId, 'down');
    const other = new pg.Pool({ connectionString: t.databaseUrl, max: 3 });
    try {
      const now = new Date();
      const results = await Promise.all([
        evaluateAlerts(t.server.pool, SETTINGS, now),
        evaluateAlerts(other, SETTINGS, now),
        evaluateAlerts(other, SETTINGS, now),
      ]);
      expect(results.reduce((n, r) => n + r.opened, 0)).toBe(3);
    } finally {
      await other.end();
    }
    for (const s of setups) {
      const incidents = await incidentsOf(t, s.ruleId);
      expect(incidents).toHaveLength(1);
      expect((await deliveries(t, incidents[0]!.id)).map((d) => d.event)).toEqual(['opened']);
    }
  });
});
