/** Sockets for the security tests: what a socket heard, and when and why it was closed. */
import { io } from 'socket.io-client';
import type { LiveSocket } from '../utils/spawn-server.ts';

export interface Live {
  socket: LiveSocket;
  events: { event: string; payload: any }[];
  /** Resolves with the time and reason the server closed this socket. */
  closed: Promise<{ at: number; reason: string }>;
}

/** Connects with a session cookie (and an Origin header, as a browser page would send). */
export function connect(url: string, cookie: string, origin?: string): Promise<Live> {
  return connectWith(url, { extraHeaders: { cookie, ...(origin ? { origin } : {}) } });
}

/** Connects with these handshake headers or `auth` (an API token's, say). */
export function connectWith(url: string, opts: { extraHeaders?: Record<string, string>; auth?: Record<string, unknown> }): Promise<Live> {
  const socket: LiveSocket = io(url, { transports: ['websocket'], ...opts, reconnection: false, forceNew: true });
  const events: Live['events'] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  const closed = new Promise<{ at: number; reason: string }>((resolve) => socket.once('disconnect', (reason) => resolve({ at: Date.now(), reason })));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, events, closed }));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** The socket was closed by the server within `ms` of `since`. */
export async function closedWithin(live: Live, since: number, ms: number): Promise<number> {
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), ms + 3000));
  const closed = await Promise.race([live.closed, timeout]);
  if (!closed) throw new Error(`socket still open ${ms + 3000} ms after the change`);
  if (closed.reason !== 'io server disconnect') throw new Error(`socket closed for "${closed.reason}", not by the server`);
  return closed.at - since;
}

/** Asks the server to catch up, as the dashboard does after a reconnect. */
export async function syncPlan(live: Live): Promise<any> {
  const res = await live.socket.timeout(5_000).emitWithAck('sync', {});
  if (!res.ok) throw new Error(`sync failed: ${JSON.stringify(res.error)}`);
  return res.plan;
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
