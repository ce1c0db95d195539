// Per-user dashboards: a named layout of widgets on a 12-column grid, optionally shared read-only.
import { z } from 'zod';
import { IncidentStatusSchema, LabelsSchema, MetricNameSchema, SeveritySchema } from '@emma/protocol';

export const GRID_COLUMNS = 12;
export const MAX_ROWS = 4;
export const MAX_WIDGETS = 50;
export const MAX_CHART_METRICS = 5;

export const ChartRangeSchema = z.enum(['1h', '6h', '24h', '7d', '30d', '90d', '1y']);
export type ChartRange = z.infer<typeof ChartRangeSchema>;

const WidgetBase = {
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')
    .describe('Chosen by the client; unique within the dashboard'),
  title: z.string().trim().max(200).default(''),
  x: z
    .number()
    .int()
    .min(0)
    .max(GRID_COLUMNS - 1)
    .describe('Column, 0..11'),
  y: z.number().int().min(0).max(10_000).describe('Row'),
  w: z.number().int().min(1).max(GRID_COLUMNS).describe('Width in columns, 1..12'),
  h: z.number().int().min(1).max(MAX_ROWS).describe('Height in rows, 1..4'),
};

export const ChartQuerySchema = z
  .strictObject({
    metric: z.array(MetricNameSchema).min(1).max(MAX_CHART_METRICS),
    agent: z.uuid().optional(),
    agentLabels: LabelsSchema.optional().describe('Agents with all these labels'),
    label: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*=[^,]*$/, 'key=value')
      .optional()
      .describe('Only series with this label, as key=value'),
    range: ChartRangeSchema,
    agg: z.enum(['avg', 'min', 'max', 'last']).optional(),
  })
  .refine((q) => q.agent !== undefined || (q.agentLabels && Object.keys(q.agentLabels).length > 0), {
    message: 'name an agent or agent labels',
    path: ['agent'],
  });

export const ChartWidgetSchema = z
  .strictObject({ ...WidgetBase, type: z.literal('chart'), query: ChartQuerySchema })
  .meta({ id: 'ChartWidget' });

export const StatusSelectorSchema = z.strictObject({
  kind: z.enum(['agents', 'probes', 'containers']),
  labels: LabelsSchema.optional(),
  q: z.string().trim().max(200).optional().describe('Finds this text in the name'),
});

export const StatusWidgetSchema = z
  .strictObject({ ...WidgetBase, type: z.literal('status'), selector: StatusSelectorSchema })
  .meta({ id: 'StatusWidget' });

export const IncidentsWidgetSchema = z
  .strictObject({
    ...WidgetBase,
    type: z.literal('incidents'),
    status: z.array(IncidentStatusSchema).max(3).optional(),
    severity: z.array(SeveritySchema).max(3).optional(),
    limit: z.number().int().min(1).max(50),
  })
  .meta({ id: 'IncidentsWidget' });

export const WidgetSchema = z
  .discriminatedUnion('type', [ChartWidgetSchema, StatusWidgetSchema, IncidentsWidgetSchema])
  .superRefine((w, ctx) => {
    if (w.x + w.w > GRID_COLUMNS) {
      ctx.addIssue({ code: 'custom', message: `x + w must not exceed ${GRID_COLUMNS}`, path: ['w'] });
    }
  })
  .meta({ id: 'Widget' });
export type Widget = z.infer<typeof WidgetSchema>;

export const WidgetsSchema = z
  .array(WidgetSchema)
  .max(MAX_WIDGETS)
  .superRefine((widgets, ctx) => {
    const seen = new Set<string>();
    widgets.forEach((w, i) => {
      if (seen.has(w.id))
        ctx.addIssue({ code: 'custom', message: 'widget ids must be unique', path: [i, 'id'] });
      seen.add(w.id);
    });
  });

const NameSchema = z.string().trim().min(1).max(200);
const DescriptionSchema = z.string().trim().max(2000);

export const CreateDashboardSchema = z
  .strictObject({
    name: NameSchema,
    description: DescriptionSchema.default(''),
    shared: z.boolean().default(false),
    widgets: WidgetsSchema.default([]),
  })
  .meta({ id: 'CreateDashboard' });
export type CreateDashboard = z.infer<typeof CreateDashboardSchema>;

export const UpdateDashboardSchema = z
  .strictObject({
    name: NameSchema.optional(),
    description: DescriptionSchema.optional(),
    shared: z.boolean().optional(),
    widgets: WidgetsSchema.optional().describe('Replaces all widgets'),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change')
  .meta({ id: 'UpdateDashboard' });
export type UpdateDashboard = z.infer<typeof UpdateDashboardSchema>;

export const DashboardOwnerSchema = z
  .object({ id: z.uuid(), name: z.string(), email: z.string() })
  .meta({ id: 'DashboardOwner' });

const Timestamp = z.string();

export const DashboardSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    owner: DashboardOwnerSchema,
    mine: z.boolean().describe('The caller owns it (and may change it)'),
    shared: z.boolean().describe('Other users may read it'),
    widgetCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'DashboardSummary' });
export type DashboardSummary = z.infer<typeof DashboardSummarySchema>;

export const DashboardSchema = DashboardSummarySchema.extend({ widgets: z.array(WidgetSchema) }).meta({
  id: 'Dashboard',
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const DashboardPageSchema = z.object({
  items: z.array(DashboardSummarySchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const ListDashboardsQuerySchema = z
  .object({
    q: z.string().trim().min(1).max(200).optional().describe('Finds this text in the name'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const IdParamsSchema = z.object({ id: z.uuid() });
