// Which agent runs which probe: its configuration pull lists the probes assigned to it directly or by a
// label selector its labels contain; paused, deleted and not-yet-approved cases get nothing; and a changed
// probe changes the configuration's ETag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { agentGet, enrolledAgent, type EnrolledAgent } from '../agents/agent-fixtures';
import { agentProbeIds, agentProbes, createProbe, exampleHttpProbe } from './probe-fixtures';

let t: TestServer;
let operator: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
});
afterAll(async () => {
  await t.close();
});

/** A site label no other test uses, so label probes of other tests do not match. */
function site(): string {
  return `s${Math.random().toString(36).slice(2, 10)}`;
}

function tcpProbe(placement: Record<string, unknown>, name = 'tcp') {
  return { name, type: 'tcp', intervalS: 30, timeoutMs: 2000, ...placement, config: { host: 'h', port: 22 } };
}

describe('probes in the agent configuration', () => {
  it('gives a probe with agentId to that agent only, complete with defaults', async () => {
    const a = await enrolledAgent(t, operator);
    const b = await enrolledAgent(t, operator);
    const probe = await createProbe(t, operator, exampleHttpProbe({ agentId: a.agentId }));
    expect(await agentProbes(t, a.credential)).toEqual([
      {
        id: probe.id,
        name: 'intranet',
        intervalS: 30,
        timeoutMs: 5000,
        type: 'http',
        config: {
          url: 'https://intranet.example',
          method: 'GET',
          headers: {},
          expectStatus: '200-299',
          keyword: 'OK',
          followRedirects: true,
          ignoreTlsErrors: false,
        },
      },
    ]);
    expect(await agentProbes(t, b.credential)).toEqual([]);
  });

  it('gives a label-selector probe to every agent whose labels contain the selector', async () => {
    const s = site();
    const web = await enrolledAgent(t, operator, { labels: { site: s, role: 'web' } });
    const db = await enrolledAgent(t, operator, { labels: { site: s, role: 'db' } });
    const elsewhere = await enrolledAgent(t, operator, { labels: { site: `${s}x`, role: 'web' } });
    const unlabelled = await enrolledAgent(t, operator);

    const siteProbe = await createProbe(t, operator, tcpProbe({ labels: { site: s } }, 'site'));
    const webProbe = await createProbe(t, operator, tcpProbe({ labels: { site: s, role: 'web' } }, 'web'));
    const direct = await createProbe(t, operator, tcpProbe({ agentId: db.agentId }, 'direct'));

    expect(await agentProbeIds(t, web.credential)).toEqual([siteProbe.id, webProbe.id].sort());
    expect(await agentProbeIds(t, db.credential)).toEqual([siteProbe.id, direct.id].sort());
    expect(await agentProbeIds(t, elsewhere.credential)).toEqual([]);
    expect(await agentProbeIds(t, unlabelled.credential)).toEqual([]);
  });

  it('drops paused and deleted probes, and brings a resumed one back', async () => {
    const s = site();
    const agent = await enrolledAgent(t, operator, { labels: { site: s } });
    const direct = await createProbe(t, operator, tcpProbe({ agentId: agent.agentId }, 'direct'));
    const byLabel = await createProbe(t, operator, tcpProbe({ labels: { site: s } }, 'label'));
    const pausedFromStart = await createProbe(
      t,
      operator,
      tcpProbe({ agentId: agent.agentId, paused: true }),
    );
    expect(pausedFromStart.state).toBe('paused');
    expect(await agentProbeIds(t, agent.credential)).toEqual([direct.id, byLabel.id].sort());

    await t.request('PATCH', `/api/v1/probes/${direct.id}`, { token: operator, body: { paused: true } });
    expect(await agentProbeIds(t, agent.credential)).toEqual([byLabel.id]);
    expect((await t.request('DELETE', `/api/v1/probes/${byLabel.id}`, { token: operator })).status).toBe(204);
    expect(await agentProbeIds(t, agent.credential)).toEqual([]);
    await t.request('PATCH', `/api/v1/probes/${direct.id}`, { token: operator, body: { paused: false } });
    expect(await agentProbeIds(t, agent.credential)).toEqual([direct.id]);
  });

  it('gives a pending agent no probes until it is approved', async () => {
    const s = site();
    const pending = await enrolledAgent(t, operator, { labels: { site: s }, requiresApproval: true });
    expect(pending.status).toBe('pending');
    const byLabel = await createProbe(t, operator, tcpProbe({ labels: { site: s } }));
    const direct = await createProbe(t, operator, tcpProbe({ agentId: pending.agentId }));
    const config = await agentGet(t, pending.credential, '/api/v1/agents/self/config');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ status: 'pending', probes: [] });

    const approved = await t.request('PATCH', `/api/v1/agents/${pending.agentId}`, {
      token: operator,
      body: { approved: true },
    });
    expect(approved.status).toBe(200);
    expect(await agentProbeIds(t, pending.credential)).toEqual([byLabel.id, direct.id].sort());
  });

  it('moves a probe from one agent to another, or to a selector', async () => {
    const s = site();
    const a = await enrolledAgent(t, operator);
    const b = await enrolledAgent(t, operator, { labels: { site: s } });
    const probe = await createProbe(t, operator, tcpProbe({ agentId: a.agentId }));
    await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator,
      body: { labels: { site: s } },
    });
    expect(await agentProbeIds(t, a.credential)).toEqual([]);
    expect(await agentProbeIds(t, b.credential)).toEqual([probe.id]);
    await t.request('PATCH', `/api/v1/probes/${probe.id}`, { token: operator, body: { agentId: a.agentId } });
    expect(await agentProbeIds(t, a.credential)).toEqual([probe.id]);
    expect(await agentProbeIds(t, b.credential)).toEqual([]);
  });
});

