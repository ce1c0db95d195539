// Overview, hosts and host detail: a viewer sees the counts and problems of data made through the real API
// (agents reporting as agents do, probes, containers, an incident), watches them change live as agents send
// batches, reads a host's charts (live tail and averaged ranges), on a phone in dark theme too; and the
// overview of a fleet of 1,000 agents, 5,000 probes and 2,000 containers is interactive fast.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batch,
  createToken,
  enrollWith,
  postIngest,
  type EnrolledAgent,
  type SeriesInput,
} from '../../backend/src/modules/agents/agent-fixtures';
import { createRule, evaluate } from '../../backend/src/modules/alerts/alert-fixtures';
import {
  ContainerAgent,
  containerInfo,
  engineId,
} from '../../backend/src/modules/containers/container-fixtures';
import { createProbe, exampleHttpProbe, probeResult } from '../../backend/src/modules/probes/probe-fixtures';
import { until } from '../../test-support/until';
import { startE2E, type E2E } from './harness';

let e: E2E;
let operator: string;
const seqs = new Map<string, number>();
let web: EnrolledAgent;
let db: EnrolledAgent;
let dockerHost: ContainerAgent;
let incidentTitle: string;
const MINUTE = 60_000;
/** The minutes of history web-1 reports at the start: 11 samples, one a minute. */
const HISTORY = 11;
/** How many sample times web-1 has sent so far (each batch after the history adds one). */
let webSamples = 0;

async function enrol(hostname: string): Promise<EnrolledAgent> {
  const { token } = await createToken(e.t, operator, { labels: { site: 'e2e' } });
  const res = await enrollWith(e.t, token, hostname);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as EnrolledAgent;
}

/** One sample of every host metric the charts and rows show, at `ts`. */
function hostSamples(ts: number, cpu: number): SeriesInput[] {
  const at = (value: number): [number, number][] => [[ts, value]];
  return [
    { metric: 'cpu.percent', points: at(cpu) },
    { metric: 'cpu.user.percent', points: at(cpu * 0.6) },
    { metric: 'cpu.system.percent', points: at(cpu * 0.3) },
    { metric: 'cpu.iowait.percent', points: at(cpu * 0.1) },
    { metric: 'mem.total.bytes', points: at(8e9) },
    { metric: 'mem.used.bytes', points: at(6e9) },
    { metric: 'fs.total.bytes', labels: { mount: '/' }, points: at(100e9) },
    { metric: 'fs.used.bytes', labels: { mount: '/' }, points: at(40e9) },
    { metric: 'fs.total.bytes', labels: { mount: '/data' }, points: at(500e9) },
    { metric: 'fs.used.bytes', labels: { mount: '/data' }, points: at(455e9) },
    { metric: 'disk.read.bytes_per_s', labels: { device: 'sda' }, points: at(1e6) },
    { metric: 'disk.write.bytes_per_s', labels: { device: 'sda' }, points: at(2e6) },
    { metric: 'net.rx.bytes_per_s', labels: { iface: 'eth0' }, points: at(3e5) },
    { metric: 'net.tx.bytes_per_s', labels: { iface: 'eth0' }, points: at(1e5) },
    { metric: 'load.1m', points: at(0.42) },
    { metric: 'uptime.seconds', points: at(90_000) },
  ];
}

