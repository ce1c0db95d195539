// Signing in and out, silent refresh, session expiry, language, theme and what each role is offered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E, expectText } from './harness';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
}, 300_000);
afterAll(async () => {
  await e.close();
});

describe('dashboard sign-in', () => {
  it('refuses a wrong password with the server message and signs in with the right one', async () => {
    const { page } = await e.newPage();
    await page.goto('/');
    await page.waitForURL(/\/login\?next=%2F/);
    await page.getByLabel('Email').fill('admin@example.test');
    await page.getByLabel('Password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), /Sign-in failed/);
    await e.loginAs(page, 'admin');
    expect(new URL(page.url()).pathname).toBe('/');
    await e.screenshot(page, 'login-done');
  });

  it('keeps the session across reloads and through access-token expiry, then signs out', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'operator');
    await page.goto('/probes');
    // Signed in again from the stored refresh token (a reload before that finishes would present a
    // refresh token the server already rotated, which it treats as theft).
    await page.locator('.connection[data-status="online"]').waitFor();
    await page.reload();
    await page.locator('.connection[data-status="online"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/probes');
    // The server answers the next API call as it does once an access token expired: the client must
    // refresh silently (against the real server) and repeat the call.
    let refused = 0;
    await page.route('**/api/v1/incidents**', async (route) => {
      if (refused > 0) return route.continue();
      refused += 1;
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'token_expired', message: 'expired', requestId: 'e2e' } }),
      });
    });
    const refreshed = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200,
    );
    await page.getByRole('link', { name: 'Incidents' }).click();
    await refreshed;
    expect(refused).toBe(1);
    await page.waitForURL(/\/incidents$/);
    await expect(page.locator('.banner.tone-bad').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto('/probes');
    await page.waitForURL(/\/login\?next=%2Fprobes/);
  });

  it('sends the user to login when the session is revoked, and back to where they were afterwards', async () => {
    const { page } = await e.newPage();
    const user = await e.loginAs(page, 'viewer');
    await page.goto('/incidents');
    await page.locator('.connection[data-status="online"]').waitFor();
    // An admin disables and re-enables the user: every session of theirs ends.
    const admin = await e.t.tokenFor();
    const users = await e.t.request('GET', `/api/v1/users?q=${encodeURIComponent(user.email)}`, {
      token: admin,
    });
    const id = (users.body.items as { id: string; email: string }[]).find((u) => u.email === user.email)!.id;
    expect(
      (await e.t.request('PATCH', `/api/v1/users/${id}`, { token: admin, body: { disabled: true } })).status,
    ).toBe(200);
    expect(
      (await e.t.request('PATCH', `/api/v1/users/${id}`, { token: admin, body: { disabled: false } })).status,
    ).toBe(200);
    // The next API call (or the live connection's recheck) finds the session gone.
    await page
      .getByRole('link', { name: 'Probes' })
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await page.waitForURL(/\/login\?expired=1&next=%2F/, { timeout: 20_000 });
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  });

  it('offers each role only what it may use', async () => {
    const offered = async (role: 'admin' | 'operator' | 'viewer') => {
      const { page } = await e.newPage();
      await e.loginAs(page, role);
      await page.goto('/probes');
      await page.getByRole('heading', { name: 'Probes' }).waitFor();
      const newProbe = await page.getByRole('link', { name: 'New probe' }).count();
      await page.goto('/admin');
      await page
        .getByRole('table', { name: 'Permissions of each role' })
        .or(page.getByRole('table', { name: 'Users' }))
        .first()
        .waitFor();
      const adminTabs = await page
        .getByRole('navigation', { name: 'Administration' })
        .getByRole('link')
        .allTextContents();
      return { newProbe, adminTabs };
    };
    const admin = await offered('admin');
    expect(admin.newProbe).toBe(1);
    expect(admin.adminTabs).toEqual(expect.arrayContaining(['Users', 'Audit log', 'Roles']));
    const operator = await offered('operator');
    expect(operator.newProbe).toBe(1);
    expect(operator.adminTabs).toEqual(['Roles']);
    const viewer = await offered('viewer');
    expect(viewer.newProbe).toBe(0);
    expect(viewer.adminTabs).toEqual(['Roles']);
  });

  it('switches to German and to the dark theme, and remembers both', async () => {
    const { page } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await e.loginAs(page, 'viewer');
    await page.locator('#locale-select').selectOption('de');
    await page.getByRole('button', { name: 'Design wechseln' }).click();
    await page.reload();
    await page.locator('.connection[data-status="online"]').waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await page.getByRole('button', { name: 'Abmelden' }).count()).toBe(1);
    // The phone layout hides the navigation behind the menu button.
    expect(await page.locator('nav.sidebar').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menü' }).click();
    expect(await page.locator('nav.sidebar').isVisible()).toBe(true);
    await e.screenshot(page, 'phone-dark-de');
  });
});
