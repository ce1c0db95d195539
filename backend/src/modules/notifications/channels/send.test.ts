// Every channel sending for real: a local SMTP server (smtp-server) receives the mail, local HTTP servers
// receive Slack, Teams, webhook, PagerDuty, Telegram and ntfy posts.
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationMessageSchema } from '@emma/protocol';
import { sampleMessage, startReceiver, type Receiver } from '../receiver-fixtures';
import { channelFor } from '.';
import { DeliveryError } from './types';

const message = NotificationMessageSchema.parse(sampleMessage());

async function send(type: string, config: Record<string, unknown>, timeoutMs = 5000) {
  const channel = channelFor(type);
  const parsed = channel.configSchema.parse(config);
  return channel.send(message, parsed, { signal: AbortSignal.timeout(timeoutMs) });
}

interface Mail {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
  secure: boolean;
}

let receiver: Receiver;
let smtp: SMTPServer;
let smtpPort: number;
const mails: Mail[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    // Its built-in self-signed certificate serves STARTTLS.
    onAuth(auth, _session, callback) {
      if (auth.username === 'emma' && auth.password === 'smtp-pass-123') callback(null, { user: 'emma' });
      else callback(new Error('bad login'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await receiver.close();
  await new Promise<void>((resolve) => {
    smtp.close(resolve);
  });
});

describe('email', () => {
  it('delivers an HTML and text mail over STARTTLS with a login', async () => {
    const result = await send('email', {
      host: '127.0.0.1',
      port: smtpPort,
      requireTLS: true,
      tlsRejectUnauthorized: false,
      user: 'emma',
      password: 'smtp-pass-123',
      from: 'emma@example.test',
      to: ['ops@example.test', 'oncall@example.test'],
    });
    expect(result.statusCode).toBe(250);
    const mail = mails.at(-1)!;
    expect(mail.from).toBe('emma@example.test');
    expect(mail.to).toEqual(['ops@example.test', 'oncall@example.test']);
    expect(mail.user).toBe('emma');
    expect(mail.secure).toBe(true);
    expect(mail.raw).toContain('Subject: [CRITICAL] Alert: web down');
    expect(mail.raw).toContain('Content-Type: text/plain');
    expect(mail.raw).toContain('Content-Type: text/html');
  });

  it('fails with the server reply on a wrong password, without the password', async () => {
    const failure = await send('email', {
      host: '127.0.0.1',
      port: smtpPort,
      tlsRejectUnauthorized: false,
      user: 'emma',
      password: 'wrong-pass-999',
      from: 'emma@example.test',
      to: ['ops@example.test'],
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as Error).message).toMatch(/EAUTH/);
    expect((failure as Error).message).not.toContain('wrong-pass-999');
  });
});

describe('HTTP channels', () => {
  it('slack posts its Block Kit payload to the webhook URL', async () => {
    const result = await send('slack', { url: `${receiver.url}/services/T1/B2/secret` });
    expect(result.statusCode).toBe(200);
    const req = receiver.requests.at(-1)!;
    expect(req.path).toBe('/services/T1/B2/secret');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.json).toMatchObject({
      text: expect.stringContaining('web down'),
      attachments: [{ color: '#d32f2f' }],
    });
  });

  it('teams posts an Adaptive Card', async () => {
    await send('teams', { url: `${receiver.url}/workflows/abc` });
    expect(receiver.requests.at(-1)!.json).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }],
    });
  });

  it('webhook signs the raw body and sends the custom headers', async () => {
    await send('webhook', {
      url: `${receiver.url}/hook`,
      secret: 'hmac-key-123456',
      headers: { 'X-Api-Key': 'key-abc' },
    });
    const req = receiver.requests.at(-1)!;
    expect(req.method).toBe('POST');
    const expected = createHmac('sha256', 'hmac-key-123456').update(req.rawBody).digest('hex');
    expect(req.headers['x-emma-signature']).toBe(`sha256=${expected}`);
    expect(Math.abs(Number(req.headers['x-emma-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(req.headers['x-api-key']).toBe('key-abc');
    expect(req.json).toMatchObject({ version: 1, event: 'opened', incidentId: message.incidentId });
  });

  it('webhook may PUT', async () => {
    await send('webhook', { url: `${receiver.url}/put`, method: 'PUT' });
    expect(receiver.requests.at(-1)!.method).toBe('PUT');
  });

  it('pagerduty posts an Events v2 trigger to the overridden URL', async () => {
    await send('pagerduty', { routingKey: 'R0UT1NG', url: `${receiver.url}/v2/enqueue` });
    const req = receiver.requests.at(-1)!;
    expect(req.path).toBe('/v2/enqueue');
    expect(req.json).toMatchObject({
      routing_key: 'R0UT1NG',
      event_action: 'trigger',
      dedup_key: message.incidentId,
    });
  });

  it('telegram calls sendMessage under the bot token', async () => {
    await send('telegram', { botToken: '123456:ABC-def', chatId: 42, apiBaseUrl: receiver.url });
    const req = receiver.requests.at(-1)!;
    expect(req.path).toBe('/bot123456:ABC-def/sendMessage');
    expect(req.json).toMatchObject({ chat_id: '42', parse_mode: 'HTML' });
  });

  it('ntfy publishes JSON with priority and the bearer token', async () => {
    await send('ntfy', { serverUrl: receiver.url, topic: 'emma-ops', token: 'tk_abc' });
    const req = receiver.requests.at(-1)!;
    expect(req.path).toBe('/');
    expect(req.headers.authorization).toBe('Bearer tk_abc');
    expect(req.json).toMatchObject({ topic: 'emma-ops', priority: 5 });
  });

  it('turns a refusal into a DeliveryError with the status, never the URL', async () => {
    receiver.respond = () => 502;
    try {
      const failure = await send('slack', { url: `${receiver.url}/services/T1/B2/very-secret` }).catch(
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(DeliveryError);
      expect((failure as DeliveryError).statusCode).toBe(502);
      expect((failure as Error).message).toMatch(/^HTTP 502/);
      expect((failure as Error).message).not.toContain('very-secret');
    } finally {
      receiver.respond = () => 200;
    }
  });

  it('times out a slow receiver and names no URL on a refused connection', async () => {
    receiver.respond = () =>
      new Promise((resolve) => {
        setTimeout(() => {
          resolve(200);
        }, 2000);
      });
    try {
      const slow = await send('teams', { url: `${receiver.url}/slow` }, 200).catch((err: unknown) => err);
      expect((slow as Error).message).toBe('timed out');
    } finally {
      receiver.respond = () => 200;
    }
    const refused = await send('slack', { url: 'http://127.0.0.1:1/services/secret-path' }).catch(
      (err: unknown) => err,
    );
    expect((refused as Error).message).toMatch(/^request failed/);
    expect((refused as Error).message).not.toContain('secret-path');
  });
});