/** Posts the next batch of an agent, exactly as the agent does. */
async function send(agent: EnrolledAgent, fields: { series?: SeriesInput[]; probeResults?: unknown[] }) {
  if (agent === web) webSamples += new Set(fields.series?.flatMap((s) => s.points.map(([ts]) => ts))).size;
  const seq = (seqs.get(agent.agentId) ?? 0) + 1;
  seqs.set(agent.agentId, seq);
  const res = await postIngest(
    e.t,
    agent.credential,
    batch(seq, fields.series ?? [], fields.probeResults ? { probeResults: fields.probeResults } : {}),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A tile's total as shown, e.g. "1,000". */
const total = (page: Page, tile: string) => page.locator(`[data-tile="${tile}"] [data-total]`).textContent();

/** The text of a tile's state chip, e.g. "2 Online". */
const chip = (page: Page, tile: string, state: string) =>
  page.locator(`[data-tile="${tile}"] a[data-state="${state}"]`).textContent();

beforeAll(async () => {
  e = await startE2E();
  operator = (await e.t.userWithRole('operator')).token;

  // web-1 reports ten minutes of host metrics and runs two probes; db-1 enrolled and never reported
  // (offline); a third host reports its containers.
  web = await enrol('web-1');
  db = await enrol('db-1');
  const now = Date.now();
  const history: SeriesInput[] = [];
  for (let i = HISTORY - 1; i >= 0; i -= 1) history.push(...hostSamples(now - i * MINUTE, 42));
  await send(web, { series: history });

  const up = await createProbe(
    e.t,
    operator,
    exampleHttpProbe({ agentId: web.agentId }, { name: 'intranet', retries: 0 }),
  );
  const down = await createProbe(
    e.t,
    operator,
    exampleHttpProbe({ agentId: web.agentId }, { name: 'shop checkout', retries: 0 }),
  );
  await send(web, {
    probeResults: [
      probeResult(up.id, 'up', now),
      probeResult(down.id, 'down', now, null, 'connection refused'),
    ],
  });

  dockerHost = await ContainerAgent.enrol(e.t, operator);
  await dockerHost.report(
    [
      containerInfo(engineId(), { name: 'shop-web', state: 'running', health: 'healthy' }),
      containerInfo(engineId(), { name: 'nightly-report', state: 'exited', exitCode: 2 }),
      containerInfo(engineId(), { name: 'shop-api', state: 'running', health: 'unhealthy' }),
    ],
    { engine: { name: 'Docker', version: '27.3.1' } },
  );

  const rule = await createRule(e.t, operator, {
    name: 'checkout down',
    kind: 'probe_down',
    probeId: down.id,
    severity: 'critical',
    forS: 0,
  });
  await evaluate(e.t);
  const incidents = await e.t.request<{ items: { title: string; ruleId: string }[] }>(
    'GET',
    '/api/v1/incidents?status=open',
    {
      token: operator,
    },
  );
  const incident = incidents.body.items.find((i) => i.ruleId === rule.id);
  expect(incident).toBeDefined();
  incidentTitle = incident?.title ?? '';

  // The worker would mark these agents offline after three silent intervals; the test takes longer.
  for (const id of [web.agentId, db.agentId, dockerHost.id]) {
    const res = await e.t.request('PATCH', `/api/v1/agents/${id}`, {
      token: operator,
      body: { intervalS: 3600 },
    });
    expect(res.status).toBe(200);
  }
}, 300_000);

afterAll(async () => {
  await e.close();
});

describe('overview and hosts', () => {
  it('shows a viewer the counts and the problems, links each state to its list, and updates live', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'viewer');
    await page.goto('/');

    await expect.poll(() => page.locator('[data-tile="agents"] [data-total]').textContent()).toBe('3');
    expect(await chip(page, 'agents', 'online')).toBe('2 Online');
    expect(await chip(page, 'agents', 'offline')).toBe('1 Offline');
    expect(await page.locator('[data-tile="probes"] [data-total]').textContent()).toBe('2');
    expect(await chip(page, 'probes', 'down')).toBe('1 Down');
    expect(await chip(page, 'probes', 'up')).toBe('1 Up');
    expect(await page.locator('[data-tile="containers"] [data-total]').textContent()).toBe('3');
    expect(await chip(page, 'containers', 'exited')).toBe('1 Exited');
    expect(await chip(page, 'containers', 'unhealthy')).toBe('1 Unhealthy');
    expect(await chip(page, 'incidents', 'open')).toBe('1 Open');
    expect(await page.locator('[data-tile="probes"] a[data-state="down"]').getAttribute('href')).toBe(
      '/probes?state=down',
    );
    expect(await page.locator('[data-tile="containers"] a[data-state="exited"]').getAttribute('href')).toBe(
      '/containers?state=exited',
    );
    expect(await page.locator('[data-tile="agents"] a[data-state="offline"]').getAttribute('href')).toBe(
      '/hosts?status=offline',
    );
    expect(await page.locator('[data-tile="incidents"] a[data-state="open"]').getAttribute('href')).toBe(
      '/incidents?status=open',
    );

    // Needs attention: the down probe, the offline host, the exited and the unhealthy container, the incident.
    const list = page.getByRole('list', { name: 'Needs attention' });
    const row = (kind: string, text: string) => list.locator(`a[data-kind="${kind}"]`, { hasText: text });
    await row('probe', 'shop checkout').waitFor();
    expect(await row('probe', 'shop checkout').textContent()).toContain('connection refused');
    await row('agent', 'db-1').waitFor();
    await row('container', 'nightly-report').waitFor();
    expect(await row('container', 'nightly-report').textContent()).toContain('exit code 2');
    await row('container', 'shop-api').waitFor();
    await row('incident', incidentTitle).waitFor();
    expect(await list.locator('a[data-kind]').count()).toBe(5);
    expect(await row('probe', 'intranet').count()).toBe(0);

    // Filter and search.
    await page.getByRole('button', { name: /^Containers \(2\)$/ }).click();
    await expect.poll(() => list.locator('a[data-kind]').count()).toBe(2);
    await page.getByPlaceholder('Search problems').fill('nightly');
    await expect.poll(() => list.locator('a[data-kind]').count()).toBe(1);
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByPlaceholder('Search problems').fill('');
    await expect.poll(() => list.locator('a[data-kind]').count()).toBe(5);
    await e.screenshot(page, 'overview');

    // db-1 sends its first batch: online, live, without a reload.
    await send(db, { series: hostSamples(Date.now(), 5) });
    await expect.poll(() => chip(page, 'agents', 'online'), { timeout: 15_000 }).toBe('3 Online');
    expect(await chip(page, 'agents', 'offline')).toBe('0 Offline');
    await expect.poll(() => row('agent', 'db-1').count(), { timeout: 15_000 }).toBe(0);
    expect(await list.locator('a[data-kind]').count()).toBe(4);

    // A state chip opens the filtered list.
    await page.locator('[data-tile="agents"] a[data-state="online"]').click();
    await page.waitForURL((url) => url.pathname === '/hosts' && url.searchParams.get('status') === 'online');
  });

  it('lists the hosts with their key metrics, filters and searches them, and follows new samples', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'viewer');
    await page.locator('nav.sidebar').getByRole('link', { name: 'Hosts', exact: true }).click();
    await page.waitForURL('**/hosts');
    const rows = page.getByRole('list', { name: 'Hosts' }).locator('a.host-row');
    await expect.poll(() => rows.count()).toBe(3);
    const webRow = page.locator(`a.host-row[data-agent="${web.agentId}"]`);
    const metric = (name: string) => webRow.locator(`[data-metric="${name}"] .usage-value`).textContent();
    await expect.poll(() => metric('cpu')).toBe('42 %');
    expect(await metric('mem')).toBe('75 %');
    // The fullest mount: /data at 91 %, in the tone of a problem.
    expect(await metric('disk')).toBe('91 %');
    expect(await webRow.locator('[data-metric="disk"] .usage').getAttribute('class')).toContain('usage-bad');
    expect(await webRow.textContent()).toContain('site=e2e');
    expect(await webRow.textContent()).toContain('0.1.0');

    await page.getByRole('button', { name: /^Online/ }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'online');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByRole('button', { name: /^Offline/ }).click();
    await page.getByText('No host matches the filter.').waitFor();
    await page.getByRole('button', { name: /^All/ }).click();
    await page.getByPlaceholder('Search name, hostname or label').fill('db');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-agent')).toBe(db.agentId);
    await page.getByPlaceholder('Search name, hostname or label').fill('');
    await expect.poll(() => rows.count()).toBe(3);

    // web-1 reports again: its row follows without a reload.
    await send(web, { series: hostSamples(Date.now(), 77) });
    await expect.poll(() => metric('cpu'), { timeout: 15_000 }).toBe('77 %');
    expect(await webRow.locator('[data-metric="cpu"] .usage').getAttribute('class')).toContain('usage-warn');
    await e.screenshot(page, 'hosts');
  });

  it('shows a host with its facts and charts, follows new samples live and averages long ranges', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'viewer');
    await page.goto('/hosts');
    // The live list may replace the row under the pointer as the click lands; click again until it navigates.
    await until(
      'the host page',
      async () => {
        if (!page.url().endsWith(`/hosts/${web.agentId}`)) {
          await page
            .locator(`a.host-row[data-agent="${web.agentId}"]`)
            .click({ timeout: 5_000 })
            .catch(() => undefined);
        }
        return page.url().endsWith(`/hosts/${web.agentId}`) || undefined;
      },
      30_000,
      500,
    );
    await page.getByRole('heading', { name: 'web-1', level: 1 }).waitFor();
    const facts = page.locator('dl.facts').first();
    expect(await facts.textContent()).toContain('linux / x64');
    expect(await page.getByTestId('engine').textContent()).toBe('No container engine reported');
    expect(await page.getByRole('link', { name: 'Containers on this host' }).getAttribute('href')).toBe(
      `/containers?agentId=${web.agentId}`,
    );
    expect(await page.getByRole('link', { name: 'Probes of this host' }).getAttribute('href')).toBe(
      `/probes?agentId=${web.agentId}`,
    );
    // A viewer is not offered agent management.
    expect(await page.getByRole('link', { name: 'Manage agents' }).count()).toBe(0);

    // The last hour: every sample web-1 sent.
    const cpu = page.locator('[data-chart="cpu"]');
    const sent = webSamples;
    await expect.poll(() => cpu.getAttribute('data-points')).toBe(String(sent));
    expect(await cpu.locator('canvas').count()).toBeGreaterThan(0);
    for (const key of ['memory', 'disk', 'diskio', 'network'])
      expect(await page.locator(`[data-chart="${key}"]`).getAttribute('data-points')).toBe(String(sent));
    expect(await cpu.locator('.u-legend').textContent()).toMatch(/busy.*user.*system.*iowait/);
    expect(await page.locator('[data-chart="disk"] .u-legend').textContent()).toMatch(/\/.*\/data/);
    expect(await page.locator('[data-tile="uptime"]').textContent()).toContain('1d 1h');

    // Live tail: a new batch adds its point without a reload.
    await send(web, { series: hostSamples(Date.now(), 12) });
    await expect.poll(() => cpu.getAttribute('data-points'), { timeout: 15_000 }).toBe(String(sent + 1));
    await e.screenshot(page, 'host-detail');

    // 24 hours come as two-minute averages: fewer points than samples, and the page says so.
    await page.getByRole('button', { name: '24 h' }).click();
    await page.getByText('Averages over 2m 0s').waitFor();
    await expect.poll(async () => Number(await cpu.getAttribute('data-points'))).toBeLessThan(sent + 1);
    expect(Number(await cpu.getAttribute('data-points'))).toBeGreaterThanOrEqual(Math.floor(HISTORY / 2));
    await page.getByRole('button', { name: '1 h' }).click();
    await expect.poll(() => cpu.getAttribute('data-points')).toBe(String(sent + 1));

    // The container host tells its engine.
    await page.goto(`/hosts/${dockerHost.id}`);
    await expect.poll(() => page.getByTestId('engine').textContent()).toBe('Docker 27.3.1');
    await page.getByText('No data in this range.').first().waitFor();
  });

  it('fits a phone screen in the dark theme', async () => {
    const { context, page } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await context.addInitScript("localStorage.setItem('emma.theme', 'dark')");
    await e.loginAs(page, 'viewer');
    await page.goto('/');
    await page.locator('[data-tile="agents"] [data-total]').waitFor();
    await page.getByRole('list', { name: 'Needs attention' }).locator('a[data-kind]').first().waitFor();
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await e.screenshot(page, 'overview-phone');
  });

  // How fast is measured by `npm run bench:dashboard` (docs/performance.md), not asserted here: a shared
  // test machine's load would make a timed test fail for no fault of the page.
  it('shows a fleet of 1,000 agents, 5,000 probes and 2,000 containers, filters at once, and reads only what is in view', async () => {
    await seedFleet();
    const { page } = await e.newPage();
    await e.loginAs(page, 'viewer');
    const list = page.getByRole('list', { name: 'Needs attention' });
    await page.goto('/');
    // The fleet and the three hosts made above: exactly 1,000 agents, 5,000 probes, 2,000 containers.
    await expect.poll(() => total(page, 'agents')).toBe('1,000');
    expect(await total(page, 'probes')).toBe('5,000');
    expect(await total(page, 'containers')).toBe('2,000');
    // While the problem lists may still be loading, a filter answers; the lists arrive afterwards.
    await page.getByRole('button', { name: 'Probes (', exact: false }).click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'probe');
    await expect
      .poll(() => list.locator('a[data-kind="probe"]').count(), { timeout: 30_000 })
      .toBeGreaterThan(10);

    // The host list renders the rows in view only, and reads the metrics of those rows, in one request.
    const asked: string[][] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/metrics/latest')
        asked.push(url.searchParams.get('agents')?.split(',') ?? []);
    });
    await page.goto('/hosts');
    const rows = page.getByRole('list', { name: 'Hosts' }).locator('a.host-row');
    await expect.poll(() => page.getByText('1000 of 1000').count()).toBe(1);
    await expect.poll(() => asked.length).toBeGreaterThan(0);
    const rendered = await rows.count();
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(40);
    expect(asked[0]?.length).toBeLessThanOrEqual(rendered);
    const firstRead = new Set(asked.flat());
    const before = await rows.first().getAttribute('data-agent');
    await rows.first().hover();
    await page.mouse.wheel(0, 20_000);
    await expect.poll(() => rows.first().getAttribute('data-agent')).not.toBe(before);
    await expect.poll(() => asked.flat().some((id) => !firstRead.has(id)), { timeout: 10_000 }).toBe(true);
  });
});

