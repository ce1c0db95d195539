// Agents & enrolment: an operator creates a token and copies its install command, a host enrols with it
// through the public API as an agent would, waits for approval, comes online, and is revoked; a viewer
// sees the lists but none of the controls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentGet,
  batch,
  enrolledAgent,
  enrollWith,
  HOST,
  postIngest,
} from '../../backend/src/modules/agents/agent-fixtures';
import { startE2E, type E2E, expectText } from './harness';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 300_000);
afterAll(async () => {
  await e.close();
});

describe('agents & enrolment', () => {
  it('lets an operator create a token, copy its command, approve the agent that enrols, and revoke it', async () => {
    const { context, page } = await e.newPage();
    page.setDefaultTimeout(15_000);
    const readClipboard = () => page.evaluate<string>('navigator.clipboard.readText()');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e.t.url });
    await e.loginAs(page, 'operator');
    await page.goto('/agents');
    const tokens = page.getByTestId('tokens-section');
    await tokens.getByRole('button', { name: 'New enrolment token' }).click();

    const form = page.getByRole('form', { name: 'New enrolment token' });
    // Label names the server would refuse are caught at once; the server's own refusals show at the field.
    await form.getByLabel('Name').fill('e2e rollout');
    await form.getByLabel('Labels').fill('Site=berlin');
    await form.getByRole('button', { name: 'Create token' }).click();
    await expectText(form.locator('.field-error'), /lowercase.*Site=berlin/);
    await form.getByLabel('Labels').fill('site=berlin, env=e2e');
    await form.getByLabel('Number of hosts (uses)').fill('0');
    await form.getByRole('button', { name: 'Create token' }).click();
    const usesError = form.locator('label', { hasText: 'Number of hosts' }).locator('.field-error');
    await expectText(usesError, />=\s*1/);
    await expect(form.locator('.field-error').count()).resolves.toBe(1);

    await form.getByLabel('Valid for').selectOption({ label: '7 days' });
    await form.getByLabel('Number of hosts (uses)').fill('3');
    await form.getByLabel('New agents wait for approval').check();
    await form.getByRole('button', { name: 'Create token' }).click();

    const created = page.getByRole('region', { name: 'New enrolment token' });
    const token = (await created.getByTestId('token-value').textContent()) ?? '';
    expect(token).toMatch(/^emmaet_[0-9a-f-]{36}\.\S+$/);
    const dockerRun = (await created.getByTestId('docker-run').textContent()) ?? '';
    expect(dockerRun).toMatch(/^docker run -d --name emma-agent/);
    expect(dockerRun).toContain(`EMMA_ENROLL_TOKEN=${token}`);
    expect(dockerRun).toContain(`EMMA_URL=${e.t.url}`);

    await created.getByRole('button', { name: 'Copy command' }).click();
    await created.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await readClipboard()).toBe(dockerRun);
    await created.getByRole('button', { name: 'Copy token' }).click();
    await expect.poll(() => readClipboard()).toBe(token);

    const tokenRow = tokens.locator('tbody tr', { hasText: 'e2e rollout' }).first();
    await expectText(tokenRow, /Active.*0 of 3.*Yes.*in 7 days/);
    await tokenRow.getByText('site=berlin').waitFor();
    await tokenRow.getByText('env=e2e').waitFor();
    await e.screenshot(page, 'agents-token-created');
    await created.getByRole('button', { name: 'Done' }).click();
    await expect(created.count()).resolves.toBe(0);

    // A host enrols with the token, exactly as the agent does on its first start.
    const enrolment = await enrollWith(e.t, token, 'e2e-host-1');
    expect(enrolment.status).toBe(201);
    const { agentId, credential, status } = enrolment.body as {
      agentId: string;
      credential: string;
      status: string;
    };
    expect(status).toBe('pending');

    const pendingRow = page.getByTestId('pending-section').locator(`tr[data-agent-id="${agentId}"]`);
    await pendingRow.waitFor({ timeout: 25_000 });
    await expectText(pendingRow, /e2e-host-1.*Pending.*0\.1\.0.*site=berlin/);
    await tokenRow.getByText('1 of 3').waitFor({ timeout: 25_000 });

    await pendingRow.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Agent “e2e-host-1” approved; it starts sending data.').waitFor();
    await expect.poll(() => page.getByTestId('pending-section').count()).toBe(0);

    // Its first batch brings it online; the page hears of it over the live connection.
    const ingest = await postIngest(
      e.t,
      credential,
      batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 7]] }]),
    );
    expect(ingest.status).toBe(200);
    const row = page.getByTestId('agents-section').locator(`tr[data-agent-id="${agentId}"]`);
    await page
      .getByTestId('agents-section')
      .locator(`tr[data-agent-id="${agentId}"][data-status="online"]`)
      .waitFor();
    await expectText(row, /e2e-host-1.*Online.*e2e-host-1.*0\.1\.0.*linux \/ x64/);
    await e.screenshot(page, 'agents');

    // Rotating asks first, then marks the agent until it has fetched its new credential.
    await row.getByRole('button', { name: 'Rotate credential' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate the credential of “e2e-host-1”?' });
    await rotate.getByRole('button', { name: 'Rotate credential' }).click();
    await row.getByText('New credential requested').waitFor();

    // Revoking asks for confirmation; cancelling changes nothing.
    await row.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke agent “e2e-host-1”?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.count()).resolves.toBe(0);
    await expect(row.getAttribute('data-status')).resolves.toBe('online');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Agent “e2e-host-1” revoked.').waitFor();
    await page
      .getByTestId('agents-section')
      .locator(`tr[data-agent-id="${agentId}"][data-status="revoked"]`)
      .waitFor();
    await expect(row.getByRole('button', { name: 'Delete' }).count()).resolves.toBe(1);
    // The agent's own credential no longer works.
    expect((await agentGet(e.t, credential, '/api/v1/agents/self/config')).status).toBe(401);

    // Revoking the token takes it off the list.
    await tokenRow.getByRole('button', { name: 'Revoke' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke token “e2e rollout”?' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await page.getByText('Token “e2e rollout” revoked.').waitFor();
    await expect.poll(() => tokens.locator('tbody tr', { hasText: 'e2e rollout' }).count()).toBe(0);
    expect((await enrollWith(e.t, token, 'e2e-host-2')).status).toBe(401);
  }, 90_000);

  it('shows a viewer the agents without the token section or any control', async () => {
    const operator = (await e.t.userWithRole('operator')).token;
    const pending = await enrolledAgent(e.t, operator, { requiresApproval: true });
    const live = await enrolledAgent(e.t, operator);
    const { page } = await e.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(15_000);
    await e.loginAs(page, 'viewer');
    await page.goto('/agents');
    await page.getByTestId('pending-section').locator(`tr[data-agent-id="${pending.agentId}"]`).waitFor();
    await page.getByTestId('agents-section').locator(`tr[data-agent-id="${live.agentId}"]`).waitFor();
    await expect(page.getByTestId('tokens-section').count()).resolves.toBe(0);
    for (const name of [
      'New enrolment token',
      'Approve',
      'Reject',
      'Revoke',
      'Rotate credential',
      'Delete',
    ]) {
      await expect(page.getByRole('button', { name, exact: true }).count(), name).resolves.toBe(0);
    }
    await expect(page.locator('main table button').count()).resolves.toBe(0);
    // The phone layout scrolls the table inside its frame, not the page.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await expectText(page.getByTestId('agents-section'), HOST.hostname);
  }, 90_000);
});
