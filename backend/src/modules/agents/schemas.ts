import { z } from 'zod';
import { AgentStatusSchema, HostFactsSchema, LabelsSchema } from '@emma/protocol';

export const IdParamsSchema = z.object({ id: z.uuid() });

export const EnrollmentTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    labels: z.record(z.string(), z.string()),
    maxUses: z.number().int(),
    uses: z.number().int(),
    requiresApproval: z.boolean(),
    expiresAt: z.iso.datetime({ offset: true }),
    status: z.enum(['active', 'expired', 'used_up', 'revoked']),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'EnrollmentToken' });
export type EnrollmentToken = z.infer<typeof EnrollmentTokenSchema>;

export const CreateEnrollmentTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    expiresInS: z
      .number()
      .int()
      .min(60)
      .max(365 * 86400)
      .default(86400)
      .describe('Lifetime in seconds (default one day)'),
    maxUses: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(1)
      .describe('1 for one host, N for a fleet rollout'),
    labels: LabelsSchema.default({}).describe('Given to every agent that enrols with this token'),
    requiresApproval: z
      .boolean()
      .default(false)
      .describe('Agents wait as pending until an operator approves them'),
  })
  .strict();

export const InstallSchema = z
  .object({
    image: z.string(),
    serverUrl: z.string(),
    token: z.string(),
    dockerRun: z.string(),
    compose: z.string(),
  })
  .meta({ id: 'AgentInstall' });

export const CreatedEnrollmentTokenSchema = z.object({
  enrollmentToken: EnrollmentTokenSchema,
  token: z.string().describe('The enrolment token itself'),
  install: InstallSchema,
});

export const AgentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    labels: z.record(z.string(), z.string()),
    status: AgentStatusSchema,
    host: z.record(z.string(), z.unknown()),
    intervalS: z.number().int(),
    lastSeenAt: z.iso.datetime({ offset: true }).nullable(),
    lastSeq: z.number().int(),
    droppedBatches: z.number().int(),
    approvedAt: z.iso.datetime({ offset: true }).nullable(),
    rotateCredential: z.boolean(),
    enrollmentTokenId: z.uuid().nullable(),
    containers: z
      .object({
        engine: z.record(z.string(), z.unknown()).nullable(),
        actionsEnabled: z.boolean().nullable(),
        reportedAt: z.iso.datetime({ offset: true }).nullable(),
      })
      .describe('What the agent last said about its container engine; nulls until it reports one'),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    deletedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof AgentSchema>;

export const ListAgentsQuerySchema = z
  .object({
    status: AgentStatusSchema.optional(),
    q: z.string().max(200).optional().describe('Search in name and hostname'),
    label: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*=[^,]*$/, 'key=value')
      .optional()
      .describe('Only agents carrying this label, as key=value'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const AgentPageSchema = z.object({
  items: z.array(AgentSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const UpdateAgentSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    labels: LabelsSchema.optional(),
    approved: z.literal(true).optional().describe('Approve a pending agent'),
    intervalS: z.number().int().min(1).max(3600).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export type UpdateAgentInput = z.infer<typeof UpdateAgentSchema>;

export const AgentEventSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  details: z.unknown(),
  occurredAt: z.iso.datetime({ offset: true }),
});

export { HostFactsSchema };
