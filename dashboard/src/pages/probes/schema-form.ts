// The probe form is generated, not written per type: the server's OpenAPI document carries the create
// schema (a union of one JSON Schema per probe type, discriminated on `type`), and this module turns a
// JSON Schema into fields, initial values, client-side checks and the request body. A new probe type or
// config field on the server appears in the form without a dashboard change.

import { bodyVariants, isRecord, type JsonSchema } from '../../components/schema-form/json-schema';

export type { JsonSchema };

export type FieldKind =
  | 'text'
  | 'multiline'
  | 'secret'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'list'
  | 'map'
  | 'json'
  | 'object';

export interface Field {
  /** Dotted path from the body's root, e.g. `config.url`. */
  path: string;
  key: string;
  kind: FieldKind;
  required: boolean;
  schema: JsonSchema;
  /** The choices of an `enum` field. */
  options?: string[];
  /** The fields of an `object`. */
  children?: Field[];
}

/** Text inputs keep what was typed (so "12a" can be pointed out), switches are booleans. */
export type FormValues = Record<string, string | boolean>;

export interface FieldError {
  code:
    | 'required'
    | 'integer'
    | 'number'
    | 'min'
    | 'max'
    | 'minLength'
    | 'maxLength'
    | 'pattern'
    | 'format'
    | 'enum'
    | 'map';
  limit?: number | string;
}

/** Strings longer than this get a multi-line input (request bodies, SQL queries). */
const MULTILINE_ABOVE = 1024;

export interface ProbeTypeSchema {
  type: string;
  /** The whole create body for this type: common fields, placement, `type` and `config`. */
  schema: JsonSchema;
}

/**
 * The probe types and their create schemas, from the body of `POST /api/v1/probes` in the OpenAPI
 * document: a `oneOf` whose members fix `type` with `const`.
 */
export function probeTypesFromDocument(doc: unknown): ProbeTypeSchema[] {
  return [...bodyVariants(doc, '/api/v1/probes', 'post', 'type')].flatMap(([type, schema]) =>
    schema.properties?.config ? [{ type, schema }] : [],
  );
}

function types(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

function kindOf(schema: JsonSchema): FieldKind {
  const all = types(schema);
  if (all.length > 1) return 'json';
  const [type] = all;
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) return 'enum';
  switch (type) {
    case 'object':
      if (schema.properties) return 'object';
      return isRecord(schema.additionalProperties) && types(schema.additionalProperties).includes('string')
        ? 'map'
        : 'json';
    case 'array':
      return schema.items && types(schema.items).includes('string') ? 'list' : 'json';
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'string':
      if (schema.writeOnly) return 'secret';
      return (schema.maxLength ?? 0) > MULTILINE_ABOVE ? 'multiline' : 'text';
    default:
      return 'json';
  }
}

/** The fields of an object schema, in the schema's order, leaving out `skip` (paths). */
export function fieldsOf(schema: JsonSchema, skip: readonly string[] = [], prefix = ''): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([key, property]): Field[] => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (skip.includes(path) || property.const !== undefined) return [];
    const kind = kindOf(property);
    const field: Field = { path, key, kind, required: required.has(key), schema: property };
    if (kind === 'enum') field.options = (property.enum ?? []).map(String);
    if (kind === 'object') field.children = fieldsOf(property, skip, path);
    return [field];
  });
}

/** Every field with a value of its own (objects are walked into). */
export function leaves(fields: readonly Field[]): Field[] {
  return fields.flatMap((f) => (f.kind === 'object' ? leaves(f.children ?? []) : [f]));
}

function at(data: unknown, path: string): unknown {
  let value = data;
  for (const part of path.split('.')) value = isRecord(value) ? value[part] : undefined;
  return value;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `name: value` lines; `=` works as the separator too (labels are usually written key=value). */
const MAP_LINE = /^\s*([^:=]+?)\s*[:=]\s?(.*)$/;

/** Form values from existing data (editing) or the schema's defaults (creating). */
export function initialValues(fields: readonly Field[], data?: unknown): FormValues {
  const values: FormValues = {};
  for (const field of leaves(fields)) {
    const given = at(data, field.path);
    const value = given === undefined ? field.schema.default : given;
    switch (field.kind) {
      case 'boolean':
        values[field.path] = value === true;
        break;
      case 'list':
        values[field.path] = Array.isArray(value) ? value.map(String).join('\n') : '';
        break;
      case 'map':
        values[field.path] = isRecord(value)
          ? Object.entries(value)
              .map(([k, v]) => `${k}: ${String(v)}`)
              .join('\n')
          : '';
        break;
      case 'json':
        // A string that would read back as something else (true, 12) is shown quoted.
        values[field.path] =
          value === undefined
            ? ''
            : typeof value === 'string' && !parsesAsJson(value)
              ? value
              : JSON.stringify(value);
        break;
      default:
        values[field.path] =
          typeof value === 'string' || typeof value === 'number'
            ? String(value)
            : value == null
              ? ''
              : JSON.stringify(value);
    }
  }
  return values;
}

function mapEntries(text: string): [string, string][] | undefined {
  const entries: [string, string][] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = MAP_LINE.exec(line);
    if (!match?.[1]) return undefined;
    entries.push([match[1], match[2] ?? '']);
  }
  return entries;
}

