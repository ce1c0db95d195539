// Dashboards without the DOM: widget types as the API has them, the layout (order → grid places), the
// editor's steps (add, move, resize, remove) and what a chart widget asks the series API for.
import type { components, operations } from '../../api/schema.gen';
import { resolutionFor } from '../../lib/series';

export type SeriesQuery = NonNullable<operations['getSeriesQuery']['parameters']['query']>;

export type Dashboard = components['schemas']['Dashboard'];
export type DashboardSummary = components['schemas']['DashboardSummary'];
export type Widget = components['schemas']['Widget'];
export type ChartWidget = components['schemas']['ChartWidget'];
export type StatusWidget = components['schemas']['StatusWidget'];
export type IncidentsWidget = components['schemas']['IncidentsWidget'];
export type WidgetType = Widget['type'];
export type ChartRange = ChartWidget['query']['range'];
export type StatusKind = StatusWidget['selector']['kind'];
export type IncidentStatus = NonNullable<IncidentsWidget['status']>[number];
export type Severity = NonNullable<IncidentsWidget['severity']>[number];

export const GRID_COLUMNS = 12;
export const WIDGET_TYPES: readonly WidgetType[] = ['chart', 'status', 'incidents'];
export const WIDTHS = [3, 4, 6, 8, 12] as const;
export const HEIGHTS = [1, 2, 3, 4] as const;
export const RANGES: readonly ChartRange[] = ['1h', '6h', '24h', '7d', '30d', '90d', '1y'];
export const STATUS_KINDS: readonly StatusKind[] = ['agents', 'probes', 'containers'];
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['open', 'acknowledged', 'resolved'];
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
export const MAX_WIDGETS = 50;
export const MAX_CHART_METRICS = 5;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const RANGE_MS: Readonly<Record<ChartRange, number>> = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
  '90d': 90 * DAY,
  '1y': 365 * DAY,
};

/** Charts of up to a day re-read this often; longer ranges change too slowly to be worth it. */
export const CHART_REFRESH_MS = 30_000;
export function refreshInterval(range: ChartRange): number | undefined {
  return RANGE_MS[range] <= DAY ? CHART_REFRESH_MS : undefined;
}

/**
 * Grid places from the order: left to right in rows of 12 columns; a widget that does not fit starts a new
 * row below the tallest one of the current row. The list's order is the layout's order.
 */
export function pack<W extends Pick<Widget, 'w' | 'h' | 'x' | 'y'>>(widgets: readonly W[]): W[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((widget) => {
    const w = Math.min(Math.max(1, widget.w), GRID_COLUMNS);
    if (x + w > GRID_COLUMNS) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const placed = { ...widget, w, x, y };
    x += w;
    rowHeight = Math.max(rowHeight, widget.h);
    return placed;
  });
}

/** Moves one widget a step earlier (-1) or later (+1) in the order; the layout follows. */
export function move<W extends Widget>(widgets: readonly W[], index: number, by: -1 | 1): W[] {
  const to = index + by;
  if (index < 0 || index >= widgets.length || to < 0 || to >= widgets.length) return [...widgets];
  const next = [...widgets];
  const [item] = next.splice(index, 1);
  if (item) next.splice(to, 0, item);
  return pack(next);
}

export function resize<W extends Widget>(
  widgets: readonly W[],
  index: number,
  size: { w?: number; h?: number },
): W[] {
  return pack(widgets.map((widget, i) => (i === index ? { ...widget, ...size } : widget)));
}

export function removeAt<W extends Widget>(widgets: readonly W[], index: number): W[] {
  return pack(widgets.filter((_, i) => i !== index));
}

/** Replaces the widget with the same id, or appends a new one; the layout follows. */
export function upsert(widgets: readonly Widget[], widget: Widget): Widget[] {
  const index = widgets.findIndex((w) => w.id === widget.id);
  return pack(index < 0 ? [...widgets, widget] : widgets.map((w, i) => (i === index ? widget : w)));
}

