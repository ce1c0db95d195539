// The pure side of every channel: what it would send for a message, and how configs validate.
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_CHANNEL_TYPES, NotificationMessageSchema } from '@emma/protocol';
import { sampleMessage } from '../receiver-fixtures';
import { buildRegistry, CHANNELS, channelFor } from '.';
import { buildEmailPayload, transportOptions } from './email';
import { buildNtfyPayload, ntfyPriority } from './ntfy';
import { buildPagerDutyPayload } from './pagerduty';
import { buildSlackPayload } from './slack';
import { buildTeamsPayload, teamsColour } from './teams';
import { buildTelegramPayload } from './telegram';
import { signature, webhookRequest, type buildWebhookPayload } from './webhook';
import { headline, SEVERITY_COLOURS } from './types';
import { createHmac } from 'node:crypto';

const msg = (overrides: Parameters<typeof sampleMessage>[0] = {}) =>
  NotificationMessageSchema.parse(sampleMessage(overrides));
const SECRET_URL = 'https://hooks.slack.example/services/T000/B000/sEcReT-xyz';

describe('the channel registry', () => {
  it('lists every type of the protocol once, each with a schema, secret fields and a sender', () => {
    expect([...CHANNELS.keys()].sort()).toEqual([...NOTIFICATION_CHANNEL_TYPES].sort());
    for (const channel of CHANNELS.values()) {
      expect(typeof channel.send).toBe('function');
      expect(typeof channel.buildPayload).toBe('function');
      expect(channel.secretFields.length).toBeGreaterThan(0);
      expect(channel.label.length).toBeGreaterThan(0);
    }
  });

  it('refuses a duplicate type and an unknown one', () => {
    const slack = channelFor('slack');
    expect(() => buildRegistry([slack, slack])).toThrow(/listed twice/);
    expect(() => channelFor('carrier-pigeon')).toThrow(/unknown/);
  });
});

describe('headline', () => {
  it('names severity and event, and RESOLVED once resolved', () => {
    expect(headline(msg())).toBe('[CRITICAL] Alert: web down: https://example.com is down');
    expect(headline(msg({ event: 'resolved' }))).toMatch(/^\[RESOLVED\] Resolved: /);
    expect(headline(msg({ event: 'test', severity: 'info' }))).toMatch(/^\[INFO\] Test: /);
  });
});

describe('email', () => {
  const config = channelFor('email').configSchema.parse({
    host: 'smtp.example',
    from: 'emma@example',
    to: ['ops@example', 'oncall@example'],
    user: 'emma',
    password: 'smtp-pass-123',
  }) as Parameters<typeof buildEmailPayload>[1];

  it('has a subject, a text and an escaped HTML body, and no password', () => {
    const payload = buildEmailPayload(msg({ summary: 'a <b>bold</b> claim & more' }), config);
    expect(payload.subject).toBe(headline(msg()));
    expect(payload.to).toEqual(['ops@example', 'oncall@example']);
    expect(payload.text).toContain('a <b>bold</b> claim & more');
    expect(payload.text).toContain('agent: edge-1');
    expect(payload.html).toContain('a &lt;b&gt;bold&lt;/b&gt; claim &amp; more');
    expect(payload.html).toContain(SEVERITY_COLOURS.critical);
    expect(payload.html).toContain('https://emma.example/incidents/');
    expect(JSON.stringify(payload)).not.toContain('smtp-pass-123');
  });

  it('maps secure (TLS) and requireTLS (STARTTLS) onto the transport', () => {
    const schema = channelFor('email').configSchema;
    const base = { host: 'smtp.example', from: 'a@b.c', to: ['d@e.f'] };
    const starttls = transportOptions(
      schema.parse({ ...base, port: 587, requireTLS: true }) as typeof config,
    );
    expect(starttls).toMatchObject({ port: 587, secure: false, requireTLS: true });
    expect(starttls.auth).toBeUndefined();
    const tls = transportOptions(schema.parse({ ...base, port: 465, secure: true }) as typeof config);
    expect(tls).toMatchObject({ port: 465, secure: true, requireTLS: false });
    expect(tls.tls).toEqual({ rejectUnauthorized: true });
    expect(transportOptions(config).auth).toEqual({ user: 'emma', pass: 'smtp-pass-123' });
    expect(schema.safeParse({ ...base, user: 'x' }).success).toBe(false);
    expect(schema.safeParse({ ...base, to: [] }).success).toBe(false);
    expect(schema.safeParse({ ...base, extra: 1 }).success).toBe(false);
  });
});

describe('slack', () => {
  it('colours the attachment by severity and green when resolved, and keeps the URL out', () => {
    const critical = buildSlackPayload(msg(), { url: SECRET_URL });
    expect(critical.text).toBe(headline(msg()));
    expect(critical.attachments[0]?.color).toBe(SEVERITY_COLOURS.critical);
    expect(JSON.stringify(critical)).not.toContain('sEcReT');
    expect(JSON.stringify(critical.attachments[0]?.blocks)).toContain('*agent*\\nedge-1');
    expect(buildSlackPayload(msg({ severity: 'warning' }), { url: SECRET_URL }).attachments[0]?.color).toBe(
      SEVERITY_COLOURS.warning,
    );
    expect(buildSlackPayload(msg({ event: 'resolved' }), { url: SECRET_URL }).attachments[0]?.color).toBe(
      SEVERITY_COLOURS.resolved,
    );
    const noLink = buildSlackPayload(msg({ url: undefined }), { url: SECRET_URL, channel: '#ops' });
    expect(noLink.channel).toBe('#ops');
    expect(JSON.stringify(noLink)).not.toContain('"actions"');
  });
});

