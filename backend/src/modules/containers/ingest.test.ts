// Container data in ingest batches: the inventory upserted per (agent, engine id) with removals, replay
// protection and a state history; engine events; stats as series and as each container's newest stats;
// and the NOTIFY notices that announce them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTAINER_METRICS } from '@emma/protocol';
import { startTestServer, type TestServer } from '../../../test/harness';
import { agentRow, batch, DAY_MS, postIngest } from '../agents/agent-fixtures';
import { dayStart, listPartitions, partitionName } from '../ingest/partitions';
import { ChangeListener } from '../probes/probe-fixtures';
import {
  ContainerAgent,
  containerInfo,
  containerRow,
  engineId,
  historyOf,
  inventory,
  stats,
} from './container-fixtures';

let t: TestServer;
let operator: string;
let listener: ChangeListener;

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  listener = await ChangeListener.start(t);
});
afterAll(async () => {
  await listener.close();
  await t.close();
});

async function agentContainers(agentId: string) {
  const result = await t.db.query<{ container_id: string; removed: boolean }>(
    `SELECT container_id, removed_at IS NOT NULL AS removed FROM containers WHERE agent_id = $1
     ORDER BY container_id`,
    [agentId],
  );
  return result.rows;
}

/** The parsed notices about an agent's containers, in arrival order. */
async function notices(agentId: string, types = ['container', 'containers', 'container_stats']) {
  await listener.drain();
  return listener.payloads
    .filter((p) => p.startsWith('{'))
    .map((p) => JSON.parse(p) as Record<string, unknown>)
    .filter((p) => p.a === agentId && types.includes(p.t as string));
}

