// What each widget shows: a chart of metrics (GET /api/v1/series/query), tiles of agents, probes or
// containers (the list endpoints, re-read on realtime changes) and the newest incidents (GET /api/v1/incidents).
import { A } from '@solidjs/router';
import { createMemo, createResource, For, onCleanup, Show } from 'solid-js';
import { api, unwrap } from '../../api/client';
import type { components, operations } from '../../api/schema.gen';
import { Empty, Loaded } from '../../components/Feedback';
import { StatusBadge, toneOf } from '../../components/StatusBadge';
import { TimeSeriesChart } from '../../components/TimeSeriesChart';
import { t } from '../../i18n';
import {
  formatBytes,
  formatDuration,
  formatMs,
  formatNumber,
  formatPercent,
  formatRate,
  formatRelative,
} from '../../lib/format';
import { createLiveResource, lastGood } from '../../lib/live';
import { seriesLabel, toAligned, type Point } from '../../lib/series';
import { SeverityBadge } from '../incidents/SeverityBadge';
import {
  hasLabels,
  refreshInterval,
  seriesQuery,
  unitOf,
  type ChartWidget,
  type IncidentsWidget,
  type StatusWidget,
  type Unit,
} from './model';

/** Height of one grid row in pixels (kept in step with --db-row in dashboards.css). */
export const ROW_PX = 170;

const FORMATS: Record<Unit, (value: number) => string> = {
  percent: (v) => formatPercent(v),
  bytes: (v) => formatBytes(v),
  rate: (v) => formatRate(v),
  ms: (v) => formatMs(v),
  seconds: (v) => formatDuration(v),
  number: (v) => formatNumber(v, 2),
};

interface ChartAnswer {
  tier: string;
  stepS: number | null;
  lines: { label: string; points: Point[] }[];
  truncated: boolean;
}

/** Names of the agents a label-selected chart drew, to tell its lines apart. */
async function agentNames(
  query: ChartWidget['query'],
  ids: ReadonlySet<string>,
): Promise<Map<string, string>> {
  if (ids.size < 2) return new Map();
  const first = Object.entries(query.agentLabels ?? {})[0];
  const page = await unwrap(
    api.GET('/api/v1/agents', {
      params: { query: { label: first ? `${first[0]}=${first[1]}` : undefined, limit: 1000 } },
    }),
  ).catch(() => undefined);
  return new Map((page?.items ?? []).map((a) => [a.id, a.name]));
}

async function fetchChart(query: ChartWidget['query']): Promise<ChartAnswer> {
  const wire = await unwrap(
    api.GET('/api/v1/series/query', { params: { query: seriesQuery(query, Date.now()) } }),
  );
  const agents = new Set(wire.series.map((s) => s.agentId));
  const names = await agentNames(query, agents);
  const multi = query.metric.length > 1;
  return {
    tier: wire.tier,
    stepS: wire.stepS,
    truncated: wire.series.some((s) => s.truncated),
    lines: wire.series.map((s) => {
      const instance = seriesLabel(s, '');
      const host = agents.size > 1 ? (names.get(s.agentId) ?? s.agentId.slice(0, 8)) : '';
      const parts = [host, multi || instance === '' ? s.metric : '', instance].filter((p) => p !== '');
      return {
        label: parts.join(' '),
        points: s.points.map((p): Point => [p[0] ?? 0, p[1] ?? 0]),
      };
    }),
  };
}

export function ChartView(props: { widget: ChartWidget }) {
  const [data, { refetch }] = createResource(() => props.widget.query, fetchChart);
  const every = () => refreshInterval(props.widget.query.range);
  const timer = setInterval(() => {
    if (every() !== undefined && !document.hidden) void refetch();
  }, refreshInterval('1h'));
  onCleanup(() => clearInterval(timer));
  const shown = lastGood(data);
  const format = () => FORMATS[unitOf(props.widget.query.metric[0] ?? '')];
  const height = () => Math.max(90, props.widget.h * ROW_PX - 110);
  return (
    <div class="db-chart">
      <Loaded value={shown()} error={data.error as unknown} onRetry={() => void refetch()}>
        {(answer) => (
          <Show
            when={answer().lines.some((l) => l.points.length > 0)}
            fallback={<Empty>{t('dashboards.noData')}</Empty>}
          >
            <TimeSeriesChart
              data={toAligned(answer().lines.map((l) => l.points))}
              series={answer().lines.map((l) => ({ label: l.label }))}
              format={format()}
              height={height()}
            />
          </Show>
        )}
      </Loaded>
      <Show when={shown()}>
        {(answer) => (
          <small class="muted db-tier" data-tier={answer().tier}>
            {answer().stepS === null
              ? t('dashboards.chart.tierRaw', { tier: answer().tier })
              : t('dashboards.chart.tier', { tier: answer().tier, step: formatDuration(answer().stepS) })}
            {answer().truncated ? ` · ${t('dashboards.chart.truncated')}` : ''}
          </small>
        )}
      </Show>
    </div>
  );
}

interface Tile {
  id: string;
  name: string;
  state: string;
  href: string;
  detail?: string;
}

/** Most tiles a status widget shows. */
const MAX_TILES = 200;

