/**
 * Time entries: who may log and see what, validation that names the field, optimistic locking,
 * and entries as the source of spent and used hours (they move the plan).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { Q, datedScenario, recordEvents, rowCount } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const ticketOf = (plan: any, id: string) => plan.tickets.find((t: { id: string }) => t.id === id);
const staffOf = (plan: any, id: string) => plan.staff.find((s: { id: string }) => s.id === id);

describe.each(await dbTargets())('time entries on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let ana: ApiClient;
  let sam: ApiClient;
  let acme: ApiClient;
  let samEntry: number;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('staff', { email: 'sam@staff.test', staffId: 'sam' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    [ana, sam, acme] = [await t.as('ana@staff.test'), await t.as('sam@staff.test'), await t.as('acme@client.test')];
  });
  afterAll(() => t?.close());

  it('staff log their own hours: the week comes from the date and the entry moves the plan', async () => {
    const before = (await manager.get('/api/plans/current')).body;
    expect(ticketOf(before, 'A-1').remainingHours).toBe(36);
    const capacity = staffOf(before, 'ana').capacity[2];
    const rec = recordEvents(t, 'time-entry.changed');
    const r = await ana.post('/api/time-entries', { ticket: 'A-1', hours: 3.5, date: '2026-10-13', note: 'started' });
    rec.stop();
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ staff: 'ana', ticket: 'A-1', client: 'acme', quarter: Q, week: 2, date: '2026-10-13', hours: 3.5, note: 'started', version: 1 });
    expect(rec.events).toEqual([{ quarterId: Q, entryId: r.body.id, ticketId: 'A-1', clientId: 'acme', staffId: 'ana', action: 'created' }]);

    await t.settle();
    const after = (await manager.get('/api/plans/current')).body;
    expect(after.version).toBeGreaterThan(before.version);
    expect(ticketOf(after, 'A-1').remainingHours).toBe(32.5);
    // Hours logged this week come off this week's capacity.
    expect(staffOf(after, 'ana').capacity[2]).toBe(capacity - 3.5);
  });

  it('staff cannot log hours for someone else, and nothing is saved', async () => {
    const n = await rowCount(t, 'time_entries');
    const r = await ana.post('/api/time-entries', { ticket: 'B-1', hours: 1, date: '2026-10-13', staff: 'sam' });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('your own hours');
    expect(await rowCount(t, 'time_entries')).toBe(n);
  });

  it('managers log hours for anyone; hours of a past week become the client’s used hours', async () => {
    const missing = await manager.post('/api/time-entries', { ticket: 'B-1', hours: 2, date: '2026-10-06' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe('staff');

    const r = await manager.post('/api/time-entries', { ticket: 'B-1', staff: 'sam', hours: 2, date: '2026-10-06' });
    expect(r.status).toBe(201);
    expect(r.body.week).toBe(1);
    samEntry = r.body.id;
    await t.settle();
    const scenario = (await manager.get(`/api/quarters/${Q}/scenario`)).body;
    expect(scenario.clients.find((c: { id: string }) => c.id === 'bolt').usedByWeek).toEqual([5, 7]);
    expect(scenario.tickets.find((x: { id: string }) => x.id === 'B-1').spentHours).toBe(2);
  });

  it('staff see only their own entries', async () => {
    const mine = await ana.get('/api/time-entries');
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((e: { staff: string }) => e.staff === 'ana')).toBe(true);
    expect((await ana.get(`/api/time-entries/${samEntry}`)).status).toBe(404);
    expect((await ana.get('/api/time-entries?staff=sam')).status).toBe(403);
    const theirs = await sam.get(`/api/time-entries?quarter=${Q}&ticket=B-1`);
    expect(theirs.body).toMatchObject({ items: [{ id: samEntry }], total: 1, nextCursor: null });
  });

  it('a client reads its own client’s entries only, without who worked them; another client’s ids are 404', async () => {
    const own = await acme.get('/api/time-entries');
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    for (const e of own.body.items) {
      expect(e.client).toBe('acme');
      expect(e).not.toHaveProperty('staff');
      expect(e).not.toHaveProperty('note');
    }
    expect((await acme.get('/api/time-entries?ticket=A-1')).status).toBe(200);
    expect((await acme.get(`/api/time-entries/${samEntry}`)).status).toBe(404);
    expect((await acme.get('/api/time-entries?client=bolt')).status).toBe(404);
    expect((await acme.get('/api/time-entries?ticket=B-1')).status).toBe(404);
    expect((await acme.get('/api/time-entries?staff=ana')).status).toBe(403);
    expect((await acme.post('/api/time-entries', { ticket: 'A-1', hours: 1, date: '2026-10-13' })).status).toBe(403);
    expect((await acme.patch(`/api/time-entries/${own.body.items[0].id}`, { version: 1, hours: 1 })).status).toBe(403);
    expect((await t.anonymous().get('/api/time-entries')).status).toBe(401);
  });

  it('refuses bad bodies with a 400 naming the field, and saves nothing', async () => {
    const ok = { ticket: 'A-1', hours: 1, date: '2026-10-13' };
    const cases: [unknown, string, string?][] = [
      [{}, 'ticket'],
      [{ ...ok, hours: 0 }, 'hours'],
      [{ ...ok, hours: 0.3 }, 'hours', 'quarter hours'],
      [{ ...ok, hours: 24.25 }, 'hours', 'at most 24'],
      [{ ...ok, hours: '2' }, 'hours'],
      [{ ...ok, date: '2026-10-20' }, 'date', 'after the current week (2): log hours once they have been worked'],
      [{ ...ok, date: '2026-09-27' }, 'date', 'before quarter 2026-Q4 starts'],
      [{ ...ok, date: '2026-12-28' }, 'date', 'after quarter 2026-Q4 ends'],
      [{ ...ok, date: '13/10/2026' }, 'date'],
      [{ ...ok, date: '2026-10-13', week: 1 }, 'week', 'is in week 2'],
      [{ ...ok, note: 'x'.repeat(2001) }, 'note'],
      [{ ...ok, color: 'red' }, 'color'],
      [[ok], 'body'],
    ];
    const n = await rowCount(t, 'time_entries');
    for (const [body, field, text] of cases) {
      const r = await ana.post('/api/time-entries', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body.error.details[0].field, JSON.stringify(body).slice(0, 80)).toBe(field);
      if (text) expect(r.body.error.message).toContain(text);
    }
    // A manager is told which field is wrong; staff get 404 for any ticket not theirs (test/security/staff-access).
    const unknown = await manager.post('/api/time-entries', { ...ok, staff: 'ana', ticket: 'NOPE' });
    expect([unknown.status, unknown.body.error.details[0].field, unknown.body.error.message]).toEqual([400, 'ticket', 'ticket: unknown ticket "NOPE"']);
    expect((await ana.post('/api/time-entries', { ...ok, ticket: 'NOPE' })).status).toBe(404);
    const notJson = await ana.post('/api/time-entries', '{"ticket": "A-1",', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const huge = await ana.post('/api/time-entries', { ...ok, note: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
    expect(await rowCount(t, 'time_entries')).toBe(n);
  });

  it('still takes the old field names ticketId and staffId from tools written before the rename, and answers with the new ones', async () => {
    const r = await manager.post('/api/time-entries', { ticketId: 'A-2', staffId: 'ana', hours: 0.5, date: '2026-10-12' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ticket: 'A-2', staff: 'ana', client: 'acme', quarter: Q });
    expect(r.body).not.toHaveProperty('ticketId');
    const patched = await manager.patch(`/api/time-entries/${r.body.id}`, { version: r.body.version, ticketId: 'A-1' });
    expect([patched.status, patched.body.ticket]).toEqual([200, 'A-1']);
    const both = await manager.post('/api/time-entries', { ticket: 'A-2', ticketId: 'A-1', staff: 'ana', hours: 0.5, date: '2026-10-12' });
    expect([both.status, both.body.error.details[0]]).toEqual([400, { field: 'ticketId', message: 'is the old name of ticket: send ticket only' }]);
    expect((await manager.delete(`/api/time-entries/${r.body.id}?version=${patched.body.version}`)).status).toBe(204);
  });

  it('PATCH needs the version read: a stale one gets 409 with the current entry', async () => {
    const created = (await ana.post('/api/time-entries', { ticket: 'A-2', hours: 1, date: '2026-10-14' })).body;
    const url = `/api/time-entries/${created.id}`;
    const noVersion = await ana.patch(url, { hours: 2 });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.details[0].field).toBe('version');

    const rec = recordEvents(t, 'time-entry.changed');
    const r = await ana.patch(url, { version: created.version, hours: 2.5, date: '2026-10-07' });
    rec.stop();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ hours: 2.5, week: 1, date: '2026-10-07', version: created.version + 1 });
    expect(rec.events.map((e) => e.action)).toEqual(['updated']);

    const stale = await ana.patch(url, { version: created.version, hours: 4 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toMatchObject({ id: created.id, hours: 2.5, version: created.version + 1 });
    expect((await ana.patch(url, { version: r.body.version, date: '2026-10-21' })).status).toBe(400);

    expect((await sam.patch(url, { version: r.body.version, hours: 1 })).status).toBe(404);
    expect((await ana.patch(url, { version: r.body.version, staff: 'sam' })).status).toBe(403);
    const moved = await manager.patch(url, { version: r.body.version, staff: 'sam', ticket: 'B-1' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ staff: 'sam', ticket: 'B-1', client: 'bolt', week: 1 });
    expect((await manager.get(url)).body.version).toBe(r.body.version + 1);
  });

  it('DELETE removes a mistaken entry: its hours go back to the ticket in a new plan', async () => {
    const created = (await ana.post('/api/time-entries', { ticket: 'A-2', hours: 2, date: '2026-10-13' })).body;
    await t.settle();
    const before = (await manager.get('/api/plans/current')).body;
    const url = `/api/time-entries/${created.id}`;
    expect((await ana.delete(url)).status).toBe(400);
    expect((await sam.delete(`${url}?version=${created.version}`)).status).toBe(404);
    expect((await acme.delete(`${url}?version=${created.version}`)).status).toBe(403);
    expect((await ana.delete(`${url}?version=${created.version + 1}`)).status).toBe(409);
    const rec = recordEvents(t, 'time-entry.changed');
    expect((await ana.delete(`${url}?version=${created.version}`)).status).toBe(204);
    rec.stop();
    expect(rec.events.map((e) => e.action)).toEqual(['deleted']);
    expect((await manager.get(url)).status).toBe(404);
    await t.settle();
    const after = (await manager.get('/api/plans/current')).body;
    expect(after.version).toBeGreaterThan(before.version);
    expect(ticketOf(after, 'A-2').remainingHours).toBe(ticketOf(before, 'A-2').remainingHours + 2);
  });

  it('in a quarter without a start date, hours are logged by week', async () => {
    const scenario = {
      quarter: { id: '2027-Q1', weeks: 13, currentWeek: 3 },
      staff: [{ id: 'ana', name: 'Ana', weeklyHours: 32, skills: ['php'] }],
      clients: [{ id: 'acme', name: 'Acme Ltd', plan: 'prepaid', purchases: [{ week: 0, hours: 26 }] }],
      tickets: [{ id: 'N-1', client: 'acme', title: 'Next', priority: 3, estimateHours: 8, openedWeek: 0 }],
    };
    expect((await manager.post('/api/quarters/2027-Q1/import', scenario)).status).toBe(200);
    await t.settle();
    const noWeek = await ana.post('/api/time-entries', { ticket: 'N-1', hours: 1, date: '2027-01-05' });
    expect(noWeek.status).toBe(400);
    expect(noWeek.body.error.message).toContain('week: is required: quarter 2027-Q1 has no start date');
    expect((await ana.post('/api/time-entries', { ticket: 'N-1', hours: 1, week: 4 })).status).toBe(400);
    const r = await ana.post('/api/time-entries', { ticket: 'N-1', hours: 1, week: 3 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ quarter: '2027-Q1', week: 3, date: null });
    expect((await ana.get('/api/time-entries?quarter=2027-Q1')).body.items.map((e: { id: number }) => e.id)).toEqual([r.body.id]);
    await t.settle();
  });
});