function listItems(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function isEmpty(field: Field, value: string | boolean | undefined): boolean {
  if (field.kind === 'boolean') return false;
  if (typeof value !== 'string') return true;
  return field.kind === 'list' || field.kind === 'map' ? value.trim() === '' : value === '';
}

function checkNumber(schema: JsonSchema, n: number): FieldError | undefined {
  if (schema.minimum !== undefined && n < schema.minimum) return { code: 'min', limit: schema.minimum };
  if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum)
    return { code: 'min', limit: schema.exclusiveMinimum + (types(schema).includes('integer') ? 1 : 0) };
  if (schema.maximum !== undefined && n > schema.maximum) return { code: 'max', limit: schema.maximum };
  if (schema.exclusiveMaximum !== undefined && n >= schema.exclusiveMaximum)
    return { code: 'max', limit: schema.exclusiveMaximum };
  return undefined;
}

function checkText(schema: JsonSchema, text: string): FieldError | undefined {
  const length = Array.from(text).length;
  if (schema.minLength !== undefined && length < schema.minLength)
    return { code: 'minLength', limit: schema.minLength };
  if (schema.maxLength !== undefined && length > schema.maxLength)
    return { code: 'maxLength', limit: schema.maxLength };
  if (schema.pattern !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern);
    } catch {
      pattern = undefined; // A pattern this browser cannot read is left to the server.
    }
    if (pattern && !pattern.test(text)) return { code: 'pattern', limit: schema.pattern };
  }
  if (schema.format === 'uri') {
    try {
      new URL(text);
    } catch {
      return { code: 'format', limit: 'uri' };
    }
  }
  return undefined;
}

function checkField(field: Field, value: string | boolean | undefined): FieldError | undefined {
  if (isEmpty(field, value)) return field.required ? { code: 'required' } : undefined;
  if (typeof value !== 'string') return undefined;
  switch (field.kind) {
    case 'integer':
      if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(Number(value))) return { code: 'integer' };
      return checkNumber(field.schema, Number(value));
    case 'number':
      if (value.trim() === '' || !Number.isFinite(Number(value))) return { code: 'number' };
      return checkNumber(field.schema, Number(value));
    case 'enum':
      return field.options?.includes(value) ? undefined : { code: 'enum' };
    case 'map':
      return mapEntries(value) ? undefined : { code: 'map' };
    case 'text':
    case 'multiline':
    case 'secret':
      return checkText(field.schema, value);
    default:
      return undefined;
  }
}

/** What the schema itself says about the values; the server checks the rest (and everything again). */
export function validate(fields: readonly Field[], values: FormValues): Record<string, FieldError> {
  const errors: Record<string, FieldError> = {};
  for (const field of leaves(fields)) {
    const error = checkField(field, values[field.path]);
    if (error) errors[field.path] = error;
  }
  return errors;
}

function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The value a field contributes to the body; undefined leaves it out (the server's default applies). */
function bodyValue(field: Field, value: string | boolean | undefined): unknown {
  if (field.kind === 'boolean') return value === true;
  if (typeof value !== 'string' || isEmpty(field, value)) return undefined;
  switch (field.kind) {
    case 'integer':
    case 'number':
      return Number(value);
    case 'list':
      return listItems(value);
    case 'map':
      return Object.fromEntries(mapEntries(value) ?? []);
    case 'json':
      return jsonValue(value);
    default:
      return value;
  }
}

/** The request body of these fields; objects are always present so required ones are never missing. */
export function toBody(fields: readonly Field[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value =
      field.kind === 'object' ? toBody(field.children ?? [], values) : bodyValue(field, values[field.path]);
    if (value !== undefined) body[field.key] = value;
  }
  return body;
}

/**
 * The server's validation details (`[{path: 'body.config.url', message}]`) per field: a path deeper than
 * any field (a header's name) goes to the nearest field above it; what fits no field is `other`.
 */
export function serverErrors(
  details: unknown,
  known: ReadonlySet<string>,
): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  if (!Array.isArray(details)) return { fields, other };
  for (const detail of details) {
    if (!isRecord(detail) || typeof detail.message !== 'string') continue;
    const raw = typeof detail.path === 'string' ? detail.path : '';
    let path = raw.replace(/^body\.?/, '');
    while (path && !known.has(path)) path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
    if (path) fields[path] ??= detail.message;
    else
      other.push(raw && raw !== 'body' ? `${raw.replace(/^body\./, '')}: ${detail.message}` : detail.message);
  }
  return { fields, other };
}

/** Every path a form shows, objects included (server errors may name a whole object). */
export function allPaths(fields: readonly Field[]): Set<string> {
  const paths = new Set<string>();
  const walk = (list: readonly Field[]) => {
    for (const f of list) {
      paths.add(f.path);
      if (f.children) walk(f.children);
    }
  };
  walk(fields);
  return paths;
}
