import { requestOrigin } from '../../http/context';
import { notFound } from '../../http/errors';
import type { ApiRouter } from '../../http/route';
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
  UptimeSchema,
} from './schemas';
import * as probes from './service';
import { z } from 'zod';

const WINDOWS = { '24h': 1, '7d': 7, '30d': 30 } as const;

export function registerProbeRoutes(api: ApiRouter, deps: probes.ProbeDeps): void {
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
    handler: async (ctx, { params, query }) => {
      await probes.get(deps, ctx.state.db, params.id);
      const to = query.to ? new Date(query.to) : new Date();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
      const result = await ctx.state.db.query<{
        agent_id: string;
        ts: Date;
        status: 'up' | 'down' | 'degraded';
        latency_ms: number | null;
        message: string;
        details: unknown;
      }>(
        `SELECT agent_id, ts, status, latency_ms, message, details FROM probe_results
         WHERE probe_id = $1 AND ts >= $2 AND ts < $3 AND ($4::uuid IS NULL OR agent_id = $4::uuid)
         ORDER BY ts LIMIT $5`,
        [params.id, from, to, query.agentId ?? null, query.limit],
      );
      return {
        items: result.rows.map((row) => ({
          agentId: row.agent_id,
          ts: row.ts.toISOString(),
          status: row.status,
          latencyMs: row.latency_ms,
          message: row.message,
          details: row.details,
        })),
      };
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/probes/:id/uptime',
    access: 'probes:read',
    tags: ['probes'],
    summary: 'Uptime % and latency p50/p95/p99 over the last 24 hours, 7 days and 30 days',
    description: 'Degraded checks count as up (the service answered, slowly).',
    params: ProbeIdParamsSchema,
    responses: {
      200: { description: 'Uptime windows', schema: UptimeSchema },
      404: { description: 'No such probe' },
    },
    handler: async (ctx, { params }) => {
      await probes.get(deps, ctx.state.db, params.id);
      const windows: Record<string, unknown> = {};
      for (const [name, days] of Object.entries(WINDOWS)) {
        const result = await ctx.state.db.query<{
          checks: number;
          up: number;
          p50: number | null;
          p95: number | null;
          p99: number | null;
        }>(
          `SELECT count(*)::int AS checks, count(*) FILTER (WHERE status <> 'down')::int AS up,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down') AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down') AS p95,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE status <> 'down') AS p99
           FROM probe_results WHERE probe_id = $1 AND ts >= now() - make_interval(days => $2)`,
          [params.id, days],
        );
        const row = result.rows[0];
        const checks = row?.checks ?? 0;
        windows[name] = {
          checks,
          upChecks: row?.up ?? 0,
          uptimePercent: checks === 0 ? null : Math.round(((row?.up ?? 0) / checks) * 100_000) / 1000,
          latencyP50Ms: row?.p50 ?? null,
          latencyP95Ms: row?.p95 ?? null,
          latencyP99Ms: row?.p99 ?? null,
        };
      }
      return UptimeSchema.parse({ probeId: params.id, windows });
    },
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
    handler: async (ctx, { params, query }) => {
      const exists = await ctx.state.db.query('SELECT 1 FROM probes WHERE id = $1 AND deleted_at IS NULL', [
        params.id,
      ]);
      if (exists.rowCount !== 1) throw notFound('Probe');
      const result = await ctx.state.db.query<{
        id: number;
        agent_id: string | null;
        from_state: string;
        to_state: string;
        message: string | null;
        occurred_at: Date;
      }>(
        `SELECT id, agent_id, from_state, to_state, message, occurred_at FROM probe_events
         WHERE probe_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`,
        [params.id, query.limit],
      );
      return {
        items: result.rows.map((row) => ({
          id: row.id,
          agentId: row.agent_id,
          from: row.from_state,
          to: row.to_state,
          message: row.message,
          occurredAt: row.occurred_at.toISOString(),
        })),
      };
    },
  });
}
