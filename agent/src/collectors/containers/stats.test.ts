// StatsSampler's bookkeeping (concurrency bound, what it keeps and forgets), with an engine stand-in
// that replays captured samples; the live sampling is covered in monitor.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Engine } from './engine';
import { StatsSampler } from './stats';
import type { RawStats } from './stats-math';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const raw = (name: string): RawStats =>
  JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as RawStats;
const ids = Array.from({ length: 10 }, (_, i) => String(i).repeat(64));

/** Answers stats() from a per-round table, tracking how many calls are in flight at once. */
function replayEngine(answers: (id: string, round: number) => unknown) {
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  let round = 0;
  const engine = {
    stats: async (id: string) => {
      calls.push(id);
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
      const answer = answers(id, round);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as Engine;
  return {
    engine,
    calls,
    get maxActive() {
      return maxActive;
    },
    nextRound() {
      round++;
    },
  };
}

describe('StatsSampler', () => {
  it('keeps at most `concurrency` requests in flight and computes rates from its own previous sample', async () => {
    const replay = replayEngine((_id, round) => raw(`docker-cgroup-v1/stats-${round === 0 ? 1 : 2}.json`));
    const sampler = new StatsSampler({ engine: replay.engine, concurrency: 3 });
    const targets = ids.map((id) => ({ id, startedAt: 1 }));
    const first = await sampler.sample(targets);
    expect(first).toHaveLength(10);
    expect(first.every((s) => s.cpuPercent === null)).toBe(true);
    expect(replay.maxActive).toBe(3);
    replay.nextRound();
    const second = await sampler.sample(targets);
    expect(second.map((s) => s.cpuPercent)).toEqual(ids.map(() => expect.closeTo(150, 6) as number));
    expect(sampler.tracked).toBe(10);
  });

  it('forgets containers that are gone, restarted, stopped, or failed', async () => {
    const failing = new Set<string>();
    const stopped = new Set<string>();
    const replay = replayEngine((id, round) => {
      if (failing.has(id)) return Object.assign(new Error('no such container'), { statusCode: 404 });
      if (stopped.has(id)) return Buffer.alloc(0); // what a stopped container's one-shot answer is
      return raw(`docker-cgroup-v1/stats-${round === 0 ? 1 : 2}.json`);
    });
    const errors: string[] = [];
    const sampler = new StatsSampler({
      engine: replay.engine,
      concurrency: 4,
      onError: (id) => errors.push(id),
    });
    const [a = '', b = '', c = '', d = ''] = ids;
    await sampler.sample([a, b, c, d].map((id) => ({ id, startedAt: 1 })));
    expect(sampler.tracked).toBe(4);
    replay.nextRound();
    failing.add(c);
    stopped.add(d);
    // b restarted (new startedAt): its old sample must not be used for rates.
    const stats = await sampler.sample([
      { id: a, startedAt: 1 },
      { id: b, startedAt: 2 },
      { id: c, startedAt: 1 },
      { id: d, startedAt: 1 },
    ]);
    expect(stats.find((s) => s.id === a)?.cpuPercent).toBeCloseTo(150, 6);
    expect(stats.find((s) => s.id === b)?.cpuPercent).toBeNull();
    expect(stats.map((s) => s.id).sort()).toEqual([a, b].sort());
    expect(errors).toEqual([c]);
    expect(sampler.tracked).toBe(2);
    // a is not running any more: dropped from the kept samples without a request.
    const before = replay.calls.length;
    await sampler.sample([{ id: b, startedAt: 2 }]);
    expect(replay.calls.slice(before)).toEqual([b]);
    expect(sampler.tracked).toBe(1);
    expect(sampler.stats()).toMatchObject({ rounds: 3, errors: 1, tracked: 1 });
  });

  it('joins a round already running instead of starting a second one', async () => {
    const replay = replayEngine(() => raw('docker-cgroup-v2/stats-1.json'));
    const sampler = new StatsSampler({ engine: replay.engine, concurrency: 2 });
    const targets = ids.slice(0, 4).map((id) => ({ id }));
    const [x, y] = await Promise.all([sampler.sample(targets), sampler.sample(targets)]);
    expect(x).toBe(y);
    expect(replay.calls).toHaveLength(4);
  });
});
