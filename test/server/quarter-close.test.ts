/**
 * Quarter close on the shared example (emergency-rollover.json, worked in
 * shared/examples/emergency-rollover.md): Quill's shop goes down in the last week, so Harbor's
 * week-12 rate cannot be caught up and its 4 h roll over; quill's 10 h and nimbus's 16 h expire;
 * open tickets move on without losing an hour; the closed quarter is read-only. The catch-up
 * example and debt carried across weeks into the close: quarter-close-examples.test.ts.
 */
import { raw } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientQuarter, Quarter, RolloverCredit, Ticket } from '../../server/db/entities.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { recordEvents, rowCounts } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import { EMERGENCY_ROLLOVER_TABLE, workedTable } from '../utils/worked-tables.ts';
import { workedExample } from '../fixtures/examples.ts';

const example = workedExample('emergency-rollover');
const Q = '2026-Q4';
const NEXT = '2027-Q1';
const TABLES = ['quarters', 'rollover_credits', 'client_quarters', 'tickets', 'time_entries'];

describe.each(await dbTargets())('quarter close on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let sam: ApiClient;
  let harbor: ApiClient;
  let entryId: number;
  const close = (who: ApiClient, body: unknown, id = Q) => who.post(`/api/quarters/${id}/close`, body);
  const em = () => t.app.services.store.reader();

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, example)).status).toBe(200);
    await t.createUser('staff', { email: 'sam@staff.test', staffId: 'sam' });
    await t.createUser('client', { email: 'harbor@client.test', clientId: 'harbor' });
    [sam, harbor] = [await t.as('sam@staff.test'), await t.as('harbor@client.test')];
    // The default levels, spelt out, so there is a policy to carry over. (Settled first: a re-plan
    // bumps the quarter's version.)
    await t.settle();
    const q = (await manager.get(`/api/quarters/${Q}`)).body;
    const patched = await manager.patch(`/api/quarters/${Q}`, { version: q.version, policy: { levels: ['urgent-above-rate', 'payg', 'work-ahead'] } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    // Hours on the PAYG ticket in a past week: they must survive the close, and move no prepaid figure.
    // Sam is not planned on D-1: a manager logs them (after which D-1 is among Sam's tickets).
    const entry = await manager.post('/api/time-entries', { ticketId: 'D-1', staffId: 'sam', hours: 2, week: 10 });
    expect(entry.status).toBe(201);
    entryId = entry.body.id;
    await t.settle();
  });
  afterAll(() => t?.close());

  it('only managers close a quarter', async () => {
    expect((await close(sam, { nextQuarter: { id: NEXT } })).status).toBe(403);
    expect((await close(harbor, { nextQuarter: { id: NEXT } })).status).toBe(403);
    expect((await close(t.anonymous(), { nextQuarter: { id: NEXT } })).status).toBe(401);
  });

  it('refuses malformed bodies naming the field, and saves nothing', async () => {
    const before = await rowCounts(t, TABLES);
    const cases: [unknown, string][] = [
      [{}, 'nextQuarter'],
      [{ nextQuarter: {} }, 'nextQuarter.id'],
      [{ nextQuarter: { id: NEXT, weeks: 'thirteen' } }, 'nextQuarter.weeks'],
      [{ nextQuarter: { id: NEXT, weeks: 40 } }, 'nextQuarter.weeks'],
      [{ nextQuarter: { id: NEXT, startDate: '4 Jan 2027' } }, 'nextQuarter.startDate'],
      [{ nextQuarter: { id: NEXT }, force: true }, 'force'],
      [{ nextQuarter: { id: Q } }, 'nextQuarter.id'],
    ];
    for (const [body, field] of cases) {
      const r = await close(manager, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details[0].field, JSON.stringify(body)).toBe(field);
    }
    expect((await close(manager, { nextQuarter: { id: NEXT } }, 'NOPE')).status).toBe(404);
    expect(await rowCounts(t, TABLES)).toEqual(before);
  });

  it('refuses while the plan is behind the data (409), leaving everything as it was', async () => {
    await em().nativeUpdate(Quarter, { id: Q }, { dataRevision: raw('data_revision + 1') });
    const before = await rowCounts(t, TABLES);
    const r = await close(manager, { nextQuarter: { id: NEXT } });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('the quarter is being re-planned, try again in a moment');
    expect(await rowCounts(t, TABLES)).toEqual(before);
    expect((await em().findOneOrFail(Quarter, { id: Q })).closedAt).toBeNull();
    t.app.services.replanner.markDirty([Q], 'test');
    await t.settle();
  });

  it('closes from the current plan: rollover credited, expiry recorded, open tickets carried over', async () => {
    const current = (await manager.get(`/api/plans/current?quarter=${Q}`)).body;
    expect(workedTable(current)).toEqual(EMERGENCY_ROLLOVER_TABLE);
    const events = recordEvents(t, 'ticket.changed');
    const r = await close(manager, { nextQuarter: { id: NEXT } });
    events.stop();
    expect(r.status).toBe(200);
    expect(r.body.quarter).toMatchObject({ id: Q, closed: true, autoAdvance: false });
    expect(r.body.nextQuarter).toMatchObject({ id: NEXT, weeks: 13, currentWeek: 0, startDate: null, policy: { levels: ['urgent-above-rate', 'payg', 'work-ahead'] } });
    expect(r.body.clients).toEqual([
      { client: 'harbor', rolloverHours: 4, expiredHours: 0 },
      { client: 'nimbus', rolloverHours: 0, expiredHours: 16 },
      { client: 'quill', rolloverHours: 0, expiredHours: 10 },
    ]);
    expect(r.body.carriedTickets).toEqual(['D-1', 'H-1', 'Q-1', 'Q-2']);
    expect(events.events.map((e) => [e.ticketId, e.quarterId]).sort()).toEqual(['D-1', 'H-1', 'Q-1', 'Q-2'].map((id) => [id, NEXT]));

    const db = em();
    const credits = await db.find(RolloverCredit, {});
    expect(credits.map((c) => [c.clientId, c.fromQuarterId, c.toQuarterId, c.hours])).toEqual([['harbor', Q, NEXT, 4]]);
    const cq = async (quarterId: string) => Object.fromEntries((await db.find(ClientQuarter, { quarterId }, { orderBy: { clientId: 'asc' } })).map((c) => [c.clientId, c]));
    const closing = await cq(Q);
    expect([closing.harbor!.rolledOverHours, closing.harbor!.expiredHours]).toEqual([4, 0]);
    expect([closing.quill!.rolledOverHours, closing.quill!.expiredHours]).toEqual([0, 10]);
    expect([closing.nimbus!.rolledOverHours, closing.nimbus!.expiredHours]).toEqual([0, 16]);
    const next = await cq(NEXT);
    expect(Object.keys(next)).toEqual(['harbor', 'nimbus', 'quill']);
    expect(next.harbor!.rolloverInHours).toBe(4);

    const tickets = await db.find(Ticket, {}, { orderBy: { id: 'asc' } });
    expect(tickets.every((x) => x.quarterId === NEXT && x.openedWeek === 0)).toBe(true);
    expect(tickets.find((x) => x.id === 'D-1')!.spentBaseline).toBe(2);

    await t.settle();
    const plan = (await manager.get(`/api/plans/current?quarter=${NEXT}`)).body;
    expect(plan.quarter).toMatchObject({ id: NEXT, currentWeek: 0 });
    expect(plan.clients.find((c: { id: string }) => c.id === 'harbor').balanceHours).toBe(4);
    const scenario = (await manager.get(`/api/quarters/${NEXT}/scenario`)).body;
    expect(scenario.clients.find((c: { id: string }) => c.id === 'harbor').rolloverInHours).toBe(4);
    expect(scenario.tickets.find((x: { id: string }) => x.id === 'D-1').spentHours).toBe(2);
    expect(scenario.tickets.find((x: { id: string }) => x.id === 'H-1')).toMatchObject({ openedWeek: 0, spentHours: 0, estimateHours: 8 });
  });

  it('a closed quarter is read-only: closing twice is 409, and no route or query can change it', async () => {
    const before = await rowCounts(t, TABLES);
    const twice = await close(manager, { nextQuarter: { id: NEXT } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('already closed');
    const q = (await manager.get(`/api/quarters/${Q}`)).body;
    const patch0 = await manager.patch(`/api/quarters/${Q}`, { version: q.version, currentWeek: 12 });
    expect(patch0.status).toBe(400);
    expect(patch0.body.error.message).toContain('is closed');
    const entry = (await manager.get(`/api/time-entries/${entryId}`)).body;
    const patch = await manager.patch(`/api/time-entries/${entryId}`, { version: entry.version, hours: 1 });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toContain('closed');
    expect((await manager.post(`/api/tickets/import?quarter=${Q}`, 'id,client,priority,estimateHours,openedWeek\nZ-1,harbor,3,1,0\n', { 'content-type': 'text/csv' })).status).toBe(400);
    // The database refuses too, whatever route forgets to check.
    await expect(em().insert(Ticket, { id: 'Z-2', clientId: 'harbor', quarterId: Q, title: 'x', priority: 3, estimateHours: 1, openedWeek: 0 })).rejects.toThrow(/is closed/);
    await expect(em().nativeUpdate(ClientQuarter, { quarterId: Q, clientId: 'quill' }, { expiredHours: 0 })).rejects.toThrow(/is closed/);
    expect(await rowCounts(t, TABLES)).toEqual(before);
  });

  it('hours logged in the next quarter add to the carried ones; closing again carries them all', async () => {
    expect((await sam.post('/api/time-entries', { ticketId: 'D-1', hours: 1, week: 0 })).status).toBe(201);
    await t.settle();
    const r = await close(manager, { nextQuarter: { id: '2027-Q2', weeks: 12, startDate: '2027-04-05' } }, NEXT);
    expect(r.status).toBe(200);
    expect(r.body.nextQuarter).toMatchObject({ id: '2027-Q2', weeks: 12, startDate: '2027-04-05' });
    await t.settle();
    const scenario = (await manager.get('/api/quarters/2027-Q2/scenario')).body;
    expect(scenario.tickets.find((x: { id: string }) => x.id === 'D-1').spentHours).toBe(3);
  });
});
