// One host: what the agent reported about it, its key metrics now, and charts of CPU, memory, disks and
// network over a chosen range (the last hour follows new samples live; longer ranges use averaged buckets).
import { A, useParams } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { api, ApiError, unwrap } from '../../api/client';
import { can } from '../../api/session';
import { Empty, ErrorBanner, Loading, PageHeader } from '../../components/Feedback';
import { RangePicker, rangeFor, resolutionText, type TimeRange } from '../../components/RangePicker';
import { StatusBadge } from '../../components/StatusBadge';
import { TimeSeriesChart } from '../../components/TimeSeriesChart';
import { t } from '../../i18n';
import { formatBytes, formatDateTime, formatDuration, formatNumber, formatRelative } from '../../lib/format';
import { createLiveResource } from '../../lib/live';
import { createCsvDownload, csvFileName } from '../../lib/download';
import { createLiveSeries, seriesQuery } from '../../lib/series';
import { CHART_KEYS, CHART_METRICS, emptyChart, hasPoints, hostCharts } from './charts';
import { hostFact, later, numberFact, seenAgo, summarize, type Agent, type LatestItem } from './model';
import { createNow, UsageMeter } from './parts';
import './hosts.css';

function Facts(props: { agent: Agent; lastSeen: string | undefined; now: number }) {
  const fact = (key: string) => hostFact(props.agent, key) ?? '–';
  const engine = () => props.agent.containers.engine;
  const engineText = () => {
    const e = engine();
    if (!e) return t('hosts.engine.none');
    return [hostFact({ host: e }, 'name'), hostFact({ host: e }, 'version')].filter(Boolean).join(' ') || '–';
  };
  const memTotal = () => numberFact(props.agent.host, 'memTotalBytes');
  return (
    <div class="host-facts-grid">
      <section class="card" aria-labelledby="host-facts-title">
        <h2 id="host-facts-title">{t('hosts.facts')}</h2>
        <dl class="facts">
          <dt>{t('hosts.hostname')}</dt>
          <dd>{fact('hostname')}</dd>
          <dt>{t('common.status')}</dt>
          <dd>
            <StatusBadge state={props.agent.status} />
          </dd>
          <dt>{t('hosts.lastSeen')}</dt>
          <dd title={formatDateTime(props.lastSeen)}>
            {props.lastSeen ? seenAgo(props.lastSeen, Math.max(props.now, Date.now())) : t('common.never')}
          </dd>
          <dt>{t('hosts.os')}</dt>
          <dd>
            {fact('os')} / {fact('arch')}
            <Show when={hostFact(props.agent, 'kernel')}>
              <small class="muted"> ({fact('kernel')})</small>
            </Show>
          </dd>
          <dt>{t('hosts.cpus')}</dt>
          <dd>{fact('cpus')}</dd>
          <dt>{t('hosts.memoryTotal')}</dt>
          <dd>{formatBytes(memTotal())}</dd>
          <dt>{t('hosts.version')}</dt>
          <dd>{fact('agentVersion')}</dd>
          <dt>{t('hosts.interval')}</dt>
          <dd>{t('hosts.seconds', { n: props.agent.intervalS })}</dd>
          <dt>{t('hosts.labels')}</dt>
          <dd class="host-labels">
            <For each={Object.entries(props.agent.labels)} fallback={<span class="muted">–</span>}>
              {([key, value]) => (
                <span class="badge tone-muted">
                  {key}={value}
                </span>
              )}
            </For>
          </dd>
          <dt>{t('hosts.enrolled')}</dt>
          <dd>{formatDateTime(props.agent.createdAt)}</dd>
          <Show when={props.agent.droppedBatches > 0}>
            <dt>{t('hosts.dropped')}</dt>
            <dd class="badge tone-warn">{formatNumber(props.agent.droppedBatches)}</dd>
          </Show>
        </dl>
      </section>
      <section class="card" aria-labelledby="host-engine-title">
        <h2 id="host-engine-title">{t('hosts.engine')}</h2>
        <dl class="facts">
          <dt>{t('hosts.engine.name')}</dt>
          <dd data-testid="engine">{engineText()}</dd>
          <Show when={engine() && hostFact({ host: engine() ?? {} }, 'apiVersion')}>
            <dt>{t('hosts.engine.api')}</dt>
            <dd>{hostFact({ host: engine() ?? {} }, 'apiVersion')}</dd>
          </Show>
          <dt>{t('hosts.engine.actions')}</dt>
          <dd>
            {props.agent.containers.actionsEnabled === null
              ? '–'
              : props.agent.containers.actionsEnabled
                ? t('common.yes')
                : t('common.no')}
          </dd>
          <dt>{t('hosts.engine.reported')}</dt>
          <dd>
            {props.agent.containers.reportedAt
              ? formatRelative(props.agent.containers.reportedAt, props.now)
              : t('common.never')}
          </dd>
        </dl>
        <div class="links">
          <Show when={can('containers:read')}>
            <A href={`/containers?agentId=${props.agent.id}`}>{t('hosts.link.containers')}</A>
          </Show>
          <Show when={can('probes:read')}>
            <A href={`/probes?agentId=${props.agent.id}`}>{t('hosts.link.probes')}</A>
          </Show>
          <Show when={can('agents:write')}>
            <A href="/agents">{t('hosts.link.manage')}</A>
          </Show>
        </div>
      </section>
    </div>
  );
}

