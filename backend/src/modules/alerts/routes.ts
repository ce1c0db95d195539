import { requestOrigin } from '../../http/context';
import type { ApiRouter } from '../../http/route';
import { AlertRuleSchema, MaintenanceWindowSchema } from '@emma/protocol';
import {
  AssignBodySchema,
  CommentBodySchema,
  CreateRuleSchema,
  CreateWindowSchema,
  IdParamsSchema,
  IncidentDetailSchema,
  IncidentPageSchema,
  ListIncidentsQuerySchema,
  ListRulesQuerySchema,
  ListWindowsQuerySchema,
  RulePageSchema,
  TextBodySchema,
  UpdateRuleSchema,
  UpdateWindowSchema,
  WindowPageSchema,
} from './schemas';
import * as alerts from './service';

const notFound = (what: string) => ({ 404: { description: `No such ${what}` } });

export function registerAlertRoutes(api: ApiRouter, deps: alerts.AlertDeps): void {
  registerRuleRoutes(api);
  registerIncidentRoutes(api, deps);
  registerWindowRoutes(api);
}

function registerRuleRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/api/v1/alert-rules',
    access: 'alerts:read',
    tags: ['alerts'],
    summary: 'List alert rules',
    query: ListRulesQuerySchema,
    responses: { 200: { description: 'A page of rules', schema: RulePageSchema } },
    handler: (ctx, { query }) => alerts.listRules(ctx.state.db, query),
  });
  api.route({
    method: 'post',
    path: '/api/v1/alert-rules',
    access: 'alerts:write',
    tags: ['alerts'],
    summary:
      'Create an alert rule (probe down/degraded, agent offline, container, metric threshold, TLS expiry)',
    body: CreateRuleSchema,
    responses: {
      201: { description: 'Created', schema: AlertRuleSchema },
      422: { description: 'A channel, agent or probe does not exist' },
    },
    handler: (ctx, { body }) => alerts.createRule(ctx.state.db, requestOrigin(ctx), body),
  });
  api.route({
    method: 'get',
    path: '/api/v1/alert-rules/:id',
    access: 'alerts:read',
    tags: ['alerts'],
    summary: 'Get an alert rule',
    params: IdParamsSchema,
    responses: { 200: { description: 'The rule', schema: AlertRuleSchema }, ...notFound('rule') },
    handler: (ctx, { params }) => alerts.getRule(ctx.state.db, params.id),
  });
  api.route({
    method: 'patch',
    path: '/api/v1/alert-rules/:id',
    access: 'alerts:write',
    tags: ['alerts'],
    summary: 'Change an alert rule; the result is validated as a whole',
    params: IdParamsSchema,
    body: UpdateRuleSchema,
    responses: {
      200: { description: 'The changed rule', schema: AlertRuleSchema },
      ...notFound('rule'),
      422: { description: 'A channel, agent or probe does not exist' },
    },
    handler: (ctx, { params, body }) => alerts.updateRule(ctx.state.db, requestOrigin(ctx), params.id, body),
  });
  api.route({
    method: 'delete',
    path: '/api/v1/alert-rules/:id',
    access: 'alerts:write',
    tags: ['alerts'],
    summary: 'Delete an alert rule (soft delete); its live incidents resolve',
    params: IdParamsSchema,
    responses: { 204: { description: 'Deleted' }, ...notFound('rule') },
    handler: async (ctx, { params }) => {
      await alerts.removeRule(ctx.state.db, requestOrigin(ctx), params.id);
      return undefined;
    },
  });
}

