// Uptime reports end to end: a viewer opens /reports, sees a probe's availability against the target,
// regroups by agent, downloads the CSV and opens the printable page, both fetched with the signed-in client.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolledAgent } from '../../backend/src/modules/agents/agent-fixtures';
import { createProbe, insertResults } from '../../backend/src/modules/probes/probe-fixtures';
import { startE2E, type E2E, expectText } from './harness';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 300_000);
afterAll(async () => {
  await e.close();
});

describe('reports', () => {
  it('shows availability per probe and per agent, and exports CSV and a printable page', async () => {
    const admin = await e.t.tokenFor();
    const agent = await enrolledAgent(e.t, admin);
    const probe = await createProbe(e.t, admin, {
      name: 'billing api',
      type: 'tcp',
      agentId: agent.agentId,
      config: { host: 'h', port: 1 },
    });
    // 100 checks in the current minute, the first 10 down: 90 % available, 0.1 min down. (Raw results
    // this fresh are read raw; older ones inserted behind the worker's back would miss its rollup.)
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    await insertResults(
      e.t,
      probe.id,
      Array.from({ length: 100 }, (_, i) => ({
        agentId: agent.agentId,
        ts: minute + i * 100,
        status: i < 10 ? ('down' as const) : ('up' as const),
        latencyMs: i < 10 ? null : 25,
      })),
    );

    const { page } = await e.newPage();
    await e.loginAs(page, 'viewer');
    await page.goto('/reports');
    await page.getByRole('heading', { name: 'Uptime reports' }).waitFor();
    await page.getByRole('button', { name: 'Last 24 h' }).click();
    const row = page.locator(`tr[data-key="${probe.id}"]`);
    await expectText(row, /billing api\s*90 %\s*100\s*10\s*0\.1 min/);
    await expect(row.locator('[data-col="availability"] span').getAttribute('data-tone')).resolves.toBe(
      'bad',
    );
    // A lower target turns it green.
    await page.getByLabel('Target availability (%)').fill('80');
    await expect
      .poll(() => row.locator('[data-col="availability"] span').getAttribute('data-tone'))
      .toBe('ok');
    await e.screenshot(page, 'reports');

    await page.getByLabel('Group by').selectOption('agent');
    await page.getByRole('button', { name: 'Show report' }).click();
    const agentRow = page.locator(`tr[data-key="${agent.agentId}"]`);
    await expectText(agentRow, /90 %/);
    await expectText(page.locator('tr[data-key="totals"]'), /Totals\s*1\s*90 %/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^emma-uptime-agent-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^key,name,probeCount,availabilityPct,checks,downChecks,downtimeMinutes/);
    expect(lines[1]).toMatch(new RegExp(`^${agent.agentId},[^,]+,1,90,100,10,0.1,0,0,,25,(raw|rollup)$`));

    const [printable] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'Printable report' }).click(),
    ]);
    await printable.waitForURL(/^blob:/);
    await printable.locator('table').waitFor();
    expect(await printable.title()).toMatch(/^Uptime report: /);
    await expectText(printable.locator('tbody tr').first(), /90\.000 %/);
  });
});
