// Day partitions of `samples` against a real database: created on ingest and ahead of time, dropped with
// their replay markers once past retention (here two days), while kept partitions keep their samples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { batch, DAY_MS, enrolledAgent, postIngest, storedSamples } from '../agents/agent-fixtures';
import { dayStart, listPartitions, PARTITIONED_TABLES, PartitionManager, partitionName } from './partitions';

let t: TestServer;
let operator: string;

beforeAll(async () => {
  t = await startTestServer({ EMMA_RAW_RETENTION_DAYS: '2' });
  operator = (await t.userWithRole('operator')).token;
});
afterAll(async () => {
  await t.close();
});

const partitions = () => listPartitions(t.db);

async function partitionRows(name: string): Promise<number> {
  const result = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
  return result.rows[0]!.n;
}

describe('partitions', () => {
  it('creates the day partitions a batch needs; each sample lands in its own day', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    const days = [0, 1, 2].map((k) => now - k * DAY_MS);
    const res = await postIngest(
      t,
      agent.credential,
      batch(1, [{ metric: 'cpu.percent', points: days.map((ts, i): [number, number] => [ts, i]) }]),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ samples: 3, rejectedSamples: 0 });
    const names = await partitions();
    for (const ts of days) {
      const name = partitionName(dayStart(ts));
      expect(names).toContain(name);
      const inIt = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${name} x JOIN series s ON s.id = x.series_id WHERE s.agent_id = $1`,
        [agent.agentId],
      );
      expect(inIt.rows[0]!.n, name).toBe(1);
    }
    for (const name of names) expect(name).toMatch(/^samples_p\d{8}$/);
    // Each day-partitioned table gets the same days.
    for (const table of PARTITIONED_TABLES) {
      const ofTable = await listPartitions(t.db, table);
      for (const ts of days) expect(ofTable).toContain(partitionName(dayStart(ts), table));
    }
  });

  it('maintain(now) creates today and three days ahead, idempotently', async () => {
    const now = Date.now();
    const first = await t.server.partitions.maintain(now);
    const names = await partitions();
    for (let i = 0; i <= 3; i += 1) expect(names).toContain(partitionName(dayStart(now) + i * DAY_MS));
    expect(names).not.toContain(partitionName(dayStart(now) + 4 * DAY_MS));
    expect(first.dropped).toEqual([]);
    const second = await t.server.partitions.maintain(now);
    expect(second).toEqual({ created: 0, dropped: [] });
    expect(await partitions()).toEqual(names);
  });

  it('is safe when several managers create the same day at once', async () => {
    const day = dayStart(Date.now()) + 40 * DAY_MS;
    const managers = [1, 2, 3].map(() => new PartitionManager(t.server.pool, 2));
    await Promise.all(managers.map((m) => m.ensureDays([day, day])));
    expect((await partitions()).filter((n) => n === partitionName(day))).toHaveLength(1);
    await t.db.query(`DROP TABLE ${partitionName(day)}`);
  });

  it('drops partitions and replay markers past retention and keeps the rest with their samples', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    const today = dayStart(now);
    const res = await postIngest(
      t,
      agent.credential,
      batch(1, [
        {
          metric: 'mem.used.bytes',
          points: [
            [now - 2 * DAY_MS, 2],
            [now - DAY_MS, 1],
            [now, 0],
          ],
        },
      ]),
    );
    expect(res.body).toMatchObject({ samples: 3, rejectedSamples: 0 });
    await t.db.query(
      `INSERT INTO ingest_batches (agent_id, seq, samples, created_at) VALUES ($1, 99, 0, now() - interval '3 days')`,
      [agent.agentId],
    );

    // A day later the oldest day falls out of the two days of retention.
    const dayLater = await t.server.partitions.maintain(now + DAY_MS);
    // Every day-partitioned table loses that day: samples, probe results and container events alike.
    expect(dayLater.dropped.sort()).toEqual(
      PARTITIONED_TABLES.map((table) => partitionName(today - 2 * DAY_MS, table)).sort(),
    );
    const names = await partitions();
    expect(names).not.toContain(partitionName(today - 2 * DAY_MS));
    expect(names).toContain(partitionName(today - DAY_MS));
    expect(names).toContain(partitionName(today));
    expect(names).toContain(partitionName(today + 4 * DAY_MS));
    expect((await storedSamples(t, agent.agentId)).map((s) => s.value)).toEqual([1, 0]);
    const markers = await t.db.query('SELECT seq FROM ingest_batches WHERE agent_id = $1 ORDER BY seq', [
      agent.agentId,
    ]);
    expect(markers.rows.map((r) => Number(r.seq))).toEqual([1]);

    // Ten days later everything of now is gone, and the days ahead of then exist.
    const future = await t.server.partitions.maintain(now + 10 * DAY_MS);
    expect(future.dropped).toEqual(
      expect.arrayContaining([
        partitionName(today - DAY_MS),
        partitionName(today),
        partitionName(today + 3 * DAY_MS),
      ]),
    );
    const after = await partitions();
    for (const name of after) expect(name >= partitionName(today + 8 * DAY_MS), name).toBe(true);
    for (let i = 10; i <= 13; i += 1) expect(after).toContain(partitionName(today + i * DAY_MS));
    expect(await storedSamples(t, agent.agentId)).toEqual([]);
    const left = await t.db.query('SELECT count(*)::int AS n FROM ingest_batches');
    expect(left.rows[0].n).toBe(0);

    // Samples in partitions that stay are untouched by the next maintenance.
    const keptDay = today + 12 * DAY_MS;
    await t.db.query(
      `INSERT INTO samples (series_id, ts, value)
       SELECT id, $2, 42 FROM series WHERE agent_id = $1 LIMIT 1`,
      [agent.agentId, new Date(keptDay + 3_600_000)],
    );
    const again = await t.server.partitions.maintain(now + 13 * DAY_MS);
    expect(again.dropped.sort()).toEqual(
      PARTITIONED_TABLES.map((table) => partitionName(today + 10 * DAY_MS, table)).sort(),
    );
    expect(await partitionRows(partitionName(keptDay))).toBe(1);

    // The server's own manager forgot the dropped days: ingest of today recreates today's partition.
    const fresh = await postIngest(
      t,
      agent.credential,
      batch(2, [{ metric: 'mem.used.bytes', points: [[Date.now(), 7]] }]),
    );
    expect(fresh.status).toBe(200);
    expect(fresh.body.samples).toBe(1);
    expect(await partitions()).toContain(partitionName(dayStart(Date.now())));
    expect((await storedSamples(t, agent.agentId)).map((s) => s.value)).toEqual([7, 42]);
  });

  it('dropExpired of another manager reports what it dropped', async () => {
    const day = dayStart(Date.now()) - 30 * DAY_MS;
    const manager = new PartitionManager(t.server.pool, 2);
    await manager.ensureDays([day]);
    expect(await partitions()).toContain(partitionName(day));
    const dropped = await manager.dropExpired(Date.now());
    expect(dropped).toContain(partitionName(day));
    expect(await partitions()).not.toContain(partitionName(day));
  });
});
