// PagerDuty Events API v2: the routing (integration) key is the secret; dedup_key = the incident id, so
// acknowledge and resolve reach the alert that trigger opened.
import { z } from 'zod';
import type { NotificationMessageData } from '@emma/protocol';
import { defineChannel, postJson } from './types';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

const configSchema = z
  .object({
    routingKey: z.string().min(1).max(200).describe('Integration key (secret)'),
    url: z
      .url({ protocol: /^https?$/ })
      .default(PAGERDUTY_EVENTS_URL)
      .describe('Events API endpoint'),
  })
  .strict();
type PagerDutyConfig = z.infer<typeof configSchema>;

const ACTIONS = {
  opened: 'trigger',
  repeat: 'trigger',
  test: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
} as const;

export function buildPagerDutyPayload(message: NotificationMessageData, config: PagerDutyConfig) {
  const action = ACTIONS[message.event];
  const dedupKey = message.incidentId ?? `emma-test-${String(message.occurredAt)}`;
  const base = { routing_key: config.routingKey, event_action: action, dedup_key: dedupKey };
  if (action !== 'trigger') return base;
  return {
    ...base,
    payload: {
      summary: message.title.slice(0, 1024),
      source: message.subject,
      severity: message.severity,
      timestamp: new Date(message.occurredAt).toISOString(),
      component: message.subject,
      custom_details: { summary: message.summary, ...message.fields },
    },
    ...(message.url ? { links: [{ href: message.url, text: 'Open in eMMA' }] } : {}),
    client: 'eMMA',
  };
}

export const pagerduty = defineChannel<PagerDutyConfig>({
  type: 'pagerduty',
  label: 'PagerDuty',
  configSchema,
  secretFields: ['routingKey'],
  buildPayload: buildPagerDutyPayload,
  send: (message, config, ctx) => postJson(config.url, buildPagerDutyPayload(message, config), ctx),
});
