// GET /api/v1/reports/uptime on a hand-computed scenario: two agents, two probes, a one-off maintenance
// window on one agent and a recurring one on the other agent's label, incidents, every grouping and every
// representation, from raw results and again from the 1 m rollup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { enrolledAgent, type EnrolledAgent } from '../agents/agent-fixtures';
import { createPartitions } from '../ingest/partitions';
import { runRollups } from '../history/rollup';
import { createProbe, insertResults, type ResultRow } from '../probes/probe-fixtures';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

let t: TestServer;
let operator: string;
let viewer: string;
let a: EnrolledAgent;
let b: EnrolledAgent;
let web: string;
let branch: string;
/** The scenario starts on a whole hour four hours ago and lasts three hours. */
let T0: number;

const WEB_NAME = 'Web <b>&"front"</b>';

/** percentile_cont(0.95): linear interpolation between the closest ranks. */
function p95(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const pos = 0.95 * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Web on agent a: a check each minute for 180 minutes; down in minutes 60–79, degraded in 150–154. */
function webChecks(): ResultRow[] {
  return Array.from({ length: 180 }, (_, i) => {
    const status: ResultRow['status'] = i >= 60 && i < 80 ? 'down' : i >= 150 && i < 155 ? 'degraded' : 'up';
    return {
      agentId: a.agentId,
      ts: T0 + i * MINUTE + 5_000,
      status,
      latencyMs: status === 'down' ? null : status === 'degraded' ? 900 + i : 10 + (i % 37),
    };
  });
}
/** Branch on agent b: up each minute for the first hour. */
function branchChecks(): ResultRow[] {
  return Array.from({ length: 60 }, (_, i) => ({
    agentId: b.agentId,
    ts: T0 + i * MINUTE + 30_000,
    status: 'up' as const,
    latencyMs: 20 + i,
  }));
}
/** Maintenance: agent a in minutes [70, 100) (one-off); label site=branch daily at T0+20 min for 10 minutes. */
const inAMaintenance = (i: number) => i >= 70 && i < 100;
const inBMaintenance = (i: number) => i >= 20 && i < 30;

// The expected figures, counted by hand from the scenario above.
const WEB_CHECKS = 150; // 180 − 30 in maintenance
const WEB_DOWN = 10; // minutes 60–69 (70–79 are in maintenance)
const BRANCH_CHECKS = 50; // 60 − 10 in maintenance

function webP95(): number {
  return p95(
    webChecks()
      .map((r, i) => ({ r, i }))
      .filter(({ r, i }) => r.status !== 'down' && !inAMaintenance(i))
      .map(({ r }) => r.latencyMs!),
  );
}
function branchP95(): number {
  return p95(
    branchChecks()
      .filter((_, i) => !inBMaintenance(i))
      .map((r) => r.latencyMs!),
  );
}

interface Item {
  key: string;
  name: string;
  probeCount?: number;
  availabilityPct: number | null;
  checks: number;
  downChecks: number;
  downtimeMinutes: number;
  maintenanceMinutes: number;
  incidents: number;
  mttrS: number | null;
  latencyP95Ms: number | null;
  latencyP95Source: string;
}
interface Report {
  from: string;
  to: string;
  group: string;
  label: string | null;
  generatedAt: string;
  totals: Omit<Item, 'key' | 'name'> & { probeCount: number };
  items: Item[];
}

const range = () => `from=${new Date(T0).toISOString()}&to=${new Date(T0 + 3 * HOUR).toISOString()}`;

async function report(query: string, token = viewer): Promise<Report> {
  const res = await t.request<Report>('GET', `/api/v1/reports/uptime?${query}`, { token });
  if (res.status !== 200) throw new Error(`report failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
  a = await enrolledAgent(t, operator, { labels: { site: 'hq' } });
  b = await enrolledAgent(t, operator, { labels: { site: 'branch' } });
  web = (
    await createProbe(t, operator, {
      name: WEB_NAME,
      type: 'tcp',
      agentId: a.agentId,
      config: { host: 'h', port: 1 },
    })
  ).id;
  branch = (
    await createProbe(t, operator, {
      name: 'branch-db',
      type: 'tcp',
      agentId: b.agentId,
      config: { host: 'h', port: 2 },
    })
  ).id;
  T0 = Math.floor(Date.now() / HOUR) * HOUR - 4 * HOUR;
  await insertResults(t, web, webChecks());
  await insertResults(t, branch, branchChecks());
  // Before the range: neither counted nor an incident of the range.
  await insertResults(t, web, [
    { agentId: a.agentId, ts: T0 - 10 * MINUTE, status: 'down', latencyMs: null },
  ]);

  await t.db.query(
    `INSERT INTO maintenance_windows (name, agent_id, starts_at, ends_at) VALUES ('patching', $1, $2, $3)`,
    [a.agentId, new Date(T0 + 70 * MINUTE + 20_000), new Date(T0 + 99 * MINUTE + 40_000)],
  );
  const at = new Date(T0 + 20 * MINUTE);
  await t.db.query(
    `INSERT INTO maintenance_windows (name, labels, cron, duration_s) VALUES ('backup', '{"site":"branch"}', $1, 600)`,
    [`${at.getUTCMinutes()} ${at.getUTCHours()} * * *`],
  );
  // A deleted window never counts after its deletion; a container window never covers a probe.
  await t.db.query(
    `INSERT INTO maintenance_windows (name, probe_id, starts_at, ends_at, deleted_at) VALUES ('gone', $1, $2, $3, $2)`,
    [web, new Date(T0), new Date(T0 + 3 * HOUR)],
  );

  const rule = await t.db.query<{ id: string }>(
    `INSERT INTO alert_rules (name, kind, severity) VALUES ('web down', 'probe_down', 'critical') RETURNING id`,
  );
  const ruleId = rule.rows[0]!.id;
  const incident = (subject: string, agentIds: string[], opened: number, resolved: number | null) =>
    t.db.query(
      `INSERT INTO incidents (rule_id, subject, scope, status, severity, title, opened_at, resolved_at)
       VALUES ($1, $2, $3, $4, 'critical', 'x', $5, $6)`,
      [
        ruleId,
        subject,
        JSON.stringify({ agentIds, agentLabels: [] }),
        resolved === null ? 'open' : 'resolved',
        new Date(opened),
        resolved === null ? null : new Date(resolved),
      ],
    );
  await incident(`probe:${web}`, [a.agentId], T0 + 60 * MINUTE, T0 + 75 * MINUTE); // 900 s
  await incident(`probe:${web}`, [a.agentId], T0 + 150 * MINUTE, null);
  await incident(`probe:${web}`, [a.agentId], T0 - 2 * HOUR, T0 - HOUR); // before the range
  await incident(`agent:${b.agentId}`, [b.agentId], T0 + 10 * MINUTE, T0 + 40 * MINUTE); // 1800 s
});
afterAll(async () => {
  await t.close();
});

function expectWeb(item: Item | undefined, source: 'raw' | 'rollup' = 'raw') {
  expect(item).toBeDefined();
  expect(item!.checks).toBe(WEB_CHECKS);
  expect(item!.downChecks).toBe(WEB_DOWN);
  expect(item!.availabilityPct).toBe(((WEB_CHECKS - WEB_DOWN) / WEB_CHECKS) * 100);
  expect(item!.downtimeMinutes).toBe(10);
  expect(item!.maintenanceMinutes).toBe(30);
  expect(item!.incidents).toBe(2);
  expect(item!.mttrS).toBe(900);
  expect(item!.latencyP95Source).toBe(source);
}

function checkByProbe(r: Report) {
  expect(r.group).toBe('probe');
  expect(r.from).toBe(new Date(T0).toISOString());
  expect(r.to).toBe(new Date(T0 + 3 * HOUR).toISOString());
  expect(r.items.map((i) => i.key)).toEqual([branch, web]); // by name: 'branch-db' < 'Web …'
  const [br, w] = r.items;
  expectWeb(w);
  expect(w!.name).toBe(WEB_NAME);
  expect(w!.probeCount).toBeUndefined();
  expect(w!.latencyP95Ms).toBeCloseTo(webP95(), 9);
  expect(br).toMatchObject({
    checks: BRANCH_CHECKS,
    downChecks: 0,
    availabilityPct: 100,
    downtimeMinutes: 0,
    maintenanceMinutes: 10,
    incidents: 0,
    mttrS: null,
  });
  expect(br!.latencyP95Ms).toBeCloseTo(branchP95(), 9);
  expect(r.totals).toMatchObject({
    probeCount: 2,
    checks: WEB_CHECKS + BRANCH_CHECKS,
    downChecks: WEB_DOWN,
    availabilityPct: ((WEB_CHECKS + BRANCH_CHECKS - WEB_DOWN) / (WEB_CHECKS + BRANCH_CHECKS)) * 100,
    downtimeMinutes: 10,
    maintenanceMinutes: 40,
    incidents: 2,
    mttrS: 900,
    latencyP95Source: 'raw',
  });
}

describe('GET /api/v1/reports/uptime', () => {
  it('reports per probe from raw results, excluding maintenance (a viewer may read it)', async () => {
    checkByProbe(await report(range()));
  });

  it('gives the same figures from the 1 m rollup once it has run', async () => {
    const run = await runRollups(t.db);
    expect(run.doneUntil.probe_results_1m!.getTime()).toBeGreaterThanOrEqual(T0 + 3 * HOUR);
    const copy = await t.db.query('SELECT count(*)::int AS n FROM probe_results_1m WHERE probe_id = $1', [
      web,
    ]);
    expect(copy.rows[0].n).toBe(181);
    checkByProbe(await report(range()));
    // The counts now come from the rollup: a change there shows (and is undone).
    const minute0 = [web, new Date(T0)];
    await t.db.query(
      'UPDATE probe_results_1m SET up = 0, down = 1 WHERE probe_id = $1 AND bucket = $2',
      minute0,
    );
    try {
      const changed = (await report(range())).items.find((i) => i.key === web);
      expect(changed).toMatchObject({ downChecks: WEB_DOWN + 1, downtimeMinutes: 11 });
    } finally {
      await t.db.query(
        'UPDATE probe_results_1m SET up = 1, down = 0 WHERE probe_id = $1 AND bucket = $2',
        minute0,
      );
    }
  });

  it('groups by agent: probe incidents on the agent and the agent’s own incidents', async () => {
    const r = await report(`${range()}&group=agent`);
    const byKey = new Map(r.items.map((i) => [i.key, i]));
    expectWeb(byKey.get(a.agentId));
    expect(byKey.get(a.agentId)!.probeCount).toBe(1);
    expect(byKey.get(b.agentId)).toMatchObject({
      probeCount: 1,
      checks: BRANCH_CHECKS,
      availabilityPct: 100,
      maintenanceMinutes: 10,
      incidents: 1,
      mttrS: 1800,
    });
    expect(r.totals).toMatchObject({ incidents: 3, mttrS: (900 + 1800) / 2, probeCount: 2 });
  });

  it('groups by an agent label', async () => {
    const r = await report(`${range()}&group=label&label=site`);
    expect(r.label).toBe('site');
    expect(r.items.map((i) => [i.key, i.name])).toEqual([
      ['branch', 'site=branch'],
      ['hq', 'site=hq'],
    ]);
    expectWeb(r.items[1]);
    expect(r.items[0]).toMatchObject({ checks: BRANCH_CHECKS, incidents: 1, probeCount: 1 });

    const none = await report(`${range()}&group=label&label=rack`);
    expect(none.items.map((i) => [i.key, i.name, i.checks])).toEqual([
      ['', 'rack (none)', WEB_CHECKS + BRANCH_CHECKS],
    ]);
  });

  it('filters by probe and by agent', async () => {
    const onlyBranch = await report(`${range()}&probe=${branch}`);
    expect(onlyBranch.items.map((i) => i.key)).toEqual([branch]);
    expect(onlyBranch.totals.checks).toBe(BRANCH_CHECKS);
    const onlyA = await report(`${range()}&agent=${a.agentId}`);
    expect(onlyA.items.map((i) => i.key)).toEqual([web]);
  });

  it('averages the bucket p95s when the range reaches past raw retention', async () => {
    // Starts 20 days back (before any raw partition, before the oldest 1 m partition): hour tier there.
    const from = new Date(T0 - 20 * DAY + 17 * MINUTE).toISOString();
    const r = await report(`from=${from}&to=${new Date(T0 + 3 * HOUR).toISOString()}`);
    expect(r.from).toBe(new Date(Math.floor((T0 - 20 * DAY) / HOUR) * HOUR).toISOString());
    const w = r.items.find((i) => i.key === web);
    // The down check ten minutes before T0 and the incident opened two hours before it are now in range.
    expect(w).toMatchObject({
      checks: WEB_CHECKS + 1,
      downChecks: WEB_DOWN + 1,
      availabilityPct: ((WEB_CHECKS - WEB_DOWN) / (WEB_CHECKS + 1)) * 100,
      downtimeMinutes: 11,
      maintenanceMinutes: 30,
      incidents: 3,
      mttrS: (900 + 3600) / 2,
      latencyP95Source: 'rollup',
    });
    // One check per minute: each bucket's p95 is its latency; the mean is weighted by checks.
    const kept = webChecks().filter((row, i) => row.status !== 'down' && !inAMaintenance(i));
    expect(w!.latencyP95Ms).toBeCloseTo(kept.reduce((sum, row) => sum + row.latencyMs!, 0) / kept.length, 9);
  });

  it('reads the 1 h tier for the part older than the 1 m tier', async () => {
    const old = (
      await createProbe(t, operator, {
        name: 'old',
        type: 'tcp',
        agentId: a.agentId,
        config: { host: 'h', port: 3 },
      })
    ).id;
    const hour = Math.floor((T0 - 100 * DAY) / HOUR) * HOUR;
    await createPartitions(t.db, 'probe_results_1h', [hour]);
    await t.db.query(
      `INSERT INTO probe_results_1h (probe_id, agent_id, bucket, checks, up, degraded, down, latency_count, latency_p95)
       VALUES ($1, $2, $3, 60, 50, 4, 6, 54, 40), ($1, $2, $4, 60, 60, 0, 0, 60, 10)`,
      [old, a.agentId, new Date(hour), new Date(hour + HOUR)],
    );
    const r = await report(
      `from=${new Date(hour).toISOString()}&to=${new Date(hour + 2 * HOUR).toISOString()}&probe=${old}`,
    );
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({
      checks: 120,
      downChecks: 6,
      availabilityPct: (114 / 120) * 100,
      downtimeMinutes: (6 / 60) * 60,
      latencyP95Source: 'rollup',
    });
    expect(r.items[0]!.latencyP95Ms).toBeCloseTo((40 * 54 + 10 * 60) / 114, 9);
  });

  it('answers CSV with one row per item', async () => {
    const res = await t.request<string>('GET', `/api/v1/reports/uptime?${range()}`, {
      token: viewer,
      headers: { accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'key,name,probeCount,availabilityPct,checks,downChecks,downtimeMinutes,maintenanceMinutes,incidents,mttrS,latencyP95Ms,latencyP95Source',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      new RegExp(`^${web},"Web <b>&""front""</b>",,${(140 / 150) * 100},150,10,10,30,2,900,[0-9.]+,raw$`),
    );
    expect(lines[1]).toMatch(new RegExp(`^${branch},branch-db,,100,50,0,0,10,0,,[0-9.]+,raw$`));
  });

  it('answers a printable HTML page with the numbers, names escaped, in English or German', async () => {
    const res = await t.request<string>('GET', `/api/v1/reports/uptime?${range()}`, {
      token: viewer,
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = res.body;
    expect(html).toContain('<title>Uptime report: ');
    expect(html).toContain('@media print');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Web &lt;b&gt;&amp;&quot;front&quot;&lt;/b&gt;');
    expect(html).toContain('<td class="bad">93.333 %</td>');
    expect(html).toContain('<td>100.000 %</td>');
    expect(html).toContain('<td>15.0 min</td>'); // MTTR
    // The API's CSP allows the inline <style> and nothing runs.
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");

    const de = await t.request<string>('GET', `/api/v1/reports/uptime?${range()}`, {
      token: viewer,
      headers: { accept: 'text/html', 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(de.body).toContain('<title>Verfügbarkeitsbericht: ');
    expect(de.body).toContain('93,333 %');
  });

  it('refuses bad parameters', async () => {
    const bad = async (query: string) => {
      const res = await t.request('GET', `/api/v1/reports/uptime?${query}`, { token: viewer });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    };
    await bad('group=host');
    await bad('group=label');
    await bad(`from=${new Date(T0).toISOString()}&to=${new Date(T0 - HOUR).toISOString()}`);
    await bad('from=2020-01-01T00:00:00Z&to=2024-01-01T00:00:00Z');
    await bad('probe=not-a-uuid');
    await bad('from=yesterday');
    expect((await t.request('GET', '/api/v1/reports/uptime')).status).toBe(401);
  });

  it('defaults to the last 30 days, grouped by probe', async () => {
    const r = await report('');
    expect(r.group).toBe('probe');
    expect(Date.parse(r.to) - Date.parse(r.from)).toBeGreaterThanOrEqual(30 * DAY - HOUR);
    expect(r.items.map((i) => i.key)).toContain(web);
  });
});
