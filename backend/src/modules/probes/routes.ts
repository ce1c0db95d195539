import { requestOrigin } from '../../http/context';
import type { ApiRouter } from '../../http/route';
import { notFound } from '../../http/errors';
import {
  probeHistory,
  probeHistoryCsv,
  ProbeHistoryQuerySchema,
  ProbeHistorySchema,
} from '../history/probe-history';
import * as probesRepo from './repo';
import type { Retention } from '../ingest/partitions';
import {
  CreateProbeSchema,
  ListProbesQuerySchema,
  ProbeEventsSchema,
  ProbeIdParamsSchema,
  ProbePageSchema,
  ProbeSchema,
  ResultsQuerySchema,
  ResultsSchema,
  UpdateProbeSchema,
  UptimeBarsQuerySchema,
  UptimeBarsSchema,
  UptimeSchema,
} from './schemas';
import * as probes from './service';
import { z } from 'zod';

export function registerProbeRoutes(
  api: ApiRouter,
  deps: probes.ProbeDeps & { /** The storage tiers' retention, for history reads. */ retention: Retention },
): void {
  api.route({
    method: 'get',
    path: '/api/v1/probes',
    access: 'probes:read',
    tags: ['probes'],
    summary: 'List probes with their state',
    query: ListProbesQuerySchema,
    responses: { 200: { description: 'A page of probes', schema: ProbePageSchema } },
    handler: (ctx, { query }) => probes.list(deps, ctx.state.db, query),
  });

  api.route({
    method: 'post',
    path: '/api/v1/probes',
    access: 'probes:write',
    tags: ['probes'],
    summary:
      'Create a probe (HTTP(S), TCP, ICMP, SQL, DNS or TLS) run by one agent or by agents matching labels',
    body: CreateProbeSchema,
    responses: {
      201: { description: 'Created', schema: ProbeSchema },
      422: { description: 'The agent does not exist' },
    },
    handler: (ctx, { body }) => probes.create(deps, ctx.state.db, requestOrigin(ctx), body),
  });

  api.route({
    method: 'get',
    path: '/api/v1/probes/:id',
    access: 'probes:read',
    tags: ['probes'],
    summary: 'Get a probe with its state (overall and per agent)',
    params: ProbeIdParamsSchema,
    responses: {
      200: { description: 'The probe', schema: ProbeSchema },
      404: { description: 'No such probe' },
    },
    handler: (ctx, { params }) => probes.get(deps, ctx.state.db, params.id),
  });

  api.route({
    method: 'patch',
    path: '/api/v1/probes/:id',
    access: 'probes:write',
    tags: ['probes'],
    summary: 'Change a probe; agents pick the change up with their next configuration pull',
    params: ProbeIdParamsSchema,
    body: UpdateProbeSchema,
    responses: {
      200: { description: 'The changed probe', schema: ProbeSchema },
      404: { description: 'No such probe' },
    },
    handler: (ctx, { params, body }) =>
      probes.update(deps, ctx.state.db, requestOrigin(ctx), params.id, body),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/probes/:id',
    access: 'probes:write',
    tags: ['probes'],
    summary: 'Delete a probe (soft delete)',
    params: ProbeIdParamsSchema,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such probe' } },
    handler: async (ctx, { params }) => {
      await probes.remove(deps, ctx.state.db, requestOrigin(ctx), params.id);
      return undefined;
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/probes/:id/results',
    access: 'probes:read',
    tags: ['probes'],
    summary: 'Raw results of a probe in a time range (default: the last hour), oldest first',
    params: ProbeIdParamsSchema,
    query: ResultsQuerySchema,
    responses: {
      200: { description: 'Results', schema: ResultsSchema },
      404: { description: 'No such probe' },
    },
    handler: (ctx, { params, query }) => probes.results(ctx.state.db, params.id, query),
  });

  api.route({
    method: 'get',
    path: '/api/v1/probes/:id/history',
    access: 'probes:read',
    tags: ['probes'],
    summary: 'Checks of a probe per time bucket: availability and latency, over any range the tiers hold',
    description:
      'Read like `/api/v1/series/query`: the coarsest storage tier with the resolution (raw results, 1-minute or ' +
      '1-hour rollups), buckets of `stepS` seconds, at most `maxPoints`.',
    params: ProbeIdParamsSchema,
    query: ProbeHistoryQuerySchema,
    responses: {
      200: { description: 'Buckets', schema: ProbeHistorySchema },
      404: { description: 'No such probe' },
    },
    representations: { csv: probeHistoryCsv },
    handler: async (ctx, { params, query }) => {
      if (!(await probesRepo.find(ctx.state.db, params.id))) throw notFound('Probe');
      return probeHistory(ctx.state.db, params.id, query, deps.retention);
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/probes/:id/uptime',
    access: 'probes:read',
    tags: ['probes'],
    summary: 'Uptime % and latency p50/p95/p99 over the last 24 hours, 7 days and 30 days',
    description:
      'Degraded checks count as up (the service answered, slowly). A window longer than raw retention ' +
      '(`EMMA_RAW_RETENTION_DAYS`) is counted from the rollups: p95 is then the check-weighted mean of daily ' +
      'p95s, and p50/p99 are null.',
    params: ProbeIdParamsSchema,
    responses: {
      200: { description: 'Uptime windows', schema: UptimeSchema },
      404: { description: 'No such probe' },
    },
    handler: (ctx, { params }) => probes.uptime(ctx.state.db, params.id, deps.retention),
  });

  // Not under /api/v1/probes/: the router runs every matching route, and /api/v1/probes/:id would match too.
  api.route({
    method: 'get',
    path: '/api/v1/probe-uptime-bars',
    access: 'probes:read',
    tags: ['probes'],
    summary: 'Checks per time window of up to 200 probes at once (the uptime bars of a list)',
    description:
      'Each probe gets `buckets` equal windows over the last `hours`, oldest first, the newest still running; ' +
      'each window counts checks, down checks and degraded checks over all agents.',
    query: UptimeBarsQuerySchema,
    responses: { 200: { description: 'Windows per probe', schema: UptimeBarsSchema } },
    handler: (ctx, { query }) => probes.uptimeBars(ctx.state.db, query),
  });

  api.route({
    method: 'get',
    path: '/api/v1/probes/:id/events',
    access: 'probes:read',
    tags: ['probes'],
    summary: 'State changes of a probe, newest first',
    params: ProbeIdParamsSchema,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
    responses: {
      200: { description: 'Events', schema: ProbeEventsSchema },
      404: { description: 'No such probe' },
    },
    handler: (ctx, { params, query }) => probes.events(ctx.state.db, params.id, query.limit),
  });
}
