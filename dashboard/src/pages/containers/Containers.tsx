// All containers of all hosts, grouped per host or flat, filtered by host, state and a search; live.
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { api, unwrap } from '../../api/client';
import type { Change } from '../../api/realtime';
import { Empty, Loaded, FilterChip, PageHeader, SearchField } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualList } from '../../components/VirtualList';
import { t } from '../../i18n';
import { formatBytes, formatNumber, formatPercent, formatRelative } from '../../lib/format';
import {
  CONTAINER_STATES,
  hostsOf,
  listRows,
  matchesFilter,
  memPercent,
  parseStates,
  sortContainers,
  stateLabel,
  type Container,
  type ContainerState,
  type ListRow,
} from './container-logic';
import { allPages, createLiveList, orGone } from '../../lib/live-list';
import './containers.css';

const ROW_HEIGHT = 44;
/** Live stats need one topic per host; beyond this many hosts in view they refresh with state changes only. */
const MAX_STATS_TOPICS = 20;
/** New stats arrive every few seconds per host; the list re-reads for them at most this often. */
const STATS_EVERY_MS = 10_000;

type Params = { agentId?: string; state?: string; q?: string; flat?: string };

let lastStatsRead = 0;
function affected(change: Change): readonly string[] | 'all' {
  if (change.t === 'container' && typeof change.c === 'string') return [change.c];
  // Many containers of a host at once, or a host going on/offline: read the list again.
  if (change.t === 'containers' || change.t === 'agent') return 'all';
  if (change.t === 'container_stats' && Date.now() - lastStatsRead >= STATS_EVERY_MS) {
    lastStatsRead = Date.now();
    return 'all';
  }
  return [];
}

