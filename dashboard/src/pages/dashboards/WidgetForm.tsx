// The form of one widget in the editor: its type (for a new one), title, size and what it shows.
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { t } from '../../i18n';
import { EntityPicker } from '../settings/EntityPicker';
import {
  blankWidget,
  formatLabels,
  HEIGHTS,
  INCIDENT_STATUSES,
  parseLabels,
  parseList,
  RANGES,
  SEVERITIES,
  STATUS_KINDS,
  WIDGET_TYPES,
  WIDTHS,
  widgetProblems,
  type ChartRange,
  type ChartWidget,
  type IncidentStatus,
  type Severity,
  type StatusKind,
  type Widget,
  type WidgetType,
} from './model';

type Agg = NonNullable<ChartWidget['query']['agg']>;
const AGGS: readonly Agg[] = ['avg', 'min', 'max', 'last'];

export function WidgetForm(props: {
  /** The widget to edit, or a fresh one to add. */
  widget: Widget;
  isNew: boolean;
  onApply: (widget: Widget) => void;
  onCancel: () => void;
}) {
  const start = props.widget;
  const chartOf = (w: Widget) => (w.type === 'chart' ? w.query : undefined);
  const statusOf = (w: Widget) => (w.type === 'status' ? w.selector : undefined);
  const incidentsOf = (w: Widget) => (w.type === 'incidents' ? w : undefined);

  const [type, setType] = createSignal<WidgetType>(start.type);
  const [title, setTitle] = createSignal(start.title);
  const [width, setWidth] = createSignal(start.w);
  const [height, setHeight] = createSignal(start.h);
  // chart
  const [metrics, setMetrics] = createSignal((chartOf(start)?.metric ?? ['cpu.percent']).join(', '));
  const [agent, setAgent] = createSignal(chartOf(start)?.agent ?? '');
  const [agentLabels, setAgentLabels] = createSignal(formatLabels(chartOf(start)?.agentLabels));
  const [seriesLabel, setSeriesLabel] = createSignal(chartOf(start)?.label ?? '');
  const [range, setRange] = createSignal<ChartRange>(chartOf(start)?.range ?? '24h');
  const [agg, setAgg] = createSignal<Agg | ''>(chartOf(start)?.agg ?? '');
  // status
  const [kind, setKind] = createSignal<StatusKind>(statusOf(start)?.kind ?? 'agents');
  const [labels, setLabels] = createSignal(formatLabels(statusOf(start)?.labels));
  const [search, setSearch] = createSignal(statusOf(start)?.q ?? '');
  // incidents
  const [statuses, setStatuses] = createSignal<IncidentStatus[]>(
    incidentsOf(start)?.status ?? ['open', 'acknowledged'],
  );
  const [severities, setSeverities] = createSignal<Severity[]>(incidentsOf(start)?.severity ?? []);
  const [limit, setLimit] = createSignal(incidentsOf(start)?.limit ?? 10);

  const [problems, setProblems] = createSignal<string[]>([]);
  const id = (name: string) => `db-wf-${name}`;

  const toggle = <T,>(list: readonly T[], item: T): T[] =>
    list.includes(item) ? list.filter((x) => x !== item) : [...list, item];

  /** The widget the form describes, or the keys of what is wrong with it. */
  const build = (): Widget | string[] => {
    const base = { id: start.id, title: title().trim(), x: start.x, y: start.y, w: width(), h: height() };
    switch (type()) {
      case 'chart': {
        const byLabels = parseLabels(agentLabels());
        const filter = seriesLabel().trim();
        if (byLabels === undefined) return ['dashboards.problem.badLabels'];
        if (filter !== '' && !/^[a-z_][a-z0-9_]*=[^,]*$/.test(filter))
          return ['dashboards.problem.badSeriesLabel'];
        const query: ChartWidget['query'] = { metric: parseList(metrics()), range: range() };
        if (agent() !== '') query.agent = agent();
        else if (Object.keys(byLabels).length > 0) query.agentLabels = byLabels;
        if (filter !== '') query.label = filter;
        const chosenAgg = agg();
        if (chosenAgg !== '') query.agg = chosenAgg;
        return { ...base, type: 'chart', query };
      }
      case 'status': {
        const selectorLabels = parseLabels(labels());
        if (selectorLabels === undefined) return ['dashboards.problem.badLabels'];
        const selector: Extract<Widget, { type: 'status' }>['selector'] = { kind: kind() };
        if (Object.keys(selectorLabels).length > 0) selector.labels = selectorLabels;
        if (search().trim() !== '') selector.q = search().trim();
        return { ...base, type: 'status', selector };
      }
      case 'incidents': {
        const widget: Widget = { ...base, type: 'incidents', limit: limit() };
        if (statuses().length > 0) widget.status = statuses();
        if (severities().length > 0) widget.severity = severities();
        return widget;
      }
    }
  };

  const apply = (event: Event) => {
    event.preventDefault();
    const built = build();
    if (Array.isArray(built)) {
      setProblems(built);
      return;
    }
    const found = widgetProblems(built);
    setProblems(found);
    if (found.length === 0) props.onApply(built);
  };

  return (
    <form
      class="db-widget-form card"
      onSubmit={apply}
      aria-label={t(props.isNew ? 'dashboards.addWidget' : 'dashboards.editWidget')}
    >
      <h2>{t(props.isNew ? 'dashboards.addWidget' : 'dashboards.editWidget')}</h2>
      <div class="db-form-grid">
        <Show when={props.isNew}>
          <label for={id('type')}>{t('dashboards.field.type')}</label>
          <select
            id={id('type')}
            value={type()}
            onChange={(e) => {
              const next = e.currentTarget.value as WidgetType;
              setType(next);
              setProblems([]);
              const fresh = blankWidget(next, start.id);
              setWidth(fresh.w);
              setHeight(fresh.h);
            }}
          >
            <For each={WIDGET_TYPES}>
              {(option) => (
                <option value={option} selected={option === type()}>
                  {t(`dashboards.type.${option}`)}
                </option>
              )}
            </For>
          </select>
        </Show>
        <label for={id('title')}>{t('dashboards.field.title')}</label>
        <input
          id={id('title')}
          value={title()}
          maxLength={200}
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
        <label for={id('w')}>{t('dashboards.field.width')}</label>
        <select
          id={id('w')}
          value={String(width())}
          onChange={(e) => setWidth(Number(e.currentTarget.value))}
        >
          <For each={WIDTHS}>
            {(w) => (
              <option value={String(w)} selected={w === width()}>
                {t('dashboards.columns', { count: w })}
              </option>
            )}
          </For>
        </select>
        <label for={id('h')}>{t('dashboards.field.height')}</label>
        <select
          id={id('h')}
          value={String(height())}
          onChange={(e) => setHeight(Number(e.currentTarget.value))}
        >
          <For each={HEIGHTS}>
            {(h) => (
              <option value={String(h)} selected={h === height()}>
                {t('dashboards.rows', { count: h })}
              </option>
            )}
          </For>
        </select>
      </div>

      <Switch>
        <Match when={type() === 'chart'}>
          <div class="db-form-grid">
            <label for={id('metrics')}>{t('dashboards.field.metrics')}</label>
            <div>
              <input
                id={id('metrics')}
                value={metrics()}
                aria-describedby={id('metrics-help')}
                onInput={(e) => setMetrics(e.currentTarget.value)}
              />
              <small id={id('metrics-help')} class="muted">
                {t('dashboards.help.metrics')}
              </small>
            </div>
          </div>
          <EntityPicker
            kind="agent"
            id={id('agent')}
            label={t('dashboards.field.agent')}
            value={agent()}
            onChange={setAgent}
            emptyLabel={t('dashboards.agentByLabels')}
          />
          <div class="db-form-grid">
            <label for={id('agent-labels')}>{t('dashboards.field.agentLabels')}</label>
            <input
              id={id('agent-labels')}
              value={agentLabels()}
              placeholder="env=prod"
              disabled={agent() !== ''}
              onInput={(e) => setAgentLabels(e.currentTarget.value)}
            />
            <label for={id('series-label')}>{t('dashboards.field.seriesLabel')}</label>
            <input
              id={id('series-label')}
              value={seriesLabel()}
              placeholder="mount=/"
              onInput={(e) => setSeriesLabel(e.currentTarget.value)}
            />
            <label for={id('range')}>{t('dashboards.field.range')}</label>
            <select
              id={id('range')}
              value={range()}
              onChange={(e) => setRange(e.currentTarget.value as ChartRange)}
            >
              <For each={RANGES}>
                {(r) => (
                  <option value={r} selected={r === range()}>
                    {t(`dashboards.range.${r}`)}
                  </option>
                )}
              </For>
            </select>
            <label for={id('agg')}>{t('dashboards.field.agg')}</label>
            <select id={id('agg')} value={agg()} onChange={(e) => setAgg(e.currentTarget.value as Agg | '')}>
              <option value="" selected={agg() === ''}>
                {t('dashboards.agg.default')}
              </option>
              <For each={AGGS}>
                {(a) => (
                  <option value={a} selected={a === agg()}>
                    {t(`dashboards.agg.${a}`)}
                  </option>
                )}
              </For>
            </select>
          </div>
        </Match>
        <Match when={type() === 'status'}>
          <div class="db-form-grid">
            <label for={id('kind')}>{t('dashboards.field.kind')}</label>
            <select
              id={id('kind')}
              value={kind()}
              onChange={(e) => setKind(e.currentTarget.value as StatusKind)}
            >
              <For each={STATUS_KINDS}>
                {(k) => (
                  <option value={k} selected={k === kind()}>
                    {t(`dashboards.kind.${k}`)}
                  </option>
                )}
              </For>
            </select>
            <label for={id('labels')}>{t('dashboards.field.labels')}</label>
            <input
              id={id('labels')}
              value={labels()}
              placeholder="env=prod"
              onInput={(e) => setLabels(e.currentTarget.value)}
            />
            <label for={id('q')}>{t('dashboards.field.nameContains')}</label>
            <input id={id('q')} value={search()} onInput={(e) => setSearch(e.currentTarget.value)} />
          </div>
        </Match>
        <Match when={type() === 'incidents'}>
          <fieldset class="db-checks">
            <legend>{t('dashboards.field.statuses')}</legend>
            <For each={INCIDENT_STATUSES}>
              {(s) => (
                <label>
                  <input
                    type="checkbox"
                    checked={statuses().includes(s)}
                    onChange={() => setStatuses(toggle(statuses(), s))}
                  />{' '}
                  {t(`state.${s}`)}
                </label>
              )}
            </For>
          </fieldset>
          <fieldset class="db-checks">
            <legend>{t('dashboards.field.severities')}</legend>
            <For each={SEVERITIES}>
              {(s) => (
                <label>
                  <input
                    type="checkbox"
                    checked={severities().includes(s)}
                    onChange={() => setSeverities(toggle(severities(), s))}
                  />{' '}
                  {t(`incidents.severity.${s}`)}
                </label>
              )}
            </For>
          </fieldset>
          <div class="db-form-grid">
            <label for={id('limit')}>{t('dashboards.field.limit')}</label>
            <input
              id={id('limit')}
              type="number"
              min="1"
              max="50"
              value={limit()}
              onInput={(e) => setLimit(Number(e.currentTarget.value))}
            />
          </div>
        </Match>
      </Switch>

      <Show when={problems().length > 0}>
        <ul class="field-error db-problems" role="alert">
          <For each={problems()}>{(key) => <li>{t(key)}</li>}</For>
        </ul>
      </Show>
      <div class="toolbar">
        <button type="submit" class="button primary">
          {t(props.isNew ? 'dashboards.addWidget' : 'dashboards.applyWidget')}
        </button>
        <button type="button" class="button" onClick={() => props.onCancel()}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
