import { AgentCommandsSchema, CommandResultSchema } from '@emma/protocol';
import { requestOrigin, requireAgent } from '../../http/context';
import type { ApiRouter } from '../../http/route';
import {
  ActionIdParamsSchema,
  ActionsQuerySchema,
  CommandIdParamsSchema,
  CommandResultAnswerSchema,
  CommandsQuerySchema,
  ContainerActionSchema,
  ContainerActionsSchema,
  ContainerEventsQuerySchema,
  ContainerEventsSchema,
  ContainerPageSchema,
  ContainerRefParamsSchema,
  ContainerSchema,
  ContainerSeriesQuerySchema,
  ContainerSeriesSchema,
  ListContainersQuerySchema,
  RequestActionSchema,
} from './schemas';
import * as containers from './service';

const REF_RESPONSES = {
  404: { description: 'No such container' },
  409: { description: 'An engine-id prefix matches several containers (ambiguous)' },
};

export function registerContainerRoutes(api: ApiRouter, deps: containers.CommandDeps): void {
  api.route({
    method: 'get',
    path: '/api/v1/containers',
    access: 'containers:read',
    tags: ['containers'],
    summary: "The agents' containers with their state and newest stats",
    query: ListContainersQuerySchema,
    responses: { 200: { description: 'A page of containers', schema: ContainerPageSchema } },
    handler: (ctx, { query }) => containers.list(ctx.state.db, query),
  });

  api.route({
    method: 'get',
    path: '/api/v1/containers/:id',
    access: 'containers:read',
    tags: ['containers'],
    summary: 'One container, by eMMA id or engine id (or a prefix of at least 12 hex digits)',
    params: ContainerRefParamsSchema,
    responses: { 200: { description: 'The container', schema: ContainerSchema }, ...REF_RESPONSES },
    handler: (ctx, { params }) => containers.get(ctx.state.db, params.id),
  });

  api.route({
    method: 'get',
    path: '/api/v1/containers/:id/events',
    access: 'containers:read',
    tags: ['containers'],
    summary: "A container's history, newest first: observed state changes and the engine's events",
    params: ContainerRefParamsSchema,
    query: ContainerEventsQuerySchema,
    responses: { 200: { description: 'Events', schema: ContainerEventsSchema }, ...REF_RESPONSES },
    handler: (ctx, { params, query }) => containers.events(ctx.state.db, params.id, query),
  });

  api.route({
    method: 'get',
    path: '/api/v1/containers/:id/series',
    access: 'containers:read',
    tags: ['containers'],
    summary: 'Points of one metric of a container in a time range (default: the last hour)',
    description:
      'Read like `/api/v1/series/query`: from the storage tier that fits the range, at most `maxPoints`.',
    params: ContainerRefParamsSchema,
    query: ContainerSeriesQuerySchema,
    responses: { 200: { description: 'Points', schema: ContainerSeriesSchema }, ...REF_RESPONSES },
    handler: (ctx, { params, query }) => containers.series(ctx.state.db, params.id, query, deps.retention),
  });

  api.route({
    method: 'post',
    path: '/api/v1/containers/:id/actions',
    access: 'containers:act',
    tags: ['containers'],
    summary: "Start, stop or restart a container: queued for the container's agent, which takes it once",
    params: ContainerRefParamsSchema,
    body: RequestActionSchema,
    responses: {
      202: { description: 'Queued', schema: ContainerActionSchema },
      404: { description: 'No such container' },
      409: {
        description:
          'ambiguous id prefix; actions_disabled (the agent runs read-only); container_removed; ' +
          'agent_unavailable (pending, revoked or deleted)',
      },
    },
    handler: async (ctx, { params, body }) => {
      const action = await containers.requestAction(ctx.state.db, requestOrigin(ctx), params.id, body);
      // Once committed, the agent's waiting poll (in this process) takes it at once.
      ctx.state.db.afterCommit(() => {
        deps.waiters.wake(action.agentId);
      });
      return action;
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/containers/:id/actions',
    access: 'containers:read',
    tags: ['containers'],
    summary: 'Actions requested for a container, newest first',
    params: ContainerRefParamsSchema,
    query: ActionsQuerySchema,
    responses: { 200: { description: 'Actions', schema: ContainerActionsSchema }, ...REF_RESPONSES },
    handler: (ctx, { params, query }) => containers.actionsOf(ctx.state.db, params.id, query.limit),
  });

  api.route({
    method: 'get',
    path: '/api/v1/container-actions/:actionId',
    access: 'containers:read',
    tags: ['containers'],
    summary: 'One container action and how it went',
    params: ActionIdParamsSchema,
    responses: {
      200: { description: 'The action', schema: ContainerActionSchema },
      404: { description: 'No such action' },
    },
    handler: (ctx, { params }) => containers.getAction(ctx.state.db, params.actionId),
  });

  api.route({
    method: 'get',
    path: '/api/v1/agents/self/commands',
    access: 'agent',
    tags: ['containers'],
    summary: 'The calling agent takes its queued commands (long poll with waitS); each is handed out once',
    description:
      'Taken commands become running; report each with POST /api/v1/agents/self/commands/{id}/result. ' +
      'With waitS > 0 and nothing queued the request waits up to waitS seconds; it may answer an empty list ' +
      'earlier.',
    query: CommandsQuerySchema,
    responses: { 200: { description: 'Commands, oldest first', schema: AgentCommandsSchema } },
    handler: async (ctx, { query }) => {
      const closed = new AbortController();
      const onClose = () => {
        closed.abort();
      };
      // The response closes before it was sent only when the client went away.
      ctx.res.once('close', onClose);
      try {
        const answer = await containers.takeCommands(
          deps,
          ctx.state.db,
          requireAgent(ctx),
          query.waitS,
          closed.signal,
        );
        // Shutting down: no keep-alive, so the listener closes without waiting for this connection.
        if (deps.waiters.isClosed) ctx.set('Connection', 'close');
        return answer;
      } finally {
        ctx.res.off('close', onClose);
      }
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/agents/self/commands/:id/result',
    access: 'agent',
    tags: ['containers'],
    summary: 'The calling agent reports how a command it took ended',
    params: CommandIdParamsSchema,
    body: CommandResultSchema,
    responses: {
      200: { description: 'Recorded', schema: CommandResultAnswerSchema },
      404: { description: "Not one of this agent's commands" },
      409: { description: 'already_finished: the command is not running (expired, failed or reported)' },
    },
    handler: (ctx, { params, body }) =>
      containers.reportResult(ctx.state.db, requestOrigin(ctx), requireAgent(ctx), params.id, body),
  });
}
