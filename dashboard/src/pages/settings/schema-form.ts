// The channel and rule forms' fields from JSON Schema (the document is read by components/schema-form):
// flat field specs with id pickers and key/value rows, form state in and request values out, server errors
// back onto fields. Pure.

import { isRecord, textOf, type JsonSchema } from '../../components/schema-form/json-schema';

export type { JsonSchema };

export type FieldKind =
  | 'text' // a string (uri, pattern… checked by the server)
  | 'secret' // a writeOnly string: a password input, never filled from the server
  | 'number'
  | 'integer'
  | 'boolean'
  | 'select' // a string enum
  | 'list' // an array of strings, one per line
  | 'map' // an object of string values: key/value rows
  | 'id' // one uuid (a picker chosen by the page)
  | 'ids'; // an array of uuids (a multi-picker chosen by the page)

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** writeOnly: never shown back; empty keeps the stored value. */
  secret: boolean;
  options: string[];
  default?: unknown;
  description?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

/** What an input holds: text for most kinds, a flag, chosen ids, or key/value rows. */
export type FormValue = string | boolean | string[] | [string, string][];
export type FormState = Record<string, FormValue>;

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  // `anyOf: [string, integer]` (a Telegram chat id): a text input, the server reads either.
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.some((o) => typeOf(o) === 'string')) return 'string';
  return options?.map(typeOf).find((t) => t !== undefined);
}

function kindOf(schema: JsonSchema): FieldKind {
  const type = typeOf(schema);
  if (schema.enum?.every((v) => typeof v === 'string')) return 'select';
  if (type === 'boolean') return 'boolean';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'array') return schema.items?.format === 'uuid' ? 'ids' : 'list';
  if (type === 'object') return 'map';
  if (schema.format === 'uuid') return 'id';
  return schema.writeOnly ? 'secret' : 'text';
}

/** One field per property, in the schema's order; `omit` leaves out fields a page renders itself. */
export function fieldsOf(schema: JsonSchema, omit: readonly string[] = []): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name, property]) => !omit.includes(name) && property.const === undefined)
    .map(([name, property]) => {
      const spec: FieldSpec = {
        name,
        kind: kindOf(property),
        required: required.has(name) && property.default === undefined,
        secret: property.writeOnly === true,
        options: (property.enum ?? []).map(String),
      };
      if (property.default !== undefined) spec.default = property.default;
      if (property.description) spec.description = property.description;
      if (property.format) spec.format = property.format;
      if (property.minimum !== undefined) spec.minimum = property.minimum;
      if (property.maximum !== undefined) spec.maximum = property.maximum;
      return spec;
    });
}

/** The form's starting state from stored values; secrets always start empty (the API never returns them). */
export function initialState(
  fields: readonly FieldSpec[],
  values: Readonly<Record<string, unknown>>,
): FormState {
  const state: FormState = {};
  for (const field of fields) {
    const value = field.secret ? undefined : values[field.name];
    switch (field.kind) {
      case 'boolean':
        state[field.name] = typeof value === 'boolean' ? value : field.default === true;
        break;
      case 'ids':
        state[field.name] = Array.isArray(value) ? value.map(String) : [];
        break;
      case 'list':
        state[field.name] = Array.isArray(value) ? value.map(String).join('\n') : '';
        break;
      case 'map':
        state[field.name] = isRecord(value)
          ? Object.entries(value).map(([k, v]): [string, string] => [k, String(v)])
          : [];
        break;
      default:
        state[field.name] = textOf(value);
    }
  }
  return state;
}

export interface Collected {
  values: Record<string, unknown>;
  /** Field name → message key (settings.error.*) for what the browser can tell before sending. */
  errors: Record<string, string>;
}

/**
 * Request values from the form. An empty input means "not given" (the server's default applies, a stored
 * secret stays); a flag is sent when it was stored before or differs from its default.
 */
export function collect(
  fields: readonly FieldSpec[],
  state: Readonly<FormState>,
  options: { stored?: Readonly<Record<string, unknown>>; secretsSet?: readonly string[] } = {},
): Collected {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const stored = options.stored ?? {};
  const kept = new Set(options.secretsSet ?? []);
  for (const field of fields) {
    const raw = state[field.name];
    const missing = () => {
      if (field.required && !(field.secret && kept.has(field.name)))
        errors[field.name] = 'settings.error.required';
    };
    switch (field.kind) {
      case 'boolean': {
        const on = raw === true;
        if (field.name in stored || on !== (field.default === true)) values[field.name] = on;
        break;
      }
      case 'ids': {
        const ids = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
        if (ids.length > 0) values[field.name] = ids;
        else missing();
        break;
      }
      case 'list': {
        const items = (typeof raw === 'string' ? raw : '')
          .split(/[\n,]/)
          .map((s) => s.trim())
          .filter((s) => s !== '');
        if (items.length > 0) values[field.name] = items;
        else missing();
        break;
      }
      case 'map': {
        const rows = (Array.isArray(raw) ? raw : []).filter(
          (row): row is [string, string] => Array.isArray(row) && row[0].trim() !== '',
        );
        const keys = rows.map(([k]) => k.trim());
        if (new Set(keys).size !== keys.length) errors[field.name] = 'settings.error.duplicateKey';
        if (rows.length > 0) values[field.name] = Object.fromEntries(rows.map(([k, v]) => [k.trim(), v]));
        else missing();
        break;
      }
      case 'number':
      case 'integer': {
        const text = typeof raw === 'string' ? raw.trim() : '';
        if (text === '') {
          missing();
          break;
        }
        const number = Number(text);
        if (!Number.isFinite(number) || (field.kind === 'integer' && !Number.isInteger(number))) {
          errors[field.name] = field.kind === 'integer' ? 'settings.error.integer' : 'settings.error.number';
        } else if (
          (field.minimum !== undefined && number < field.minimum) ||
          (field.maximum !== undefined && number > field.maximum)
        ) {
          errors[field.name] = 'settings.error.range';
        } else values[field.name] = number;
        break;
      }
      default: {
        // Secrets are sent as typed (a space may be part of a password); other text is trimmed.
        const text = typeof raw === 'string' ? (field.secret ? raw : raw.trim()) : '';
        if (text !== '') values[field.name] = text;
        else missing();
      }
    }
  }
  return { values, errors };
}

/**
 * The server's validation details on the form's fields: `body.config.url` → `url` for prefix
 * `body.config`; `body.channelIds.1` → `channelIds`. Details elsewhere come back under ''.
 */
export function serverErrors(details: unknown, prefix: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Array.isArray(details)) return errors;
  for (const detail of details) {
    if (!isRecord(detail) || typeof detail.message !== 'string') continue;
    const path = typeof detail.path === 'string' ? detail.path : '';
    const rest =
      path === prefix ? '' : path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : undefined;
    const field = rest === undefined ? '' : (rest.split('.')[0] ?? '');
    errors[field] = errors[field] ? `${errors[field]}; ${detail.message}` : detail.message;
  }
  return errors;
}
