// History through the API: the series query reads the tier that fits and merges the newest raw samples into
// its buckets; agents are selected by labels; probe history and its rollups agree with the raw results; both
// export CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { createToken, DAY_MS, enrollWith } from '../agents/agent-fixtures';
import { dayStart } from '../ingest/partitions';
import { createProbe, exampleHttpProbe, insertResults } from '../probes/probe-fixtures';
import { uptime } from '../probes/service';
import { ROLLUP_DELAY_MS, runRollups } from './rollup';

const MINUTE = 60_000;
const HOUR = 3_600_000;

let t: TestServer;
let admin: string;
let viewer: string;
let agentA: string;
let agentB: string;
let probe: { id: string };
/** A whole hour well past, so every bucket of the tests is closed. */
const base = Math.floor((Date.now() - 3 * DAY_MS) / HOUR) * HOUR;

async function agentWithLabels(hostname: string, labels: Record<string, string>): Promise<string> {
  const token = await createToken(t, admin, { labels });
  const enrolled = await enrollWith(t, token.token, hostname);
  if (enrolled.status !== 201) throw new Error(`enrolment failed: ${JSON.stringify(enrolled.body)}`);
  return enrolled.body.agentId as string;
}

async function seriesOf(agentId: string, metric: string): Promise<number> {
  const result = await t.db.query<{ id: string }>(
    `INSERT INTO series (agent_id, metric, labels) VALUES ($1, $2, '{}') RETURNING id`,
    [agentId, metric],
  );
  return Number(result.rows[0]!.id);
}

async function insertSamples(seriesId: number, points: [number, number][]): Promise<void> {
  await t.server.partitions.ensureDays(points.map(([ts]) => dayStart(ts)));
  await t.db.query(
    `INSERT INTO samples (series_id, ts, value)
     SELECT $1, to_timestamp(ts / 1000.0), v FROM unnest($2::float8[], $3::float8[]) AS u(ts, v)`,
    [seriesId, points.map((p) => p[0]), points.map((p) => p[1])],
  );
}

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.tokenFor();
  viewer = (await t.userWithRole('viewer')).token;
  agentA = await agentWithLabels('history-a', { env: 'prod', site: 'berlin' });
  agentB = await agentWithLabels('history-b', { env: 'test' });
  // Agent A: one sample a minute (value = minute index) for 3 hours; agent B the same plus 100.
  const a = await seriesOf(agentA, 'cpu.percent');
  const b = await seriesOf(agentB, 'cpu.percent');
  const minutes = Array.from({ length: 180 }, (_, i) => i);
  await insertSamples(
    a,
    minutes.map((i) => [base + i * MINUTE + 10_000, i]),
  );
  await insertSamples(
    b,
    minutes.map((i) => [base + i * MINUTE + 10_000, i + 100]),
  );
  probe = await createProbe(t, admin, exampleHttpProbe({ agentId: agentA }, { name: 'history probe' }));
  // Two checks a minute for 3 hours: every tenth minute one of them is down; latencies 10..(per minute).
  const rows = [];
  for (let i = 0; i < 180; i += 1) {
    rows.push({
      agentId: agentA,
      ts: base + i * MINUTE + 1_000,
      status: 'up' as const,
      latencyMs: 10 + (i % 60),
    });
    rows.push({
      agentId: agentA,
      ts: base + i * MINUTE + 31_000,
      status: i % 10 === 0 ? ('down' as const) : ('degraded' as const),
      latencyMs: i % 10 === 0 ? null : 100,
    });
  }
  await insertResults(t, probe.id, rows);
  // Roll up the first two hours only: the third is still raw, as the newest data always is.
  await runRollups(t.server.pool, { now: new Date(base + 2 * HOUR + ROLLUP_DELAY_MS), budgetMs: Infinity });
}, 120_000);
afterAll(async () => {
  await t.close();
});

const query = (params: Record<string, string | number>, headers?: Record<string, string>) =>
  t.request(
    'GET',
    `/api/v1/series/query?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()}`,
    { token: viewer, ...(headers ? { headers } : {}) },
  );

