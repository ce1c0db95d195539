// Incidents end to end: a probe_down rule fires through the real backend (a probe result posted by an agent
// through ingest, the worker evaluating), the incident appears live in an operator's list, who opens it,
// acknowledges, comments, takes it and resolves it; a viewer watching the list sees the state change live
// and is offered none of the actions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolledAgent } from '../../backend/src/modules/agents/agent-fixtures';
import { createRule } from '../../backend/src/modules/alerts/alert-fixtures';
import {
  createProbe,
  exampleHttpProbe,
  postResults,
  probeResult,
} from '../../backend/src/modules/probes/probe-fixtures';
import { startE2E, type E2E, expectText } from './harness';

let e: E2E;
beforeAll(async () => {
  // Evaluate often; a resolved incident whose condition still holds opens a new one instead of reopening,
  // so the resolved one stays resolved while the test looks at it.
  e = await startE2E({ EMMA_ALERT_EVAL_INTERVAL_S: '0.5', EMMA_ALERT_REOPEN_WINDOW_S: '0' });
}, 300_000);
afterAll(async () => {
  await e.close();
});

describe('incidents', () => {
  it('appear live, and are acknowledged, commented, assigned and resolved by an operator', async () => {
    const admin = await e.t.tokenFor();
    const agent = await enrolledAgent(e.t, admin);
    const probe = await createProbe(
      e.t,
      admin,
      exampleHttpProbe({ agentId: agent.agentId }, { name: 'shop front', retries: 0 }),
    );
    await createRule(e.t, admin, {
      name: 'shop is down',
      kind: 'probe_down',
      probeId: probe.id,
      severity: 'critical',
    });

    const { page } = await e.newPage();
    const operator = await e.loginAs(page, 'operator');
    await page.goto('/incidents');
    await page.getByText('No incidents. All quiet.').waitFor();
    // A viewer watches the list too.
    const { page: viewerPage } = await e.newPage();
    await e.loginAs(viewerPage, 'viewer');
    await viewerPage.goto('/incidents');
    await viewerPage.getByText('No incidents. All quiet.').waitFor();
    // Marks the loaded document: a reload would lose it.
    await page.evaluate('window.__sameDocument = true');

    expect(
      (await postResults(e.t, agent.credential, 1, [probeResult(probe.id, 'down', Date.now())])).status,
    ).toBe(200);
    const row = page.locator('tr[data-incident]', { hasText: 'shop front is down' });
    await row.waitFor({ timeout: 15_000 });
    await expect(page.evaluate('window.__sameDocument')).resolves.toBe(true);
    await expect(row.getAttribute('data-status')).resolves.toBe('open');
    // It arrived while the page was open: it is marked as new.
    await expect(row.getAttribute('class')).resolves.toContain('fresh');
    await expectText(row, /Critical.*shop front is down.*shop is down.*Probe shop front/);
    await expect(row.getByRole('link', { name: 'Probe shop front' }).getAttribute('href')).resolves.toBe(
      `/probes/${probe.id}`,
    );
    // The open count on the tab follows.
    await page.locator('.tabs a', { hasText: 'Open' }).locator('.tab-count', { hasText: /^1$/ }).waitFor();
    await e.screenshot(page, 'incidents');

    await row.getByRole('link', { name: 'shop front is down' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'shop front is down' }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Opened: the rule’s condition held').waitFor();

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Acknowledge this incident?' });
    await dialog.getByLabel('Comment (optional)').fill('looking into it');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await dialog.waitFor({ state: 'detached' });
    await timeline.getByText(`Acknowledged by ${operator.email}`).waitFor();
    await timeline.getByText('looking into it').waitFor();
    await expect(page.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
    // The viewer's list shows the new state without a reload.
    await viewerPage
      .locator('tr[data-incident][data-status="acknowledged"]', { hasText: 'shop front is down' })
      .waitFor();

    await page.getByLabel('Add a comment').fill('the payment provider had a DNS outage');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await timeline.getByText('the payment provider had a DNS outage').waitFor();
    await timeline.getByText(`${operator.email} commented`).waitFor();

    // Operators may not list users: they can take the incident themselves.
    await expect(page.getByLabel('Assign to').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.locator('[data-assignee]', { hasText: '(you)' }).waitFor();
    await timeline.getByText(/assigned it to .*\(you\)/).waitFor();

    await page.getByRole('button', { name: 'Resolve' }).click();
    const resolveDialog = page.getByRole('dialog', { name: 'Resolve this incident?' });
    await resolveDialog.getByRole('button', { name: 'Resolve' }).click();
    await resolveDialog.waitFor({ state: 'detached' });
    await timeline.getByText(`Resolved by ${operator.email}`).waitFor();
    await page.locator('.incident-head .badge[data-state="resolved"]').waitFor();
    await expect(page.getByRole('button', { name: 'Resolve' }).count()).resolves.toBe(0);
    await e.screenshot(page, 'incident-detail');

    // The viewer sees the same incident without any of the controls.
    await viewerPage
      .locator('tr[data-incident][data-status="resolved"]', { hasText: 'shop front is down' })
      .getByRole('link', { name: 'shop front is down' })
      .click();
    await viewerPage
      .getByRole('list', { name: 'Timeline' })
      .getByText(`Resolved by ${operator.email}`)
      .waitFor();
    for (const name of ['Acknowledge', 'Resolve', 'Assign to me', 'Comment']) {
      await expect(viewerPage.getByRole('button', { name, exact: true }).count()).resolves.toBe(0);
    }
    await expect(viewerPage.getByLabel('Add a comment').count()).resolves.toBe(0);
  }, 90_000);

  it('filters by status and text through the query string, and fits a phone', async () => {
    const { page } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await e.loginAs(page, 'admin');
    await page.goto('/incidents?status=resolved');
    await page.locator('tr[data-incident][data-status="resolved"]').first().waitFor();
    await expect(page.locator('tr[data-incident]:not([data-status="resolved"])').count()).resolves.toBe(0);
    await page.getByPlaceholder('Search title, summary or rule…').fill('no such incident anywhere');
    await page.getByText('No incidents match these filters.').waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('no such incident anywhere');
    // The table scrolls inside its frame on a phone instead of widening the page.
    await page.goto('/incidents');
    await page.locator('tr[data-incident]').first().waitFor();
    const overflow = () => page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
    // An admin may list users: the detail offers a choice of assignee, which must fit too.
    await page.locator('tr[data-incident] a').first().click();
    await page.getByLabel('Assign to').waitFor();
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
  }, 60_000);
});
