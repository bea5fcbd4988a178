/** POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me */
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { User } from '../db/entities.ts';
import { AppError, parse } from '../errors.ts';
import type { Services } from '../services.ts';
import { forgetSession, requireAuth, viewer } from './middleware.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { clearedCookie, createSession, destroySession, sessionCookie, tokenFromCookie } from './sessions.ts';

const LoginBody = z.object({
  email: z.string({ error: 'is required' }).trim().toLowerCase().email({ error: 'must be an email address' }).max(320),
  password: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(1000),
});

export function authRouter(s: Services): Router {
  const router = Router();
  const cookieOpts = { hours: s.config.SESSION_HOURS, secure: s.config.COOKIE_SECURE };
  const limiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: s.config.LOGIN_RATE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new AppError(429, 'rate_limited', 'Too many sign-in attempts from this address. Wait 15 minutes, or ask a manager to reset your password.')),
  });

  router.post('/login', limiter, async (req, res) => {
    const body = parse(LoginBody, req.body);
    const em = s.orm.em.fork();
    const user = await em.findOne(User, { email: body.email });
    // Compare against a dummy hash for unknown emails so timing does not reveal who has an account.
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !ok) throw new AppError(401, 'invalid_credentials', 'Email or password is wrong. Check both and try again.');
    const token = await createSession(em, user.id, cookieOpts.hours);
    res.setHeader('Set-Cookie', sessionCookie(token, cookieOpts));
    res.json({ user: publicUser(user) });
  });

  router.post('/logout', async (req, res) => {
    const token = tokenFromCookie(req.headers.cookie);
    if (token) {
      forgetSession(token);
      await destroySession(s.orm.em.fork(), token);
    }
    res.setHeader('Set-Cookie', clearedCookie(cookieOpts));
    res.status(204).end();
  });

  router.get('/me', requireAuth, (req, res) => {
    const v = viewer(req);
    res.json({ user: { id: v.userId, email: v.email, role: v.role, clientId: v.clientId, staffId: v.staffId } });
  });

  return router;
}

export function publicUser(u: User) {
  return { id: u.id, email: u.email, role: u.role, clientId: u.clientId ?? null, staffId: u.staffId ?? null, version: u.version };
}
