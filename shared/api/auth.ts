/** /api/auth: sign in, sign out, who is signed in. */
import { z } from 'zod';
import { Password, Role, UserRecord } from './users.ts';

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

const Token = z.string({ error: 'is required: open the link you were sent' }).min(1, { error: 'is required: open the link you were sent' }).max(200, { error: 'is not a valid link' });

/** POST /api/auth/password-link: what a one-time link is for, before the password is typed. */
export const PasswordLinkCheck = z.object({ token: Token }).strict();
export type PasswordLinkCheck = z.infer<typeof PasswordLinkCheck>;
export const PasswordLinkInfo = z.object({ email: z.string(), purpose: z.enum(['invite', 'reset']), expiresAt: z.iso.datetime() }).strict();
export type PasswordLinkInfo = z.infer<typeof PasswordLinkInfo>;

/** POST /api/auth/set-password: spends the link and sets the password; then sign in with it. */
export const SetPasswordBody = z.object({ token: Token, password: Password }).strict();
export type SetPasswordBody = z.infer<typeof SetPasswordBody>;
export const SetPasswordResult = z.object({ email: z.string() }).strict();
export type SetPasswordResult = z.infer<typeof SetPasswordResult>;

/**
 * GET /api/auth/providers: how one may sign in here, for the sign-in page. `sso` is null unless
 * single sign-on (OpenID Connect) is configured; its `name` goes on the button ("Sign in with …"),
 * which opens `GET /api/auth/oidc/login` (optionally `?next=/a/page`).
 */
export const AuthProviders = z.object({ password: z.literal(true), sso: z.object({ name: z.string(), loginPath: z.string() }).strict().nullable() }).strict();
export type AuthProviders = z.infer<typeof AuthProviders>;

export { SSO_ERRORS, isSsoErrorCode, type SsoErrorCode } from './sso-errors.ts';
