// How the API lists incidents for people: each with its target (what it is about, by current name, and
// the host it is on) and the assignee's name, searchable by text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { batch, enrolledAgent, postIngest } from '../agents/agent-fixtures';
import { createProbe, exampleHttpProbe, postResults, probeResult } from '../probes/probe-fixtures';
import { createRule, evaluate, incidentsOf } from './alert-fixtures';
import { parseSubject } from './service';

let t: TestServer;
let operator: { id: string; token: string };
let viewer: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = await t.userWithRole('operator');
  viewer = (await t.userWithRole('viewer')).token;
});
afterAll(async () => {
  await t.close();
});

interface View {
  id: string;
  title: string;
  assigneeId: string | null;
  assigneeName: string | null;
  target: { kind: string; id: string; name: string | null; agentId: string | null; agentName: string | null };
}

describe('incident targets and search', () => {
  it('names the probe, agent and metric series an incident is about, and the assignee', async () => {
    const agent = await enrolledAgent(t, operator.token, { labels: { view: 'yes' } });
    const agentRow = await t.db.query<{ name: string }>('SELECT name FROM agents WHERE id = $1', [
      agent.agentId,
    ]);
    const agentName = agentRow.rows[0]!.name;
    const probe = await createProbe(
      t,
      operator.token,
      exampleHttpProbe({ agentId: agent.agentId }, { name: 'shop front', retries: 0 }),
    );
    const probeRule = await createRule(t, operator.token, {
      name: 'shop down',
      kind: 'probe_down',
      probeId: probe.id,
    });
    const offlineRule = await createRule(t, operator.token, {
      name: 'box gone',
      kind: 'agent_offline',
      agentId: agent.agentId,
    });
    const diskRule = await createRule(t, operator.token, {
      name: 'disk full',
      kind: 'metric_threshold',
      metric: 'fs.used.bytes',
      op: '>',
      value: 100,
      agentId: agent.agentId,
    });
    expect(
      (await postResults(t, agent.credential, 1, [probeResult(probe.id, 'down', Date.now())])).status,
    ).toBe(200);
    const series = batch(2, [
      { metric: 'fs.used.bytes', labels: { mount: '/' }, points: [[Date.now(), 500]] },
    ]);
    expect((await postIngest(t, agent.credential, series)).status).toBe(200);
    await t.db.query(`UPDATE agents SET status = 'offline' WHERE id = $1`, [agent.agentId]);
    await evaluate(t);

    const idOf = async (ruleId: string) => (await incidentsOf(t, ruleId))[0]!.id;
    const get = async (id: string) =>
      (await t.request<View>('GET', `/api/v1/incidents/${id}`, { token: viewer })).body;

    const probeIncident = await get(await idOf(probeRule.id));
    expect(probeIncident.target).toEqual({
      kind: 'probe',
      id: probe.id,
      name: 'shop front',
      agentId: null,
      agentName: null,
    });
    expect((await get(await idOf(offlineRule.id))).target).toEqual({
      kind: 'agent',
      id: agent.agentId,
      name: agentName,
      agentId: agent.agentId,
      agentName,
    });
    const disk = await get(await idOf(diskRule.id));
    expect(disk.target).toMatchObject({
      kind: 'series',
      name: 'fs.used.bytes{mount=/}',
      agentId: agent.agentId,
      agentName,
    });

    const assigned = await t.request<View>('POST', `/api/v1/incidents/${probeIncident.id}/assign`, {
      token: operator.token,
      body: { userId: operator.id },
    });
    expect(assigned.body).toMatchObject({ assigneeId: operator.id, assigneeName: expect.any(String) });
    const listed = await t.request<{ items: View[] }>('GET', `/api/v1/incidents?ruleId=${probeRule.id}`, {
      token: viewer,
    });
    expect(listed.body.items).toMatchObject([
      { id: probeIncident.id, assigneeName: assigned.body.assigneeName, target: { name: 'shop front' } },
    ]);
  });

  it('finds incidents by text in the title, the summary or the rule name, wildcards taken literally', async () => {
    const agent = await enrolledAgent(t, operator.token);
    const probe = await createProbe(
      t,
      operator.token,
      exampleHttpProbe({ agentId: agent.agentId }, { name: 'billing_api', retries: 0 }),
    );
    await createRule(t, operator.token, { name: 'Payments outage', kind: 'probe_down', probeId: probe.id });
    expect(
      (await postResults(t, agent.credential, 1, [probeResult(probe.id, 'down', Date.now())])).status,
    ).toBe(200);
    await evaluate(t);
    const search = async (q: string) =>
      (
        await t.request<{ items: View[]; total: number }>(
          'GET',
          `/api/v1/incidents?q=${encodeURIComponent(q)}`,
          { token: viewer },
        )
      ).body;
    expect((await search('billing_api')).items.map((i) => i.title)).toEqual(['billing_api is down']);
    expect((await search('PAYMENTS')).total).toBe(1);
    expect((await search('billing%')).total).toBe(0);
    expect((await search('no such incident')).total).toBe(0);
  });

  it('reads subjects of every kind and refuses malformed ones', () => {
    const id = '0b9d6f1e-6c1a-4a7e-9a55-3f1c2d4e5f60';
    expect(parseSubject(`tls:${id}`)).toEqual({ kind: 'probe', id });
    expect(parseSubject(`container:${id}`)).toEqual({ kind: 'container', id });
    expect(parseSubject('series:42')).toEqual({ kind: 'series', id: '42' });
    expect(parseSubject('series:abc')).toBeUndefined();
    expect(parseSubject('probe:not-a-uuid')).toBeUndefined();
    expect(parseSubject('disk:/dev/sda')).toBeUndefined();
    expect(parseSubject('nothing')).toBeUndefined();
  });
});
