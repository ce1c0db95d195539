// Per-user dashboards in the browser: the admin builds one with a chart of a host's samples, status tiles
// of probes and an incident list, saves, reloads and sees them; shares it; a viewer reads it without edit
// controls and builds a dashboard of their own.
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
import { createProbe, exampleHttpProbe, probeResult } from '../../backend/src/modules/probes/probe-fixtures';
import { expectText, startE2E, type E2E } from './harness';

let e: E2E;
let operator: string;
let web: EnrolledAgent;
let incidentTitle: string;
let dashboardId: string;
const MINUTE = 60_000;

beforeAll(async () => {
  e = await startE2E();
  operator = (await e.t.userWithRole('operator')).token;

  const { token } = await createToken(e.t, operator, { labels: { site: 'dash' } });
  const enrolled = await enrollWith(e.t, token, 'dash-web-1');
  expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
  web = enrolled.body as EnrolledAgent;

  // Ten minutes of CPU samples, one a minute, and a probe that is down.
  const now = Date.now();
  const series: SeriesInput[] = [
    {
      metric: 'cpu.percent',
      points: Array.from({ length: 11 }, (_, i): [number, number] => [now - (10 - i) * MINUTE, 20 + i]),
    },
  ];
  const checkout = await createProbe(
    e.t,
    operator,
    exampleHttpProbe({ agentId: web.agentId }, { name: 'dash checkout', retries: 0 }),
  );
  const sent = await postIngest(
    e.t,
    web.credential,
    batch(1, series, { probeResults: [probeResult(checkout.id, 'down', now, null, 'connection refused')] }),
  );
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);

  const rule = await createRule(e.t, operator, {
    name: 'dash checkout down',
    kind: 'probe_down',
    probeId: checkout.id,
    severity: 'critical',
    forS: 0,
  });
  await evaluate(e.t);
  const incidents = await e.t.request<{ items: { title: string; ruleId: string }[] }>(
    'GET',
    '/api/v1/incidents?status=open',
    { token: operator },
  );
  incidentTitle = incidents.body.items.find((i) => i.ruleId === rule.id)?.title ?? '';
  expect(incidentTitle).not.toBe('');

  // The worker would mark the agent offline after three silent intervals; the test takes longer.
  const patched = await e.t.request('PATCH', `/api/v1/agents/${web.agentId}`, {
    token: operator,
    body: { intervalS: 3600 },
  });
  expect(patched.status).toBe(200);
}, 300_000);

afterAll(async () => {
  await e.close();
});

