// Probes: an operator creates an HTTP probe through the form generated from the server's schema, against
// a local HTTP server, meets a client-side and a server-side validation error at their fields, sees the
// probe in the list and its detail turning up live as the agent reports; a viewer is offered none of the
// writing controls; the list fits a phone.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolledAgent, type EnrolledAgent } from '../../backend/src/modules/agents/agent-fixtures';
import { postResults, probeResult } from '../../backend/src/modules/probes/probe-fixtures';
import { startE2E, type E2E, expectText } from './harness';

/** How far the page is wider than the window (0 when nothing sticks out). */
const OVERFLOW = 'document.documentElement.scrollWidth - window.innerWidth';

let e: E2E;
let target: http.Server;
let targetUrl: string;
let agent: EnrolledAgent;
let probeId: string;
const NAME = 'Shop health (e2e)';

beforeAll(async () => {
  target = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('OK');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
  e = await startE2E();
  agent = await enrolledAgent(e.t, await e.t.tokenFor(), { labels: { site: 'e2e' } });
  await e.t.db.query(`UPDATE agents SET name = 'probe-runner' WHERE id = $1`, [agent.agentId]);
}, 300_000);

afterAll(async () => {
  await e.close();
  await new Promise((resolve) => target.close(resolve));
});

describe('probes', () => {
  it('lets an operator create an HTTP probe through the generated form, with errors at their fields', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'operator');
    await page.goto('/probes');
    await page.getByText('No probes yet.', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'New probe' }).click();
    await page.waitForURL('**/probes/new');

    const form = page.getByRole('form', { name: 'Probe' });
    const field = (path: string) => form.locator(`[data-field="${path}"]`);
    // Every type of the server's union is offered; the HTTP fields come from its schema with their defaults.
    await form.getByRole('radio', { name: 'HTTP(S)' }).waitFor();
    await expect(form.getByRole('radiogroup', { name: 'Type' }).getByRole('radio').count()).resolves.toBe(6);
    await expect(field('config.method').locator('select').inputValue()).resolves.toBe('GET');
    await expect(field('config.expectStatus').locator('input').inputValue()).resolves.toBe('200-399');
    await expect(field('intervalS').locator('input').inputValue()).resolves.toBe('60');
    await expect(field('config.followRedirects').locator('input').isChecked()).resolves.toBe(true);
    // The SQL password is write-only in the schema, so it is a password input.
    await form.getByRole('radio', { name: 'SQL' }).click();
    await expect(field('config.password').locator('input').getAttribute('type')).resolves.toBe('password');
    await form.getByRole('radio', { name: 'HTTP(S)' }).click();
    await expect(field('config.password').count()).resolves.toBe(0);

    // Checked in the browser from the schema: the URL is required.
    await field('name').locator('input').fill(NAME);
    await form.getByRole('button', { name: 'Create' }).click();
    await expectText(field('config.url').locator('.field-error'), 'Required.', { exact: true });

    // Checked by the server only: the timeout must be shorter than the interval.
    await field('config.url').locator('input').fill(targetUrl);
    await field('config.keyword').locator('input').fill('OK');
    await field('intervalS').locator('input').fill('30');
    await field('timeoutMs').locator('input').fill('45000');
    await field('agentId').locator('select').selectOption({ label: 'probe-runner (Offline)' });
    await form.getByRole('button', { name: 'Create' }).click();
    const timeoutError = field('timeoutMs').locator('.field-error');
    await expectText(timeoutError, 'must be shorter than the interval', { exact: true });
    await expect(field('timeoutMs').locator('input').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(form.locator('.field-error').count()).resolves.toBe(1);
    await e.screenshot(page, 'probe-form');

    await field('timeoutMs').locator('input').fill('5000');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/probes\/[0-9a-f-]{36}$/);
    probeId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: NAME }).waitFor();
    await page.locator('.pr-title [data-state="pending"]').waitFor();

    // What the form sent is what the server stored.
    const stored = await e.t.request('GET', `/api/v1/probes/${probeId}`, { token: await e.t.tokenFor() });
    expect(stored.body).toMatchObject({
      name: NAME,
      type: 'http',
      intervalS: 30,
      timeoutMs: 5000,
      retries: 0,
      paused: false,
      agentId: agent.agentId,
      config: {
        url: targetUrl,
        method: 'GET',
        keyword: 'OK',
        expectStatus: '200-399',
        followRedirects: true,
      },
    });

    // The agent reports: the page turns up without a reload and shows the results.
    const now = Date.now();
    const sent = await postResults(e.t, agent.credential, 1, [
      probeResult(probeId, 'up', now - 60_000, 41, 'HTTP 200 in 41 ms'),
      probeResult(probeId, 'up', now - 30_000, 37, 'HTTP 200 in 37 ms'),
      probeResult(probeId, 'up', now - 1000, 35, 'HTTP 200 in 35 ms'),
    ]);
    expect(sent.status).toBe(200);
    await page.locator('.pr-title [data-state="up"]').waitFor();
    await page.locator('tr[data-agent]', { hasText: 'probe-runner' }).getByText('Up').waitFor();
    await page.getByRole('cell', { name: 'HTTP 200 in 35 ms' }).first().waitFor();
    await page.locator('[data-window="24h"] .value', { hasText: '100' }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await e.screenshot(page, 'probe-detail');

    // The list shows it with its uptime bar, and filters by state and search.
    await page.getByRole('link', { name: '← Probes' }).click();
    const row = page.locator(`[data-probe="${NAME}"]`);
    await row.waitFor();
    await expectText(row, targetUrl);
    await row.getByRole('img', { name: /Uptime in the last 24 hours: 100/ }).waitFor();
    await page.getByRole('button', { name: /^Down/ }).click();
    await page.getByText('No probe matches these filters.').waitFor();
    expect(page.url()).toMatch(/state=down/);
    await page.getByRole('button', { name: /^Up/ }).click();
    await row.waitFor();
    await page.getByPlaceholder('Search name or target').fill('127.0.0.1');
    await row.waitFor();
    await e.screenshot(page, 'probes');
  }, 120_000);

  it('edits a probe in the same generated form, prefilled', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'operator');
    await page.goto(`/probes/${probeId}/edit`);
    const form = page.getByRole('form', { name: 'Probe' });
    const field = (path: string) => form.locator(`[data-field="${path}"]`);
    await expect(field('config.url').locator('input').inputValue()).resolves.toBe(targetUrl);
    await expect(field('agentId').locator('select').inputValue()).resolves.toBe(agent.agentId);
    await expect(form.getByRole('radio', { name: 'SQL' }).count()).resolves.toBe(0);
    await field('name').locator('input').fill(`${NAME} v2`);
    await field('config.keyword').locator('input').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`**/probes/${probeId}`);
    await page.getByRole('heading', { name: `${NAME} v2` }).waitFor();
    const stored = await e.t.request('GET', `/api/v1/probes/${probeId}`, { token: await e.t.tokenFor() });
    expect(stored.body.name).toBe(`${NAME} v2`);
    expect(stored.body.config.keyword).toBeUndefined();
    expect(stored.body.config.url).toBe(targetUrl);
  }, 60_000);

  it('offers a viewer no creating, editing, pausing or deleting', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'viewer');
    await page.goto('/probes');
    await page.locator(`[data-probe="${NAME} v2"]`).waitFor();
    await expect(page.getByRole('link', { name: 'New probe' }).count()).resolves.toBe(0);
    await page.locator(`[data-probe="${NAME} v2"]`).getByRole('link').click();
    await page.getByRole('heading', { name: `${NAME} v2` }).waitFor();
    await page.locator('[data-window="24h"] .value', { hasText: '100' }).waitFor();
    for (const name of ['Edit', 'Pause', 'Delete'])
      await expect(
        page.getByRole('button', { name }).or(page.getByRole('link', { name })).count(),
      ).resolves.toBe(0);
    await page.goto('/probes/new');
    await page.getByText('Your role may not do this.').waitFor();
    await expect(page.getByRole('form', { name: 'Probe' }).count()).resolves.toBe(0);
  }, 60_000);

  it('fits a phone: the list scrolls inside its frame, the page does not', async () => {
    const { page } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await e.loginAs(page, 'operator');
    await page.goto('/probes');
    await page.locator(`[data-probe="${NAME} v2"]`).waitFor();
    const overflow = await page.evaluate<number>(OVERFLOW);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto(`/probes/${probeId}`);
    await page.locator('[data-window="24h"] .value', { hasText: '100' }).waitFor();
    const detailOverflow = await page.evaluate<number>(OVERFLOW);
    expect(detailOverflow).toBeLessThanOrEqual(0);
  }, 60_000);
});
