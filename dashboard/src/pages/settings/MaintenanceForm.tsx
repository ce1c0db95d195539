// Creating or changing a maintenance window: what it silences (one agent, probe, container, or agents by
// labels) and when (once, from … to, in local time; or recurring by a UTC cron expression).
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, ApiError, unwrap } from '../../api/client';
import type { paths } from '../../api/schema.gen';
import { ErrorBanner, FieldError } from '../../components/Feedback';
import { t } from '../../i18n';
import { translateErrors } from './ChannelForm';
import { createNameLookup, type EntityKind } from './entities';
import { EntityPicker } from './EntityPicker';
import {
  formOf,
  windowBody,
  withoutNulls,
  type MaintenanceWindow,
  type ScopeKind,
  type WindowForm,
} from './maintenance-model';
import { MapEditor } from './SchemaFields';
import { serverErrors } from './schema-form';

type CreateBody = paths['/api/v1/maintenance-windows']['post']['requestBody']['content']['application/json'];

const SCOPES: readonly ScopeKind[] = ['agent', 'probe', 'container', 'labels'];

export function MaintenanceForm(props: {
  window?: MaintenanceWindow;
  onDone: (saved?: MaintenanceWindow) => void;
}) {
  const [form, setForm] = createStore<WindowForm>(formOf(props.window, Date.now()));
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [failure, setFailure] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const names = createNameLookup();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const { body, errors: problems } = windowBody(form);
    setErrors(translateErrors(problems));
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const saved = props.window
        ? await unwrap(
            api.PATCH('/api/v1/maintenance-windows/{id}', {
              params: { path: { id: props.window.id } },
              body,
            }),
          )
        : await unwrap(api.POST('/api/v1/maintenance-windows', { body: withoutNulls(body) as CreateBody }));
      props.onDone(saved);
    } catch (err) {
      if (err instanceof ApiError) {
        const { '': _rest, ...fieldErrors } = serverErrors(err.details, 'body');
        setErrors(fieldErrors);
      }
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const error = (field: string) => <FieldError message={errors()[field]} />;
  // The picker is made anew for another kind of entity.
  const entityScope = (): EntityKind | undefined => (form.scope === 'labels' ? undefined : form.scope);
  const scopeKey = () =>
    ({ agent: 'agentId', probe: 'probeId', container: 'containerId', labels: 'labels' })[form.scope];

  return (
    <section class="card" aria-labelledby="window-form-title">
      <h2 id="window-form-title">
        {props.window
          ? t('settings.maintenance.editTitle', { name: props.window.name })
          : t('settings.maintenance.newTitle')}
      </h2>
      <form class="form" onSubmit={(e) => void submit(e)} novalidate>
        <div class="field">
          <label for="window-name">{t('common.name')} *</label>
          <input
            id="window-name"
            type="text"
            value={form.name}
            disabled={busy()}
            onInput={(e) => setForm('name', e.currentTarget.value)}
          />
          {error('name')}
        </div>
        <div class="field">
          <label for="window-reason">{t('settings.maintenance.reason')}</label>
          <textarea
            id="window-reason"
            rows={2}
            value={form.reason}
            disabled={busy()}
            onInput={(e) => setForm('reason', e.currentTarget.value)}
          />
          {error('reason')}
        </div>
        <fieldset class="form-section">
          <legend>{t('settings.maintenance.scope')}</legend>
          <div class="field">
            <label for="window-scope">{t('settings.maintenance.scopeKind')}</label>
            <select
              id="window-scope"
              value={form.scope}
              disabled={busy()}
              onChange={(e) => {
                setForm({ scope: e.currentTarget.value as ScopeKind, targetId: '' });
              }}
            >
              <For each={SCOPES}>
                {(scope) => (
                  <option value={scope} selected={scope === form.scope}>
                    {t(`settings.maintenance.scope.${scope}`)}
                  </option>
                )}
              </For>
            </select>
          </div>
          <Switch>
            <Match when={form.scope === 'labels'}>
              <fieldset class="form-section">
                <legend>{t('settings.field.labels')} *</legend>
                <MapEditor
                  name="labels"
                  rows={form.labels}
                  disabled={busy()}
                  onChange={(rows) => setForm('labels', rows)}
                />
                {error('labels')}
              </fieldset>
            </Match>
            <Match when={entityScope()} keyed>
              {(kind) => (
                <div class="field">
                  <EntityPicker
                    kind={kind}
                    id="window-target"
                    label={t(`settings.maintenance.scope.${kind}`)}
                    required
                    value={form.targetId}
                    valueName={form.targetId ? names.nameOf(kind, form.targetId) : undefined}
                    emptyLabel={t('settings.picker.choose')}
                    disabled={busy()}
                    onChange={(id) => setForm('targetId', id)}
                  />
                  {error(scopeKey())}
                </div>
              )}
            </Match>
          </Switch>
        </fieldset>
        <fieldset class="form-section">
          <legend>{t('settings.maintenance.when')}</legend>
          <div class="choice-list" role="radiogroup" aria-label={t('settings.maintenance.when')}>
            <label class="checkbox">
              <input
                type="radio"
                name="window-schedule"
                checked={!form.recurring}
                disabled={busy()}
                onChange={() => {
                  // A one-off window needs both times: start from the next hour's worth.
                  const fresh = formOf(undefined, Date.now());
                  setForm({
                    recurring: false,
                    startsAt: form.startsAt || fresh.startsAt,
                    endsAt: form.endsAt || fresh.endsAt,
                  });
                }}
              />
              {t('settings.maintenance.once')}
            </label>
            <label class="checkbox">
              <input
                type="radio"
                name="window-schedule"
                checked={form.recurring}
                disabled={busy()}
                onChange={() => {
                  // The one-off times would bound the series to an hour: a new series starts unbounded.
                  setForm(
                    props.window?.cron ? { recurring: true } : { recurring: true, startsAt: '', endsAt: '' },
                  );
                }}
              />
              {t('settings.maintenance.recurring')}
            </label>
          </div>
          <Show when={form.recurring}>
            <div class="field">
              <label for="window-cron">{t('settings.maintenance.cron')} *</label>
              <input
                id="window-cron"
                type="text"
                value={form.cron}
                placeholder="0 2 * * 0"
                aria-describedby="window-cron-help"
                disabled={busy()}
                onInput={(e) => setForm('cron', e.currentTarget.value)}
              />
              <small class="muted" id="window-cron-help">
                {t('settings.maintenance.cronHint')}
              </small>
              {error('cron')}
            </div>
            <div class="field">
              <label for="window-duration">{t('settings.maintenance.durationMin')} *</label>
              <input
                id="window-duration"
                type="number"
                min={1}
                step={1}
                value={form.durationMin}
                disabled={busy()}
                onInput={(e) => setForm('durationMin', e.currentTarget.value)}
              />
              {error('durationS')}
            </div>
          </Show>
          <div class="form-actions">
            <div class="field">
              <label for="window-starts">
                {form.recurring ? t('settings.maintenance.notBefore') : `${t('range.from')} *`}
              </label>
              <input
                id="window-starts"
                type="datetime-local"
                value={form.startsAt}
                disabled={busy()}
                onInput={(e) => setForm('startsAt', e.currentTarget.value)}
              />
              {error('startsAt')}
            </div>
            <div class="field">
              <label for="window-ends">
                {form.recurring ? t('settings.maintenance.notAfter') : `${t('range.to')} *`}
              </label>
              <input
                id="window-ends"
                type="datetime-local"
                value={form.endsAt}
                disabled={busy()}
                onInput={(e) => setForm('endsAt', e.currentTarget.value)}
              />
              {error('endsAt')}
            </div>
          </div>
          <small class="muted">{t('settings.maintenance.localTime')}</small>
        </fieldset>
        <Show when={failure()}>{(err) => <ErrorBanner error={err()} />}</Show>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy()}>
            {busy() ? t('settings.form.saving') : t('action.save')}
          </button>
          <button type="button" class="button" disabled={busy()} onClick={() => props.onDone()}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
