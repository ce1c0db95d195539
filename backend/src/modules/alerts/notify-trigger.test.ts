// The worker evaluates rules soon after a relevant change is NOTIFYed, not only on its timer: with the
// timer at an hour, a probe going down still opens its incident within seconds.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../../../../test-support/until';
import { startTestServer, type TestServer } from '../../../test/harness';
import { enrolledAgent } from '../agents/agent-fixtures';
import { createProbe, postResults, probeResult } from '../probes/probe-fixtures';
import { createRule, incidentsOf } from './alert-fixtures';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ EMMA_ALERT_EVAL_INTERVAL_S: '3600' }, { serverOptions: { worker: true } });
});
afterAll(async () => {
  await t.close();
});

it('opens and resolves an incident on NOTIFYed probe states, with the evaluation timer at an hour', async () => {
  const operator = (await t.userWithRole('operator')).token;
  const agent = await enrolledAgent(t, operator);
  const probe = await createProbe(t, operator, {
    name: 'api',
    type: 'tcp',
    agentId: agent.agentId,
    intervalS: 30,
    timeoutMs: 2000,
    config: { host: '127.0.0.1', port: 9 },
  });
  const rule = await createRule(t, operator, {
    name: 'api down',
    kind: 'probe_down',
    probeId: probe.id,
    severity: 'critical',
    forS: 0,
  });
  // The worker evaluated once at start; from now on only notices can make it evaluate again.
  await postResults(t, agent.credential, 1, [probeResult(probe.id, 'down', Date.now(), null, 'refused')]);
  const opened = await until(
    'an incident opened by the notice',
    async () => (await incidentsOf(t, rule.id)).find((i) => i.status === 'open'),
    10_000,
  );
  expect(opened.subject).toBe(`probe:${probe.id}`);
  await postResults(t, agent.credential, 2, [probeResult(probe.id, 'up', Date.now(), 3, 'connected')]);
  await until(
    'the incident resolved by the notice',
    async () => (await incidentsOf(t, rule.id)).find((i) => i.id === opened.id && i.status === 'resolved'),
    10_000,
  );
});
