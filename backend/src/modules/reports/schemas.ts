import { z } from 'zod';
import { commaList } from '../../http/query';

const Timestamp = z.iso.datetime({ offset: true });

/** The longest range one report may cover. */
export const MAX_SPAN_DAYS = 731;
/** Probe or agent ids one filter may name. */
export const MAX_FILTER_IDS = 200;

export const ReportGroupSchema = z.enum(['probe', 'agent', 'label']);
export type ReportGroup = z.infer<typeof ReportGroupSchema>;

export const LatencyP95SourceSchema = z
  .enum(['raw', 'rollup'])
  .describe(
    "'raw': the exact 95th percentile of the latencies of the checks that were not down (the whole range is " +
      "within raw retention); 'rollup': the check-weighted mean of the per-bucket p95s.",
  );

export const UptimeReportQuerySchema = z
  .object({
    from: Timestamp.optional().describe('Start of the range (default: 30 days before `to`)'),
    to: Timestamp.optional().describe('End of the range, exclusive (default: now)'),
    group: ReportGroupSchema.default('probe').describe(
      'One item per probe, per agent, or per value of the agent label named by `label`',
    ),
    label: z
      .string()
      .regex(/^[A-Za-z0-9_.\-/]{1,100}$/, 'a label key')
      .optional()
      .describe('The agent label key to group by; required with group=label'),
    probe: commaList(z.uuid(), MAX_FILTER_IDS)
      .optional()
      .describe(`Only these probes (comma list of up to ${MAX_FILTER_IDS} ids)`),
    agent: commaList(z.uuid(), MAX_FILTER_IDS)
      .optional()
      .describe(`Only checks run by these agents (comma list of up to ${MAX_FILTER_IDS} ids)`),
  })
  .strict()
  .refine((q) => q.group !== 'label' || q.label !== undefined, {
    message: 'group=label needs the label key to group by',
    path: ['label'],
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['from'],
  })
  .refine(
    (q) => {
      const to = q.to ? Date.parse(q.to) : Date.now();
      const from = q.from ? Date.parse(q.from) : to - 30 * 86_400_000;
      return to - from <= MAX_SPAN_DAYS * 86_400_000;
    },
    { message: `the range may span at most ${MAX_SPAN_DAYS} days`, path: ['from'] },
  );
export type UptimeReportQuery = z.infer<typeof UptimeReportQuerySchema>;

const Figures = {
  availabilityPct: z
    .number()
    .nullable()
    .describe('(up + degraded) / checks × 100 over the checks outside maintenance; null without checks'),
  checks: z.number().int().describe('Checks outside maintenance'),
  downChecks: z.number().int().describe('Checks outside maintenance that were down'),
  downtimeMinutes: z
    .number()
    .describe(
      'Σ over the buckets outside maintenance of (down checks / checks in the bucket) × the bucket length ' +
        '(1 minute; 1 hour on the hour tier), over all the probe-agent pairs of the item in that bucket',
    ),
  maintenanceMinutes: z
    .number()
    .describe(
      'Minutes of the range excluded because a maintenance window covered at least one of the probe-agent ' +
        'pairs of the item (whole buckets: a bucket that overlaps an occurrence is excluded)',
    ),
  incidents: z
    .number()
    .int()
    .describe('Incidents about the probe(s) or agent(s) of the item opened within [from, to)'),
  mttrS: z
    .number()
    .nullable()
    .describe('Mean time to resolve of those incidents that are resolved, in seconds; null when none is'),
  latencyP95Ms: z.number().nullable().describe('95th percentile latency of the checks that were not down'),
  latencyP95Source: LatencyP95SourceSchema,
};

export const UptimeReportItemSchema = z
  .object({
    key: z
      .string()
      .describe("The probe id, the agent id, or the label's value ('' for agents without the label)"),
    name: z.string().describe('The probe or agent name, or the label as key=value'),
    probeCount: z.number().int().optional().describe('Probes in the group (group=agent or label)'),
    ...Figures,
  })
  .meta({ id: 'UptimeReportItem' });
export type UptimeReportItem = z.infer<typeof UptimeReportItemSchema>;

export const UptimeReportSchema = z
  .object({
    from: Timestamp.describe(
      'The start actually used: `from` rounded down to the minute (to the hour on the 1 h tier)',
    ),
    to: Timestamp.describe('The end actually used: `to` rounded up to the minute'),
    group: ReportGroupSchema,
    label: z.string().nullable().describe('The label key grouped by (group=label)'),
    generatedAt: Timestamp,
    totals: z
      .object({ probeCount: z.number().int(), ...Figures })
      .describe('Over every probe-agent pair in the report'),
    items: z.array(UptimeReportItemSchema).describe('Sorted by name, then key'),
  })
  .meta({ id: 'UptimeReport' });
export type UptimeReport = z.infer<typeof UptimeReportSchema>;
