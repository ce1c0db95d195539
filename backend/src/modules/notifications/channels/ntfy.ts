// ntfy (ntfy.sh or self-hosted): a JSON publish to the server root; priority by severity; an optional
// access token (secret).
import { z } from 'zod';
import type { NotificationMessageData } from '@emma/protocol';
import { defineChannel, headline, postJson } from './types';

const configSchema = z
  .object({
    serverUrl: z.url({ protocol: /^https?$/ }).default('https://ntfy.sh'),
    topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -'),
    token: z.string().min(1).max(500).optional().describe('Access token (secret)'),
  })
  .strict();
type NtfyConfig = z.infer<typeof configSchema>;

/** ntfy priorities: 5 max (critical), 4 high (warning), 3 default (info), 2 low (resolved). */
export function ntfyPriority(message: NotificationMessageData): number {
  if (message.event === 'resolved') return 2;
  return { critical: 5, warning: 4, info: 3 }[message.severity];
}

export function buildNtfyPayload(message: NotificationMessageData, config: NtfyConfig) {
  const tags =
    message.event === 'resolved'
      ? ['white_check_mark']
      : [{ critical: 'rotating_light', warning: 'warning', info: 'information_source' }[message.severity]];
  const details = Object.entries(message.fields).map(([name, value]) => `${name}: ${value}`);
  return {
    topic: config.topic,
    title: headline(message).slice(0, 250),
    message: [message.summary || message.title, ...details].join('\n'),
    priority: ntfyPriority(message),
    tags: [...tags, `emma-${message.event}`],
    ...(message.url ? { click: message.url } : {}),
  };
}

export const ntfy = defineChannel<NtfyConfig>({
  type: 'ntfy',
  label: 'ntfy',
  configSchema,
  secretFields: ['token'],
  buildPayload: buildNtfyPayload,
  send: (message, config, ctx) =>
    postJson(config.serverUrl.replace(/\/+$/, '') + '/', buildNtfyPayload(message, config), ctx, {
      headers: config.token ? { authorization: `Bearer ${config.token}` } : {},
    }),
});
