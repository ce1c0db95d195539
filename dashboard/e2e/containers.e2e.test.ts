// Containers end to end: a real agent process watches a real engine (Podman's Docker API) running a busybox
// container and reports it to the real server; an operator finds it in the list, stops it from its page
// (confirming first), follows the action's progress until the container is exited, and starts it again;
// a viewer sees the same page without any of the buttons.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX_IMAGE, ROOT, startTestEngine, type TestEngine } from '../../test-support/engine';
import { until } from '../../test-support/until';
import { startE2E, type E2E, expectText } from './harness';

/** How far the page is wider than the window (0 when nothing sticks out). */
const OVERFLOW = 'document.documentElement.scrollWidth - window.innerWidth';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const PREFIX = `emma-dash-${process.pid}`;
const WEB = `${PREFIX}-web`;
const HOST = `dash-host-${process.pid}`;

let e: E2E;
let engine: TestEngine;
let stateDir: string;
let agent: ChildProcess | undefined;
let containerId: string;

interface ContainerBody {
  id: string;
  name: string;
  state: string;
  stats: unknown;
}

async function engineState(): Promise<string> {
  return engine.podman('inspect', '--format', '{{.State.Status}}', WEB);
}

beforeAll(async () => {
  engine = await startTestEngine();
  await engine.remove(WEB);
  // A shell that exits on SIGTERM, so a stop takes a second, not the engine's kill timeout.
  await engine.podman(
    'run',
    '-d',
    '--name',
    WEB,
    '--label',
    'tier=web',
    '-p',
    '127.0.0.1::80',
    BUSYBOX_IMAGE,
    'sh',
    '-c',
    'trap "exit 0" TERM; while :; do sleep 1; done',
  );
  e = await startE2E();
  const admin = await e.t.tokenFor();
  const created = await e.t.request('POST', '/api/v1/enrollment-tokens', {
    token: admin,
    body: { name: HOST },
  });
  expect(created.status).toBe(201);
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'emma-dash-containers-'));
  agent = spawn(TSX, [path.join(ROOT, 'agent/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      EMMA_URL: e.t.url,
      EMMA_ENROLL_TOKEN: created.body.token as string,
      EMMA_AGENT_NAME: HOST,
      EMMA_STATE_DIR: stateDir,
      EMMA_INTERVAL_S: '1',
      EMMA_LOG_LEVEL: 'warn',
      EMMA_DOCKER: 'on',
      EMMA_DOCKER_SOCKET: engine.socketPath,
      EMMA_COMMAND_WAIT_S: '5',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const web = await until(
    'the agent to report the running container with stats',
    async () => {
      const res = await e.t.request<{ items: ContainerBody[] }>('GET', `/api/v1/containers?name=${PREFIX}`, {
        token: admin,
      });
      return res.body.items.find((c) => c.name === WEB && c.state === 'running' && c.stats !== null);
    },
    90_000,
  );
  containerId = web.id;
}, 300_000);

afterAll(async () => {
  agent?.kill('SIGTERM');
  await engine.remove(WEB);
  await e.close();
  await rm(stateDir, { recursive: true, force: true });
}, 120_000);

describe('containers', () => {
  it('lets an operator stop a container after confirming, follow the action, and start it again', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'operator');
    await page.goto(`/containers?q=${PREFIX}`);
    const row = page.locator(`[data-container="${WEB}"]`);
    await row.waitFor();
    await expect(row.getAttribute('data-state')).resolves.toBe('running');
    await expectText(row, BUSYBOX_IMAGE);
    // Grouped per host: the host's header row comes first, with its count.
    await page.locator('.ct-host', { hasText: HOST }).getByText('1 of 1 running').waitFor();
    // The state filter is in the address too.
    await page.getByRole('button', { name: 'Exited' }).click();
    await page.getByText('No container matches these filters.').waitFor();
    expect(page.url()).toMatch(/state=exited/);
    await page.getByRole('button', { name: 'Running' }).click();
    await page.getByRole('button', { name: 'Exited' }).click();
    await row.waitFor();
    await e.screenshot(page, 'containers');

    await row.getByRole('link', { name: WEB }).click();
    await page.waitForURL(`**/containers/${containerId}`);
    await page.getByRole('heading', { name: WEB }).waitFor();
    const title = page.locator('.ct-title');
    await title.locator('[data-state="running"]').waitFor();
    await page.getByText('tier=web').waitFor();
    const button = (name: string) =>
      page.getByRole('group', { name: 'Container actions' }).getByRole('button', { name, exact: true });
    await expect(button('Start').isDisabled()).resolves.toBe(true);
    await expect(button('Stop').isEnabled()).resolves.toBe(true);

    // Stop: asked first; cancelling does nothing.
    await button('Stop').click();
    const dialog = page.getByRole('dialog', { name: `Stop ${WEB}?` });
    await dialog.getByText(`The agent on ${HOST} stops ${WEB}`).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog.count()).resolves.toBe(0);
    const none = await e.t.request('GET', `/api/v1/containers/${containerId}/actions`, {
      token: await e.t.tokenFor(),
    });
    expect(none.body.items).toEqual([]);

    await button('Stop').click();
    await dialog.getByRole('button', { name: 'Stop' }).click();
    const progress = page.getByRole('region', { name: 'Action progress' });
    await progress.getByRole('heading', { name: `Stop: ${WEB}` }).waitFor();
    // While it is on its way, nothing else can be requested.
    await expect(button('Restart').isDisabled()).resolves.toBe(true);
    await page.locator('.ct-progress[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await expect(progress.locator('[data-step="succeeded"]').getAttribute('data-state')).resolves.toBe(
      'done',
    );
    await title.locator('[data-state="exited"]').waitFor({ timeout: 30_000 });
    expect(await engineState()).toBe('exited');
    await expectText(progress, /Requested by operator/);
    await page.locator('table').getByText('Exited').first().waitFor();
    await expect(button('Start').isEnabled()).resolves.toBe(true);
    await expect(button('Stop').isDisabled()).resolves.toBe(true);
    await e.screenshot(page, 'container-detail');

    await button('Start').click();
    await page
      .getByRole('dialog', { name: `Start ${WEB}?` })
      .getByRole('button', { name: 'Start' })
      .click();
    await progress.getByRole('heading', { name: `Start: ${WEB}` }).waitFor();
    await page.locator('.ct-progress[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await title.locator('[data-state="running"]').waitFor({ timeout: 30_000 });
    expect(await engineState()).toBe('running');
    // Both actions are listed, newest first.
    const history = page.getByRole('heading', { name: 'Recent actions' }).locator('..');
    await expect.poll(() => history.locator('tbody tr').count()).toBe(2);
    await expectText(history.locator('tbody tr').first(), /Start.*Succeeded/);
  }, 180_000);

  it('shows a viewer the container without any action', async () => {
    const { page } = await e.newPage();
    await e.loginAs(page, 'viewer');
    await page.goto(`/containers/${containerId}`);
    await page.getByRole('heading', { name: WEB }).waitFor();
    await page.locator('.ct-title [data-state="running"]').waitFor();
    await page.getByRole('heading', { name: 'Recent actions' }).waitFor();
    await expect(page.getByRole('group', { name: 'Container actions' }).count()).resolves.toBe(0);
    for (const name of ['Start', 'Stop', 'Restart'])
      await expect(page.getByRole('button', { name, exact: true }).count()).resolves.toBe(0);
  }, 60_000);

  it('fits a phone: the list and the page scroll within the screen', async () => {
    const { page } = await e.newPage({ viewport: { width: 390, height: 844 } });
    await e.loginAs(page, 'operator');
    await page.goto(`/containers?q=${PREFIX}`);
    await page.locator(`[data-container="${WEB}"]`).waitFor();
    expect(await page.evaluate<number>(OVERFLOW)).toBeLessThanOrEqual(0);
    await page.goto(`/containers/${containerId}`);
    await page.locator('.ct-title [data-state="running"]').waitFor();
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.evaluate<number>(OVERFLOW)).toBeLessThanOrEqual(0);
  }, 60_000);
});
