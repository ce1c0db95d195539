// Telegram bot: sendMessage with HTML formatting. The bot token is the secret (it sits in the URL's path).
import { z } from 'zod';
import type { NotificationMessageData } from '@emma/protocol';
import { defineChannel, escapeHtml, facts, headline, postJson } from './types';

export const TELEGRAM_API = 'https://api.telegram.org';

const configSchema = z
  .object({
    botToken: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'a bot token looks like 123456:ABC-def')
      .describe('Bot token (secret)'),
    chatId: z.union([z.string().min(1).max(100), z.number().int()]).transform(String),
    apiBaseUrl: z.url({ protocol: /^https?$/ }).default(TELEGRAM_API),
    silent: z.boolean().default(false).describe('Send without sound (info messages are always silent)'),
  })
  .strict();
type TelegramConfig = z.infer<typeof configSchema>;

const ICONS = { critical: '🔴', warning: '🟠', info: '🔵' } as const;

export function buildTelegramPayload(message: NotificationMessageData, config: TelegramConfig) {
  const icon = message.event === 'resolved' ? '✅' : ICONS[message.severity];
  const lines = [`${icon} <b>${escapeHtml(headline(message))}</b>`];
  if (message.summary) lines.push('', escapeHtml(message.summary));
  lines.push(
    '',
    ...facts(message).map(([name, value]) => `<b>${escapeHtml(name)}:</b> ${escapeHtml(value)}`),
  );
  if (message.url) lines.push('', `<a href="${escapeHtml(message.url)}">Open in eMMA</a>`);
  return {
    chat_id: config.chatId,
    text: lines.join('\n').slice(0, 4096),
    parse_mode: 'HTML',
    disable_web_page_preview: true,
    disable_notification: config.silent || (message.severity === 'info' && message.event !== 'resolved'),
  };
}

export const telegram = defineChannel<TelegramConfig>({
  type: 'telegram',
  label: 'Telegram',
  configSchema,
  secretFields: ['botToken'],
  buildPayload: buildTelegramPayload,
  send: (message, config, ctx) =>
    postJson(
      `${config.apiBaseUrl.replace(/\/+$/, '')}/bot${config.botToken}/sendMessage`,
      buildTelegramPayload(message, config),
      ctx,
    ),
});
