// Data that stays current: read over REST, re-read when a realtime topic reports a change (at most every
// `minIntervalMs`, so a burst of changes costs one request) and after every reconnect.
import { createMemo, createResource, onCleanup, type Accessor, type Resource } from 'solid-js';
import { realtime, type Change } from '../api/realtime';

export interface LiveOptions {
  /** Topics whose changes trigger a re-read, e.g. ['overview'] or [`probe:${id}`]. */
  topics: () => readonly string[];
  /** Only changes this returns true for trigger a re-read (default: all). */
  relevant?: (change: Change) => boolean;
  minIntervalMs?: number;
}

export function createLiveResource<T>(
  fetcher: () => Promise<T>,
  options: LiveOptions,
): [Resource<T>, { refetch: () => void; mutate: (value: T) => void }] {
  const [data, { refetch, mutate }] = createResource(fetcher);
  const minIntervalMs = options.minIntervalMs ?? 1000;
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (timer) return;
    const wait = Math.max(0, last + minIntervalMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      void refetch();
    }, wait);
  };
  const unsubscribers = options.topics().map((topic) =>
    realtime.subscribe(topic, (event) => {
      if (event.kind === 'resync') schedule();
      else if (!options.relevant || event.changes.some(options.relevant)) schedule();
    }),
  );
  onCleanup(() => {
    clearTimeout(timer);
    for (const unsubscribe of unsubscribers) unsubscribe();
  });
  return [data, { refetch: () => void refetch(), mutate: (value: T) => void mutate(() => value) }];
}

/**
 * A resource's newest good value: kept while it re-reads and after a failed re-read (reading a failed
 * resource throws), so a live view does not vanish on one failed refresh; the error is shown beside it.
 */
export function lastGood<T>(resource: Resource<T>, initial?: T): Accessor<T | undefined> {
  return createMemo<T | undefined>(
    (previous) => (resource.error !== undefined ? previous : (resource.latest ?? previous)),
    initial,
  );
}
