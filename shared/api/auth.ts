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

/**
 * Why a single sign-on did not sign anyone in: `GET /api/auth/oidc/callback` (or `/login`)
 * redirects to `/sign-in?error=<code>`, and the page says what happened and what to do next.
 */
export const SSO_ERRORS = {
  sso_unavailable: 'The single sign-on provider cannot be reached just now. Try again in a few minutes, or sign in with your password.',
  sso_refused: 'The single sign-on provider did not sign you in (you cancelled, or it refused). Try again, or sign in with your password.',
  sso_expired_login: 'That sign-in took too long or was started in another browser window. Start again with the button below.',
  sso_invalid_token: 'The answer from the single sign-on provider could not be trusted, so nobody was signed in. Try again; if it keeps happening, tell a manager.',
  sso_expired_token: 'The single sign-on answer had already expired (check that this computer\u2019s clock is right). Try again.',
  sso_unverified_email: 'Your email address is not verified at the single sign-on provider. Verify it there (or ask its administrator), then try again.',
  sso_no_account: 'There is no Hourglass account for the email address the single sign-on provider gave. Ask a manager to invite you with that address.',
  sso_account_disabled: 'This account is disabled. Ask a manager to enable it.',
  sso_rate_limited: 'Too many sign-ins were started from this address without finishing. Wait a few minutes and try again.',
  sso_other_account: 'This Hourglass account is linked to a different account at the single sign-on provider. Sign in with that one, or ask a manager.',
} as const satisfies Record<`sso_${string}`, string>;
export type SsoErrorCode = keyof typeof SSO_ERRORS;
export const isSsoErrorCode = (code: unknown): code is SsoErrorCode => typeof code === 'string' && Object.hasOwn(SSO_ERRORS, code);
