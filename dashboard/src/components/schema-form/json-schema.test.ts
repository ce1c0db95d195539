import { describe, expect, it } from 'vitest';
import { bodyVariants, dereference, humanize, textOf } from './json-schema';

// Shaped like the server's document: channel configs inside a union on `type`, one member behind a $ref.
const doc = {
  paths: {
    '/api/v1/notification-channels': {
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { properties: { type: { const: 'email' }, config: { type: 'object' } } },
                  { $ref: '#/components/schemas/WebhookBody' },
                ],
              },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      WebhookBody: {
        properties: {
          type: { const: 'webhook' },
          config: {
            type: 'object',
            title: 'Webhook',
            properties: { tls: { $ref: '#/components/schemas/Tls' } },
          },
        },
      },
      Tls: { type: 'object', properties: { verify: { type: 'boolean', default: true } } },
      Loop: { $ref: '#/components/schemas/Loop' },
    },
  },
};

describe('reading the OpenAPI document', () => {
  it('finds the variants of a discriminated request body, following $refs', () => {
    const variants = bodyVariants(doc, '/api/v1/notification-channels', 'post', 'type');
    expect([...variants.keys()]).toEqual(['email', 'webhook']);
    expect(variants.get('webhook')?.properties?.config?.title).toBe('Webhook');
    // A nested $ref is resolved too.
    expect(variants.get('webhook')?.properties?.config?.properties?.tls?.properties?.verify).toEqual({
      type: 'boolean',
      default: true,
    });
    expect(bodyVariants(doc, '/nowhere', 'post', 'type').size).toBe(0);
    expect(bodyVariants(doc, '/api/v1/notification-channels', 'patch', 'type').size).toBe(0);
    expect(bodyVariants('not a document', '/api/v1/notification-channels', 'post', 'type').size).toBe(0);
  });

  it('stops at missing and circular references instead of throwing', () => {
    expect(dereference(doc, { $ref: '#/components/schemas/Nope' })).toBeUndefined();
    expect(dereference(doc, { $ref: '#/components/schemas/Loop' })).toBeUndefined();
    expect(dereference(doc, 'not a schema')).toBeUndefined();
  });
});

describe('texts', () => {
  it('makes names readable', () => {
    expect(humanize('repeatIntervalS')).toBe('Repeat interval s');
    expect(humanize('api_base-url')).toBe('Api base url');
    expect(humanize('expectStatus')).toBe('Expect status');
    expect(humanize('degradedAboveMs')).toBe('Degraded above ms');
    expect(humanize('record_type')).toBe('Record type');
  });

  it('shows stored values and defaults as input text', () => {
    expect(textOf(undefined)).toBe('');
    expect(textOf(null)).toBe('');
    expect(textOf(587)).toBe('587');
    expect(textOf(false)).toBe('false');
    expect(textOf({ a: 1 })).toBe('{"a":1}');
  });
});
