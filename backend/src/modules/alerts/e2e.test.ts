// End to end with the worker running in the server: a real HTTP service that stops (checked by the agent's
// own HTTP probe, results posted through the ingest API) and an agent that goes silent (the worker's
// liveness check) each open an incident, notify a real webhook receiver once, and resolve.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../../../agent/src/probes';
import { until } from '../../../../test-support/until';
import { startTestServer, type TestServer } from '../../../test/harness';
import { batch, enrolledAgent, postIngest } from '../agents/agent-fixtures';
import { createProbe, postResults } from '../probes/probe-fixtures';
import { createRule, incidentsOf } from './alert-fixtures';

interface Received {
  event: string;
  incidentId: string;
  ruleId: string;
}

let t: TestServer;
let operator: string;
let receiver: http.Server;
const received: Received[] = [];
let channelId: string;
let seq = 0;

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

beforeAll(async () => {
  t = await startTestServer(
    { EMMA_ALERT_EVAL_INTERVAL_S: '0.2', EMMA_NOTIFY_POLL_MS: '100' },
    { serverOptions: { worker: true } },
  );
  operator = (await t.userWithRole('operator')).token;
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Received);
      res.writeHead(204).end();
    });
  });
  const port = await listen(receiver);
  const created = await t.request('POST', '/api/v1/notification-channels', {
    token: await t.tokenFor(),
    body: { name: 'hook', type: 'webhook', config: { url: `http://127.0.0.1:${String(port)}/hook` } },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id as string;
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const eventsFor = (ruleId: string) => received.filter((m) => m.ruleId === ruleId).map((m) => m.event);

describe('alerting end to end', () => {
  it('a stopped HTTP service opens an incident, notifies once, and resolves when it is back', async () => {
    const service = http.createServer((_req, res) => res.end('OK'));
    const port = await listen(service);
    const agent = await enrolledAgent(t, operator);
    const url = `http://127.0.0.1:${String(port)}/`;
    const probe = await createProbe(t, operator, {
      name: 'web',
      type: 'http',
      agentId: agent.agentId,
      intervalS: 30,
      timeoutMs: 2000,
      config: { url, keyword: 'OK' },
    });
    const rule = await createRule(t, operator, {
      name: 'web down',
      kind: 'probe_down',
      probeId: probe.id,
      severity: 'critical',
      forS: 0,
      channelIds: [channelId],
    });
    const check = async () => {
      const outcome = await runProbe({
        id: probe.id,
        name: 'web',
        type: 'http',
        intervalS: 30,
        timeoutMs: 2000,
        config: {
          url,
          keyword: 'OK',
          method: 'GET',
          headers: {},
          expectStatus: '200-299',
          followRedirects: true,
          ignoreTlsErrors: false,
        },
      });
      seq += 1;
      const res = await postResults(t, agent.credential, seq, [
        { probeId: probe.id, ts: Date.now(), ...outcome },
      ]);
      expect(res.status).toBe(200);
      return outcome.status;
    };
    expect(await check()).toBe('up');
    await new Promise((resolve) => service.close(resolve));
    expect(await check()).toBe('down');
    await until(
      'opened notification',
      () => (eventsFor(rule.id).includes('opened') ? true : undefined),
      10_000,
    );
    expect(await check()).toBe('down');
    await new Promise<void>((resolve) => {
      service.listen(port, '127.0.0.1', resolve);
    });
    expect(await check()).toBe('up');
    await until(
      'resolved notification',
      () => (eventsFor(rule.id).includes('resolved') ? true : undefined),
      10_000,
    );
    expect(eventsFor(rule.id)).toEqual(['opened', 'resolved']);
    expect(await incidentsOf(t, rule.id)).toMatchObject([{ status: 'resolved' }]);
    await new Promise((resolve) => service.close(resolve));
  });

  it('an agent that stops reporting opens an incident, notifies once, and resolves when it reports again', async () => {
    const agent = await enrolledAgent(t, operator);
    seq += 1;
    await postIngest(t, agent.credential, batch(seq, [{ metric: 'cpu.percent', points: [[Date.now(), 5]] }]));
    const rule = await createRule(t, operator, {
      name: 'agent gone',
      kind: 'agent_offline',
      agentId: agent.agentId,
      channelIds: [channelId],
    });
    // The agent "stopped" an hour ago: the worker's liveness check marks it offline.
    await t.db.query(`UPDATE agents SET last_seen_at = now() - interval '1 hour' WHERE id = $1`, [
      agent.agentId,
    ]);
    expect(await t.server.worker!.checkLiveness()).toContain(agent.agentId);
    await until(
      'opened notification',
      () => (eventsFor(rule.id).includes('opened') ? true : undefined),
      10_000,
    );
    seq += 1;
    await postIngest(t, agent.credential, batch(seq, [{ metric: 'cpu.percent', points: [[Date.now(), 5]] }]));
    await until(
      'resolved notification',
      () => (eventsFor(rule.id).includes('resolved') ? true : undefined),
      10_000,
    );
    expect(eventsFor(rule.id)).toEqual(['opened', 'resolved']);
  });
});
