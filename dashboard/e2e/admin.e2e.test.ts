// Administration: an admin manages a user through the UI and finds every step in the audit log (live),
// whose chain verifies; the last admin cannot be demoted; an operator sees only what they may, and
// changes the password an admin gave them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E, expectText } from './harness';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 300_000);
afterAll(async () => {
  await e.close();
});

const EMAIL = 'olga.ops@example.test';

describe('administration', () => {
  it('lets an admin create an operator, change their role and disable them, all in the audit log', async () => {
    const { page } = await e.newPage();
    page.setDefaultTimeout(15_000);
    await e.loginAs(page, 'admin');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.waitForURL(/\/admin$/);
    const users = page.getByRole('table', { name: 'Users' });
    await users.waitFor();

    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByLabel('Name').fill('Olga Ops');
    await form.getByLabel('Role').selectOption('operator');
    await form.getByLabel('Initial password').fill('short');
    await form.getByRole('button', { name: 'Create user' }).click();
    // Both refusals of the server, each at its field.
    const fieldError = (label: string) => form.locator('label', { hasText: label }).locator('.field-error');
    await fieldError('Email').waitFor();
    await expectText(fieldError('Initial password'), /at least 10 characters/);

    await form.getByLabel('Email').fill(EMAIL);
    await form.getByLabel('Initial password').fill('operator-pass-123');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText(`User Olga Ops (${EMAIL}) created.`).waitFor();
    const row = users.locator(`tr[data-email="${EMAIL}"]`);
    await expect(row.getByLabel('Role of Olga Ops').inputValue()).resolves.toBe('operator');
    await expectText(row, /Active.*Must change password.*never/);
    const id = (await row.getAttribute('data-user-id')) ?? '';
    await e.screenshot(page, 'admin-users');

    // A second user with the same email is refused at the email field.
    await page.getByRole('button', { name: 'New user' }).click();
    await form.getByLabel('Email').fill(EMAIL);
    await form.getByLabel('Name').fill('Olga Again');
    await form.getByRole('button', { name: 'Create user' }).click();
    await expectText(fieldError('Email'), 'A user with this email already exists', { exact: true });
    await form.getByRole('button', { name: 'Cancel' }).click();

    // Role: asked first; cancelling leaves the select as it was.
    await row.getByLabel('Role of Olga Ops').selectOption('viewer');
    const roleDialog = page.getByRole('dialog', { name: 'Make Olga Ops Viewer?' });
    await roleDialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(row.getByLabel('Role of Olga Ops').inputValue()).resolves.toBe('operator');
    await row.getByLabel('Role of Olga Ops').selectOption('viewer');
    await roleDialog.getByRole('button', { name: 'Change role' }).click();
    await page.getByText('Olga Ops is now Viewer.').waitFor();
    await expect(row.getByLabel('Role of Olga Ops').inputValue()).resolves.toBe('viewer');

    await row.getByRole('button', { name: 'Disable' }).click();
    await page
      .getByRole('dialog', { name: 'Disable Olga Ops?' })
      .getByRole('button', { name: 'Disable' })
      .click();
    await page.getByText('Olga Ops was disabled.').waitFor();
    await row.locator('[data-state="disabled"]').waitFor();

    // The last admin cannot demote themselves: the server's message is shown.
    const self = users.locator('tr', { has: page.getByText('you', { exact: true }) });
    await self.getByRole('combobox').selectOption('operator');
    const demote = page.getByRole('dialog');
    await demote.getByRole('button', { name: 'Change role' }).click();
    await expectText(demote.getByRole('alert'), /last active admin/);
    await demote.getByRole('button', { name: 'Cancel' }).click();
    await expect(self.getByRole('combobox').inputValue()).resolves.toBe('admin');

    // The audit log has each step, newest first, and hears of new ones live.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(/\/admin\/audit$/);
    const list = page.getByRole('list', { name: 'Audit log' });
    await list
      .locator('.audit-row[data-action="user.created"]', { hasText: 'admin@example.test' })
      .first()
      .waitFor();
    await expect(
      list.locator('.audit-row[data-action="user.updated"]').count(),
    ).resolves.toBeGreaterThanOrEqual(2);

    await page.getByLabel('Target id').fill(id);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('targetId') === id);
    const actions = async () =>
      Promise.all((await list.locator('.audit-row').all()).map((r) => r.getAttribute('data-action')));
    await expect.poll(actions).toEqual(['user.updated', 'user.updated', 'user.created']);

    const admin = await e.t.tokenFor();
    expect(
      (await e.t.request('PATCH', `/api/v1/users/${id}`, { token: admin, body: { disabled: false } })).status,
    ).toBe(200);
    await expect.poll(() => list.locator('.audit-row').count(), { timeout: 10_000 }).toBe(4);

    // The role change in detail: before and after.
    await list.locator('.audit-row[data-action="user.updated"]').nth(2).click();
    const details = page.getByRole('dialog', { name: 'Audit entry' });
    await expectText(details.locator('pre').nth(0), '"role": "operator"');
    await expectText(details.locator('pre').nth(1), '"role": "viewer"');
    await details.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Verify chain' }).click();
    const verdict = page.getByTestId('verify-result');
    await expect(verdict.getAttribute('data-intact')).resolves.toBe('true');
    await expectText(verdict, /^Chain intact: all \d+ entries/);
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.waitForURL(/\/admin\/audit$/);
    await expect.poll(() => list.locator('.audit-row').count()).toBeGreaterThan(4);
    await e.screenshot(page, 'admin-audit');
  }, 90_000);

  it('shows an operator neither users nor the audit log, and lets them change their own password', async () => {
    const { page } = await e.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(15_000);
    const operator = await e.loginAs(page, 'operator');
    await page.goto('/admin');
    await page.getByRole('table', { name: 'Permissions of each role' }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Administration' });
    await expect(tabs.getByRole('link').allTextContents()).resolves.toEqual(['Roles']);
    await expect(
      page.locator('tr[data-permission="users:write"] td[data-role="operator"]').getAttribute('data-granted'),
    ).resolves.toBe('false');

    for (const tab of ['users', 'audit']) {
      await page.goto(`/admin/${tab}`);
      await page.getByTestId('no-permission').waitFor();
      await expect(page.getByRole('table', { name: 'Users' }).count()).resolves.toBe(0);
      await expect(page.getByRole('list', { name: 'Audit log' }).count()).resolves.toBe(0);
    }

    // An admin set this operator's password: the page asks them to choose their own.
    await page.getByText('Your password was set by an administrator').waitFor();
    await page.getByRole('button', { name: 'Change it now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.getByLabel('Current password').fill('not my password');
    await dialog.locator('input[name="newPassword"]').fill('my-own-password-1');
    await dialog.getByLabel('Repeat the new password').fill('my-own-password-1');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expectText(dialog.locator('.field-error'), 'is incorrect', { exact: true });

    await dialog.getByLabel('Current password').fill(operator.password);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('Your password was changed.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByText('Your password was set by an administrator').count()).resolves.toBe(0);
    expect((await e.t.login(operator.email, 'my-own-password-1')).status).toBe(200);
  }, 90_000);
});
