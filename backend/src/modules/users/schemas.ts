import { z } from 'zod';
import { EmailSchema, PasswordSchema, RoleSchema, UserSchema } from '@emma/protocol';

export const UserIdParamsSchema = z.object({ id: z.uuid() });

export const ListUsersQuerySchema = z
  .object({
    q: z.string().max(200).optional().describe('Search in email and name'),
    role: RoleSchema.optional(),
    status: z
      .enum(['active', 'disabled', 'deleted', 'all'])
      .default('all')
      .describe("'all' means every live user"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const UserPageSchema = z.object({
  items: z.array(UserSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const CreateUserSchema = z
  .object({
    email: EmailSchema,
    name: z.string().trim().min(1).max(200),
    role: RoleSchema,
    password: PasswordSchema.optional().describe('Omit to have eMMA generate one, returned once'),
  })
  .strict();

export const CreatedUserSchema = z.object({
  user: UserSchema,
  temporaryPassword: z.string().optional().describe('Only when eMMA generated the password; shown once'),
});

export const UpdateUserSchema = z
  .object({
    email: EmailSchema.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    role: RoleSchema.optional(),
    disabled: z.boolean().optional(),
    password: PasswordSchema.optional().describe('Reset: the user must change it at next login'),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export type UpdateUserInput = z.infer<typeof UpdateUserSchema>;

export const IncludeDeletedQuerySchema = z
  .object({
    includeDeleted: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .strict();
