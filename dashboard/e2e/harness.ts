// End-to-end tests of the dashboard: the real backend (API + realtime + worker) on a real database, the
// built dashboard served by it, and Debian's Chromium driven by playwright-core.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { vi } from 'vitest';
import type { Role } from '@emma/protocol';
import { startTestServer, ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer } from '../../backend/test/harness';
import { launchChromium } from '../../test-support/chromium';
import { ROOT } from '../../test-support/engine';

const run = promisify(execFile);

// A browser test walks through many screens; on a loaded 2-core CI machine each step may take seconds.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });
export const DIST_DIR = path.join(ROOT, '.emma-test', 'dashboard-dist');
/** Screenshots of the main screens land here (the CI keeps them as test output). */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-output', 'screenshots');

export interface E2E {
  t: TestServer;
  browser: Browser;
  /** A fresh browser context (own storage) with a page, at the dashboard's origin. */
  newPage(options?: {
    viewport?: { width: number; height: number };
  }): Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in through the login form; for 'admin' the first admin, else a new user of that role. */
  loginAs(page: Page, role: Role): Promise<{ email: string; password: string }>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Installs Chromium when missing and builds the dashboard (once per source change); returns Chromium's path. */
export async function prepareE2E(): Promise<string> {
  const { stdout } = await run('bash', [path.join(ROOT, 'scripts/ensure-e2e.sh'), DIST_DIR], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}

export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  const executablePath = await prepareE2E();
  const t = await startTestServer(
    { EMMA_DASHBOARD_DIR: DIST_DIR, ...env },
    { serverOptions: { realtime: true, worker: true } },
  );
  const browser = await launchChromium(executablePath);
  const contexts: BrowserContext[] = [];
  return {
    t,
    browser,
    newPage: async (options = {}) => {
      const context = await browser.newContext({
        baseURL: t.url,
        viewport: options.viewport ?? { width: 1280, height: 800 },
        locale: 'en-US',
      });
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    loginAs: async (page, role) => {
      const user =
        role === 'admin' ? { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } : await t.userWithRole(role);
      await page.goto('/login');
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.locator('.connection[data-status="online"]').waitFor();
      return { email: user.email, password: user.password };
    },
    screenshot: async (page, name) => {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await t.close();
    },
  };
}

/**
 * Waits until the locator's text matches — rows render before the names they show (a probe's, a channel's)
 * have loaded, so a single read races the page. Fails with the last text seen.
 */
export async function expectText(
  locator: Locator,
  expected: string | RegExp,
  { exact = false, timeoutMs = 20_000 }: { exact?: boolean; timeoutMs?: number } = {},
): Promise<string> {
  const matches = (text: string): boolean =>
    typeof expected === 'string'
      ? exact
        ? text === expected
        : text.includes(expected)
      : expected.test(text);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) })) ?? '';
    if (matches(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `expected text ${exact ? 'equal to' : 'matching'} ${String(expected)}, last seen: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
