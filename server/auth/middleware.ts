import type { RequestHandler, Request } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Role } from '../db/entities.ts';
import type { Access } from './access.ts';
import { sessionIdOf, signedIn, tokenFromCookie } from './sessions.ts';
import { viewerOf, type Viewer } from './viewer.ts';

/**
 * Reads the session cookie, if any, into req.viewer (and its session into req.sessionId). A
 * sign-in is remembered for a few seconds (auth/access.ts), until anything about it changes.
 */
export function authenticate(orm: MikroORM, access: Access): RequestHandler {
  return async (req, _res, next) => {
    const token = tokenFromCookie(req.headers.cookie);
    if (!token) return next();
    const sessionId = sessionIdOf(token);
    const hit = access.cached(sessionId);
    if (hit) {
      req.viewer = hit;
      req.sessionId = sessionId;
      return next();
    }
    const startedAt = access.begin();
    const found = await signedIn(orm.em.fork(), token);
    if (found) {
      req.viewer = viewerOf(found.user);
      req.sessionId = sessionId;
      access.remember(sessionId, req.viewer, found.expiresAt, startedAt);
    }
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
