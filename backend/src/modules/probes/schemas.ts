import { z } from 'zod';
import { commaList } from '../../http/query';
import {
  LabelsSchema,
  PROBE_CONFIG_SCHEMAS,
  ProbeStateSchema,
  ProbeTypeSchema,
  strictProbeDefinition,
  type ProbeType,
} from '@emma/protocol';
import { SECRET_FIELDS } from './secrets';

// Secret fields are write-only: marked so in the OpenAPI document, clients (the dashboard's generated probe
// form) render them as password inputs and never expect them back. SECRET_FIELDS stays the one list.
for (const [type, fields] of Object.entries(SECRET_FIELDS)) {
  const shape: Record<string, z.ZodType> = PROBE_CONFIG_SCHEMAS[type as ProbeType].shape;
  for (const field of fields) {
    const schema = shape[field];
    if (schema) z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), writeOnly: true });
  }
}

export const ProbeIdParamsSchema = z.object({ id: z.uuid() });

/** An empty selector would match every agent by accident; say so with at least one label. */
const SelectorSchema = LabelsSchema.refine(
  (labels) => Object.keys(labels).length > 0,
  'name at least one label',
);

const placement = {
  agentId: z.uuid().optional().describe('Run on this agent …'),
  labels: SelectorSchema.optional().describe('… or on every agent whose labels contain these'),
};

const common = {
  name: z.string().trim().min(1).max(200),
  intervalS: z.number().int().min(5).max(86_400).default(60),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  retries: z.number().int().min(0).max(10).default(0).describe('Failures in a row before the probe is down'),
  paused: z.boolean().default(false),
};

/** A component of the OpenAPI document: the dashboard builds its probe form from this union at runtime. */
export const CreateProbeSchema = strictProbeDefinition({ ...common, ...placement })
  .superRefine((body, ctx) => {
    if ((body.agentId === undefined) === (body.labels === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['agentId'], message: 'give exactly one of agentId or labels' });
    }
    if (body.timeoutMs >= body.intervalS * 1000) {
      ctx.addIssue({ code: 'custom', path: ['timeoutMs'], message: 'must be shorter than the interval' });
    }
  })
  .meta({ id: 'CreateProbe' });
export type CreateProbeInput = z.infer<typeof CreateProbeSchema>;

export const UpdateProbeSchema = z
  .object({
    name: common.name.optional(),
    intervalS: z.number().int().min(5).max(86_400).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    retries: z.number().int().min(0).max(10).optional(),
    paused: z.boolean().optional(),
    agentId: z.uuid().optional(),
    labels: SelectorSchema.optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The whole config; the type's schema applies"),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change')
  .refine(
    (body) => body.agentId === undefined || body.labels === undefined,
    'give at most one of agentId or labels',
  );
export type UpdateProbeInput = z.infer<typeof UpdateProbeSchema>;

export const ProbeAgentStateSchema = z.object({
  agentId: z.uuid(),
  state: ProbeStateSchema,
  consecutiveFailures: z.number().int(),
  since: z.iso.datetime({ offset: true }),
  lastResultAt: z.iso.datetime({ offset: true }).nullable(),
  lastLatencyMs: z.number().nullable(),
  lastMessage: z.string().nullable(),
});

export const ProbeSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: ProbeTypeSchema,
    config: z.record(z.string(), z.unknown()).describe('Without secrets'),
    secretsSet: z.array(z.string()).describe('Names of secret fields that have a stored value'),
    intervalS: z.number().int(),
    timeoutMs: z.number().int(),
    retries: z.number().int(),
    agentId: z.uuid().nullable(),
    labels: z.record(z.string(), z.string()).nullable(),
    paused: z.boolean(),
    state: ProbeStateSchema,
    agents: z.array(ProbeAgentStateSchema),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Probe' });
export type Probe = z.infer<typeof ProbeSchema>;

export const ListProbesQuerySchema = z
  .object({
    type: ProbeTypeSchema.optional(),
    state: ProbeStateSchema.optional(),
    agentId: z.uuid().optional(),
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const ProbePageSchema = z.object({
  items: z.array(ProbeSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const ResultsQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    agentId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict();

export const ResultsSchema = z.object({
  items: z.array(
    z.object({
      agentId: z.uuid(),
      ts: z.iso.datetime({ offset: true }),
      status: z.enum(['up', 'down', 'degraded']),
      latencyMs: z.number().nullable(),
      message: z.string(),
      details: z.unknown(),
    }),
  ),
});

const WindowSchema = z.object({
  checks: z.number().int(),
  upChecks: z.number().int(),
  uptimePercent: z.number().nullable(),
  latencyP50Ms: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  latencyP99Ms: z.number().nullable(),
});

export const UptimeSchema = z.object({
  probeId: z.uuid(),
  windows: z.object({ '24h': WindowSchema, '7d': WindowSchema, '30d': WindowSchema }),
});

export const ProbeEventsSchema = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      agentId: z.uuid().nullable(),
      from: z.string(),
      to: z.string(),
      message: z.string().nullable(),
      occurredAt: z.iso.datetime({ offset: true }),
    }),
  ),
});

const MAX_BAR_PROBES = 200;

export const UptimeBarsQuerySchema = z
  .object({
    ids: commaList(
      z.uuid().transform((id) => id.toLowerCase()),
      MAX_BAR_PROBES,
    ).describe(`Comma list of probe ids, at most ${MAX_BAR_PROBES} (the rows a list shows)`),
    hours: z.coerce.number().int().min(1).max(720).default(24).describe('How far back'),
    buckets: z.coerce.number().int().min(1).max(120).default(24).describe('Into how many equal windows'),
  })
  .strict();
export type UptimeBarsQuery = z.infer<typeof UptimeBarsQuerySchema>;

const BucketSchema = z.object({
  checks: z.number().int(),
  down: z.number().int(),
  degraded: z.number().int(),
});

export const UptimeBarsSchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }).describe('The end of the newest (still running) window'),
  bucketMs: z.number().int(),
  items: z
    .array(
      z.object({
        probeId: z.uuid(),
        buckets: z.array(BucketSchema).describe('Oldest first; checks 0 where the probe had no results'),
      }),
    )
    .describe('One per existing probe asked for, in the order asked; unknown or deleted ids are left out'),
});
