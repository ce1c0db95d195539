// Alerting: rules (a discriminated union on `kind`), incidents and maintenance windows. The REST API,
// the worker's evaluation and the dashboard read these schemas.
import { z } from 'zod';
import { LabelsSchema, MetricNameSchema } from './agent';
import { SeveritySchema } from './notifications';

export const ALERT_RULE_KINDS = [
  'probe_down',
  'probe_degraded',
  'agent_offline',
  'container_exited',
  'container_unhealthy',
  'container_restarting',
  'metric_threshold',
  'tls_expiry',
] as const;
export const AlertRuleKindSchema = z.enum(ALERT_RULE_KINDS);
export type AlertRuleKind = z.infer<typeof AlertRuleKindSchema>;

/** An empty selector would match everything by accident: a selector names at least one label. */
export const AlertSelectorSchema = LabelsSchema.refine(
  (labels) => Object.keys(labels).length > 0,
  'name at least one label',
);

export const ThresholdOpSchema = z.enum(['>', '>=', '<', '<=']);
export type ThresholdOp = z.infer<typeof ThresholdOpSchema>;

export const alertRuleCommon = {
  name: z.string().trim().min(1).max(200),
  severity: SeveritySchema.default('warning'),
  forS: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(0)
    .describe('How long the condition must hold before an incident opens'),
  channelIds: z.array(z.uuid()).max(50).default([]),
  repeatIntervalS: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(3600)
    .describe('Notify again this often while open and unacknowledged; 0 never repeats'),
  notifyOnResolve: z.boolean().default(true),
  enabled: z.boolean().default(true),
};

const agentId = z.uuid().optional().describe('This agent only …');
const labels = AlertSelectorSchema.optional().describe('… or agents whose labels contain these');
const probeTarget = {
  probeId: z.uuid().optional().describe('This probe only …'),
  labels: AlertSelectorSchema.optional().describe('… or probes run by agents whose labels contain these'),
};
const containerTarget = {
  agentId,
  labels,
  containerName: z.string().min(1).max(255).optional().describe('Containers with exactly this name'),
};

function kind<K extends AlertRuleKind, S extends z.ZodRawShape>(k: K, shape: S) {
  return z.strictObject({ kind: z.literal(k), ...alertRuleCommon, ...shape });
}

export const AlertRuleDefinitionSchema = z
  .discriminatedUnion('kind', [
    kind('probe_down', probeTarget),
    kind('probe_degraded', probeTarget),
    kind('agent_offline', { agentId, labels }),
    kind('container_exited', containerTarget),
    kind('container_unhealthy', containerTarget),
    kind('container_restarting', {
      ...containerTarget,
      restarts: z.number().int().min(1).max(1000).default(3),
      windowS: z.number().int().min(10).max(86_400).default(600),
    }),
    kind('metric_threshold', {
      metric: MetricNameSchema,
      op: ThresholdOpSchema,
      value: z.number(),
      agentId,
      labels,
      seriesLabels: LabelsSchema.optional().describe('Only series whose labels contain these (e.g. a mount)'),
    }),
    kind('tls_expiry', { ...probeTarget, days: z.number().int().min(1).max(3650).default(14) }),
  ])
  .superRefine((rule, ctx) => {
    const r = rule as { agentId?: string; probeId?: string; labels?: unknown };
    if (r.agentId !== undefined && r.labels !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['agentId'], message: 'give at most one of agentId or labels' });
    }
    if (r.probeId !== undefined && r.labels !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['probeId'], message: 'give at most one of probeId or labels' });
    }
  });
export type AlertRuleDefinition = z.infer<typeof AlertRuleDefinitionSchema>;
export type AlertRuleInput = z.input<typeof AlertRuleDefinitionSchema>;