function Tiles(props: { items: readonly LatestItem[] }) {
  const summary = createMemo(() => summarize(props.items).values().next().value);
  const value = (metric: string) => props.items.find((item) => item.metric === metric)?.value;
  const memUsed = () => value('mem.used.bytes');
  const memTotal = () => value('mem.total.bytes');
  return (
    <div class="host-tiles">
      <div class="card tile" data-tile="cpu">
        <span class="muted">{t('hosts.cpu')}</span>
        <UsageMeter value={summary()?.cpuPercent} />
      </div>
      <div class="card tile" data-tile="memory">
        <span class="muted">{t('hosts.memory')}</span>
        <UsageMeter value={summary()?.memPercent} />
        <small class="muted">
          {formatBytes(memUsed())} / {formatBytes(memTotal())}
        </small>
      </div>
      <div class="card tile" data-tile="disk">
        <span class="muted">{t('hosts.diskFullest')}</span>
        <UsageMeter value={summary()?.diskPercent} />
        <small class="muted">{summary()?.diskMount ?? '–'}</small>
      </div>
      <div class="card tile" data-tile="load">
        <span class="muted">{t('hosts.load')}</span>
        <span class="value">{formatNumber(value('load.1m'), 2)}</span>
        <small class="muted">
          {formatNumber(value('load.5m'), 2)} · {formatNumber(value('load.15m'), 2)}
        </small>
      </div>
      <div class="card tile" data-tile="uptime">
        <span class="muted">{t('hosts.uptime')}</span>
        <span class="value">{formatDuration(value('uptime.seconds'))}</span>
      </div>
    </div>
  );
}

