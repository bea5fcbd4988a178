/**
 * POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me;
 * POST /api/auth/password-link { token } (what a one-time link is for) and
 * POST /api/auth/set-password { token, password } (spend it): modules/users/password-links.ts.
 */
import { Router, type Request } from 'express';
import { LoginBody, PasswordLinkCheck, SetPasswordBody, type LoginResponse, type MeResponse, type PasswordLinkInfo, type SetPasswordResult } from '../../shared/api/auth.ts';
import { PasswordLinks } from '../modules/users/password-links.ts';
import { User } from '../db/entities.ts';
import { AppError, parse } from '../errors.ts';
import type { Services } from '../services.ts';
import { requireAuth, viewer } from './middleware.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { clearedCookie, createSession, destroySession, sessionCookie, sessionIdOf, tokenFromCookie } from './sessions.ts';
import { SignInLimits } from './sign-in-limits.ts';
import { sessionUser } from './viewer.ts';
import { userView } from './views.ts';

/** The caller's address for the sign-in limits (X-Forwarded-For only from TRUST_PROXY). */
export const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export function authRouter(s: Services): Router {
  const router = Router();
  const cookieOpts = { hours: s.config.SESSION_HOURS, secure: s.config.COOKIE_SECURE };
  const limits = new SignInLimits(s);

  router.post('/login', async (req, res) => {
    const body = parse(LoginBody, req.body);
    const keys = { account: body.email, address: addressOf(req) };
    await limits.claim(keys, (seconds) => res.setHeader('Retry-After', String(seconds)));
    const em = s.orm.em.fork();
    const user = await em.findOne(User, { email: body.email });
    // Compare against a dummy hash for unknown emails so timing does not reveal who has an account.
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok) throw new AppError(401, 'invalid_credentials', 'Email or password is wrong. Check both and try again.');
    await limits.succeeded(keys);
    // Said only to whoever knows the password: it tells nobody else that the account exists.
    if (user.disabledAt) throw new AppError(403, 'account_disabled', 'This account is disabled. Ask a manager to enable it.');
    const token = await createSession(em, user.id, cookieOpts.hours);
    res.setHeader('Set-Cookie', sessionCookie(token, cookieOpts));
    res.json({ user: userView(user, user) } satisfies LoginResponse);
  });

  router.post('/logout', async (req, res) => {
    const token = tokenFromCookie(req.headers.cookie);
    if (token) {
      const ended = await destroySession(s.orm.em.fork(), token);
      // Its sockets close and every instance forgets it before the answer.
      if (ended) await s.access.revoke({ userId: ended.userId, sessionId: sessionIdOf(token), reason: 'signed-out' });
    }
    res.setHeader('Set-Cookie', clearedCookie(cookieOpts));
    res.status(204).end();
  });

  const links = new PasswordLinks(s);
  const tokenCaller = (req: Request, res: { setHeader(k: string, v: string): unknown }) => ({ address: addressOf(req), onRefused: (seconds: number) => res.setHeader('Retry-After', String(seconds)) });
  router.post('/password-link', async (req, res) => {
    const body = parse(PasswordLinkCheck, req.body);
    res.json((await links.check(body.token, tokenCaller(req, res))) satisfies PasswordLinkInfo);
  });
  router.post('/set-password', async (req, res) => {
    const body = parse(SetPasswordBody, req.body);
    res.json((await links.setPassword(body.token, body.password, tokenCaller(req, res))) satisfies SetPasswordResult);
  });

  router.get('/me', requireAuth, (req, res) => {
    const v = viewer(req);
    res.json({ user: sessionUser(v) } satisfies MeResponse);
  });

  return router;
}
