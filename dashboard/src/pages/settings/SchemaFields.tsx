// Inputs for the fields of a JSON Schema (see schema-form.ts). Pages supply pickers for ids through
// `custom`; everything else (text, secrets, numbers, flags, choices, lists, key/value maps) is generic.
import { For, Index, Match, Show, Switch, type JSX } from 'solid-js';
import { firstMessage, t } from '../../i18n';
import { formatDuration } from '../../lib/format';
import { humanize, textOf } from '../../components/schema-form/json-schema';
import { FieldError } from '../../components/Feedback';
import type { FieldSpec, FormState, FormValue } from './schema-form';

/** The field's name in the current language; a field no message knows gets a readable form of its name. */
export function fieldLabel(name: string): string {
  return firstMessage(`settings.field.${name}`) ?? humanize(name);
}

/** A choice's name in the current language where a message names it (severities), else the value. */
function optionLabel(field: string, value: string): string {
  return firstMessage(`settings.option.${field}.${value}`) ?? value;
}

/** A hint for the field: for its channel type or rule kind, else for its name, else the schema's words. */
function fieldHint(field: FieldSpec, scope: string | undefined): string | undefined {
  const keys = [`settings.hint.${field.name}`];
  if (scope) keys.unshift(`settings.hint.${scope}.${field.name}`);
  return firstMessage(...keys) ?? field.description;
}

export interface SchemaFieldsProps {
  fields: readonly FieldSpec[];
  state: FormState;
  onChange: (name: string, value: FormValue) => void;
  /** Field name → message (already in the user's language or the server's words). */
  errors: Readonly<Record<string, string>>;
  /** Secret fields with a stored value: empty keeps it. */
  secretsSet?: readonly string[];
  /** A page's own inputs by field name (id pickers); other fields get the generic one. */
  custom?: Readonly<Record<string, (field: FieldSpec, describedBy: string) => JSX.Element>>;
  idPrefix: string;
  /** The channel type or rule kind, for hints that depend on it. */
  scope?: string;
  disabled?: boolean;
}

