// The first page: counts by state of agents, probes, containers and incidents (one small request, shown
// first), then the list of what needs attention, read from the list endpoints' problem filters only for
// the states the counts say are not empty. Both stay live on the `overview` and `alerts` topics.
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { api, unwrap } from '../../api/client';
import type { Change } from '../../api/realtime';
import { can, type Permission } from '../../api/session';
import { Empty, ErrorBanner, FilterChip, Loading, PageHeader, SearchField } from '../../components/Feedback';
import { VirtualList } from '../../components/VirtualList';
import { t } from '../../i18n';
import { formatNumber } from '../../lib/format';
import { createLiveResource } from '../../lib/live';
import {
  agentItem,
  ATTENTION_KINDS,
  containerItem,
  filterItems,
  incidentItem,
  isAttentionKind,
  joinItems,
  limiter,
  probeItem,
  type AttentionItem,
  type AttentionKind,
  type Overview as Counts,
} from './model';
import { AttentionRow, stateLabel, Tiles } from './parts';
import './overview.css';

/** The list endpoints' largest page: one request per problem state, however large the fleet. */
const PAGE = 1000;
const ROW_HEIGHT = 48;

interface Source {
  key: string;
  kind: AttentionKind;
  /** The problem state it lists (named in the "only the first N" note). */
  state: string;
  permission: Permission;
  /** How many the counts say there are: no request when 0. */
  need: (counts: Counts) => number;
  fetch: () => Promise<{ items: AttentionItem[]; total: number }>;
  /** The full list, when more than one page has them. */
  href: string;
  topics: readonly string[];
  relevant: (change: Change) => boolean;
}

const probeChange = (c: Change) => c.t === 'probe' || c.t === 'probe_state';
const containerChange = (c: Change) => c.t === 'container' || c.t === 'containers';

// Cheap lists first: the probe lists cost the server the most.
const SOURCES: readonly Source[] = [
  {
    key: 'agents-offline',
    kind: 'agent',
    state: 'offline',
    permission: 'agents:read',
    need: (c) => c.agents.byStatus.offline,
    fetch: async () => {
      const page = await unwrap(
        api.GET('/api/v1/agents', { params: { query: { status: 'offline', limit: PAGE } } }),
      );
      return { items: page.items.map(agentItem), total: page.total };
    },
    href: '/hosts?status=offline',
    topics: ['overview'],
    relevant: (c) => c.t === 'agent',
  },
  {
    key: 'containers-stopped',
    kind: 'container',
    state: 'exited',
    permission: 'containers:read',
    need: (c) => c.containers.byState.exited + c.containers.byState.dead,
    fetch: async () => {
      const page = await unwrap(
        api.GET('/api/v1/containers', { params: { query: { state: 'exited,dead', limit: PAGE } } }),
      );
      return { items: page.items.map(containerItem), total: page.total };
    },
    href: '/containers?state=exited',
    topics: ['overview'],
    relevant: containerChange,
  },
  {
    key: 'containers-unhealthy',
    kind: 'container',
    state: 'unhealthy',
    permission: 'containers:read',
    need: (c) => c.containers.byHealth.unhealthy,
    fetch: async () => {
      const page = await unwrap(
        api.GET('/api/v1/containers', { params: { query: { health: 'unhealthy', limit: PAGE } } }),
      );
      return { items: page.items.map(containerItem), total: page.total };
    },
    href: '/containers?health=unhealthy',
    topics: ['overview'],
    relevant: containerChange,
  },
  {
    key: 'incidents-open',
    kind: 'incident',
    state: 'open',
    permission: 'alerts:read',
    need: (c) => c.incidents.open,
    fetch: async () => {
      const page = await unwrap(
        api.GET('/api/v1/incidents', { params: { query: { status: 'open', limit: PAGE } } }),
      );
      return { items: page.items.map(incidentItem), total: page.total };
    },
    href: '/incidents?status=open',
    topics: ['alerts'],
    relevant: (c) => c.t === 'incident',
  },
  ...(['down', 'degraded'] as const).map((state): Source => ({
    key: `probes-${state}`,
    kind: 'probe',
    state,
    permission: 'probes:read',
    need: (c) => c.probes.byState[state],
    fetch: async () => {
      const page = await unwrap(api.GET('/api/v1/probes', { params: { query: { state, limit: PAGE } } }));
      return { items: page.items.map(probeItem), total: page.total };
    },
    href: `/probes?state=${state}`,
    topics: ['overview'],
    relevant: probeChange,
  })),
];

