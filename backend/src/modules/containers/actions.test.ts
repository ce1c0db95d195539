// Container actions end to end: an operator queues start/stop/restart, the container's agent takes it
// once (also under concurrent polls and through the long poll), reports the result, and the worker
// expires what nobody took or finished; refusals, audit rows and notices along the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { checkContainerActions } from '../../worker';
import { ChangeListener } from '../probes/probe-fixtures';
import { auditOf, ContainerAgent, containerInfo, containerRow, engineId } from './container-fixtures';

let t: TestServer;
let operator: { id: string; email: string; token: string };
let listener: ChangeListener;

beforeAll(async () => {
  t = await startTestServer();
  operator = await t.userWithRole('operator');
  listener = await ChangeListener.start(t);
});
afterAll(async () => {
  await listener.close();
  await t.close();
});

/** An agent with one running container that allows actions (or not). */
async function agentWithContainer(actionsEnabled = true) {
  const agent = await ContainerAgent.enrol(t, operator.token);
  const id = engineId();
  await agent.report([containerInfo(id, { name: `svc-${id.slice(0, 4)}` })], { actionsEnabled });
  const row = await containerRow(t, agent.id, id);
  return { agent, engineId: id, ref: row!.id };
}

function requestAction(
  ref: string,
  body: Record<string, unknown> = { action: 'restart' },
  token = operator.token,
) {
  return t.request('POST', `/api/v1/containers/${ref}/actions`, { token, body });
}