describe('GET /api/v1/series/query across tiers', () => {
  it('answers an hourly step from the 1-hour tier, and the hour not rolled up yet from raw samples', async () => {
    const res = await query({
      agent: agentA,
      metric: 'cpu.percent',
      from: new Date(base).toISOString(),
      to: new Date(base + 3 * HOUR).toISOString(),
      step: 3600,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tier: '1h', stepS: 3600 });
    // Averages of minutes 0–59, 60–119 and (raw) 120–179.
    expect(res.body.series[0].points).toEqual([
      [base, 29.5],
      [base + HOUR, 89.5],
      [base + 2 * HOUR, 149.5],
    ]);
    const max = await query({
      agent: agentA,
      metric: 'cpu.percent',
      from: new Date(base).toISOString(),
      to: new Date(base + 3 * HOUR).toISOString(),
      step: 7200,
      agg: 'max',
    });
    expect(max.body).toMatchObject({ tier: '1h', stepS: 7200 });
    // The last two-hour bucket holds the raw hour (and, by the epoch alignment, maybe a rolled-up one).
    const twoHourBase = Math.floor(base / (2 * HOUR)) * 2 * HOUR;
    expect((max.body.series[0].points as [number, number][]).at(-1)).toEqual([twoHourBase + 2 * HOUR, 179]);
  });

  it('answers minutes from the 1-minute tier, the last count of each, and a step raised to whole minutes', async () => {
    const res = await query({
      agent: agentA,
      metric: 'cpu.percent',
      from: new Date(base + 110 * MINUTE).toISOString(),
      to: new Date(base + 130 * MINUTE).toISOString(),
      step: 90,
      agg: 'count',
    });
    expect(res.body).toMatchObject({ tier: '1m', stepS: 120 });
    expect(res.body.series[0].points).toEqual(
      Array.from({ length: 10 }, (_, i) => [base + (110 + 2 * i) * MINUTE, 2]),
    );
  });

  it('reads raw samples for a short range without a step, as before', async () => {
    const res = await query({
      agent: agentA,
      metric: 'cpu.percent',
      from: new Date(base).toISOString(),
      to: new Date(base + 5 * MINUTE).toISOString(),
    });
    expect(res.body).toMatchObject({ tier: 'raw', stepS: null });
    expect(res.body.series[0].points).toEqual([0, 1, 2, 3, 4].map((i) => [base + i * MINUTE + 10_000, i]));
  });

  it('selects agents by their labels', async () => {
    const res = await query({
      agentLabel: 'env=prod',
      metric: 'cpu.percent',
      from: new Date(base).toISOString(),
      to: new Date(base + HOUR).toISOString(),
      step: 3600,
    });
    expect((res.body.series as { agentId: string }[]).map((s) => s.agentId)).toEqual([agentA]);
    const both = await query({
      agentLabel: 'env=test',
      metric: 'cpu.percent',
      from: new Date(base).toISOString(),
      to: new Date(base + HOUR).toISOString(),
      step: 3600,
    });
    expect(both.body.series).toMatchObject([{ agentId: agentB, points: [[base, 129.5]] }]);
    expect(both.body.seriesLimited).toBe(false);
  });

  it('exports the points as CSV', async () => {
    const res = await query(
      {
        agentLabel: 'env=prod,site=berlin',
        metric: 'cpu.percent',
        from: new Date(base).toISOString(),
        to: new Date(base + 2 * HOUR).toISOString(),
        step: 3600,
      },
      { accept: 'text/csv' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="emma-series-query.csv"');
    expect(String(res.body).split('\r\n')).toEqual([
      'agent_id,metric,labels,time,value',
      `${agentA},cpu.percent,,${new Date(base).toISOString()},29.5`,
      `${agentA},cpu.percent,,${new Date(base + HOUR).toISOString()},89.5`,
      '',
    ]);
  });

  it('refuses a query without an agent or selector, and a malformed selector', async () => {
    const none = await query({ metric: 'cpu.percent' });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body.error.details)).toContain('Name an agent or an agent label selector');
    expect((await query({ agentLabel: 'env', metric: 'cpu.percent' })).status).toBe(400);
    expect((await query({ agent: agentA, metric: 'cpu.percent', maxPoints: 5 })).status).toBe(400);
  });
});

