// Per-user dashboards: the list (own and shared with me) with a quick "create", and one dashboard's widgets
// on a 12-column grid (one column on phones), with an editor for its owner.
import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { api, unwrap } from '../../api/client';
import { can } from '../../api/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty, ErrorBanner, Loaded, PageHeader, SearchField } from '../../components/Feedback';
import { t } from '../../i18n';
import { formatRelative } from '../../lib/format';
import {
  blankWidget,
  HEIGHTS,
  MAX_WIDGETS,
  move,
  newWidgetId,
  removeAt,
  resize,
  upsert,
  WIDTHS,
  type Dashboard,
  type DashboardSummary,
  type Widget,
} from './model';
import { WidgetForm } from './WidgetForm';
import { ChartView, IncidentsView, StatusView } from './widgets';
import './dashboards.css';

export default function Dashboards() {
  const params = useParams<{ id?: string }>();
  return (
    <Show when={params.id} keyed fallback={<DashboardList />}>
      {(id) => <DashboardPage id={id} />}
    </Show>
  );
}

const ownerName = (d: Pick<DashboardSummary, 'owner'>) => d.owner.name || d.owner.email;

function DashboardList() {
  const navigate = useNavigate();
  const [q, setQ] = createSignal('');
  const [list, { refetch }] = createResource(q, (text) =>
    unwrap(api.GET('/api/v1/dashboards', { params: { query: { q: text.trim() || undefined, limit: 200 } } })),
  );
  const [name, setName] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();

  const create = async (event: Event) => {
    event.preventDefault();
    if (name().trim() === '') return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await unwrap(
        api.POST('/api/v1/dashboards', {
          body: { name: name().trim(), description: '', shared: false, widgets: [] },
        }),
      );
      navigate(`/dashboards/${created.id}?edit=1`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="db-page">
      <PageHeader title={t('dashboards.title')} />
      <Show when={can('dashboards:write')}>
        <form class="toolbar db-create" onSubmit={(e) => void create(e)}>
          <label for="db-new-name">{t('dashboards.newName')}</label>
          <input
            id="db-new-name"
            value={name()}
            maxLength={200}
            required
            placeholder={t('dashboards.newPlaceholder')}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit" class="button primary" disabled={busy() || name().trim() === ''}>
            {t('dashboards.create')}
          </button>
        </form>
        <Show when={error()}>{(err) => <ErrorBanner error={err()} />}</Show>
      </Show>
      <div class="toolbar">
        <SearchField
          id="db-search"
          label={t('action.search')}
          placeholder={t('dashboards.searchPlaceholder')}
          value={q()}
          onInput={setQ}
        />
      </div>
      <Loaded value={list.latest} error={list.error as unknown} onRetry={() => void refetch()}>
        {(page) => (
          <Show when={page().items.length > 0} fallback={<Empty>{t('dashboards.empty')}</Empty>}>
            <div class="table-wrap">
              <table class="db-list">
                <thead>
                  <tr>
                    <th scope="col">{t('common.name')}</th>
                    <th scope="col">{t('dashboards.owner')}</th>
                    <th scope="col">{t('dashboards.widgets')}</th>
                    <th scope="col">{t('dashboards.updated')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={page().items}>
                    {(d) => (
                      <tr data-dashboard={d.name}>
                        <td>
                          <A href={`/dashboards/${d.id}`}>{d.name}</A>{' '}
                          <Show when={d.shared}>
                            <span class="badge tone-info">
                              {t(d.mine ? 'dashboards.sharedBadge' : 'dashboards.sharedWithMe')}
                            </span>
                          </Show>
                        </td>
                        <td>{d.mine ? t('dashboards.me') : ownerName(d)}</td>
                        <td class="num">{d.widgetCount}</td>
                        <td class="muted">{formatRelative(d.updatedAt)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </Loaded>
    </div>
  );
}

function DashboardPage(props: { id: string }) {
  const navigate = useNavigate();
  const [dashboard, { mutate, refetch }] = createResource(
    () => props.id,
    (id) => unwrap(api.GET('/api/v1/dashboards/{id}', { params: { path: { id } } })),
  );
  const [editing, setEditing] = createSignal(false);
  const [draftName, setDraftName] = createSignal('');
  const [draftDescription, setDraftDescription] = createSignal('');
  const [draftShared, setDraftShared] = createSignal(false);
  const [draftWidgets, setDraftWidgets] = createSignal<Widget[]>([]);
  /** The widget being added or edited in the form; `isNew` when adding. */
  const [form, setForm] = createSignal<{ widget: Widget; isNew: boolean }>();
  const [saving, setSaving] = createSignal(false);
  const [saveError, setSaveError] = createSignal<unknown>();
  const [asking, setAsking] = createSignal(false);
  const [deleteError, setDeleteError] = createSignal<unknown>();

  const startEditing = (d: Dashboard) => {
    setDraftName(d.name);
    setDraftDescription(d.description);
    setDraftShared(d.shared);
    setDraftWidgets(d.widgets);
    setForm(undefined);
    setSaveError(undefined);
    setEditing(true);
  };
  // A fresh dashboard opens in the editor.
  const [search] = useSearchParams<{ edit?: string }>();
  const wantsEdit = search.edit === '1';
  let opened = false;
  const maybeOpenEditor = (d: Dashboard) => {
    if (opened) return;
    opened = true;
    if (wantsEdit && d.mine) startEditing(d);
  };

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const saved = await unwrap(
        api.PATCH('/api/v1/dashboards/{id}', {
          params: { path: { id: props.id } },
          body: {
            name: draftName().trim(),
            description: draftDescription().trim(),
            shared: draftShared(),
            widgets: draftWidgets(),
          },
        }),
      );
      mutate(saved);
      setEditing(false);
      setForm(undefined);
      navigate(`/dashboards/${props.id}`, { replace: true });
    } catch (err) {
      setSaveError(err);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    setDeleteError(undefined);
    try {
      await unwrap(api.DELETE('/api/v1/dashboards/{id}', { params: { path: { id: props.id } } }));
      setAsking(false);
      navigate('/dashboards');
    } catch (err) {
      setDeleteError(err);
    }
  };

  const widgets = (d: Dashboard) => (editing() ? draftWidgets() : d.widgets);

  return (
    <div class="db-page">
      <Loaded value={dashboard.latest} error={dashboard.error as unknown} onRetry={() => void refetch()}>
        {(d) => {
          maybeOpenEditor(d());
          return (
            <>
              <PageHeader title={editing() ? draftName() || d().name : d().name}>
                <A class="button" href="/dashboards">
                  {t('dashboards.back')}
                </A>
                <Show when={d().mine && !editing() && can('dashboards:write')}>
                  <button type="button" class="button primary" onClick={() => startEditing(d())}>
                    {t('action.edit')}
                  </button>
                </Show>
              </PageHeader>
              <Switch>
                <Match when={!d().mine}>
                  <p class="banner tone-info db-readonly" data-readonly>
                    {t('dashboards.readOnly', { owner: ownerName(d()) })}
                  </p>
                </Match>
                <Match when={d().shared && !editing()}>
                  <p class="muted">{t('dashboards.sharedNote')}</p>
                </Match>
              </Switch>
              <Show when={!editing() && d().description}>
                <p class="muted db-description">{d().description}</p>
              </Show>

              <Show when={editing()}>
                <section class="card db-editor" aria-label={t('dashboards.editor')}>
                  <div class="db-form-grid">
                    <label for="db-name">{t('common.name')}</label>
                    <input
                      id="db-name"
                      value={draftName()}
                      maxLength={200}
                      required
                      onInput={(e) => setDraftName(e.currentTarget.value)}
                    />
                    <label for="db-description">{t('dashboards.description')}</label>
                    <input
                      id="db-description"
                      value={draftDescription()}
                      maxLength={2000}
                      onInput={(e) => setDraftDescription(e.currentTarget.value)}
                    />
                  </div>
                  <label class="db-check">
                    <input
                      type="checkbox"
                      checked={draftShared()}
                      onChange={(e) => setDraftShared(e.currentTarget.checked)}
                    />{' '}
                    {t('dashboards.share')}
                  </label>
                  <div class="toolbar">
                    <button
                      type="button"
                      class="button"
                      disabled={draftWidgets().length >= MAX_WIDGETS || form() !== undefined}
                      onClick={() =>
                        setForm({ widget: blankWidget('chart', newWidgetId(draftWidgets())), isNew: true })
                      }
                    >
                      {t('dashboards.addWidget')}
                    </button>
                    <button
                      type="button"
                      class="button primary"
                      disabled={saving() || draftName().trim() === '' || form() !== undefined}
                      onClick={() => void save()}
                    >
                      {t('action.save')}
                    </button>
                    <button
                      type="button"
                      class="button"
                      onClick={() => {
                        setEditing(false);
                        setForm(undefined);
                      }}
                    >
                      {t('action.cancel')}
                    </button>
                    <button type="button" class="button danger" onClick={() => setAsking(true)}>
                      {t('dashboards.delete')}
                    </button>
                  </div>
                  <Show when={saveError()}>{(err) => <ErrorBanner error={err()} />}</Show>
                  <Show when={form()} keyed>
                    {(current) => (
                      <WidgetForm
                        widget={current.widget}
                        isNew={current.isNew}
                        onCancel={() => setForm(undefined)}
                        onApply={(widget) => {
                          setDraftWidgets(upsert(draftWidgets(), widget));
                          setForm(undefined);
                        }}
                      />
                    )}
                  </Show>
                </section>
              </Show>

              <Show
                when={widgets(d()).length > 0}
                fallback={
                  <Empty>{t(editing() ? 'dashboards.noWidgetsEditing' : 'dashboards.noWidgets')}</Empty>
                }
              >
                <div class="db-grid" classList={{ editing: editing() }}>
                  <For each={widgets(d())}>
                    {(widget, index) => (
                      <WidgetCard
                        widget={widget}
                        editing={editing()}
                        first={index() === 0}
                        last={index() === widgets(d()).length - 1}
                        onEdit={() => setForm({ widget, isNew: false })}
                        onMove={(by) => setDraftWidgets(move(draftWidgets(), index(), by))}
                        onResize={(size) => setDraftWidgets(resize(draftWidgets(), index(), size))}
                        onRemove={() => setDraftWidgets(removeAt(draftWidgets(), index()))}
                      />
                    )}
                  </For>
                </div>
              </Show>

              <ConfirmDialog
                open={asking()}
                title={t('dashboards.deleteTitle')}
                confirmLabel={t('action.delete')}
                danger
                onConfirm={() => void remove()}
                onCancel={() => setAsking(false)}
              >
                <p>{t('dashboards.deleteBody', { name: d().name })}</p>
                <Show when={deleteError()}>{(err) => <ErrorBanner error={err()} />}</Show>
              </ConfirmDialog>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}

const asChart = (w: Widget) => (w.type === 'chart' ? w : undefined);
const asStatus = (w: Widget) => (w.type === 'status' ? w : undefined);
const asIncidents = (w: Widget) => (w.type === 'incidents' ? w : undefined);

/** A widget's own title, or one made of what it shows. */
function widgetTitle(widget: Widget): string {
  if (widget.title) return widget.title;
  switch (widget.type) {
    case 'chart':
      return widget.query.metric.join(', ');
    case 'status':
      return t(`dashboards.kind.${widget.selector.kind}`);
    case 'incidents':
      return t('dashboards.type.incidents');
  }
}

function WidgetCard(props: {
  widget: Widget;
  editing: boolean;
  first: boolean;
  last: boolean;
  onEdit: () => void;
  onMove: (by: -1 | 1) => void;
  onResize: (size: { w?: number; h?: number }) => void;
  onRemove: () => void;
}) {
  const w = () => props.widget;
  const title = () => widgetTitle(w());
  const controlId = (name: string) => `db-${w().id}-${name}`;
  return (
    <section
      class="card db-widget"
      data-widget={w().id}
      data-type={w().type}
      aria-label={title()}
      style={{
        '--db-col': `${w().x + 1} / span ${w().w}`,
        '--db-row-place': `${w().y + 1} / span ${w().h}`,
        '--db-h': String(w().h),
      }}
    >
      <header class="db-widget-head">
        <h2 class="db-widget-title" title={title()}>
          {title()}
        </h2>
        <Show when={asChart(w())}>
          {(chart) => <span class="muted db-range">{t(`dashboards.range.${chart().query.range}`)}</span>}
        </Show>
      </header>
      <Show when={props.editing}>
        <div
          class="db-widget-controls"
          role="group"
          aria-label={t('dashboards.widgetControls', { title: title() })}
        >
          <button type="button" class="button small" onClick={() => props.onEdit()}>
            {t('action.edit')}
          </button>
          <button
            type="button"
            class="button small"
            disabled={props.first}
            aria-label={t('dashboards.moveUp')}
            title={t('dashboards.moveUp')}
            onClick={() => props.onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            class="button small"
            disabled={props.last}
            aria-label={t('dashboards.moveDown')}
            title={t('dashboards.moveDown')}
            onClick={() => props.onMove(1)}
          >
            ↓
          </button>
          <label class="sr-only" for={controlId('w')}>
            {t('dashboards.field.width')}
          </label>
          <select
            id={controlId('w')}
            value={String(w().w)}
            onChange={(e) => props.onResize({ w: Number(e.currentTarget.value) })}
          >
            <For each={WIDTHS}>
              {(value) => (
                <option value={String(value)} selected={value === w().w}>
                  {t('dashboards.columns', { count: value })}
                </option>
              )}
            </For>
          </select>
          <label class="sr-only" for={controlId('h')}>
            {t('dashboards.field.height')}
          </label>
          <select
            id={controlId('h')}
            value={String(w().h)}
            onChange={(e) => props.onResize({ h: Number(e.currentTarget.value) })}
          >
            <For each={HEIGHTS}>
              {(value) => (
                <option value={String(value)} selected={value === w().h}>
                  {t('dashboards.rows', { count: value })}
                </option>
              )}
            </For>
          </select>
          <button type="button" class="button small danger" onClick={() => props.onRemove()}>
            {t('dashboards.removeWidget')}
          </button>
        </div>
      </Show>
      <div class="db-widget-body">
        <Switch>
          <Match when={asChart(w())}>{(chart) => <ChartView widget={chart()} />}</Match>
          <Match when={asStatus(w())}>{(status) => <StatusView widget={status()} />}</Match>
          <Match when={asIncidents(w())}>{(incidents) => <IncidentsView widget={incidents()} />}</Match>
        </Switch>
      </div>
    </section>
  );
}
