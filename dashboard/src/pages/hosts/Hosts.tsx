// The host list: every agent with its status, name, labels, version, when it last reported and its key
// metrics (CPU, memory, the fullest disk). Filter by status, search by name, hostname or label; live.
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { Empty, Loaded, FilterChip, PageHeader, SearchField } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualList } from '../../components/VirtualList';
import { t } from '../../i18n';
import { createAgentList, createRowMetrics } from './live';
import {
  AGENT_STATUSES,
  countByStatus,
  filterAgents,
  hostFact,
  isAgentStatus,
  later,
  seenAgo,
  type Agent,
  type HostSummary,
} from './model';
import { createNow, UsageMeter } from './parts';
import './hosts.css';

const ROW_HEIGHT = 56;

function HostRow(props: {
  agent: Agent;
  summary: HostSummary | undefined;
  now: number;
  index: number;
  onShown: (id: string, index: number, shown: boolean) => void;
}) {
  onMount(() => props.onShown(props.agent.id, props.index, true));
  onCleanup(() => props.onShown(props.agent.id, props.index, false));
  const hostname = () => hostFact(props.agent, 'hostname');
  const lastSeen = () => later(props.agent.lastSeenAt, props.summary?.ts);
  return (
    <A href={`/hosts/${props.agent.id}`} class="host-row" data-agent={props.agent.id}>
      <span class="host-status">
        <StatusBadge state={props.agent.status} />
      </span>
      <span class="host-name">
        <strong>{props.agent.name}</strong>
        <Show when={hostname() && hostname() !== props.agent.name}>
          <small class="muted">{hostname()}</small>
        </Show>
      </span>
      <span class="host-labels">
        <For each={Object.entries(props.agent.labels)}>
          {([key, value]) => (
            <span class="badge tone-muted">
              {key}={value}
            </span>
          )}
        </For>
      </span>
      <span class="host-version muted">{hostFact(props.agent, 'agentVersion') ?? '–'}</span>
      <span class="host-seen" title={lastSeen() ?? ''}>
        {lastSeen() ? seenAgo(lastSeen() ?? '', Math.max(props.now, Date.now())) : t('common.never')}
      </span>
      <span class="host-metric" data-metric="cpu">
        <small class="metric-name">{t('hosts.cpu')}</small>
        <UsageMeter value={props.summary?.cpuPercent} />
      </span>
      <span class="host-metric" data-metric="mem">
        <small class="metric-name">{t('hosts.memory')}</small>
        <UsageMeter value={props.summary?.memPercent} />
      </span>
      <span class="host-metric" data-metric="disk">
        <small class="metric-name">{t('hosts.disk')}</small>
        <UsageMeter
          value={props.summary?.diskPercent}
          {...(props.summary?.diskMount ? { title: props.summary.diskMount } : {})}
        />
      </span>
    </A>
  );
}

export default function Hosts() {
  const [params, setParams] = useSearchParams<{ status?: string; q?: string }>();
  const status = () => (isAgentStatus(params.status) ? params.status : undefined);
  const query = () => (typeof params.q === 'string' ? params.q : '');
  const { agents, error, reload } = createAgentList();
  const { summaries, show } = createRowMetrics();
  const now = createNow();

  const counts = createMemo(() => countByStatus(agents() ?? []));
  const shown = createMemo(() => filterAgents(agents() ?? [], status(), query()));

  // Which rows are mounted (in view, plus a little overscan), in list order; told to the metrics a moment
  // after scrolling settles rather than on every row.
  const mounted = new Map<string, number>();
  const [mountedVersion, setMountedVersion] = createSignal(0);
  const onShown = (id: string, index: number, isShown: boolean) => {
    if (isShown) mounted.set(id, index);
    else if (mounted.get(id) === index) mounted.delete(id);
    setMountedVersion((v) => v + 1);
  };
  let settle: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    mountedVersion();
    clearTimeout(settle);
    settle = setTimeout(() => {
      show([...mounted].sort((a, b) => a[1] - b[1]).map(([id]) => id));
    }, 200);
  });
  onCleanup(() => clearTimeout(settle));

  const [viewport, setViewport] = createSignal(typeof window === 'undefined' ? 800 : window.innerHeight);
  onMount(() => {
    const onResize = () => setViewport(window.innerHeight);
    window.addEventListener('resize', onResize);
    onCleanup(() => window.removeEventListener('resize', onResize));
  });
  const listHeight = () => Math.min(shown().length * ROW_HEIGHT, Math.max(320, viewport() - 250));

  return (
    <section class="hosts-page">
      <PageHeader title={t('hosts.title')}>
        <Show when={agents()}>
          <span class="muted">
            {t('hosts.count', { shown: shown().length, total: agents()?.length ?? 0 })}
          </span>
        </Show>
      </PageHeader>
      <div class="toolbar">
        <div class="chips" role="group" aria-label={t('common.status')}>
          <FilterChip active={!status()} onClick={() => setParams({ status: undefined }, { replace: true })}>
            {t('common.all')} ({agents()?.length ?? 0})
          </FilterChip>
          <For each={AGENT_STATUSES}>
            {(s) => (
              <FilterChip
                active={status() === s}
                data-status={s}
                onClick={() => setParams({ status: s }, { replace: true })}
              >
                {t(`state.${s}`)} ({counts()[s]})
              </FilterChip>
            )}
          </For>
        </div>
        <SearchField
          id="hosts-search"
          label={t('hosts.search')}
          placeholder={t('hosts.search')}
          value={query()}
          onInput={(value) => setParams({ q: value || undefined }, { replace: true })}
        />
      </div>
      <Loaded value={agents()} error={error()} onRetry={reload}>
        <Show
          when={shown().length > 0}
          fallback={<Empty>{agents()?.length ? t('hosts.noMatch') : t('hosts.empty')}</Empty>}
        >
          <div class="host-head" aria-hidden="true">
            <span class="host-status">{t('common.status')}</span>
            <span class="host-name">{t('common.name')}</span>
            <span class="host-labels">{t('hosts.labels')}</span>
            <span class="host-version">{t('hosts.version')}</span>
            <span class="host-seen">{t('hosts.lastSeen')}</span>
            <span class="host-metric">{t('hosts.cpu')}</span>
            <span class="host-metric">{t('hosts.memory')}</span>
            <span class="host-metric">{t('hosts.disk')}</span>
          </div>
          <VirtualList
            items={shown()}
            rowHeight={ROW_HEIGHT}
            height={listHeight()}
            overscan={2}
            class="host-list"
            aria-label={t('hosts.title')}
          >
            {(agent, index) => (
              <HostRow
                agent={agent}
                summary={summaries().get(agent.id)}
                now={now()}
                index={index}
                onShown={onShown}
              />
            )}
          </VirtualList>
        </Show>
      </Loaded>
    </section>
  );
}
