// Alerting on a real container: the real agent process watches a real engine (Podman's Docker API); a
// container killed on the engine opens an incident through the server's worker, which notifies a real
// webhook receiver once; started again, the incident resolves and the receiver hears that too.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../backend/test/harness';
import { BUSYBOX_IMAGE, startTestEngine, type TestEngine } from '../../test-support/engine';
import { until } from '../../test-support/until';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const NAME = `emma-alert-e2e-${process.pid}`;

interface Notice {
  event: string;
  incidentId: string;
  ruleId: string;
}

let t: TestServer;
let engine: TestEngine;
let stateDir: string;
let agent: ChildProcess | undefined;
let receiver: http.Server;
const received: Notice[] = [];

beforeAll(async () => {
  engine = await startTestEngine();
  await engine.remove(NAME);
  await engine.podman('run', '-d', '--name', NAME, BUSYBOX_IMAGE, 'sleep', '600');
  t = await startTestServer(
    { EMMA_ALERT_EVAL_INTERVAL_S: '0.2', EMMA_NOTIFY_POLL_MS: '100' },
    { serverOptions: { worker: true } },
  );
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'emma-alert-e2e-'));
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Notice);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
}, 180_000);

afterAll(async () => {
  agent?.kill('SIGTERM');
  await engine.remove(NAME);
  await t.close();
  await new Promise((resolve) => receiver.close(resolve));
  await rm(stateDir, { recursive: true, force: true });
}, 120_000);

it('a killed container opens an incident, notifies once, and resolves when it runs again', async () => {
  const admin = await t.tokenFor();
  const operator = (await t.userWithRole('operator')).token;
  const port = (receiver.address() as AddressInfo).port;
  const channel = await t.request('POST', '/api/v1/notification-channels', {
    token: admin,
    body: { name: 'hook', type: 'webhook', config: { url: `http://127.0.0.1:${String(port)}/hook` } },
  });
  expect(channel.status).toBe(201);

  const token = await t.request('POST', '/api/v1/enrollment-tokens', { token: admin, body: { name: 'e2e' } });
  agent = spawn(TSX, [path.join(ROOT, 'agent/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      EMMA_URL: t.url,
      EMMA_ENROLL_TOKEN: token.body.token as string,
      EMMA_STATE_DIR: stateDir,
      EMMA_INTERVAL_S: '1',
      EMMA_LOG_LEVEL: 'warn',
      EMMA_DOCKER: 'on',
      EMMA_DOCKER_SOCKET: engine.socketPath,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const container = await until('the container reported running', async () => {
    const res = await t.request('GET', `/api/v1/containers?name=${NAME}`, { token: admin });
    const found = (res.body as { items: { id: string; state: string; agent: { id: string } }[] }).items[0];
    return found?.state === 'running' ? found : undefined;
  });

  const rule = await t.request('POST', '/api/v1/alert-rules', {
    token: operator,
    body: {
      name: 'container died',
      kind: 'container_exited',
      agentId: container.agent.id,
      severity: 'critical',
      forS: 0,
      channelIds: [channel.body.id],
    },
  });
  expect(rule.status).toBe(201);
  const ruleId = rule.body.id as string;
  const eventsOfRule = () => received.filter((n) => n.ruleId === ruleId).map((n) => n.event);

  await engine.podman('kill', NAME);
  const incident = await until('an incident for the killed container', async () => {
    const res = await t.request('GET', `/api/v1/incidents?ruleId=${ruleId}`, { token: admin });
    return (res.body as { items: { id: string; status: string }[] }).items.find((i) => i.status === 'open');
  });
  await until('the webhook to hear of it', () => (eventsOfRule().includes('opened') ? true : undefined));

  await engine.podman('start', NAME);
  await until('the incident to resolve', async () => {
    const res = await t.request('GET', `/api/v1/incidents/${incident.id}`, { token: admin });
    return res.body.status === 'resolved' ? true : undefined;
  });
  await until('the webhook to hear it resolved', () =>
    eventsOfRule().includes('resolved') ? true : undefined,
  );
  // Once each: no duplicate from the worker's repeated evaluations.
  expect(eventsOfRule()).toEqual(['opened', 'resolved']);
}, 120_000);
