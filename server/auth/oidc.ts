/**
 * Single sign-on with OpenID Connect, beside passwords (README: Single sign-on). The protocol is
 * openid-client's (certified): discovery, the authorization code flow with PKCE (S256), state
 * and nonce, and the ID token's checks (signature, issuer, audience = our client id, expiry,
 * nonce). What is ours is who that is here:
 *
 * - the provider must vouch for the email (`email_verified: true`), from the ID token or, when
 *   the ID token carries no email, from the UserInfo endpoint;
 * - it is matched, case-insensitively, to an existing user: nobody signs themselves up, and the
 *   role, client and staff links stay managed here; a disabled account is refused;
 * - the first sign-in links the user to the provider's subject (audited); from then on the user
 *   is that subject, and another subject with the same email is refused;
 * - the session is the one a password sign-in makes (sessions.ts), so signing out, expiry,
 *   disabling and sockets behave as before.
 *
 * A sign-in in flight is a row of `oidc_logins` (migration 0020) keyed by the SHA-256 of a random
 * value in an httpOnly cookie (SameSite=Lax: the provider's redirect back is a top-level
 * cross-site navigation, which Lax lets through): the answer is taken only in the browser that
 * asked, once, within ten minutes. Starting a sign-in counts like a failed try from the address
 * until it ends in a session (sign-in-limits.ts), which caps the rows a stranger can make.
 *
 * Discovery happens at the first sign-in, not at start (the server starts while the provider is
 * down), and a failed discovery is tried again at the next one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import * as oidc from 'openid-client';
import { serialize } from 'cookie';
import type { SsoErrorCode } from '../../shared/api/auth.ts';
import { oidcIssuerIsLoopbackHttp } from '../config.ts';
import { User } from '../db/entities.ts';
import { AppError } from '../errors.ts';
import { FOR_UPDATE } from '../modules/resource-helpers.ts';
import type { Services } from '../services.ts';
import { createSession } from './sessions.ts';
import { SignInLimits } from './sign-in-limits.ts';
import { viewerOf } from './viewer.ts';

export const OIDC_COOKIE = 'hg_oidc';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
const LOGIN_MINUTES = 10;
const SCOPE = 'openid email profile';

/** Why a sign-in ended without a session: the code the sign-in page explains. */
export class SsoRefusal extends Error {
  constructor(
    readonly code: SsoErrorCode,
    /** For the log only: what went wrong, never a token. */
    readonly cause?: string,
  ) {
    super(code);
  }
}

/** `next` as given, when it is a path of this site (not `//host`, not `/\host`, not the API); otherwise none. */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length > 500) return null;
  if (!/^\/(?![/\\])/.test(next) || next.includes('\\') || /[\u0000-\u001f]/.test(next)) return null;
  return next.startsWith('/api/') ? null : next;
}

interface LoginRow {
  state: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  next_path: string | null;
}

export interface Begun {
  authorizationUrl: string;
  cookie: string;
}

export interface Finished {
  token: string;
  next: string | null;
  userId: number;
}

