// Generic webhook: the message as JSON, signed with HMAC-SHA256 over the raw body
// (`X-Emma-Signature: sha256=<hex>`, plus `X-Emma-Timestamp`), with custom headers whose values are secret.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { NotificationMessageData } from '@emma/protocol';
import { defineChannel, postJson } from './types';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const RESERVED = new Set(['content-type', 'content-length', 'host', 'x-emma-signature', 'x-emma-timestamp']);

const configSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['POST', 'PUT']).default('POST'),
    secret: z.string().min(8).max(500).optional().describe('HMAC-SHA256 key (secret)'),
    headers: z
      .record(
        z
          .string()
          .regex(HEADER_NAME)
          .refine((name) => !RESERVED.has(name.toLowerCase()), 'reserved header'),
        z.string().max(2000),
      )
      .optional()
      .describe('Extra request headers (secret as a whole: write-only)'),
  })
  .strict();
type WebhookConfig = z.infer<typeof configSchema>;

export function buildWebhookPayload(message: NotificationMessageData, _config: WebhookConfig) {
  return { version: 1, ...message };
}

/** `sha256=<hex>` of HMAC-SHA256(secret, rawBody): what a receiver recomputes to trust the body. */
export function signature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** The raw body and every header of one request (pure given the time). */
export function webhookRequest(message: NotificationMessageData, config: WebhookConfig, now: number) {
  const rawBody = JSON.stringify(buildWebhookPayload(message, config));
  const headers: Record<string, string> = {
    ...config.headers,
    'X-Emma-Timestamp': String(Math.floor(now / 1000)),
    'X-Emma-Event': message.event,
  };
  if (config.secret) headers['X-Emma-Signature'] = signature(config.secret, rawBody);
  return { rawBody, headers };
}

export const webhook = defineChannel<WebhookConfig>({
  type: 'webhook',
  label: 'Webhook',
  configSchema,
  secretFields: ['secret', 'headers'],
  buildPayload: buildWebhookPayload,
  send: (message, config, ctx) => {
    const { rawBody, headers } = webhookRequest(message, config, Date.now());
    return postJson(config.url, undefined, ctx, { headers, rawBody, method: config.method });
  },
});
