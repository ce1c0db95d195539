// Email over SMTP (nodemailer): TLS from the first byte (`secure`, port 465) or STARTTLS (`requireTLS`,
// port 587), optional login (the password is the secret), an HTML and a plain-text body.
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';
import type { NotificationMessageData } from '@emma/protocol';
import { colourOf, defineChannel, DeliveryError, escapeHtml, facts, headline } from './types';

const address = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'an email address');

const configSchema = z
  .object({
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false).describe('TLS from the start (usually port 465)'),
    requireTLS: z
      .boolean()
      .default(false)
      .describe('Insist on STARTTLS (otherwise it is used when the server offers it)'),
    tlsRejectUnauthorized: z.boolean().default(true).describe('Check the server certificate'),
    user: z.string().max(320).optional(),
    password: z.string().max(1000).optional().describe('SMTP password (secret)'),
    from: address,
    to: z.array(address).min(1).max(100),
  })
  .strict()
  .refine((c) => (c.user === undefined) === (c.password === undefined), {
    path: ['password'],
    message: 'give user and password together',
  });
type EmailConfig = z.infer<typeof configSchema>;

export interface EmailPayload {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export function buildEmailPayload(message: NotificationMessageData, config: EmailConfig): EmailPayload {
  const subject = headline(message);
  const rows = facts(message);
  const text = [
    subject,
    '',
    message.summary,
    '',
    ...rows.map(([name, value]) => `${name}: ${value}`),
    ...(message.url ? ['', message.url] : []),
    '',
    '-- eMMA',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<div style="border-left:6px solid ${colourOf(message)};padding:8px 12px">
<h2 style="margin:0 0 8px">${escapeHtml(subject)}</h2>
<p style="white-space:pre-wrap">${escapeHtml(message.summary)}</p>
<table cellpadding="4">${rows
    .map(([name, value]) => `<tr><th align="left">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('')}</table>
${message.url ? `<p><a href="${escapeHtml(message.url)}">Open in eMMA</a></p>` : ''}
</div><p style="color:#888;font-size:12px">eMMA</p></body></html>`;
  return { from: config.from, to: config.to, subject, text, html };
}

/** The nodemailer transport options for a config (pure; the TLS mapping is tested on it). */
export function transportOptions(config: EmailConfig, timeoutMs = 10_000): SMTPTransport.Options {
  return {
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && config.requireTLS,
    ...(config.user !== undefined ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export const email = defineChannel<EmailConfig>({
  type: 'email',
  label: 'Email (SMTP)',
  configSchema,
  secretFields: ['password'],
  buildPayload: buildEmailPayload,
  send: async (message, config, ctx) => {
    const transport = nodemailer.createTransport(transportOptions(config));
    const abort = new Promise<never>((_, reject) => {
      const onAbort = () => {
        transport.close();
        reject(new DeliveryError('timed out'));
      };
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const info = await Promise.race([transport.sendMail(buildEmailPayload(message, config)), abort]);
      const code = /^(\d{3})/.exec(info.response)?.[1];
      return { statusCode: code ? Number(code) : null, info: `message ${info.messageId}` };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      const e = err as { responseCode?: unknown; code?: unknown; message?: unknown };
      const status = typeof e.responseCode === 'number' ? e.responseCode : null;
      const code = typeof e.code === 'string' ? e.code : 'ESMTP';
      // nodemailer's messages name the server's reply, not the password.
      const text = typeof e.message === 'string' ? e.message.slice(0, 300) : 'failed';
      throw new DeliveryError(`${code}: ${text}`, status);
    } finally {
      transport.close();
    }
  },
});
