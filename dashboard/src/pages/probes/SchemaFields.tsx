// Inputs for generated fields (see schema-form.ts): one control per JSON Schema kind, with the label, the
// schema's description as help, and the field's error right below it.
import { For, Match, Show, Switch } from 'solid-js';
import { firstMessage, t } from '../../i18n';
import { humanize } from '../../components/schema-form/json-schema';
import type { Field, FieldError, FormValues } from './schema-form';

/** A text written for the field's path (`config.name`), else for its key (`name`), else its key made readable. */
export function fieldLabel(field: Field): string {
  return (
    firstMessage(`probes.field.${field.path}`, `probes.field.${field.key}`) ??
    field.schema.title ??
    humanize(field.key)
  );
}

export function fieldHelp(field: Field): string | undefined {
  return firstMessage(`probes.help.${field.path}`, `probes.help.${field.key}`) ?? field.schema.description;
}

/** A client-side check's message in the current language. */
export function describeError(error: FieldError): string {
  return t(`probes.form.error.${error.code}`, error.limit === undefined ? {} : { limit: error.limit });
}

export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

export interface SchemaFieldsProps {
  fields: readonly Field[];
  values: FormValues;
  errors: Readonly<Record<string, string>>;
  onChange: (path: string, value: string | boolean) => void;
  idPrefix: string;
  /** A note shown on a field instead of its help (e.g. "a value is stored" on a secret). */
  note?: (field: Field) => string | undefined;
}

export function SchemaFields(props: SchemaFieldsProps) {
  return (
    <For each={props.fields}>
      {(field) => (
        <Show when={field.kind === 'object'} fallback={<FieldInput field={field} {...props} />}>
          <fieldset class="pf-group" data-field={field.path}>
            <legend>{fieldLabel(field)}</legend>
            <Show when={props.errors[field.path]}>
              <p class="field-error" role="alert">
                {props.errors[field.path]}
              </p>
            </Show>
            <SchemaFields {...props} fields={field.children ?? []} />
          </fieldset>
        </Show>
      )}
    </For>
  );
}

function FieldInput(props: SchemaFieldsProps & { field: Field }) {
  const id = () => fieldId(props.idPrefix, props.field.path);
  const error = () => props.errors[props.field.path];
  const help = () => props.note?.(props.field) ?? fieldHelp(props.field);
  const text = () => {
    const value = props.values[props.field.path];
    return typeof value === 'string' ? value : '';
  };
  const describedBy = () => [error() ? `${id()}-error` : '', help() ? `${id()}-help` : ''].join(' ').trim();
  const common = () => ({
    id: id(),
    name: props.field.path,
    'aria-invalid': error() ? ('true' as const) : undefined,
    'aria-describedby': describedBy() || undefined,
    'aria-required': props.field.required ? ('true' as const) : undefined,
  });
  const set = (value: string | boolean) => props.onChange(props.field.path, value);
  const schema = () => props.field.schema;

  return (
    <div class="pf-field" data-field={props.field.path} classList={{ 'pf-invalid': !!error() }}>
      <Show
        when={props.field.kind !== 'boolean'}
        fallback={
          <label class="pf-check" for={id()}>
            <input
              type="checkbox"
              {...common()}
              checked={props.values[props.field.path] === true}
              onChange={(e) => set(e.currentTarget.checked)}
            />
            {fieldLabel(props.field)}
          </label>
        }
      >
        <label for={id()} class="pf-label">
          {fieldLabel(props.field)}
          <Show when={props.field.required}>
            <span class="pf-required" title={t('probes.form.required')}>
              {' *'}
            </span>
          </Show>
        </label>
        <Switch
          fallback={
            <input
              type={schema().format === 'uri' ? 'url' : 'text'}
              {...common()}
              value={text()}
              placeholder={props.field.kind === 'json' ? t('probes.form.jsonPlaceholder') : ''}
              onInput={(e) => set(e.currentTarget.value)}
            />
          }
        >
          <Match when={props.field.kind === 'secret'}>
            <input
              type="password"
              autocomplete="new-password"
              {...common()}
              value={text()}
              onInput={(e) => set(e.currentTarget.value)}
            />
          </Match>
          <Match when={props.field.kind === 'integer' || props.field.kind === 'number'}>
            <input
              type="number"
              inputmode={props.field.kind === 'integer' ? 'numeric' : 'decimal'}
              step={props.field.kind === 'integer' ? '1' : 'any'}
              min={schema().minimum}
              max={schema().maximum}
              {...common()}
              value={text()}
              onInput={(e) => set(e.currentTarget.value)}
            />
          </Match>
          <Match when={props.field.kind === 'enum'}>
            <select {...common()} value={text()} onChange={(e) => set(e.currentTarget.value)}>
              <Show when={!props.field.required || schema().default === undefined}>
                <option value="" selected={text() === ''}>
                  {props.field.required ? t('probes.form.choose') : '–'}
                </option>
              </Show>
              {/* `selected` per option: the select's own value would be set before its options exist. */}
              <For each={props.field.options ?? []}>
                {(option) => (
                  <option value={option} selected={option === text()}>
                    {option}
                  </option>
                )}
              </For>
            </select>
          </Match>
          <Match
            when={
              props.field.kind === 'multiline' || props.field.kind === 'list' || props.field.kind === 'map'
            }
          >
            <textarea
              rows={props.field.kind === 'multiline' ? 4 : 3}
              {...common()}
              value={text()}
              placeholder={
                props.field.kind === 'map'
                  ? t('probes.form.mapPlaceholder')
                  : props.field.kind === 'list'
                    ? t('probes.form.listPlaceholder')
                    : ''
              }
              onInput={(e) => set(e.currentTarget.value)}
            />
          </Match>
        </Switch>
      </Show>
      <Show when={error()}>
        <p class="field-error" id={`${id()}-error`} role="alert">
          {error()}
        </p>
      </Show>
      <Show when={help()}>
        <p class="pf-help muted" id={`${id()}-help`}>
          {help()}
        </p>
      </Show>
    </div>
  );
}