describe('dashboards', () => {
  it('lets the admin build a dashboard of a chart, status tiles and incidents, save, reload and share it', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'admin');
    await page.goto('/dashboards');

    await page.getByLabel('New dashboard').fill('Ops board');
    await page.getByRole('button', { name: 'Create dashboard' }).click();
    await page.waitForURL(/\/dashboards\/[0-9a-f-]{36}/);
    dashboardId = /\/dashboards\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    // A new dashboard opens in the editor.
    const editor = page.getByRole('region', { name: 'Dashboard editor' });
    await editor.waitFor();

    // A chart of the host's CPU over the last hour.
    await editor.getByRole('button', { name: 'Add widget' }).click();
    const form = page.locator('form.db-widget-form');
    await form.getByLabel('Title').fill('CPU of web');
    await form.getByLabel('Metrics').fill('cpu.percent');
    const host = form.getByLabel('Host', { exact: true });
    await expect.poll(() => host.locator('option', { hasText: 'dash-web-1' }).count()).toBe(1);
    await host.selectOption({ label: 'dash-web-1' });
    await form.getByLabel('Time range').selectOption('1h');
    await form.getByRole('button', { name: 'Add widget' }).click();
    await form.waitFor({ state: 'detached' });

    // Status tiles of the probes.
    await editor.getByRole('button', { name: 'Add widget' }).click();
    await form.getByLabel('Widget type').selectOption('status');
    await form.getByLabel('Show').selectOption('probes');
    await form.getByLabel('Title').fill('Checks');
    await form.getByRole('button', { name: 'Add widget' }).click();
    await form.waitFor({ state: 'detached' });

    // The open incidents; a chart without a host is refused by the form first.
    await editor.getByRole('button', { name: 'Add widget' }).click();
    await form.getByRole('button', { name: 'Add widget' }).click();
    await expectText(form.getByRole('alert'), 'Choose a host, or hosts by labels.');
    await form.getByLabel('Widget type').selectOption('incidents');
    await form.getByLabel('Width').selectOption('12');
    await form.getByRole('button', { name: 'Add widget' }).click();
    await form.waitFor({ state: 'detached' });

    // Arranged: the incidents first, the chart wider and taller.
    const incidentsCard = page.locator('[data-type="incidents"]');
    await incidentsCard.getByRole('button', { name: 'Move up' }).click();
    await page.locator('[data-type="incidents"]').getByRole('button', { name: 'Move up' }).click();
    await page.locator('[data-type="chart"]').getByLabel('Width').selectOption('8');
    await page.locator('[data-type="chart"]').getByLabel('Height').selectOption('3');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });

    await page.reload();
    await page.locator('[data-widget]').first().waitFor();
    const cards = await page.locator('[data-widget]').all();
    expect(await Promise.all(cards.map((card) => card.getAttribute('data-type')))).toEqual([
      'incidents',
      'chart',
      'status',
    ]);
    await expectText(page.locator('[data-type="chart"] .db-widget-title'), 'CPU of web');
    await page.locator('[data-type="chart"] .chart canvas').first().waitFor();
    await expectText(page.locator('[data-type="chart"] .db-tier'), /Data: (raw|1m)/);
    await expectText(page.locator('[data-type="status"] a[data-state="down"]'), 'dash checkout');
    expect(await page.locator('[data-type="status"] a[data-state="down"]').getAttribute('href')).toMatch(
      /^\/probes\/[0-9a-f-]{36}$/,
    );
    await expectText(page.locator('[data-type="incidents"] .db-incident-title').first(), incidentTitle);

    const saved = await e.t.request('GET', `/api/v1/dashboards/${dashboardId}`, {
      token: await e.t.tokenFor(),
    });
    expect(saved.body).toMatchObject({ name: 'Ops board', shared: false, widgetCount: 3 });
    expect(saved.body.widgets[1]).toMatchObject({
      type: 'chart',
      w: 8,
      h: 3,
      query: { metric: ['cpu.percent'], agent: web.agentId, range: '1h' },
    });

    // Share it.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Share read-only with other users').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Shared read-only with all users.').waitFor();
    await e.screenshot(page, 'dashboards');
    const shared = await e.t.request('GET', `/api/v1/dashboards/${dashboardId}`, {
      token: await e.t.tokenFor(),
    });
    expect(shared.body.shared).toBe(true);
  });

  it('shows a viewer the shared dashboard read-only, and lets them build their own', async () => {
    expect(dashboardId).not.toBe('');
    const { page } = await e.newPage();
    await e.loginAs(page, 'viewer');
    await page.goto('/dashboards');
    const row = page.locator('tr[data-dashboard="Ops board"]');
    await expectText(row, 'Shared with me');
    await row.getByRole('link', { name: 'Ops board' }).click();

    await expectText(page.locator('[data-readonly]'), /Shared by .+ – read-only/);
    await expectText(page.locator('[data-type="status"] a[data-state="down"]'), 'dash checkout');
    await page.locator('[data-type="chart"] .chart canvas').first().waitFor();
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Move up' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Dashboard editor' }).count()).toBe(0);

    // On a phone the widgets stack in one column, in the layout's order, all as wide (on the desktop the
    // 6-column status tiles are half as wide as the 12-column incident list).
    const boxes = async () =>
      Promise.all((await page.locator('[data-widget]').all()).map((card) => card.boundingBox()));
    const widths = async () => new Set((await boxes()).map((box) => Math.round(box?.width ?? 0))).size;
    expect(await widths()).toBeGreaterThan(1);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(widths).toBe(1);
    const stacked = await boxes();
    expect(stacked.every((box, i) => i === 0 || (box?.y ?? 0) > (stacked[i - 1]?.y ?? 0))).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Their own: created, an incident list added, saved.
    await page.getByRole('link', { name: 'All dashboards' }).click();
    await page.getByLabel('New dashboard').fill('My view');
    await page.getByRole('button', { name: 'Create dashboard' }).click();
    const editor = page.getByRole('region', { name: 'Dashboard editor' });
    await editor.waitFor();
    await editor.getByRole('button', { name: 'Add widget' }).click();
    const form = page.locator('form.db-widget-form');
    await form.getByLabel('Widget type').selectOption('incidents');
    await form.getByLabel('Title').fill('Everything open');
    await form.getByRole('button', { name: 'Add widget' }).click();
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    await expectText(page.locator('[data-type="incidents"] .db-widget-title'), 'Everything open');
    await expectText(page.locator('[data-type="incidents"] .db-incident-title').first(), incidentTitle);
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(1);

    await page.goto('/dashboards');
    await expectText(page.locator('tr[data-dashboard="My view"]'), 'Me');

    // And deletes it again, after confirming.
    await page.getByRole('link', { name: 'My view' }).click();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Delete dashboard' }).click();
    await page
      .getByRole('dialog', { name: 'Delete this dashboard?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.waitForURL((url) => url.pathname === '/dashboards');
    await page.locator('tr[data-dashboard="Ops board"]').waitFor();
    expect(await page.locator('tr[data-dashboard="My view"]').count()).toBe(0);
  });
});
