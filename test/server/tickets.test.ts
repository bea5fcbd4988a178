/**
 * /api/tickets: who files, reads and edits which tickets, validation, optimistic locking, and a
 * change reaching the plan.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { everPlanned, expectFieldErrors, fieldsOf, logTime, malformed, oversized, QUARTER, recordEvents, rowCount, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, type TestApp } from '../utils/test-app.ts';

const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

describe.each(await dbTargets())('tickets on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  withSeededApp(target, (s) => ({ t, manager, harbor, sam } = s));

  const file = (client: ApiClient, body: Record<string, unknown>) => client.post('/api/tickets', body);

  describe('filing', () => {
    it('a manager files a ticket with every field; it reads back as sent', async () => {
      const body = { id: 'X-1', client: 'nimbus', title: 'Mail relay', description: 'SPF too', priority: 2, estimateHours: 6.5, spentHours: 1, openedWeek: 10, skill: 'linux', emergency: false, dueWeek: 12, status: 'open' };
      const r = await file(manager, body);
      expect(r.status).toBe(201);
      const { quarter, version, createdAt, updatedAt, source, externalId, url, emergencyRequested, ...rest } = r.body;
      expect(rest).toEqual(body);
      expect({ quarter, version }).toEqual({ quarter: QUARTER, version: 1 });
      // Filed here, not by a tracker (/api/intake).
      expect({ source, externalId, url, emergencyRequested }).toEqual({ source: null, externalId: null, url: null, emergencyRequested: false });
      expect(Date.parse(createdAt)).toBeGreaterThan(0);
      expect(Date.parse(updatedAt)).toBeGreaterThan(0);
      expect((await manager.get('/api/tickets/X-1')).body).toEqual(r.body);
    });

    it('generates T-<n> ids that never clash with existing ones, also when filed at once', async () => {
      expect((await file(manager, { id: 'T-41', client: 'nimbus', title: 'Manual id', priority: 3, estimateHours: 1 })).status).toBe(201);
      const made = await Promise.all([1, 2, 3].map((i) => file(harbor, { title: `At once ${i}`, priority: 3 })));
      expect(made.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(made.map((r) => r.body.id).sort()).toEqual(['T-42', 'T-43', 'T-44']);
    });

    it('a client user files for its own client with defaults: estimate 2 h, opened this week', async () => {
      const r = await file(harbor, { title: 'Printer offline', priority: 2, dueWeek: 12 });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ client: 'harbor', estimateHours: 2, openedWeek: 11, emergency: false, status: 'open', skill: null, spentHours: 0, quarter: QUARTER });
      expect((await file(harbor, { client: 'harbor', title: 'With estimate', priority: 3, estimateHours: 5 })).body.estimateHours).toBe(5);
    });

    it("a client user cannot file for another client, real or not: 404 as if unknown", async () => {
      const before = await rowCount(t, 'tickets');
      for (const client of ['quill', 'nobody']) {
        const r = await file(harbor, { client, title: 'Sneaky', priority: 1 });
        expect(r.status).toBe(404);
        expect(r.body.error.message).toBe(`Client ${client} not found.`);
      }
      expect(await rowCount(t, 'tickets')).toBe(before);
    });

    it('a client user cannot set what managers decide (403), nor pick an id', async () => {
      const before = await rowCount(t, 'tickets');
      for (const extra of [{ emergency: true }, { skill: 'php' }, { openedWeek: 0 }, { status: 'closed' }, { id: 'H-9' }, { spentHours: 1 }]) {
        const r = await file(harbor, { title: 'Try', priority: 1, ...extra });
        expect(r.status, JSON.stringify(extra)).toBe(403);
        expect(r.body.error.message).toContain(Object.keys(extra)[0]);
      }
      expect(await rowCount(t, 'tickets')).toBe(before);
    });

    it('staff cannot file tickets: 403', async () => {
      expect((await file(sam, { client: 'harbor', title: 'x', priority: 3, estimateHours: 1 })).status).toBe(403);
    });

    it('refuses bad bodies naming the field, and saves nothing', async () => {
      const before = { tickets: await rowCount(t, 'tickets'), audit: await rowCount(t, 'audit_log') };
      const cases: [Record<string, unknown>, string, number][] = [
        [{ client: 'harbor', title: 'x', priority: 3 }, 'estimateHours', 400],
        [{ client: 'harbor', title: 'x', estimateHours: 1 }, 'priority', 400],
        [{ title: 'x', priority: 3, estimateHours: 1 }, 'client', 400],
        [{ client: 'harbor', title: 'x', priority: 5, estimateHours: 1 }, 'priority', 400],
        [{ client: 'harbor', title: 'x', priority: '1', estimateHours: 1 }, 'priority', 400],
        [{ client: 'harbor', title: 'x', priority: 3, estimateHours: -1 }, 'estimateHours', 400],
        [{ client: 'harbor', title: 'x', priority: 3, estimateHours: 1.1 }, 'estimateHours', 400],
        [{ client: 'harbor', title: 'x', priority: 3, estimateHours: 1, openedWeek: 13 }, 'openedWeek', 400],
        [{ client: 'harbor', title: 'x', priority: 3, estimateHours: 1, dueWeek: 20 }, 'dueWeek', 400],
        [{ client: 'harbor', title: 'x'.repeat(501), priority: 3, estimateHours: 1 }, 'title', 400],
        [{ client: 'harbor', title: '  ', priority: 3, estimateHours: 1 }, 'title', 400],
        [{ client: 'harbor', title: 'x', priority: 3, estimateHours: 1, colour: 'red' }, 'colour', 400],
        [{ client: 'h'.repeat(201), title: 'x', priority: 3, estimateHours: 1 }, 'client', 400],
      ];
      for (const [body, field, status] of cases) {
        const r = await file(manager, body);
        expect(r.status, JSON.stringify(body)).toBe(status);
        expect(fieldsOf(r), JSON.stringify(body)).toContain(field);
      }
      const unknown = await file(manager, { client: 'nobody', title: 'x', priority: 3, estimateHours: 1 });
      expect(unknown.status).toBe(404);
      expect((await file(manager, { client: 'harbor', title: 'x', priority: 3, estimateHours: 1, quarter: '1999-Q1' })).status).toBe(404);
      expect((await file(manager, { id: 'H-1', client: 'harbor', title: 'x', priority: 3, estimateHours: 1 })).status).toBe(409);
      expect((await malformed(manager, 'POST', '/api/tickets')).body.error.code).toBe('invalid_json');
      const list = await manager.post('/api/tickets', [{ client: 'harbor', title: 'x', priority: 3, estimateHours: 1 }]);
      expect(list.status).toBe(400);
      expect(fieldsOf(list)).toEqual(['body']);
      expect((await manager.post('/api/tickets', oversized())).status).toBe(413);
      expect((await manager.post('/api/tickets', 'title=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
      expect({ tickets: await rowCount(t, 'tickets'), audit: await rowCount(t, 'audit_log') }).toEqual(before);
    });

    it('answers 401 to a signed-out caller', async () => {
      expect((await t.anonymous().get('/api/tickets')).status).toBe(401);
      expect((await t.anonymous().post('/api/tickets', { title: 'x', priority: 1 })).status).toBe(401);
    });
  });

  describe('reading', () => {
    it('a manager lists every ticket, filtered by quarter, client, status and priority', async () => {
      const all = (await manager.get('/api/tickets')).body.items;
      expect(ids(all)).toEqual(expect.arrayContaining(['D-1', 'H-1', 'Q-1', 'Q-2']));
      expect(ids((await manager.get('/api/tickets?client=quill')).body.items)).toEqual(['Q-1', 'Q-2']);
      expect(ids((await manager.get('/api/tickets?client=quill&priority=1&status=open')).body.items)).toEqual(['Q-1', 'Q-2']);
      expect((await manager.get('/api/tickets?priority=4')).body.items.every((x: { priority: number }) => x.priority === 4)).toBe(true);
      expect((await manager.get(`/api/tickets?quarter=${QUARTER}`)).body.items.length).toBe(all.length);
      expect((await manager.get('/api/tickets?quarter=1999-Q1')).body).toEqual({ items: [], total: 0, nextCursor: null });
      expect((await manager.get('/api/tickets?status=closed')).body).toEqual({ items: [], total: 0, nextCursor: null });
      const bad = await manager.get('/api/tickets?priority=9&status=done');
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad).sort()).toEqual(['priority', 'status']);
    });

    it('a client user reads only its own tickets; another client filter finds nothing', async () => {
      const own = (await harbor.get('/api/tickets')).body.items;
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((x: { client: string }) => x.client === 'harbor')).toBe(true);
      expect((await harbor.get('/api/tickets?client=quill')).body).toEqual({ items: [], total: 0, nextCursor: null });
      expect((await harbor.get('/api/tickets/H-1')).status).toBe(200);
      expect((await harbor.get('/api/tickets/Q-1')).status).toBe(404);
    });

    it('staff read the tickets behind their plan allocations (any version) and their time entries', async () => {
      await t.settle();
      const planned = await everPlanned(manager, 'sam');
      expect(planned).toEqual(expect.arrayContaining(['Q-1', 'Q-2']));
      expect(ids((await sam.get('/api/tickets')).body.items)).toEqual(planned);
      expect((await sam.get('/api/tickets/Q-1')).status).toBe(200);
      // Nobody has the skill, so it is never planned: only a time entry makes it Sam's.
      const cobol = (await file(manager, { client: 'dyno', title: 'Mainframe', priority: 4, estimateHours: 3, skill: 'cobol' })).body;
      expect((await sam.get(`/api/tickets/${cobol.id}`)).status).toBe(404);
      await logTime(t, { staffId: 'sam', ticketId: cobol.id, clientId: 'dyno', week: 11, hours: 1.5 });
      const r = await sam.get(`/api/tickets/${cobol.id}`);
      expect(r.status).toBe(200);
      expect(r.body.spentHours).toBe(1.5);
      expect(ids((await sam.get('/api/tickets?client=dyno')).body.items)).toContain(cobol.id);
    });

    it('spentHours is the imported baseline plus time entries', async () => {
      const r = await file(manager, { client: 'nimbus', title: 'Spent', priority: 3, estimateHours: 8, spentHours: 2 });
      await logTime(t, { staffId: 'sam', ticketId: r.body.id, clientId: 'nimbus', week: 10, hours: 0.75 });
      expect((await manager.get(`/api/tickets/${r.body.id}`)).body.spentHours).toBe(2.75);
      const low = await manager.patch(`/api/tickets/${r.body.id}`, { version: 1, spentHours: 0.5 });
      expect(low.status).toBe(400);
      expect(fieldsOf(low)).toEqual(['spentHours']);
      expect((await manager.patch(`/api/tickets/${r.body.id}`, { version: 1, spentHours: 3 })).body.spentHours).toBe(3);
    });
  });

  describe('editing', () => {
    let n = 0;
    const fresh = async (extra: Record<string, unknown> = {}) =>
      (await file(manager, { id: `E-${++n}`, client: 'harbor', title: 'Edit me', priority: 3, estimateHours: 2, ...extra })).body;

    it('a client user edits title, description, priority and dueWeek of its own open tickets', async () => {
      const tk = await fresh();
      const r = await harbor.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: 'Renamed', description: 'More', priority: 1, dueWeek: 12 });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ title: 'Renamed', description: 'More', priority: 1, dueWeek: 12, version: tk.version + 1 });
      expect(Date.parse(r.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(tk.updatedAt));
    });

    it('a client user cannot touch what managers decide, nor closed tickets: 403, nothing changes', async () => {
      const tk = await fresh();
      for (const extra of [{ emergency: true }, { estimateHours: 9 }, { openedWeek: 1 }, { status: 'closed' }, { skill: 'php' }, { client: 'harbor' }, { spentHours: 1 }]) {
        const r = await harbor.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: 'Changed', ...extra });
        expect(r.status, JSON.stringify(extra)).toBe(403);
      }
      const closed = await manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, status: 'closed' });
      expect(closed.status).toBe(200);
      const r = await harbor.patch(`/api/tickets/${tk.id}`, { version: closed.body.version, title: 'Changed' });
      expect(r.status).toBe(403);
      expect((await manager.get(`/api/tickets/${tk.id}`)).body).toEqual(closed.body);
    });

    it('staff cannot edit: 403 on their own tickets, 404 on others', async () => {
      const q2 = (await manager.get('/api/tickets/Q-2')).body;
      expect((await sam.patch('/api/tickets/Q-2', { version: q2.version, title: 'x' })).status).toBe(403);
      const tk = await fresh();
      expect((await sam.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: 'x' })).status).toBe(404);
    });

    it('a manager edits every field; moving a ticket to an unknown client is a 404', async () => {
      const tk = await fresh();
      const r = await manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, client: 'nimbus', estimateHours: 3.25, openedWeek: 9, skill: 'php', dueWeek: null, priority: 2 });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ client: 'nimbus', estimateHours: 3.25, openedWeek: 9, skill: 'php', dueWeek: null, priority: 2 });
      const back = await manager.patch(`/api/tickets/${tk.id}`, { version: r.body.version, skill: null });
      expect(back.body.skill).toBeNull();
      expect((await manager.patch(`/api/tickets/${tk.id}`, { version: back.body.version, client: 'nobody' })).status).toBe(404);
      expect((await manager.patch('/api/tickets/NOPE', { version: 1, title: 'x' })).status).toBe(404);
    });

    it('needs the version read: missing → 400 naming version; stale → 409 with the current record', async () => {
      const tk = await fresh();
      const missing = await manager.patch(`/api/tickets/${tk.id}`, { title: 'No version' });
      expect(missing.status).toBe(400);
      expect(fieldsOf(missing)).toEqual(['version']);
      const first = await manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: 'First' });
      expect(first.status).toBe(200);
      const stale = await harbor.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: 'Second' });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('conflict');
      expect(stale.body.error.details.current).toEqual((await harbor.get(`/api/tickets/${tk.id}`)).body);
      expect(stale.body.error.details.current.title).toBe('First');
    });

    it('two PATCHes with the same version at once: one wins, the other gets 409', async () => {
      const tk = await fresh();
      const [a, b] = await Promise.all([
        manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: 'A' }),
        harbor.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: 'B' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? a.body : b.body;
      const loser = a.status === 409 ? a.body : b.body;
      expect(loser.error.details.current).toEqual(winner);
      expect((await manager.get(`/api/tickets/${tk.id}`)).body.title).toBe(winner.title);
    });

    it('refuses bad PATCH bodies naming the field, and changes nothing', async () => {
      const tk = await fresh();
      await expectFieldErrors((b) => manager.patch(`/api/tickets/${tk.id}`, b), [
        [{ version: tk.version, priority: 0 }, 'priority'],
        [{ version: tk.version, dueWeek: 13 }, 'dueWeek'],
        [{ version: tk.version, openedWeek: -1 }, 'openedWeek'],
        [{ version: tk.version, emergency: 'yes' }, 'emergency'],
        [{ version: tk.version, quarter: '2027-Q1' }, 'quarter'],
        [{ version: 'one', title: 'x' }, 'version'],
      ]);
      expect((await malformed(manager, 'PATCH', `/api/tickets/${tk.id}`)).status).toBe(400);
      expect((await manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, ...oversized() })).status).toBe(413);
      expect((await manager.get(`/api/tickets/${tk.id}`)).body).toEqual(tk);
    });

    it('a PATCH that changes nothing keeps the version and makes no new plan', async () => {
      const tk = await fresh();
      await t.settle();
      const plan = (await manager.get('/api/plans/current')).body.version;
      const r = await manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, title: tk.title });
      expect(r.body.version).toBe(tk.version);
      await t.settle();
      expect((await manager.get('/api/plans/current')).body.version).toBe(plan);
    });
  });

  describe('planning', () => {
    it('declaring an emergency emits events and gives the ticket emergency hours in a new plan', async () => {
      const changed = recordEvents(t, 'ticket.changed');
      const declared = recordEvents(t, 'emergency.declared');
      const tk = (await file(harbor, { title: 'Site down', priority: 3, estimateHours: 4 })).body;
      await t.settle();
      const before = (await manager.get('/api/plans/current')).body;
      const r = await manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, emergency: true });
      expect(r.status).toBe(200);
      await t.settle();
      const after = (await manager.get('/api/plans/current')).body;
      changed.stop();
      declared.stop();
      expect(after.version).toBeGreaterThan(before.version);
      const hours = (p: { allocations: { ticket: string; level: number; hours: number }[] }, level?: number) =>
        p.allocations.filter((a) => a.ticket === tk.id && (level === undefined || a.level === level)).reduce((s, a) => s + a.hours, 0);
      expect(hours(after, 1)).toBe(4);
      expect(hours(before, 1)).toBe(0);
      expect(changed.events).toEqual([
        { quarterId: QUARTER, ticketId: tk.id, clientId: 'harbor', action: 'created' },
        { quarterId: QUARTER, ticketId: tk.id, clientId: 'harbor', action: 'updated' },
      ]);
      expect(declared.events).toEqual([{ quarterId: QUARTER, ticketId: tk.id, clientId: 'harbor', at: expect.any(String) }]);
      // Clearing the flag is not a new emergency.
      await manager.patch(`/api/tickets/${tk.id}`, { version: r.body.version, emergency: false });
      expect(declared.events.length).toBe(1);
    });

    it('closing a ticket takes it out of the plan', async () => {
      const tk = (await file(manager, { client: 'nimbus', title: 'Down', priority: 1, estimateHours: 1, emergency: true })).body;
      await t.settle();
      const before = (await manager.get('/api/plans/current')).body;
      expect(before.allocations.some((a: { ticket: string }) => a.ticket === tk.id)).toBe(true);
      expect((await manager.patch(`/api/tickets/${tk.id}`, { version: tk.version, status: 'closed' })).status).toBe(200);
      await t.settle();
      const after = (await manager.get('/api/plans/current')).body;
      expect(after.version).toBeGreaterThan(before.version);
      expect(after.allocations.some((a: { ticket: string }) => a.ticket === tk.id)).toBe(false);
    });
  });
});