/** 1,000 agents, 5,000 probes with states and 2,000 containers, written in SQL (the API would take minutes). */
async function seedFleet(): Promise<void> {
  await e.t.db.query(
    `INSERT INTO agents (name, labels, status, credential_hash, host, interval_s, last_seen_at)
     SELECT 'fleet-' || i, jsonb_build_object('site', 's' || (i % 10)),
            (ARRAY['online', 'online', 'online', 'offline'])[1 + i % 4], 'x',
            jsonb_build_object('hostname', 'fleet-' || i, 'agentVersion', '0.1.0'), 3600, now()
     FROM generate_series(1, 997) i`,
  );
  await e.t.db.query(
    `WITH a AS (SELECT id, row_number() OVER (ORDER BY name) AS n FROM agents WHERE name LIKE 'fleet-%')
     INSERT INTO probes (name, type, config, interval_s, timeout_ms, agent_id)
     SELECT 'fleet-probe-' || i, 'tcp', '{"host":"h","port":1}', 30, 1000, (SELECT id FROM a WHERE n = 1 + i % 997)
     FROM generate_series(1, 4998) i`,
  );
  await e.t.db.query(
    `INSERT INTO probe_states (probe_id, agent_id, state)
     SELECT p.id, p.agent_id, (ARRAY['up', 'up', 'up', 'up', 'up', 'down', 'degraded'])[1 + (abs(hashtext(p.name)) % 7)]
     FROM probes p WHERE p.name LIKE 'fleet-probe-%'`,
  );
  await e.t.db.query(
    `WITH a AS (SELECT id, row_number() OVER (ORDER BY name) AS n FROM agents WHERE name LIKE 'fleet-%')
     INSERT INTO containers (agent_id, container_id, name, image, state, health, reported_at)
     SELECT (SELECT id FROM a WHERE n = 1 + i % 997), md5(i::text) || md5(i::text), 'fleet-c-' || i, 'nginx',
            (ARRAY['running', 'running', 'running', 'running', 'exited'])[1 + i % 5],
            (ARRAY['none', 'healthy', 'healthy', 'unhealthy'])[1 + i % 4], now()
     FROM generate_series(1, 1997) i`,
  );
  await e.t.db.query('ANALYZE');
}
