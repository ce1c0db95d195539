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
      stepS: null,
      seriesLimited: false,
      series: [
        {
          agentId: agent.agentId,
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
      `agent=${agent.agentId}&metric=cpu.percent,CPU`,
      `agent=${agent.agentId}&metric=${Array.from({ length: 21 }, (_, i) => `m.m${i}`).join(',')}`,
      `agent=${agent.agentId}&metric=cpu.percent&step=0`,
      `agent=${agent.agentId}&metric=cpu.percent&step=1.5`,
      `agent=${agent.agentId}&metric=cpu.percent&step=2592001`,
      `agent=${agent.agentId}&metric=cpu.percent&maxPoints=2001`,
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

describe('GET /api/v1/series/query with several metrics and a step', () => {
  it('answers several metrics in one request, ordered by metric and labels', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now() - 60_000;
    await send(agent, 1, [
      { metric: 'mem.used.bytes', points: [[now, 10]] },
      { metric: 'mem.total.bytes', points: [[now, 100]] },
      { metric: 'fs.used.bytes', labels: { mount: '/' }, points: [[now, 5]] },
      { metric: 'cpu.percent', points: [[now, 1]] },
    ]);
    const res = await t.request(
      'GET',
      `/api/v1/series/query?agent=${agent.agentId}&metric=mem.used.bytes,mem.total.bytes,fs.used.bytes`,
      { token: viewer },
    );
    expect(res.status).toBe(200);
    expect(
      (res.body as { series: { metric: string; labels: object; points: unknown }[] }).series.map((s) => [
        s.metric,
        s.labels,
        s.points,
      ]),
    ).toEqual([
      ['fs.used.bytes', { mount: '/' }, [[now, 5]]],
      ['mem.total.bytes', {}, [[now, 100]]],
      ['mem.used.bytes', {}, [[now, 10]]],
    ]);
  });

  it('averages points into epoch-aligned buckets of `step` seconds, each at its start', async () => {
    const agent = await enrolledAgent(t, operator);
    // Three whole minutes, ten seconds apart, well inside today's retention window.
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const points: [number, number][] = [];
    for (let i = 0; i < 18; i += 1) points.push([minute + i * 10_000, i]);
    await send(agent, 1, [{ metric: 'cpu.percent', points }]);
    const query = new URLSearchParams({
      agent: agent.agentId,
      metric: 'cpu.percent',
      from: iso(minute - 3_600_000),
      to: iso(minute + 3_600_000),
      step: '60',
    });
    const res = await t.request('GET', `/api/v1/series/query?${query.toString()}`, { token: viewer });
    expect(res.status).toBe(200);
    // A minute step reads the 1-minute tier; the rollups have not run here, so raw samples fill it.
    expect(res.body.stepS).toBe(60);
    expect(res.body.tier).toBe('1m');
    // Minute 1: 0..5 → 2.5; minute 2: 6..11 → 8.5; minute 3: 12..17 → 14.5.
    expect(res.body.series[0].points).toEqual([
      [minute, 2.5],
      [minute + 60_000, 8.5],
      [minute + 120_000, 14.5],
    ]);

    // A 30-day range at a 30-minute step is at most 1,440 points, however many samples there are.
    const wide = await t.request(
      'GET',
      `/api/v1/series/query?agent=${agent.agentId}&metric=cpu.percent&from=${iso(minute - 30 * 86_400_000)}&to=${iso(minute + 60_000)}&step=1800`,
      { token: viewer },
    );
    expect(wide.status).toBe(200);
    const bucket = Math.floor(minute / 1_800_000) * 1_800_000;
    const inFirst = points.filter(([ts]) => ts < bucket + 1_800_000 && ts < minute + 60_000);
    expect(wide.body.series[0].points[0]).toEqual([
      bucket,
      inFirst.reduce((sum, [, v]) => sum + v, 0) / inFirst.length,
    ]);
    expect(wide.body.series[0].points.length).toBeLessThanOrEqual(2);
  });
});

describe('GET /api/v1/metrics/latest', () => {
  it('returns the newest values of the asked metrics of several agents, without deleted agents', async () => {
    const [a, b, gone] = [
      await enrolledAgent(t, operator),
      await enrolledAgent(t, operator),
      await enrolledAgent(t, operator),
    ];
    const now = Date.now() - 1000;
    await send(a, 1, [
      {
        metric: 'cpu.percent',
        points: [
          [now - 1000, 10],
          [now, 20],
        ],
      },
      { metric: 'fs.used.bytes', labels: { mount: '/data' }, points: [[now, 7]] },
      { metric: 'fs.used.bytes', labels: { mount: '/' }, points: [[now, 3]] },
      { metric: 'load.1m', points: [[now, 1]] },
    ]);
    await send(b, 1, [{ metric: 'cpu.percent', points: [[now, 55]] }]);
    await send(gone, 1, [{ metric: 'cpu.percent', points: [[now, 99]] }]);
    expect((await t.request('DELETE', `/api/v1/agents/${gone.agentId}`, { token: operator })).status).toBe(
      204,
    );
    const agents = [a.agentId, b.agentId, gone.agentId, randomUUID()].join(',');
    const res = await t.request(
      'GET',
      `/api/v1/metrics/latest?agents=${agents}&metrics=cpu.percent,fs.used.bytes`,
      { token: viewer },
    );
    expect(res.status).toBe(200);
    const byAgent = (id: string) =>
      (res.body as { items: { agentId: string }[] }).items
        .filter((item) => item.agentId === id)
        .map(({ agentId: _, ...rest }) => rest);
    expect(byAgent(a.agentId)).toEqual([
      { metric: 'cpu.percent', labels: {}, ts: iso(now), value: 20 },
      { metric: 'fs.used.bytes', labels: { mount: '/' }, ts: iso(now), value: 3 },
      { metric: 'fs.used.bytes', labels: { mount: '/data' }, ts: iso(now), value: 7 },
    ]);
    expect(byAgent(b.agentId)).toEqual([{ metric: 'cpu.percent', labels: {}, ts: iso(now), value: 55 }]);
    expect(res.body.items).toHaveLength(4);
  });

  it('refuses bad lists with 400 and anonymous callers with 401', async () => {
    const id = randomUUID();
    const many = Array.from({ length: 101 }, () => randomUUID()).join(',');
    for (const query of [
      `agents=${id}`,
      `metrics=cpu.percent`,
      `agents=nope&metrics=cpu.percent`,
      `agents=${id}&metrics=CPU`,
      `agents=${many}&metrics=cpu.percent`,
      `agents=${id}&metrics=cpu.percent&extra=1`,
    ]) {
      const res = await t.request('GET', `/api/v1/metrics/latest?${query}`, { token: viewer });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await t.request('GET', `/api/v1/metrics/latest?agents=${id}&metrics=cpu.percent`)).status).toBe(
      401,
    );
  });
});