describe('the inventory', () => {
  it('upserts the reported containers and records the engine and the read-only flag on the agent', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const [a, b] = [engineId(), engineId()];
    const at = Date.now() - 1000;
    const res = await agent.post({
      containers: inventory(
        at,
        [
          containerInfo(a, { name: 'web', labels: { tier: 'front' }, restartCount: 2 }),
          containerInfo(b, { name: 'db', state: 'exited', exitCode: 0, startedAt: null, finishedAt: at - 5 }),
        ],
        { engine: { name: 'Podman', version: '5.4.2', apiVersion: '1.41' }, actionsEnabled: false },
      ),
    });
    // Each container's restart count is one sample of container.restarts.
    expect(res).toEqual({ accepted: true, duplicate: false, samples: 2, rejectedSamples: 0 });

    const web = await containerRow(t, agent.id, a);
    expect(web).toMatchObject({
      name: 'web',
      image: 'nginx:1.27',
      labels: { tier: 'front' },
      state: 'running',
      health: 'none',
      restart_count: 2,
      ports: [{ privatePort: 80, publicPort: 8080, type: 'tcp', ip: '0.0.0.0' }],
      removed_at: null,
    });
    expect(web!.reported_at.getTime()).toBe(at);
    expect(web!.state_since.getTime()).toBe(at);
    const db = await containerRow(t, agent.id, b);
    expect(db).toMatchObject({ state: 'exited', exit_code: 0, started_at: null });
    expect((db as unknown as { finished_at: Date }).finished_at.getTime()).toBe(at - 5);

    const row = (await t.db.query('SELECT * FROM agents WHERE id = $1', [agent.id])).rows[0];
    expect(row.container_engine).toEqual({ name: 'Podman', version: '5.4.2', apiVersion: '1.41' });
    expect(row.container_actions_enabled).toBe(false);
    expect((row.containers_reported_at as Date).getTime()).toBe(at);

    expect((await historyOf(t, web!.id)).map((e) => [e.action, e.state, e.health])).toEqual([
      ['created', 'running', 'none'],
    ]);
    const restarts = await t.db.query(
      `SELECT r.labels, s.value FROM samples s JOIN series r ON r.id = s.series_id
       WHERE r.agent_id = $1 AND r.metric = $2 ORDER BY s.value`,
      [agent.id, CONTAINER_METRICS.restarts],
    );
    expect(restarts.rows).toEqual([
      { labels: { container: 'db' }, value: 0 },
      { labels: { container: 'web' }, value: 2 },
    ]);
  });

  it('records a history row and moves state_since only when state or health change', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const id = engineId();
    const t0 = Date.now() - 10_000;
    await agent.report([containerInfo(id)], { at: t0 });
    await agent.report([containerInfo(id, { restartCount: 1 })], { at: t0 + 1000 });
    let row = await containerRow(t, agent.id, id);
    expect(row!.state_since.getTime()).toBe(t0);
    expect(row!.restart_count).toBe(1);

    await agent.report([containerInfo(id, { state: 'exited', exitCode: 137 })], { at: t0 + 2000 });
    await agent.report([containerInfo(id, { state: 'running', health: 'starting' })], { at: t0 + 3000 });
    await agent.report([containerInfo(id, { state: 'running', health: 'healthy' })], { at: t0 + 4000 });
    await agent.report([containerInfo(id, { state: 'running', health: 'healthy' })], { at: t0 + 5000 });
    row = await containerRow(t, agent.id, id);
    expect(row!.state_since.getTime()).toBe(t0 + 4000);
    const history = await historyOf(t, row!.id);
    expect(history.map((e) => [e.action, e.state, e.health, e.exit_code, e.ts.getTime() - t0])).toEqual([
      ['created', 'running', 'none', null, 0],
      ['state', 'exited', 'none', 137, 2000],
      ['state', 'running', 'starting', null, 3000],
      ['state', 'running', 'healthy', null, 4000],
    ]);
  });

  it('marks containers a full report leaves out, and those listed in removed, as removed', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const [a, b, c] = [engineId('a'), engineId('b'), engineId('c')];
    const t0 = Date.now() - 10_000;
    await agent.report([containerInfo(a), containerInfo(b), containerInfo(c)], { at: t0 });
    await agent.report([containerInfo(a), containerInfo(b)], { at: t0 + 1000 });
    expect(await agentContainers(agent.id)).toEqual([
      { container_id: a, removed: false },
      { container_id: b, removed: false },
      { container_id: c, removed: true },
    ]);
    const gone = await containerRow(t, agent.id, c);
    expect(gone!.removed_at).not.toBeNull();
    const history = await historyOf(t, gone!.id);
    expect(history.map((e) => [e.action, e.state, e.ts.getTime() - t0])).toEqual([
      ['created', 'running', 0],
      ['removed', 'running', 1000],
    ]);

    // An incremental report removes only what it names.
    await agent.report([], { at: t0 + 2000, full: false, removed: [b] });
    expect((await agentContainers(agent.id)).map((r) => r.removed)).toEqual([false, true, true]);

    // A container seen again is live again, with a history row saying so.
    await agent.report([containerInfo(c)], { at: t0 + 3000, full: false });
    const back = await containerRow(t, agent.id, c);
    expect(back!.removed_at).toBeNull();
    expect(back!.state_since.getTime()).toBe(t0 + 3000);
    expect((await historyOf(t, back!.id)).at(-1)).toMatchObject({
      action: 'state',
      state: 'running',
      message: 'seen again after it was reported removed',
    });
    // Other agents' containers are not touched by this agent's full reports.
    const other = await ContainerAgent.enrol(t, operator);
    await other.report([containerInfo(engineId())]);
    await agent.report([containerInfo(a)], { at: t0 + 4000 });
    expect((await agentContainers(other.id)).map((r) => r.removed)).toEqual([false]);
  });

  it('lets no older report (a spool replay after a newer one) overwrite newer state or remove newer containers', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const [a, b] = [engineId(), engineId()];
    const t0 = Date.now() - 10_000;
    await agent.report([containerInfo(a, { state: 'exited', exitCode: 1 }), containerInfo(b)], {
      at: t0 + 5000,
      actionsEnabled: true,
    });
    // The older batch arrives later with a new seq: it saw `a` running and did not know `b`.
    const res = await agent.report([containerInfo(a, { name: 'renamed' })], {
      at: t0,
      actionsEnabled: false,
    });
    expect(res.duplicate).toBe(false);
    const row = await containerRow(t, agent.id, a);
    expect(row).toMatchObject({ state: 'exited', exit_code: 1, removed_at: null });
    expect(row!.name).not.toBe('renamed');
    expect(row!.reported_at.getTime()).toBe(t0 + 5000);
    expect((await containerRow(t, agent.id, b))!.removed_at).toBeNull();
    expect((await historyOf(t, row!.id)).map((e) => e.action)).toEqual(['created']);
    const stored = (await t.db.query('SELECT * FROM agents WHERE id = $1', [agent.id])).rows[0];
    expect(stored.container_actions_enabled).toBe(true);
    expect((stored.containers_reported_at as Date).getTime()).toBe(t0 + 5000);
  });

  it('ignores an inventory from outside the accepted time range (it would freeze newer reports)', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const id = engineId();
    const ahead = await agent.report([containerInfo(id), containerInfo(engineId())], {
      at: Date.now() + 3 * DAY_MS,
    });
    expect(ahead).toMatchObject({ samples: 0, rejectedSamples: 2 });
    expect(await agentContainers(agent.id)).toEqual([]);
    expect(
      (await t.db.query('SELECT * FROM agents WHERE id = $1', [agent.id])).rows[0].container_engine,
    ).toBeNull();
    await agent.report([containerInfo(id)]);
    expect(await agentContainers(agent.id)).toEqual([{ container_id: id, removed: false }]);
  });

  it('applies nothing of a replayed batch (same seq)', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const id = engineId();
    const seq = agent.nextSeq();
    const first = await postIngest(
      t,
      agent.credential,
      batch(seq, [], { containers: inventory(Date.now() - 2000, [containerInfo(id)]) }),
    );
    expect(first.body.duplicate).toBe(false);
    const replay = await postIngest(
      t,
      agent.credential,
      batch(seq, [], {
        containers: inventory(Date.now(), [containerInfo(id, { state: 'dead' }), containerInfo(engineId())]),
        containerStats: [stats(id, Date.now())],
      }),
    );
    expect(replay.body).toMatchObject({ duplicate: true, samples: 0 });
    expect((await containerRow(t, agent.id, id))!.state).toBe('running');
    expect(await agentContainers(agent.id)).toHaveLength(1);
    expect((await containerRow(t, agent.id, id))!.stats).toBeNull();
    expect((await agentRow(t, agent.id))?.status).toBe('online');
  });

  it('accepts duplicate listings of one id in a report (the last one wins)', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const id = engineId();
    await agent.report([containerInfo(id, { name: 'first' }), containerInfo(id, { name: 'second' })]);
    expect((await containerRow(t, agent.id, id))!.name).toBe('second');
  });
});

