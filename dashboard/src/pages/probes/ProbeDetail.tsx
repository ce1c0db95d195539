// One probe: state overall and per agent, uptime over 24 h / 7 d / 30 d, latency over time, state changes
// and the last results with their messages; edit, pause and delete for roles that may write probes.
import { A, useNavigate, useParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
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
  formatDateTime,
  formatDuration,
  formatMs,
  formatNumber,
  formatPercent,
  formatRelative,
} from '../../lib/format';
import { alignSeries } from '../../lib/align';
import { createCsvDownload, csvFileName } from '../../lib/download';
import { TARGET_POINTS } from '../../lib/series';
import type uPlot from 'uplot';
import { createLiveResource, lastGood } from '../../lib/live';
import { loadAgents } from './probe-api';
import { probeTarget, type Probe } from './probe-logic';
import { UptimeBar } from './UptimeBar';
import './probes.css';

const RESULTS_LIMIT = 10_000;
const LAST_RESULTS = 20;

/** One bucket of GET /api/v1/probes/{id}/history. */
export interface HistoryBucket {
  t: number;
  checks: number;
  availabilityPct: number;
  latencyP95Ms: number | null;
}

/**
 * A probe's history buckets as two charts' data (uPlot: seconds on x): availability % per bucket, and
 * latency p95 per bucket (a gap where a bucket had only failed checks and so no latency).
 */
export function historyCharts(buckets: readonly HistoryBucket[]): {
  availability: uPlot.AlignedData;
  latency: uPlot.AlignedData;
  checks: number;
} {
  const sorted = [...buckets].sort((a, b) => a.t - b.t);
  const xs = sorted.map((b) => b.t / 1000);
  return {
    availability: [xs, sorted.map((b) => b.availabilityPct)],
    latency: [xs, sorted.map((b) => b.latencyP95Ms)],
    checks: sorted.reduce((sum, b) => sum + b.checks, 0),
  };
}

/** The query of the history (and its CSV) for a range; a live range is read up to now. */
export function historyQuery(range: TimeRange, nowMs = Date.now()): Record<string, string> {
  const span = Date.parse(range.to) - Date.parse(range.from);
  const to = range.live ? new Date(nowMs).toISOString() : range.to;
  const from = range.live ? new Date(nowMs - span).toISOString() : range.from;
  return { from, to, maxPoints: String(TARGET_POINTS) };
}

export default function ProbeDetail() {
  const params = useParams<{ id: string }>();
  return (
    <DetailLoader
      id={params.id}
      load={(id) => unwrap(api.GET('/api/v1/probes/{id}', { params: { path: { id } } }))}
      back={{ href: '/probes', label: t('probes.title') }}
      notFound={t('probes.notFound')}
      missing={[404, 400]}
    >
      {(probe) => <ProbeView initial={probe} />}
    </DetailLoader>
  );
}

