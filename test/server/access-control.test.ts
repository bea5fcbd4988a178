/**
 * A client user trying every other client's ids on every route gets 404, the same answer as for
 * an id that does not exist, and nothing changes. Staff likewise see only their own record and
 * the tickets behind their own work.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiResponse } from '../utils/api-client.ts';
import { everPlanned, QUARTER, rowCount, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, type TestApp } from '../utils/test-app.ts';

const OTHERS = ['quill', 'nimbus', 'dyno'];
const GHOST = 'ghost';

describe.each(await dbTargets())('access control on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  let snapshot: () => Promise<unknown>;

  withSeededApp(target, async (s) => {
    ({ t, manager, harbor, sam } = s);
    // Every other client gets a ticket and (when prepaid) a block to aim at.
    expect((await manager.post('/api/tickets', { id: 'N-1', client: 'nimbus', title: 'Nimbus work', priority: 2, estimateHours: 3 })).status).toBe(201);
    expect((await manager.post('/api/clients/nimbus/blocks', { week: 5, hours: 20 })).status).toBe(201);
    await t.settle();
    snapshot = async () => ({
      clients: await manager.all('GET /api/clients'),
      tickets: await manager.all('GET /api/tickets'),
      staff: await manager.all('GET /api/staff'),
      users: (await manager.get('/api/users')).body,
      plan: (await manager.get('/api/plans/current')).body.version,
      audit: await rowCount(t, 'audit_log'),
    });
  });

  /** A 404 for another client's record must read exactly like one for a record that never existed. */
  const expectUnknown = (r: ApiResponse, id: string, ghost: ApiResponse, label: string, ghostId = GHOST) => {
    expect(r.status, label).toBe(404);
    expect(r.body.error.code, label).toBe('not_found');
    expect(r.body.error.message.replace(id, ghostId), label).toBe(ghost.body.error.message);
  };

  it("a client user gets 404 on every client route for another client's id, and nothing changes", async () => {
    const before = await snapshot();
    const clients = await manager.all('GET /api/clients');
    const routes = (id: string, version: number, blockId: number) => [
      ['GET', `/api/clients/${id}`],
      ['GET', `/api/clients/${id}?quarter=${QUARTER}`],
      ['PATCH', `/api/clients/${id}`, { version, name: 'Taken over', active: false }],
      ['PATCH', `/api/clients/${id}`, { bogus: true }],
      ['GET', `/api/clients/${id}/blocks`],
      ['POST', `/api/clients/${id}/blocks`, { week: 1, hours: 40 }],
      ['DELETE', `/api/clients/${id}/blocks/${blockId}`],
    ] as [string, string, unknown?][];
    const ghostAnswers = await Promise.all(routes(GHOST, 1, 1).map(([m, p, b]) => harbor.request(m, p, b)));
    for (const id of OTHERS) {
      const c = clients.find((x) => x.id === id)!;
      const blockIds = c.blocks.map((b) => b.id);
      for (const blockId of blockIds.length > 0 ? blockIds : [1]) {
        const list = routes(id, c.version, blockId);
        for (const [i, [method, path, body]] of list.entries()) {
          expectUnknown(await harbor.request(method, path, body), id, ghostAnswers[i]!, `${method} ${path}`);
        }
      }
    }
    expect((await harbor.all('GET /api/clients')).map((c) => c.id)).toEqual(['harbor']);
    expect(await snapshot()).toEqual(before);
  });

  it("a client user gets 404 on every ticket route for another client's tickets, and nothing changes", async () => {
    const before = await snapshot();
    const tickets = (await manager.all('GET /api/tickets')).filter((x) => x.client !== 'harbor');
    expect(tickets.map((x) => x.id).sort()).toEqual(['D-1', 'N-1', 'Q-1', 'Q-2']);
    const ghostGet = await harbor.get('/api/tickets/ghost');
    for (const tk of tickets) {
      expectUnknown(await harbor.get(`/api/tickets/${tk.id}`), tk.id, ghostGet, `GET ${tk.id}`);
      // Even a body only a manager could send is "not found", not "forbidden": 403 would confirm the ticket exists.
      for (const body of [{ version: tk.version, title: 'Mine' }, { version: tk.version, emergency: true, estimateHours: 99 }]) {
        expectUnknown(await harbor.patch(`/api/tickets/${tk.id}`, body), tk.id, await harbor.patch('/api/tickets/ghost', body), `PATCH ${tk.id}`);
      }
    }
    const ghostFile = await harbor.post('/api/tickets', { client: GHOST, title: 'x', priority: 1 });
    for (const id of OTHERS) {
      expectUnknown(await harbor.post('/api/tickets', { client: id, title: 'Filed for them', priority: 1 }), id, ghostFile, `POST for ${id}`);
      expect((await harbor.get(`/api/tickets?client=${id}`)).body).toEqual({ items: [], total: 0, nextCursor: null });
    }
    const own = await harbor.all('GET /api/tickets');
    expect(own.every((x) => x.client === 'harbor')).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it("a client user cannot read another client's plan figures, users or any staff record", async () => {
    const before = await snapshot();
    const plan = JSON.stringify((await harbor.get('/api/plans/current')).body);
    for (const id of [...OTHERS, 'Q-1', 'Q-2', 'D-1', 'N-1', 'Quill', 'Nimbus', 'Dyno']) expect(plan).not.toContain(id);
    const users = (await manager.get('/api/users')).body as { id: number; version: number; email: string }[];
    const me = (await harbor.get('/api/users/me')).body;
    const ghostUser = await harbor.get('/api/users/999999');
    for (const u of users.filter((x) => x.id !== me.id)) {
      expectUnknown(await harbor.get(`/api/users/${u.id}`), String(u.id), ghostUser, `GET user ${u.id}`, '999999');
      expect((await harbor.patch(`/api/users/${u.id}`, { version: u.version, email: 'stolen@t.test' })).status).toBe(404);
    }
    for (const [method, path, body] of [
      ['GET', '/api/staff'],
      ['GET', '/api/staff/sam'],
      ['PATCH', '/api/staff/sam', { version: 1, weeklyHours: 0 }],
      ['PUT', '/api/staff/sam/leave', { week: 12, hours: 20 }],
      ['POST', '/api/staff', { id: 'x', weeklyHours: 1 }],
      ['GET', '/api/users'],
      ['POST', '/api/users', { email: 'x@t.test', password: 'password-1', role: 'manager' }],
      ['POST', '/api/clients', { id: 'x', plan: 'payg' }],
    ] as [string, string, unknown?][]) {
      expect((await harbor.request(method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a staff user sees only their own record and the tickets behind their work', async () => {
    const before = await snapshot();
    expect((await manager.post('/api/staff', { id: 'ana', weeklyHours: 10 })).status).toBe(201);
    await t.settle();
    const ghost = await sam.get('/api/staff/ghost');
    expectUnknown(await sam.get('/api/staff/ana'), 'ana', ghost, 'GET staff ana');
    // The tickets behind their work: planned on in any version of the quarter (or pinned, or logged on).
    const mine = new Set(await everPlanned(manager, 'sam'));
    const all = await manager.all('GET /api/tickets');
    expect((await sam.all('GET /api/tickets')).map((x) => x.id).sort()).toEqual([...mine].sort());
    for (const tk of all.filter((x) => !mine.has(x.id))) {
      expect((await sam.get(`/api/tickets/${tk.id}`)).status).toBe(404);
      expect((await sam.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: 'x' })).status).toBe(404);
    }
    for (const path of ['/api/clients', '/api/clients/harbor', '/api/clients/harbor/blocks']) expect((await sam.get(path)).status).toBe(403);
    const after = (await snapshot()) as { staff: unknown[]; audit: number; plan: number };
    expect(after.staff).toHaveLength(2);
    expect({ ...after, staff: [], audit: 0, plan: 0 }).toEqual({ ...(before as object), staff: [], audit: 0, plan: 0 });
  });

  it('a signed-out caller gets 401 on every route', async () => {
    const anon = t.anonymous();
    for (const [method, path] of [
      ['GET', '/api/staff'], ['POST', '/api/staff'], ['PATCH', '/api/staff/sam'], ['PUT', '/api/staff/sam/leave'],
      ['GET', '/api/clients'], ['POST', '/api/clients'], ['PATCH', '/api/clients/harbor'], ['GET', '/api/clients/harbor/blocks'],
      ['POST', '/api/clients/harbor/blocks'], ['DELETE', '/api/clients/harbor/blocks/1'],
      ['GET', '/api/tickets'], ['GET', '/api/tickets/H-1'], ['POST', '/api/tickets'], ['PATCH', '/api/tickets/H-1'],
      ['GET', '/api/users'], ['GET', '/api/users/me'], ['POST', '/api/users'], ['PATCH', '/api/users/1'],
    ]) {
      expect((await anon.request(method!, path!, method === 'GET' || method === 'DELETE' ? undefined : {})).status, `${method} ${path}`).toBe(401);
    }
  });
});
