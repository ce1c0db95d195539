import { z } from 'zod';

/** The one error shape every eMMA endpoint answers with. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. validation_failed'),
      message: z.string().describe('Human-readable explanation'),
      details: z.unknown().optional().describe('Field-level problems or other structured context'),
      requestId: z.string().describe('Echoes X-Request-Id; quote it when reporting a problem'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const FieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;
