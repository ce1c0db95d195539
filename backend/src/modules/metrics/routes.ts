// Reads of the time-series store: each agent's newest host metrics, and raw points of a time range.
// (Rollup tiers and tier choice come with the history work; this serves raw samples.)
import { z } from 'zod';
import { MetricNameSchema } from '@emma/protocol';
import { findAgent } from '../agents/repo';
import * as repo from './repo';
import { notFound } from '../../http/errors';
import type { ApiRouter } from '../../http/route';

const LatestSchema = z.object({
  agentId: z.uuid(),
  items: z.array(
    z.object({
      metric: z.string(),
      labels: z.record(z.string(), z.string()),
      ts: z.iso.datetime({ offset: true }),
      value: z.number(),
    }),
  ),
});

const MAX_POINTS = 10_000;

const SeriesQuerySchema = z
  .object({
    agent: z.uuid(),
    metric: MetricNameSchema,
    from: z.iso.datetime({ offset: true }).optional().describe('Default: one hour before `to`'),
    to: z.iso.datetime({ offset: true }).optional().describe('Default: now'),
    label: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*=[^,]*$/, 'key=value')
      .optional()
      .describe('Only series with this label, as key=value'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), 'from must be before to');

const SeriesResultSchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  tier: z.literal('raw'),
  series: z.array(
    z.object({
      metric: z.string(),
      labels: z.record(z.string(), z.string()),
      points: z.array(z.tuple([z.number(), z.number()])).describe('[unix ms, value]'),
      truncated: z.boolean().describe(`More than ${MAX_POINTS} points: the newest were left out`),
    }),
  ),
});

export function registerMetricRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/api/v1/agents/:id/metrics/latest',
    access: 'metrics:read',
    tags: ['metrics'],
    summary: 'The newest value of each metric of an agent',
    params: z.object({ id: z.uuid() }),
    responses: {
      200: { description: 'Latest values', schema: LatestSchema },
      404: { description: 'No such agent' },
    },
    handler: async (ctx, { params }) => {
      if (!(await findAgent(ctx.state.db, params.id))) throw notFound('Agent');
      const rows = await repo.latest(ctx.state.db, params.id);
      return {
        agentId: params.id,
        items: rows.map((row) => ({
          metric: row.metric,
          labels: row.labels,
          ts: row.last_ts.toISOString(),
          value: row.last_value,
        })),
      };
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/series/query',
    access: 'metrics:read',
    tags: ['metrics'],
    summary: 'Raw points of a metric of an agent in a time range',
    query: SeriesQuerySchema,
    responses: { 200: { description: 'Series with their points', schema: SeriesResultSchema } },
    handler: async (ctx, { query }) => {
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
      const [key, ...value] = query.label ? query.label.split('=') : [];
      const labels = key === undefined ? {} : { [key]: value.join('=') };
      const series = await repo.matchingSeries(ctx.state.db, query.agent, query.metric, labels);
      const result = [];
      for (const s of series) {
        const points = await repo.points(ctx.state.db, s.id, from, to, MAX_POINTS + 1);
        result.push({
          metric: s.metric,
          labels: s.labels,
          points: points.slice(0, MAX_POINTS).map((p): [number, number] => [Math.round(p.t), p.v]),
          truncated: points.length > MAX_POINTS,
        });
      }
      return { from: from.toISOString(), to: to.toISOString(), tier: 'raw' as const, series: result };
    },
  });
}
