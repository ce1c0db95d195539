import { z } from 'zod';
import {
  DeliveryStatusSchema,
  NotificationChannelTypeSchema,
  NotificationEventSchema,
  SeveritySchema,
  type NotificationChannelType,
} from '@emma/protocol';
import { CHANNELS, type AnyChannel } from './channels';

export const IdParamsSchema = z.object({ id: z.uuid() });

const name = z.string().trim().min(1).max(200);
const config = z
  .record(z.string(), z.unknown())
  .describe("The channel's config, secrets included; the type's schema applies (see docs/alerting.md)");

/**
 * A type's config as the OpenAPI document shows it: that type's own schema, its secret fields marked
 * `writeOnly`, so clients can build a form for each type from the document. Parsing keeps the config as
 * given: the service checks it against the type's schema and stores it without defaults.
 */
function documentedConfig(definition: AnyChannel) {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(definition.configSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const field of definition.secretFields) {
    const property = properties[field];
    if (property) properties[field] = { ...property, writeOnly: true };
  }
  return config.meta({
    ...schema,
    title: definition.label,
    description: `${definition.label} settings; writeOnly fields are secrets, stored encrypted and never returned`,
  });
}

function createBody(definition: AnyChannel) {
  return z
    .object({
      name,
      type: z.literal(definition.type as NotificationChannelType),
      config: documentedConfig(definition),
      enabled: z.boolean().default(true),
    })
    .strict();
}

const [firstChannel, ...otherChannels] = [...CHANNELS.values()].map(createBody);
if (!firstChannel) throw new Error('no notification channel types registered');

export const CreateChannelSchema = z.discriminatedUnion('type', [firstChannel, ...otherChannels]).meta({
  example: {
    name: 'ops mail',
    type: 'email',
    config: { host: 'smtp.example', port: 587, secure: false, from: 'emma@example', to: ['ops@example'] },
  },
});
export type CreateChannelInput = z.infer<typeof CreateChannelSchema>;

export const UpdateChannelSchema = z
  .object({
    name: name.optional(),
    enabled: z.boolean().optional(),
    config: config.optional().describe('The whole config; secret fields left out keep their stored values'),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export type UpdateChannelInput = z.infer<typeof UpdateChannelSchema>;

export const ChannelSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: NotificationChannelTypeSchema,
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()).describe('Without secrets'),
    secretsSet: z.array(z.string()).describe('Names of secret fields that have a stored value'),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'NotificationChannel' });
export type Channel = z.infer<typeof ChannelSchema>;

export const ListChannelsQuerySchema = z
  .object({
    type: NotificationChannelTypeSchema.optional(),
    enabled: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const ChannelPageSchema = z.object({
  items: z.array(ChannelSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const AttemptSchema = z.object({
  attempt: z.number().int(),
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().int(),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
});

export const DeliverySchema = z
  .object({
    id: z.uuid(),
    channelId: z.uuid(),
    channelName: z.string().nullable(),
    incidentId: z.uuid().nullable(),
    event: NotificationEventSchema,
    severity: SeveritySchema.nullable(),
    title: z.string().nullable(),
    status: DeliveryStatusSchema,
    attempts: z.number().int().describe('Attempts started so far'),
    nextAttemptAt: z.iso.datetime({ offset: true }).nullable().describe('When pending: the next try'),
    lastError: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    sentAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'NotificationDelivery' });
export type Delivery = z.infer<typeof DeliverySchema>;

export const DeliveryDetailSchema = DeliverySchema.extend({
  message: z.record(z.string(), z.unknown()),
  attemptLog: z.array(AttemptSchema),
}).meta({ id: 'NotificationDeliveryDetail' });
export type DeliveryDetail = z.infer<typeof DeliveryDetailSchema>;

export const ListDeliveriesQuerySchema = z
  .object({
    channelId: z.uuid().optional(),
    incidentId: z.uuid().optional(),
    status: DeliveryStatusSchema.optional(),
    event: NotificationEventSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const DeliveryPageSchema = z.object({
  items: z.array(DeliverySchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