async function queued(ref: string, body?: Record<string, unknown>): Promise<string> {
  const res = await requestAction(ref, body);
  if (res.status !== 202) throw new Error(`queueing failed: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

function getAction(id: string) {
  return t.request('GET', `/api/v1/container-actions/${id}`, { token: operator.token });
}

async function actionNotices(id: string) {
  await listener.drain();
  return listener.payloads
    .filter((p) => p.startsWith('{'))
    .map((p) => JSON.parse(p) as Record<string, unknown>)
    .filter((p) => p.t === 'container_action' && p.id === id);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the lifecycle of an action', () => {
  it('goes queued → running → succeeded, with who asked, audit rows and notices', async () => {
    const { agent, engineId: id, ref } = await agentWithContainer();
    const before = Date.now();
    const res = await requestAction(ref, { action: 'restart', stopTimeoutS: 5, expiresInS: 120 });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      container: { id: ref, containerId: id, name: `svc-${id.slice(0, 4)}` },
      agentId: agent.id,
      action: 'restart',
      status: 'queued',
      stopTimeoutS: 5,
      requestedBy: { id: operator.id, email: operator.email, name: expect.any(String) },
      requestedAt: expect.any(String),
      expiresAt: expect.any(String),
      takenAt: null,
      finishedAt: null,
      message: null,
    });
    const actionId = res.body.id as string;
    const expiresAt = Date.parse(res.body.expiresAt as string);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 119_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 121_000);

    const poll = await agent.poll();
    expect(poll.status).toBe(200);
    expect(poll.body).toEqual({
      commands: [
        {
          id: actionId,
          kind: 'container_action',
          containerId: id,
          action: 'restart',
          stopTimeoutS: 5,
          expiresAt,
        },
      ],
    });
    const running = await getAction(actionId);
    expect(running.body).toMatchObject({ status: 'running', takenAt: expect.any(String), finishedAt: null });
    // Taken once: the next poll gets nothing.
    expect((await agent.poll()).body).toEqual({ commands: [] });

    const finishedAt = Date.now();
    const result = await agent.result(actionId, { status: 'succeeded', message: 'restarted', finishedAt });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ id: actionId, status: 'succeeded' });
    const done = await getAction(actionId);
    expect(done.body).toMatchObject({ status: 'succeeded', message: 'restarted' });
    expect(Date.parse(done.body.finishedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(done.body.takenAt as string),
    );

    const again = await agent.result(actionId, { status: 'failed', finishedAt });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'already_finished', details: { status: 'succeeded' } });

    const audit = await auditOf(t, ref);
    expect(audit.map((a) => [a.action, a.actor_id, a.actor_email])).toEqual([
      ['container.action.requested', operator.id, operator.email],
      ['container.action.finished', null, `agent:${agent.id}`],
    ]);
    expect(audit[0]!.after).toMatchObject({
      actionId,
      action: 'restart',
      container: { id: ref, containerId: id },
      agent: { id: agent.id },
    });
    expect(audit[1]!.after).toMatchObject({ actionId, status: 'succeeded', message: 'restarted' });
    expect(await actionNotices(actionId)).toEqual([
      { t: 'container_action', c: ref, a: agent.id, id: actionId, status: 'queued' },
      { t: 'container_action', c: ref, id: actionId, status: 'running' },
      { t: 'container_action', c: ref, id: actionId, status: 'succeeded' },
    ]);

    const list = await t.request<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/containers/${id.slice(0, 12)}/actions`,
      {
        token: operator.token,
      },
    );
    expect(list.body.items.map((a) => a.id)).toEqual([actionId]);
    const verify = await t.request('GET', '/api/v1/audit/verify', { token: await t.tokenFor() });
    expect(verify.body.intact).toBe(true);
  });

  it('records a failure with its message, lists actions newest first, and keeps commands to their agent', async () => {
    const { agent, ref } = await agentWithContainer();
    const first = await queued(ref, { action: 'stop' });
    const [command] = (await agent.poll()).body.commands;
    expect(command).toMatchObject({ id: first, action: 'stop', stopTimeoutS: 10 });
    const second = await queued(ref, { action: 'start' });

    const stranger = await ContainerAgent.enrol(t, operator.token);
    const foreign = await stranger.result(first, { status: 'succeeded', finishedAt: Date.now() });
    expect(foreign.status).toBe(404);
    expect((await stranger.poll()).body.commands).toEqual([]);
    const unknown = await agent.result('00000000-0000-4000-8000-000000000000', {
      status: 'failed',
      finishedAt: Date.now(),
    });
    expect(unknown.status).toBe(404);
    // Not taken yet: not running, so no result.
    const early = await agent.result(second, { status: 'succeeded', finishedAt: Date.now() });
    expect(early.status).toBe(409);
    expect(early.body.error.details).toEqual({ status: 'queued' });

    const failed = await agent.result(first, {
      status: 'failed',
      message: 'container is marked for removal',
      finishedAt: Date.now(),
    });
    expect(failed.body).toEqual({ id: first, status: 'failed' });
    const list = await t.request<{ items: { id: string; status: string; message: string }[] }>(
      'GET',
      `/api/v1/containers/${ref}/actions`,
      { token: operator.token },
    );
    expect(list.body.items.map((a) => [a.id, a.status])).toEqual([
      [second, 'queued'],
      [first, 'failed'],
    ]);
    expect(list.body.items[1]!.message).toBe('container is marked for removal');
    expect((await getAction('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('validates the request body', async () => {
    const { ref } = await agentWithContainer();
    for (const body of [
      { action: 'kill' },
      { action: 'stop', stopTimeoutS: 601 },
      { action: 'stop', expiresInS: 4 },
      { action: 'stop', expiresInS: 3601 },
      { action: 'stop', extra: true },
    ]) {
      const res = await requestAction(ref, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('expiry', () => {
  it('shows a queued action past its expiry as expired at once; the worker then writes it so', async () => {
    const { agent, ref } = await agentWithContainer();
    const id = await queued(ref, { action: 'start', expiresInS: 5 });
    await t.db.query(`UPDATE container_actions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    const read = await getAction(id);
    expect(read.body).toMatchObject({
      status: 'expired',
      message: 'the agent did not take the action before it expired',
      finishedAt: expect.any(String),
    });
    expect((await agent.poll()).body.commands).toEqual([]);
    expect(
      (await agent.result(id, { status: 'succeeded', finishedAt: Date.now() })).body.error,
    ).toMatchObject({
      code: 'already_finished',
      details: { status: 'expired' },
    });

    expect(await checkContainerActions(t.server.pool)).toBeGreaterThanOrEqual(1);
    const row = await t.db.query('SELECT status, message FROM container_actions WHERE id = $1', [id]);
    expect(row.rows[0]).toEqual({
      status: 'expired',
      message: 'the agent did not take the action before it expired',
    });
    expect((await getAction(id)).body.status).toBe('expired');
    expect((await actionNotices(id)).map((n) => n.status)).toEqual(['queued', 'expired']);
  });

  it('fails a taken action without a result after its stop timeout plus two minutes', async () => {
    const { agent, ref } = await agentWithContainer();
    const id = await queued(ref, { action: 'stop', stopTimeoutS: 30 });
    expect((await agent.poll()).body.commands).toHaveLength(1);
    // Still within 30 s + 120 s: left alone.
    await t.db.query(`UPDATE container_actions SET taken_at = now() - interval '149 seconds' WHERE id = $1`, [
      id,
    ]);
    await checkContainerActions(t.server.pool);
    expect((await getAction(id)).body.status).toBe('running');
    await t.db.query(`UPDATE container_actions SET taken_at = now() - interval '151 seconds' WHERE id = $1`, [
      id,
    ]);
    await checkContainerActions(t.server.pool);
    expect((await getAction(id)).body).toMatchObject({
      status: 'failed',
      message: 'the agent did not report a result',
    });
    const late = await agent.result(id, { status: 'succeeded', finishedAt: Date.now() });
    expect(late.status).toBe(409);
    expect((await actionNotices(id)).map((n) => n.status)).toEqual(['queued', 'running', 'failed']);
  });
});

describe('taking commands', () => {
  it('hands each command to exactly one of several concurrent polls', async () => {
    const { agent, ref } = await agentWithContainer();
    const ids = [];
    for (let i = 0; i < 12; i += 1) ids.push(await queued(ref, { action: i % 2 ? 'start' : 'stop' }));
    const polls = await Promise.all(Array.from({ length: 6 }, () => agent.poll()));
    const taken = polls.flatMap((p) => p.body.commands.map((c) => c.id));
    expect(taken.sort()).toEqual([...ids].sort());
    const statuses = await t.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM container_actions WHERE container_ref = $1 GROUP BY status`,
      [ref],
    );
    expect(statuses.rows).toEqual([{ status: 'running', n: 12 }]);
  });

  it('hands them out oldest first', async () => {
    const { agent, ref } = await agentWithContainer();
    const first = await queued(ref, { action: 'stop' });
    const second = await queued(ref, { action: 'start' });
    expect((await agent.poll()).body.commands.map((c) => c.id)).toEqual([first, second]);
  });

  it('wakes a waiting long poll within a second of an enqueue in this process', async () => {
    const { agent, ref } = await agentWithContainer();
    const waiting = agent.poll(20);
    await sleep(300);
    expect(t.server.commandWaiters.size).toBe(1);
    const queuedAt = Date.now();
    const id = await queued(ref);
    const res = await waiting;
    const answeredAfter = Date.now() - queuedAt;
    expect(res.body.commands.map((c) => c.id)).toEqual([id]);
    expect(answeredAfter).toBeLessThan(1000);
  });

  it('notices commands queued elsewhere (another api process) with its periodic check', async () => {
    const { agent, ref } = await agentWithContainer();
    const waiting = agent.poll(20);
    await sleep(200);
    // Straight into the table: nothing in this process wakes the poll.
    const inserted = await t.db.query<{ id: string }>(
      `INSERT INTO container_actions (container_ref, agent_id, action, expires_at)
       VALUES ($1, $2, 'start', now() + interval '1 minute') RETURNING id`,
      [ref, agent.id],
    );
    const started = Date.now();
    const res = await waiting;
    expect(res.body.commands.map((c) => c.id)).toEqual([inserted.rows[0]!.id]);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('wakes a poll waiting on another api process at once, through LISTEN, not its periodic check', async () => {
    // A second api process on the same database whose periodic check is a minute away.
    const other = await startTestServer({ EMMA_COMMAND_CHECK_MS: '60000' }, { databaseUrl: t.databaseUrl });
    try {
      const { agent, ref } = await agentWithContainer();
      const waiting = fetch(`${other.url}/api/v1/agents/self/commands?waitS=20`, {
        headers: { authorization: `Bearer ${agent.agent.credential}` },
      }).then(async (res) => (await res.json()) as { commands: { id: string }[] });
      await sleep(300);
      expect(other.server.commandWaiters.size).toBe(1);
      const queuedAt = Date.now();
      const id = await queued(ref); // through this process (t), not the one the agent waits on
      const answer = await waiting;
      expect(answer.commands.map((c) => c.id)).toEqual([id]);
      expect(Date.now() - queuedAt).toBeLessThan(1500);
    } finally {
      await other.close();
    }
  });

  it('answers an empty list after waitS, holding no transaction while it waits', async () => {
    const { agent } = await agentWithContainer();
    const started = Date.now();
    const waiting = agent.poll(2);
    await sleep(500);
    const open = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    expect(open.rows[0]!.n).toBe(0);
    const res = await waiting;
    const elapsed = Date.now() - started;
    expect(res.body).toEqual({ commands: [] });
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(3500);
  });

  it('ends the wait when the client goes away, leaving the command for the next poll', async () => {
    const { agent, ref } = await agentWithContainer();
    const controller = new AbortController();
    const waiting = agent.poll(20, controller.signal).catch((err: unknown) => err);
    await sleep(300);
    expect(t.server.commandWaiters.size).toBe(1);
    controller.abort();
    expect(await waiting).toBeInstanceOf(Error);
    const deadline = Date.now() + 2000;
    while (t.server.commandWaiters.size > 0 && Date.now() < deadline) await sleep(20);
    expect(t.server.commandWaiters.size).toBe(0);
    const id = await queued(ref);
    expect((await agent.poll()).body.commands.map((c) => c.id)).toEqual([id]);
  });

  it('answers waiting polls at once when the server shuts down', async () => {
    const other = await startTestServer();
    try {
      const agent = await ContainerAgent.enrol(other, await other.tokenFor());
      const waiting = agent.poll(20);
      await sleep(300);
      expect(other.server.commandWaiters.size).toBe(1);
      const started = Date.now();
      const closing = other.close();
      expect((await waiting).body).toEqual({ commands: [] });
      await closing;
      // Not the 20 s of the poll, nor a keep-alive timeout.
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await other.close().catch(() => undefined);
    }
  });

  it('refuses a bad waitS and any caller without an agent credential', async () => {
    const { agent } = await agentWithContainer();
    const res = await t.request('GET', '/api/v1/agents/self/commands?waitS=31', { token: agent.credential });
    expect(res.status).toBe(400);
    const user = await t.request('GET', '/api/v1/agents/self/commands', { token: operator.token });
    expect(user.status).toBe(401);
  });
});

describe('refusals', () => {
  it('refuses actions on a read-only agent with actions_disabled', async () => {
    const { ref } = await agentWithContainer(false);
    const res = await requestAction(ref);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('actions_disabled');
    expect(res.body.error.message).toContain('runs read-only (EMMA_CONTAINER_ACTIONS=false)');
    expect(res.body.error.requestId).toEqual(expect.any(String));
    const count = await t.db.query(
      'SELECT count(*)::int AS n FROM container_actions WHERE container_ref = $1',
      [ref],
    );
    expect(count.rows[0].n).toBe(0);
    expect(await auditOf(t, ref)).toEqual([]);
  });

  it('refuses actions on a removed container with container_removed', async () => {
    const { agent, ref } = await agentWithContainer();
    await agent.report([]);
    const res = await requestAction(ref, { action: 'start' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('container_removed');
    expect(res.body.error.message).toMatch(/was removed from its host/);
  });

  it('refuses actions for a revoked or pending agent with agent_unavailable', async () => {
    const { agent, ref } = await agentWithContainer();
    await t.db.query(`UPDATE agents SET status = 'pending' WHERE id = $1`, [agent.id]);
    const pending = await requestAction(ref);
    expect(pending.status).toBe(409);
    expect(pending.body.error).toMatchObject({
      code: 'agent_unavailable',
      details: { agentStatus: 'pending' },
    });
    const revoked = await t.request('POST', `/api/v1/agents/${agent.id}/revoke`, { token: operator.token });
    expect(revoked.status).toBe(200);
    const res = await requestAction(ref);
    expect(res.body.error).toMatchObject({ code: 'agent_unavailable', details: { agentStatus: 'revoked' } });
    const container = await t.request('GET', `/api/v1/containers/${ref}`, { token: operator.token });
    expect(container.body.actionsEnabled).toBe(false);
  });
});
