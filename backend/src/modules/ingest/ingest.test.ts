// POST /api/v1/ingest: gzip and plain batches, replays, invalid batches, the retention window, agent
// liveness, and the NOTIFY that tells listeners about new samples.
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import {
  agentRow,
  batch,
  DAY_MS,
  enrolledAgent,
  eventKinds,
  postIngest,
  storedSamples,
} from '../agents/agent-fixtures';

let t: TestServer;
let operator: string;
let listener: pg.Client;
const notifications: string[] = [];

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  listener = new pg.Client({ connectionString: t.databaseUrl });
  await listener.connect();
  listener.on('notification', (msg) => {
    notifications.push(msg.payload ?? '');
  });
  await listener.query('LISTEN emma_changes');
});
afterAll(async () => {
  await listener.end();
  await t.close();
});

async function countRows(table: 'ingest_batches' | 'series', agentId: string): Promise<number> {
  const result = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE agent_id = $1`,
    [agentId],
  );
  return result.rows[0]!.n;
}

/** Waits until a NOTIFY sent now has arrived: everything committed before it has been delivered too. */
async function drainNotifications(): Promise<void> {
  const marker = `marker-${Math.random()}`;
  await t.db.query('SELECT pg_notify($1, $2)', ['emma_changes', marker]);
  const deadline = Date.now() + 5000;
  while (!notifications.includes(marker)) {
    if (Date.now() > deadline) throw new Error('the marker notification never arrived');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function samplesNotices(agentId: string) {
  return notifications
    .filter((n) => n.startsWith('{'))
    .map((n) => JSON.parse(n) as { t: string; a: string; s?: number; n?: number; status?: string })
    .filter((n) => n.a === agentId);
}

describe('POST /api/v1/ingest', () => {
  it('stores a gzip batch and a plain JSON batch, joined with their series', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    const gz = await postIngest(
      t,
      agent.credential,
      batch(1, [
        {
          metric: 'cpu.percent',
          points: [
            [now - 2000, 10],
            [now - 1000, 20],
          ],
        },
        { metric: 'net.rx.bytes_per_s', labels: { iface: 'eth0' }, points: [[now - 1000, 1500]] },
      ]),
      { gzip: true },
    );
    expect(gz.status).toBe(200);
    expect(gz.body).toEqual({ accepted: true, duplicate: false, samples: 3, rejectedSamples: 0 });

    const plain = await postIngest(
      t,
      agent.credential,
      batch(2, [{ metric: 'mem.used.bytes', labels: {}, points: [[now, 4096]] }]),
    );
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual({ accepted: true, duplicate: false, samples: 1, rejectedSamples: 0 });

    expect(await storedSamples(t, agent.agentId)).toEqual([
      { metric: 'cpu.percent', labels: {}, ts: now - 2000, value: 10 },
      { metric: 'cpu.percent', labels: {}, ts: now - 1000, value: 20 },
      { metric: 'net.rx.bytes_per_s', labels: { iface: 'eth0' }, ts: now - 1000, value: 1500 },
      { metric: 'mem.used.bytes', labels: {}, ts: now, value: 4096 },
    ]);
    const batches = await t.db.query(
      'SELECT seq, samples FROM ingest_batches WHERE agent_id = $1 ORDER BY seq',
      [agent.agentId],
    );
    expect(batches.rows).toEqual([
      { seq: 1, samples: 3 },
      { seq: 2, samples: 1 },
    ]);
    const row = await t.db.query('SELECT last_seq FROM agents WHERE id = $1', [agent.agentId]);
    expect(row.rows[0].last_seq).toBe(2);
  });

  it('acknowledges a replayed seq as a duplicate and stores nothing more', async () => {
    const agent = await enrolledAgent(t, operator);
    const body = batch(7, [{ metric: 'cpu.percent', points: [[Date.now(), 50]] }]);
    const first = await postIngest(t, agent.credential, body);
    expect(first.body).toMatchObject({ duplicate: false, samples: 1 });
    const replay = await postIngest(t, agent.credential, body, { gzip: true });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ accepted: true, duplicate: true, samples: 0, rejectedSamples: 0 });
    // A replay with different content is still the same batch.
    const changed = await postIngest(
      t,
      agent.credential,
      batch(7, [{ metric: 'cpu.percent', points: [[Date.now(), 99]] }]),
    );
    expect(changed.body.duplicate).toBe(true);
    expect(await storedSamples(t, agent.agentId)).toHaveLength(1);
    expect(await countRows('ingest_batches', agent.agentId)).toBe(1);
  });

  it('stores a batch sent twice at once exactly once', async () => {
    const agent = await enrolledAgent(t, operator);
    const body = batch(1, [
      {
        metric: 'cpu.percent',
        points: [
          [Date.now(), 1],
          [Date.now() - 1, 2],
        ],
      },
    ]);
    const results = await Promise.all([1, 2, 3].map(() => postIngest(t, agent.credential, body)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(await storedSamples(t, agent.agentId)).toHaveLength(2);
  });

  it('refuses malformed batches with 422 and details, stores nothing, and keeps working', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    expect(
      (await postIngest(t, agent.credential, batch(1, [{ metric: 'cpu.percent', points: [[now, 1]] }])))
        .status,
    ).toBe(200);

    const bad: [unknown, string][] = [
      [batch(2, [{ metric: 'CPU', points: [[now, 1]] }]), 'body.series.0.metric'],
      [
        { seq: 2, sentAt: now, series: [{ metric: 'cpu.percent', points: [['now', 'one']] }] },
        'body.series.0.points.0.0',
      ],
      [{ sentAt: now, series: [{ metric: 'cpu.percent', points: [[now, 1]] }] }, 'body.seq'],
      [
        batch(2, [
          { metric: 'cpu.percent', points: [[now, 2]] },
          { metric: 'disk.used.bytes', points: [] },
        ]),
        'body.series.1.points',
      ],
      [
        batch(2, [{ metric: 'cpu.percent', labels: { 'Bad-Label': 'x' }, points: [[now, 1]] }]),
        'body.series.0.labels',
      ],
      [batch(-1, []), 'body.seq'],
      [batch(1.5, []), 'body.seq'],
      [
        { seq: 2, sentAt: now, series: [{ metric: 'cpu.percent', points: [[now, 1, 2]] }] },
        'body.series.0.points.0',
      ],
    ];
    for (const [body, path] of bad) {
      const res = await postIngest(t, agent.credential, body, { gzip: true });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
      const paths = (res.body.error.details as { path: string }[]).map((d) => d.path);
      expect(
        paths.some((p) => p.startsWith(path)),
        `${paths.join()} ~ ${path}`,
      ).toBe(true);
    }
    // Not JSON at all, and not declared as JSON.
    const notJson = await postIngest(t, agent.credential, undefined, { raw: Buffer.from('{"seq":') });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const res = await fetch(`${t.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.credential}`, 'content-type': 'text/plain' },
      body: 'seq=2',
    });
    expect(res.status).toBe(415);

    expect(await countRows('ingest_batches', agent.agentId)).toBe(1);
    expect(await countRows('series', agent.agentId)).toBe(1);
    expect(await storedSamples(t, agent.agentId)).toHaveLength(1);

    const later = await postIngest(
      t,
      agent.credential,
      batch(2, [{ metric: 'cpu.percent', points: [[now + 1, 2]] }]),
    );
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ duplicate: false, samples: 1 });
    expect((await storedSamples(t, agent.agentId)).map((s) => s.value)).toEqual([1, 2]);
  });

  it('answers a corrupt gzip body with 400 (a client error), not 500', async () => {
    const agent = await enrolledAgent(t, operator);
    const valid = gzipSync(Buffer.from(JSON.stringify(batch(1, []))));
    for (const raw of [Buffer.from('not gzip at all'), valid.subarray(0, valid.length - 6)]) {
      const res = await postIngest(t, agent.credential, undefined, { raw, contentEncoding: 'gzip' });
      expect(res.status).toBe(400);
    }
    const unknownEncoding = await postIngest(t, agent.credential, undefined, {
      raw: Buffer.from(JSON.stringify(batch(1, []))),
      contentEncoding: 'compress',
    });
    expect(unknownEncoding.status).toBe(415);
    expect(await countRows('ingest_batches', agent.agentId)).toBe(0);
    expect((await postIngest(t, agent.credential, batch(1, []), { gzip: true })).status).toBe(200);
  });

  it('counts points outside the retention window or over a day ahead as rejected, not stored', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    const res = await postIngest(
      t,
      agent.credential,
      batch(1, [
        {
          metric: 'cpu.percent',
          points: [
            [now - 15 * DAY_MS, 1], // older than the 14 days of retention
            [now - 13 * DAY_MS, 2],
            [now - 60_000, 3],
            [now + 3_600_000, 4], // a little clock skew is fine
            [now + 2 * DAY_MS, 5], // more than a day in the future
            [0, 6],
          ],
        },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: true, duplicate: false, samples: 3, rejectedSamples: 3 });
    expect((await storedSamples(t, agent.agentId)).map((s) => s.value)).toEqual([2, 3, 4]);
    const batchRow = await t.db.query('SELECT samples FROM ingest_batches WHERE agent_id = $1', [
      agent.agentId,
    ]);
    expect(batchRow.rows[0].samples).toBe(3);
  });

  it('accepts a batch of only rejected points or no series as a heartbeat', async () => {
    const agent = await enrolledAgent(t, operator);
    const res = await postIngest(
      t,
      agent.credential,
      batch(1, [{ metric: 'cpu.percent', points: [[1, 1]] }]),
    );
    expect(res.body).toEqual({ accepted: true, duplicate: false, samples: 0, rejectedSamples: 1 });
    const empty = await postIngest(t, agent.credential, { seq: 2, sentAt: Date.now() });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ accepted: true, duplicate: false, samples: 0, rejectedSamples: 0 });
    expect(await storedSamples(t, agent.agentId)).toEqual([]);
    expect((await agentRow(t, agent.agentId))?.status).toBe('online');
  });

  it('records dropped batches reported by the agent once per batch', async () => {
    const agent = await enrolledAgent(t, operator);
    const body = batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }], { droppedBatches: 4 });
    await postIngest(t, agent.credential, body);
    await postIngest(t, agent.credential, body);
    const row = await t.db.query('SELECT dropped_batches FROM agents WHERE id = $1', [agent.agentId]);
    expect(row.rows[0].dropped_batches).toBe(4);
  });

  it('keeps one series per label set whatever the key order', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    await postIngest(
      t,
      agent.credential,
      batch(1, [{ metric: 'disk.used.bytes', labels: { mount: '/', dev: 'sda1' }, points: [[now - 1, 1]] }]),
    );
    await postIngest(
      t,
      agent.credential,
      batch(2, [{ metric: 'disk.used.bytes', labels: { dev: 'sda1', mount: '/' }, points: [[now, 2]] }]),
    );
    expect(await countRows('series', agent.agentId)).toBe(1);
    expect((await storedSamples(t, agent.agentId)).map((s) => s.value)).toEqual([1, 2]);
  });

  it('keeps label sets apart whose values contain "," and "="', async () => {
    // {a: '1,b=2'} and {a: '1', b: '2'} are different series; they must not share an id.
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    const res = await postIngest(
      t,
      agent.credential,
      batch(1, [
        { metric: 'app.requests.count', labels: { a: '1,b=2' }, points: [[now, 1]] },
        { metric: 'app.requests.count', labels: { a: '1', b: '2' }, points: [[now, 2]] },
      ]),
    );
    expect(res.status).toBe(200);
    const stored = (await storedSamples(t, agent.agentId)).sort((x, y) => x.value - y.value);
    expect(stored).toEqual([
      { metric: 'app.requests.count', labels: { a: '1,b=2' }, ts: now, value: 1 },
      { metric: 'app.requests.count', labels: { a: '1', b: '2' }, ts: now, value: 2 },
    ]);
    expect(await countRows('series', agent.agentId)).toBe(2);
  });

  it('refuses a user access token, a missing one and garbage with 401', async () => {
    const body = batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]);
    for (const credential of [operator, undefined, 'emmaag_nonsense']) {
      const res = await postIngest(t, credential, body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_agent_credential');
    }
  });
});

describe('agent status and notifications', () => {
  it('turns an offline agent online at its first batch, with one online event', async () => {
    const agent = await enrolledAgent(t, operator);
    expect((await agentRow(t, agent.agentId))?.status).toBe('offline');
    const before = Date.now();
    await postIngest(t, agent.credential, batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]));
    const row = await agentRow(t, agent.agentId);
    expect(row?.status).toBe('online');
    expect(row!.last_seen_at!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    await postIngest(t, agent.credential, batch(2, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]));
    expect(await eventKinds(t, agent.agentId)).toEqual(['enrolled', 'online']);
    const config = await t.request('GET', '/api/v1/agents/self/config', { token: agent.credential });
    expect(config.body.status).toBe('online');
  });

  it('stores concurrent batches of one agent, whatever the order of their series, going online once', async () => {
    // An agent that retries while an earlier request is still in flight sends batches concurrently; the
    // order of series in a batch is up to the agent. Every batch must be stored (no 500 from a deadlock).
    // Whether a deadlock strikes depends on timing, so this tries a few rounds (cold and warm series cache).
    for (const warm of [false, true, true, true]) {
      const agent = await enrolledAgent(t, operator);
      const now = Date.now();
      const metrics = Array.from({ length: 50 }, (_, i) => `app.m${i}.count`);
      let seq = 0;
      if (warm) {
        seq += 1;
        const first = await postIngest(
          t,
          agent.credential,
          batch(
            seq,
            metrics.map((metric) => ({ metric, points: [[now - 1000, 0]] })),
          ),
        );
        expect(first.status).toBe(200);
      }
      const bodies = Array.from({ length: 16 }, (_, i) =>
        batch(
          seq + i + 1,
          (i % 2 === 0 ? metrics : [...metrics].reverse()).map((metric) => ({
            metric,
            points: [[now + i, i]],
          })),
        ),
      );
      const results = await Promise.all(bodies.map((body) => postIngest(t, agent.credential, body)));
      expect(
        results.map((r) => r.status),
        JSON.stringify(results.find((r) => r.status !== 200)?.body),
      ).toEqual(bodies.map(() => 200));
      expect(await storedSamples(t, agent.agentId)).toHaveLength(metrics.length * (16 + seq));
      expect((await eventKinds(t, agent.agentId)).filter((k) => k === 'online')).toHaveLength(1);
    }
  });

  it('notifies emma_changes of new samples after commit, and not of a replay', async () => {
    const agent = await enrolledAgent(t, operator);
    const now = Date.now();
    const body = batch(5, [
      {
        metric: 'cpu.percent',
        points: [
          [now - 1, 1],
          [now, 2],
        ],
      },
      {
        metric: 'load.avg1.ratio',
        points: [
          [now, 0.5],
          [now - 20 * DAY_MS, 9],
        ],
      },
    ]);
    expect((await postIngest(t, agent.credential, body)).status).toBe(200);
    await drainNotifications();
    expect(samplesNotices(agent.agentId)).toEqual([
      { t: 'agent', a: agent.agentId, status: 'offline' }, // enrolled
      { t: 'agent', a: agent.agentId, status: 'online' },
      { t: 'samples', a: agent.agentId, s: 5, n: 3 },
    ]);

    expect((await postIngest(t, agent.credential, body)).body.duplicate).toBe(true);
    await drainNotifications();
    expect(samplesNotices(agent.agentId).filter((n) => n.t === 'samples')).toHaveLength(1);
  });

  it('does not notify about a refused batch', async () => {
    const agent = await enrolledAgent(t, operator);
    const res = await postIngest(
      t,
      agent.credential,
      batch(1, [{ metric: 'BAD', points: [[Date.now(), 1]] }]),
    );
    expect(res.status).toBe(422);
    await drainNotifications();
    // Only the enrolment's notice: the refused batch neither brought the agent online nor stored samples.
    expect(samplesNotices(agent.agentId)).toEqual([{ t: 'agent', a: agent.agentId, status: 'offline' }]);
  });
});