async function fetchTiles(selector: StatusWidget['selector']): Promise<{ tiles: Tile[]; total: number }> {
  const labels = selector.labels ?? {};
  const first = Object.entries(labels)[0];
  const q = selector.q?.trim() || undefined;
  switch (selector.kind) {
    case 'agents': {
      const page = await unwrap(
        api.GET('/api/v1/agents', {
          params: { query: { q, label: first ? `${first[0]}=${first[1]}` : undefined, limit: MAX_TILES } },
        }),
      );
      const items = page.items.filter((a) => hasLabels(a.labels, labels));
      return {
        total: page.total - (page.items.length - items.length),
        tiles: items.map((a) => ({ id: a.id, name: a.name, state: a.status, href: `/hosts/${a.id}` })),
      };
    }
    case 'probes': {
      const page = await unwrap(api.GET('/api/v1/probes', { params: { query: { q, limit: MAX_TILES } } }));
      const items = page.items.filter((p) => hasLabels(p.labels, labels));
      return {
        total: page.total - (page.items.length - items.length),
        tiles: items.map((p) => ({ id: p.id, name: p.name, state: p.state, href: `/probes/${p.id}` })),
      };
    }
    case 'containers': {
      const label = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const page = await unwrap(
        api.GET('/api/v1/containers', {
          params: { query: { name: q, ...(label.length > 0 ? { label } : {}), limit: MAX_TILES } },
        }),
      );
      return {
        total: page.total,
        tiles: page.items.map((c) => ({
          id: c.id,
          name: c.name,
          // An unhealthy running container is the news, not that it runs.
          state: c.health === 'unhealthy' || c.health === 'starting' ? c.health : c.state,
          href: `/containers/${c.id}`,
          detail: c.agent.name,
        })),
      };
    }
  }
}

export function StatusView(props: { widget: StatusWidget }) {
  const [data, { refetch }] = createLiveResource(() => fetchTiles(props.widget.selector), {
    topics: () => ['overview'],
    minIntervalMs: 3000,
  });
  const shown = lastGood(data);
  return (
    <Loaded value={shown()} error={data.error as unknown} onRetry={refetch}>
      {(answer) => (
        <Show when={answer().tiles.length > 0} fallback={<Empty>{t('dashboards.noData')}</Empty>}>
          <ul class="db-tiles" aria-label={t(`dashboards.kind.${props.widget.selector.kind}`)}>
            <For each={answer().tiles}>
              {(tile) => (
                <li>
                  <A
                    href={tile.href}
                    class={`db-tile tone-${toneOf(tile.state)}`}
                    data-state={tile.state}
                    title={`${tile.name}${tile.detail ? ` (${tile.detail})` : ''}: ${t(`state.${tile.state}`)}`}
                  >
                    <span class="db-tile-name">{tile.name}</span>
                    <span class="db-tile-state">{t(`state.${tile.state}`)}</span>
                  </A>
                </li>
              )}
            </For>
          </ul>
          <Show when={answer().total > answer().tiles.length}>
            <small class="muted">
              {t('dashboards.status.more', { count: answer().total - answer().tiles.length })}
            </small>
          </Show>
        </Show>
      )}
    </Loaded>
  );
}

type Incident = components['schemas']['IncidentView'];

function fetchIncidentPage(query: NonNullable<operations['getIncidents']['parameters']['query']>) {
  return unwrap(api.GET('/api/v1/incidents', { params: { query } }));
}

/** The newest incidents of the chosen states and severities (one request per state; the API takes one). */
async function fetchIncidents(widget: IncidentsWidget): Promise<Incident[]> {
  const severity = widget.severity?.length === 1 ? widget.severity[0] : undefined;
  const statuses =
    widget.status && widget.status.length > 0 && widget.status.length < 3 ? widget.status : [undefined];
  const pages = await Promise.all(
    statuses.map((status) => fetchIncidentPage({ status, severity, limit: widget.limit })),
  );
  const wanted = new Set(widget.severity ?? []);
  return pages
    .flatMap((p) => p.items)
    .filter((i) => wanted.size === 0 || wanted.has(i.severity))
    .sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt))
    .slice(0, widget.limit);
}

export function IncidentsView(props: { widget: IncidentsWidget }) {
  const [data, { refetch }] = createLiveResource(() => fetchIncidents(props.widget), {
    topics: () => ['alerts'],
    minIntervalMs: 2000,
  });
  const shown = lastGood(data);
  const items = createMemo(() => shown() ?? []);
  return (
    <Loaded value={shown()} error={data.error as unknown} onRetry={refetch}>
      <Show when={items().length > 0} fallback={<Empty>{t('dashboards.incidents.none')}</Empty>}>
        <ul class="db-incidents">
          <For each={items()}>
            {(incident) => (
              <li data-incident={incident.id}>
                <SeverityBadge severity={incident.severity} />
                <A href={`/incidents/${incident.id}`} class="db-incident-title" title={incident.title}>
                  {incident.title}
                </A>
                <StatusBadge state={incident.status} />
                <span class="muted db-incident-when">{formatRelative(incident.openedAt)}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Loaded>
  );
}
