// /api/v1/dashboards: a user's own layouts of widgets, optionally shared read-only with other users.
import { requestOrigin, requirePrincipal } from '../../http/context';
import type { ApiRouter } from '../../http/route';
import {
  CreateDashboardSchema,
  DashboardPageSchema,
  DashboardSchema,
  IdParamsSchema,
  ListDashboardsQuerySchema,
  UpdateDashboardSchema,
} from './schemas';
import * as dashboards from './service';

const notFound = { 404: { description: 'No such dashboard, or not shared with you' } };

export function registerDashboardRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/api/v1/dashboards',
    access: 'dashboards:read',
    tags: ['dashboards'],
    summary: "List the caller's own dashboards and those other users share (own first, then by name)",
    query: ListDashboardsQuerySchema,
    responses: { 200: { description: 'A page of dashboards', schema: DashboardPageSchema } },
    handler: (ctx, { query }) => dashboards.list(ctx.state.db, requirePrincipal(ctx), query),
  });
  api.route({
    method: 'post',
    path: '/api/v1/dashboards',
    access: 'dashboards:write',
    tags: ['dashboards'],
    summary: 'Create a dashboard owned by the caller',
    description:
      'Widgets sit on a 12-column grid (x, y, w, h); types: chart (metrics of an agent or of agents by ' +
      'labels over a range), status (tiles of agents, probes or containers), incidents (the newest matching).',
    body: CreateDashboardSchema,
    responses: { 201: { description: 'Created', schema: DashboardSchema } },
    handler: (ctx, { body }) =>
      dashboards.create(ctx.state.db, requestOrigin(ctx), requirePrincipal(ctx), body),
  });
  api.route({
    method: 'get',
    path: '/api/v1/dashboards/:id',
    access: 'dashboards:read',
    tags: ['dashboards'],
    summary: 'Get a dashboard of the caller or one shared with them',
    params: IdParamsSchema,
    responses: { 200: { description: 'The dashboard', schema: DashboardSchema }, ...notFound },
    handler: (ctx, { params }) => dashboards.get(ctx.state.db, requirePrincipal(ctx), params.id),
  });
  api.route({
    method: 'patch',
    path: '/api/v1/dashboards/:id',
    access: 'dashboards:write',
    tags: ['dashboards'],
    summary: 'Change name, description, sharing or widgets (widgets replace all) of an own dashboard',
    params: IdParamsSchema,
    body: UpdateDashboardSchema,
    responses: {
      200: { description: 'The changed dashboard', schema: DashboardSchema },
      403: { description: "Another user's shared dashboard: read-only" },
      ...notFound,
    },
    handler: (ctx, { params, body }) =>
      dashboards.update(ctx.state.db, requestOrigin(ctx), requirePrincipal(ctx), params.id, body),
  });
  api.route({
    method: 'delete',
    path: '/api/v1/dashboards/:id',
    access: 'dashboards:write',
    tags: ['dashboards'],
    summary: 'Delete an own dashboard (admins: any dashboard); soft delete',
    params: IdParamsSchema,
    responses: {
      204: { description: 'Deleted' },
      403: { description: "Another user's shared dashboard" },
      ...notFound,
    },
    handler: async (ctx, { params }) => {
      await dashboards.remove(ctx.state.db, requestOrigin(ctx), requirePrincipal(ctx), params.id);
      return undefined;
    },
  });
}
