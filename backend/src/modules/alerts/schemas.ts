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
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("Finds this text in the title, the summary or the rule's name"),
    severity: SeveritySchema.optional(),
    ruleId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** What an incident is about, with current names, so clients can name and link it. */
export const IncidentTargetSchema = z
  .object({
    kind: z.enum(['agent', 'probe', 'container', 'series']),
    id: z.string().describe('The agent, probe or container id; the series number'),
    name: z
      .string()
      .nullable()
      .describe('Its name (a series: metric{labels}); null when it no longer exists'),
    agentId: z
      .uuid()
      .nullable()
      .describe("The host it is on: the agent itself, a container's or a series' agent; null for a probe"),
    agentName: z.string().nullable(),
  })
  .meta({ id: 'IncidentTarget' });
export type IncidentTarget = z.infer<typeof IncidentTargetSchema>;

/** An incident as the API lists it: with its target and the assignee's name. */
export const IncidentViewSchema = IncidentSchema.extend({
  assigneeName: z.string().nullable(),
  target: IncidentTargetSchema.nullable().describe('null for a subject eMMA does not know'),
}).meta({ id: 'IncidentView' });
export type IncidentView = z.infer<typeof IncidentViewSchema>;

export const IncidentPageSchema = z.object({
  items: z.array(IncidentViewSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const IncidentDetailSchema = IncidentViewSchema.extend({ history: z.array(IncidentEventSchema) }).meta(
  {
    id: 'IncidentDetail',
  },
);

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
