import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IngestBatch } from '@emma/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorBody, startFakeIngestServer, unusedPort, type FakeIngestServer } from './fake-ingest-server';
import { backoffDelay, classifyFailure, Sender, type SenderOptions } from './sender';
import { Spool } from './spool';

const CREDENTIAL = 'cred-test';

const batch = (seq: number, value = seq): IngestBatch => ({
  seq,
  sentAt: 1,
  droppedBatches: 0,
  probeResults: [],
  containerEvents: [],
  containerStats: [],
  series: [{ metric: 'cpu.percent', labels: { core: 'all' }, points: [[1_700_000_000_000 + seq, value]] }],
});

/** A sleep the test releases by hand; records every requested delay. */
function manualSleep(): {
  sleep: NonNullable<SenderOptions['sleep']>;
  delays: number[];
  waiting: () => number;
  release: () => void;
} {
  const delays: number[] = [];
  const waiting: (() => void)[] = [];
  return {
    delays,
    waiting: () => waiting.length,
    release: () => {
      for (const resolve of waiting.splice(0)) resolve();
    },
    sleep: (ms, signal) => {
      delays.push(ms);
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        signal.addEventListener('abort', () => {
          resolve();
        });
      });
    },
  };
}

let dir: string;
const cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'emma-sender-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function server(options: { port?: number; credential?: string } = {}): Promise<FakeIngestServer> {
  const fake = await startFakeIngestServer({ credential: CREDENTIAL, ...options });
  cleanups.push(() => fake.close());
  return fake;
}

async function sender(
  url: string,
  options: Partial<SenderOptions> & { maxCount?: number } = {},
): Promise<{ sender: Sender; spool: Spool }> {
  const spool = await Spool.open({ dir, maxBytes: 1e7, maxCount: options.maxCount });
  const s = new Sender({ serverUrl: url, credential: CREDENTIAL, spool, requestTimeoutMs: 2000, ...options });
  s.start();
  cleanups.push(() => s.stop());
  await s.whenIdle(); // the loop is ready: the next batch takes the in-memory fast path
  return { sender: s, spool };
}

const seqs = (batches: { seq: number }[]): number[] => batches.map((b) => b.seq);