export const AlertRuleSchema = z
  .looseObject({
    id: z.uuid(),
    kind: AlertRuleKindSchema,
    name: z.string(),
    severity: SeveritySchema,
    forS: z.number().int(),
    channelIds: z.array(z.uuid()),
    repeatIntervalS: z.number().int(),
    notifyOnResolve: z.boolean(),
    enabled: z.boolean(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .describe("The rule's fields as created, with its kind's targets")
  .meta({ id: 'AlertRule' });
export type AlertRule = z.infer<typeof AlertRuleSchema>;

export const IncidentStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

export const IncidentEventKindSchema = z.enum([
  'opened',
  'reopened',
  'acknowledged',
  'commented',
  'assigned',
  'resolved',
  'notified',
  'held',
]);
export type IncidentEventKind = z.infer<typeof IncidentEventKindSchema>;

export const IncidentSchema = z
  .object({
    id: z.uuid(),
    ruleId: z.uuid(),
    ruleName: z.string(),
    subject: z.string(),
    status: IncidentStatusSchema,
    severity: SeveritySchema,
    title: z.string(),
    summary: z.string(),
    openedAt: z.iso.datetime({ offset: true }),
    acknowledgedAt: z.iso.datetime({ offset: true }).nullable(),
    acknowledgedBy: z.uuid().nullable(),
    resolvedAt: z.iso.datetime({ offset: true }).nullable(),
    resolvedBy: z.uuid().nullable(),
    assigneeId: z.uuid().nullable(),
    lastNotifiedAt: z.iso.datetime({ offset: true }).nullable(),
    reopenCount: z.number().int(),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof IncidentSchema>;

export const IncidentEventSchema = z.object({
  id: z.number().int(),
  kind: IncidentEventKindSchema,
  actorId: z.uuid().nullable(),
  actorEmail: z.string().nullable(),
  comment: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type IncidentEvent = z.infer<typeof IncidentEventSchema>;

const CRON_FIELD = /^[\d*/,-]+$/;

export const MaintenanceWindowInputSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    reason: z.string().max(2000).default(''),
    agentId: z.uuid().optional(),
    probeId: z.uuid().optional(),
    containerId: z.uuid().optional().describe("eMMA's container id (not the engine's)"),
    labels: AlertSelectorSchema.optional().describe('Agents whose labels contain these'),
    startsAt: z.iso.datetime({ offset: true }).optional().describe('One-off: start; recurring: not before'),
    endsAt: z.iso.datetime({ offset: true }).optional().describe('One-off: end; recurring: not after'),
    cron: z
      .string()
      .trim()
      .refine((c) => c.split(/\s+/).length === 5 && c.split(/\s+/).every((f) => CRON_FIELD.test(f)), {
        message: 'five fields: minute hour day-of-month month day-of-week (UTC)',
      })
      .optional()
      .describe('Recurring: when each occurrence starts (5 fields, UTC)'),
    durationS: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .optional()
      .describe('Recurring: how long each occurrence lasts'),
  })
  .superRefine((w, ctx) => {
    const scopes = [w.agentId, w.probeId, w.containerId, w.labels].filter((s) => s !== undefined);
    if (scopes.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['agentId'],
        message: 'give exactly one of agentId, probeId, containerId or labels',
      });
    }
    if (w.cron === undefined) {
      if (w.startsAt === undefined || w.endsAt === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['endsAt'],
          message: 'a one-off window needs startsAt and endsAt',
        });
      }
      if (w.durationS !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['durationS'], message: 'durationS belongs to a cron window' });
      }
    } else if (w.durationS === undefined) {
      ctx.addIssue({ code: 'custom', path: ['durationS'], message: 'a cron window needs durationS' });
    }
    if (
      w.startsAt !== undefined &&
      w.endsAt !== undefined &&
      Date.parse(w.endsAt) <= Date.parse(w.startsAt)
    ) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    }
  });
export type MaintenanceWindowInput = z.infer<typeof MaintenanceWindowInputSchema>;

export const MaintenanceWindowSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    reason: z.string(),
    agentId: z.uuid().nullable(),
    probeId: z.uuid().nullable(),
    containerId: z.uuid().nullable(),
    labels: z.record(z.string(), z.string()).nullable(),
    startsAt: z.iso.datetime({ offset: true }).nullable(),
    endsAt: z.iso.datetime({ offset: true }).nullable(),
    cron: z.string().nullable(),
    durationS: z.number().int().nullable(),
    active: z.boolean().describe('In effect now'),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'MaintenanceWindow' });
export type MaintenanceWindow = z.infer<typeof MaintenanceWindowSchema>;
