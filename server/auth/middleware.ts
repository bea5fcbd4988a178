import type { RequestHandler, Request } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Role } from '../db/entities.ts';
import { tokenFromCookie, userForCookie } from './sessions.ts';
import { viewerOf, type Viewer } from './viewer.ts';

/**
 * Reads the session cookie, if any, into req.viewer. Sign-ins are remembered for a few seconds
 * per process, which saves two queries on every request; a sign-out on this instance forgets at
 * once, on another instance within SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 5_000;
const recent = new Map<string, { viewer: Viewer; until: number }>();

export function forgetSession(token: string): void {
  recent.delete(token);
}

/** After a user's role, links or password change: their next request reads the database again. */
export function forgetUser(userId: number): void {
  for (const [token, entry] of recent) if (entry.viewer.userId === userId) recent.delete(token);
}

export function authenticate(orm: MikroORM): RequestHandler {
  return async (req, _res, next) => {
    const token = tokenFromCookie(req.headers.cookie);
    if (!token) return next();
    const hit = recent.get(token);
    if (hit && hit.until > Date.now()) {
      req.viewer = hit.viewer;
      return next();
    }
    const user = await userForCookie(orm.em.fork(), req.headers.cookie);
    if (user) {
      req.viewer = viewerOf(user);
      if (recent.size > 10_000) recent.clear();
      recent.set(token, { viewer: req.viewer, until: Date.now() + SESSION_CACHE_MS });
    } else recent.delete(token);
    next();
  };
}

export const requireAuth: RequestHandler = (req, _res, next) => next(req.viewer ? undefined : unauthenticated());

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.viewer) return next(unauthenticated());
    next(roles.includes(req.viewer.role) ? undefined : forbidden(`Only ${roles.join(' or ')} users can do this.`));
  };
}

/** The viewer of a request that passed requireAuth. */
export function viewer(req: Request): Viewer {
  if (!req.viewer) throw unauthenticated();
  return req.viewer;
}
