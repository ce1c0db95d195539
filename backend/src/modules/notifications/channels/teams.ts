// Microsoft Teams through a Workflows (Power Automate) webhook: the URL is the secret; an Adaptive Card.
import { z } from 'zod';
import type { NotificationMessageData } from '@emma/protocol';
import { defineChannel, facts, headline, postJson } from './types';

const configSchema = z
  .object({ url: z.url({ protocol: /^https?$/ }).describe('Workflow webhook URL (secret)') })
  .strict();
type TeamsConfig = z.infer<typeof configSchema>;

/** Adaptive Card colours: attention (red), warning (amber), accent (blue), good (green). */
export function teamsColour(message: NotificationMessageData): string {
  if (message.event === 'resolved') return 'good';
  return { critical: 'attention', warning: 'warning', info: 'accent' }[message.severity];
}

export function buildTeamsPayload(message: NotificationMessageData, _config: TeamsConfig) {
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: headline(message),
      weight: 'bolder',
      size: 'medium',
      color: teamsColour(message),
      wrap: true,
    },
  ];
  if (message.summary) body.push({ type: 'TextBlock', text: message.summary, wrap: true });
  body.push({ type: 'FactSet', facts: facts(message).map(([title, value]) => ({ title, value })) });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(message.url
            ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in eMMA', url: message.url }] }
            : {}),
        },
      },
    ],
  };
}

export const teams = defineChannel<TeamsConfig>({
  type: 'teams',
  label: 'Microsoft Teams',
  configSchema,
  secretFields: ['url'],
  buildPayload: buildTeamsPayload,
  send: (message, config, ctx) => postJson(config.url, buildTeamsPayload(message, config), ctx),
});
