// A long list that stays current without re-reading all of it: changes name the items they touch, and
// only those are read again (a handful of small requests), unless too many changed at once or the
// connection had a gap, then the whole list is read again. Keeps each change O(1) for thousands of items.
import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';
import { ApiError } from '../api/client';
import { realtime, type Change } from '../api/realtime';

export interface LiveListOptions<T> {
  loadAll: () => Promise<T[]>;
  /** One item again; undefined when it is gone (deleted, removed). */
  loadOne: (id: string) => Promise<T | undefined>;
  /** Topics whose changes matter; may change over time (subscriptions follow). */
  topics: Accessor<readonly string[]>;
  /** The ids a change touches, 'all' for a full re-read, [] when it does not concern the list. */
  affected: (change: Change) => readonly string[] | 'all';
  /** More ids than this in one window: read everything again (default 25). */
  maxPatch?: number;
  minIntervalMs?: number;
}

export interface LiveList<T> {
  items: Accessor<readonly T[] | undefined>;
  /** The last failed full read (the previous items stay shown). */
  error: Accessor<unknown>;
  loading: Accessor<boolean>;
  reload: () => void;
}

/** Replaces, adds or drops (undefined) the changed items; the others keep their place. */
export function patchList<T extends { id: string }>(
  list: readonly T[],
  updates: readonly (readonly [string, T | undefined])[],
): T[] {
  const byId = new Map(updates);
  const next: T[] = [];
  for (const item of list) {
    if (!byId.has(item.id)) next.push(item);
    else {
      const update = byId.get(item.id);
      if (update) next.push(update);
      byId.delete(item.id);
    }
  }
  for (const update of byId.values()) if (update) next.push(update);
  return next;
}

/** A 404 means the item is gone; other errors leave the item as it was. */
export async function orGone<T>(load: Promise<T>): Promise<T | undefined> {
  try {
    return await load;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

export function createLiveList<T extends { id: string }>(options: LiveListOptions<T>): LiveList<T> {
  const [items, setItems] = createSignal<readonly T[]>();
  const [error, setError] = createSignal<unknown>();
  const [loading, setLoading] = createSignal(false);
  const maxPatch = options.maxPatch ?? 25;
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const pending = new Set<string>();
  let full = true;
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const flush = async () => {
    timer = undefined;
    last = Date.now();
    if (full || pending.size > maxPatch || items() === undefined) {
      full = false;
      pending.clear();
      setLoading(true);
      try {
        const all = await options.loadAll();
        if (!disposed) {
          setItems(all);
          setError(undefined);
        }
      } catch (err) {
        if (!disposed) setError(err);
      } finally {
        setLoading(false);
      }
      return;
    }
    const ids = [...pending];
    pending.clear();
    const updates = await Promise.all(
      ids.map(async (id) => {
        try {
          return [[id, await options.loadOne(id)] as const];
        } catch {
          return [];
        }
      }),
    );
    if (!disposed) setItems((list) => patchList(list ?? [], updates.flat()));
  };

  const schedule = (now = false) => {
    if (timer) return;
    const wait = now ? 0 : Math.max(0, last + minIntervalMs - Date.now());
    timer = setTimeout(() => void flush(), wait);
  };

  const subscriptions = new Map<string, () => void>();
  createEffect(() => {
    const wanted = new Set(options.topics());
    for (const [topic, unsubscribe] of subscriptions) {
      if (!wanted.has(topic)) {
        unsubscribe();
        subscriptions.delete(topic);
      }
    }
    for (const topic of wanted) {
      if (subscriptions.has(topic)) continue;
      const unsubscribe = realtime.subscribe(topic, (event) => {
        if (event.kind === 'resync') full = true;
        else {
          for (const change of event.changes) {
            const ids = options.affected(change);
            if (ids === 'all') full = true;
            else for (const id of ids) pending.add(id);
          }
        }
        if (full || pending.size > 0) schedule();
      });
      subscriptions.set(topic, unsubscribe);
    }
  });
  onCleanup(() => {
    disposed = true;
    clearTimeout(timer);
    for (const unsubscribe of subscriptions.values()) unsubscribe();
  });

  schedule(true);
  return {
    items,
    error,
    loading,
    reload: () => {
      full = true;
      clearTimeout(timer);
      timer = undefined;
      schedule(true);
    },
  };
}

/** Reads every page of a paginated list (pages of `pageSize`), up to `maxItems`. */
export async function allPages<T>(
  page: (limit: number, offset: number) => Promise<{ items: T[]; total: number }>,
  pageSize = 1000,
  maxItems = 20_000,
): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; offset < maxItems; offset += pageSize) {
    const answer = await page(pageSize, offset);
    items.push(...answer.items);
    if (answer.items.length < pageSize || items.length >= answer.total) break;
  }
  return items;
}
