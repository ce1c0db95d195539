// Notifications: what the alerting side hands to the delivery side. The alerting code renders one
// NotificationMessage per incident event and enqueues it for each of the rule's channels; the channels
// turn it into their own payloads (email, Slack, Teams, webhook, ...).
import { z } from 'zod';

export const SeveritySchema = z.enum(['critical', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const NotificationEventSchema = z.enum(['opened', 'repeat', 'acknowledged', 'resolved', 'test']);
export type NotificationEvent = z.infer<typeof NotificationEventSchema>;

export const NotificationMessageSchema = z.object({
  event: NotificationEventSchema,
  /** null for a channel test. */
  incidentId: z.uuid().nullable(),
  ruleId: z.uuid().nullable(),
  severity: SeveritySchema,
  /** One line, e.g. "web down: https://example.com is down". */
  title: z.string().max(300),
  /** A few lines of detail (the probe's message, the metric's value...). */
  summary: z.string().max(4000),
  /** What the incident is about, e.g. `probe:<id>`, `agent:<id>`, `container:<id>`. */
  subject: z.string().max(300),
  /** Extra facts shown as a list (agent name, value, threshold...). */
  fields: z.record(z.string().max(100), z.string().max(1000)).default({}),
  /** Link to the incident in eMMA when EMMA_PUBLIC_URL is known. */
  url: z.url().optional(),
  occurredAt: z.number().int().nonnegative(),
});
export type NotificationMessage = z.input<typeof NotificationMessageSchema>;

/** The message after parsing (defaults applied): what channels render. */
export type NotificationMessageData = z.output<typeof NotificationMessageSchema>;

export const NOTIFICATION_CHANNEL_TYPES = [
  'email',
  'slack',
  'teams',
  'webhook',
  'pagerduty',
  'telegram',
  'ntfy',
] as const;
export const NotificationChannelTypeSchema = z.enum(NOTIFICATION_CHANNEL_TYPES);
export type NotificationChannelType = z.infer<typeof NotificationChannelTypeSchema>;

export const DeliveryStatusSchema = z.enum(['pending', 'sending', 'succeeded', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;