describe('teams', () => {
  it('builds an Adaptive Card with facts and a colour per severity', () => {
    const payload = buildTeamsPayload(msg(), { url: SECRET_URL });
    const card = payload.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.type).toBe('AdaptiveCard');
    expect(JSON.stringify(card.content.body)).toContain('"FactSet"');
    expect(JSON.stringify(payload)).not.toContain('sEcReT');
    expect(teamsColour(msg())).toBe('attention');
    expect(teamsColour(msg({ severity: 'warning' }))).toBe('warning');
    expect(teamsColour(msg({ severity: 'info' }))).toBe('accent');
    expect(teamsColour(msg({ event: 'resolved' }))).toBe('good');
  });
});

describe('webhook', () => {
  const config = channelFor('webhook').configSchema.parse({
    url: 'https://hooks.example/emma',
    secret: 'hmac-key-123456',
    headers: { 'X-Api-Key': 'key-abc' },
  }) as Parameters<typeof buildWebhookPayload>[1];

  it('sends the message as JSON, signed over the raw body, with the custom headers', () => {
    const { rawBody, headers } = webhookRequest(msg(), config, 1_700_000_000_123);
    expect(JSON.parse(rawBody)).toEqual({ version: 1, ...msg() });
    const expected = createHmac('sha256', 'hmac-key-123456').update(rawBody).digest('hex');
    expect(headers['X-Emma-Signature']).toBe(`sha256=${expected}`);
    expect(signature('hmac-key-123456', rawBody)).toBe(`sha256=${expected}`);
    expect(headers['X-Emma-Timestamp']).toBe('1700000000');
    expect(headers['X-Api-Key']).toBe('key-abc');
    expect(rawBody).not.toContain('hmac-key');
    expect(config.method).toBe('POST');
  });

  it('leaves the signature out without a secret, and refuses reserved headers', () => {
    const schema = channelFor('webhook').configSchema;
    const plain = schema.parse({ url: 'https://hooks.example/x' }) as typeof config;
    expect(webhookRequest(msg(), plain, 0).headers['X-Emma-Signature']).toBeUndefined();
    expect(
      schema.safeParse({ url: 'https://hooks.example/x', headers: { 'X-Emma-Signature': 'x' } }).success,
    ).toBe(false);
    expect(schema.safeParse({ url: 'ftp://hooks.example/x' }).success).toBe(false);
  });
});

describe('pagerduty', () => {
  const config = { routingKey: 'R0UT1NGKEY', url: 'https://events.pagerduty.com/v2/enqueue' };

  it('triggers with the incident id as dedup key, and acknowledges and resolves it', () => {
    const trigger = buildPagerDutyPayload(msg(), config);
    expect(trigger).toMatchObject({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: msg().incidentId,
      payload: { severity: 'critical', source: msg().subject, summary: msg().title },
    });
    expect(JSON.stringify((trigger as { payload: unknown }).payload)).not.toContain('R0UT1NGKEY');
    expect(buildPagerDutyPayload(msg({ event: 'repeat' }), config).event_action).toBe('trigger');
    const ack = buildPagerDutyPayload(msg({ event: 'acknowledged' }), config);
    expect(ack).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'acknowledge',
      dedup_key: msg().incidentId,
    });
    expect(buildPagerDutyPayload(msg({ event: 'resolved' }), config).event_action).toBe('resolve');
    const test = buildPagerDutyPayload(msg({ event: 'test', incidentId: null, severity: 'info' }), config);
    expect(test.dedup_key).toMatch(/^emma-test-/);
  });
});

describe('telegram', () => {
  it('sends escaped HTML to the chat, silent for info', () => {
    const config = {
      botToken: '123:ABC',
      chatId: '-100123',
      apiBaseUrl: 'https://api.telegram.org',
      silent: false,
    };
    const payload = buildTelegramPayload(msg({ summary: '<script>' }), config);
    expect(payload).toMatchObject({ chat_id: '-100123', parse_mode: 'HTML', disable_notification: false });
    expect(payload.text).toContain('&lt;script&gt;');
    expect(payload.text).toContain('🔴');
    expect(payload.text).not.toContain('123:ABC');
    expect(buildTelegramPayload(msg({ severity: 'info' }), config).disable_notification).toBe(true);
    expect(buildTelegramPayload(msg({ event: 'resolved' }), config).text).toContain('✅');
    expect(channelFor('telegram').configSchema.safeParse({ botToken: 'nope', chatId: 1 }).success).toBe(
      false,
    );
  });
});

describe('ntfy', () => {
  it('maps severity to priority and tags, resolved low', () => {
    const config = { serverUrl: 'https://ntfy.sh', topic: 'emma-ops', token: 'tk_secret' };
    const payload = buildNtfyPayload(msg(), config);
    expect(payload).toMatchObject({ topic: 'emma-ops', priority: 5, click: msg().url });
    expect(payload.tags).toContain('rotating_light');
    expect(payload.message).toContain('agent: edge-1');
    expect(JSON.stringify(payload)).not.toContain('tk_secret');
    expect(ntfyPriority(msg({ severity: 'warning' }))).toBe(4);
    expect(ntfyPriority(msg({ severity: 'info' }))).toBe(3);
    expect(ntfyPriority(msg({ event: 'resolved' }))).toBe(2);
  });
});
