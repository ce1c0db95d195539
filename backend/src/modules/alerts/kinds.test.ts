// The rule kinds the lifecycle tests do not reach: a TLS certificate running out, and a container
// restarting in a loop (by its state, or by `die` events within the rule's window).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { enrolledAgent } from '../agents/agent-fixtures';
import { containerInfo, ContainerAgent, engineId } from '../containers/container-fixtures';
import { createProbe, postResults } from '../probes/probe-fixtures';
import { createRule, evaluate, incidentsOf } from './alert-fixtures';

let t: TestServer;
let operator: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
});
afterAll(async () => {
  await t.close();
});

describe('tls_expiry', () => {
  it('opens when the newest TLS result has fewer days left than the rule allows, and resolves after renewal', async () => {
    const agent = await enrolledAgent(t, operator);
    const probe = await createProbe(t, operator, {
      name: 'shop cert',
      type: 'tls',
      agentId: agent.agentId,
      intervalS: 3600,
      timeoutMs: 5000,
      config: { host: 'shop.example', port: 443 },
    });
    const rule = await createRule(t, operator, {
      name: 'cert',
      kind: 'tls_expiry',
      probeId: probe.id,
      days: 14,
    });
    const result = (seq: number, daysLeft: number) =>
      postResults(t, agent.credential, seq, [
        {
          probeId: probe.id,
          ts: Date.now(),
          status: daysLeft < 14 ? 'degraded' : 'up',
          latencyMs: 20,
          message: `certificate valid for ${daysLeft} more days`,
          details: { daysLeft },
        },
      ]);

    await result(1, 30);
    await evaluate(t);
    expect(await incidentsOf(t, rule.id)).toEqual([]);
    await result(2, 9);
    await evaluate(t);
    expect(await incidentsOf(t, rule.id)).toMatchObject([{ status: 'open', subject: `tls:${probe.id}` }]);
    await result(3, 89); // renewed
    await evaluate(t);
    expect((await incidentsOf(t, rule.id)).map((i) => i.status)).toEqual(['resolved']);
  });
});

describe('container_restarting', () => {
  it('opens for a container in state restarting, and for one dying often within the window', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const rule = await createRule(t, operator, {
      name: 'crash loop',
      kind: 'container_restarting',
      agentId: agent.id,
      restarts: 3,
      windowS: 600,
    });
    const looping = engineId();
    const flapping = engineId();
    const calm = engineId();
    await agent.report([
      containerInfo(looping, { state: 'restarting' }),
      containerInfo(flapping),
      containerInfo(calm),
    ]);
    const now = Date.now();
    // Three deaths of one container within the window, one of another: only the first is looping.
    await agent.post({
      containerEvents: [
        { id: flapping, ts: now - 30_000, action: 'die', exitCode: 1 },
        { id: flapping, ts: now - 20_000, action: 'die', exitCode: 1 },
        { id: flapping, ts: now - 10_000, action: 'die', exitCode: 1 },
        { id: calm, ts: now - 10_000, action: 'die', exitCode: 0 },
      ],
    });
    await evaluate(t);
    const open = await incidentsOf(t, rule.id);
    expect(open.filter((i) => i.status === 'open')).toHaveLength(2);
    const rows = await t.db.query<{ container_id: string }>(
      `SELECT c.container_id FROM incidents i JOIN containers c ON i.subject = 'container:' || c.id
       WHERE i.rule_id = $1`,
      [rule.id],
    );
    expect(rows.rows.map((r) => r.container_id).sort()).toEqual([looping, flapping].sort());

    // Running again: the restarting one clears; the deaths are still within the window.
    await agent.report([containerInfo(looping), containerInfo(flapping), containerInfo(calm)]);
    await evaluate(t);
    expect((await incidentsOf(t, rule.id)).map((i) => i.status).sort()).toEqual(['open', 'resolved']);
  });
});
