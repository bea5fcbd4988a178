import type { RequestHandler, Request } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, forbidden, unauthenticated } from '../errors.ts';
import type { Role } from '../db/entities.ts';
import type { Access } from './access.ts';
import { bearerToken, findApiToken, tokenRefusal, TokenRateLimit, tokenSessionId, touchLastUsed, viewerOfToken } from './api-tokens.ts';
import { sessionIdOf, signedIn, tokenFromCookie } from './sessions.ts';
import { viewerOf, type Viewer } from './viewer.ts';

/**
 * Reads the session cookie, if any, into req.viewer (and its session into req.sessionId). A
 * sign-in is remembered for a few seconds (auth/access.ts), until anything about it changes.
 *
 * `Authorization: Bearer <API token>` comes first (the cookie is then ignored): the token is
 * looked up on every request, never cached, so a revoked one answers 401 at once everywhere; it
 * is rate-limited per token and held to its scopes (auth/api-tokens.ts).
 */
export function authenticate(orm: MikroORM, access: Access, opts: { tokenRateLimit?: number } = {}): RequestHandler {
  const limit = new TokenRateLimit(opts.tokenRateLimit ?? 600);
  return async (req, res, next) => {
    const bearer = bearerToken(req.headers.authorization);
    if (bearer !== undefined) {
      const em = orm.em.fork();
      const found = await findApiToken(em, bearer);
      if (!found) return next(new AppError(401, 'unauthenticated', 'This API token is not valid: it was revoked, or is mistyped.'));
      limit.take(found.id, (seconds) => res.setHeader('Retry-After', String(seconds)));
      const refused = tokenRefusal(req.method, req.baseUrl + req.path, found.scopes);
      if (refused) return next(forbidden(refused));
      req.viewer = viewerOfToken(found);
      req.sessionId = tokenSessionId(found.id);
      await touchLastUsed(em, found);
      return next();
    }
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
