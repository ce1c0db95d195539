import { z } from 'zod';
import { commaList } from '../../http/query';
import { MetricNameSchema } from '@emma/protocol';

const Timestamp = z.iso.datetime({ offset: true });
export const MAX_POINTS = 10_000;
/** Metric names one query may ask for at once (a host view's charts in one request). */
export const MAX_METRICS = 20;
/** Agents one batched latest read may ask for (the rows a list shows; keeps the URL short). */
export const MAX_AGENTS = 100;

/** A comma list of distinct items, each checked by `item`. */
const LatestItemSchema = z.object({
  metric: z.string(),
  labels: z.record(z.string(), z.string()),
  ts: Timestamp,
  value: z.number(),
});

export const LatestSchema = z.object({
  agentId: z.uuid(),
  items: z.array(LatestItemSchema),
});

export const BatchLatestQuerySchema = z
  .object({
    agents: commaList(z.uuid(), MAX_AGENTS).describe(`Comma list of up to ${MAX_AGENTS} agent ids`),
    metrics: commaList(MetricNameSchema, MAX_METRICS).describe(
      `Comma list of up to ${MAX_METRICS} metric names, e.g. cpu.percent,mem.used.bytes`,
    ),
  })
  .strict();

export const BatchLatestSchema = z.object({
  items: z
    .array(LatestItemSchema.extend({ agentId: z.uuid() }))
    .describe('One item per series of a listed agent that is not deleted and has a value'),
});

export const SeriesQuerySchema = z
  .object({
    agent: z.uuid(),
    metric: commaList(MetricNameSchema, MAX_METRICS).describe(
      `A metric name, or a comma list of up to ${MAX_METRICS} (e.g. mem.used.bytes,mem.total.bytes)`,
    ),
    from: Timestamp.optional().describe('Default: one hour before `to`'),
    to: Timestamp.optional().describe('Default: now'),
    label: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*=[^,]*$/, 'key=value')
      .optional()
      .describe('Only series with this label, as key=value'),
    step: z.coerce
      .number()
      .int()
      .min(1)
      .max(86_400)
      .optional()
      .describe(
        'Resolution in seconds: each point is the average of one bucket of this width (aligned to the ' +
          'unix epoch) at the bucket start. Without it, raw samples. Pick it so (to − from) / step stays ' +
          'near the number of pixels shown: a 30-day chart then is about a thousand points, not millions.',
      ),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), 'from must be before to');

export const SeriesResultSchema = z.object({
  from: Timestamp,
  to: Timestamp,
  tier: z.literal('raw').describe('Read from raw samples (the only tier so far)'),
  stepS: z.number().int().nullable().describe('The bucket width in seconds; null: raw samples'),
  series: z.array(
    z.object({
      metric: z.string(),
      labels: z.record(z.string(), z.string()),
      points: z.array(z.tuple([z.number(), z.number()])).describe('[unix ms, value], oldest first'),
      truncated: z.boolean().describe(`More than ${MAX_POINTS} points: the newest were left out`),
    }),
  ),
});
