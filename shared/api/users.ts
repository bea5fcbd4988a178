/**
 * /api/users: sign-ins and their links. A client user speaks for one client (`client`), a staff
 * user is one staff member (`staff`), as in the scenario's field names. Tools written before the
 * rename may still send `clientId` and `staffId` in bodies; answers carry only the new names.
 */
import { z } from 'zod';
import { acceptingOldNames, Id, serial, Timestamp, typed, Version } from './fields.ts';

export const ROLES = ['manager', 'staff', 'client'] as const;
export const Role = z.enum(ROLES, { error: 'must be "manager", "staff" or "client"' });
export type Role = z.infer<typeof Role>;

/** Old body field names still accepted (see acceptingOldNames). */
export const USER_OLD_NAMES = { clientId: 'client', staffId: 'staff' } as const;

export const Email = z
  .string({ error: typed('must be a string') })
  .trim()
  .toLowerCase()
  .max(320, { error: 'must be at most 320 characters' })
  .pipe(z.email({ error: 'must be an email address' }));

/** A new password. The server also refuses short and common ones (server/auth/password-policy.ts). */
export const Password = z.string({ error: typed('must be a string') }).max(1000, { error: 'must be at most 1000 characters' });

export const UserCreate = acceptingOldNames(z.object({ email: Email, password: Password, role: Role, client: Id.optional(), staff: Id.optional() }).strict(), USER_OLD_NAMES);
export type UserCreate = z.infer<typeof UserCreate>;

/** Managers change every field; anyone changes their own password, sending `currentPassword`. */
export const UserPatch = acceptingOldNames(
  z
    .object({
      version: Version,
      email: Email.optional(),
      password: Password.optional(),
      currentPassword: z.string({ error: 'must be a string' }).max(1000).optional(),
      role: Role.optional(),
      client: Id.nullable().optional(),
      staff: Id.nullable().optional(),
    })
    .strict(),
  USER_OLD_NAMES,
);
export type UserPatch = z.infer<typeof UserPatch>;

/** A user id, or `me`. */
export const UserIdParam = z.object({ id: z.union([z.literal('me'), serial('must be a user id')]) });
export type UserIdParam = z.infer<typeof UserIdParam>;

export const UserListQuery = z.object({ role: Role.optional(), client: Id.optional() });
export type UserListQuery = z.infer<typeof UserListQuery>;

/** Non-managers read only themselves, without `disabled`. */
export const UserRecord = z
  .object({
    id: z.number().int(),
    email: z.string(),
    role: Role,
    client: z.string().nullable(),
    staff: z.string().nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    disabled: z.boolean().optional(),
  })
  .strict();
export type UserRecord = z.infer<typeof UserRecord>;

/** POST /api/users/invite: a user who sets their own password through a one-time link. */
export const UserInvite = acceptingOldNames(z.object({ email: Email, role: Role, client: Id.optional(), staff: Id.optional() }).strict(), USER_OLD_NAMES);
export type UserInvite = z.infer<typeof UserInvite>;

/**
 * A one-time link that sets a password: `path` (`/set-password?token=…`) is the dashboard's page
 * for it, shown once to the manager to send (no email yet). It works once, until `expiresAt`.
 */
export const PasswordLink = z.object({ path: z.string(), purpose: z.enum(['invite', 'reset']), expiresAt: Timestamp }).strict();
export type PasswordLink = z.infer<typeof PasswordLink>;

/** POST /api/users/invite and POST /api/users/:id/password-link */
export const PasswordLinkAnswer = z.object({ user: UserRecord, link: PasswordLink }).strict();
export type PasswordLinkAnswer = z.infer<typeof PasswordLinkAnswer>;