/** The cookie of a sign-in in flight (`token` empty: the one that removes it). Lax: the provider's redirect back is a top-level cross-site navigation. */
export const oidcCookie = (token: string, secure: boolean) =>
  serialize(OIDC_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/api/auth/oidc', maxAge: token ? LOGIN_MINUTES * 60 : 0 });

const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');

export class OidcSignIn {
  private discovered: Promise<oidc.Configuration> | null = null;
  private readonly limits: SignInLimits;

  constructor(
    private readonly s: Services,
    private readonly settings: { issuer: string; clientId: string; clientSecret: string },
  ) {
    this.limits = new SignInLimits(s);
  }

  /** The provider's configuration, discovered at the first sign-in; a failed discovery is forgotten so the next one tries again. */
  private configuration(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    // openid-client refuses plain http; config.ts allows it only for a provider on a loopback host.
    const execute = oidcIssuerIsLoopbackHttp(issuer) ? [oidc.allowInsecureRequests] : [];
    this.discovered ??= oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret), { execute, timeout: 10 }).catch((err: unknown) => {
      this.discovered = null;
      throw err;
    });
    return this.discovered;
  }

  /** Starts a sign-in: the provider's authorization URL to redirect to, and the cookie that ties its answer to this browser. */
  async begin(req: Request, redirectUri: string, address: string): Promise<Begun> {
    const config = await this.configuration().catch((err: unknown) => {
      throw new SsoRefusal('sso_unavailable', `discovery failed: ${describe(err)}`);
    });
    try {
      await this.limits.claim({ account: null, address }, () => {});
    } catch (err) {
      if (err instanceof AppError && err.status === 429) throw new SsoRefusal('sso_rate_limited', 'sign-in limit for the address');
      throw err;
    }
    const token = randomBytes(32).toString('base64url');
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const em = this.s.store.reader();
    await em.execute('delete from oidc_logins where expires_at < now()');
    await em.execute('insert into oidc_logins (id, state, nonce, code_verifier, redirect_uri, next_path, expires_at) values (?, ?, ?, ?, ?, ?, ?)', [
      hashOf(token),
      state,
      nonce,
      verifier,
      redirectUri,
      safeNextPath(req.query.next),
      new Date(Date.now() + LOGIN_MINUTES * 60_000),
    ]);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl: url.href, cookie: oidcCookie(token, this.s.config.COOKIE_SECURE) };
  }

  /** Takes the provider's answer (the callback's query) to a session, or refuses with a code. */
  async finish(cookieToken: string | undefined, query: URLSearchParams, address: string): Promise<Finished> {
    const login = cookieToken ? await this.take(cookieToken) : null;
    if (!login) throw new SsoRefusal('sso_expired_login', cookieToken ? 'no live sign-in for the cookie' : 'no sign-in cookie');
    if (query.get('error')) throw new SsoRefusal('sso_refused', `provider answered ${query.get('error')}`);
    if (query.get('state') !== login.state) throw new SsoRefusal('sso_expired_login', 'state does not match');
    const config = await this.configuration().catch((err: unknown) => {
      throw new SsoRefusal('sso_unavailable', `discovery failed: ${describe(err)}`);
    });
    const identity = await this.identify(config, login, query).catch((err: unknown) => {
      throw err instanceof SsoRefusal ? err : refusalOf(err);
    });
    const user = await this.match(config.serverMetadata().issuer, identity);
    const token = await createSession(this.s.store.reader(), user.id, this.s.config.SESSION_HOURS);
    await this.limits.succeeded({ account: null, address });
    return { token, next: login.next_path, userId: user.id };
  }

  /** The sign-in in flight for this cookie, used up (a second answer to it is refused). */
  private async take(cookieToken: string): Promise<LoginRow | null> {
    const rows = await this.s.store
      .reader()
      .execute<LoginRow[]>('delete from oidc_logins where id = ? and expires_at > now() returning state, nonce, code_verifier, redirect_uri, next_path', [hashOf(cookieToken)]);
    return rows[0] ?? null;
  }

  /** The code exchanged and the ID token checked by openid-client; the verified email from it or from UserInfo. */
  private async identify(config: oidc.Configuration, login: LoginRow, query: URLSearchParams): Promise<{ subject: string; email: string }> {
    const currentUrl = new URL(login.redirect_uri);
    currentUrl.search = query.toString();
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: login.code_verifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new SsoRefusal('sso_invalid_token', 'no ID token');
    const source: Record<string, unknown> = typeof claims.email === 'string' ? claims : await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    if (typeof source.email !== 'string' || source.email_verified !== true) throw new SsoRefusal('sso_unverified_email', typeof source.email === 'string' ? 'email_verified is not true' : 'no email claim');
    return { subject: claims.sub, email: source.email };
  }

  /** The existing user this provider account is: by its link, else by email (then linked). */
  private async match(issuer: string, who: { subject: string; email: string }): Promise<User> {
    const em = this.s.store.reader();
    let user = await em.findOne(User, { oidcIssuer: issuer, oidcSubject: who.subject });
    if (!user) {
      const [row] = await em.execute<{ id: number }[]>('select id from users where lower(email) = lower(?)', [who.email]);
      user = row ? await em.findOne(User, { id: row.id }) : null;
    }
    if (!user) throw new SsoRefusal('sso_no_account', 'no user with that email');
    if (user.disabledAt) throw new SsoRefusal('sso_account_disabled', `user ${user.id} is disabled`);
    if (user.oidcSubject === who.subject && user.oidcIssuer === issuer) return user;
    return this.link(user, issuer, who.subject);
  }

  /** The first single sign-on of a user: the link to the provider's subject, audited as the user's own change. */
  private link(found: User, issuer: string, subject: string): Promise<User> {
    return this.s.store.write(viewerOf(found), 'single sign-on linked', async (w) => {
      const user = await w.tx.findOne(User, { id: found.id }, FOR_UPDATE);
      if (!user) throw new SsoRefusal('sso_no_account', 'user removed meanwhile');
      // A link made under another issuer (the company moved to a new provider) is replaced.
      if (user.oidcSubject != null && user.oidcIssuer === issuer) {
        if (user.oidcSubject === subject) return user;
        throw new SsoRefusal('sso_other_account', `user ${user.id} is linked to another subject`);
      }
      const before = user.oidcIssuer ? { sso: { issuer: user.oidcIssuer, subject: user.oidcSubject } } : { sso: null };
      user.oidcIssuer = issuer;
      user.oidcSubject = subject;
      await w.tx.flush();
      w.audit('sso-link', 'user', user.id, before, { sso: { issuer, subject } });
      return user;
    });
  }
}

/** What openid-client's refusal means for the person signing in. */
export function refusalOf(err: unknown): SsoRefusal {
  if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError) return new SsoRefusal('sso_refused', `provider answered ${err.error}`);
  const code = (err as { code?: unknown })?.code;
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return new SsoRefusal('sso_expired_token', describe(err));
  if (err instanceof TypeError || code === 'OAUTH_TIMEOUT' || code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
    return new SsoRefusal('sso_unavailable', describe(err));
  }
  return new SsoRefusal('sso_invalid_token', describe(err));
}

/** An error as one log line: openid-client's message and its cause's (which names the claim). */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { message?: string } };
  return [e?.code, e?.message, e?.cause?.message].filter(Boolean).join(': ') || String(err);
}
