// Reads of the time-series store: each agent's newest host metrics (one agent, or a list's rows at once),
// and the points of a time range, raw or averaged into buckets so a long range stays a few thousand points.
// (Rollup tables come with the history work; buckets are computed from raw samples until then.)
import { z } from 'zod';
import { findAgent } from '../agents/repo';
import * as repo from './repo';
import { notFound } from '../../http/errors';
import type { ApiRouter } from '../../http/route';
import {
  BatchLatestQuerySchema,
  BatchLatestSchema,
  LatestSchema,
  MAX_POINTS,
  SeriesQuerySchema,
  SeriesResultSchema,
} from './schemas';

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
    path: '/api/v1/metrics/latest',
    access: 'metrics:read',
    tags: ['metrics'],
    summary: 'The newest value of some metrics of several agents (the rows a host list shows)',
    description:
      'One request instead of one per agent. Unknown and deleted agents simply have no items. New values ' +
      'arrive as `samples` changes on the `agent:<id>` topics.',
    query: BatchLatestQuerySchema,
    responses: { 200: { description: 'Latest values', schema: BatchLatestSchema } },
    handler: async (ctx, { query }) => {
      const rows = await repo.latestOfAgents(ctx.state.db, query.agents, query.metrics);
      return {
        items: rows.map((row) => ({
          agentId: row.agent_id,
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
    summary: 'Points of metrics of an agent in a time range, raw or averaged per step',
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
        const points =
          query.step === undefined
            ? await repo.points(ctx.state.db, s.id, from, to, MAX_POINTS + 1)
            : await repo.bucketedPoints(ctx.state.db, s.id, from, to, query.step, MAX_POINTS + 1);
        result.push({
          metric: s.metric,
          labels: s.labels,
          points: points.slice(0, MAX_POINTS).map((p): [number, number] => [Math.round(p.t), p.v]),
          truncated: points.length > MAX_POINTS,
        });
      }
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        tier: 'raw' as const,
        stepS: query.step ?? null,
        series: result,
      };
    },
  });
}
