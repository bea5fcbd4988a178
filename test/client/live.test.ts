// @vitest-environment happy-dom
/**
 * The socket module and the plan store against a real socket.io server speaking the shared event
 * maps: a plan update arrives in place, and after a dropped connection (or one the server closed)
 * the store catches up with `sync` before it calls the plan current again.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket-events.ts';
import { liveState, startLive, stopLive } from '../../client/src/api/live.ts';
import { startPlanFeed, stopPlanFeed, usePlan } from '../../client/src/composables/use-plan.ts';
import { planView } from './fixtures.ts';

let io: Server<ClientToServerEvents, ServerToClientEvents>;
let url = '';
let serverVersion = 2;
const syncs: (number | undefined)[] = [];

beforeAll(async () => {
  const http = createServer();
  io = new Server(http, { path: '/socket.io' });
  io.on('connection', (socket) => {
    socket.emit('hello', { user: { id: 1, email: 'm@x', role: 'manager', client: null, staff: null }, current: { quarterId: '2026-Q4', version: serverVersion } });
    socket.on('sync', (req, ack) => {
      syncs.push(req.version);
      const stale = req.version !== serverVersion;
      ack({ ok: true, current: { quarterId: '2026-Q4', version: serverVersion }, stale, ...(stale ? { plan: planView({ version: serverVersion }) as unknown as Record<string, unknown> } : {}) });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  // The first load goes over HTTP (the socket is not up yet) and finds an older plan.
  vi.stubGlobal('fetch', vi.fn(async () => Response.json(planView({ version: 1 }))));
});

afterAll(async () => {
  stopPlanFeed();
  stopLive();
  vi.unstubAllGlobals();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

describe('live plan', () => {
  it('catches up over the socket once connected, and only then calls the plan current', async () => {
    startLive(url);
    startPlanFeed();
    const { plan, current } = usePlan();
    await vi.waitFor(() => expect(current.value).toBe(true), { timeout: 5000 });
    expect(plan.value?.version).toBe(2);
    expect(liveState()).toBe('live');
  });

  it('takes a plan.updated in place', async () => {
    serverVersion = 3;
    io.emit('plan.updated', { quarterId: '2026-Q4', version: 3, previousVersion: 2, at: new Date().toISOString(), changes: { clients: ['acme'], tickets: [], staff: [] } });
    const { plan, lastUpdate } = usePlan();
    await vi.waitFor(() => expect(plan.value?.version).toBe(3), { timeout: 5000 });
    expect(lastUpdate.value?.changes.clients).toEqual(['acme']);
  });

  it('after a dropped connection, says the plan may be stale until sync brings the newer one', async () => {
    const { plan, current } = usePlan();
    serverVersion = 5;
    const before = syncs.length;
    for (const s of io.sockets.sockets.values()) s.conn.close();
    await vi.waitFor(() => expect(current.value).toBe(false), { timeout: 5000 });
    await vi.waitFor(() => expect(current.value).toBe(true), { timeout: 10_000 });
    expect(plan.value?.version).toBe(5);
    expect(syncs.slice(before)).toContain(3);
  });

  it('when the server closes the socket (access changed), signs in afresh and catches up', async () => {
    const { plan, current } = usePlan();
    serverVersion = 6;
    let connections = 0;
    io.on('connection', () => connections++);
    // What the server does when the user's role or session changes: socket.io does not retry that itself.
    io.disconnectSockets(true);
    await vi.waitFor(() => expect(current.value).toBe(false), { timeout: 5000 });
    await vi.waitFor(() => expect(current.value).toBe(true), { timeout: 5000 });
    expect(connections).toBe(1);
    expect(plan.value?.version).toBe(6);
    expect(liveState()).toBe('live');
  });
});
