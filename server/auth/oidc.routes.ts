/**
 * GET /api/auth/providers       how one may sign in: password, and single sign-on when configured
 * GET /api/auth/oidc/login      302 to the OpenID provider (?next=/a/page: where to land after)
 * GET /api/auth/oidc/callback   the provider's answer: 302 to `next` (or the dashboard) with the
 *                               session cookie, or to /sign-in?error=<code> (shared/api/auth.ts SSO_ERRORS)
 * Both oidc routes are browser navigations, so every failure is a redirect the sign-in page explains;
 * without OIDC_ISSUER they are 404. The flow itself: auth/oidc.ts.
 */
import { Router, type Request, type Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { AuthProviders } from '../../shared/api/auth.ts';
import { notFoundRoute } from '../errors.ts';
import type { Services } from '../services.ts';
import { addressOf } from './auth.routes.ts';
import { OIDC_CALLBACK_PATH, OIDC_COOKIE, oidcCookie, OidcSignIn, SsoRefusal } from './oidc.ts';
import { sessionCookie } from './sessions.ts';

export function oidcRouter(s: Services): Router {
  const router = Router();
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = s.config;
  const sso = issuer && clientId && clientSecret ? new OidcSignIn(s, { issuer, clientId, clientSecret }) : null;

  router.get('/providers', (_req, res) => {
    res.json({ password: true, sso: sso ? { name: s.config.OIDC_NAME, loginPath: '/api/auth/oidc/login' } : null } satisfies AuthProviders);
  });
  if (!sso) {
    router.use('/oidc', notFoundRoute);
    return router;
  }

  // The address registered at the provider: OIDC_REDIRECT_URL, else under PUBLIC_URL, else the one the browser used.
  const redirectUri = (req: Request) => s.config.OIDC_REDIRECT_URL ?? new URL(OIDC_CALLBACK_PATH, s.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`).href;
  const refused = (res: Response, err: unknown) => {
    if (!(err instanceof SsoRefusal)) throw err;
    s.logger.warn({ code: err.code, cause: err.cause }, 'single sign-on refused');
    res.redirect(302, `/sign-in?error=${err.code}`);
  };

  router.get('/oidc/login', async (req, res) => {
    try {
      const begun = await sso.begin(req, redirectUri(req), addressOf(req));
      res.setHeader('Set-Cookie', begun.cookie);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, begun.authorizationUrl);
    } catch (err) {
      refused(res, err);
    }
  });

  router.get('/oidc/callback', async (req, res) => {
    const cookieToken = req.headers.cookie ? parseCookie(req.headers.cookie)[OIDC_COOKIE] : undefined;
    // The sign-in in flight is used up whatever happens: its cookie goes too.
    res.append('Set-Cookie', oidcCookie('', s.config.COOKIE_SECURE));
    res.setHeader('Cache-Control', 'no-store');
    try {
      const done = await sso.finish(cookieToken, new URL(req.originalUrl, 'http://callback').searchParams, addressOf(req));
      s.logger.info({ userId: done.userId }, 'signed in with single sign-on');
      res.append('Set-Cookie', sessionCookie(done.token, { hours: s.config.SESSION_HOURS, secure: s.config.COOKIE_SECURE }));
      res.redirect(302, done.next ?? '/');
    } catch (err) {
      refused(res, err);
    }
  });
  return router;
}