function registerIncidentRoutes(api: ApiRouter, deps: alerts.AlertDeps): void {
  api.route({
    method: 'get',
    path: '/api/v1/incidents',
    access: 'alerts:read',
    tags: ['incidents'],
    summary: 'List incidents, newest first',
    query: ListIncidentsQuerySchema,
    responses: { 200: { description: 'A page of incidents', schema: IncidentPageSchema } },
    handler: (ctx, { query }) => alerts.listIncidents(ctx.state.db, query),
  });
  api.route({
    method: 'get',
    path: '/api/v1/incidents/:id',
    access: 'alerts:read',
    tags: ['incidents'],
    summary: 'Get an incident with its full history',
    params: IdParamsSchema,
    responses: {
      200: { description: 'The incident', schema: IncidentDetailSchema },
      ...notFound('incident'),
    },
    handler: (ctx, { params }) => alerts.getIncident(ctx.state.db, params.id),
  });
  api.route({
    method: 'post',
    path: '/api/v1/incidents/:id/ack',
    access: 'incidents:write',
    tags: ['incidents'],
    summary: 'Acknowledge an open incident (stops repeats), optionally with a comment',
    params: IdParamsSchema,
    body: CommentBodySchema,
    responses: {
      200: { description: 'The incident', schema: IncidentDetailSchema },
      ...notFound('incident'),
      409: { description: 'The incident is not open' },
    },
    handler: (ctx, { params, body }) =>
      alerts.acknowledge(deps, ctx.state.db, requestOrigin(ctx), params.id, body.comment),
  });
  api.route({
    method: 'post',
    path: '/api/v1/incidents/:id/resolve',
    access: 'incidents:write',
    tags: ['incidents'],
    summary: 'Resolve an incident by hand, optionally with a comment',
    description: 'A condition that still holds opens the incident again after the rule\'s "for" time.',
    params: IdParamsSchema,
    body: CommentBodySchema,
    responses: {
      200: { description: 'The incident', schema: IncidentDetailSchema },
      ...notFound('incident'),
      409: { description: 'The incident is already resolved' },
    },
    handler: (ctx, { params, body }) =>
      alerts.resolve(deps, ctx.state.db, requestOrigin(ctx), params.id, body.comment),
  });
  api.route({
    method: 'post',
    path: '/api/v1/incidents/:id/comments',
    access: 'incidents:write',
    tags: ['incidents'],
    summary: 'Comment on an incident',
    params: IdParamsSchema,
    body: TextBodySchema,
    responses: {
      201: { description: 'The incident', schema: IncidentDetailSchema },
      ...notFound('incident'),
    },
    handler: (ctx, { params, body }) =>
      alerts.comment(ctx.state.db, requestOrigin(ctx), params.id, body.text),
  });
  api.route({
    method: 'post',
    path: '/api/v1/incidents/:id/assign',
    access: 'incidents:write',
    tags: ['incidents'],
    summary: 'Assign an incident to a user (null unassigns)',
    params: IdParamsSchema,
    body: AssignBodySchema,
    responses: {
      200: { description: 'The incident', schema: IncidentDetailSchema },
      ...notFound('incident'),
      422: { description: 'No such user' },
    },
    handler: (ctx, { params, body }) =>
      alerts.assign(ctx.state.db, requestOrigin(ctx), params.id, body.userId),
  });
}

function registerWindowRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/api/v1/maintenance-windows',
    access: 'alerts:read',
    tags: ['alerts'],
    summary: 'List maintenance windows',
    query: ListWindowsQuerySchema,
    responses: { 200: { description: 'A page of windows', schema: WindowPageSchema } },
    handler: (ctx, { query }) => alerts.listWindows(ctx.state.db, query),
  });
  api.route({
    method: 'post',
    path: '/api/v1/maintenance-windows',
    access: 'alerts:write',
    tags: ['alerts'],
    summary: 'Create a maintenance window (one-off or cron) for an agent, probe, container or label selector',
    description: 'Incidents still open during a window; their notifications are held until it ends.',
    body: CreateWindowSchema,
    responses: {
      201: { description: 'Created', schema: MaintenanceWindowSchema },
      422: { description: 'The agent, probe or container does not exist' },
    },
    handler: (ctx, { body }) => alerts.createWindow(ctx.state.db, requestOrigin(ctx), body),
  });
  api.route({
    method: 'get',
    path: '/api/v1/maintenance-windows/:id',
    access: 'alerts:read',
    tags: ['alerts'],
    summary: 'Get a maintenance window',
    params: IdParamsSchema,
    responses: { 200: { description: 'The window', schema: MaintenanceWindowSchema }, ...notFound('window') },
    handler: (ctx, { params }) => alerts.getWindow(ctx.state.db, params.id),
  });
  api.route({
    method: 'patch',
    path: '/api/v1/maintenance-windows/:id',
    access: 'alerts:write',
    tags: ['alerts'],
    summary: 'Change a maintenance window',
    params: IdParamsSchema,
    body: UpdateWindowSchema,
    responses: { 200: { description: 'The window', schema: MaintenanceWindowSchema }, ...notFound('window') },
    handler: (ctx, { params, body }) =>
      alerts.updateWindow(ctx.state.db, requestOrigin(ctx), params.id, body),
  });
  api.route({
    method: 'delete',
    path: '/api/v1/maintenance-windows/:id',
    access: 'alerts:write',
    tags: ['alerts'],
    summary: 'Delete a maintenance window',
    params: IdParamsSchema,
    responses: { 204: { description: 'Deleted' }, ...notFound('window') },
    handler: async (ctx, { params }) => {
      await alerts.removeWindow(ctx.state.db, requestOrigin(ctx), params.id);
      return undefined;
    },
  });
}
