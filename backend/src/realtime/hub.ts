// Topics in one realtime process: a topic sends at most one message per coalescing window. A change to a
// topic that was quiet for a window goes out at once (with whatever arrived in the same moment); changes
// during the window after a message wait for its end and go out together (one per subject, the latest).
// Messages are numbered per topic. A bounded ring of recent messages
// lets a client that reconnects to this process catch up; anything older, or from another process (another
// epoch), gets `snapshot_required` and re-reads over REST.
//
// Only watched topics have state: a change to a topic nobody subscribed to (within the ring's age) is not
// kept. A topic's state that is dropped and made again continues above every number used before, so a
// resume point from before can never look current.
import { randomBytes } from 'node:crypto';
import type { Change, ResumePoint, TopicData } from '@emma/protocol';

/** How long a change to a quiet topic waits for others that belong with it. */
const GATHER_MS = 10;

export interface Subscriber {
  /** Sends one serialised message; the subscriber deals with its own backpressure. */
  deliver(frame: Buffer): void;
}

export interface HubOptions {
  coalesceMs: number;
  /** More distinct changes in one window than this become `{resync: true}`. */
  maxChangesPerMessage: number;
  /** Messages kept per topic for resuming… */
  ringSize: number;
  /** …and for at most this long. */
  ringMaxAgeMs: number;
  now?: () => number;
}

interface RingEntry {
  seq: number;
  at: number;
  frame: Buffer;
}

interface TopicState {
  name: string;
  seq: number;
  ring: RingEntry[];
  subscribers: Set<Subscriber>;
  /** Changes of the open window by subject, in order of their last update. */
  pending: Map<string, Change>;
  overflow: boolean;
  /** Last time the topic had a subscriber; nobody can resume a topic nobody watched within the ring's age. */
  watchedAt: number;
  /** The seq it started at: a state that never carried a message is dropped as soon as nobody watches. */
  base: number;
  /** When it last published (-Infinity: never), for the one-message-per-window rule. */
  sentAt: number;
}

export type Resume =
  | { kind: 'fresh' }
  | { kind: 'replay'; frames: Buffer[] }
  /** Another epoch, or older than the ring: the client must re-read the topic. */
  | { kind: 'snapshot' };

export class TopicHub {
  /** One per process start: a resume point from another process or an earlier start is recognised. */
  readonly epoch = randomBytes(9).toString('base64url');
  private readonly topics = new Map<string, TopicState>();
  private readonly dirty = new Set<TopicState>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private subscriptionCount = 0;
  private published = 0;
  /** The highest seq of any dropped topic state (-1: none yet); new states start above it. */
  private retiredSeq = -1;
  private readonly now: () => number;

