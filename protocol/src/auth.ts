import { z } from 'zod';
import { PermissionSchema, RoleSchema } from './roles';

/** bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so they are refused. */
export const PasswordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .refine((value) => new TextEncoder().encode(value).length <= 72, 'must be at most 72 bytes');

export const EmailSchema = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    lastLoginAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    deletedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof UserSchema>;

export const LoginRequestSchema = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(1024),
});

export const TokenPairSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('Seconds until the access token expires'),
    refreshToken: z.string().describe('Single use; each refresh returns a new one'),
    refreshExpiresIn: z.number().int(),
    user: UserSchema,
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof TokenPairSchema>;

export const RefreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(512) });

export const ChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: PasswordSchema,
});

export const MeSchema = z
  .object({ user: UserSchema, permissions: z.array(PermissionSchema) })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof MeSchema>;
