// Every probe with its state, latency and recent uptime; filtered by state, type and a search; live.
import { A, useSearchParams } from '@solidjs/router';
import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { realtime, type Change } from '../../api/realtime';
import { can } from '../../api/session';
import { Empty, Loaded, FilterChip, PageHeader, SearchField } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualList } from '../../components/VirtualList';
import { t } from '../../i18n';
import { formatMs, formatRelative } from '../../lib/format';
import { allPages, createLiveList, orGone } from '../../lib/live-list';
import {
  lastResultAt,
  matchesProbe,
  PROBE_STATES,
  PROBE_TYPES,
  probeTarget,
  sortProbes,
  worstLatency,
  type Probe,
} from './probe-logic';
import { UptimeBar } from './UptimeBar';
import { UptimeBarLoader, type BarData } from './uptime-bars';
import './probes.css';

const ROW_HEIGHT = 44;

type Params = { state?: string; type?: string; q?: string };

function probeIdOf(change: Change): readonly string[] {
  return (change.t === 'probe' || change.t === 'probe_state') && typeof change.p === 'string'
    ? [change.p]
    : [];
}

/** Bars of up to 200 probes in one request (GET /api/v1/probe-uptime-bars). */
async function fetchBars(ids: readonly string[]): Promise<Map<string, BarData>> {
  const answer = await unwrap(
    api.GET('/api/v1/probe-uptime-bars', { params: { query: { ids: ids.join(',') } } }),
  );
  const fromMs = Date.parse(answer.from);
  return new Map(
    answer.items.map((item) => [item.probeId, { fromMs, bucketMs: answer.bucketMs, buckets: item.buckets }]),
  );
}

export default function Probes() {
  const [params, setParams] = useSearchParams<Params>();
  const [viewport, setViewport] = createSignal(typeof window === 'undefined' ? 800 : window.innerHeight);
  onMount(() => {
    const onResize = () => setViewport(window.innerHeight);
    window.addEventListener('resize', onResize);
    onCleanup(() => {
      window.removeEventListener('resize', onResize);
    });
  });

  const list = createLiveList<Probe>({
    loadAll: () =>
      allPages((limit, offset) =>
        unwrap(api.GET('/api/v1/probes', { params: { query: { limit, offset } } })),
      ),
    loadOne: (id) => orGone(unwrap(api.GET('/api/v1/probes/{id}', { params: { path: { id } } }))),
    topics: () => ['overview'],
    affected: probeIdOf,
  });

  // The bars follow state changes of the probes in view; after a gap, all of them reload.
  const bars = new UptimeBarLoader(fetchBars);
  const unsubscribe = realtime.subscribe('overview', (event) => {
    if (event.kind === 'resync') bars.invalidateAll();
    else for (const change of event.changes) for (const id of probeIdOf(change)) bars.invalidate(id);
  });
  onCleanup(() => {
    unsubscribe();
    bars.dispose();
  });

  const filtered = createMemo(() =>
    sortProbes(
      (list.items() ?? []).filter((p) =>
        matchesProbe(p, { state: params.state, type: params.type, q: params.q ?? '' }),
      ),
    ),
  );
  const counts = createMemo(() => {
    const byState = new Map<string, number>();
    for (const p of list.items() ?? []) byState.set(p.state, (byState.get(p.state) ?? 0) + 1);
    return byState;
  });
  const listHeight = () =>
    Math.max(ROW_HEIGHT + 2, Math.min(filtered().length * ROW_HEIGHT + 2, viewport() - 300));

  return (
    <div class="pr-page">
      <PageHeader title={t('probes.title')}>
        <Show when={can('probes:write')}>
          <A class="button primary" href="/probes/new">
            {t('probes.new')}
          </A>
        </Show>
      </PageHeader>

      <div class="toolbar">
        <SearchField
          id="pr-search"
          label={t('action.search')}
          placeholder={t('probes.searchPlaceholder')}
          value={params.q ?? ''}
          onInput={(value) => setParams({ q: value || undefined }, { replace: true })}
        />
        <label class="pr-inline">
          <span class="muted">{t('probes.type')}</span>
          <select
            value={params.type ?? ''}
            onChange={(e) => setParams({ type: e.currentTarget.value || undefined }, { replace: true })}
          >
            <option value="">{t('common.all')}</option>
            <For each={PROBE_TYPES}>
              {(type) => (
                <option value={type} selected={params.type === type}>
                  {t(`probes.type.${type}`)}
                </option>
              )}
            </For>
          </select>
        </label>
      </div>
      <div class="toolbar" role="group" aria-label={t('common.state')}>
        <FilterChip active={!params.state} onClick={() => setParams({ state: undefined }, { replace: true })}>
          {t('common.all')} ({list.items()?.length ?? 0})
        </FilterChip>
        <For each={PROBE_STATES}>
          {(state) => (
            <FilterChip
              active={params.state === state}
              onClick={() =>
                setParams({ state: params.state === state ? undefined : state }, { replace: true })
              }
            >
              {t(`state.${state}`)} ({counts().get(state) ?? 0})
            </FilterChip>
          )}
        </For>
        <span class="muted pr-count" role="status">
          {t('probes.count', { shown: filtered().length, total: list.items()?.length ?? 0 })}
        </span>
      </div>

      <Loaded value={list.items()} error={list.error()} onRetry={() => list.reload()}>
        <Show
          when={filtered().length > 0}
          fallback={
            <Empty>
              {(list.items()?.length ?? 0) === 0
                ? t(can('probes:write') ? 'probes.emptyAllWriter' : 'probes.emptyAll')
                : t('probes.emptyFiltered')}
            </Empty>
          }
        >
          <div class="table-wrap">
            <div class="pr-table">
              <div class="pr-row pr-head" aria-hidden="true">
                <span>{t('common.name')}</span>
                <span>{t('probes.type')}</span>
                <span>{t('probes.target')}</span>
                <span>{t('common.state')}</span>
                <span class="num">{t('probes.latency')}</span>
                <span>{t('probes.uptime24h')}</span>
                <span>{t('probes.lastCheck')}</span>
              </div>
              <VirtualList
                items={filtered()}
                rowHeight={ROW_HEIGHT}
                height={listHeight()}
                aria-label={t('probes.title')}
              >
                {(probe) => <ProbeRow probe={probe} bars={bars} />}
              </VirtualList>
            </div>
          </div>
        </Show>
      </Loaded>
    </div>
  );
}

function ProbeRow(props: { probe: Probe; bars: UptimeBarLoader }) {
  // Asked for when the row comes into view (VirtualList renders only those).
  const watched = props.bars.watch(props.probe.id);
  onCleanup(watched.release);
  const p = () => props.probe;
  return (
    <div class="pr-row" data-probe={p().name} data-state={p().state}>
      <span class="pr-name">
        <A href={`/probes/${p().id}`} title={p().name}>
          {p().name}
        </A>
        <Show when={p().paused}>
          <span class="badge tone-warn">{t('probes.pausedFlag')}</span>
        </Show>
      </span>
      <span class="muted">{t(`probes.type.${p().type}`)}</span>
      <span class="muted" title={probeTarget(p())}>
        {probeTarget(p())}
      </span>
      <span>
        <StatusBadge state={p().state} />
      </span>
      <span class="num">{formatMs(worstLatency(p()))}</span>
      <UptimeBar data={watched.bars()} showPercent />
      <span class="muted">{formatRelative(lastResultAt(p()))}</span>
    </div>
  );
}
