// Slack incoming webhook: the URL is the secret. An attachment in the severity's colour holds Block Kit blocks.
import { z } from 'zod';
import type { NotificationMessageData } from '@emma/protocol';
import { colourOf, defineChannel, facts, headline, postJson } from './types';

const configSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).describe('Incoming webhook URL (secret)'),
    channel: z.string().max(100).optional().describe('Override the webhook’s channel, e.g. #ops'),
    username: z.string().max(100).optional(),
  })
  .strict();
type SlackConfig = z.infer<typeof configSchema>;

export function buildSlackPayload(message: NotificationMessageData, config: SlackConfig) {
  const text = headline(message);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150), emoji: false } },
  ];
  if (message.summary) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: message.summary } });
  blocks.push({
    type: 'section',
    fields: facts(message)
      .slice(0, 10)
      .map(([name, value]) => ({ type: 'mrkdwn', text: `*${name}*\n${value}` })),
  });
  if (message.url) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in eMMA' }, url: message.url }],
    });
  }
  return {
    text,
    ...(config.channel ? { channel: config.channel } : {}),
    ...(config.username ? { username: config.username } : {}),
    attachments: [{ color: colourOf(message), fallback: text, blocks }],
  };
}

export const slack = defineChannel<SlackConfig>({
  type: 'slack',
  label: 'Slack',
  configSchema,
  secretFields: ['url'],
  buildPayload: buildSlackPayload,
  send: (message, config, ctx) => postJson(config.url, buildSlackPayload(message, config), ctx),
});
