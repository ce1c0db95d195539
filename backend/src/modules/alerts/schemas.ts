import { z } from 'zod';
import {
  AlertRuleDefinitionSchema,
  AlertRuleKindSchema,
  AlertRuleSchema,
  IncidentEventSchema,
  IncidentSchema,
  IncidentStatusSchema,
  MaintenanceWindowInputSchema,
  MaintenanceWindowSchema,
  SeveritySchema,
} from '@emma/protocol';

export const IdParamsSchema = z.object({ id: z.uuid() });

export const CreateRuleSchema = AlertRuleDefinitionSchema;

/** Fields to change; the merged rule is checked against its kind's schema again. null removes a target. */
export const UpdateRuleSchema = z
  .record(z.string(), z.unknown())
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change')
  .describe("Any of the rule's fields; null removes an optional one (e.g. agentId to switch to labels)");

export const ListRulesQuerySchema = z
  .object({
    kind: AlertRuleKindSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const RulePageSchema = z.object({
  items: z.array(AlertRuleSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const ListIncidentsQuerySchema = z
  .object({
    status: IncidentStatusSchema.optional(),
    severity: SeveritySchema.optional(),
    ruleId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const IncidentPageSchema = z.object({
  items: z.array(IncidentSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const IncidentDetailSchema = IncidentSchema.extend({ history: z.array(IncidentEventSchema) });

export const CommentBodySchema = z.strictObject({ comment: z.string().trim().min(1).max(4000).optional() });
export const TextBodySchema = z.strictObject({ text: z.string().trim().min(1).max(4000) });
export const AssignBodySchema = z.strictObject({ userId: z.uuid().nullable() });

export const CreateWindowSchema = MaintenanceWindowInputSchema;
export const UpdateWindowSchema = z
  .record(z.string(), z.unknown())
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change')
  .describe("Any of the window's fields; null removes an optional one");
export const WindowPageSchema = z.object({
  items: z.array(MaintenanceWindowSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export const ListWindowsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