describe('GET /api/v1/probes/:id/history', () => {
  it('counts checks and latency per bucket from the rollups and raw results alike, and exports CSV', async () => {
    const stored = await t.db.query(
      `SELECT count(*)::int AS n, sum(checks)::int AS checks, sum(down)::int AS down FROM probe_results_1h
       WHERE probe_id = $1`,
      [probe.id],
    );
    // The rollups hold exactly what the raw results say for the first two hours.
    expect(stored.rows[0]).toEqual({ n: 2, checks: 240, down: 12 });

    const res = await t.request(
      'GET',
      `/api/v1/probes/${probe.id}/history?from=${new Date(base).toISOString()}&to=${new Date(base + 3 * HOUR).toISOString()}&step=3600`,
      { token: viewer },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tier: '1h', stepS: 3600 });
    expect(res.body.buckets).toHaveLength(3);
    for (const bucket of res.body.buckets) {
      expect(bucket).toMatchObject({
        checks: 120,
        up: 60,
        degraded: 54,
        down: 6,
        latencyMinMs: 10,
        latencyMaxMs: 100,
      });
      expect(bucket.availabilityPct).toBeCloseTo((114 / 120) * 100, 10);
      // 60 latencies 10..69 and 54 of 100: the average of the 114 checks that answered.
      expect(bucket.latencyAvgMs).toBeCloseTo((60 * 39.5 + 54 * 100) / 114, 10);
      expect(bucket.latencyP95Ms).toBe(100);
    }
    // Minute buckets agree with the hour buckets.
    const minutes = await t.request(
      'GET',
      `/api/v1/probes/${probe.id}/history?from=${new Date(base).toISOString()}&to=${new Date(base + HOUR).toISOString()}&step=60`,
      { token: viewer },
    );
    expect(minutes.body).toMatchObject({ tier: '1m', stepS: 60 });
    expect(minutes.body.buckets).toHaveLength(60);
    expect((minutes.body.buckets as { down: number }[]).reduce((n, b) => n + b.down, 0)).toBe(6);

    const csv = await t.request(
      'GET',
      `/api/v1/probes/${probe.id}/history?from=${new Date(base).toISOString()}&to=${new Date(base + HOUR).toISOString()}&step=3600`,
      { token: viewer, headers: { accept: 'text/csv' } },
    );
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines[0]).toBe(
      'time,checks,up,degraded,down,availability_pct,latency_avg_ms,latency_min_ms,latency_max_ms,latency_p95_ms',
    );
    expect(lines[1]).toMatch(new RegExp(`^${new Date(base).toISOString()},120,60,54,6,95,`));
    expect(
      (
        await t.request('GET', `/api/v1/probes/00000000-0000-4000-8000-000000000000/history`, {
          token: viewer,
        })
      ).status,
    ).toBe(404);
  });

  it('counts uptime windows longer than raw retention from the rollups', async () => {
    const retention = { rawDays: 1, minuteDays: 90, hourDays: 730 };
    const answer = await uptime(t.server.pool, probe.id, retention);
    // The 7- and 30-day windows hold the two rolled-up hours plus the raw hour: 360 checks, 18 down.
    expect(answer.windows['7d']).toMatchObject({
      checks: 360,
      upChecks: 342,
      latencyP50Ms: null,
      latencyP99Ms: null,
    });
    expect(answer.windows['7d'].uptimePercent).toBe(95);
    expect(answer.windows['7d'].latencyP95Ms).toBe(100);
    expect(answer.windows['30d']).toEqual(answer.windows['7d']);
    // The 24-hour window is still read from raw results: nothing in the last day.
    expect(answer.windows['24h']).toMatchObject({ checks: 0, uptimePercent: null });
  });
});
