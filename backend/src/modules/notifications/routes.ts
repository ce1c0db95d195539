import { requestOrigin } from '../../http/context';
import type { ApiRouter } from '../../http/route';
import {
  ChannelPageSchema,
  ChannelSchema,
  CreateChannelSchema,
  DeliveryDetailSchema,
  DeliveryPageSchema,
  IdParamsSchema,
  ListChannelsQuerySchema,
  ListDeliveriesQuerySchema,
  UpdateChannelSchema,
} from './schemas';
import * as notifications from './service';

export function registerNotificationRoutes(api: ApiRouter, deps: notifications.NotificationDeps): void {
  const tags = ['notifications'];
  api.route({
    method: 'get',
    path: '/api/v1/notification-channels',
    access: 'alerts:read',
    tags,
    summary: 'List notification channels (without their secrets)',
    query: ListChannelsQuerySchema,
    responses: { 200: { description: 'A page of channels', schema: ChannelPageSchema } },
    handler: (ctx, { query }) => notifications.listChannels(deps, ctx.state.db, query),
  });

  api.route({
    method: 'post',
    path: '/api/v1/notification-channels',
    access: 'channels:write',
    tags,
    summary: 'Create a channel: email, slack, teams, webhook, pagerduty, telegram or ntfy',
    description: 'Secret fields (webhook URLs, passwords, tokens) are stored encrypted and never returned.',
    body: CreateChannelSchema,
    responses: { 201: { description: 'Created', schema: ChannelSchema } },
    handler: (ctx, { body }) => notifications.createChannel(deps, ctx.state.db, requestOrigin(ctx), body),
  });

  api.route({
    method: 'get',
    path: '/api/v1/notification-channels/:id',
    access: 'alerts:read',
    tags,
    summary: 'Get a notification channel (without its secrets)',
    params: IdParamsSchema,
    responses: {
      200: { description: 'The channel', schema: ChannelSchema },
      404: { description: 'No such channel' },
    },
    handler: (ctx, { params }) => notifications.getChannel(deps, ctx.state.db, params.id),
  });

  api.route({
    method: 'patch',
    path: '/api/v1/notification-channels/:id',
    access: 'channels:write',
    tags,
    summary: 'Change a channel; secret fields left out of a new config keep their values',
    params: IdParamsSchema,
    body: UpdateChannelSchema,
    responses: {
      200: { description: 'The changed channel', schema: ChannelSchema },
      404: { description: 'No such channel' },
    },
    handler: (ctx, { params, body }) =>
      notifications.updateChannel(deps, ctx.state.db, requestOrigin(ctx), params.id, body),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/notification-channels/:id',
    access: 'channels:write',
    tags,
    summary: 'Delete a channel (soft delete; its pending deliveries fail)',
    params: IdParamsSchema,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such channel' } },
    handler: async (ctx, { params }) => {
      await notifications.removeChannel(deps, ctx.state.db, requestOrigin(ctx), params.id);
      return undefined;
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/notification-channels/:id/test',
    access: 'channels:write',
    tags,
    summary: 'Send a test message through the channel now; answers the recorded delivery',
    description: 'The answer is 200 whether the send worked or not: see `status`, `lastError`, `attemptLog`.',
    params: IdParamsSchema,
    responses: {
      200: { description: 'The test delivery with its attempt', schema: DeliveryDetailSchema },
      404: { description: 'No such channel' },
      409: { description: 'The channel is disabled' },
    },
    handler: (ctx, { params }) =>
      notifications.testChannel(deps, ctx.state.db, requestOrigin(ctx), params.id),
  });

  api.route({
    method: 'get',
    path: '/api/v1/notification-deliveries',
    access: 'alerts:read',
    tags,
    summary: 'Notification deliveries, newest first',
    query: ListDeliveriesQuerySchema,
    responses: { 200: { description: 'A page of deliveries', schema: DeliveryPageSchema } },
    handler: (ctx, { query }) => notifications.listDeliveries(ctx.state.db, query),
  });

  api.route({
    method: 'get',
    path: '/api/v1/notification-deliveries/:id',
    access: 'alerts:read',
    tags,
    summary: 'One delivery with its message and every attempt',
    params: IdParamsSchema,
    responses: {
      200: { description: 'The delivery', schema: DeliveryDetailSchema },
      404: { description: 'No such delivery' },
    },
    handler: (ctx, { params }) => notifications.getDelivery(ctx.state.db, params.id),
  });
}
