// Topics on a realtime server of its own (as `emma realtime` runs next to the api): permissions, real
// changes from the API reaching subscribers, coalescing, unsubscribing and resuming.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../test-support/until';
import { startTestServer, type TestServer } from '../../test/harness';
import { startTestRealtime, TestWs, type TestRealtime } from '../../test/ws';
import { batch, enrolledAgent, postIngest } from '../modules/agents/agent-fixtures';

let t: TestServer;
let rt: TestRealtime;
let adminToken: string;
let operator: { id: string; token: string };
let viewer: { id: string; token: string };
const clients: TestWs[] = [];

beforeAll(async () => {
  t = await startTestServer();
  rt = await startTestRealtime(t, {
    settings: { coalesceMs: 100, maxSubscriptions: 8 },
    tuning: { ringSize: 4, maxChangesPerMessage: 50 },
  });
  adminToken = await t.tokenFor();
  operator = await t.userWithRole('operator');
  viewer = await t.userWithRole('viewer');
});

afterAll(async () => {
  for (const client of clients) client.close();
  await rt.close();
  await t.close();
});

async function connect(token: string): Promise<TestWs> {
  const client = await TestWs.connect(`${rt.url}?access_token=${token}`);
  clients.push(client);
  return client;
}

async function notify(...payloads: unknown[]): Promise<void> {
  await t.db.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, i) ORDER BY i', [
    'emma_changes',
    payloads.map((p) => JSON.stringify(p)),
  ]);
}

/** Waits until the server has made `n` more topic messages than `before`. */
async function published(before: number, n = 1): Promise<void> {
  await until('topic messages', () => (rt.stats().topicMessages >= before + n ? true : undefined), 5000, 10);
}

describe('flood protection', () => {
  it('closes a connection that sends far more messages than it may, and keeps a calm one', async () => {
    const calm = await connect(viewer.token);
    const flood = await connect(viewer.token);
    for (let i = 0; i < 200; i++) flood.send({ op: 'ping' });
    expect(await flood.waitClose()).toEqual({ code: 1008, reason: 'too many messages' });
    // A client within the rate (20 a second on average, twice that in a burst) is never closed.
    for (let i = 0; i < 10; i++) await calm.sync();
    expect(calm.closed).toBeUndefined();
  });
});

describe('subscriptions', () => {
  it('are checked against the role: the audit topic is for admins only', async () => {
    const id = randomUUID();
    const asViewer = await connect(viewer.token);
    for (const topic of ['overview', 'alerts', `agent:${id}`, `container:${id}`, `probe:${id}`]) {
      expect(await asViewer.subscribe(topic)).toEqual({
        op: 'subscribed',
        topic,
        epoch: rt.epoch,
        seq: expect.any(Number),
      });
    }
    expect(await asViewer.subscribe('audit')).toEqual({
      op: 'error',
      code: 'forbidden',
      topic: 'audit',
      message: expect.stringContaining('viewer'),
    });
    const asOperator = await connect(operator.token);
    expect(await asOperator.subscribe('audit')).toMatchObject({ op: 'error', code: 'forbidden' });
    const asAdmin = await connect(adminToken);
    expect(await asAdmin.subscribe('audit')).toMatchObject({ op: 'subscribed', topic: 'audit' });
  });

  it('refuses malformed topics and messages and keeps the connection', async () => {
    const client = await connect(viewer.token);
    for (const topic of [
      'nope',
      'agent:',
      'agent:123',
      `agent:${randomUUID().toUpperCase()}`,
      `overview:${randomUUID()}`,
      `user:${randomUUID()}`,
    ]) {
      expect(await client.subscribe(topic)).toMatchObject({ op: 'error', code: 'bad_topic', topic });
    }
    for (const message of [
      'hello',
      '{"op":"dance"}',
      '{"op":"subscribe"}',
      '[]',
      '{"op":"subscribe","topic":""}',
    ]) {
      client.send(message);
      expect(await client.take((m) => m.op === 'error')).toMatchObject({ code: 'bad_message' });
    }
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.take((m) => m.op === 'error')).toMatchObject({ code: 'bad_message' });
    await client.sync();
    expect(client.closed).toBeUndefined();
  });

  it('are limited per connection', async () => {
    const client = await connect(viewer.token);
    for (let i = 0; i < 8; i++) {
      expect(await client.subscribe(`agent:${randomUUID()}`)).toMatchObject({ op: 'subscribed' });
    }
    expect(await client.subscribe('overview')).toMatchObject({ op: 'error', code: 'too_many_subscriptions' });
  });
});

