import { UserSchema } from '@emma/protocol';
import type { Config } from '../../config';
import { requestOrigin, requirePrincipal } from '../../http/context';
import type { ApiRouter } from '../../http/route';
import {
  CreatedUserSchema,
  CreateUserSchema,
  IncludeDeletedQuerySchema,
  ListUsersQuerySchema,
  UpdateUserSchema,
  UserIdParamsSchema,
  UserPageSchema,
} from './schemas';
import * as users from './service';

export function registerUserRoutes(api: ApiRouter, config: Config): void {
  api.route({
    method: 'get',
    path: '/api/v1/users',
    access: 'users:read',
    tags: ['users'],
    summary: 'List users',
    query: ListUsersQuerySchema,
    responses: { 200: { description: 'A page of users', schema: UserPageSchema } },
    handler: (ctx, { query }) => users.list(ctx.state.db, query),
  });

  api.route({
    method: 'post',
    path: '/api/v1/users',
    access: 'users:write',
    tags: ['users'],
    summary: 'Create a user',
    body: CreateUserSchema,
    responses: {
      201: { description: 'Created', schema: CreatedUserSchema },
      409: { description: 'Email already in use' },
    },
    handler: (ctx, { body }) => users.create(config, ctx.state.db, requestOrigin(ctx), body),
  });

  api.route({
    method: 'get',
    path: '/api/v1/users/:id',
    access: 'users:read',
    tags: ['users'],
    summary: 'Get a user',
    params: UserIdParamsSchema,
    query: IncludeDeletedQuerySchema,
    responses: { 200: { description: 'The user', schema: UserSchema }, 404: { description: 'No such user' } },
    handler: (ctx, { params, query }) => users.get(ctx.state.db, params.id, query.includeDeleted),
  });

  api.route({
    method: 'patch',
    path: '/api/v1/users/:id',
    access: 'users:write',
    tags: ['users'],
    summary: 'Change a user: name, email, role, disable, or reset the password',
    description:
      'Disabling a user or resetting their password ends their sessions at once. The last active admin ' +
      'cannot be demoted or disabled (409 last_admin).',
    params: UserIdParamsSchema,
    body: UpdateUserSchema,
    responses: {
      200: { description: 'The changed user', schema: UserSchema },
      404: { description: 'No such user' },
      409: { description: 'Last admin, or email already in use' },
    },
    handler: (ctx, { params, body }) =>
      users.update(config, ctx.state.db, requestOrigin(ctx), params.id, body),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/users/:id',
    access: 'users:write',
    tags: ['users'],
    summary: 'Delete a user (soft delete)',
    description: 'The user can no longer log in and their sessions end; the row stays for the audit trail.',
    params: UserIdParamsSchema,
    responses: {
      204: { description: 'Deleted' },
      404: { description: 'No such user' },
      409: { description: 'Last admin, or your own account' },
    },
    handler: async (ctx, { params }) => {
      await users.remove(ctx.state.db, requestOrigin(ctx), requirePrincipal(ctx), params.id);
      return undefined;
    },
  });
}
