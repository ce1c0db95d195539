// Reads of the time-series store: each agent's newest host metrics (one agent, or a list's rows at once),
// and the points of a time range from the storage tier that fits it (history/series.ts).
import { z } from 'zod';
import { findAgent } from '../agents/repo';
import * as repo from './repo';
import { notFound } from '../../http/errors';
import type { ApiRouter } from '../../http/route';
import type { CsvTable, CsvValue } from '../../http/csv';
import type { Retention } from '../ingest/partitions';
import { seriesPoints } from '../history/series';
import {
  BatchLatestQuerySchema,
  BatchLatestSchema,
  LatestSchema,
  MAX_SERIES,
  SeriesQuerySchema,
  SeriesResultSchema,
} from './schemas';

export function registerMetricRoutes(api: ApiRouter, deps: { retention: Retention }): void {
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
    summary: 'Points of metrics of an agent (or of agents selected by labels) in a time range',
    description:
      'Reads the coarsest storage tier that still gives the resolution: raw samples (kept ' +
      '`EMMA_RAW_RETENTION_DAYS`), 1-minute rollups (`EMMA_ROLLUP_1M_RETENTION_DAYS`) or 1-hour rollups ' +
      '(`EMMA_ROLLUP_1H_RETENTION_DAYS`), and says which (`tier`) at which step (`stepS`). The newest minutes, ' +
      'which the rollups have not reached yet, come from raw samples.',
    query: SeriesQuerySchema,
    responses: { 200: { description: 'Series with their points', schema: SeriesResultSchema } },
    representations: { csv: seriesCsv },
    handler: async (ctx, { query }) => {
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
      const [key, ...value] = query.label ? query.label.split('=') : [];
      const labels = key === undefined ? {} : { [key]: value.join('=') };
      const selected = await repo.selectSeries(
        ctx.state.db,
        {
          agentId: query.agent,
          agentLabels: query.agentLabel ? labelPairs(query.agentLabel) : undefined,
          metrics: query.metric,
          labels,
        },
        MAX_SERIES + 1,
      );
      const answer = await seriesPoints(
        ctx.state.db,
        selected.slice(0, MAX_SERIES),
        { from, to, stepS: query.step, maxPoints: query.maxPoints, aggregate: query.agg },
        deps.retention,
      );
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        tier: answer.tier,
        stepS: answer.stepS,
        series: answer.series.map((s) => ({
          agentId: s.agentId,
          metric: s.metric,
          labels: s.labels,
          points: s.points,
          truncated: s.truncated,
        })),
        seriesLimited: selected.length > MAX_SERIES,
      };
    },
  });
}

/** key=value pairs → a label object. */
function labelPairs(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

function seriesCsv(result: z.infer<typeof SeriesResultSchema>): CsvTable {
  const rows: CsvValue[][] = [];
  for (const s of result.series) {
    const labels = Object.entries(s.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(';');
    for (const [t, v] of s.points) rows.push([s.agentId, s.metric, labels, new Date(t).toISOString(), v]);
  }
  return { columns: ['agent_id', 'metric', 'labels', 'time', 'value'], rows };
}