describe('configuration ETag', () => {
  async function pull(agent: EnrolledAgent, etag?: string) {
    return agentGet(
      t,
      agent.credential,
      '/api/v1/agents/self/config',
      etag === undefined ? undefined : { 'if-none-match': etag },
    );
  }

  it('changes when a probe of the agent changes, and only then', async () => {
    const s = site();
    const agent = await enrolledAgent(t, operator, { labels: { site: s } });
    const probe = await createProbe(t, operator, exampleHttpProbe({ agentId: agent.agentId }));
    const first = await pull(agent);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect((await pull(agent, etag)).status).toBe(304);

    // A probe of another agent or selector does not touch this agent's configuration.
    const stranger = await enrolledAgent(t, operator);
    await createProbe(t, operator, tcpProbe({ agentId: stranger.agentId }));
    await createProbe(t, operator, tcpProbe({ labels: { site: `${s}-other` } }));
    expect((await pull(agent, etag)).status).toBe(304);

    const patched = await t.request('PATCH', `/api/v1/probes/${probe.id}`, {
      token: operator,
      body: { config: { url: 'https://intranet.example/v2' } },
    });
    expect(patched.status).toBe(200);
    const changed = await pull(agent, etag);
    expect(changed.status).toBe(200);
    const etag2 = changed.headers.get('etag')!;
    expect(etag2).not.toBe(etag);
    expect(changed.body.probes[0].config.url).toBe('https://intranet.example/v2');
    expect((await pull(agent, etag2)).status).toBe(304);

    // A new probe by selector, a change of interval, and a deletion each reach the agent.
    const byLabel = await createProbe(t, operator, tcpProbe({ labels: { site: s } }));
    const etag3 = (await pull(agent, etag2)).headers.get('etag')!;
    expect(etag3).not.toBe(etag2);
    await t.request('PATCH', `/api/v1/probes/${byLabel.id}`, { token: operator, body: { intervalS: 45 } });
    const withInterval = await pull(agent, etag3);
    expect(withInterval.status).toBe(200);
    const probes = (withInterval.body as { probes: { id: string; intervalS: number }[] }).probes;
    expect(probes.find((p) => p.id === byLabel.id)?.intervalS).toBe(45);
    const etag4 = withInterval.headers.get('etag')!;
    await t.request('DELETE', `/api/v1/probes/${byLabel.id}`, { token: operator });
    const afterDelete = await pull(agent, etag4);
    expect(afterDelete.status).toBe(200);
    expect(afterDelete.headers.get('etag')).toBe(etag2);
  });
});
