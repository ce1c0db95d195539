import { z } from 'zod';
import { AgentConfigSchema, EnrollRequestSchema, EnrollResponseSchema } from '@emma/protocol';
import { requestOrigin, requireAgent } from '../../http/context';
import { Refusal, type ApiRouter } from '../../http/route';
import {
  AgentEventSchema,
  AgentPageSchema,
  AgentSchema,
  CreatedEnrollmentTokenSchema,
  CreateEnrollmentTokenSchema,
  EnrollmentTokenSchema,
  IdParamsSchema,
  InstallSchema,
  ListAgentsQuerySchema,
  UpdateAgentSchema,
} from './schemas';
import * as agents from './service';
import { createHash } from 'node:crypto';

export function registerAgentRoutes(api: ApiRouter, deps: agents.AgentDeps): void {
  api.route({
    method: 'post',
    path: '/api/v1/enrollment-tokens',
    access: 'enrollment:write',
    tags: ['agents'],
    summary: 'Create an enrolment token for new agents',
    description: 'Returns the token and the exact `docker run` command and compose snippet for a new host.',
    body: CreateEnrollmentTokenSchema,
    responses: { 201: { description: 'Created', schema: CreatedEnrollmentTokenSchema } },
    handler: (ctx, { body }) =>
      agents.createEnrollmentToken(
        deps,
        ctx.state.db,
        requestOrigin(ctx),
        `${ctx.protocol}://${ctx.host}`,
        body,
      ),
  });

  api.route({
    method: 'get',
    path: '/api/v1/enrollment-tokens',
    access: 'enrollment:write',
    tags: ['agents'],
    summary: 'List enrolment tokens (never their secret)',
    responses: {
      200: { description: 'Tokens', schema: z.object({ items: z.array(EnrollmentTokenSchema) }) },
    },
    handler: (ctx) => agents.listEnrollmentTokens(ctx.state.db),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/enrollment-tokens/:id',
    access: 'enrollment:write',
    tags: ['agents'],
    summary: 'Revoke an enrolment token',
    description: 'Agents already enrolled with it keep working.',
    params: IdParamsSchema,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such token' } },
    handler: async (ctx, { params }) => {
      await agents.revokeEnrollmentToken(ctx.state.db, requestOrigin(ctx), params.id);
      return undefined;
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/enrollment-tokens/:id/install',
    access: 'enrollment:write',
    tags: ['agents'],
    summary: 'The docker run command and compose snippet that install an agent with this token',
    params: IdParamsSchema,
    responses: {
      200: { description: 'Install commands', schema: InstallSchema },
      404: { description: 'No such token' },
      409: {
        description:
          'The token is expired, used up or revoked, or its secret cannot be rebuilt (the server secret ' +
          'changed, or it is the EMMA_AGENT_ENROLL_TOKEN token)',
      },
    },
    handler: (ctx, { params }) =>
      agents.installForToken(deps, ctx.state.db, params.id, `${ctx.protocol}://${ctx.host}`),
  });

  api.route({
    method: 'post',
    path: '/api/v1/agents/enroll',
    access: 'public',
    tags: ['agents'],
    summary:
      'An agent enrols with an enrolment token (or the bare EMMA_AGENT_ENROLL_TOKEN secret) and receives its own credential',
    body: EnrollRequestSchema,
    responses: {
      201: { description: 'Enrolled', schema: EnrollResponseSchema },
      401: { description: 'Token invalid, expired, used up or revoked (error.code says which)' },
    },
    handler: async (ctx, { body }) => {
      const outcome = await agents.enroll(ctx.state.db, requestOrigin(ctx), body);
      return outcome.ok ? outcome.value : new Refusal(outcome.error);
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/agents/self/config',
    access: 'agent',
    tags: ['agents'],
    summary: "The calling agent's configuration (ETag / If-None-Match)",
    responses: {
      200: { description: 'Configuration', schema: AgentConfigSchema },
      304: { description: 'Unchanged since the ETag sent' },
    },
    handler: async (ctx) => {
      const config = await agents.agentConfig(deps, ctx.state.db, requireAgent(ctx));
      const etag = `"${createHash('sha256').update(JSON.stringify(config)).digest('base64url').slice(0, 27)}"`;
      ctx.set('ETag', etag);
      ctx.set('Cache-Control', 'no-cache');
      if (ctx.get('if-none-match') === etag) {
        ctx.status = 304;
        return undefined;
      }
      return config;
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/agents/self/credential',
    access: 'agent',
    tags: ['agents'],
    summary: 'The calling agent replaces its credential; the old one stops working',
    responses: {
      200: {
        description: 'The new credential',
        schema: z.object({ agentId: z.uuid(), credential: z.string() }),
      },
    },
    handler: (ctx) => agents.rotateOwnCredential(ctx.state.db, requestOrigin(ctx), requireAgent(ctx)),
  });

  api.route({
    method: 'get',
    path: '/api/v1/agents',
    access: 'agents:read',
    tags: ['agents'],
    summary: 'List agents',
    query: ListAgentsQuerySchema,
    responses: { 200: { description: 'A page of agents', schema: AgentPageSchema } },
    handler: (ctx, { query }) => agents.listAgents(ctx.state.db, query),
  });

  api.route({
    method: 'get',
    path: '/api/v1/agents/:id',
    access: 'agents:read',
    tags: ['agents'],
    summary: 'Get an agent',
    params: IdParamsSchema,
    responses: {
      200: { description: 'The agent', schema: AgentSchema },
      404: { description: 'No such agent' },
    },
    handler: (ctx, { params }) => agents.getAgent(ctx.state.db, params.id),
  });

  api.route({
    method: 'patch',
    path: '/api/v1/agents/:id',
    access: 'agents:write',
    tags: ['agents'],
    summary: 'Rename, relabel, approve or change the interval of an agent',
    params: IdParamsSchema,
    body: UpdateAgentSchema,
    responses: {
      200: { description: 'The changed agent', schema: AgentSchema },
      404: { description: 'No such agent' },
      409: { description: 'Approving an agent that is not pending' },
    },
    handler: (ctx, { params, body }) => agents.updateAgent(ctx.state.db, requestOrigin(ctx), params.id, body),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/agents/:id',
    access: 'agents:write',
    tags: ['agents'],
    summary: 'Delete an agent (soft delete; its credential stops working)',
    params: IdParamsSchema,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such agent' } },
    handler: async (ctx, { params }) => {
      await agents.deleteAgent(ctx.state.db, requestOrigin(ctx), params.id);
      return undefined;
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/agents/:id/revoke',
    access: 'agents:write',
    tags: ['agents'],
    summary: 'Revoke an agent: its next request gets 401; it stays listed',
    params: IdParamsSchema,
    responses: {
      200: { description: 'The revoked agent', schema: AgentSchema },
      404: { description: 'No such agent' },
    },
    handler: (ctx, { params }) => agents.revokeAgent(ctx.state.db, requestOrigin(ctx), params.id),
  });

  api.route({
    method: 'post',
    path: '/api/v1/agents/:id/rotate-credential',
    access: 'agents:write',
    tags: ['agents'],
    summary: 'Ask the agent to replace its credential at its next configuration pull',
    params: IdParamsSchema,
    responses: {
      200: { description: 'The agent, with rotateCredential set', schema: AgentSchema },
      404: { description: 'No such agent' },
      409: { description: 'The agent is revoked' },
    },
    handler: (ctx, { params }) =>
      agents.requestCredentialRotation(ctx.state.db, requestOrigin(ctx), params.id),
  });

  api.route({
    method: 'get',
    path: '/api/v1/agents/:id/events',
    access: 'agents:read',
    tags: ['agents'],
    summary: 'What happened to an agent: enrolled, approved, online, offline, revoked …',
    params: IdParamsSchema,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
    responses: {
      200: { description: 'Events, newest first', schema: z.object({ items: z.array(AgentEventSchema) }) },
    },
    handler: (ctx, { params, query }) => agents.agentEvents(ctx.state.db, params.id, query.limit),
  });
}