export default function Containers() {
  const [params, setParams] = useSearchParams<Params>();
  const states = createMemo(() => parseStates(params.state));
  const grouped = () => params.flat !== '1';
  const [viewport, setViewport] = createSignal(typeof window === 'undefined' ? 800 : window.innerHeight);
  onMount(() => {
    const onResize = () => setViewport(window.innerHeight);
    window.addEventListener('resize', onResize);
    onCleanup(() => {
      window.removeEventListener('resize', onResize);
    });
  });

  const [statsTopics, setStatsTopics] = createSignal<readonly string[]>([]);
  const list = createLiveList<Container>({
    loadAll: () =>
      allPages((limit, offset) =>
        unwrap(api.GET('/api/v1/containers', { params: { query: { limit, offset } } })),
      ),
    loadOne: (id) =>
      orGone(unwrap(api.GET('/api/v1/containers/{id}', { params: { path: { id } } }))).then((c) =>
        // A container that went away leaves the list (the list shows present containers only).
        c && c.removedAt === null ? c : undefined,
      ),
    topics: () => ['overview', ...statsTopics()],
    affected,
    minIntervalMs: 2000,
  });

  const filtered = createMemo(() =>
    sortContainers(
      (list.items() ?? []).filter((c) =>
        matchesFilter(c, { agentId: params.agentId, states: states(), q: params.q ?? '' }),
      ),
    ),
  );
  const rows = createMemo(() => listRows(filtered(), grouped()));
  const hosts = createMemo(() => hostsOf(list.items() ?? []));
  const agentTopics = createMemo(() => {
    const ids = new Set(filtered().map((c) => c.agent.id));
    return ids.size <= MAX_STATS_TOPICS ? [...ids].sort().map((id) => `agent:${id}`) : [];
  });
  // Keyed by content, so the subscriptions change only when the set of hosts does.
  const topicKey = createMemo(() => agentTopics().join(','));
  createEffect(on(topicKey, (key) => setStatsTopics(key ? key.split(',') : [])));

  const toggleState = (state: ContainerState) => {
    const current = states();
    const next = current.includes(state) ? current.filter((s) => s !== state) : [...current, state];
    setParams({ state: next.length ? next.join(',') : undefined }, { replace: true });
  };
  const listHeight = () =>
    Math.max(ROW_HEIGHT + 2, Math.min(rows().length * ROW_HEIGHT + 2, viewport() - 300));

  return (
    <div class="ct-page">
      <PageHeader title={t('containers.title')}>
        <button type="button" class="button small" onClick={() => list.reload()} disabled={list.loading()}>
          {t('containers.refresh')}
        </button>
      </PageHeader>

      <div class="toolbar">
        <SearchField
          id="ct-search"
          label={t('action.search')}
          placeholder={t('containers.searchPlaceholder')}
          value={params.q ?? ''}
          onInput={(value) => setParams({ q: value || undefined }, { replace: true })}
        />
        <label class="ct-inline">
          <span class="muted">{t('containers.host')}</span>
          <select
            value={params.agentId ?? ''}
            onChange={(e) => setParams({ agentId: e.currentTarget.value || undefined }, { replace: true })}
          >
            <option value="">{t('common.all')}</option>
            <For each={hosts()}>
              {(host) => (
                <option value={host.id} selected={params.agentId === host.id}>
                  {host.name}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="ct-inline ct-check">
          <input
            type="checkbox"
            checked={grouped()}
            onChange={(e) =>
              setParams({ flat: e.currentTarget.checked ? undefined : '1' }, { replace: true })
            }
          />
          {t('containers.groupByHost')}
        </label>
      </div>
      <div class="toolbar" role="group" aria-label={t('common.state')}>
        <FilterChip
          active={states().length === 0}
          onClick={() => setParams({ state: undefined }, { replace: true })}
        >
          {t('common.all')}
        </FilterChip>
        <For each={CONTAINER_STATES}>
          {(state) => (
            <FilterChip active={states().includes(state)} onClick={() => toggleState(state)}>
              {stateLabel(state)}
            </FilterChip>
          )}
        </For>
        <span class="muted ct-count" role="status">
          {t('containers.count', { shown: filtered().length, total: list.items()?.length ?? 0 })}
        </span>
      </div>

      <Loaded value={list.items()} error={list.error()} onRetry={() => list.reload()}>
        <Show
          when={rows().length > 0}
          fallback={
            <Empty>
              {(list.items()?.length ?? 0) === 0 ? t('containers.emptyAll') : t('containers.emptyFiltered')}
            </Empty>
          }
        >
          <div class="table-wrap">
            <div class="ct-table">
              <div class="ct-row ct-head" aria-hidden="true">
                <span>{t('common.name')}</span>
                <span>{t('containers.col.image')}</span>
                <span>{t('common.state')}</span>
                <span>{t('containers.col.health')}</span>
                <span class="num">{t('containers.col.restarts')}</span>
                <span class="num">{t('containers.col.cpu')}</span>
                <span class="num">{t('containers.col.memory')}</span>
                <span>{t('containers.col.started')}</span>
              </div>
              <VirtualList
                items={rows()}
                rowHeight={ROW_HEIGHT}
                height={listHeight()}
                aria-label={t('containers.title')}
              >
                {(row) => <Row row={row} />}
              </VirtualList>
            </div>
          </div>
        </Show>
      </Loaded>
    </div>
  );
}

function Row(props: { row: ListRow }) {
  return (
    <Show
      when={props.row.kind === 'container' ? props.row.container : undefined}
      fallback={<HostRow row={props.row as Extract<ListRow, { kind: 'host' }>} />}
    >
      {(container) => <ContainerRow container={container()} />}
    </Show>
  );
}

function HostRow(props: { row: Extract<ListRow, { kind: 'host' }> }) {
  return (
    <div class="ct-host" data-host={props.row.agent.id}>
      <A href={`/hosts/${props.row.agent.id}`}>{props.row.agent.name}</A>
      <StatusBadge state={props.row.agent.status} />
      <span class="muted">
        {t('containers.hostCount', { running: props.row.running, total: props.row.total })}
      </span>
    </div>
  );
}

function ContainerRow(props: { container: Container }) {
  const c = () => props.container;
  return (
    <div class="ct-row" data-container={c().name} data-state={c().state}>
      <span>
        <A href={`/containers/${c().id}`} title={c().name}>
          {c().name}
        </A>
      </span>
      <span class="muted" title={c().image}>
        {c().image}
      </span>
      <span>
        <StatusBadge state={c().state} label={stateLabel(c().state)} />
      </span>
      <span>
        <Show when={c().health !== 'none'} fallback={<span class="muted">–</span>}>
          <StatusBadge state={c().health} />
        </Show>
      </span>
      <span class="num" classList={{ 'ct-warn': c().restartCount > 0 }}>
        {formatNumber(c().restartCount)}
      </span>
      <span class="num">{formatPercent(c().stats?.cpuPercent)}</span>
      <span
        class="num"
        title={
          memPercent(c().stats) === null
            ? undefined
            : t('containers.memOfLimit', {
                percent: formatPercent(memPercent(c().stats)),
                limit: formatBytes(c().stats?.memLimitBytes),
              })
        }
      >
        {c().stats ? formatBytes(c().stats?.memUsedBytes) : '–'}
      </span>
      <span class="muted">{c().state === 'running' ? formatRelative(c().startedAt) : '–'}</span>
    </div>
  );
}
