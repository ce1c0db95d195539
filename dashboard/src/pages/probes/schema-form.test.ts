import { describe, expect, it } from 'vitest';
import {
  allPaths,
  fieldsOf,
  initialValues,
  leaves,
  probeTypesFromDocument,
  serverErrors,
  toBody,
  validate,
  type Field,
} from './schema-form';
import { TEST_DOCUMENT } from './test-document';

const types = probeTypesFromDocument(TEST_DOCUMENT);
const http = types.find((x) => x.type === 'http')!.schema;
const sql = types.find((x) => x.type === 'sql')!.schema;
const PLACEMENT = ['agentId', 'labels'];

function byPath(fields: readonly Field[]): Record<string, Field> {
  return Object.fromEntries(leaves(fields).map((f) => [f.path, f]));
}

describe('probeTypesFromDocument', () => {
  it('finds every member of the create union by its type, following $refs', () => {
    expect(types.map((x) => x.type)).toEqual(['http', 'sql']);
    // A nested $ref is resolved too.
    expect(http.properties?.config?.properties?.tls?.properties?.verify).toEqual({
      type: 'boolean',
      default: true,
    });
  });

  it('answers nothing for documents without the route or the union', () => {
    expect(probeTypesFromDocument(undefined)).toEqual([]);
    expect(probeTypesFromDocument({ paths: {} })).toEqual([]);
    expect(
      probeTypesFromDocument({
        paths: {
          '/api/v1/probes': {
            post: { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } },
          },
        },
      }),
    ).toEqual([]);
    // A reference to a missing component does not throw.
    expect(
      probeTypesFromDocument({
        paths: {
          '/api/v1/probes': {
            post: {
              requestBody: {
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } },
              },
            },
          },
        },
        components: { schemas: {} },
      }),
    ).toEqual([]);
  });
});

