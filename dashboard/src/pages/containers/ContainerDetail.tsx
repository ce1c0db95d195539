// One container: its facts, stats over time, history, and — for roles that may act — start/stop/restart
// with a confirmation and the action's progress until the agent reports how it went.
import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { realtime } from '../../api/realtime';
import { can } from '../../api/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DetailLoader } from '../../components/DetailLoader';
import { Empty, ErrorBanner, Loaded } from '../../components/Feedback';
import { RangePicker, rangeFor, resolutionText, type TimeRange } from '../../components/RangePicker';
import { StatusBadge } from '../../components/StatusBadge';
import { TimeSeriesChart } from '../../components/TimeSeriesChart';
import { t } from '../../i18n';
import {
  formatBytes,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatRate,
  formatRelative,
} from '../../lib/format';
import { alignSeries } from '../../lib/align';
import { resolutionFor } from '../../lib/series';
import { ActionHistory, ActionProgress, ContainerActionButtons } from './ContainerActions';
import {
  formatPort,
  isFinished,
  memPercent,
  stateLabel,
  type ActionKind,
  type Container,
  type ContainerAction,
} from './container-logic';
import { createLiveResource, lastGood } from '../../lib/live';
import './containers.css';

/** A limit this many times above the highest use is named, not drawn. */
const FAR_ABOVE = 20;
/** Live stats come every few seconds; the charts re-read at most this often. */
const CHART_REFRESH_MS = 10_000;

export default function ContainerDetail() {
  const params = useParams<{ id: string }>();
  // The route may name the engine id; topics need the eMMA id, so the page starts from the loaded container.
  return (
    <DetailLoader
      id={params.id}
      load={(id) => unwrap(api.GET('/api/v1/containers/{id}', { params: { path: { id } } }))}
      back={{ href: '/containers', label: t('containers.title') }}
      notFound={t('containers.notFound')}
    >
      {(container) => <ContainerView initial={container} />}
    </DetailLoader>
  );
}