describe('engine events', () => {
  it("stores the events of the agent's known containers, in their day's partition, and rejects the rest", async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const id = engineId();
    const other = await ContainerAgent.enrol(t, operator);
    const foreign = engineId();
    await other.report([containerInfo(foreign)]);
    const now = Date.now();
    const yesterday = now - DAY_MS;
    const res = await agent.post({
      containers: inventory(now - 1000, [containerInfo(id)], { full: false }),
      containerEvents: [
        { id, ts: yesterday, action: 'start' },
        { id, ts: now - 500, action: 'die', exitCode: 137, message: 'OOMKilled' },
        { id: engineId(), ts: now, action: 'start' },
        // Another agent's container is not this agent's to report.
        { id: foreign, ts: now, action: 'kill' },
        // Outside the accepted time range (retention behind, one day ahead).
        { id, ts: now + 3 * DAY_MS, action: 'start' },
      ],
    });
    expect(res.rejectedSamples).toBe(3);
    const row = await containerRow(t, agent.id, id);
    const history = await historyOf(t, row!.id);
    expect(history.map((e) => [e.action, e.exit_code, e.message])).toEqual([
      ['start', null, null],
      ['created', null, null],
      ['die', 137, 'OOMKilled'],
    ]);
    expect(await listPartitions(t.db, 'container_events')).toContain(
      partitionName(dayStart(yesterday), 'container_events'),
    );
    const inPartition = await t.db.query(
      `SELECT count(*)::int AS n FROM ${partitionName(dayStart(yesterday), 'container_events')}
       WHERE container_ref = $1`,
      [row!.id],
    );
    expect(inPartition.rows[0].n).toBe(1);
    expect((await historyOf(t, (await containerRow(t, other.id, foreign))!.id)).map((e) => e.action)).toEqual(
      ['created'],
    );
  });
});