function ProbeView(props: { initial: Probe }) {
  const id = props.initial.id;
  const navigate = useNavigate();
  const topics = () => [`probe:${id}`];

  const [probeRes, { refetch: reloadProbe }] = createLiveResource(
    () => unwrap(api.GET('/api/v1/probes/{id}', { params: { path: { id } } })),
    { topics },
  );
  const probe = lastGood(probeRes, props.initial);
  const p = () => probe() ?? props.initial;

  const [agentsRes] = createResource(() => loadAgents().catch(() => []));
  const agentName = (agentId: string) =>
    agentsRes()?.find((a) => a.id === agentId)?.name ?? agentId.slice(0, 8);

  const [uptimeRes, { refetch: reloadUptime }] = createLiveResource(
    () => unwrap(api.GET('/api/v1/probes/{id}/uptime', { params: { path: { id } } })),
    { topics, minIntervalMs: 5000 },
  );
  const uptime = lastGood(uptimeRes);
  const [barRes] = createLiveResource(
    () =>
      unwrap(api.GET('/api/v1/probe-uptime-bars', { params: { query: { ids: id } } })).then((answer) => {
        const buckets = answer.items[0]?.buckets ?? [];
        return { fromMs: Date.parse(answer.from), bucketMs: answer.bucketMs, buckets };
      }),
    { topics, minIntervalMs: 5000 },
  );
  const bar = lastGood(barRes);

  const [eventsRes, { refetch: reloadEvents }] = createLiveResource(
    () =>
      unwrap(api.GET('/api/v1/probes/{id}/events', { params: { path: { id }, query: { limit: 50 } } })).then(
        (answer) => answer.items,
      ),
    { topics, relevant: (change) => change.t === 'probe_state' },
  );
  const events = lastGood(eventsRes);

  // Results arrive without a notice (only state changes notify): the latest ones are re-read on a timer.
  const recentFrom = () => new Date(Date.now() - Math.max(3600, 20 * p().intervalS) * 1000).toISOString();
  const [recentRes, { refetch: reloadRecent }] = createLiveResource(
    () =>
      unwrap(
        api.GET('/api/v1/probes/{id}/results', {
          params: { path: { id }, query: { from: recentFrom(), limit: RESULTS_LIMIT } },
        }),
      ).then((answer) => answer.items.slice(-LAST_RESULTS).reverse()),
    { topics, relevant: (change) => change.t === 'probe_state' },
  );
  const recent = lastGood(recentRes);

  const [range, setRange] = createSignal<TimeRange>(rangeFor('1h'));
  // The last hour: every result, a line per agent. Longer ranges read the history below.
  const [chartRes, { refetch: reloadChart }] = createResource(
    () => (range().key === '1h' ? range() : undefined),
    async (r) => {
      const answer = await unwrap(
        api.GET('/api/v1/probes/{id}/results', {
          params: { path: { id }, query: { from: r.from, to: r.to, limit: RESULTS_LIMIT } },
        }),
      );
      const byAgent = new Map<string, [number, number | null][]>();
      for (const result of answer.items) {
        const points = byAgent.get(result.agentId) ?? [];
        points.push([Date.parse(result.ts), result.status === 'down' ? null : result.latencyMs]);
        byAgent.set(result.agentId, points);
      }
      const agents = [...byAgent.keys()].sort();
      return {
        agents,
        data: alignSeries(agents.map((a) => byAgent.get(a) ?? [])),
        truncated: answer.items.length >= RESULTS_LIMIT,
      };
    },
  );
  const chart = lastGood(chartRes);
  // Longer ranges: checks per bucket from the history tiers (rollups beyond the raw retention).
  const [historyRes, { refetch: reloadHistory }] = createResource(
    () => (range().key === '1h' ? undefined : range()),
    async (r) => {
      const q = historyQuery(r);
      const answer = await unwrap(
        api.GET('/api/v1/probes/{id}/history', {
          params: { path: { id }, query: { from: q.from, to: q.to, maxPoints: TARGET_POINTS } },
        }),
      );
      return { tier: answer.tier, stepS: answer.stepS, ...historyCharts(answer.buckets) };
    },
  );
  const history = lastGood(historyRes);
  const csv = createCsvDownload(() => {
    const q = historyQuery(range());
    return {
      path: `/api/v1/probes/${encodeURIComponent(id)}/history`,
      query: q,
      fileName: csvFileName(`probe-${p().name}`, q.from ?? '', q.to ?? ''),
    };
  });
  // The live range follows new results: on the probe's interval, and at once when its state changes.
  let chartReadAt = 0;
  const followLive = () => {
    if (!range().live || Date.now() - chartReadAt < 5000) return;
    chartReadAt = Date.now();
    setRange(rangeFor('1h'));
  };
  const timer = setInterval(
    () => {
      followLive();
      reloadRecent();
    },
    Math.max(15, props.initial.intervalS) * 1000,
  );
  const unsubscribe = realtime.subscribe(`probe:${id}`, followLive);
  onCleanup(() => {
    clearInterval(timer);
    unsubscribe();
  });

  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [actionError, setActionError] = createSignal<unknown>();
  const setPaused = async (paused: boolean) => {
    setBusy(true);
    setActionError(undefined);
    try {
      await unwrap(api.PATCH('/api/v1/probes/{id}', { params: { path: { id } }, body: { paused } }));
      reloadProbe();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    setActionError(undefined);
    try {
      await unwrap(api.DELETE('/api/v1/probes/{id}', { params: { path: { id } } }));
      navigate('/probes', { replace: true });
    } catch (err) {
      setActionError(err);
      setConfirmDelete(false);
    } finally {
      setBusy(false);
    }
  };

  const secretKeys = createMemo(() => new Set(p().secretsSet));
  const configEntries = createMemo(() =>
    Object.entries(p().config).filter(([key]) => !secretKeys().has(key)),
  );

  return (
    <div class="stack pr-detail">
      <p class="muted">
        <A href="/probes">← {t('probes.title')}</A>
      </p>
      <header class="page-header">
        <div class="pr-title">
          <h1>{p().name}</h1>
          <StatusBadge state={p().state} />
        </div>
        <Show when={can('probes:write')}>
          <div class="page-actions">
            <A class="button" href={`/probes/${id}/edit`}>
              {t('action.edit')}
            </A>
            <button
              type="button"
              class="button"
              disabled={busy()}
              onClick={() => void setPaused(!p().paused)}
            >
              {p().paused ? t('probes.resume') : t('probes.pause')}
            </button>
            <button
              type="button"
              class="button danger"
              disabled={busy()}
              onClick={() => setConfirmDelete(true)}
            >
              {t('action.delete')}
            </button>
          </div>
        </Show>
      </header>

      <Show when={probeRes.error as unknown}>
        <ErrorBanner error={probeRes.error as unknown} onRetry={reloadProbe} />
      </Show>
      <Show when={actionError()}>
        <ErrorBanner error={actionError()} />
      </Show>
      <Show when={p().paused}>
        <p class="banner tone-warn" role="status">
          {t('probes.pausedBanner')}
        </p>
      </Show>

      <section class="card" aria-label={t('probes.uptime')}>
        <div class="pr-section-head">
          <h2>{t('probes.uptime')}</h2>
        </div>
        <Show when={uptimeRes.error as unknown}>
          <ErrorBanner error={uptimeRes.error as unknown} onRetry={reloadUptime} />
        </Show>
        <div class="pr-tiles">
          <For each={['24h', '7d', '30d'] as const}>
            {(key) => {
              const w = () => uptime()?.windows[key];
              return (
                <div class="tile" data-window={key}>
                  <span class="muted">{t(`range.${key}`)}</span>
                  <span class="value">{formatPercent(w()?.uptimePercent, 2)}</span>
                  <span class="muted pr-small">
                    {t('probes.windowChecks', {
                      checks: formatNumber(w()?.checks ?? 0),
                      p50: formatMs(w()?.latencyP50Ms),
                      p95: formatMs(w()?.latencyP95Ms),
                    })}
                  </span>
                </div>
              );
            }}
          </For>
        </div>
        <UptimeBar data={bar()} />
        <p class="muted pr-small">{t('probes.barHint')}</p>
      </section>

      <div class="grid pr-lists">
        <section class="card">
          <h2>{t('probes.settings')}</h2>
          <dl class="facts">
            <dt>{t('probes.type')}</dt>
            <dd>{t(`probes.type.${p().type}`)}</dd>
            <dt>{t('probes.target')}</dt>
            <dd>
              <code>{probeTarget(p())}</code>
            </dd>
            <dt>{t('probes.field.intervalS')}</dt>
            <dd>{formatDuration(p().intervalS)}</dd>
            <dt>{t('probes.field.timeoutMs')}</dt>
            <dd>{formatMs(p().timeoutMs)}</dd>
            <dt>{t('probes.field.retries')}</dt>
            <dd>{p().retries}</dd>
            <dt>{t('probes.runsOn')}</dt>
            <dd>
              <Show
                when={p().agentId}
                fallback={
                  <span class="pr-chips">
                    <For each={Object.entries(p().labels ?? {})}>
                      {([k, v]) => <code>{`${k}=${v}`}</code>}
                    </For>
                  </span>
                }
              >
                {(agentId) => <A href={`/hosts/${agentId()}`}>{agentName(agentId())}</A>}
              </Show>
            </dd>
            <dt>{t('probes.updated')}</dt>
            <dd title={formatDateTime(p().updatedAt)}>{formatRelative(p().updatedAt)}</dd>
          </dl>
        </section>
        <section class="card">
          <h2>{t('probes.config')}</h2>
          <dl class="facts">
            <For each={configEntries()}>
              {([key, value]) => (
                <>
                  <dt>{key}</dt>
                  <dd>
                    <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
                  </dd>
                </>
              )}
            </For>
            <For each={p().secretsSet}>
              {(key) => (
                <>
                  <dt>{key}</dt>
                  <dd class="muted">{t('probes.secretStored')}</dd>
                </>
              )}
            </For>
          </dl>
        </section>
      </div>

      <section class="card">
        <h2>{t('probes.perAgent')}</h2>
        <Show when={p().agents.length > 0} fallback={<Empty>{t('probes.noAgentsYet')}</Empty>}>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t('probes.agent')}</th>
                  <th>{t('common.state')}</th>
                  <th>{t('probes.since')}</th>
                  <th>{t('probes.failures')}</th>
                  <th>{t('probes.lastCheck')}</th>
                  <th>{t('probes.latency')}</th>
                  <th>{t('probes.message')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={p().agents}>
                  {(a) => (
                    <tr data-agent={a.agentId}>
                      <td>
                        <A href={`/hosts/${a.agentId}`}>{agentName(a.agentId)}</A>
                      </td>
                      <td>
                        <StatusBadge state={a.state} />
                      </td>
                      <td title={formatDateTime(a.since)}>{formatRelative(a.since)}</td>
                      <td>{a.consecutiveFailures}</td>
                      <td title={formatDateTime(a.lastResultAt)}>{formatRelative(a.lastResultAt)}</td>
                      <td>{formatMs(a.lastLatencyMs)}</td>
                      <td class="pr-wrap">{a.lastMessage ?? ''}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </section>

      <section class="card" data-testid="probe-history">
        <div class="pr-section-head">
          <h2>{range().key === '1h' ? t('probes.latencyChart') : t('probes.history')}</h2>
          <div class="pr-history-tools">
            <RangePicker value={range()} onChange={setRange} />
            <button type="button" class="button small" disabled={csv.busy()} onClick={() => void csv.start()}>
              {t('range.downloadCsv')}
            </button>
          </div>
        </div>
        <Show when={csv.error()}>
          <ErrorBanner error={csv.error()} onRetry={() => void csv.start()} />
        </Show>
        <Show
          when={range().key !== '1h'}
          fallback={
            <Loaded value={chart()} error={chartRes.error as unknown} onRetry={() => void reloadChart()}>
              {(c) => (
                <Show when={c().agents.length > 0} fallback={<Empty>{t('probes.noResultsInRange')}</Empty>}>
                  <Show when={c().truncated}>
                    <p class="banner tone-warn">
                      {t('probes.truncated', { limit: formatNumber(RESULTS_LIMIT) })}
                    </p>
                  </Show>
                  <TimeSeriesChart
                    data={c().data}
                    series={c().agents.map((a) => ({ label: agentName(a) }))}
                    format={(v) => formatMs(v)}
                    height={220}
                  />
                </Show>
              )}
            </Loaded>
          }
        >
          <Loaded value={history()} error={historyRes.error as unknown} onRetry={() => void reloadHistory()}>
            {(h) => (
              <>
                <p class="muted pr-small" data-testid="history-resolution" data-tier={h().tier}>
                  {resolutionText(h().tier, h().stepS)}
                </p>
                <Show when={h().checks > 0} fallback={<Empty>{t('probes.noResultsInRange')}</Empty>}>
                  <div class="pr-history-charts">
                    <div data-chart="availability" data-points={h().availability[0].length}>
                      <h3>{t('probes.history.availability')}</h3>
                      <TimeSeriesChart
                        data={h().availability}
                        series={[{ label: t('probes.history.availabilitySeries') }]}
                        format={(v) => formatPercent(v, 2)}
                        height={180}
                      />
                    </div>
                    <div data-chart="latency" data-points={h().latency[0].length}>
                      <h3>{t('probes.history.latency')}</h3>
                      <TimeSeriesChart
                        data={h().latency}
                        series={[{ label: t('probes.history.latencySeries') }]}
                        format={(v) => formatMs(v)}
                        height={180}
                      />
                    </div>
                  </div>
                </Show>
              </>
            )}
          </Loaded>
        </Show>
      </section>

      <section class="card">
        <h2>{t('probes.events')}</h2>
        <Loaded value={events()} error={eventsRes.error as unknown} onRetry={reloadEvents}>
          {(items) => (
            <Show when={items().length > 0} fallback={<Empty>{t('probes.noEvents')}</Empty>}>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{t('probes.when')}</th>
                      <th>{t('probes.agent')}</th>
                      <th>{t('probes.change')}</th>
                      <th>{t('probes.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={items()}>
                      {(event) => (
                        <tr>
                          <td title={formatRelative(event.occurredAt)}>{formatDateTime(event.occurredAt)}</td>
                          <td>{event.agentId ? agentName(event.agentId) : '–'}</td>
                          <td>
                            <StatusBadge state={event.from} /> → <StatusBadge state={event.to} />
                          </td>
                          <td class="pr-wrap">{event.message ?? ''}</td>
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

      <section class="card">
        <h2>{t('probes.lastResults')}</h2>
        <Loaded value={recent()} error={recentRes.error as unknown} onRetry={reloadRecent}>
          {(items) => (
            <Show when={items().length > 0} fallback={<Empty>{t('probes.noRecentResults')}</Empty>}>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th>{t('probes.when')}</th>
                      <th>{t('probes.agent')}</th>
                      <th>{t('common.status')}</th>
                      <th>{t('probes.latency')}</th>
                      <th>{t('probes.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={items()}>
                      {(result) => (
                        <tr data-result-status={result.status}>
                          <td>{formatDateTime(result.ts)}</td>
                          <td>{agentName(result.agentId)}</td>
                          <td>
                            <StatusBadge state={result.status} />
                          </td>
                          <td>{formatMs(result.latencyMs)}</td>
                          <td class="pr-wrap">{result.message}</td>
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

      <ConfirmDialog
        open={confirmDelete()}
        title={t('probes.deleteTitle', { name: p().name })}
        confirmLabel={t('action.delete')}
        danger
        busy={busy()}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => void remove()}
      >
        <p>{t('probes.deleteBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
