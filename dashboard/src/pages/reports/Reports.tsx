// Uptime/SLA reports: a range (presets or custom), a grouping (probe, agent, agent label), the table of
// availability, downtime, maintenance, incidents, MTTR and latency p95 with totals, and the same report as
// a CSV download or a printable page (both fetched through the signed-in client).
import { createResource, createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { saveBlob } from '../../lib/download';
import type { components } from '../../api/schema.gen';
import { Empty, ErrorBanner, FieldError, FilterChip, Loading, PageHeader } from '../../components/Feedback';
import { locale, t } from '../../i18n';
import { formatDateTime, formatDuration, formatMs, formatNumber } from '../../lib/format';
import {
  availabilityTone,
  csvFileName,
  fromLocalInput,
  GROUPS,
  PRESETS,
  presetRange,
  toLocalInput,
  type Group,
  type Preset,
  type Range,
} from './model';
import './reports.css';

type Report = components['schemas']['UptimeReport'];
type Item = components['schemas']['UptimeReportItem'];
type Figures = Report['totals'] | Item;

interface ReportRequest extends Range {
  group: Group;
  label?: string;
}

const PATH = '/api/v1/reports/uptime';

function queryOf(request: ReportRequest) {
  return {
    from: request.from,
    to: request.to,
    group: request.group,
    ...(request.group === 'label' ? { label: request.label } : {}),
  };
}

export default function Reports(): JSX.Element {
  const initial = presetRange('30d');
  const [preset, setPreset] = createSignal<Preset>('30d');
  const [customFrom, setCustomFrom] = createSignal(toLocalInput(initial.from));
  const [customTo, setCustomTo] = createSignal(toLocalInput(initial.to));
  const [group, setGroup] = createSignal<Group>('probe');
  const [labelKey, setLabelKey] = createSignal('');
  const [threshold, setThreshold] = createSignal(99.9);
  const [problem, setProblem] = createSignal<string | undefined>();
  const [exportError, setExportError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [request, setRequest] = createSignal<ReportRequest>({ ...initial, group: 'probe' });

  const [report, { refetch }] = createResource(request, (r): Promise<Report> =>
    unwrap(api.GET(PATH, { params: { query: queryOf(r) } })),
  );

  /** Builds the request from the controls; a fixed preset counts back from now. */
  const run = (next: Preset = preset()) => {
    setPreset(next);
    setProblem(undefined);
    let range: Range;
    if (next === 'custom') {
      const from = fromLocalInput(customFrom());
      const to = fromLocalInput(customTo());
      if (!from || !to || Date.parse(from) >= Date.parse(to)) {
        setProblem(t('reports.customInvalid'));
        return;
      }
      range = { from, to };
    } else {
      range = presetRange(next);
    }
    const key = labelKey().trim();
    if (group() === 'label' && key === '') {
      setProblem(t('reports.labelKeyMissing'));
      return;
    }
    setRequest({ ...range, group: group(), ...(group() === 'label' ? { label: key } : {}) });
  };

  const exportAs = async (kind: 'csv' | 'html') => {
    setExportError(undefined);
    setBusy(true);
    // Opened now, while the click still counts as the user's: a window opened after the fetch is blocked.
    const target = kind === 'html' ? window.open('', '_blank') : null;
    try {
      const r = request();
      const headers = { Accept: kind === 'csv' ? 'text/csv' : 'text/html', 'Accept-Language': locale() };
      const text = await unwrap<string>(
        api.GET(PATH, { params: { query: queryOf(r) }, headers, parseAs: 'text' }),
      );
      const blob = new Blob([text], {
        type: kind === 'csv' ? 'text/csv;charset=utf-8' : 'text/html;charset=utf-8',
      });
      if (kind === 'csv') {
        saveBlob(blob, csvFileName(r.group, r));
      } else {
        const url = URL.createObjectURL(blob);
        if (target) target.location.href = url;
        else window.open(url, '_blank');
        // The new document holds its own reference by then.
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    } catch (err) {
      target?.close();
      setExportError(err);
    } finally {
      setBusy(false);
    }
  };

  const itemName = (item: Item) =>
    report.latest?.group === 'label' && item.key === ''
      ? `${report.latest.label ?? ''} ${t('reports.noLabel')}`
      : item.name;
  const minutes = (value: number) => t('reports.minutes', { value: formatNumber(value, 1) });
  const availability = (value: number | null) => (
    <span
      class={`tone-${availabilityTone(value, threshold())}`}
      data-tone={availabilityTone(value, threshold())}
    >
      {value === null ? '–' : `${formatNumber(value, 3)} %`}
    </span>
  );
  const figureCells = (x: Figures, withProbes: boolean) => (
    <>
      <Show when={withProbes}>
        <td class="num">{formatNumber(x.probeCount ?? 0)}</td>
      </Show>
      <td class="num" data-col="availability">
        {availability(x.availabilityPct)}
      </td>
      <td class="num">{formatNumber(x.checks)}</td>
      <td class="num">{formatNumber(x.downChecks)}</td>
      <td class="num" data-col="downtime">
        {minutes(x.downtimeMinutes)}
      </td>
      <td class="num">{minutes(x.maintenanceMinutes)}</td>
      <td class="num">{formatNumber(x.incidents)}</td>
      <td class="num">{x.mttrS === null ? '–' : formatDuration(x.mttrS)}</td>
      <td class="num">{formatMs(x.latencyP95Ms)}</td>
    </>
  );

  return (
    <>
      <PageHeader title={t('reports.title')}>
        <button
          type="button"
          class="button"
          disabled={busy() || !report.latest}
          onClick={() => void exportAs('csv')}
        >
          {t('reports.downloadCsv')}
        </button>
        <button
          type="button"
          class="button"
          disabled={busy() || !report.latest}
          onClick={() => void exportAs('html')}
        >
          {t('reports.printable')}
        </button>
      </PageHeader>
      <form
        class="report-controls"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <div class="toolbar" role="group" aria-label={t('reports.range')}>
          <For each={PRESETS}>
            {(p) => (
              <FilterChip
                active={preset() === p}
                onClick={() => (p === 'custom' ? setPreset('custom') : run(p))}
              >
                {t(`reports.preset.${p}`)}
              </FilterChip>
            )}
          </For>
        </div>
        <div class="toolbar">
          <Show when={preset() === 'custom'}>
            <label>
              {t('reports.from')}{' '}
              <input
                type="datetime-local"
                name="from"
                value={customFrom()}
                onInput={(e) => setCustomFrom(e.currentTarget.value)}
              />
            </label>
            <label>
              {t('reports.to')}{' '}
              <input
                type="datetime-local"
                name="to"
                value={customTo()}
                onInput={(e) => setCustomTo(e.currentTarget.value)}
              />
            </label>
          </Show>
          <label>
            {t('reports.group')}{' '}
            <select name="group" value={group()} onChange={(e) => setGroup(e.currentTarget.value as Group)}>
              <For each={GROUPS}>
                {(g) => (
                  <option value={g} selected={group() === g}>
                    {t(`reports.group.${g}`)}
                  </option>
                )}
              </For>
            </select>
          </label>
          <Show when={group() === 'label'}>
            <label>
              {t('reports.labelKey')}{' '}
              <input
                name="label"
                value={labelKey()}
                placeholder={t('reports.labelKeyPlaceholder')}
                onInput={(e) => setLabelKey(e.currentTarget.value)}
              />
            </label>
          </Show>
          <label>
            {t('reports.threshold')}{' '}
            <input
              name="threshold"
              type="number"
              min="0"
              max="100"
              step="0.001"
              class="report-threshold"
              value={threshold()}
              onInput={(e) => {
                const value = Number(e.currentTarget.value);
                if (Number.isFinite(value)) setThreshold(value);
              }}
            />
          </label>
          <button type="submit" class="button primary">
            {t('reports.run')}
          </button>
        </div>
        <FieldError message={problem()} />
      </form>
      <Show when={exportError()}>{(err) => <ErrorBanner error={err()} />}</Show>
      <Switch>
        <Match when={report.error !== undefined}>
          <ErrorBanner error={report.error as unknown} onRetry={() => void refetch()} />
        </Match>
        <Match when={!report.latest || report.loading}>
          <Loading />
        </Match>
        <Match when={report.latest}>
          {(r) => (
            <section class="report" data-group={r().group}>
              <p class="muted">
                {t('reports.covering', { from: formatDateTime(r().from), to: formatDateTime(r().to) })}
              </p>
              <Show when={r().items.length > 0} fallback={<Empty>{t('reports.empty')}</Empty>}>
                <div class="table-wrap">
                  <table class="report-table">
                    <thead>
                      <tr>
                        <th>{t('reports.column.name')}</th>
                        <Show when={r().group !== 'probe'}>
                          <th class="num">{t('reports.column.probes')}</th>
                        </Show>
                        <th class="num">{t('reports.column.availability')}</th>
                        <th class="num">{t('reports.column.checks')}</th>
                        <th class="num">{t('reports.column.downChecks')}</th>
                        <th class="num">{t('reports.column.downtime')}</th>
                        <th class="num">{t('reports.column.maintenance')}</th>
                        <th class="num">{t('reports.column.incidents')}</th>
                        <th class="num">{t('reports.column.mttr')}</th>
                        <th class="num">{t('reports.column.p95')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={r().items}>
                        {(item) => (
                          <tr data-key={item.key}>
                            <td>{itemName(item)}</td>
                            {figureCells(item, r().group !== 'probe')}
                          </tr>
                        )}
                      </For>
                    </tbody>
                    <tfoot>
                      <tr data-key="totals">
                        <td>{t('reports.totals')}</td>
                        {figureCells(r().totals, r().group !== 'probe')}
                      </tr>
                    </tfoot>
                  </table>
                </div>
              </Show>
              <p class="muted report-note">
                {t('reports.note')} {t(`reports.source.${r().totals.latencyP95Source}`)}
              </p>
            </section>
          )}
        </Match>
      </Switch>
    </>
  );
}
