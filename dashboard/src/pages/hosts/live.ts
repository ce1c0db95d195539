// Live data of the host list: all agents (patched one by one on `agent` changes of the overview topic), and
// the key metrics of the rows in view (read in one batched request, re-read when their agents report).
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { api, ApiError, unwrap } from '../../api/client';
import { realtime, type Change } from '../../api/realtime';
import {
  patchAgents,
  summarize,
  SUMMARY_METRICS,
  ThrottledTopics,
  type Agent,
  type HostSummary,
} from './model';

const PAGE = 1000;
/** More changed agents than this at once: read the whole list again instead of each one. */
const PATCH_LIMIT = 20;
/** Rows whose agents' topics are followed (the server allows 256 topics per connection). */
const LIVE_ROWS = 20;
/** The batched metrics read takes at most this many agents (the server's limit). */
const METRICS_CHUNK = 100;
const METRICS_MIN_INTERVAL_MS = 1000;

export async function fetchAllAgents(): Promise<Agent[]> {
  const all: Agent[] = [];
  for (;;) {
    const page = await unwrap(
      api.GET('/api/v1/agents', { params: { query: { limit: PAGE, offset: all.length } } }),
    );
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.total) return all;
  }
}

export function createAgentList(): {
  agents: Accessor<Agent[] | undefined>;
  error: Accessor<unknown>;
  reload: () => void;
} {
  const [agents, setAgents] = createSignal<Agent[]>();
  const [error, setError] = createSignal<unknown>();
  let generation = 0;
  const reload = () => {
    const gen = ++generation;
    fetchAllAgents().then(
      (list) => {
        if (gen !== generation) return;
        setAgents(list);
        setError(undefined);
      },
      (err: unknown) => {
        if (gen === generation) setError(err);
      },
    );
  };

  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = async () => {
    timer = undefined;
    const ids = [...pending];
    pending.clear();
    if (ids.length > PATCH_LIMIT) {
      reload();
      return;
    }
    const gen = generation;
    const fresh = await Promise.all(
      ids.map(async (id) => {
        try {
          return [id, await unwrap(api.GET('/api/v1/agents/{id}', { params: { path: { id } } }))] as const;
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) return [id, null] as const;
          return undefined;
        }
      }),
    );
    if (gen !== generation) return;
    let list = agents();
    if (!list) return;
    for (const entry of fresh) if (entry) list = patchAgents(list, entry[0], entry[1]);
    setAgents(list);
  };
  const unsubscribe = realtime.subscribe('overview', (event) => {
    if (event.kind === 'resync') {
      reload();
      return;
    }
    for (const change of event.changes) {
      if (change.t === 'agent' && typeof change.a === 'string') pending.add(change.a);
    }
    if (pending.size > 0 && !timer) timer = setTimeout(() => void flush(), 300);
  });
  onCleanup(() => {
    unsubscribe();
    clearTimeout(timer);
  });
  reload();
  return { agents, error, reload };
}

/**
 * Key metrics of the agents whose rows are in view: `show(ids)` with the rows' ids (the list tells which are
 * mounted). Values missing or older than `maxAgeMs` are read in one request; the first LIVE_ROWS rows also
 * follow their agent's topic, so a new batch of samples refreshes them within seconds.
 */
export function createRowMetrics(maxAgeMs = 30_000): {
  summaries: Accessor<ReadonlyMap<string, HostSummary>>;
  show: (ids: readonly string[]) => void;
} {
  const [summaries, setSummaries] = createSignal<ReadonlyMap<string, HostSummary>>(new Map());
  const fetchedAt = new Map<string, number>();
  const dirty = new Set<string>();
  let lastRead = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reading = false;

  const read = async () => {
    timer = undefined;
    if (reading) {
      schedule();
      return;
    }
    const ids = [...dirty];
    dirty.clear();
    if (ids.length === 0) return;
    reading = true;
    lastRead = Date.now();
    try {
      for (let i = 0; i < ids.length; i += METRICS_CHUNK) {
        const chunk = ids.slice(i, i + METRICS_CHUNK);
        const answer = await unwrap(
          api.GET('/api/v1/metrics/latest', {
            params: { query: { agents: chunk.join(','), metrics: SUMMARY_METRICS.join(',') } },
          }),
        );
        const fresh = summarize(answer.items);
        const next = new Map(summaries());
        for (const id of chunk) {
          next.set(id, fresh.get(id) ?? {});
          fetchedAt.set(id, Date.now());
        }
        setSummaries(next);
      }
    } catch {
      // Shown as "–"; the next scroll or change asks again.
      for (const id of ids) fetchedAt.delete(id);
    } finally {
      reading = false;
    }
  };
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => void read(), Math.max(150, lastRead + METRICS_MIN_INTERVAL_MS - Date.now()));
  };

  const onChange = (agentId: string) => (changes: readonly Change[]) => {
    if (changes.some((change) => change.t === 'samples')) {
      dirty.add(agentId);
      schedule();
    }
  };
  const topics = new ThrottledTopics((topic) => {
    const agentId = topic.slice('agent:'.length);
    const handle = onChange(agentId);
    return realtime.subscribe(topic, (event) => {
      if (event.kind === 'resync') {
        dirty.add(agentId);
        schedule();
      } else handle(event.changes);
    });
  });
  onCleanup(() => {
    topics.close();
    clearTimeout(timer);
  });

  return {
    summaries,
    show: (ids) => {
      const now = Date.now();
      for (const id of ids) {
        const at = fetchedAt.get(id);
        if (at === undefined || now - at > maxAgeMs) dirty.add(id);
      }
      if (dirty.size > 0) schedule();
      topics.set(ids.slice(0, LIVE_ROWS).map((id) => `agent:${id}`));
    },
  };
}
