/**
 * Why a single sign-on did not sign anyone in: `GET /api/auth/oidc/callback` (or `/login`)
 * redirects to `/sign-in?error=<code>`, and the page says what happened and what to do next.
 * Without zod: the dashboard reads these as plain values.
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
