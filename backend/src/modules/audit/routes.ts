import { ErrorBodySchema } from '@emma/protocol';
import type { ApiRouter } from '../../http/route';
import { AuditPageSchema, AuditQuerySchema, AuditVerifySchema } from './schemas';
import * as audit from './service';

export function registerAuditRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/api/v1/audit',
    access: 'audit:read',
    tags: ['audit'],
    summary: 'List audit entries, newest first',
    description:
      'Filter by actor, action (exact, or a prefix ending in *), target and time; page with `before`.',
    query: AuditQuerySchema,
    responses: { 200: { description: 'A page of audit entries', schema: AuditPageSchema } },
    handler: (ctx, { query }) => audit.list(ctx.state.db, query),
  });

  api.route({
    method: 'get',
    path: '/api/v1/audit/verify',
    access: 'audit:read',
    tags: ['audit'],
    summary: 'Verify the audit hash chain',
    responses: {
      200: {
        description: 'Whether every row is unchanged and linked to the one before it',
        schema: AuditVerifySchema,
      },
      403: { description: 'Not an admin', schema: ErrorBodySchema },
    },
    handler: (ctx) => audit.verify(ctx.state.db),
  });
}
