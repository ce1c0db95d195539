// Settings end to end: an admin creates a webhook channel (its form built from the OpenAPI document) that
// points at a local HTTP server, sends a test the server receives and the page reports; creates an alert
// rule and maintenance windows; an operator sees channels read-only; a viewer may change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test-support/until';
import { enrolledAgent } from '../../backend/src/modules/agents/agent-fixtures';
import { startReceiver, type Receiver } from '../../backend/src/modules/notifications/receiver-fixtures';
import { createProbe, exampleHttpProbe } from '../../backend/src/modules/probes/probe-fixtures';
import { startE2E, type E2E, expectText } from './harness';

let e: E2E;
let receiver: Receiver;
beforeAll(async () => {
  e = await startE2E();
  receiver = await startReceiver();
}, 300_000);
afterAll(async () => {
  await receiver.close();
  await e.close();
});

describe('settings', () => {
  it('lets an admin create and test a webhook channel, create a rule and maintenance windows', async () => {
    const admin = await e.t.tokenFor();
    const agent = await enrolledAgent(e.t, admin);
    const agentName = (await e.t.request('GET', `/api/v1/agents/${agent.agentId}`, { token: admin })).body
      .name as string;
    await createProbe(e.t, admin, exampleHttpProbe({ agentId: agent.agentId }, { name: 'checkout api' }));

    const { page } = await e.newPage();
    await e.loginAs(page, 'admin');
    await page.goto('/settings');
    await page.getByText('No notification channels yet.', { exact: false }).waitFor();

    // --- channel: the server's refusal shows at the field, the secret is a password input
    await page.getByRole('button', { name: 'New channel' }).click();
    const form = page.locator('form');
    await form.getByLabel('Type').selectOption('webhook');
    await form.getByLabel('Name *').fill('ops hook');
    await form.getByLabel('URL *').fill('not a url');
    await expect(form.getByLabel('Signing secret').getAttribute('type')).resolves.toBe('password');
    await form.getByLabel('Signing secret').fill('e2e-signing-secret');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.field', { hasText: 'URL *' }).locator('.field-error').waitFor();
    await form.getByLabel('URL *').fill(`${receiver.url}/emma-hook`);
    await form.getByLabel('HTTP method').selectOption('PUT');
    await form.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('tr[data-channel="ops hook"]');
    await row.waitFor();
    await expectText(row, '(secrets stored: secret)');
    await expect(row.textContent()).resolves.not.toContain('e2e-signing-secret');

    // --- test send: the receiver gets a signed request and the page says it was delivered
    await row.getByRole('button', { name: 'Send test' }).click();
    await row.locator('[data-test-result="ok"]').waitFor();
    await expectText(row.locator('[data-test-result]'), /^Delivered \(HTTP 200, /);
    const received = await until('the test request', () => receiver.requests[0], 5_000);
    expect(received).toMatchObject({ method: 'PUT', path: '/emma-hook' });
    expect(received.headers['x-emma-event']).toBe('test');
    expect(received.headers['x-emma-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(received.json).toMatchObject({ event: 'test', title: 'Test notification for channel "ops hook"' });

    // --- editing never shows the stored secret; empty keeps it
    await row.getByRole('button', { name: 'Edit' }).click();
    await expect(form.getByLabel('Signing secret').inputValue()).resolves.toBe('');
    await expect(form.getByLabel('Type').inputValue()).resolves.toBe('webhook');
    await expect(form.getByLabel('HTTP method').inputValue()).resolves.toBe('PUT');
    await form.getByText('A value is stored and not shown', { exact: false }).waitFor();
    await form.getByLabel('Name *').fill('ops webhook');
    await form.getByRole('button', { name: 'Save' }).click();
    const renamed = page.locator('tr[data-channel="ops webhook"]');
    await renamed.waitFor();
    await expectText(renamed, '(secrets stored: secret)');
    await e.screenshot(page, 'settings-channels');

    // --- alert rule: kind, probe chosen by name, channel, severity
    await page.getByRole('link', { name: 'Alert rules' }).click();
    await page.waitForURL(/\/settings\/rules$/);
    await page.getByRole('button', { name: 'New rule' }).click();
    await form.getByLabel('Kind').selectOption({ label: 'Probe down' });
    await form.getByLabel('Name *').fill('checkout down');
    await form.getByLabel('Severity').selectOption({ label: 'Critical' });
    await form.getByLabel('Search Probe').fill('checkout');
    await form.getByLabel('Probe', { exact: true }).locator('option', { hasText: 'checkout api' }).waitFor({
      state: 'attached',
    });
    await form.getByLabel('Probe', { exact: true }).selectOption({ label: 'checkout api' });
    await form.getByLabel('ops webhook').check();
    await form.getByLabel('For (seconds)').fill('120');
    await form.getByText('How long the condition must hold before an incident opens. (2m 0s)').waitFor();
    await form.getByRole('button', { name: 'Save' }).click();
    const ruleRow = page.locator('tr[data-rule="checkout down"]');
    await ruleRow.waitFor();
    await expectText(ruleRow, /Probe down.*Critical.*probe checkout api.*ops webhook.*2m 0s/);
    const rules = await e.t.request('GET', '/api/v1/alert-rules', { token: admin });
    expect(rules.body.items).toMatchObject([
      { name: 'checkout down', kind: 'probe_down', severity: 'critical', forS: 120, enabled: true },
    ]);
    // Disabling is one click, kept by the server.
    await ruleRow.getByRole('switch', { name: 'Rule “checkout down” enabled' }).uncheck();
    await until(
      'the rule disabled',
      async () =>
        (await e.t.request('GET', '/api/v1/alert-rules', { token: admin })).body.items[0].enabled === false ||
        undefined,
      5_000,
    );
    await e.screenshot(page, 'settings-rules');

    // --- maintenance: one-off for an agent (now for an hour), recurring by labels
    await page.getByRole('link', { name: 'Maintenance windows' }).click();
    await page.getByRole('button', { name: 'New window' }).click();
    await form.getByLabel('Name *').fill('kernel update');
    await form.getByLabel('Reason').fill('security patches');
    await form.getByLabel('Search Agent').fill(agentName);
    const agentSelect = form.getByLabel('Agent *', { exact: true });
    await agentSelect.locator('option', { hasText: agentName }).first().waitFor({ state: 'attached' });
    await agentSelect.selectOption({ label: agentName });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-phase="active"] tr[data-window="kernel update"]').waitFor();

    await page.getByRole('button', { name: 'New window' }).click();
    await form.getByLabel('Name *').fill('weekly backups');
    await form.getByLabel('What').selectOption({ label: 'Agents by labels' });
    await form.getByRole('button', { name: 'Add row' }).click();
    await form.getByLabel('Agent labels: key 1').fill('env');
    await form.getByLabel('Agent labels: value 1').fill('prod');
    await form.getByLabel('Recurring').check();
    await form.getByLabel('Starts (cron, UTC) *').fill('0 2 * * 0');
    await form.getByLabel('Each lasts (minutes) *').fill('120');
    // A series is not bounded by the one-off's default times.
    await expect(form.getByLabel('Not before').inputValue()).resolves.toBe('');
    await expect(form.getByLabel('Not after').inputValue()).resolves.toBe('');
    await form.getByRole('button', { name: 'Save' }).click();
    const weekly = page.locator('tr[data-window="weekly backups"]');
    await weekly.waitFor();
    await expectText(weekly, 'Agents with env=prod');
    await expectText(weekly, '0 2 * * 0 (UTC) for 2h 0m');
    const windows = await e.t.request('GET', '/api/v1/maintenance-windows', { token: admin });
    expect(windows.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'weekly backups',
          cron: '0 2 * * 0',
          durationS: 7200,
          labels: { env: 'prod' },
        }),
        expect.objectContaining({
          name: 'kernel update',
          agentId: agent.agentId,
          reason: 'security patches',
          active: true,
        }),
      ]),
    );
    await e.screenshot(page, 'settings-maintenance');
  }, 90_000);

  it('shows channels read-only to an operator, and nothing changeable to a viewer', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'operator');
    await page.goto('/settings/channels');
    await page.locator('tr[data-channel="ops webhook"]').waitFor();
    await page.getByText('Only administrators can change notification channels.').waitFor();
    for (const name of ['New channel', 'Send test', 'Edit', 'Delete']) {
      await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    }
    // Operators do write rules.
    await page.getByRole('link', { name: 'Alert rules' }).click();
    await page.getByRole('button', { name: 'New rule' }).waitFor();

    const { page: viewer } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await e.loginAs(viewer, 'viewer');
    for (const tab of ['channels', 'rules', 'maintenance']) {
      await viewer.goto(`/settings/${tab}`);
      await viewer.locator('tr[data-channel], tr[data-rule], tr[data-window]').first().waitFor();
      await expect(
        viewer
          .getByRole('button')
          .filter({ hasText: /New|Edit|Delete|Send test/ })
          .count(),
      ).resolves.toBe(0);
      await expect(viewer.getByRole('switch').count()).resolves.toBe(0);
      const overflow = await viewer.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, tab).toBeLessThanOrEqual(0);
    }
  }, 60_000);
});
