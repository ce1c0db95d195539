// A probe's history: raw results in a time range, uptime and latency percentiles per window, and its state
// changes. Results are inserted straight into probe_results where exact timestamps and latencies matter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { DAY_MS, enrolledAgent, type EnrolledAgent } from '../agents/agent-fixtures';
import { createProbe, insertResults, postResults, probeResult, type ResultRow } from './probe-fixtures';

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let t: TestServer;
let operator: string;
let viewer: string;
let a: EnrolledAgent;
let b: EnrolledAgent;

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
  a = await enrolledAgent(t, operator, { labels: { site: 'berlin' } });
  b = await enrolledAgent(t, operator, { labels: { site: 'berlin' } });
});
afterAll(async () => {
  await t.close();
});

function labelProbe(name: string) {
  return { name, type: 'icmp', labels: { site: 'berlin' }, config: { host: 'h' } };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

describe('GET /api/v1/probes/:id/results', () => {
  it('returns results oldest first, within [from, to), optionally of one agent', async () => {
    const probe = await createProbe(t, operator, labelProbe('results'));
    const other = await createProbe(t, operator, labelProbe('results-other'));
    const now = Math.floor(Date.now() / 1000) * 1000;
    const rows: ResultRow[] = [
      { agentId: a.agentId, ts: now - 10 * MIN_MS, status: 'up', latencyMs: 11, message: 'a4' },
      { agentId: a.agentId, ts: now - 2 * HOUR_MS, status: 'up', latencyMs: 12, message: 'a1' },
      { agentId: b.agentId, ts: now - 40 * MIN_MS, status: 'degraded', latencyMs: 900, message: 'b2' },
      { agentId: a.agentId, ts: now - 50 * MIN_MS, status: 'down', latencyMs: null, message: 'a2' },
      { agentId: a.agentId, ts: now - 30 * MIN_MS, status: 'up', latencyMs: 13, message: 'a3' },
    ];
    await insertResults(t, probe.id, rows);
    await insertResults(t, other.id, [
      { agentId: a.agentId, ts: now - 20 * MIN_MS, status: 'up', latencyMs: 1 },
    ]);
    const messages = (body: unknown) =>
      (body as { items: { message: string }[] }).items.map((i) => i.message);

    // By default the last hour.
    const recent = await t.request('GET', `/api/v1/probes/${probe.id}/results`, { token: viewer });
    expect(recent.status).toBe(200);
    expect(messages(recent.body)).toEqual(['a2', 'b2', 'a3', 'a4']);
    expect(recent.body.items[1]).toEqual({
      agentId: b.agentId,
      ts: iso(now - 40 * MIN_MS),
      status: 'degraded',
      latencyMs: 900,
      message: 'b2',
      details: null,
    });

    // `from` is inclusive, `to` exclusive.
    const range = await t.request(
      'GET',
      `/api/v1/probes/${probe.id}/results?from=${iso(now - 2 * HOUR_MS)}&to=${iso(now - 30 * MIN_MS)}`,
      { token: viewer },
    );
    expect(range.status).toBe(200);
    expect(messages(range.body)).toEqual(['a1', 'a2', 'b2']);

    const ofA = await t.request(
      'GET',
      `/api/v1/probes/${probe.id}/results?from=${iso(now - 3 * HOUR_MS)}&agentId=${a.agentId}`,
      { token: viewer },
    );
    expect(messages(ofA.body)).toEqual(['a1', 'a2', 'a3', 'a4']);
    const ofB = await t.request(
      'GET',
      `/api/v1/probes/${probe.id}/results?from=${iso(now - 3 * HOUR_MS)}&agentId=${b.agentId}`,
      { token: viewer },
    );
    expect(messages(ofB.body)).toEqual(['b2']);

    const limited = await t.request(
      'GET',
      `/api/v1/probes/${probe.id}/results?from=${iso(now - 3 * HOUR_MS)}&limit=2`,
      { token: viewer },
    );
    expect(messages(limited.body)).toEqual(['a1', 'a2']);

    expect(
      (await t.request('GET', `/api/v1/probes/${probe.id}/results?from=yesterday`, { token: viewer })).status,
    ).toBe(400);
    expect(
      (await t.request('GET', `/api/v1/probes/${probe.id}/results?agentId=x`, { token: viewer })).status,
    ).toBe(400);
  });

  it('returns the results stored by ingest', async () => {
    const probe = await createProbe(t, operator, labelProbe('ingested'));
    const ts = Math.floor(Date.now() / 1000) * 1000 - 5000;
    await postResults(t, a.credential, 1, [
      { ...probeResult(probe.id, 'up', ts, 3.5, '3 of 3 replies'), details: { loss: 0 } },
    ]);
    const res = await t.request('GET', `/api/v1/probes/${probe.id}/results`, { token: viewer });
    expect(res.body.items).toEqual([
      {
        agentId: a.agentId,
        ts: iso(ts),
        status: 'up',
        latencyMs: 3.5,
        message: '3 of 3 replies',
        details: { loss: 0 },
      },
    ]);
  });
});

describe('GET /api/v1/probes/:id/uptime', () => {
  it('computes uptime % and latency p50/p95/p99 per window from the stored results', async () => {
    const probe = await createProbe(t, operator, labelProbe('uptime'));
    const other = await createProbe(t, operator, labelProbe('uptime-other'));
    const now = Date.now();
    const rows: ResultRow[] = [];
    // Last 24 h: latencies 10..100 (the 100 one degraded, which counts as up) and two downs, whose latency
    // must not count in the percentiles.
    for (let i = 1; i <= 10; i++) {
      rows.push({
        agentId: a.agentId,
        ts: now - i * MIN_MS,
        status: i === 10 ? 'degraded' : 'up',
        latencyMs: i * 10,
      });
    }
    rows.push({ agentId: a.agentId, ts: now - 30 * MIN_MS, status: 'down', latencyMs: 5000 });
    rows.push({ agentId: b.agentId, ts: now - 23 * HOUR_MS, status: 'down', latencyMs: null });
    // Three days ago: ten ups at 1000 ms and a down; in the 7d and 30d windows only.
    for (let i = 0; i < 10; i++) {
      rows.push({ agentId: a.agentId, ts: now - 3 * DAY_MS - i * MIN_MS, status: 'up', latencyMs: 1000 });
    }
    rows.push({ agentId: b.agentId, ts: now - 3 * DAY_MS, status: 'down', latencyMs: null });
    // Twenty days ago: five downs; in the 30d window only.
    for (let i = 0; i < 5; i++) {
      rows.push({ agentId: a.agentId, ts: now - 20 * DAY_MS - i * MIN_MS, status: 'down', latencyMs: null });
    }
    // Forty days ago: in no window.
    for (let i = 0; i < 3; i++) {
      rows.push({ agentId: a.agentId, ts: now - 40 * DAY_MS - i * MIN_MS, status: 'up', latencyMs: 1 });
    }
    await insertResults(t, probe.id, rows);
    await insertResults(t, other.id, [
      { agentId: a.agentId, ts: now - HOUR_MS, status: 'down', latencyMs: 1 },
    ]);

    const res = await t.request('GET', `/api/v1/probes/${probe.id}/uptime`, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body.probeId).toBe(probe.id);
    const { '24h': day, '7d': week, '30d': month } = res.body.windows;

    expect(day).toMatchObject({ checks: 12, upChecks: 10, uptimePercent: 83.333 });
    expect(day.latencyP50Ms).toBeCloseTo(55, 9);
    expect(day.latencyP95Ms).toBeCloseTo(95.5, 9);
    expect(day.latencyP99Ms).toBeCloseTo(99.1, 9);

    expect(week).toMatchObject({ checks: 23, upChecks: 20, uptimePercent: 86.957 });
    expect(week.latencyP50Ms).toBeCloseTo(550, 9);
    expect(week.latencyP95Ms).toBeCloseTo(1000, 9);
    expect(week.latencyP99Ms).toBeCloseTo(1000, 9);

    // 30 days is past raw retention (14): counted through the rollup tiers (which have not run here, so raw
    // results answer for the whole range; the counts are exact), with p95 the check-weighted mean of daily p95s.
    expect(month).toMatchObject({ checks: 28, upChecks: 20, uptimePercent: 71.429 });
    expect(month.latencyP50Ms).toBeNull();
    expect(month.latencyP99Ms).toBeNull();
    expect(month.latencyP95Ms).toBeGreaterThan(day.latencyP95Ms as number);
    expect(month.latencyP95Ms).toBeLessThanOrEqual(1000);
  });

  it('reports empty windows for a probe without results', async () => {
    const probe = await createProbe(t, operator, labelProbe('uptime-empty'));
    const res = await t.request('GET', `/api/v1/probes/${probe.id}/uptime`, { token: viewer });
    expect(res.status).toBe(200);
    const empty = {
      checks: 0,
      upChecks: 0,
      uptimePercent: null,
      latencyP50Ms: null,
      latencyP95Ms: null,
      latencyP99Ms: null,
    };
    expect(res.body).toEqual({ probeId: probe.id, windows: { '24h': empty, '7d': empty, '30d': empty } });
  });

  it('reports 0 % for a probe that was only down', async () => {
    const probe = await createProbe(t, operator, labelProbe('uptime-down'));
    await insertResults(t, probe.id, [
      { agentId: a.agentId, ts: Date.now() - MIN_MS, status: 'down', latencyMs: 7 },
    ]);
    const res = await t.request('GET', `/api/v1/probes/${probe.id}/uptime`, { token: viewer });
    expect(res.body.windows['24h']).toEqual({
      checks: 1,
      upChecks: 0,
      uptimePercent: 0,
      latencyP50Ms: null,
      latencyP95Ms: null,
      latencyP99Ms: null,
    });
  });
});

describe('GET /api/v1/probes/:id/events', () => {
  it('lists state changes newest first', async () => {
    const probe = await createProbe(t, operator, {
      name: 'events',
      type: 'tcp',
      agentId: a.agentId,
      config: { host: 'h', port: 5432 },
    });
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    await postResults(t, a.credential, 2, [
      probeResult(probe.id, 'up', t0, 5, 'connected'),
      probeResult(probe.id, 'down', t0 + 1000, null, 'ECONNREFUSED'),
      probeResult(probe.id, 'down', t0 + 2000, null, 'ECONNREFUSED again'),
    ]);
    await postResults(t, a.credential, 3, [
      probeResult(probe.id, 'up', t0 + 3000, 6, 'connected again'),
      probeResult(probe.id, 'degraded', t0 + 4000, 3000, 'slow'),
    ]);

    const res = await t.request('GET', `/api/v1/probes/${probe.id}/events`, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: expect.any(Number),
        agentId: a.agentId,
        from: 'up',
        to: 'degraded',
        message: 'slow',
        occurredAt: iso(t0 + 4000),
      },
      {
        id: expect.any(Number),
        agentId: a.agentId,
        from: 'down',
        to: 'up',
        message: 'connected again',
        occurredAt: iso(t0 + 3000),
      },
      {
        id: expect.any(Number),
        agentId: a.agentId,
        from: 'up',
        to: 'down',
        message: 'ECONNREFUSED',
        occurredAt: iso(t0 + 1000),
      },
      {
        id: expect.any(Number),
        agentId: a.agentId,
        from: 'pending',
        to: 'up',
        message: 'connected',
        occurredAt: iso(t0),
      },
    ]);
    const limited = await t.request('GET', `/api/v1/probes/${probe.id}/events?limit=2`, { token: viewer });
    expect((limited.body as { items: { to: string }[] }).items.map((e) => e.to)).toEqual(['degraded', 'up']);
    expect(
      (await t.request('GET', `/api/v1/probes/${probe.id}/events?limit=0`, { token: viewer })).status,
    ).toBe(400);
  });
});

describe('history of unknown probes', () => {
  it('answers 404 for an unknown probe, and for results and uptime of a deleted one', async () => {
    for (const path of ['results', 'uptime', 'events']) {
      const res = await t.request('GET', `/api/v1/probes/${UNKNOWN}/${path}`, { token: viewer });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    const probe = await createProbe(t, operator, labelProbe('deleted'));
    await t.request('DELETE', `/api/v1/probes/${probe.id}`, { token: operator });
    for (const path of ['results', 'uptime']) {
      expect(
        (await t.request('GET', `/api/v1/probes/${probe.id}/${path}`, { token: viewer })).status,
        path,
      ).toBe(404);
    }
  });
});
