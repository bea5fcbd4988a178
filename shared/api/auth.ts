/** /api/auth: sign in, sign out, who is signed in. */
import { z } from 'zod';
import { Role, UserRecord } from './users.ts';

export const LoginBody = z.object({
  email: z.string({ error: 'is required' }).trim().toLowerCase().max(320).pipe(z.email({ error: 'must be an email address' })),
  password: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(1000),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** Who is signed in: the same fields the live socket's `hello` carries. */
export const SessionUser = z.object({ id: z.number().int(), email: z.string(), role: Role, client: z.string().nullable(), staff: z.string().nullable() }).strict();
export type SessionUser = z.infer<typeof SessionUser>;

/** POST /api/auth/login: the user's own record. */
export const LoginResponse = z.object({ user: UserRecord }).strict();
export type LoginResponse = z.infer<typeof LoginResponse>;

/** GET /api/auth/me */
export const MeResponse = z.object({ user: SessionUser }).strict();
export type MeResponse = z.infer<typeof MeResponse>;
