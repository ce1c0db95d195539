import { z } from 'zod';

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    occurredAt: z.iso.datetime({ offset: true }),
    actorId: z.uuid().nullable(),
    actorEmail: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    hash: z.string(),
    prevHash: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z
  .object({
    actorId: z.uuid().optional(),
    action: z
      .string()
      .max(100)
      .regex(/^[a-z0-9_.*]+$/, 'lowercase letters, digits, _ and . (a trailing * matches a prefix)')
      .optional(),
    targetType: z.string().max(50).optional(),
    targetId: z.string().max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    before: z.coerce.number().int().positive().optional().describe('Cursor: only entries with a smaller id'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditPageSchema = z.object({
  items: z.array(AuditEntrySchema),
  nextCursor: z.number().int().nullable().describe('Pass as `before` to read the next (older) page'),
});

export const AuditVerifySchema = z
  .object({
    intact: z.boolean(),
    checked: z.number().int(),
    firstBrokenId: z.number().int().nullable(),
    reason: z.enum(['content_changed', 'chain_broken']).nullable(),
  })
  .meta({ id: 'AuditVerification' });
export type AuditVerification = z.infer<typeof AuditVerifySchema>;
