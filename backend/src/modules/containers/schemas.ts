import { z } from 'zod';
import { RangeQueryShape, TierSchema } from '../metrics/schemas';
import {
  ActionStatusSchema,
  AgentStatusSchema,
  CONTAINER_METRICS,
  ContainerActionSchema as ContainerActionKindSchema,
  ContainerHealthSchema,
  ContainerPortSchema,
  ContainerStateSchema,
  ContainerStatsSchema,
} from '@emma/protocol';

const Timestamp = z.iso.datetime({ offset: true });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A container named by its eMMA id, or by its engine id (full, or a prefix of at least 12 hex digits). */
export const ContainerRefParamsSchema = z.object({
  id: z
    .string()
    .refine(
      (value) => UUID.test(value) || /^[0-9a-fA-F]{12,64}$/.test(value),
      "an eMMA container id (uuid) or the engine's id (12 to 64 hex digits)",
    )
    .describe("eMMA container id (uuid), or the engine's id: in full, or a prefix of at least 12 hex digits"),
});

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export const ActionIdParamsSchema = z.object({ actionId: z.uuid() });

/** The newest stats of a container: the agent's ContainerStats without id and time. */
export const LatestStatsSchema = ContainerStatsSchema.omit({ id: true, ts: true });
export type LatestStats = z.infer<typeof LatestStatsSchema>;

export const ContainerSchema = z
  .object({
    id: z.uuid().describe('eMMA id of the container'),
    containerId: z.string().describe("The engine's id (64 hex digits)"),
    agent: z.object({ id: z.uuid(), name: z.string(), status: AgentStatusSchema }),
    name: z.string(),
    image: z.string(),
    labels: z.record(z.string(), z.string()),
    state: ContainerStateSchema,
    health: ContainerHealthSchema,
    exitCode: z.number().int().nullable(),
    restartCount: z.number().int(),
    ports: z.array(ContainerPortSchema),
    createdAt: Timestamp.nullable().describe('When the engine created the container'),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    stateSince: Timestamp.describe('Since when state and health have been what they are'),
    stats: LatestStatsSchema.nullable().describe('The newest stats, null before the first'),
    statsAt: Timestamp.nullable(),
    removedAt: Timestamp.nullable().describe('When a report of the agent no longer listed it'),
    actionsEnabled: z
      .boolean()
      .describe(
        'Start/stop/restart would be accepted: the agent allows actions, is neither pending nor revoked, ' +
          'and the container is not removed',
      ),
  })
  .meta({ id: 'Container' });
export type Container = z.infer<typeof ContainerSchema>;

const LIST_STATES = ContainerStateSchema.options.join('|');

export const ListContainersQuerySchema = z
  .object({
    agentId: z.uuid().optional(),
    state: z
      .string()
      .regex(new RegExp(`^(${LIST_STATES})(,(${LIST_STATES}))*$`), `a comma list of ${LIST_STATES}`)
      .optional()
      .transform((value) => (value === undefined ? undefined : [...new Set(value.split(','))]))
      .describe('Comma list of states, e.g. running,restarting'),
    health: ContainerHealthSchema.optional(),
    name: z.string().min(1).max(255).optional().describe('Part of the name, any case'),
    label: z
      .union([z.string(), z.array(z.string()).max(20)])
      .optional()
      .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
      .pipe(
        z.array(
          z
            .string()
            .min(1)
            .max(4096)
            .regex(/^[^=]+(=.*)?$/, 'key=value or key'),
        ),
      )
      .describe('Engine label `key=value` (that value) or `key` (any value); repeat for all of several'),
    includeRemoved: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true')
      .describe('Also list containers the agent no longer reports'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type ListContainersQuery = z.infer<typeof ListContainersQuerySchema>;

export const ContainerPageSchema = z.object({
  items: z.array(ContainerSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

const range = {
  from: Timestamp.optional(),
  to: Timestamp.optional().describe('Default: now'),
};

export const ContainerEventsQuerySchema = z
  .object({ ...range, limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), 'from must be before to');

export const ContainerEventsSchema = z.object({
  items: z.array(
    z.object({
      ts: Timestamp,
      action: z
        .string()
        .describe("'created', 'state' (an observed change), 'removed', or the engine's event (start, die …)"),
      state: ContainerStateSchema.nullable(),
      health: ContainerHealthSchema.nullable(),
      exitCode: z.number().int().nullable(),
      message: z.string().nullable(),
    }),
  ),
});

const METRIC_NAMES = Object.values(CONTAINER_METRICS) as [
  (typeof CONTAINER_METRICS)[keyof typeof CONTAINER_METRICS],
  ...(typeof CONTAINER_METRICS)[keyof typeof CONTAINER_METRICS][],
];

export const ContainerSeriesQuerySchema = z
  .object({
    metric: z.enum(METRIC_NAMES),
    ...RangeQueryShape,
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), 'from must be before to');

export const ContainerSeriesSchema = z.object({
  id: z.uuid(),
  metric: z.string(),
  labels: z.record(z.string(), z.string()),
  from: Timestamp,
  to: Timestamp,
  tier: TierSchema,
  stepS: z
    .number()
    .int()
    .nullable()
    .describe('The bucket width in seconds (each point the average); null: raw'),
  points: z.array(z.tuple([z.number(), z.number()])).describe('[unix ms, value], oldest first'),
  truncated: z.boolean().describe('More than `maxPoints` points: the oldest were left out'),
});

export const RequestActionSchema = z
  .object({
    action: ContainerActionKindSchema,
    stopTimeoutS: z
      .number()
      .int()
      .min(0)
      .max(600)
      .default(10)
      .describe('Seconds the engine waits for the container to stop before it kills it'),
    expiresInS: z
      .number()
      .int()
      .min(5)
      .max(3600)
      .default(60)
      .describe('The agent must take the action within this time, or it expires'),
  })
  .strict();
export type RequestActionInput = z.infer<typeof RequestActionSchema>;

export const ContainerActionSchema = z
  .object({
    id: z.uuid(),
    container: z.object({ id: z.uuid(), containerId: z.string(), name: z.string() }),
    agentId: z.uuid(),
    action: ContainerActionKindSchema,
    status: ActionStatusSchema,
    stopTimeoutS: z.number().int(),
    requestedBy: z.object({ id: z.uuid(), email: z.string(), name: z.string() }).nullable(),
    requestedAt: Timestamp,
    expiresAt: Timestamp,
    takenAt: Timestamp.nullable().describe('When the agent took it'),
    finishedAt: Timestamp.nullable(),
    message: z.string().nullable(),
  })
  .meta({ id: 'ContainerAction' });
export type ContainerActionRecord = z.infer<typeof ContainerActionSchema>;

export const ActionsQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(50) })
  .strict();

export const ContainerActionsSchema = z.object({ items: z.array(ContainerActionSchema) });

export const CommandsQuerySchema = z
  .object({
    waitS: z.coerce
      .number()
      .int()
      .min(0)
      .max(30)
      .default(0)
      .describe('Wait up to this long for a command when none is queued (long poll)'),
  })
  .strict();

export const CommandIdParamsSchema = z.object({ id: z.uuid() });

export const CommandResultAnswerSchema = z.object({ id: z.uuid(), status: ActionStatusSchema });