describe('changes', () => {
  it('reach the subscribers of their topics: an ingest batch, numbered per topic', async () => {
    const agent = await enrolledAgent(t, operator.token);
    const client = await connect(viewer.token);
    const agentTopic = `agent:${agent.agentId}`;
    const start = (await client.subscribe(agentTopic)).seq as number;
    await client.subscribe('overview');
    const now = Date.now();
    expect(
      (await postIngest(t, agent.credential, batch(1, [{ metric: 'cpu.percent', points: [[now, 5]] }])))
        .status,
    ).toBe(200);
    const changes: { t: string; status?: string }[] = [];
    let seq = start;
    while (!changes.some((c) => c.t === 'samples')) {
      const message = await client.take((m) => m.topic === agentTopic);
      expect(message).toMatchObject({ epoch: rt.epoch, seq: seq + 1 });
      seq = message.seq as number;
      changes.push(...(message.data.changes as { t: string }[]));
    }
    // The enrolment's own notice (offline) may arrive after the subscription, or before it.
    expect(changes.filter((c) => c.status !== 'offline')).toEqual([
      { t: 'agent', a: agent.agentId, status: 'online' },
      { t: 'samples', a: agent.agentId, s: 1, n: 1 },
    ]);
    // The overview hears of the agent, not of its samples.
    const online = { t: 'agent', a: agent.agentId, status: 'online' };
    const overview = await client.take(
      (m) => m.topic === 'overview' && JSON.stringify(m.data).includes('"online"'),
    );
    expect(overview.data.changes).toContainEqual(online);
    expect(JSON.stringify(overview.data)).not.toContain('samples');

    expect(
      (await postIngest(t, agent.credential, batch(2, [{ metric: 'cpu.percent', points: [[now + 1, 6]] }])))
        .status,
    ).toBe(200);
    expect(await client.take((m) => m.topic === agentTopic)).toEqual({
      topic: agentTopic,
      epoch: rt.epoch,
      seq: seq + 1,
      data: { changes: [{ t: 'samples', a: agent.agentId, s: 2, n: 1 }] },
    });
  });

  it('of the audit trail reach admins', async () => {
    const client = await connect(adminToken);
    await client.subscribe('audit');
    await t.tokenFor(); // a login writes an audit row
    const message = await client.take((m) => m.topic === 'audit');
    const ids = (message.data.changes as { t: string; id: number }[]).map((c) => c.id);
    const rows = await t.db.query<{ id: number; action: string }>(
      'SELECT id, action FROM audit_log WHERE id = ANY($1::bigint[])',
      [ids],
    );
    expect(rows.rows.map((r) => r.action)).toContain('auth.login');
  });

  it('are coalesced: a burst becomes one message, the latest change per subject wins', async () => {
    const [a, c] = [randomUUID(), randomUUID()];
    const client = await connect(viewer.token);
    const seq = (await client.subscribe(`container:${c}`)).seq as number;
    await client.subscribe(`agent:${a}`);
    const before = rt.stats().topicMessages;
    const burst = Array.from({ length: 100 }, (_, i) => ({
      t: 'container',
      a,
      c,
      state: `s${i}`,
      change: 'state',
    }));
    const others = Array.from({ length: 20 }, (_, i) => ({
      t: 'container',
      a,
      c: randomUUID(),
      state: `o${i}`,
    }));
    await notify(...burst, ...others);
    await published(before);
    // The burst goes out at once if it arrives in one piece; a part that arrives a moment later waits for
    // the window's end. Either way: at most two messages per topic, the latest change per subject last.
    type Change = { c: string; state: string };
    type Message = { topic: string; seq: number; data: { changes: Change[] } };
    const messagesOf = (topic: string): Message[] =>
      (client.received as { op?: string; topic?: string }[]).filter(
        (m): m is Message => m.op === undefined && m.topic === topic,
      );
    await until('the burst to arrive', async () => {
      await client.sync();
      const last = messagesOf(`container:${c}`).at(-1);
      const agentStates = messagesOf(`agent:${a}`).flatMap((m) => m.data.changes.map((x) => x.state));
      return last?.data.changes[0]?.state === 's99' && agentStates.includes('o19') ? true : undefined;
    });
    const containerMessages = messagesOf(`container:${c}`);
    expect(containerMessages.length).toBeLessThanOrEqual(2);
    expect(containerMessages.map((m) => m.seq)).toEqual(containerMessages.map((_, i) => seq + 1 + i));
    expect(containerMessages.at(-1)).toEqual({
      topic: `container:${c}`,
      epoch: rt.epoch,
      seq: seq + containerMessages.length,
      data: { changes: [{ t: 'container', a, c, state: 's99', change: 'state' }] },
    });
    const agentMessages = messagesOf(`agent:${a}`);
    expect(agentMessages.length).toBeLessThanOrEqual(2);
    const latest = new Map<string, string>();
    for (const m of agentMessages) for (const x of m.data.changes) latest.set(x.c, x.state);
    expect(latest.size).toBe(21);
    expect(latest.get(c)).toBe('s99');
  });

  it('too many for one message become {resync: true}; unknown notices are ignored', async () => {
    const a = randomUUID();
    const client = await connect(viewer.token);
    await client.subscribe(`agent:${a}`);
    const before = rt.stats().topicMessages;
    const noticesBefore = rt.stats().notices;
    await notify(
      'not json',
      { t: 'unknown', a },
      { t: 'samples', a: 'not-a-uuid' },
      ...Array.from({ length: 60 }, () => ({ t: 'container', a, c: randomUUID(), state: 'running' })),
    );
    await published(before);
    const message = await client.take((m) => m.topic === `agent:${a}`);
    expect(message.data).toEqual({ resync: true });
    expect(rt.stats().notices - noticesBefore).toBe(63);
  });

  it('stop after unsubscribe', async () => {
    const [a, c] = [randomUUID(), randomUUID()];
    const client = await connect(viewer.token);
    await client.subscribe(`container:${c}`);
    await client.subscribe(`agent:${a}`);
    client.send({ op: 'unsubscribe', topic: `container:${c}` });
    await client.sync();
    const before = rt.stats().topicMessages;
    await notify({ t: 'container', a, c, state: 'exited' });
    await published(before);
    await client.take((m) => m.topic === `agent:${a}`);
    await client.sync();
    expect(client.received.filter((m) => m.topic === `container:${c}` && m.op === undefined)).toEqual([]);
  });
});

