// What every generated form shares: the subset of JSON Schema the forms understand, reading the request
// bodies of the server's OpenAPI document (its `$ref`s followed), and readable names for fields no message
// names. The server's document holds the schema of every probe type, channel type and alert rule kind, so
// a new one gets its form without dashboard code. Pure; the document itself is loaded by openapi.ts.

/** The subset of JSON Schema (draft 2020-12, as zod writes it) the forms understand. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  writeOnly?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows `#/components/schemas/…` references of the document, recursively (cycles stop at depth 20). */
export function dereference(doc: unknown, schema: unknown, depth = 0): JsonSchema | undefined {
  if (!isRecord(schema) || depth > 20) return undefined;
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    const components = isRecord(doc) && isRecord(doc.components) ? doc.components.schemas : undefined;
    return name && isRecord(components) ? dereference(doc, components[name], depth + 1) : undefined;
  }
  const out: JsonSchema = { ...(schema as JsonSchema) };
  if (isRecord(schema.properties)) {
    out.properties = {};
    for (const [key, value] of Object.entries(schema.properties)) {
      const resolved = dereference(doc, value, depth + 1);
      if (resolved) out.properties[key] = resolved;
    }
  }
  if (isRecord(schema.items)) out.items = dereference(doc, schema.items, depth + 1);
  if (isRecord(schema.additionalProperties))
    out.additionalProperties = dereference(doc, schema.additionalProperties, depth + 1);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list))
      out[key] = list.map((s) => dereference(doc, s, depth + 1)).filter((s): s is JsonSchema => !!s);
  }
  return out;
}

/**
 * The variants of a request body that is a union discriminated by `key` (`type` for probes and channels,
 * `kind` for rules), by the discriminator's value, in the document's order, `$ref`s resolved.
 */
export function bodyVariants(
  doc: unknown,
  path: string,
  method: string,
  key: string,
): Map<string, JsonSchema> {
  const variants = new Map<string, JsonSchema>();
  const route = isRecord(doc) && isRecord(doc.paths) ? doc.paths[path] : undefined;
  const operation = isRecord(route) ? route[method] : undefined;
  const body = isRecord(operation) ? operation.requestBody : undefined;
  const content = isRecord(body) && isRecord(body.content) ? body.content['application/json'] : undefined;
  const root = dereference(doc, isRecord(content) ? content.schema : undefined);
  if (!root) return variants;
  for (const variant of root.oneOf ?? root.anyOf ?? [root]) {
    const value = variant.properties?.[key]?.const;
    if (typeof value === 'string') variants.set(value, variant);
  }
  return variants;
}

/** A stored value or a default as input text. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

/** "repeatIntervalS" → "Repeat interval s": the label of a field nobody wrote a text for. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
