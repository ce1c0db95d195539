// The rollups against a real database: equal to what the raw samples say (property-based), idempotent,
// catching up after a pause, rolling late data up again, and keeping raw days the rollups still need.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { batch, DAY_MS, enrolledAgent, postIngest } from '../agents/agent-fixtures';
import { dayStart, listPartitions, PartitionManager, partitionName } from '../ingest/partitions';
import { rollUp } from './rollup-repo';
import { ROLLUP_DELAY_MS, runRollups } from './rollup';

const MINUTE = 60_000;
const HOUR = 3_600_000;

let t: TestServer;
let agentId: string;
let credential: string;
/** Where the next test's data goes: every test uses hours after the previous test's. */
let cursor: number;

beforeAll(async () => {
  t = await startTestServer();
  const operator = (await t.userWithRole('operator')).token;
  const agent = await enrolledAgent(t, operator);
  agentId = agent.agentId;
  credential = agent.credential;
  cursor = dayStart(Date.now()) - 10 * DAY_MS;
  await t.server.partitions.ensureDays([cursor]);
});
afterAll(async () => {
  await t.close();
});

let seriesCounter = 0;
async function newSeries(): Promise<number> {
  seriesCounter += 1;
  const result = await t.db.query<{ id: string }>(
    `INSERT INTO series (agent_id, metric, labels) VALUES ($1, $2, '{}') RETURNING id`,
    [agentId, `prop.series${seriesCounter}.value`],
  );
  return Number(result.rows[0]!.id);
}

interface Sample {
  seriesId: number;
  ts: number;
  value: number;
}

async function insertSamples(samples: readonly Sample[]): Promise<void> {
  await t.server.partitions.ensureDays(samples.map((s) => dayStart(s.ts)));
  await t.db.query(
    `INSERT INTO samples (series_id, ts, value)
     SELECT s, to_timestamp(ts / 1000.0), v FROM unnest($1::bigint[], $2::float8[], $3::float8[]) AS u(s, ts, v)`,
    [samples.map((s) => s.seriesId), samples.map((s) => s.ts), samples.map((s) => s.value)],
  );
}

interface Bucket {
  min: number;
  max: number;
  avg: number;
  count: number;
  last: number;
}