describe('resuming', () => {
  it('replays what a client missed from the ring; another epoch or too far behind needs a snapshot', async () => {
    const c = randomUUID();
    const topic = `container:${c}`;
    const first = await connect(viewer.token);
    const start = (await first.subscribe(topic)).seq as number;
    let before = rt.stats().topicMessages;
    await notify({ t: 'container', a: randomUUID(), c, state: 'running' });
    await published(before);
    const seen = await first.take((m) => m.topic === topic);
    expect(seen.seq).toBe(start + 1);
    first.close();
    await until('the server noticed the close', () => (rt.stats().subscriptions === 0 ? undefined : true));

    // Two messages while nobody is connected: the ring keeps them. Each waits out the topic's window (100 ms)
    // so that it is a message of its own rather than merged with the next.
    for (const state of ['exited', 'running']) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      before = rt.stats().topicMessages;
      await notify({ t: 'container', a: randomUUID(), c, state });
      await published(before);
    }
    const second = await connect(viewer.token);
    expect(await second.subscribe(topic, { epoch: rt.epoch, seq: start + 1 })).toEqual({
      op: 'subscribed',
      topic,
      epoch: rt.epoch,
      seq: start + 3,
    });
    const replayed = second.takeAll(topic);
    expect(replayed.map((m): unknown[] => [m.seq, m.data.changes[0].state])).toEqual([
      [start + 2, 'exited'],
      [start + 3, 'running'],
    ]);

    // Up to date: nothing to replay.
    const third = await connect(viewer.token);
    expect(await third.subscribe(topic, { epoch: rt.epoch, seq: start + 3 })).toMatchObject({
      seq: start + 3,
    });
    await third.sync();
    expect(third.received.filter((m) => m.op !== 'subscribed' && m.op !== 'pong')).toEqual([]);

    // Another process's (or an earlier start's) epoch.
    const fourth = await connect(viewer.token);
    fourth.send({ op: 'subscribe', topic, since: { epoch: 'another-epoch', seq: start + 1 } });
    expect(await fourth.take()).toEqual({ op: 'snapshot_required', topic });
    expect(await fourth.take()).toMatchObject({ op: 'subscribed', seq: start + 3 });

    // Further behind than the ring (4 messages here) reaches.
    for (let i = 0; i < 4; i++) {
      before = rt.stats().topicMessages;
      await notify({ t: 'container', a: randomUUID(), c, state: `x${i}` });
      await published(before);
    }
    const fifth = await connect(viewer.token);
    fifth.send({ op: 'subscribe', topic, since: { epoch: rt.epoch, seq: start + 1 } });
    expect(await fifth.take()).toEqual({ op: 'snapshot_required', topic });
    expect(await fifth.take()).toMatchObject({ op: 'subscribed', seq: start + 7 });
    // A resume point ahead of the server is not believed either.
    const sixth = await connect(viewer.token);
    sixth.send({ op: 'subscribe', topic, since: { epoch: rt.epoch, seq: start + 99 } });
    expect(await sixth.take()).toEqual({ op: 'snapshot_required', topic });
  });
});