function HostView(props: { id: string }) {
  const now = createNow();
  const [agent, agentControls] = createLiveResource(
    () => unwrap(api.GET('/api/v1/agents/{id}', { params: { path: { id: props.id } } })),
    {
      topics: () => [`agent:${props.id}`],
      relevant: (change) => change.t === 'agent' || change.t === 'containers' || change.t === 'container',
      minIntervalMs: 2000,
    },
  );
  const [latest] = createLiveResource(
    () => unwrap(api.GET('/api/v1/agents/{id}/metrics/latest', { params: { path: { id: props.id } } })),
    {
      topics: () => [`agent:${props.id}`],
      relevant: (change) => change.t === 'samples',
      minIntervalMs: 5000,
    },
  );
  const latestItems = (): LatestItem[] =>
    (latest.latest?.items ?? []).map((item) => ({ ...item, agentId: props.id }));
  const newestSample = () =>
    latestItems().reduce<string | undefined>((newest, item) => later(newest, item.ts), undefined);

  const [range, setRange] = createSignal<TimeRange>(rangeFor('1h'));
  const params = createMemo(() => ({
    agent: props.id,
    metrics: CHART_METRICS,
    from: range().from,
    to: range().to,
    live: range().live,
  }));
  const { state: series, reload } = createLiveSeries(params);
  const charts = createMemo(() => hostCharts(series().series));
  // The CSV of what the charts show: the same query over the same range (a live range up to now).
  const csv = createCsvDownload(() => {
    const r = range();
    const to = r.live ? new Date().toISOString() : r.to;
    const from = r.live
      ? new Date(Date.parse(to) - (Date.parse(r.to) - Date.parse(r.from))).toISOString()
      : r.from;
    const query = seriesQuery({ agent: props.id, metrics: CHART_METRICS, from, to }, CHART_METRICS);
    const entries = Object.entries(query).map(([key, value]) => [key, String(value)]);
    return {
      path: '/api/v1/series/query',
      query: Object.fromEntries(entries) as Record<string, string>,
      fileName: csvFileName(agent.latest?.name ?? props.id, from, to),
    };
  });

  // A resource's error is typed any; as unknown it has to be checked before use.
  const agentError = (): unknown => agent.error;
  const notFound = () => {
    const error = agentError();
    return error instanceof ApiError && error.status === 404;
  };

  return (
    <section class="host-detail">
      <PageHeader title={agent.latest?.name ?? t('hosts.detail')}>
        <A href="/hosts" class="button small">
          {t('hosts.back')}
        </A>
      </PageHeader>
      <Show when={notFound()}>
        <Empty>{t('hosts.notFound')}</Empty>
      </Show>
      <Show when={agentError() !== undefined && !notFound()}>
        <ErrorBanner error={agentError()} onRetry={agentControls.refetch} />
      </Show>
      <Show when={agent.latest} fallback={<Show when={agentError() === undefined}>{<Loading />}</Show>}>
        {(current) => (
          <>
            <Facts agent={current()} lastSeen={later(current().lastSeenAt, newestSample())} now={now()} />
            <Tiles items={latestItems()} />
            <div class="range-bar">
              <h2>{t('hosts.history')}</h2>
              <RangePicker value={range()} onChange={setRange} />
            </div>
            <Show when={series().error}>
              <ErrorBanner error={series().error} onRetry={reload} />
            </Show>
            <Show when={csv.error()}>
              <ErrorBanner error={csv.error()} onRetry={() => void csv.start()} />
            </Show>
            <div class="history-meta">
              <Show when={!series().loading || series().series.length > 0}>
                <p class="muted" data-testid="resolution">
                  {resolutionText(series().tier, series().stepS)}
                </p>
              </Show>
              <button
                type="button"
                class="button small"
                disabled={csv.busy()}
                onClick={() => void csv.start()}
              >
                {t('range.downloadCsv')}
              </button>
            </div>
            <div class="charts">
              <For each={CHART_KEYS}>
                {(key) => {
                  // Looked up by key, so a live update redraws the chart instead of making a new one.
                  const chart = () => charts()[CHART_KEYS.indexOf(key)] ?? emptyChart(key);
                  return (
                    <section
                      class="card chart-card"
                      data-chart={key}
                      data-points={chart().data[0].length}
                      aria-label={chart().title}
                    >
                      <h2>
                        {chart().title}
                        <Show when={chart().hidden > 0}>
                          <small class="muted">{t('hosts.hiddenSeries', { n: chart().hidden })}</small>
                        </Show>
                      </h2>
                      <Show
                        when={hasPoints(chart())}
                        fallback={
                          <div class="chart-empty muted">
                            {series().loading ? t('common.loading') : t('hosts.noData')}
                          </div>
                        }
                      >
                        <TimeSeriesChart
                          data={chart().data}
                          series={chart().series}
                          format={chart().format}
                        />
                      </Show>
                    </section>
                  );
                }}
              </For>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

export default function HostDetail() {
  const params = useParams<{ id: string }>();
  // Keyed: another host is a fresh view with its own subscriptions.
  return (
    <Show when={params.id} keyed>
      {(id) => <HostView id={id} />}
    </Show>
  );
}
