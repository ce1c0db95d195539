// Creating or changing a notification channel. The type's fields come from its config schema in the
// OpenAPI document; secret fields are password inputs that start empty (the API never returns secrets),
// and an empty secret keeps the stored one.
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { api, ApiError, unwrap } from '../../api/client';
import type { components, paths } from '../../api/schema.gen';
import { ErrorBanner, FieldError, Loading } from '../../components/Feedback';
import { t } from '../../i18n';
import { bodyVariants, type JsonSchema } from '../../components/schema-form/json-schema';
import { openApiDocument } from '../../components/schema-form/openapi';
import { SchemaFields } from './SchemaFields';
import { collect, fieldsOf, initialState, serverErrors, type FormState, type FormValue } from './schema-form';

export type Channel = components['schemas']['NotificationChannel'];
type CreateBody =
  paths['/api/v1/notification-channels']['post']['requestBody']['content']['application/json'];

/** Message keys from collect() become text; the server's own messages stay as they are. */
export function translateErrors(errors: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => [
      field,
      message.startsWith('settings.error.') ? t(message) : message,
    ]),
  );
}

export function ChannelForm(props: { channel?: Channel; onDone: (saved?: Channel) => void }) {
  const [doc] = createResource(openApiDocument);
  const variants = createMemo(() => {
    const loaded = doc();
    return loaded === undefined
      ? new Map<string, JsonSchema>()
      : bodyVariants(loaded, '/api/v1/notification-channels', 'post', 'type');
  });
  const [type, setType] = createSignal<string>(props.channel?.type ?? '');
  const currentType = () => type() || ([...variants().keys()][0] ?? '');
  const configSchema = () => variants().get(currentType())?.properties?.config;
  const fields = createMemo(() => {
    const schema = configSchema();
    return schema ? fieldsOf(schema) : [];
  });
  const [name, setName] = createSignal(props.channel?.name ?? '');
  const [enabled, setEnabled] = createSignal(props.channel?.enabled ?? true);
  const [state, setState] = createStore<FormState>({});
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [failure, setFailure] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const stored = () => (props.channel && props.channel.type === currentType() ? props.channel.config : {});
  const secretsSet = () => (props.channel?.type === currentType() ? props.channel.secretsSet : []);

  // A new type starts from its own empty form.
  createEffect(on(fields, (list) => setState(reconcile(initialState(list, stored())))));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const collected = collect(fields(), state, { stored: stored(), secretsSet: secretsSet() });
    const problems: Record<string, string> = { ...collected.errors };
    if (name().trim() === '') problems.name = 'settings.error.required';
    setErrors(translateErrors(problems));
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const saved = props.channel
        ? await unwrap(
            api.PATCH('/api/v1/notification-channels/{id}', {
              params: { path: { id: props.channel.id } },
              body: { name: name().trim(), enabled: enabled(), config: collected.values },
            }),
          )
        : await unwrap(
            api.POST('/api/v1/notification-channels', {
              body: {
                name: name().trim(),
                type: currentType(),
                enabled: enabled(),
                config: collected.values,
              } as CreateBody,
            }),
          );
      props.onDone(saved);
    } catch (err) {
      if (err instanceof ApiError) {
        const fromConfig = serverErrors(err.details, 'body.config');
        const fromBody = serverErrors(err.details, 'body');
        const { '': _rest, ...fieldErrors } = fromConfig;
        setErrors({ ...fieldErrors, ...(fromBody.name ? { name: fromBody.name } : {}) });
      }
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="channel-form-title">
      <h2 id="channel-form-title">
        {props.channel
          ? t('settings.channels.editTitle', { name: props.channel.name })
          : t('settings.channels.newTitle')}
      </h2>
      <Show when={doc.error === undefined} fallback={<ErrorBanner error={doc.error as unknown} />}>
        <Show when={!doc.loading} fallback={<Loading />}>
          <form class="form" onSubmit={(e) => void submit(e)} novalidate>
            <div class="field">
              <label for="channel-name">{t('common.name')} *</label>
              <input
                id="channel-name"
                type="text"
                value={name()}
                aria-invalid={errors().name ? true : undefined}
                onInput={(e) => setName(e.currentTarget.value)}
              />
              <FieldError message={errors().name} />
            </div>
            <div class="field">
              <label for="channel-type">{t('settings.channels.type')}</label>
              <select
                id="channel-type"
                value={currentType()}
                disabled={props.channel !== undefined}
                onChange={(e) => {
                  setType(e.currentTarget.value);
                  setErrors({});
                }}
              >
                <For each={[...variants().entries()]}>
                  {([value, schema]) => (
                    <option value={value} selected={value === currentType()}>
                      {schema.properties?.config?.title ?? value}
                    </option>
                  )}
                </For>
              </select>
            </div>
            <fieldset class="form-section">
              <legend>{t('settings.channels.settings')}</legend>
              <SchemaFields
                fields={fields()}
                state={state}
                onChange={(field: string, value: FormValue) => setState(field, value)}
                errors={errors()}
                secretsSet={secretsSet()}
                idPrefix="channel"
                scope={currentType()}
                disabled={busy()}
              />
            </fieldset>
            <label class="checkbox" for="channel-enabled">
              <input
                id="channel-enabled"
                type="checkbox"
                checked={enabled()}
                onChange={(e) => setEnabled(e.currentTarget.checked)}
              />
              {t('settings.field.enabled')}
            </label>
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
