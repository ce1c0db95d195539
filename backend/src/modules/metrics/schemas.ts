import { z } from 'zod';
import { commaList } from '../../http/query';
import { MetricNameSchema } from '@emma/protocol';
import { AGGREGATES } from '../history/query-repo';
import { MAX_POINTS } from '../history/tiers';

export { MAX_POINTS };
const Timestamp = z.iso.datetime({ offset: true });
/** Series one query reads at most (a label selector may match many agents). */
export const MAX_SERIES = 200;
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

const LabelPair = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_.-]*=[^,]*$/, 'key=value');

/** The range part every history query shares. */
export const RangeQueryShape = {
  from: Timestamp.optional().describe('Default: one hour before `to`'),
  to: Timestamp.optional().describe('Default: now'),
  step: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .optional()
    .describe(
      'Resolution in seconds: each point stands for one bucket of this width (aligned to the unix epoch), at ' +
        'the bucket start. Without it the server picks one from the range: raw samples for short ranges, else ' +
        `the smallest round step that keeps each series within \`maxPoints\`. A step is raised to that minimum ` +
        "too, and to a whole number of the tier's buckets (minutes or hours); the answer says what it used.",
    ),
  maxPoints: z.coerce
    .number()
    .int()
    .min(10)
    .max(MAX_POINTS)
    .optional()
    .describe(`Most points per series (default and limit ${MAX_POINTS}); e.g. the chart's width in pixels`),
};

export const SeriesQuerySchema = z
  .object({
    agent: z.uuid().optional().describe('One agent; or select agents by `agentLabel`'),
    agentLabel: commaList(LabelPair, 10)
      .optional()
      .describe(
        'Agents whose labels include all of these key=value pairs (comma list), e.g. env=prod,site=berlin',
      ),
    metric: commaList(MetricNameSchema, MAX_METRICS).describe(
      `A metric name, or a comma list of up to ${MAX_METRICS} (e.g. mem.used.bytes,mem.total.bytes)`,
    ),
    label: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*=[^,]*$/, 'key=value')
      .optional()
      .describe('Only series with this label, as key=value'),
    agg: z
      .enum(AGGREGATES)
      .optional()
      .describe("What a bucket's point is: avg (default), min, max, last or count of the samples in it"),
    ...RangeQueryShape,
  })
  .strict()
  .refine((q) => q.agent !== undefined || q.agentLabel !== undefined, {
    message: 'Name an agent or an agent label selector',
    path: ['agent'],
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), 'from must be before to');

export const TierSchema = z
  .enum(['raw', '1m', '1h'])
  .describe('raw: samples as stored; 1m / 1h: the 1-minute or 1-hour rollups (and the newest raw samples)');

export const SeriesResultSchema = z.object({
  from: Timestamp,
  to: Timestamp,
  tier: TierSchema,
  stepS: z.number().int().nullable().describe('The bucket width in seconds; null: raw samples'),
  series: z.array(
    z.object({
      agentId: z.uuid(),
      metric: z.string(),
      labels: z.record(z.string(), z.string()),
      points: z.array(z.tuple([z.number(), z.number()])).describe('[unix ms, value], oldest first'),
      truncated: z.boolean().describe(`More than \`maxPoints\` points: the oldest were left out`),
    }),
  ),
  seriesLimited: z.boolean().describe(`More than ${MAX_SERIES} series matched: only the first were read`),
});
