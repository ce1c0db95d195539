// Reading the time-series store: the newest value per series of an agent, and raw points of a range.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { batch, enrolledAgent, postIngest, type EnrolledAgent } from '../agents/agent-fixtures';

let t: TestServer;
let operator: string;
let viewer: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
});
afterAll(async () => {
  await t.close();
});

const iso = (ms: number) => new Date(ms).toISOString();

async function send(agent: EnrolledAgent, seq: number, series: Parameters<typeof batch>[1]) {
  const res = await postIngest(t, agent.credential, batch(seq, series));
  expect(res.status).toBe(200);
  expect(res.body.duplicate).toBe(false);
}

describe('GET /api/v1/agents/:id/metrics/latest', () => {
  it('returns the newest value of each series, even when older points arrive later', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    await send(agent, 1, [
      {
        metric: 'cpu.percent',
        points: [
          [now - 1000, 1],
          [now, 2],
          [now - 2000, 3],
        ],
      },
      { metric: 'net.rx.bytes_per_s', labels: { iface: 'eth0' }, points: [[now - 1000, 100]] },
    ]);
    await send(agent, 2, [
      { metric: 'cpu.percent', points: [[now - 5000, 9]] },
      { metric: 'net.rx.bytes_per_s', labels: { iface: 'eth0' }, points: [[now, 200]] },
      { metric: 'net.rx.bytes_per_s', labels: { iface: 'lo' }, points: [[now - 10, 5]] },
    ]);
    const res = await t.request('GET', `/api/v1/agents/${agent.agentId}/metrics/latest`, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      agentId: agent.agentId,
      items: [
        { metric: 'cpu.percent', labels: {}, ts: iso(now), value: 2 },
        { metric: 'net.rx.bytes_per_s', labels: { iface: 'eth0' }, ts: iso(now), value: 200 },
        { metric: 'net.rx.bytes_per_s', labels: { iface: 'lo' }, ts: iso(now - 10), value: 5 },
      ],
    });

    // A replay of an old batch changes nothing either.
    await postIngest(t, agent.credential, batch(1, [{ metric: 'cpu.percent', points: [[now + 10, 77]] }]));
    const again = await t.request('GET', `/api/v1/agents/${agent.agentId}/metrics/latest`, { token: viewer });
    expect(again.body.items[0]).toEqual({ metric: 'cpu.percent', labels: {}, ts: iso(now), value: 2 });
  });

  it('leaves out series whose points were all rejected and is empty for an agent without data', async () => {
    const agent = await enrolledAgent(t, operator);
    const empty = await t.request('GET', `/api/v1/agents/${agent.agentId}/metrics/latest`, { token: viewer });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ agentId: agent.agentId, items: [] });
    await send(agent, 1, [{ metric: 'cpu.percent', points: [[1000, 1]] }]);
    const still = await t.request('GET', `/api/v1/agents/${agent.agentId}/metrics/latest`, { token: viewer });
    expect(still.body.items).toEqual([]);
  });

  it('answers 404 for unknown and deleted agents, 400 for a malformed id, 401 without a user', async () => {
    expect(
      (await t.request('GET', `/api/v1/agents/${randomUUID()}/metrics/latest`, { token: viewer })).status,
    ).toBe(404);
    const agent = await enrolledAgent(t, operator);
    await send(agent, 1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]);
    expect((await t.request('DELETE', `/api/v1/agents/${agent.agentId}`, { token: operator })).status).toBe(
      204,
    );
    const deleted = await t.request('GET', `/api/v1/agents/${agent.agentId}/metrics/latest`, {
      token: viewer,
    });
    expect(deleted.status).toBe(404);
    expect((await t.request('GET', '/api/v1/agents/nope/metrics/latest', { token: viewer })).status).toBe(
      400,
    );

    const other = await enrolledAgent(t, operator);
    const path = `/api/v1/agents/${other.agentId}/metrics/latest`;
    expect((await t.request('GET', path)).status).toBe(401);
    expect((await t.request('GET', path, { token: other.credential })).status).toBe(401);
  });
});