function ContainerView(props: { initial: Container }) {
  const id = props.initial.id;
  const agentId = props.initial.agent.id;
  const topics = () => [`container:${id}`];

  const [containerRes, { refetch: reloadContainer }] = createLiveResource(
    () => unwrap(api.GET('/api/v1/containers/{id}', { params: { path: { id } } })),
    { topics, relevant: (change) => change.t === 'container' },
  );
  const container = lastGood(containerRes, props.initial);
  const c = () => container() ?? props.initial;

  const [eventsRes, { refetch: reloadEvents }] = createLiveResource(
    () =>
      unwrap(
        api.GET('/api/v1/containers/{id}/events', { params: { path: { id }, query: { limit: 50 } } }),
      ).then((answer) => answer.items),
    { topics, relevant: (change) => change.t === 'container' },
  );
  const events = lastGood(eventsRes);

  // The action whose progress is shown: the one just requested, or one still on its way from before.
  const [actionId, setActionId] = createSignal<string>();
  const [actionRes, { mutate: setAction, refetch: reloadAction }] = createLiveResource(
    async (): Promise<ContainerAction | undefined> => {
      const actionIdNow = actionId();
      if (!actionIdNow) return undefined;
      const action = await unwrap(
        api.GET('/api/v1/container-actions/{actionId}', { params: { path: { actionId: actionIdNow } } }),
      );
      // Finished: the state it changed arrives with the agent's next report; read the container again.
      if (isFinished(action)) {
        reloadContainer();
        reloadEvents();
      }
      return action;
    },
    { topics, relevant: (change) => change.t === 'container_action' && change.id === actionId() },
  );
  const [historyRes] = createLiveResource(
    () =>
      unwrap(
        api.GET('/api/v1/containers/{id}/actions', { params: { path: { id }, query: { limit: 10 } } }),
      ).then((answer) => {
        const open = answer.items.find((a) => !isFinished(a));
        if (!actionId() && open) {
          setActionId(open.id);
          reloadAction();
        }
        return answer.items;
      }),
    { topics, relevant: (change) => change.t === 'container_action' },
  );
  const history = lastGood(historyRes);
  const action = lastGood(actionRes);
  const busy = () => {
    const current = action();
    return current !== undefined && !isFinished(current);
  };

  const [confirming, setConfirming] = createSignal<ActionKind>();
  const [requesting, setRequesting] = createSignal(false);
  const [requestError, setRequestError] = createSignal<unknown>();
  const request = async (kind: ActionKind) => {
    setRequesting(true);
    setRequestError(undefined);
    try {
      const queued = await unwrap(
        api.POST('/api/v1/containers/{id}/actions', {
          params: { path: { id } },
          body: { action: kind, stopTimeoutS: 10, expiresInS: 60 },
        }),
      );
      setActionId(queued.id);
      setAction(queued);
      // The agent may have taken it before the topic's notice reached this page.
      reloadAction();
      setConfirming(undefined);
    } catch (err) {
      setRequestError(err);
      setConfirming(undefined);
      reloadContainer();
    } finally {
      setRequesting(false);
    }
  };

  return (
    <div class="stack ct-detail">
      <p class="muted">
        <A href="/containers">← {t('containers.title')}</A>
      </p>
      <header class="page-header">
        <div class="ct-title">
          <h1>{c().name}</h1>
          <StatusBadge state={c().state} label={stateLabel(c().state)} />
          <Show when={c().health !== 'none'}>
            <StatusBadge state={c().health} />
          </Show>
        </div>
        <Show when={can('containers:act')}>
          <ContainerActionButtons
            container={c()}
            busy={busy() || requesting()}
            onAction={(kind) => setConfirming(kind)}
          />
        </Show>
      </header>

      <Show when={containerRes.error as unknown}>
        <ErrorBanner error={containerRes.error as unknown} onRetry={reloadContainer} />
      </Show>
      <Show when={c().removedAt}>
        {(at) => (
          <p class="banner tone-warn" role="status">
            {t('containers.removedAt', { at: formatDateTime(at()) })}
          </p>
        )}
      </Show>
      <Show when={requestError()}>
        <p class="banner tone-bad" role="alert">
          {t('containers.action.refused', {
            message:
              requestError() instanceof Error ? (requestError() as Error).message : String(requestError()),
          })}
        </p>
      </Show>
      <Show when={action()}>{(current) => <ActionProgress action={current()} />}</Show>

      <div class="grid ct-cards">
        <section class="card">
          <h2>{t('containers.facts')}</h2>
          <Facts container={c()} />
        </section>
        <section class="card">
          <h2>{t('containers.now')}</h2>
          <CurrentStats container={c()} />
          <h2 class="ct-sub">{t('containers.ports')}</h2>
          <Show when={c().ports.length > 0} fallback={<p class="muted">{t('containers.noPorts')}</p>}>
            <div class="ct-chips">
              <For each={c().ports}>{(port) => <code>{formatPort(port)}</code>}</For>
            </div>
          </Show>
          <h2 class="ct-sub">{t('containers.labels')}</h2>
          <Show
            when={Object.keys(c().labels).length > 0}
            fallback={<p class="muted">{t('containers.noLabels')}</p>}
          >
            <div class="ct-chips">
              <For each={Object.entries(c().labels).sort(([a], [b]) => a.localeCompare(b))}>
                {([key, value]) => <code>{value === '' ? key : `${key}=${value}`}</code>}
              </For>
            </div>
          </Show>
        </section>
      </div>

      <StatsCharts containerId={id} agentId={agentId} />

      <section class="card">
        <h2>{t('containers.events')}</h2>
        <Loaded value={events()} error={eventsRes.error as unknown} onRetry={reloadEvents}>
          {(items) => (
            <Show when={items().length > 0} fallback={<Empty>{t('containers.noEvents')}</Empty>}>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{t('containers.history.when')}</th>
                      <th>{t('containers.event.what')}</th>
                      <th>{t('common.state')}</th>
                      <th>{t('containers.col.health')}</th>
                      <th>{t('containers.exitCode')}</th>
                      <th>{t('containers.history.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={items()}>
                      {(event) => (
                        <tr>
                          <td title={formatRelative(event.ts)}>{formatDateTime(event.ts)}</td>
                          <td>{eventLabel(event.action)}</td>
                          <td>
                            <Show when={event.state}>
                              {(state) => <StatusBadge state={state()} label={stateLabel(state())} />}
                            </Show>
                          </td>
                          <td>
                            <Show when={event.health && event.health !== 'none' ? event.health : undefined}>
                              {(health) => <StatusBadge state={health()} />}
                            </Show>
                          </td>
                          <td>{event.exitCode ?? ''}</td>
                          <td class="ct-wrap">{event.message ?? ''}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </Loaded>
      </section>

      <Show when={(history()?.length ?? 0) > 0}>
        <section class="card">
          <h2>{t('containers.actions')}</h2>
          <ActionHistory actions={history() ?? []} />
        </section>
      </Show>

      <ConfirmDialog
        open={confirming() !== undefined}
        title={t('containers.confirm.title', {
          action: t(`containers.action.${confirming() ?? 'start'}`),
          name: c().name,
        })}
        confirmLabel={t(`containers.action.${confirming() ?? 'start'}`)}
        danger={confirming() !== 'start'}
        busy={requesting()}
        onCancel={() => setConfirming(undefined)}
        onConfirm={() => {
          const kind = confirming();
          if (kind) void request(kind);
        }}
      >
        <p>{t(`containers.confirm.${confirming() ?? 'start'}`, { name: c().name, host: c().agent.name })}</p>
      </ConfirmDialog>
    </div>
  );
}

/** Engine events keep their own names (die, oom …); eMMA's own entries are translated. */
function eventLabel(action: string): string {
  const key = `containers.event.${action}`;
  const text = t(key);
  return text === key ? action : text;
}

function Facts(props: { container: Container }) {
  const c = () => props.container;
  return (
    <dl class="facts">
      <dt>{t('containers.col.image')}</dt>
      <dd>
        <code>{c().image}</code>
      </dd>
      <dt>{t('containers.host')}</dt>
      <dd>
        <A href={`/hosts/${c().agent.id}`}>{c().agent.name}</A> <StatusBadge state={c().agent.status} />
      </dd>
      <dt>{t('containers.engineId')}</dt>
      <dd>
        <code title={c().containerId}>{c().containerId.slice(0, 12)}</code>
      </dd>
      <dt>{t('containers.stateSince')}</dt>
      <dd title={formatDateTime(c().stateSince)}>{formatRelative(c().stateSince)}</dd>
      <dt>{t('containers.created')}</dt>
      <dd>{formatDateTime(c().createdAt)}</dd>
      <dt>{t('containers.col.started')}</dt>
      <dd>{formatDateTime(c().startedAt)}</dd>
      <dt>{t('containers.finished')}</dt>
      <dd>{formatDateTime(c().finishedAt)}</dd>
      <dt>{t('containers.exitCode')}</dt>
      <dd>{c().exitCode ?? '–'}</dd>
      <dt>{t('containers.col.restarts')}</dt>
      <dd>{formatNumber(c().restartCount)}</dd>
    </dl>
  );
}

function CurrentStats(props: { container: Container }) {
  const stats = () => props.container.stats;
  return (
    <Show when={stats()} fallback={<p class="muted">{t('containers.noStats')}</p>}>
      {(s) => (
        <dl class="facts">
          <dt>{t('containers.col.cpu')}</dt>
          <dd>{formatPercent(s().cpuPercent)}</dd>
          <dt>{t('containers.col.memory')}</dt>
          <dd>
            {formatBytes(s().memUsedBytes)}
            <Show when={s().memLimitBytes}>
              {(limit) => (
                <span class="muted">
                  {' '}
                  {t('containers.memOfLimit', {
                    percent: formatPercent(memPercent(s())),
                    limit: formatBytes(limit()),
                  })}
                </span>
              )}
            </Show>
          </dd>
          <dt>{t('containers.net')}</dt>
          <dd>
            ↓ {formatRate(s().netRxBytesPerS)} · ↑ {formatRate(s().netTxBytesPerS)}
          </dd>
          <dt>{t('containers.pids')}</dt>
          <dd>{formatNumber(s().pids)}</dd>
          <dt>{t('containers.statsAt')}</dt>
          <dd title={formatDateTime(props.container.statsAt)}>{formatRelative(props.container.statsAt)}</dd>
        </dl>
      )}
    </Show>
  );
}

const METRICS = [
  'container.cpu.percent',
  'container.mem.used.bytes',
  'container.mem.limit.bytes',
  'container.net.rx.bytes_per_s',
  'container.net.tx.bytes_per_s',
] as const;

function StatsCharts(props: { containerId: string; agentId: string }) {
  const [range, setRange] = createSignal<TimeRange>(rangeFor('1h'));
  const [seriesRes, { refetch }] = createResource(range, async (r) => {
    const answers = await Promise.all(
      METRICS.map((metric) =>
        unwrap(
          api.GET('/api/v1/containers/{id}/series', {
            params: {
              path: { id: props.containerId },
              // Long ranges: the server picks the tier (rollups) and a step within maxPoints.
              query: {
                metric,
                from: r.from,
                to: r.to,
                ...resolutionFor(Date.parse(r.from), Date.parse(r.to)),
              },
            },
          }),
        ),
      ),
    );
    const [cpu, used, limit, rx, tx] = answers.map((a) => a.points);
    // Without a limit of its own a container's limit is the host's memory: drawn, it flattens the use.
    const top = (points: readonly (readonly (number | null)[])[] | undefined) =>
      Math.max(0, ...(points ?? []).map((p) => p[1] ?? 0));
    const limitTop = top(limit);
    const drawLimit = limitTop > 0 && limitTop <= FAR_ABOVE * top(used);
    return {
      tier: answers[0]?.tier ?? 'raw',
      stepS: answers[0]?.stepS ?? null,
      cpu: alignSeries([cpu ?? []]),
      mem: alignSeries(drawLimit ? [used ?? [], limit ?? []] : [used ?? []]),
      limitNotDrawn: drawLimit || limitTop === 0 ? null : limitTop,
      net: alignSeries([rx ?? [], tx ?? []]),
      empty: answers.every((a) => a.points.length === 0),
      truncated: answers.some((a) => a.truncated),
    };
  });
  const series = lastGood(seriesRes);
  // New stats of this host's containers: follow them while the live range is shown.
  let last = 0;
  const unsubscribe = realtime.subscribe(`agent:${props.agentId}`, (event) => {
    const current = range();
    if (!current.live || Date.now() - last < CHART_REFRESH_MS) return;
    if (event.kind === 'changes' && !event.changes.some((change) => change.t === 'container_stats')) return;
    last = Date.now();
    setRange(rangeFor(current.key === 'custom' ? '1h' : current.key));
  });
  onCleanup(unsubscribe);

  return (
    <section class="card">
      <div class="ct-section-head">
        <h2>{t('containers.stats')}</h2>
        <RangePicker value={range()} onChange={setRange} />
      </div>
      <Loaded value={series()} error={seriesRes.error as unknown} onRetry={() => void refetch()}>
        {(data) => (
          <Show when={!data().empty} fallback={<Empty>{t('containers.noSeries')}</Empty>}>
            <p class="muted ct-small" data-testid="stats-resolution" data-tier={data().tier}>
              {resolutionText(data().tier, data().stepS)}
            </p>
            <Show when={data().truncated}>
              <p class="banner tone-warn">{t('containers.truncated')}</p>
            </Show>
            <div class="ct-charts">
              <div>
                <h3>{t('containers.chart.cpu')}</h3>
                <TimeSeriesChart
                  data={data().cpu}
                  series={[{ label: t('containers.col.cpu') }]}
                  format={(v) => formatPercent(v, Math.abs(v) < 1 ? 2 : 1)}
                  height={180}
                />
              </div>
              <div>
                <h3>{t('containers.chart.memory')}</h3>
                <Show when={data().limitNotDrawn}>
                  {(limit) => (
                    <p class="muted ct-small">
                      {t('containers.chart.limitNotDrawn', { limit: formatBytes(limit()) })}
                    </p>
                  )}
                </Show>
                <TimeSeriesChart
                  data={data().mem}
                  series={
                    data().limitNotDrawn === null
                      ? [{ label: t('containers.chart.used') }, { label: t('containers.chart.limit') }]
                      : [{ label: t('containers.chart.used') }]
                  }
                  format={(v) => formatBytes(v)}
                  height={180}
                />
              </div>
              <div>
                <h3>{t('containers.chart.network')}</h3>
                <TimeSeriesChart
                  data={data().net}
                  series={[{ label: t('containers.chart.rx') }, { label: t('containers.chart.tx') }]}
                  format={(v) => formatRate(v)}
                  height={180}
                />
              </div>
            </div>
          </Show>
        )}
      </Loaded>
    </section>
  );
}
