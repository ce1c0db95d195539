// Ingest limits on a server with small ones: samples per batch, body size (also after gzip inflation),
// and batches per second per agent.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { batch, enrolledAgent, postIngest, storedSamples } from '../agents/agent-fixtures';

const MAX_SAMPLES = 100;
const BODY_LIMIT = 4096;

let t: TestServer;
let operator: string;

beforeAll(async () => {
  t = await startTestServer({
    EMMA_INGEST_MAX_BATCH_SAMPLES: String(MAX_SAMPLES),
    EMMA_INGEST_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    EMMA_INGEST_MAX_BATCHES_PER_S: '1',
  });
  operator = (await t.userWithRole('operator')).token;
});
afterAll(async () => {
  await t.close();
});

const points = (n: number, base = Date.now()): [number, number][] =>
  Array.from({ length: n }, (_, i) => [base - i, 1]);

async function batchCount(agentId: string): Promise<number> {
  const result = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM ingest_batches WHERE agent_id = $1',
    [agentId],
  );
  return result.rows[0]!.n;
}

describe('limits of /api/v1/ingest', () => {
  it('accepts exactly the maximum number of samples and refuses one more with 413 batch_too_large', async () => {
    const agent = await enrolledAgent(t, operator);
    const config = await t.request('GET', '/api/v1/agents/self/config', { token: agent.credential });
    expect(config.body.maxBatchSamples).toBe(MAX_SAMPLES);

    const over = batch(1, [
      { metric: 'cpu.percent', points: points(60) },
      { metric: 'mem.used.bytes', points: points(MAX_SAMPLES - 59) },
    ]);
    expect(JSON.stringify(over).length).toBeLessThan(BODY_LIMIT);
    const refused = await postIngest(t, agent.credential, over, { gzip: true });
    expect(refused.status).toBe(413);
    expect(refused.body.error.code).toBe('batch_too_large');
    expect(refused.body.error.details).toEqual({ samples: MAX_SAMPLES + 1 });
    expect(await batchCount(agent.agentId)).toBe(0);
    expect(await storedSamples(t, agent.agentId)).toEqual([]);

    const exact = batch(1, [
      { metric: 'cpu.percent', points: points(60) },
      { metric: 'mem.used.bytes', points: points(MAX_SAMPLES - 60) },
    ]);
    const accepted = await postIngest(t, agent.credential, exact, { gzip: true });
    expect(accepted.status).toBe(200);
    expect(accepted.body.samples).toBe(MAX_SAMPLES);
    expect(await storedSamples(t, agent.agentId)).toHaveLength(MAX_SAMPLES);
  });

  it('refuses a body over the limit with 413 payload_too_large and stores nothing', async () => {
    const agent = await enrolledAgent(t, operator);
    const big = batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }], {
      pad: 'x'.repeat(BODY_LIMIT),
    });
    const res = await postIngest(t, agent.credential, big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await batchCount(agent.agentId)).toBe(0);
    // The same data in a body under the limit goes through.
    const ok = await postIngest(
      t,
      agent.credential,
      batch(1, [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }]),
    );
    expect(ok.status).toBe(200);
  });

  it('applies the limit after gzip inflation: a small gzip bomb gets 413', async () => {
    const agent = await enrolledAgent(t, operator);
    const json = JSON.stringify({
      seq: 1,
      sentAt: Date.now(),
      series: [{ metric: 'cpu.percent', points: [[Date.now(), 1]] }],
      pad: ' '.repeat(2_000_000),
    });
    const bomb = gzipSync(Buffer.from(json), { level: 9 });
    expect(bomb.length).toBeLessThan(BODY_LIMIT);
    const res = await postIngest(t, agent.credential, undefined, { raw: bomb, contentEncoding: 'gzip' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await batchCount(agent.agentId)).toBe(0);

    // Whitespace that inflates past the limit in a plain body is refused just the same.
    const plain = await postIngest(t, agent.credential, undefined, {
      raw: Buffer.from(`${json.slice(0, 10_000)}"}`),
    });
    expect(plain.status).toBe(413);
  });

  it('refuses a third immediate batch with 429 and Retry-After, per agent, and recovers', async () => {
    const agent = await enrolledAgent(t, operator);
    const other = await enrolledAgent(t, operator);
    const send = (credential: string, seq: number) =>
      postIngest(t, credential, batch(seq, [{ metric: 'cpu.percent', points: [[Date.now(), seq]] }]));
    expect((await send(agent.credential, 1)).status).toBe(200);
    expect((await send(agent.credential, 2)).status).toBe(200);
    const third = await send(agent.credential, 3);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('too_many_requests');
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(await batchCount(agent.agentId)).toBe(2);

    // Another agent has its own budget.
    expect((await send(other.credential, 1)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
    const later = await send(agent.credential, 3);
    expect(later.status).toBe(200);
    expect(later.body.duplicate).toBe(false);
    expect((await storedSamples(t, agent.agentId)).map((s) => s.value)).toEqual([1, 2, 3]);
  });
});
