// The OpenAPI document describes each channel type's config (the dashboard builds its forms from it), with
// exactly the registry's secret fields marked writeOnly.
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_CHANNEL_TYPES } from '@emma/protocol';
import { openApiDocument } from '../../http/openapi-document';
import { CHANNELS } from './channels';

interface JsonSchema {
  title?: string;
  const?: string;
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  writeOnly?: boolean;
}

function createBodyVariants(): JsonSchema[] {
  const doc = openApiDocument() as {
    paths: Record<string, { post: { requestBody: { content: Record<string, { schema: JsonSchema }> } } }>;
  };
  const schema =
    doc.paths['/api/v1/notification-channels']?.post.requestBody.content['application/json']?.schema;
  return schema?.oneOf ?? [];
}

describe('channel configs in the OpenAPI document', () => {
  const variants = createBodyVariants();
  const configOf = (type: string) =>
    variants.find((v) => v.properties?.type?.const === type)?.properties?.config ?? {};

  it('has one create body per channel type, each with its config schema', () => {
    expect(variants.map((v) => v.properties?.type?.const).sort()).toEqual(
      [...NOTIFICATION_CHANNEL_TYPES].sort(),
    );
    expect(configOf('email').required).toEqual(expect.arrayContaining(['host', 'from', 'to']));
    expect(configOf('webhook').properties?.method).toMatchObject({ enum: ['POST', 'PUT'], default: 'POST' });
    expect(configOf('slack').title).toBe('Slack');
  });

  it('marks exactly the secret fields writeOnly', () => {
    for (const [type, channel] of CHANNELS) {
      const properties = configOf(type).properties ?? {};
      const writeOnly = Object.entries(properties)
        .filter(([, property]) => property.writeOnly === true)
        .map(([name]) => name);
      expect(writeOnly.sort(), type).toEqual([...channel.secretFields].sort());
    }
    expect(configOf('webhook').properties?.url?.writeOnly).toBeUndefined();
    expect(configOf('slack').properties?.url?.writeOnly).toBe(true);
  });
});