describe('GET /api/v1/series/query', () => {
  async function seeded() {
    const agent = await enrolledAgent(t, operator);
    const base = Date.now() - 30 * 60_000;
    // Sent out of order over two batches.
    await send(agent, 1, [
      {
        metric: 'net.rx.bytes_per_s',
        labels: { iface: 'eth0' },
        points: [
          [base + 3000, 3],
          [base + 1000, 1],
        ],
      },
      { metric: 'net.rx.bytes_per_s', labels: { iface: 'lo' }, points: [[base + 1000, 100]] },
      { metric: 'cpu.percent', points: [[base + 1000, 50]] },
    ]);
    await send(agent, 2, [
      {
        metric: 'net.rx.bytes_per_s',
        labels: { iface: 'eth0' },
        points: [
          [base + 2000, 2],
          [base + 4000, 4],
          [base, 0],
        ],
      },
    ]);
    return { agent, base };
  }

  it('returns the points of the matching series in time order, within [from, to)', async () => {
    const { agent, base } = await seeded();
    const query = new URLSearchParams({
      agent: agent.agentId,
      metric: 'net.rx.bytes_per_s',
      from: iso(base + 1000),
      to: iso(base + 4000),
      label: 'iface=eth0',
    });
    const res = await t.request('GET', `/api/v1/series/query?${query.toString()}`, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      from: iso(base + 1000),
      to: iso(base + 4000),
      tier: 'raw',
      series: [
        {
          metric: 'net.rx.bytes_per_s',
          labels: { iface: 'eth0' },
          points: [
            [base + 1000, 1],
            [base + 2000, 2],
            [base + 3000, 3],
          ],
          truncated: false,
        },
      ],
    });
  });

  it('returns every matching series without a label filter, and the last hour by default', async () => {
    const { agent, base } = await seeded();
    const res = await t.request(
      'GET',
      `/api/v1/series/query?agent=${agent.agentId}&metric=net.rx.bytes_per_s`,
      { token: viewer },
    );
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.to as string) - Date.parse(res.body.from as string)).toBe(3_600_000);
    expect((res.body as { series: { labels: unknown }[] }).series.map((s) => s.labels)).toEqual([
      { iface: 'eth0' },
      { iface: 'lo' },
    ]);
    expect(res.body.series[0].points).toEqual([
      [base, 0],
      [base + 1000, 1],
      [base + 2000, 2],
      [base + 3000, 3],
      [base + 4000, 4],
    ]);
    expect(res.body.series[1].points).toEqual([[base + 1000, 100]]);

    const none = await t.request(
      'GET',
      `/api/v1/series/query?agent=${agent.agentId}&metric=net.rx.bytes_per_s&label=iface=wlan0`,
      { token: viewer },
    );
    expect(none.body.series).toEqual([]);
    const otherAgent = await t.request(
      'GET',
      `/api/v1/series/query?agent=${randomUUID()}&metric=net.rx.bytes_per_s`,
      { token: viewer },
    );
    expect(otherAgent.status).toBe(200);
    expect(otherAgent.body.series).toEqual([]);
  });

  it('refuses bad queries with 400', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    for (const query of [
      `agent=${agent.agentId}&metric=CPU`,
      `agent=${agent.agentId}&metric=cpu`,
      `agent=${agent.agentId}`,
      `metric=cpu.percent`,
      `agent=not-a-uuid&metric=cpu.percent`,
      `agent=${agent.agentId}&metric=cpu.percent&from=${iso(now)}&to=${iso(now - 1000)}`,
      `agent=${agent.agentId}&metric=cpu.percent&from=yesterday`,
      `agent=${agent.agentId}&metric=cpu.percent&label=iface`,
      `agent=${agent.agentId}&metric=cpu.percent&extra=1`,
    ]) {
      const res = await t.request('GET', `/api/v1/series/query?${query}`, { token: viewer });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const unauthenticated = await t.request(
      'GET',
      `/api/v1/series/query?agent=${agent.agentId}&metric=cpu.percent`,
    );
    expect(unauthenticated.status).toBe(401);
  });
});