/** What a rollup row must hold, computed from the raw samples here. */
function expected(samples: readonly Sample[], widthMs: number): Map<string, Bucket> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = `${s.seriesId}@${Math.floor(s.ts / widthMs) * widthMs}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const buckets = new Map<string, Bucket>();
  for (const [key, group] of groups) {
    const values = group.map((s) => s.value);
    const newest = group.reduce((a, b) => (b.ts > a.ts ? b : a));
    buckets.set(key, {
      min: Math.min(...values),
      max: Math.max(...values),
      avg: values.reduce((a, b) => a + b, 0) / values.length,
      count: values.length,
      last: newest.value,
    });
  }
  return buckets;
}

async function stored(table: 'samples_1m' | 'samples_1h', seriesIds: number[]): Promise<Map<string, Bucket>> {
  const result = await t.db.query<Bucket & { series_id: string; bucket: Date }>(
    `SELECT series_id, bucket, min, max, avg, count, last FROM ${table} WHERE series_id = ANY($1::bigint[])`,
    [seriesIds],
  );
  return new Map(
    result.rows.map((row) => [
      `${row.series_id}@${row.bucket.getTime()}`,
      { min: row.min, max: row.max, avg: row.avg, count: row.count, last: row.last },
    ]),
  );
}

function expectSame(actual: Map<string, Bucket>, wanted: Map<string, Bucket>): void {
  expect([...actual.keys()].sort()).toEqual([...wanted.keys()].sort());
  for (const [key, bucket] of wanted) {
    const row = actual.get(key)!;
    expect({ ...row, avg: 0 }, key).toEqual({ ...bucket, avg: 0 });
    expect(Math.abs(row.avg - bucket.avg), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(bucket.avg)));
  }
}

const sampleArbitrary = (windowMs: number) =>
  fc.uniqueArray(
    fc.record({
      series: fc.integer({ min: 0, max: 2 }),
      offset: fc.integer({ min: 0, max: windowMs - 1 }),
      // -0 and 0 are equal to PostgreSQL, so min() may answer either: the property compares numbers, not zeros' signs.
      value: fc
        .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
        .map((v) => (v === 0 ? 0 : v)),
    }),
    { minLength: 1, maxLength: 120, selector: (s) => `${s.series}/${s.offset}` },
  );

describe('rollups', () => {
  it('hold min, max, avg, count and last of the raw samples per minute and per hour, and re-running changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(sampleArbitrary(3 * HOUR), async (generated) => {
        const start = cursor;
        cursor += 4 * HOUR;
        const ids = [await newSeries(), await newSeries(), await newSeries()];
        const samples = generated.map((g) => ({
          seriesId: ids[g.series]!,
          ts: start + g.offset,
          value: g.value,
        }));
        await insertSamples(samples);

        const run = await runRollups(t.server.pool, { now: new Date(start + 4 * HOUR + ROLLUP_DELAY_MS) });
        expect(run.caughtUp).toBe(true);
        expect(run.doneUntil.samples_1m?.getTime()).toBe(start + 4 * HOUR);
        expect(run.doneUntil.samples_1h?.getTime()).toBe(start + 4 * HOUR);
        const minutes = await stored('samples_1m', ids);
        expectSame(minutes, expected(samples, MINUTE));
        expectSame(await stored('samples_1h', ids), expected(samples, HOUR));

        // Idempotent: rolling the same range up again writes the same rows.
        await rollUp(t.server.pool, 'samples_1m', new Date(start), new Date(start + 4 * HOUR));
        await rollUp(t.server.pool, 'samples_1h', new Date(start), new Date(start + 4 * HOUR));
        expect(await stored('samples_1m', ids)).toEqual(minutes);
        expectSame(await stored('samples_1h', ids), expected(samples, HOUR));
      }),
      { numRuns: 12 },
    );
  });

  it('rolls only closed buckets: the newest minutes wait for ROLLUP_DELAY_MS', async () => {
    const start = cursor;
    cursor += 2 * HOUR;
    const id = await newSeries();
    await insertSamples([
      { seriesId: id, ts: start + 10 * MINUTE + 5_000, value: 1 },
      { seriesId: id, ts: start + 11 * MINUTE + 5_000, value: 2 },
    ]);
    // At 11:30 past the start plus the delay, minute 10 is closed and minute 11 is not.
    const run = await runRollups(t.server.pool, {
      now: new Date(start + 11 * MINUTE + 30_000 + ROLLUP_DELAY_MS),
    });
    expect(run.doneUntil.samples_1m?.getTime()).toBe(start + 11 * MINUTE);
    expect(run.doneUntil.samples_1h?.getTime()).toBe(start);
    expect([...(await stored('samples_1m', [id])).keys()]).toEqual([`${id}@${start + 10 * MINUTE}`]);
    await runRollups(t.server.pool, { now: new Date(start + 2 * HOUR + ROLLUP_DELAY_MS) });
    expect((await stored('samples_1m', [id])).size).toBe(2);
    expect((await stored('samples_1h', [id])).get(`${id}@${start}`)).toMatchObject({
      count: 2,
      avg: 1.5,
      last: 2,
    });
  });

  it('catches up after a pause, a budget at a time, to the same rows', async () => {
    const start = cursor;
    cursor += 12 * HOUR;
    const id = await newSeries();
    const samples = Array.from({ length: 10 * 60 }, (_, i) => ({
      seriesId: id,
      ts: start + i * MINUTE + 17_000,
      value: (i * 7) % 13,
    }));
    await insertSamples(samples);
    const now = new Date(start + 12 * HOUR);
    // With no time to spare each run still rolls one chunk (an hour of minutes) per rollup.
    const first = await runRollups(t.server.pool, { now, budgetMs: 0 });
    expect(first.caughtUp).toBe(false);
    expect(first.doneUntil.samples_1m?.getTime()).toBe(start + HOUR);
    let runs = 1;
    for (let run = first; !run.caughtUp; runs += 1)
      run = await runRollups(t.server.pool, { now, budgetMs: 0 });
    expect(runs).toBeGreaterThan(1);
    expectSame(await stored('samples_1m', [id]), expected(samples, MINUTE));
    expectSame(await stored('samples_1h', [id]), expected(samples, HOUR));
  });

  it('rolls up again the hours that receive late data (an agent replaying its spool)', async () => {
    // Catch up to the present, then send samples for an hour the rollups have passed.
    const caught = await runRollups(t.server.pool, { budgetMs: Infinity });
    expect(caught.caughtUp).toBe(true);
    const hour = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
    const points: [number, number][] = [
      [hour + 5 * MINUTE, 10],
      [hour + 5 * MINUTE + 30_000, 20],
      [hour + 40 * MINUTE, 30],
    ];
    const res = await postIngest(t, credential, batch(1, [{ metric: 'late.value', points }]));
    expect(res.body).toMatchObject({ samples: 3, rejectedSamples: 0 });
    const marks = await t.db.query('SELECT hour FROM rollup_backfill WHERE agent_id = $1', [agentId]);
    expect(marks.rows.map((r) => (r.hour as Date).getTime())).toEqual([hour]);
    // Before the worker gets to it, queries read that hour from raw samples: the data shows at once.
    const admin = await t.tokenFor();
    const early = await t.request(
      'GET',
      `/api/v1/series/query?agent=${agentId}&metric=late.value&from=${new Date(hour).toISOString()}&to=${new Date(hour + HOUR).toISOString()}&step=60`,
      { token: admin },
    );
    expect(early.body).toMatchObject({ tier: '1m', stepS: 60 });
    expect(early.body.series[0].points).toEqual([
      [hour + 5 * MINUTE, 15],
      [hour + 40 * MINUTE, 30],
    ]);

    const run = await runRollups(t.server.pool, { budgetMs: Infinity });
    expect(run.backfilled).toBe(1);
    const series = await t.db.query<{ id: string }>(
      `SELECT id FROM series WHERE agent_id = $1 AND metric = 'late.value'`,
      [agentId],
    );
    const id = Number(series.rows[0]!.id);
    expect((await stored('samples_1m', [id])).get(`${id}@${hour + 5 * MINUTE}`)).toMatchObject({
      count: 2,
      avg: 15,
      last: 20,
    });
    expect((await stored('samples_1h', [id])).get(`${id}@${hour}`)).toMatchObject({
      count: 3,
      avg: 20,
      last: 30,
    });
    expect((await t.db.query('SELECT 1 FROM rollup_backfill')).rowCount).toBe(0);
  });

  it('drops each tier by its own retention, and keeps raw days a rollup has not passed', async () => {
    const now = Date.now();
    const manager = new PartitionManager(t.server.pool, { rawDays: 2, minuteDays: 5, hourDays: 400 });
    const old = dayStart(now) - 8 * DAY_MS;
    await manager.ensure(['samples', 'samples_1m', 'samples_1h'], [old]);
    // The 1-minute rollup is behind that day: its raw partition stays.
    await t.db.query(`UPDATE rollup_progress SET done_until = $1 WHERE rollup = 'samples_1m'`, [
      new Date(old),
    ]);
    let dropped = await manager.dropExpired(now);
    expect(dropped).toContain(partitionName(old, 'samples_1m'));
    expect(dropped).not.toContain(partitionName(old, 'samples'));
    expect(dropped).not.toContain(partitionName(old, 'samples_1h'));
    // Once it has passed the day, the raw day goes too; the hour tier keeps its month.
    await runRollups(t.server.pool, { budgetMs: Infinity });
    dropped = await manager.dropExpired(now);
    expect(dropped).toContain(partitionName(old, 'samples'));
    expect(await listPartitions(t.db, 'samples_1h')).toContain(partitionName(old, 'samples_1h'));
    expect(partitionName(old, 'samples_1h')).toMatch(/^samples_1h_p\d{6}$/);
    // Once 400 days have passed the whole month, the hour tier drops it as well.
    dropped = await manager.dropExpired(now + 400 * DAY_MS);
    expect(dropped).not.toContain(partitionName(old, 'samples_1h'));
    dropped = await manager.dropExpired(now + 432 * DAY_MS);
    expect(dropped).toContain(partitionName(old, 'samples_1h'));
  });
});