describe('Sender', () => {
  it('posts a gzip JSON batch that decodes to a schema-valid batch, with the bearer credential', async () => {
    const fake = await server();
    const { sender: s, spool } = await sender(fake.url);
    await s.enqueue(batch(1, 42));
    await s.whenIdle();
    expect(fake.invalid).toBe(0); // the fake server gunzips and runs IngestBatchSchema.parse
    expect(fake.accepted).toEqual([{ ...batch(1, 42), sentAt: expect.any(Number) as number }]);
    const headers = fake.requests[0]?.headers;
    expect(headers?.['content-encoding']).toBe('gzip');
    expect(headers?.['content-type']).toBe('application/json');
    expect(headers?.authorization).toBe(`Bearer ${CREDENTIAL}`);
    expect(s.stats()).toMatchObject({ state: 'idle', sent: 1, duplicates: 0, retries: 0, spooledCount: 0 });
    expect(s.stats().lastSuccessAt).toBeTypeOf('number');
    expect(spool.count).toBe(0);
  });

  it('counts a duplicate answer as delivered', async () => {
    const fake = await server();
    const { sender: s } = await sender(fake.url);
    await s.enqueue(batch(1));
    await s.whenIdle();
    await s.enqueue(batch(1));
    await s.whenIdle();
    expect(s.stats()).toMatchObject({ sent: 1, duplicates: 1, retries: 0 });
    expect(fake.requests).toHaveLength(2);
  });

  it('spools while the server is down and delivers everything exactly once, in order, when it is back', async () => {
    const port = await unusedPort();
    const sleeper = manualSleep();
    const { sender: s, spool } = await sender(`http://127.0.0.1:${port}`, { sleep: sleeper.sleep });
    await s.enqueue(batch(1));
    await vi.waitFor(() => {
      expect(sleeper.waiting()).toBe(1);
    });
    for (let seq = 2; seq <= 5; seq++) await s.enqueue(batch(seq));
    await s.enqueue({ seq: 6, sentAt: 1, droppedBatches: 0, series: [] }); // a heartbeat is not worth spooling
    // Container events alone are data, not a heartbeat: they wait in the spool like samples.
    await s.enqueue({
      seq: 7,
      sentAt: 1,
      series: [],
      containerEvents: [{ id: 'a'.repeat(64), ts: 1_700_000_000_000, action: 'die', exitCode: 137 }],
    });
    expect(spool.count).toBe(6);
    expect(s.stats()).toMatchObject({ state: 'waiting', spooledCount: 6, heartbeatsSkipped: 1, retries: 1 });
    expect(s.stats().lastError?.code).toBe('network_error');

    const fake = await server({ port });
    sleeper.release();
    await s.whenIdle();
    expect(seqs(fake.requests)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(seqs(fake.accepted)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(s.stats()).toMatchObject({ sent: 6, duplicates: 0, spooledCount: 0, spooledBytes: 0 });
  });

  it('replays the spool after a restart', async () => {
    const port = await unusedPort();
    const sleeper = manualSleep();
    const first = await sender(`http://127.0.0.1:${port}`, { sleep: sleeper.sleep });
    for (let seq = 1; seq <= 3; seq++) await first.sender.enqueue(batch(seq));
    await vi.waitFor(() => {
      expect(first.spool.count).toBe(3);
    });
    await first.sender.stop();

    const fake = await server({ port });
    expect((await Spool.open({ dir, maxBytes: 1e7 })).count).toBe(3); // on disk across the restart
    const second = await sender(fake.url); // resolves once the spool is drained
    expect(second.spool.count).toBe(0);
    expect(seqs(fake.accepted)).toEqual([1, 2, 3]);
  });

  it('drops the oldest batches when the spool is full and reports them in the next delivered batch', async () => {
    const port = await unusedPort();
    const sleeper = manualSleep();
    const { sender: s } = await sender(`http://127.0.0.1:${port}`, { sleep: sleeper.sleep, maxCount: 3 });
    await s.enqueue(batch(1));
    await vi.waitFor(() => {
      expect(sleeper.waiting()).toBe(1);
    });
    for (let seq = 2; seq <= 6; seq++) await s.enqueue(batch(seq));
    expect(s.stats()).toMatchObject({ dropped: 3, spooledCount: 3 });

    const fake = await server({ port });
    sleeper.release();
    await s.whenIdle();
    expect(seqs(fake.accepted)).toEqual([4, 5, 6]);
    expect(fake.accepted.map((b) => b.droppedBatches)).toEqual([3, 0, 0]);
    await s.enqueue(batch(7));
    await s.whenIdle();
    expect(fake.accepted.at(-1)).toMatchObject({ seq: 7, droppedBatches: 0 });
  });

  it('drops batches answered 413 or 422 without retrying them', async () => {
    const fake = await server();
    fake.respond = (b) =>
      b.seq === 1
        ? { status: 413, body: errorBody('payload_too_large') }
        : b.seq === 2
          ? { status: 422, body: errorBody('validation_failed') }
          : undefined;
    const sleeper = manualSleep();
    const { sender: s, spool } = await sender(fake.url, { sleep: sleeper.sleep });
    for (let seq = 1; seq <= 3; seq++) await s.enqueue(batch(seq));
    await s.whenIdle();
    expect(seqs(fake.requests)).toEqual([1, 2, 3]);
    expect(seqs(fake.accepted)).toEqual([3]);
    expect(s.stats()).toMatchObject({ rejected: 2, retries: 0, sent: 1, dropped: 0 });
    expect(sleeper.delays).toEqual([]);
    expect(spool.count).toBe(0);
  });

  it('waits as long as Retry-After says on 429', async () => {
    const fake = await server();
    let answered = false;
    fake.respond = () => {
      if (answered) return undefined;
      answered = true;
      return { status: 429, body: errorBody('too_many_requests'), headers: { 'Retry-After': '1' } };
    };
    const { sender: s } = await sender(fake.url, { random: () => 0 }); // backoff alone would retry at once
    await s.enqueue(batch(1));
    await vi.waitFor(
      () => {
        expect(fake.requests).toHaveLength(2);
      },
      { timeout: 3000, interval: 20 },
    );
    await s.whenIdle();
    const [first, second] = fake.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(seqs(fake.accepted)).toEqual([1]);
    expect(s.stats()).toMatchObject({ retries: 1, sent: 1 });
  });

  it('stops on 401 and reports the fatal state, keeping the data', async () => {
    const fake = await server({ credential: 'a-different-credential' });
    const onFatal = vi.fn();
    const { sender: s, spool } = await sender(fake.url, { onFatal });
    await s.enqueue(batch(1));
    await vi.waitFor(() => {
      expect(onFatal).toHaveBeenCalledTimes(1);
    });
    expect(onFatal.mock.calls[0]?.[0]).toMatchObject({ ok: false, status: 401, code: 'unauthorized' });
    expect(s.state).toBe('fatal');
    await s.enqueue(batch(2));
    await s.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.unauthorized).toBe(1);
    expect(onFatal).toHaveBeenCalledTimes(1);
    expect(spool.count).toBe(2);
  });

  it('keeps the batch and retries slowly while the agent is pending approval (403 agent_pending)', async () => {
    const fake = await server();
    let pendingAnswers = 2;
    fake.respond = () =>
      pendingAnswers-- > 0
        ? { status: 403, body: errorBody('agent_pending', 'awaiting approval') }
        : undefined;
    const sleeper = manualSleep();
    const { sender: s, spool } = await sender(fake.url, { sleep: sleeper.sleep });
    await s.enqueue(batch(1, 7));
    await vi.waitFor(() => {
      expect(sleeper.waiting()).toBe(1);
    });
    expect(spool.count).toBe(1); // on disk while waiting
    expect(s.stats().lastError).toMatchObject({ status: 403, code: 'agent_pending' });
    sleeper.release();
    await vi.waitFor(() => {
      expect(sleeper.waiting()).toBe(1);
    });
    sleeper.release();
    await s.whenIdle();
    expect(sleeper.delays).toEqual([30_000, 30_000]);
    expect(seqs(fake.requests)).toEqual([1, 1, 1]);
    expect(fake.accepted[0]?.series).toEqual(batch(1, 7).series);
    expect(s.stats()).toMatchObject({ retries: 2, sent: 1, rejected: 0, spooledCount: 0 });
  });

  it('backs off exponentially with full jitter, capped, on 5xx', async () => {
    const fake = await server();
    let failures = 9;
    fake.respond = () => (failures-- > 0 ? { status: 503, body: errorBody('unavailable') } : undefined);
    const delays: number[] = [];
    const { sender: s } = await sender(fake.url, {
      random: () => 0.5,
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    await s.enqueue(batch(1));
    await s.whenIdle();
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(seqs(fake.accepted)).toEqual([1]);
    expect(s.stats()).toMatchObject({ retries: 9, sent: 1 });
  });

  it('retries a request that times out', async () => {
    const fake = await server();
    let hung = false;
    fake.respond = () => {
      if (hung) return undefined;
      hung = true;
      return 'hang';
    };
    const { sender: s } = await sender(fake.url, { requestTimeoutMs: 100, sleep: () => Promise.resolve() });
    await s.enqueue(batch(1));
    await s.whenIdle();
    expect(s.stats().lastError?.code).toBe('timeout');
    expect(seqs(fake.requests)).toEqual([1, 1]);
    expect(seqs(fake.accepted)).toEqual([1]);
  });
});

describe('backoffDelay', () => {
  it('grows from the base, doubles and is capped; jitter scales it down', () => {
    const max = Array.from({ length: 10 }, (_, attempt) => backoffDelay(attempt, () => 0.999_999));
    expect(max).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999, 59999]);
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(100, () => 0.5, { baseMs: 10, capMs: 200 })).toBe(100);
  });
});

describe('classifyFailure', () => {
  it('maps the ingest contract', () => {
    const f = (status: number, code = 'x') => classifyFailure({ ok: false, status, code, message: '' });
    expect([f(413), f(422), f(400)]).toEqual(['reject', 'reject', 'reject']);
    expect(f(401)).toBe('fatal');
    expect(f(403, 'agent_pending')).toBe('pending');
    expect([f(403), f(429), f(500), f(503), f(0, 'network_error'), f(200, 'bad_response')]).toEqual([
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
  });
});
