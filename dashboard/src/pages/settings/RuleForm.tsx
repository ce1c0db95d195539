// Creating or changing an alert rule. The kinds and their parameters come from the rule schemas in the
// OpenAPI document; agents and probes are chosen by name, channels from the list.
import { createEffect, createMemo, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { api, ApiError, unwrap } from '../../api/client';
import type { paths } from '../../api/schema.gen';
import { ErrorBanner, Loading } from '../../components/Feedback';
import { t } from '../../i18n';
import { bodyVariants, type JsonSchema } from '../../components/schema-form/json-schema';
import { openApiDocument } from '../../components/schema-form/openapi';
import { translateErrors } from './ChannelForm';
import { createNameLookup } from './entities';
import { EntityPicker } from './EntityPicker';
import { groupFields, kindHint, kindLabel, rulePatch, type Rule } from './rule-model';
import { fieldLabel, SchemaFields } from './SchemaFields';
import {
  collect,
  fieldsOf,
  initialState,
  serverErrors,
  type FieldSpec,
  type FormState,
  type FormValue,
} from './schema-form';

type CreateBody = paths['/api/v1/alert-rules']['post']['requestBody']['content']['application/json'];

export function RuleForm(props: { rule?: Rule; onDone: (saved?: Rule) => void }) {
  const [doc] = createResource(openApiDocument);
  const [channels] = createResource(() =>
    unwrap(api.GET('/api/v1/notification-channels', { params: { query: { limit: 1000 } } })),
  );
  const names = createNameLookup();
  const variants = createMemo(() => {
    const loaded = doc();
    return loaded === undefined
      ? new Map<string, JsonSchema>()
      : bodyVariants(loaded, '/api/v1/alert-rules', 'post', 'kind');
  });
  const [kind, setKind] = createSignal<string>(props.rule?.kind ?? '');
  const currentKind = () => kind() || ([...variants().keys()][0] ?? '');
  const fields = createMemo(() => {
    const schema = variants().get(currentKind());
    return schema ? fieldsOf(schema, ['kind']) : [];
  });
  const groups = createMemo(() => groupFields(fields()));
  const [state, setState] = createStore<FormState>({});
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [failure, setFailure] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const stored = (): Record<string, unknown> => props.rule ?? {};

  // Another kind keeps what its fields share with the last one (name, severity, channels…).
  createEffect(
    on(fields, (list) => {
      const previous: FormState = { ...state };
      const fresh = initialState(list, stored());
      for (const field of list) {
        const value = previous[field.name];
        if (value !== undefined) fresh[field.name] = value;
      }
      setState(reconcile(fresh));
    }),
  );

  const text = (name: string) => {
    const value = state[name];
    return typeof value === 'string' ? value : '';
  };
  const picker =
    (entity: 'agent' | 'probe') =>
    (field: FieldSpec, describedBy: string): JSX.Element => (
      <EntityPicker
        kind={entity}
        id={`rule-${field.name}`}
        label={fieldLabel(field.name)}
        value={text(field.name)}
        valueName={text(field.name) ? names.nameOf(entity, text(field.name)) : undefined}
        describedBy={describedBy}
        disabled={busy()}
        onChange={(id) => setState(field.name, id)}
      />
    );
  const chosenChannels = () => {
    const value = state.channelIds;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  };
  const custom = {
    agentId: picker('agent'),
    probeId: picker('probe'),
    channelIds: (field: FieldSpec, describedBy: string): JSX.Element => (
      <fieldset class="form-section" aria-describedby={describedBy}>
        <legend>{fieldLabel(field.name)}</legend>
        <Show
          when={(channels.latest?.items.length ?? 0) > 0}
          fallback={<small class="muted">{t('settings.rules.noChannels')}</small>}
        >
          <div class="choice-list">
            <For each={channels.latest?.items ?? []}>
              {(channel) => (
                <label class="checkbox">
                  <input
                    type="checkbox"
                    checked={chosenChannels().includes(channel.id)}
                    disabled={busy()}
                    onChange={(e) => {
                      const others = chosenChannels().filter((id) => id !== channel.id);
                      setState('channelIds', e.currentTarget.checked ? [...others, channel.id] : others);
                    }}
                  />
                  {channel.name} <small class="muted">({channel.type})</small>
                </label>
              )}
            </For>
          </div>
        </Show>
      </fieldset>
    ),
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const collected = collect(fields(), state, { stored: stored() });
    setErrors(translateErrors(collected.errors));
    if (Object.keys(collected.errors).length > 0) return;
    setBusy(true);
    try {
      const saved = props.rule
        ? await unwrap(
            api.PATCH('/api/v1/alert-rules/{id}', {
              params: { path: { id: props.rule.id } },
              body: rulePatch(currentKind(), fields(), collected.values),
            }),
          )
        : await unwrap(
            api.POST('/api/v1/alert-rules', {
              body: { kind: currentKind(), ...collected.values } as CreateBody,
            }),
          );
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

  const section = (legend: string, list: readonly FieldSpec[]) => (
    <fieldset class="form-section">
      <legend>{legend}</legend>
      <SchemaFields
        fields={list}
        state={state}
        onChange={(name: string, value: FormValue) => setState(name, value)}
        errors={errors()}
        custom={custom}
        idPrefix="rule"
        scope={currentKind()}
        disabled={busy()}
      />
    </fieldset>
  );

  return (
    <section class="card" aria-labelledby="rule-form-title">
      <h2 id="rule-form-title">
        {props.rule ? t('settings.rules.editTitle', { name: props.rule.name }) : t('settings.rules.newTitle')}
      </h2>
      <Show when={doc.error === undefined} fallback={<ErrorBanner error={doc.error as unknown} />}>
        <Show when={!doc.loading} fallback={<Loading />}>
          <form class="form" onSubmit={(e) => void submit(e)} novalidate>
            <div class="field">
              <label for="rule-kind">{t('settings.rules.kind')}</label>
              <select
                id="rule-kind"
                value={currentKind()}
                disabled={busy()}
                onChange={(e) => {
                  setKind(e.currentTarget.value);
                  setErrors({});
                }}
              >
                <For each={[...variants().keys()]}>
                  {(value) => (
                    <option value={value} selected={value === currentKind()}>
                      {kindLabel(value)}
                    </option>
                  )}
                </For>
              </select>
              <Show when={kindHint(currentKind())}>{(hint) => <small class="muted">{hint()}</small>}</Show>
            </div>
            {section(t('settings.rules.general'), groups().general)}
            {section(t('settings.rules.condition'), groups().condition)}
            {section(t('settings.rules.notifications'), groups().notify)}
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
        </Show>
      </Show>
    </section>
  );
}
