// Incidents, newest first: by status (tabs, `?status=`), severity and text; live on the `alerts` topic, so
// new incidents and changes of state appear without a reload. Pages of 100 keep thousands of resolved
// incidents cheap.
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { api, unwrap } from '../../api/client';
import { Empty, ErrorBanner, Loading, PageHeader, SearchField } from '../../components/Feedback';
import { StatusBadge } from '../../components/StatusBadge';
import { t } from '../../i18n';
import { formatDateTime, formatDuration, formatNumber } from '../../lib/format';
import { createLiveResource } from '../../lib/live';
import {
  ago,
  openSeconds,
  parseSeverity,
  parseStatus,
  SEVERITIES,
  STATUSES,
  subjectHref,
  subjectLabel,
  type Incident,
} from './incident-model';
import { SeverityBadge } from './SeverityBadge';
import './incidents.css';

const PAGE = 100;

export default function Incidents() {
  const [params, setParams] = useSearchParams<{ status?: string; severity?: string; q?: string }>();
  const status = () => parseStatus(params.status);
  const severity = () => parseSeverity(params.severity);
  const q = () => (typeof params.q === 'string' ? params.q : '');
  const [offset, setOffset] = createSignal(0);
  const [search, setSearch] = createSignal(q());
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 10_000);
  let typing: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => {
    clearInterval(clock);
    clearTimeout(typing);
  });

  const [incidents, { refetch }] = createLiveResource(
    () =>
      unwrap(
        api.GET('/api/v1/incidents', {
          params: {
            query: {
              status: status(),
              severity: severity(),
              q: q().trim() || undefined,
              limit: PAGE,
              offset: offset(),
            },
          },
        }),
      ),
    { topics: () => ['alerts'] },
  );
  // How many need attention, for the tabs; re-read with the list.
  const [counts] = createLiveResource(
    async () => {
      const total = async (s: 'open' | 'acknowledged') =>
        (await unwrap(api.GET('/api/v1/incidents', { params: { query: { status: s, limit: 1 } } }))).total;
      const [open, acknowledged] = await Promise.all([total('open'), total('acknowledged')]);
      const result: Record<string, number> = { open, acknowledged };
      return result;
    },
    { topics: () => ['alerts'] },
  );
  // Back and forward change the query string: the search box follows (but not while it waits to apply).
  createEffect(
    on(
      q,
      (value) => {
        if (value !== search().trim()) setSearch(value);
      },
      { defer: true },
    ),
  );
  // Incidents that arrive while the page is open are marked (ids seen so far; nothing on the first read).
  const seen = new Set<string>();
  let first = true;
  const [fresh, setFresh] = createSignal<ReadonlySet<string>>(new Set());
  // Another filter starts at the first page; any change of filter or page reads again.
  createEffect(on([status, severity, q], () => setOffset(0), { defer: true }));
  createEffect(
    on(
      [status, severity, q, offset],
      () => {
        // Rows another filter shows are not news.
        first = true;
        refetch();
      },
      { defer: true },
    ),
  );

  // Rows keep their elements across re-reads (matched by id): only what changed is redrawn.
  const [rows, setRows] = createStore<Incident[]>([]);
  createEffect(() => setRows(reconcile(incidents.latest?.items ?? [], { key: 'id' })));

  createEffect(() => {
    const page = incidents.latest;
    if (!page) return;
    setNow(Date.now());
    const arrived = page.items.filter((i) => !seen.has(i.id)).map((i) => i.id);
    for (const id of arrived) seen.add(id);
    if (!first && arrived.length > 0) setFresh((before) => new Set([...before, ...arrived]));
    first = false;
  });

  const tabHref = (value: string | undefined) => {
    const query = new URLSearchParams();
    if (value) query.set('status', value);
    if (severity()) query.set('severity', severity() ?? '');
    if (q()) query.set('q', q());
    const text = query.toString();
    return `/incidents${text ? `?${text}` : ''}`;
  };
  const filtered = () => status() !== undefined || severity() !== undefined || q() !== '';

  return (
    <>
      <PageHeader title={t('nav.incidents')} />
      <nav class="tabs" aria-label={t('incidents.filter.status')}>
        <For each={[undefined, ...STATUSES]}>
          {(value) => (
            <A
              href={tabHref(value)}
              classList={{ active: status() === value }}
              aria-current={status() === value ? 'page' : undefined}
            >
              {value ? t(`state.${value}`) : t('common.all')}
              <Show when={value && value !== 'resolved' && counts.latest?.[value]}>
                {(count) => <span class="badge tone-bad tab-count">{formatNumber(count())}</span>}
              </Show>
            </A>
          )}
        </For>
      </nav>
      <div class="toolbar">
        <SearchField
          id="incident-search"
          label={t('action.search')}
          placeholder={t('incidents.search')}
          value={search()}
          onInput={(value) => {
            setSearch(value);
            clearTimeout(typing);
            typing = setTimeout(() => {
              setParams({ q: value.trim() || undefined }, { replace: true });
            }, 300);
          }}
        />
        <label class="sr-only" for="incident-severity">
          {t('incidents.column.severity')}
        </label>
        <select
          id="incident-severity"
          value={severity() ?? ''}
          onChange={(e) => setParams({ severity: e.currentTarget.value || undefined }, { replace: true })}
        >
          <option value="">{t('incidents.filter.anySeverity')}</option>
          <For each={SEVERITIES}>
            {(value) => (
              <option value={value} selected={severity() === value}>
                {t(`incidents.severity.${value}`)}
              </option>
            )}
          </For>
        </select>
      </div>
      <Switch>
        <Match when={incidents.error !== undefined}>
          <ErrorBanner error={incidents.error as unknown} onRetry={refetch} />
        </Match>
        <Match when={!incidents.latest}>
          <Loading />
        </Match>
        <Match when={incidents.latest?.total === 0}>
          <Empty>{filtered() ? t('incidents.emptyFiltered') : t('incidents.empty')}</Empty>
        </Match>
        <Match when={incidents.latest}>
          {(page) => (
            <>
              <div class="table-wrap">
                <table class="incident-table">
                  <thead>
                    <tr>
                      <th>{t('incidents.column.severity')}</th>
                      <th>{t('incidents.column.title')}</th>
                      <th>{t('incidents.column.subject')}</th>
                      <th>{t('incidents.column.opened')}</th>
                      <th>{t('incidents.column.duration')}</th>
                      <th>{t('incidents.column.assignee')}</th>
                      <th>{t('common.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows}>
                      {(incident) => (
                        <tr
                          data-incident={incident.id}
                          data-status={incident.status}
                          classList={{ fresh: fresh().has(incident.id) }}
                        >
                          <td>
                            <SeverityBadge severity={incident.severity} />
                          </td>
                          <td class="incident-title">
                            <A href={`/incidents/${incident.id}`}>{incident.title}</A>
                            <small class="muted">{incident.ruleName}</small>
                          </td>
                          <td>
                            <Show
                              when={subjectHref(incident.target)}
                              fallback={subjectLabel(incident.target, incident.subject)}
                            >
                              {(href) => (
                                <A href={href()}>{subjectLabel(incident.target, incident.subject)}</A>
                              )}
                            </Show>
                          </td>
                          <td title={formatDateTime(incident.openedAt)}>{ago(incident.openedAt, now())}</td>
                          <td>{formatDuration(openSeconds(incident, now()))}</td>
                          <td>{incident.assigneeName ?? '–'}</td>
                          <td>
                            <StatusBadge state={incident.status} />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={page().total > PAGE}>
                <div class="toolbar pager">
                  <button
                    type="button"
                    class="button small"
                    disabled={offset() === 0}
                    onClick={() => setOffset(Math.max(0, offset() - PAGE))}
                  >
                    {t('incidents.page.previous')}
                  </button>
                  <span class="muted">
                    {t('incidents.page.range', {
                      from: formatNumber(offset() + 1),
                      to: formatNumber(Math.min(page().total, offset() + PAGE)),
                      total: formatNumber(page().total),
                    })}
                  </span>
                  <button
                    type="button"
                    class="button small"
                    disabled={offset() + PAGE >= page().total}
                    onClick={() => setOffset(offset() + PAGE)}
                  >
                    {t('incidents.page.next')}
                  </button>
                </div>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </>
  );
}
