/** Bodies and queries of /api/users. */
import { z } from 'zod';
import { passwordSchema } from '../../auth/password-policy.ts';
import { ROLES } from '../../db/entities.ts';
import { idSchema, typed, versionSchema } from '../resource-helpers.ts';

const email = z
  .string({ error: typed('must be a string') })
  .trim()
  .toLowerCase()
  .max(320, { error: 'must be at most 320 characters' })
  .pipe(z.email({ error: 'must be an email address' }));
// At least 12 characters and not a common password (auth/password-policy.ts).
const password = passwordSchema;
const role = z.enum(ROLES, { error: 'must be "manager", "staff" or "client"' });

export const CreateUser = z
  .object({ email, password, role, clientId: idSchema.optional(), staffId: idSchema.optional() })
  .strict();
export type CreateUser = z.output<typeof CreateUser>;

export const PatchUser = z
  .object({
    version: versionSchema,
    email: email.optional(),
    password: password.optional(),
    currentPassword: z.string({ error: 'must be a string' }).max(1000).optional(),
    role: role.optional(),
    clientId: idSchema.nullable().optional(),
    staffId: idSchema.nullable().optional(),
  })
  .strict();
export type PatchUser = z.output<typeof PatchUser>;

/** A user id, or `me`. Capped at PostgreSQL's integer range so a huge id is a 404, not a 500. */
export const UserIdParam = z.object({
  id: z.union([z.literal('me'), z.coerce.number({ error: 'must be a user id' }).int({ error: 'must be a user id' }).positive({ error: 'must be a user id' }).max(2_147_483_647, { error: 'must be a user id' })]),
});

export const UserListQuery = z.object({ role: role.optional(), client: idSchema.optional() });