/** A fresh id that none of the widgets has. */
export function newWidgetId(
  widgets: readonly Pick<Widget, 'id'>[],
  random: () => number = Math.random,
): string {
  const taken = new Set(widgets.map((w) => w.id));
  for (;;) {
    const id = `w${Math.floor(random() * 36 ** 6).toString(36)}`;
    if (!taken.has(id)) return id;
  }
}

/** A new widget of a type with sensible defaults (placed later by pack). */
export function blankWidget(type: WidgetType, id: string): Widget {
  const base = { id, title: '', x: 0, y: 0 };
  switch (type) {
    case 'chart':
      return { ...base, type, w: 6, h: 2, query: { metric: ['cpu.percent'], range: '24h' } };
    case 'status':
      return { ...base, type, w: 6, h: 1, selector: { kind: 'agents' } };
    case 'incidents':
      return { ...base, type, w: 6, h: 2, status: ['open', 'acknowledged'], limit: 10 };
  }
}

/** "cpu.percent, load.1m" → ['cpu.percent', 'load.1m'] (blanks and repeats dropped). */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
  ];
}

/** "env=prod, role=web" → { env: 'prod', role: 'web' }; undefined when a part is not key=value. */
export function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return labels;
}

export function formatLabels(labels: Readonly<Record<string, string>> | null | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** True when `labels` carries every key=value of `wanted`. */
export function hasLabels(
  labels: Readonly<Record<string, string>> | null | undefined,
  wanted: Readonly<Record<string, string>> | undefined,
): boolean {
  return Object.entries(wanted ?? {}).every(([k, v]) => labels?.[k] === v);
}

/**
 * The query of GET /api/v1/series/query for a chart widget at `now`: no step (the server picks tier and step)
 * and, past a few hours, a chart's worth of points, as every chart asks (lib/series.ts `resolutionFor`).
 */
export function seriesQuery(query: ChartWidget['query'], now: number): SeriesQuery {
  const fromMs = now - RANGE_MS[query.range];
  const params: SeriesQuery = {
    metric: query.metric.join(','),
    from: new Date(fromMs).toISOString(),
    to: new Date(now).toISOString(),
    ...resolutionFor(fromMs, now),
  };
  if (query.agent) params.agent = query.agent;
  else if (query.agentLabels && Object.keys(query.agentLabels).length > 0) {
    params.agentLabel = Object.entries(query.agentLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  if (query.label) params.label = query.label;
  if (query.agg) params.agg = query.agg;
  return params;
}

/** The unit of a metric name (its last part) decides how values read. */
export type Unit = 'percent' | 'bytes' | 'rate' | 'ms' | 'seconds' | 'number';
export function unitOf(metric: string): Unit {
  if (metric.endsWith('.bytes_per_s')) return 'rate';
  if (metric.endsWith('.percent')) return 'percent';
  if (metric.endsWith('.bytes')) return 'bytes';
  if (metric.endsWith('.ms')) return 'ms';
  if (metric.endsWith('.seconds')) return 'seconds';
  return 'number';
}

/** Problems of a widget the form can tell before the server does (keys of messages). */
export function widgetProblems(widget: Widget): string[] {
  const problems: string[] = [];
  if (widget.type === 'chart') {
    const { metric, agent, agentLabels } = widget.query;
    if (metric.length === 0) problems.push('dashboards.problem.noMetric');
    if (metric.length > MAX_CHART_METRICS) problems.push('dashboards.problem.tooManyMetrics');
    if (metric.some((m) => !/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/.test(m)))
      problems.push('dashboards.problem.badMetric');
    if (!agent && Object.keys(agentLabels ?? {}).length === 0) problems.push('dashboards.problem.noAgent');
  }
  if (widget.type === 'incidents' && (widget.limit < 1 || widget.limit > 50))
    problems.push('dashboards.problem.limit');
  return problems;
}