export function SchemaFields(props: SchemaFieldsProps) {
  return (
    <For each={props.fields}>
      {(field) => {
        const id = `${props.idPrefix}-${field.name}`;
        const describedBy = `${id}-help`;
        const text = () => {
          const value = props.state[field.name];
          return typeof value === 'string' ? value : '';
        };
        const stored = () => field.secret && (props.secretsSet ?? []).includes(field.name);
        const hint = () => {
          if (stored()) return t('settings.secret.kept');
          const given = fieldHint(field, props.scope);
          // A description that only repeats the label says nothing.
          const base = given === fieldLabel(field.name) ? undefined : given;
          // Seconds are easier to check as a duration.
          if (field.kind === 'integer' && field.name.endsWith('S') && /^\d+$/.test(text().trim())) {
            const duration = formatDuration(Number(text()));
            return base ? `${base} (${duration})` : duration;
          }
          return base;
        };
        const label = () => `${fieldLabel(field.name)}${field.required ? ' *' : ''}`;
        const help = (
          <>
            <Show when={hint()}>
              <small class="muted" id={describedBy}>
                {hint()}
              </small>
            </Show>
            <FieldError message={props.errors[field.name]} />
          </>
        );
        return (
          <Switch
            fallback={
              <div class="field">
                <label for={id}>{label()}</label>
                <Switch
                  fallback={
                    <input
                      id={id}
                      type={field.secret ? 'password' : 'text'}
                      inputMode={field.format === 'uri' ? 'url' : undefined}
                      autocomplete={field.secret ? 'new-password' : 'off'}
                      value={text()}
                      placeholder={textOf(field.default)}
                      aria-invalid={props.errors[field.name] ? true : undefined}
                      aria-describedby={describedBy}
                      disabled={props.disabled}
                      onInput={(e) => props.onChange(field.name, e.currentTarget.value)}
                    />
                  }
                >
                  <Match when={field.kind === 'number' || field.kind === 'integer'}>
                    <input
                      id={id}
                      type="number"
                      step={field.kind === 'integer' ? 1 : 'any'}
                      min={field.minimum}
                      max={field.maximum}
                      value={text()}
                      placeholder={textOf(field.default)}
                      aria-invalid={props.errors[field.name] ? true : undefined}
                      aria-describedby={describedBy}
                      disabled={props.disabled}
                      onInput={(e) => props.onChange(field.name, e.currentTarget.value)}
                    />
                  </Match>
                  <Match when={field.kind === 'select'}>
                    <select
                      id={id}
                      value={text()}
                      aria-describedby={describedBy}
                      disabled={props.disabled}
                      onChange={(e) => props.onChange(field.name, e.currentTarget.value)}
                    >
                      <option value="" selected={text() === ''}>
                        {field.required
                          ? t('settings.picker.choose')
                          : field.default === undefined
                            ? t('settings.form.none')
                            : t('settings.form.default', {
                                value: optionLabel(field.name, textOf(field.default)),
                              })}
                      </option>
                      <For each={field.options}>
                        {(option) => (
                          <option value={option} selected={option === text()}>
                            {optionLabel(field.name, option)}
                          </option>
                        )}
                      </For>
                    </select>
                  </Match>
                  <Match when={field.kind === 'list'}>
                    <textarea
                      id={id}
                      rows={3}
                      value={text()}
                      placeholder={t('settings.form.onePerLine')}
                      aria-invalid={props.errors[field.name] ? true : undefined}
                      aria-describedby={describedBy}
                      disabled={props.disabled}
                      onInput={(e) => props.onChange(field.name, e.currentTarget.value)}
                    />
                  </Match>
                </Switch>
                {help}
              </div>
            }
          >
            <Match when={props.custom?.[field.name]}>
              {(render) => (
                <div class="field">
                  {render()(field, describedBy)}
                  {help}
                </div>
              )}
            </Match>
            <Match when={field.kind === 'boolean'}>
              <div class="field">
                <label class="checkbox" for={id}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={props.state[field.name] === true}
                    aria-describedby={describedBy}
                    disabled={props.disabled}
                    onChange={(e) => props.onChange(field.name, e.currentTarget.checked)}
                  />
                  {fieldLabel(field.name)}
                </label>
                {help}
              </div>
            </Match>
            <Match when={field.kind === 'map'}>
              <fieldset class="field map-field" aria-describedby={describedBy}>
                <legend>{label()}</legend>
                <MapEditor
                  name={field.name}
                  rows={mapRows(props.state[field.name])}
                  disabled={props.disabled ?? false}
                  onChange={(rows) => props.onChange(field.name, rows)}
                />
                {help}
              </fieldset>
            </Match>
          </Switch>
        );
      }}
    </For>
  );
}

function mapRows(value: FormValue | undefined): [string, string][] {
  return Array.isArray(value) ? value.filter((row): row is [string, string] => Array.isArray(row)) : [];
}

/** Key/value rows (labels, headers): add, edit, remove. */
export function MapEditor(props: {
  name: string;
  rows: [string, string][];
  disabled: boolean;
  onChange: (rows: [string, string][]) => void;
}) {
  const update = (index: number, part: 0 | 1, text: string) =>
    props.onChange(
      props.rows.map((row, i): [string, string] =>
        i !== index ? row : part === 0 ? [text, row[1]] : [row[0], text],
      ),
    );
  return (
    <div class="map-editor">
      <Index each={props.rows}>
        {(row, index) => (
          <div class="map-row">
            <input
              type="text"
              aria-label={t('settings.form.key', { field: fieldLabel(props.name), n: index + 1 })}
              placeholder={t('settings.form.keyPlaceholder')}
              value={row()[0]}
              disabled={props.disabled}
              onInput={(e) => update(index, 0, e.currentTarget.value)}
            />
            <input
              type="text"
              aria-label={t('settings.form.value', { field: fieldLabel(props.name), n: index + 1 })}
              placeholder={t('settings.form.valuePlaceholder')}
              value={row()[1]}
              disabled={props.disabled}
              onInput={(e) => update(index, 1, e.currentTarget.value)}
            />
            <button
              type="button"
              class="button small"
              aria-label={t('settings.form.removeRow', { n: index + 1 })}
              disabled={props.disabled}
              onClick={() => props.onChange(props.rows.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
        )}
      </Index>
      <div>
        <button
          type="button"
          class="button small"
          disabled={props.disabled}
          onClick={() => props.onChange([...props.rows, ['', '']])}
        >
          {t('settings.form.addRow')}
        </button>
      </div>
    </div>
  );
}
