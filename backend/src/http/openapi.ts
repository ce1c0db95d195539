// OpenAPI 3.1 built from the route declarations: the same zod schemas that validate requests.
// Schemas carrying `.meta({ id })` become shared components.
import { z } from 'zod';
import { ErrorBodySchema } from '@emma/protocol';
import type { RouteSpec } from './route';

type JsonSchema = Record<string, unknown>;

const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid input (validation_failed, invalid_json)',
  401: 'Missing, invalid or expired access token',
  403: 'The role lacks the required permission',
  413: 'Request body too large',
  415: 'Body is not application/json',
  500: 'Internal error',
};

export interface OpenApiInfo {
  title: string;
  version: string;
}

export function buildOpenApi(specs: readonly RouteSpec[], info: OpenApiInfo): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema;
    const text = JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/');
    const {
      $defs,
      $schema: _dialect,
      ...rest
    } = JSON.parse(text) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [id, def] of Object.entries($defs ?? {})) components[id] ??= def;
    const id = z.globalRegistry.get(schema)?.id;
    if (typeof id === 'string') {
      components[id] ??= rest;
      return { $ref: `#/components/schemas/${id}` };
    }
    return rest;
  };
  const errorRef = convert(ErrorBodySchema, 'output');

  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [
      ...objectParameters(spec.params, 'path', convert),
      ...objectParameters(spec.query, 'query', convert),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      const code = Number(status);
      const schema = response.schema
        ? convert(response.schema, 'output')
        : code >= 400
          ? errorRef
          : undefined;
      responses[status] = {
        description: response.description,
        ...(schema ? { content: { [response.contentType ?? 'application/json']: { schema } } } : {}),
        ...(code === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
      };
      if (!schema && response.contentType) {
        responses[status] = { description: response.description, content: { [response.contentType]: {} } };
      }
    }
    const errors = new Set([400, 500]);
    if (spec.body) [413, 415].forEach((s) => errors.add(s));
    if (spec.access !== 'public') [401, 403].forEach((s) => errors.add(s));
    if (spec.access === 'authenticated') errors.delete(403);
    for (const status of errors) {
      responses[String(status)] ??= {
        description: ERROR_STATUSES[status],
        content: { 'application/json': { schema: errorRef } },
      };
    }

    paths[path] ??= {};
    paths[path][spec.method] = {
      operationId: operationId(spec),
      summary: spec.summary,
      ...(describe(spec) ? { description: describe(spec) } : {}),
      tags: spec.tags,
      'x-permission': spec.access,
      ...(spec.access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: convert(spec.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: { ...info, description: 'eMMA REST API. Every operation names its permission in x-permission.' },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: components,
    },
  };
}

function objectParameters(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  convert: (schema: z.ZodType, io: 'input' | 'output') => JsonSchema,
): JsonSchema[] {
  if (!schema) return [];
  const json = convert(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

function operationId(spec: RouteSpec): string {
  const words = spec.path
    .replace(/^\/api\/v1\//, '')
    .split('/')
    .filter(Boolean)
    .map((part) =>
      part.startsWith(':')
        ? `By${capitalize(part.slice(1))}`
        : capitalize(
            part.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()),
          ),
    );
  return `${spec.method}${words.join('')}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The route's description, naming the other representations it offers. They are not listed as response
 * content: generated clients would then type every answer as JSON or text.
 */
function describe(spec: RouteSpec): string | undefined {
  const offered = [
    ...(spec.representations?.csv
      ? ['`Accept: text/csv` answers CSV (a header row, then one line per row)']
      : []),
    ...(spec.representations?.html ? ['`Accept: text/html` answers a printable HTML page'] : []),
  ];
  const parts = [spec.description, offered.length > 0 ? `${offered.join('; ')}.` : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}
