/**
 * The one module that holds the socket. It signs in with the session cookie (same origin), keeps
 * listeners across reconnects, and tells its subscribers when it is live, so they can catch up
 * with `sync` before claiming that what they show is current.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SyncRequest, SyncResponse } from '../../../shared/socket-events.ts';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type LiveEvent = keyof ServerToClientEvents;
export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

type AnyListener = (payload: never) => void;

let socket: LiveSocket | null = null;
let state: LiveState = 'off';
let retry: ReturnType<typeof setTimeout> | undefined;
const listeners = new Map<LiveEvent, Set<AnyListener>>();
const stateListeners = new Set<(s: LiveState) => void>();

function setState(next: LiveState): void {
  if (next === state) return;
  state = next;
  stateListeners.forEach((fn) => fn(next));
}

export function liveState(): LiveState {
  return state;
}

export function onLiveState(fn: (s: LiveState) => void): () => void {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

/** Subscribes to a server event; the subscription survives reconnects and new sockets. */
export function onLive<E extends LiveEvent>(event: E, fn: ServerToClientEvents[E]): () => void {
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(fn as AnyListener);
  return () => set.delete(fn as AnyListener);
}

function dispatch(event: string, payload: unknown): void {
  listeners.get(event as LiveEvent)?.forEach((fn) => (fn as (p: unknown) => void)(payload));
}

/** Opens the socket (idempotent). Call after sign-in; the cookie authenticates it. */
export function startLive(url?: string): LiveSocket {
  if (socket) return socket;
  const s: LiveSocket = io(url ?? window.location.origin, {
    path: '/socket.io',
    withCredentials: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
    timeout: 8000,
  });
  socket = s;
  setState('connecting');
  s.on('connect', () => setState('live'));
  s.on('disconnect', (reason) => {
    setState(socket === s ? 'reconnecting' : 'off');
    // The server closes a socket when its access changes (a new role or client, a new password, a
    // sign-out elsewhere); socket.io does not retry that by itself. A fresh handshake gets the
    // rooms of the new access, or is refused when the session is gone.
    if (reason === 'io server disconnect' && socket === s) {
      clearTimeout(retry);
      retry = setTimeout(() => socket === s && s.connect(), 500);
    }
  });
  s.on('connect_error', () => {
    if (socket !== s) return;
    setState('reconnecting');
    // A refused handshake is not retried by socket.io itself; try again later (the session may be back).
    if (!s.active) {
      clearTimeout(retry);
      retry = setTimeout(() => socket === s && s.connect(), 10_000);
    }
  });
  s.onAny((event: string, payload: unknown) => dispatch(event, payload));
  return s;
}

export function stopLive(): void {
  clearTimeout(retry);
  const s = socket;
  socket = null;
  s?.removeAllListeners();
  s?.disconnect();
  setState('off');
}

/** Asks the server which plan is current and, when ours is older, for the new one. */
export function sync(req: SyncRequest, timeoutMs = 8000): Promise<SyncResponse> {
  const s = socket;
  if (!s || !s.connected) return Promise.reject(new Error('not connected'));
  return new Promise((resolve, reject) => {
    s.timeout(timeoutMs).emit('sync', req, (err: Error | null, res: SyncResponse) => (err ? reject(err) : resolve(res)));
  });
}