  constructor(private readonly options: HubOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Queues a change for a topic; `subject` names what changed (e.g. `container:<id>`), the latest one wins. */
  add(topic: string, subject: string, change: Change): void {
    const state = this.topics.get(topic);
    if (!state) return;
    if (!state.overflow) {
      state.pending.delete(subject);
      state.pending.set(subject, change);
      if (state.pending.size > this.options.maxChangesPerMessage) {
        state.overflow = true;
        state.pending.clear();
      }
    }
    this.dirty.add(state);
    // A quiet topic still waits a few milliseconds: the notices of one commit may arrive over several reads.
    const gatherMs = Math.min(this.options.coalesceMs, GATHER_MS);
    this.schedule(Math.max(gatherMs, state.sentAt + this.options.coalesceMs - this.now()));
  }

  /** Runs the publishing timer in `waitMs` unless it is due sooner already. */
  private schedule(waitMs: number): void {
    const at = this.now() + waitMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushDue();
    }, waitMs);
  }

  /** Publishes the topics whose window is over; the others wait for theirs. */
  private flushDue(): void {
    const now = this.now();
    const due: TopicState[] = [];
    let nextWait = Infinity;
    for (const state of this.dirty) {
      const wait = state.sentAt + this.options.coalesceMs - now;
      if (wait <= 0) due.push(state);
      else nextWait = Math.min(nextWait, wait);
    }
    this.publish(due, now);
    if (nextWait !== Infinity) this.schedule(nextWait);
  }

  /** Publishes every topic with changes now, windows or not (tests, shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.publish([...this.dirty], this.now());
  }

  private publish(topics: TopicState[], now: number): void {
    for (const state of topics) {
      this.dirty.delete(state);
      state.sentAt = now;
      const data: TopicData = state.overflow ? { resync: true } : { changes: [...state.pending.values()] };
      state.pending.clear();
      state.overflow = false;
      state.seq += 1;
      if (state.subscribers.size === 0 && now - state.watchedAt > this.options.ringMaxAgeMs) {
        // Nobody watches and nobody could resume: only the number moves on.
        state.ring.length = 0;
        continue;
      }
      const frame = Buffer.from(
        JSON.stringify({ topic: state.name, seq: state.seq, epoch: this.epoch, data }),
        'utf8',
      );
      state.ring.push({ seq: state.seq, at: now, frame });
      this.trim(state, now);
      this.published += 1;
      for (const subscriber of state.subscribers) subscriber.deliver(frame);
    }
  }

  /**
   * Adds a subscriber and says what it missed since `since`. The caller sends the replayed frames before
   * anything else; later messages reach the subscriber through deliver().
   */
  subscribe(topic: string, subscriber: Subscriber, since?: ResumePoint): { seq: number; resume: Resume } {
    const state = this.state(topic);
    if (!state.subscribers.has(subscriber)) {
      state.subscribers.add(subscriber);
      this.subscriptionCount += 1;
    }
    state.watchedAt = this.now();
    return { seq: state.seq, resume: since ? this.resume(state, since) : { kind: 'fresh' } };
  }

  unsubscribe(topic: string, subscriber: Subscriber): boolean {
    const state = this.topics.get(topic);
    if (!state?.subscribers.delete(subscriber)) return false;
    this.subscriptionCount -= 1;
    state.watchedAt = this.now();
    // Subscribing to many ids in turn must not pile up state: a topic without messages goes at once.
    if (state.subscribers.size === 0 && state.seq === state.base && !this.dirty.has(state)) this.drop(state);
    return true;
  }

  /** After a gap in the notices (the LISTEN connection was lost), no ring can be replayed across it. */
  forgetHistory(): void {
    for (const state of this.topics.values()) state.ring.length = 0;
  }

  /** Drops ring entries past their age, and topics nobody watched within it (called now and then). */
  prune(): void {
    const now = this.now();
    for (const state of this.topics.values()) {
      this.trim(state, now);
      const unwatched = state.subscribers.size === 0 && now - state.watchedAt > this.options.ringMaxAgeMs;
      if (unwatched && !this.dirty.has(state)) this.drop(state);
    }
  }

  stats(): { topics: number; subscriptions: number; published: number } {
    return { topics: this.topics.size, subscriptions: this.subscriptionCount, published: this.published };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty.clear();
  }

  private resume(state: TopicState, since: ResumePoint): Resume {
    if (since.epoch !== this.epoch || since.seq > state.seq) return { kind: 'snapshot' };
    if (since.seq === state.seq) return { kind: 'replay', frames: [] };
    this.trim(state, this.now());
    const first = state.ring[0];
    if (!first || first.seq > since.seq + 1) return { kind: 'snapshot' };
    return { kind: 'replay', frames: state.ring.filter((e) => e.seq > since.seq).map((e) => e.frame) };
  }

  private trim(state: TopicState, now: number): void {
    const { ringSize, ringMaxAgeMs } = this.options;
    let drop = Math.max(0, state.ring.length - ringSize);
    while (drop < state.ring.length && now - (state.ring[drop]?.at ?? now) > ringMaxAgeMs) drop += 1;
    if (drop > 0) state.ring.splice(0, drop);
  }

  private drop(state: TopicState): void {
    this.topics.delete(state.name);
    this.retiredSeq = Math.max(this.retiredSeq, state.seq);
  }

  private state(topic: string): TopicState {
    let state = this.topics.get(topic);
    if (!state) {
      const base = this.retiredSeq + 1;
      state = {
        name: topic,
        seq: base,
        base,
        ring: [],
        subscribers: new Set(),
        pending: new Map(),
        overflow: false,
        watchedAt: Number.NEGATIVE_INFINITY,
        sentAt: Number.NEGATIVE_INFINITY,
      };
      this.topics.set(topic, state);
    }
    return state;
  }
}