describe('stats', () => {
  it('become series labelled with the container name, and the newest lands on the container', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const id = engineId();
    const now = Date.now();
    // The inventory in the same batch names the container.
    const first = await agent.post({
      containers: inventory(now - 3000, [containerInfo(id, { name: 'shop-web-1' })]),
      containerStats: [stats(id, now - 2000, { cpuPercent: null })],
    });
    // 6 non-null stats values + 1 restart count.
    expect(first).toMatchObject({ samples: 7, rejectedSamples: 0 });

    // Later batches name it from the containers table; stats of unknown ids are rejected.
    const second = await agent.post({
      containerStats: [
        stats(id, now, { cpuPercent: 80, memUsedBytes: 70_000_000 }),
        stats(id, now - 1000, { cpuPercent: 40 }),
        stats(engineId(), now),
      ],
    });
    expect(second).toMatchObject({ samples: 14, rejectedSamples: 7 });

    const series = await t.db.query<{ metric: string; labels: Record<string, string>; last_value: number }>(
      `SELECT metric, labels, last_value FROM series WHERE agent_id = $1 ORDER BY metric`,
      [agent.id],
    );
    expect(series.rows.map((r) => r.metric)).toEqual([
      'container.blk.write.bytes_per_s',
      'container.cpu.percent',
      'container.mem.limit.bytes',
      'container.mem.used.bytes',
      'container.net.rx.bytes_per_s',
      'container.net.tx.bytes_per_s',
      'container.pids',
      'container.restarts',
    ]);
    for (const row of series.rows) expect(row.labels).toEqual({ container: 'shop-web-1' });
    const cpu = await t.db.query<{ ts: number; value: number }>(
      `SELECT (extract(epoch FROM s.ts) * 1000)::float8 AS ts, s.value FROM samples s
       JOIN series r ON r.id = s.series_id WHERE r.agent_id = $1 AND r.metric = 'container.cpu.percent'
       ORDER BY s.ts`,
      [agent.id],
    );
    expect(cpu.rows.map((r) => [Math.round(r.ts) - now, r.value])).toEqual([
      [-1000, 40],
      [0, 80],
    ]);
    expect(series.rows.find((r) => r.metric === 'container.cpu.percent')!.last_value).toBe(80);

    const row = await containerRow(t, agent.id, id);
    expect(row!.stats_at!.getTime()).toBe(now);
    expect(row!.stats).toEqual({
      cpuPercent: 80,
      memUsedBytes: 70_000_000,
      memLimitBytes: 1_000_000_000,
      netRxBytesPerS: 1000,
      netTxBytesPerS: 2000,
      blockReadBytesPerS: null,
      blockWriteBytesPerS: 10,
      pids: 4,
    });

    // Older stats arriving later do not replace the newest.
    await agent.post({ containerStats: [stats(id, now - 5000, { cpuPercent: 1 })] });
    const after = await containerRow(t, agent.id, id);
    expect(after!.stats_at!.getTime()).toBe(now);
    expect(after!.stats!.cpuPercent).toBe(80);
  });
});

describe('notices', () => {
  it('announces changed containers by id, stats once per batch, and many changes with one summary', async () => {
    const agent = await ContainerAgent.enrol(t, operator);
    const [a, b] = [engineId(), engineId()];
    const now = Date.now();
    await agent.report([containerInfo(a), containerInfo(b, { state: 'created' })], { at: now - 5000 });
    const rowA = await containerRow(t, agent.id, a);
    const rowB = await containerRow(t, agent.id, b);
    expect(await notices(agent.id)).toEqual(
      expect.arrayContaining([
        { t: 'container', a: agent.id, c: rowA!.id, state: 'running', health: 'none', change: 'created' },
        { t: 'container', a: agent.id, c: rowB!.id, state: 'created', health: 'none', change: 'created' },
      ]),
    );
    expect(await notices(agent.id)).toHaveLength(2);

    // Unchanged state: no container notice; stats: one notice counting the stats of the batch.
    await agent.post({
      containers: inventory(now - 4000, [containerInfo(a), containerInfo(b, { state: 'created' })]),
      containerStats: [stats(a, now - 3000), stats(a, now - 2000), stats(engineId(), now)],
    });
    expect((await notices(agent.id)).slice(2)).toEqual([{ t: 'container_stats', a: agent.id, n: 2 }]);

    // A state change and a removal.
    await agent.report([containerInfo(a, { health: 'unhealthy' })], { at: now - 1000 });
    expect((await notices(agent.id)).slice(3)).toEqual([
      { t: 'container', a: agent.id, c: rowA!.id, state: 'running', health: 'unhealthy', change: 'state' },
      { t: 'container', a: agent.id, c: rowB!.id, state: 'created', health: 'none', change: 'removed' },
    ]);

    // More than 50 changes in one batch: one summary instead.
    const many = Array.from({ length: 60 }, () => containerInfo(engineId()));
    await agent.report(many, { at: now });
    const last = (await notices(agent.id)).slice(5);
    expect(last).toEqual([{ t: 'containers', a: agent.id, n: 61 }]);
    for (const payload of listener.payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
  });
});

describe('batch limits', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ EMMA_INGEST_MAX_BATCH_SAMPLES: '10' });
  });
  afterAll(async () => {
    await small.close();
  });

  it('count each stats entry towards maxBatchSamples, as the agent counts them', async () => {
    const agent = await ContainerAgent.enrol(small, await small.tokenFor());
    const id = engineId();
    await agent.report([containerInfo(id)]);
    const entries = (n: number) => Array.from({ length: n }, (_, i) => stats(id, Date.now() - i * 1000));
    const refused = await postIngest(
      small,
      agent.credential,
      batch(agent.nextSeq(), [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }], {
        containerStats: entries(10),
      }),
    );
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatchObject({ code: 'batch_too_large', details: { samples: 11 } });
    // Ten entries fit; each stores its non-null values (7 here) as samples.
    const fits = await agent.post({ containerStats: entries(10) });
    expect(fits.samples).toBe(70);
  });
});
