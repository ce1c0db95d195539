// The uptime bars of the probe list, loaded for the rows in view only: rows ask for their probe's bar,
// asks within a short moment go out as one request (up to 200 probes each), answers are kept for a while.
// 5,000 probes cost a request per screenful scrolled, not 5,000 requests.
import { createSignal, type Accessor, type Setter } from 'solid-js';
import type { Bucket } from './probe-logic';

/** One probe's bar: equal windows from `fromMs`, oldest first. */
export interface BarData {
  fromMs: number;
  bucketMs: number;
  buckets: Bucket[];
}

export type FetchBars = (ids: readonly string[]) => Promise<Map<string, BarData>>;

interface Entry {
  bars: Accessor<BarData | undefined>;
  set: Setter<BarData | undefined>;
  loadedAt: number;
  watchers: number;
  stale: boolean;
}

export interface UptimeBarOptions {
  delayMs?: number;
  maxAgeMs?: number;
  batchSize?: number;
}

export class UptimeBarLoader {
  private readonly entries = new Map<string, Entry>();
  private readonly queue = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly delayMs: number;
  private readonly maxAgeMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly fetchBars: FetchBars,
    options: UptimeBarOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 60;
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
    this.batchSize = options.batchSize ?? 200;
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id);
    if (!entry) {
      const [bars, set] = createSignal<BarData>();
      entry = { bars, set, loadedAt: 0, watchers: 0, stale: true };
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** A row shows this probe's bar: load it unless a fresh one is at hand. Call the returned function when it goes. */
  watch(id: string, now = Date.now()): { bars: Accessor<BarData | undefined>; release: () => void } {
    const entry = this.entry(id);
    entry.watchers += 1;
    if (entry.stale || now - entry.loadedAt > this.maxAgeMs) this.enqueue(id);
    return {
      bars: entry.bars,
      release: () => {
        entry.watchers = Math.max(0, entry.watchers - 1);
      },
    };
  }

  /** The probe's results changed: reload its bar if a row shows it, else when one does next. */
  invalidate(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.stale = true;
    if (entry.watchers > 0) this.enqueue(id);
  }

  invalidateAll(): void {
    for (const id of this.entries.keys()) this.invalidate(id);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.queue.clear();
  }

  private enqueue(id: string): void {
    this.queue.add(id);
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    // Rows scrolled away meanwhile are not worth a fetch.
    const ids = [...this.queue].filter((id) => (this.entries.get(id)?.watchers ?? 0) > 0);
    this.queue.clear();
    for (let i = 0; i < ids.length; i += this.batchSize) {
      const batch = ids.slice(i, i + this.batchSize).map((id) => [id, this.entry(id)] as const);
      // Counted as fresh from now on, so rows coming back while it loads do not ask again.
      for (const [, entry] of batch) {
        entry.stale = false;
        entry.loadedAt = Date.now();
      }
      try {
        const answer = await this.fetchBars(batch.map(([id]) => id));
        for (const [id, entry] of batch) {
          const data = answer.get(id);
          if (data) entry.set(data);
        }
      } catch {
        // A failed batch is tried again on the next invalidation or visit.
        for (const [, entry] of batch) entry.stale = true;
      }
    }
  }
}