function Attention(props: { counts: Counts }) {
  const [params, setParams] = useSearchParams<{ kind?: string; q?: string }>();
  const kind = () => (isAttentionKind(params.kind) ? params.kind : undefined);
  const query = () => (typeof params.q === 'string' ? params.q : '');

  // Two lists at a time, after the counts are on screen: the page answers input while they load.
  const run = limiter(2);
  // (A hidden tab draws no frames: then after a moment anyway.)
  const painted = new Promise<void>((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 300);
  });
  const groups = SOURCES.filter((source) => can(source.permission)).map((source) => {
    const [data, controls] = createLiveResource(
      async () => {
        if (source.need(props.counts) === 0) return { items: [], total: 0 };
        await painted;
        return run(source.fetch);
      },
      { topics: () => source.topics, relevant: source.relevant, minIntervalMs: 3000 },
    );
    // The counts change first or at the same time: a count that moves means this list did too.
    createEffect(on(() => source.need(props.counts), controls.refetch, { defer: true }));
    // A resource's error is typed any; as unknown it has to be checked before use.
    return { source, data, error: (): unknown => data.error, refetch: controls.refetch };
  });

  const items = createMemo(() => joinItems(groups.map((g) => g.data.latest?.items ?? [])));
  const shown = createMemo(() => filterItems(items(), kind(), query()));
  const byKind = createMemo(() => {
    const counts: Record<string, number> = {};
    for (const item of items()) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
    return counts;
  });
  const loading = () => groups.some((g) => g.data.loading && g.data.latest === undefined);
  const failed = () => groups.filter((g) => g.error() !== undefined);
  const truncated = () =>
    groups.filter((g) => (g.data.latest?.total ?? 0) > (g.data.latest?.items.length ?? 0));
  // "Since" keeps counting while nothing changes.
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 30_000);
  onCleanup(() => clearInterval(tick));

  return (
    // data-overview-ready: every list has been read once (the dashboard benchmark waits for it).
    <section class="attention" aria-labelledby="attention-title" data-overview-ready={String(!loading())}>
      <div class="attention-head">
        <h2 id="attention-title">
          {t('overview.attention')} <span class="muted">({formatNumber(items().length)})</span>
        </h2>
        <div class="toolbar">
          <div class="chips" role="group" aria-label={t('common.filter')}>
            <FilterChip active={!kind()} onClick={() => setParams({ kind: undefined }, { replace: true })}>
              {t('common.all')}
            </FilterChip>
            <For each={ATTENTION_KINDS.filter((k) => groups.some((g) => g.source.kind === k))}>
              {(k) => (
                <FilterChip
                  active={kind() === k}
                  data-kind={k}
                  onClick={() => setParams({ kind: k }, { replace: true })}
                >
                  {t(`overview.kinds.${k}`)} ({byKind()[k] ?? 0})
                </FilterChip>
              )}
            </For>
          </div>
          <SearchField
            id="attention-search"
            label={t('overview.search')}
            placeholder={t('overview.search')}
            value={query()}
            onInput={(value) => setParams({ q: value || undefined }, { replace: true })}
          />
        </div>
      </div>
      <For each={failed()}>{(g) => <ErrorBanner error={g.error()} onRetry={g.refetch} />}</For>
      <For each={truncated()}>
        {(g) => (
          <p class="muted">
            {t('overview.truncated', {
              shown: formatNumber(g.data.latest?.items.length ?? 0),
              total: formatNumber(g.data.latest?.total ?? 0),
              what: `${t(`overview.kinds.${g.source.kind}`)}: ${stateLabel(g.source.state)}`,
            })}{' '}
            <A href={g.source.href}>{t('overview.openList')}</A>
          </p>
        )}
      </For>
      <Show
        when={shown().length > 0}
        fallback={
          loading() ? (
            <Loading />
          ) : items().length > 0 ? (
            <Empty>{t('overview.noMatch')}</Empty>
          ) : (
            // "All good" only when every list could be read.
            <Show when={failed().length === 0}>
              <Empty>{t('overview.allGood')}</Empty>
            </Show>
          )
        }
      >
        <VirtualList
          items={shown()}
          rowHeight={ROW_HEIGHT}
          height={Math.min(shown().length * ROW_HEIGHT, 480)}
          class="attention-list"
          aria-label={t('overview.attention')}
        >
          {(item) => <AttentionRow item={item} now={now()} />}
        </VirtualList>
      </Show>
    </section>
  );
}

export default function Overview() {
  const topics = () => (can('alerts:read') ? ['overview', 'alerts'] : ['overview']);
  const [counts, controls] = createLiveResource(() => unwrap(api.GET('/api/v1/overview')), {
    topics,
    minIntervalMs: 1000,
  });
  const countsError = (): unknown => counts.error;
  return (
    <section class="overview">
      <PageHeader title={t('overview.title')} />
      <Show when={countsError() !== undefined}>
        <ErrorBanner error={countsError()} onRetry={controls.refetch} />
      </Show>
      <Show when={counts.latest} fallback={<Show when={countsError() === undefined}>{<Loading />}</Show>}>
        {(current) => (
          <>
            <Tiles counts={current()} />
            <Attention counts={current()} />
          </>
        )}
      </Show>
    </section>
  );
}
