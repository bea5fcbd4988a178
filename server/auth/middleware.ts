import type { RequestHandler, Request } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Role } from '../db/entities.ts';
import { userForCookie } from './sessions.ts';
import { viewerOf, type Viewer } from './viewer.ts';

/** Reads the session cookie, if any, into req.viewer. */
export function authenticate(orm: MikroORM): RequestHandler {
  return async (req, _res, next) => {
    const user = await userForCookie(orm.em.fork(), req.headers.cookie);
    if (user) req.viewer = viewerOf(user);
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
