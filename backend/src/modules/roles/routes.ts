import { z } from 'zod';
import { PermissionSchema, ROLE_DESCRIPTIONS, ROLE_PERMISSIONS, ROLES, RoleSchema } from '@emma/protocol';
import type { ApiRouter } from '../../http/route';

const RoleListSchema = z.object({
  items: z.array(
    z
      .object({ name: RoleSchema, description: z.string(), permissions: z.array(PermissionSchema) })
      .meta({ id: 'Role' }),
  ),
});

export function registerRoleRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/api/v1/roles',
    access: 'roles:read',
    tags: ['users'],
    summary: 'List roles and their permissions',
    responses: { 200: { description: 'Every role', schema: RoleListSchema } },
    handler: () =>
      Promise.resolve({
        items: ROLES.map((name) => ({
          name,
          description: ROLE_DESCRIPTIONS[name],
          permissions: [...ROLE_PERMISSIONS[name]],
        })),
      }),
  });
}
