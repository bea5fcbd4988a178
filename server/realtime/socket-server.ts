/**
 * The live stream. A socket signs in with the same session cookie as the API (an unsigned socket,
 * or one opened by another site's page, is refused), joins the rooms of its audience, is closed
 * the moment its access changes (socket-access.ts), and can ask to catch up (`sync`) after a
 * reconnect. Messages from the browser are validated; a bad one is answered with `socket.error`
 * and the connection stays open.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { SyncResponse } from '../../shared/socket-events.ts';
import { sessionUser, type Viewer } from '../auth/viewer.ts';
import { viewPlan } from '../modules/plans/plan-view.ts';
import { currentPlan, resolveQuarter } from '../planning/plan-store.ts';
import type { Services } from '../services.ts';
import { admit, attachAccess, checkOrigin, type LiveServer, type LiveSocket } from './socket-access.ts';
import { postgresAdapter } from './pg-adapter.ts';

export type { LiveServer } from './socket-access.ts';

const MAX_MESSAGE_BYTES = 16 * 1024;
const SyncRequest = z.object({ quarterId: z.string().min(1).max(200).optional(), version: z.number().int().nonnegative().optional() }).strict();

export interface LiveOptions {
  /** A PostgreSQL server shared by every instance: emits cross instances through it. */
  postgresUrl?: string;
}

export async function startSocketServer(http: HttpServer, s: Services, opts: LiveOptions = {}): Promise<{ io: LiveServer; close(): Promise<void> }> {
  const io: LiveServer = new Server(http, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 1e6,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    allowRequest: checkOrigin(s),
  });
  const bus = opts.postgresUrl ? postgresAdapter(opts.postgresUrl, s.logger) : null;
  if (bus) io.adapter(bus.adapter);

  const stopAccess = attachAccess(io, s, Boolean(bus));

  io.on('connection', (socket: LiveSocket) => {
    const v = socket.data.viewer;
    if (!admit(socket, s)) return;
    void hello(socket, s);

    socket.onAny((event: string) => {
      if (event === 'sync') return;
      socket.emit('socket.error', { code: 'unknown_event', message: `Unknown event "${String(event).slice(0, 50)}". This server accepts: sync.` });
    });

    socket.on('sync', async (req: unknown, ack: unknown) => {
      const reply = (res: SyncResponse) => (typeof ack === 'function' ? ack(res) : socket.emit('socket.error', res.ok ? { code: 'bad_message', message: 'sync needs an acknowledgement callback' } : res.error));
      if (typeof ack !== 'function') return reply({ ok: false, error: { code: 'bad_message', message: 'sync needs an acknowledgement callback' } });
      if (JSON.stringify(req ?? null).length > MAX_MESSAGE_BYTES) return reply({ ok: false, error: { code: 'too_large', message: 'Message too large.' } });
      const parsed = SyncRequest.safeParse(req ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return reply({ ok: false, error: { code: 'bad_message', message: `sync ${issue.path.join('.') || 'request'}: ${issue.message}` } });
      }
      try {
        reply(await sync(s, v, parsed.data));
      } catch (err) {
        s.logger.error({ err }, 'socket sync failed');
        reply({ ok: false, error: { code: 'bad_message', message: 'Could not read the current plan; try again.' } });
      }
    });
  });

  return {
    io,
    async close() {
      stopAccess();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await bus?.close();
    },
  };
}

async function hello(socket: LiveSocket, s: Services): Promise<void> {
  const v = socket.data.viewer;
  try {
    const em = s.store.reader();
    const q = await resolveQuarter(em);
    socket.emit('hello', {
      user: sessionUser(v),
      current: q?.currentPlanId ? { quarterId: q.id, version: q.currentPlanId } : null,
    });
  } catch (err) {
    s.logger.warn({ err }, 'socket hello failed');
  }
}

async function sync(s: Services, v: Viewer, req: z.output<typeof SyncRequest>): Promise<SyncResponse> {
  const em = s.store.reader();
  const quarter = await resolveQuarter(em, req.quarterId);
  if (!quarter) return req.quarterId ? { ok: false, error: { code: 'not_found', message: `Quarter ${req.quarterId} not found.` } } : { ok: true, current: null, stale: false };
  const stored = await currentPlan(em, quarter);
  if (!stored) return { ok: true, current: null, stale: false };
  const current = { quarterId: quarter.id, version: stored.version };
  if (req.version === stored.version) return { ok: true, current, stale: false };
  return { ok: true, current, stale: true, plan: viewPlan(stored.plan, stored.version, v, stored.createdAt) };
}
