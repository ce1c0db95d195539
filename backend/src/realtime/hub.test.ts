// The topic hub on its own: coalescing, numbering, the resume ring and what it forgets.
import { afterEach, describe, expect, it } from 'vitest';
import { TopicHub, type Subscriber } from './hub';

class Collector implements Subscriber {
  readonly frames: { topic: string; seq: number; epoch: string; data: unknown }[] = [];
  deliver(frame: Buffer): void {
    this.frames.push(JSON.parse(frame.toString()) as Collector['frames'][number]);
  }
}

let now = 1_000_000;
const hubs: TopicHub[] = [];

function hub(options: Partial<ConstructorParameters<typeof TopicHub>[0]> = {}): TopicHub {
  const created = new TopicHub({
    coalesceMs: 60_000,
    maxChangesPerMessage: 5,
    ringSize: 3,
    ringMaxAgeMs: 1000,
    now: () => now,
    ...options,
  });
  hubs.push(created);
  return created;
}

afterEach(() => {
  for (const h of hubs.splice(0)) h.close();
});

describe('TopicHub', () => {
  it('sends a change to a quiet topic at once and holds later ones to one message per window', async () => {
    // Real time here: the window decides when the timer fires.
    const h = new TopicHub({ coalesceMs: 300, maxChangesPerMessage: 50, ringSize: 8, ringMaxAgeMs: 60_000 });
    hubs.push(h);
    const sub = new Collector();
    h.subscribe('t', sub);
    const started = Date.now();
    h.add('t', 'a', { t: 'x', v: 1 });
    h.add('t', 'b', { t: 'x', v: 2 }); // the same moment: the same message
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sub.frames.map((f) => f.data)).toEqual([
      {
        changes: [
          { t: 'x', v: 1 },
          { t: 'x', v: 2 },
        ],
      },
    ]);
    h.add('t', 'a', { t: 'x', v: 3 }); // inside the window: waits for its end
    h.add('t', 'a', { t: 'x', v: 4 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sub.frames).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sub.frames.map((f) => f.data)).toEqual([
      {
        changes: [
          { t: 'x', v: 1 },
          { t: 'x', v: 2 },
        ],
      },
      { changes: [{ t: 'x', v: 4 }] },
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('merges a window per topic, the latest change per subject last, and numbers the messages', () => {
    const h = hub();
    const sub = new Collector();
    expect(h.subscribe('t', sub).seq).toBe(0);
    h.add('t', 'a', { t: 'x', v: 1 });
    h.add('t', 'b', { t: 'x', v: 2 });
    h.add('t', 'a', { t: 'x', v: 3 });
    h.add('elsewhere', 'a', { t: 'x', v: 9 }); // nobody watches: not kept
    h.flush();
    h.add('t', 'b', { t: 'x', v: 4 });
    h.flush();
    h.flush(); // nothing new: no message
    expect(sub.frames).toEqual([
      {
        topic: 't',
        seq: 1,
        epoch: h.epoch,
        data: {
          changes: [
            { t: 'x', v: 2 },
            { t: 'x', v: 3 },
          ],
        },
      },
      { topic: 't', seq: 2, epoch: h.epoch, data: { changes: [{ t: 'x', v: 4 }] } },
    ]);
    expect(h.stats()).toEqual({ topics: 1, subscriptions: 1, published: 2 });
  });

  it('publishes on its own after the coalescing window', async () => {
    const h = hub({ coalesceMs: 20, now: Date.now });
    const sub = new Collector();
    h.subscribe('t', sub);
    h.add('t', 'a', { t: 'x' });
    expect(sub.frames).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sub.frames).toHaveLength(1);
  });

  it('turns too many changes into {resync: true}', () => {
    const h = hub();
    const sub = new Collector();
    h.subscribe('t', sub);
    for (let i = 0; i < 6; i++) h.add('t', `s${i}`, { t: 'x', i });
    h.flush();
    h.add('t', 's0', { t: 'x' });
    h.flush();
    expect(sub.frames.map((f) => f.data)).toEqual([{ resync: true }, { changes: [{ t: 'x' }] }]);
  });

  it('replays from its ring within its size and age, and asks for a snapshot beyond', () => {
    const h = hub();
    const sub = new Collector();
    h.subscribe('t', sub);
    for (let i = 1; i <= 5; i++) {
      h.add('t', 'a', { t: 'x', i });
      h.flush();
    }
    const seqs = (resume: ReturnType<TopicHub['subscribe']>['resume']) =>
      resume.kind === 'replay'
        ? resume.frames.map((f) => (JSON.parse(f.toString()) as { seq: number }).seq)
        : resume.kind;
    const other = new Collector();
    expect(seqs(h.subscribe('t', other, { epoch: h.epoch, seq: 2 }).resume)).toEqual([3, 4, 5]);
    expect(seqs(h.subscribe('t', other, { epoch: h.epoch, seq: 5 }).resume)).toEqual([]);
    expect(seqs(h.subscribe('t', other, { epoch: h.epoch, seq: 1 }).resume)).toBe('snapshot');
    expect(seqs(h.subscribe('t', other, { epoch: h.epoch, seq: 6 }).resume)).toBe('snapshot');
    expect(seqs(h.subscribe('t', other, { epoch: 'other', seq: 4 }).resume)).toBe('snapshot');
    expect(seqs(h.subscribe('t', other).resume)).toBe('fresh');
    now += 1001;
    expect(seqs(h.subscribe('t', other, { epoch: h.epoch, seq: 4 }).resume)).toBe('snapshot');
    expect(seqs(h.subscribe('t', other, { epoch: h.epoch, seq: 5 }).resume)).toEqual([]);
    h.subscribe('t', other, { epoch: h.epoch, seq: 5 });
    expect(h.stats().subscriptions).toBe(2);
  });

  it('forgets its history across a gap in the notices', () => {
    const h = hub();
    const sub = new Collector();
    h.subscribe('t', sub);
    h.add('t', 'a', { t: 'x' });
    h.flush();
    h.forgetHistory();
    expect(h.subscribe('t', new Collector(), { epoch: h.epoch, seq: 0 }).resume.kind).toBe('snapshot');
  });

  it('drops unwatched topics and numbers a topic made again above everything it numbered before', () => {
    const h = hub();
    const sub = new Collector();
    h.subscribe('t', sub);
    h.add('t', 'a', { t: 'x' });
    h.flush();
    h.unsubscribe('t', sub);
    // Within the ring's age a returning client can still resume.
    expect(h.stats().topics).toBe(1);
    now += 1001;
    h.prune();
    expect(h.stats().topics).toBe(0);
    const again = h.subscribe('t', sub, { epoch: h.epoch, seq: 1 });
    expect(again.seq).toBe(2);
    expect(again.resume.kind).toBe('snapshot');
    // A topic that never carried a message goes as soon as nobody watches it, and comes back numbered above.
    h.subscribe('quiet', sub);
    expect(h.unsubscribe('quiet', sub)).toBe(true);
    expect(h.unsubscribe('quiet', sub)).toBe(false);
    expect(h.stats().topics).toBe(1);
    expect(h.subscribe('quiet', sub, { epoch: h.epoch, seq: 0 }).resume.kind).toBe('snapshot');
  });

  it('makes no frames for a topic nobody could resume', () => {
    const h = hub();
    const sub = new Collector();
    h.subscribe('t', sub);
    h.add('t', 'a', { t: 'x' });
    h.flush();
    h.unsubscribe('t', sub);
    h.add('t', 'a', { t: 'x' });
    h.flush();
    expect(h.stats().published).toBe(2);
    now += 1001;
    h.add('t', 'a', { t: 'x' });
    h.flush();
    expect(h.stats().published).toBe(2);
    // The number still moves on: a resume from before cannot look current.
    expect(h.subscribe('t', sub, { epoch: h.epoch, seq: 2 })).toEqual({
      seq: 3,
      resume: { kind: 'snapshot' },
    });
  });
});