describe('fieldsOf', () => {
  const fields = fieldsOf(http, PLACEMENT);
  const f = byPath(fields);

  it('keeps the schema order, leaves out placement and the fixed type, nests config', () => {
    expect(fields.map((x) => x.path)).toEqual(['name', 'intervalS', 'timeoutMs', 'paused', 'config']);
    expect(fields.find((x) => x.path === 'config')?.kind).toBe('object');
  });

  it('chooses an input per kind of schema', () => {
    expect(Object.fromEntries(Object.entries(f).map(([path, field]) => [path, field.kind]))).toEqual({
      name: 'text',
      intervalS: 'integer',
      timeoutMs: 'integer',
      paused: 'boolean',
      'config.url': 'text',
      'config.method': 'enum',
      'config.headers': 'map',
      'config.body': 'multiline',
      'config.expectStatus': 'text',
      'config.jsonEquals': 'json',
      'config.followRedirects': 'boolean',
      'config.degradedAboveMs': 'integer',
      'config.tags': 'list',
      'config.tls.verify': 'boolean',
      'config.tls.minVersion': 'text',
    });
    expect(f['config.method']?.options).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('marks required fields and write-only ones as secrets', () => {
    expect(f.name?.required).toBe(true);
    expect(f['config.url']?.required).toBe(true);
    expect(f['config.method']?.required).toBe(false);
    const s = byPath(fieldsOf(sql, PLACEMENT));
    expect(s['config.password']?.kind).toBe('secret');
    expect(s['config.user']?.kind).toBe('text');
    expect(s['config.weight']?.kind).toBe('number');
  });
});

describe('values and body', () => {
  const fields = fieldsOf(http, PLACEMENT);

  it('starts from the defaults', () => {
    const values = initialValues(fields);
    expect(values).toMatchObject({
      name: '',
      intervalS: '60',
      paused: false,
      'config.method': 'GET',
      'config.headers': '',
      'config.followRedirects': true,
      'config.jsonEquals': '',
      'config.tls.verify': true,
    });
  });

  it('starts from existing data when editing', () => {
    const values = initialValues(fields, {
      name: 'shop',
      intervalS: 30,
      config: {
        url: 'https://shop.example',
        headers: { Accept: 'text/html', 'X-Key': 'a:b' },
        jsonEquals: 'true',
        tags: ['a', 'b'],
        followRedirects: false,
      },
    });
    expect(values).toMatchObject({
      name: 'shop',
      intervalS: '30',
      'config.url': 'https://shop.example',
      'config.headers': 'Accept: text/html\nX-Key: a:b',
      // The string "true" is shown quoted, so it is sent back as a string.
      'config.jsonEquals': '"true"',
      'config.tags': 'a\nb',
      'config.followRedirects': false,
    });
  });

  it('builds the body: numbers as numbers, empty optional fields left out, maps and lists parsed', () => {
    const values = {
      ...initialValues(fields),
      name: 'shop',
      intervalS: '30',
      'config.url': 'https://shop.example/health',
      'config.headers': 'Accept: text/html\n\nX-Key = a:b\n',
      'config.jsonEquals': '42',
      'config.tags': ' a \n\n b',
      'config.body': '',
    };
    expect(toBody(fields, values)).toEqual({
      name: 'shop',
      intervalS: 30,
      timeoutMs: 10000,
      paused: false,
      config: {
        url: 'https://shop.example/health',
        method: 'GET',
        headers: { Accept: 'text/html', 'X-Key': 'a:b' },
        expectStatus: '200-399',
        jsonEquals: 42,
        followRedirects: true,
        tags: ['a', 'b'],
        tls: { verify: true },
      },
    });
    // Text that is no JSON is sent as text.
    expect(
      (toBody(fields, { ...values, 'config.jsonEquals': 'ok' }).config as Record<string, unknown>).jsonEquals,
    ).toBe('ok');
  });
});

describe('validate', () => {
  const fields = [
    ...fieldsOf(http, PLACEMENT),
    ...fieldsOf(sql, PLACEMENT).filter((f) => f.path === 'config'),
  ];
  const good = {
    ...initialValues(fields),
    name: 'x',
    'config.url': 'https://x.example',
    'config.engine': 'postgres',
    'config.user': 'u',
  };

  it('passes good values', () => {
    expect(validate(fields, good)).toEqual({});
  });

  it('names what the schema forbids, per field', () => {
    const errors = validate(fields, {
      ...good,
      name: '',
      intervalS: '2',
      timeoutMs: '1.5',
      'config.url': 'not a url',
      'config.expectStatus': '700',
      'config.degradedAboveMs': '0',
      'config.headers': 'no separator here',
      'config.engine': 'oracle',
      'config.weight': 'abc',
    });
    expect(errors).toEqual({
      name: { code: 'required' },
      intervalS: { code: 'min', limit: 5 },
      timeoutMs: { code: 'integer' },
      'config.url': { code: 'format', limit: 'uri' },
      'config.expectStatus': { code: 'pattern', limit: '^[1-5]\\d\\d(-[1-5]\\d\\d)?$' },
      'config.degradedAboveMs': { code: 'min', limit: 1 },
      'config.headers': { code: 'map' },
      'config.engine': { code: 'enum' },
      'config.weight': { code: 'number' },
    });
    expect(validate(fields, { ...good, intervalS: '86401', 'config.weight': '0.1' })).toEqual({
      intervalS: { code: 'max', limit: 86400 },
      'config.weight': { code: 'min', limit: 0.5 },
    });
  });
});

describe('serverErrors', () => {
  const known = allPaths(fieldsOf(http));

  it('puts each detail at its field, or the nearest field above it', () => {
    expect(
      serverErrors(
        [
          { path: 'body.config.url', message: 'Invalid URL', code: 'invalid_format' },
          { path: 'body.timeoutMs', message: 'must be shorter than the interval', code: 'custom' },
          { path: 'body.config.headers.X-Key', message: 'Too long', code: 'too_big' },
          { path: 'body.labels.Bad', message: 'bad key', code: 'invalid_key' },
          { path: 'body', message: 'name at least one field', code: 'custom' },
          { path: 'body.surprise', message: 'Unrecognized key', code: 'unrecognized_keys' },
          { nonsense: true },
        ],
        known,
      ),
    ).toEqual({
      fields: {
        'config.url': 'Invalid URL',
        timeoutMs: 'must be shorter than the interval',
        'config.headers': 'Too long',
        labels: 'bad key',
      },
      other: ['name at least one field', 'surprise: Unrecognized key'],
    });
    expect(serverErrors(undefined, known)).toEqual({ fields: {}, other: [] });
  });
});
