import { describe, expect, it } from 'vitest';
import { collect, fieldsOf, initialState, serverErrors, type JsonSchema } from './schema-form';

// Shaped like the server's channel configs: secrets writeOnly, defaults, bounds, a string-or-integer id.
const webhookConfig: JsonSchema = {
  type: 'object',
  title: 'Webhook',
  properties: {
    url: { type: 'string', format: 'uri' },
    method: { default: 'POST', type: 'string', enum: ['POST', 'PUT'] },
    secret: { type: 'string', minLength: 8, writeOnly: true },
    headers: { type: 'object', additionalProperties: { type: 'string' }, writeOnly: true },
  },
  required: ['url'],
};
const emailConfig: JsonSchema = {
  type: 'object',
  properties: {
    host: { type: 'string' },
    port: { default: 587, type: 'integer', minimum: 1, maximum: 65535 },
    secure: { default: false, type: 'boolean' },
    tlsRejectUnauthorized: { default: true, type: 'boolean' },
    to: { type: 'array', items: { type: 'string' }, minItems: 1 },
    chatId: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
  },
  required: ['host', 'to'],
};
describe('schema forms', () => {
  it('turns properties into fields of the right kind, secrets marked', () => {
    const fields = fieldsOf(webhookConfig);
    expect(fields.map((f) => [f.name, f.kind, f.required, f.secret])).toEqual([
      ['url', 'text', true, false],
      ['method', 'select', false, false],
      ['secret', 'secret', false, true],
      ['headers', 'map', false, true],
    ]);
    expect(fields[1]).toMatchObject({ options: ['POST', 'PUT'], default: 'POST' });
    const email = fieldsOf(emailConfig, ['secure']);
    expect(email.map((f) => [f.name, f.kind])).toEqual([
      ['host', 'text'],
      ['port', 'integer'],
      ['tlsRejectUnauthorized', 'boolean'],
      ['to', 'list'],
      ['chatId', 'text'],
    ]);
    const rule: JsonSchema = {
      properties: {
        kind: { const: 'probe_down' },
        probeId: { type: 'string', format: 'uuid' },
        channelIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
      },
    };
    expect(fieldsOf(rule).map((f) => [f.name, f.kind])).toEqual([
      ['probeId', 'id'],
      ['channelIds', 'ids'],
    ]);
  });

  it('fills the form from stored values but never a secret', () => {
    const state = initialState(fieldsOf(webhookConfig), {
      url: 'https://hooks.example/x',
      method: 'PUT',
      secret: 'should never arrive',
      headers: { 'X-Key': 'v' },
    });
    expect(state).toEqual({ url: 'https://hooks.example/x', method: 'PUT', secret: '', headers: [] });
    const email = initialState(fieldsOf(emailConfig), { host: 'smtp', to: ['a@x', 'b@x'] });
    expect(email).toMatchObject({ host: 'smtp', port: '', tlsRejectUnauthorized: true, to: 'a@x\nb@x' });
  });

  it('collects values: empty means not given, numbers parsed, lists split, maps joined', () => {
    const fields = fieldsOf(emailConfig);
    const result = collect(fields, {
      host: ' smtp.example ',
      port: '465',
      secure: true,
      tlsRejectUnauthorized: true,
      to: 'ops@example\n, dev@example,',
      chatId: '',
    });
    expect(result.errors).toEqual({});
    expect(result.values).toEqual({
      host: 'smtp.example',
      port: 465,
      secure: true,
      to: ['ops@example', 'dev@example'],
    });
    const headers = collect(fieldsOf(webhookConfig), {
      url: 'https://x',
      method: '',
      secret: ' pass with spaces ',
      headers: [
        ['X-Key', 'v'],
        ['', 'ignored'],
      ],
    });
    expect(headers.values).toEqual({
      url: 'https://x',
      secret: ' pass with spaces ',
      headers: { 'X-Key': 'v' },
    });
  });

  it('keeps a stored flag and reports what the browser can tell is wrong', () => {
    const fields = fieldsOf(emailConfig);
    const stored = collect(
      fields,
      { host: 'h', to: 'a@x', secure: false, tlsRejectUnauthorized: true },
      {
        stored: { secure: false },
      },
    );
    expect(stored.values).toMatchObject({ secure: false });
    expect(stored.values).not.toHaveProperty('tlsRejectUnauthorized');
    const bad = collect(fields, {
      host: '',
      to: '',
      port: '1.5',
      secure: false,
      tlsRejectUnauthorized: true,
    });
    expect(bad.errors).toEqual({
      host: 'settings.error.required',
      to: 'settings.error.required',
      port: 'settings.error.integer',
    });
    expect(collect(fields, { host: 'h', to: 'a', port: '70000' }).errors).toEqual({
      port: 'settings.error.range',
    });
    const dup = collect(fieldsOf(webhookConfig), {
      url: 'u',
      headers: [
        ['a', '1'],
        ['a', '2'],
      ],
    });
    expect(dup.errors).toEqual({ headers: 'settings.error.duplicateKey' });
  });

  it('lets a stored secret stand in for a required one', () => {
    const slack: JsonSchema = { properties: { url: { type: 'string', writeOnly: true } }, required: ['url'] };
    expect(collect(fieldsOf(slack), { url: '' }).errors).toEqual({ url: 'settings.error.required' });
    expect(collect(fieldsOf(slack), { url: '' }, { secretsSet: ['url'] })).toEqual({
      values: {},
      errors: {},
    });
  });

  it('puts the server’s validation details on the fields', () => {
    const details = [
      { path: 'body.config.url', message: 'Invalid URL', code: 'invalid_format' },
      { path: 'body.config.to.1', message: 'Invalid email', code: 'invalid_format' },
      { path: 'body.name', message: 'Too short', code: 'too_small' },
      { path: 'body.config', message: 'Unrecognized key', code: 'unrecognized_keys' },
    ];
    expect(serverErrors(details, 'body.config')).toEqual({
      url: 'Invalid URL',
      to: 'Invalid email',
      '': 'Too short; Unrecognized key',
    });
    expect(serverErrors(details, 'body')).toMatchObject({
      name: 'Too short',
      config: 'Invalid URL; Invalid email; Unrecognized key',
    });
    expect(serverErrors(undefined, 'body')).toEqual({});
  });
});
