/**
 * Who a socket is, and for how long. A socket opens only from our own pages (or ALLOWED_ORIGINS;
 * a script sends no Origin and is let through), signs in with the API's session cookie, and joins
 * the rooms of its audience plus one for its user and one for its session. When access changes
 * (auth/access.ts: a user edited or disabled, a sign-out) those rooms are disconnected on every
 * instance through the adapter, and every other instance forgets the user's sign-ins before the
 * change is answered; the next connection signs in afresh and gets the rooms of the new role.
 * A session's sockets also close when it expires, and a re-check every minute catches anything a
 * lost message between instances let through.
 *
 * A script may sign in with an API token instead (auth/api-tokens.ts): `auth: { token }` in the
 * socket.io handshake or `Authorization: Bearer` on its HTTP request. It joins its role's rooms
 * and a room of its own (`session:api-token:<id>`), which a revocation disconnects everywhere.
 * A token needs its `read` scope; a handshake that carries the token in its Authorization header
 * skips the Origin check (no cookie is involved, so no other site's page can borrow it).
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket-events.ts';
import type { Access, Revocation } from '../auth/access.ts';
import { bearerToken, findApiToken, tokenSessionId, viewerOfToken } from '../auth/api-tokens.ts';
import { originAllowed } from '../auth/origin.ts';
import { signedIn, tokenFromCookie } from '../auth/sessions.ts';
import { viewerOf, type Viewer } from '../auth/viewer.ts';
import type { Services } from '../services.ts';
import { roomsOf, rooms } from './audiences.ts';

export interface SocketData {
  viewer: Viewer;
  sessionId: string;
  /** When the session ends (ms since the epoch). */
  expiresAt: number;
  /** Access.begin() before the sign-in was read: revocations since then apply to this socket. */
  startedAt: number;
}

/** Messages between instances (through the adapter), not seen by any browser. */
export interface ServerSideEvents {
  'access.revoked': (r: Revocation, ack: (done: true) => void) => void;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

const SESSION_RECHECK_MS = 60_000;
/** How long a change waits for the other instances to forget; a silent one forgets within 5 s anyway. */
const FORGET_WAIT_MS = 1_500;
/** setTimeout's ceiling (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** engine.io's allowRequest: refuses a handshake from another site's page before any session is read. */
export function checkOrigin(s: Pick<Services, 'config'>) {
  return (req: { headers: { origin?: string; host?: string; authorization?: string } }, done: (err: string | null, ok: boolean) => void) =>
    bearerToken(req.headers.authorization) !== undefined || originAllowed(req.headers.origin, req.headers.host, s.config.ALLOWED_ORIGINS)
      ? done(null, true)
      : done('origin not allowed: open Hourglass from its own address', false);
}

/** The API token a socket signs in with, if any: `auth.token`, else the Authorization header. */
function socketApiToken(socket: LiveSocket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown } | undefined;
  if (typeof auth?.token === 'string') return auth.token;
  return bearerToken(socket.request.headers.authorization);
}

/**
 * Signs sockets in and ends them when access changes. `cluster`: the adapter reaches other
 * instances (PostgreSQL), so revocations are sent to them too.
 */
export function attachAccess(io: LiveServer, s: Pick<Services, 'access' | 'store' | 'logger'>, cluster: boolean): () => void {
  io.use(async (socket, next) => {
    try {
      const startedAt = s.access.begin();
      const apiToken = socketApiToken(socket);
      if (apiToken !== undefined) {
        const t = await findApiToken(s.store.reader(), apiToken);
        if (!t) return next(new Error('unauthenticated: this API token is not valid'));
        if (!t.scopes.includes('read')) return next(new Error('forbidden: this API token has no "read" scope'));
        socket.data = { viewer: viewerOfToken(t), sessionId: tokenSessionId(t.id), expiresAt: Number.MAX_SAFE_INTEGER, startedAt };
        return next();
      }
      const found = await signedIn(s.store.reader(), tokenFromCookie(socket.request.headers.cookie));
      if (!found) return next(new Error('unauthenticated: sign in first'));
      socket.data = { viewer: viewerOf(found.user), sessionId: found.sessionId, expiresAt: found.expiresAt.getTime(), startedAt };
      next();
    } catch (err) {
      s.logger.warn({ err }, 'socket sign-in check failed');
      next(new Error('unavailable: try again shortly'));
    }
  });

  // Another instance revoked access: forget here too (its sockets there and here are already
  // being disconnected by the adapter; a local pass catches one that joined in between).
  io.on('access.revoked', (r, ack) => {
    s.access.forget(r);
    io.local.in(r.sessionId ? rooms.session(r.sessionId) : rooms.user(r.userId)).disconnectSockets(true);
    if (typeof ack === 'function') ack(true);
  });

  return s.access.onRevoke(async (r) => {
    io.in(r.sessionId ? rooms.session(r.sessionId) : rooms.user(r.userId)).disconnectSockets(true);
    if (!cluster) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), FORGET_WAIT_MS)));
    try {
      const outcome = await Promise.race([io.serverSideEmitWithAck('access.revoked', r), waited]);
      if (outcome === 'late') s.logger.warn({ userId: r.userId }, 'an instance did not confirm a revoked sign-in in time; it forgets within 5 s');
    } catch (err) {
      s.logger.warn({ err, userId: r.userId }, 'could not tell every instance of a revoked sign-in; they forget within 5 s');
    } finally {
      clearTimeout(timer);
    }
  });
}

/** Joins a new socket's rooms and watches its session; false when it was revoked meanwhile. */
export function admit(socket: LiveSocket, s: Pick<Services, 'access' | 'store' | 'logger'>): boolean {
  const { viewer, sessionId, expiresAt, startedAt } = socket.data;
  void socket.join(roomsOf(viewer, sessionId));
  // A revocation that came while this socket was signing in would have missed its rooms.
  if (s.access.revokedSince(startedAt, viewer.userId, sessionId)) {
    socket.disconnect(true);
    return false;
  }
  const expiry = setTimeout(() => socket.disconnect(true), Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())));
  expiry.unref();
  const apiToken = viewer.token ? socketApiToken(socket) : undefined;
  const recheck = setInterval(() => {
    const current = apiToken !== undefined ? findApiToken(s.store.reader(), apiToken).then((t) => t && viewerOfToken(t)) : signedIn(s.store.reader(), tokenFromCookie(socket.request.headers.cookie)).then((found) => found && viewerOf(found.user));
    current
      .then((now) => {
        if (!now || JSON.stringify(now) !== JSON.stringify(viewer)) socket.disconnect(true);
      })
      .catch((err) => s.logger.warn({ err }, 'socket session re-check failed'));
  }, SESSION_RECHECK_MS);
  recheck.unref();
  socket.on('disconnect', () => {
    clearTimeout(expiry);
    clearInterval(recheck);
  });
  return true;
}
