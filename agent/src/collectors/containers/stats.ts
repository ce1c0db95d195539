// Samples running containers' counters, one one-shot request per container with bounded concurrency
// (never a stats stream per container), and turns consecutive samples into ContainerStats.
import type { ContainerStats } from '@emma/protocol';
import type { Engine } from './engine';
import { computeContainerStats, isUsableSample, type StatsSample } from './stats-math';

export interface StatsTarget {
  id: string;
  /** When the container last started (unix ms); a new start forgets the previous sample. */
  startedAt?: number | null;
}

export interface StatsSamplerOptions {
  engine: Engine;
  /** Requests in flight at once. */
  concurrency: number;
  now?: () => number;
  /** Told about each container whose sample failed (it is skipped this round). */
  onError?: (id: string, error: unknown) => void;
}

interface Kept {
  sample: StatsSample;
  startedAt: number | null | undefined;
}

/** Runs `work` over `items` with at most `limit` at once; resolves when all settled. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export class StatsSampler {
  private readonly previous = new Map<string, Kept>();
  private readonly now: () => number;
  private sampling: Promise<ContainerStats[]> | undefined;
  private counters = { rounds: 0, samples: 0, errors: 0 };

  constructor(private readonly options: StatsSamplerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Containers with a kept sample. */
  get tracked(): number {
    return this.previous.size;
  }

  stats(): { rounds: number; samples: number; errors: number; tracked: number } {
    return { ...this.counters, tracked: this.previous.size };
  }

  /**
   * One round over `targets` (the running containers); samples of containers not among them are
   * forgotten. A round asked for while one is running joins it rather than doubling the load.
   */
  sample(targets: readonly StatsTarget[], signal?: AbortSignal): Promise<ContainerStats[]> {
    this.sampling ??= this.round(targets, signal).finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  /** Forgets a container's previous sample (it stopped, restarted or went away). */
  forget(id: string): void {
    this.previous.delete(id);
  }

  private async round(
    targets: readonly StatsTarget[],
    signal: AbortSignal | undefined,
  ): Promise<ContainerStats[]> {
    const wanted = new Set(targets.map((t) => t.id));
    for (const id of this.previous.keys()) if (!wanted.has(id)) this.previous.delete(id);
    const results: ContainerStats[] = [];
    await forEachLimited(targets, this.options.concurrency, async (target) => {
      if (signal?.aborted) return;
      try {
        const raw = await this.options.engine.stats(target.id, signal);
        const receivedAt = this.now();
        if (!isUsableSample(raw)) {
          this.previous.delete(target.id); // stopped meanwhile: its next run starts from scratch
          return;
        }
        const kept = this.previous.get(target.id);
        const prev = kept && kept.startedAt === target.startedAt ? kept.sample : undefined;
        const sample: StatsSample = { raw, receivedAt };
        results.push(computeContainerStats(target.id, prev, sample));
        this.previous.set(target.id, { sample, startedAt: target.startedAt });
        this.counters.samples++;
      } catch (err) {
        this.counters.errors++;
        this.previous.delete(target.id);
        this.options.onError?.(target.id, err);
      }
    });
    this.counters.rounds++;
    return results;
  }
}
