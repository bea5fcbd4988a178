/**
 * CSV import and export of tickets and time entries: round trips change nothing, imports are
 * all-or-nothing with row-and-column messages, upserts by id, and only managers may use them.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quarter } from '../../server/db/entities.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { CSV, Q, TICKET_HEADER, datedScenario, lines, recordEvents, rowCounts } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';


describe.each(await dbTargets())('CSV import and export on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let ana: ApiClient;
  let acme: ApiClient;

  const importTickets = (body: string) => manager.post(`/api/tickets/import?quarter=${Q}`, body, CSV);
  const importEntries = (body: string) => manager.post(`/api/time-entries/import?quarter=${Q}`, body, CSV);
  const state = async () => {
    await t.settle();
    const q = await t.app.services.store.reader().findOneOrFail(Quarter, { id: Q });
    const n = await rowCounts(t, ['tickets', 'time_entries']);
    return { revision: q.dataRevision, plan: q.currentPlanId, tickets: n.tickets!, time_entries: n.time_entries! };
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    // Staff log only on tickets they are planned on: wait for the first plan.
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    [ana, acme] = [await t.as('ana@staff.test'), await t.as('acme@client.test')];
    for (const [date, hours] of [['2026-10-06', 2], ['2026-10-13', 1.5]] as const) {
      expect((await ana.post('/api/time-entries', { ticketId: 'A-1', hours, date, note: 'a, "quoted" note' })).status).toBe(201);
    }
    await t.settle();
  });
  afterAll(() => t?.close());

  it('exports tickets with the scenario ticket fields, spent hours including time entries', async () => {
    const r = await manager.get(`/api/tickets/export.csv?quarter=${Q}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(r.headers.get('content-disposition')).toContain(`tickets-${Q}.csv`);
    const rows = parseCsv(r.body, { columns: true }) as Record<string, string>[];
    expect(r.body.split('\n')[0]).toBe(TICKET_HEADER);
    expect(rows.map((x) => x.id)).toEqual(['A-1', 'A-2', 'B-1', 'D-1']);
    expect(rows[0]).toMatchObject({ client: 'acme', priority: '2', estimateHours: '40', spentHours: '7.5', openedWeek: '0', skill: 'php', emergency: 'false', dueWeek: '', status: 'open' });
  });

  it('round trip: importing an export changes nothing', async () => {
    const before = await state();
    const tickets = (await manager.get(`/api/tickets/export.csv?quarter=${Q}`)).body;
    const entries = (await manager.get(`/api/time-entries/export.csv?quarter=${Q}`)).body;
    expect(entries.split('\n')[0]).toBe('id,staffId,ticketId,date,week,hours,note');
    const a = await importTickets(tickets);
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ quarter: Q, rows: 4, created: 0, updated: 0, unchanged: 4 });
    const b = await importEntries(entries);
    expect(b.body).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2 });
    expect(await state()).toEqual(before);
    expect((await manager.get(`/api/time-entries/export.csv?quarter=${Q}`)).body).toBe(entries);
  });

  it('imports tickets by id: creates, updates, re-plans, and re-importing the same file changes nothing', async () => {
    const file = lines(
      'id,client,title,priority,estimateHours,openedWeek,emergency,dueWeek',
      'T-NEW,acme,"Move DNS, then mail",1,6,2026-10-13,,5',
      'A-2,acme,New theme,4,60,1,,',
      'F-1,dyno,=SUM(A1:A3),3,2,0,yes,',
    );
    const changed = recordEvents(t, 'ticket.changed');
    const declared = recordEvents(t, 'emergency.declared');
    const before = await state();
    const r = await importTickets(file);
    changed.stop();
    declared.stop();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 3, created: 2, updated: 1, unchanged: 0 });
    expect(changed.events.map((e) => [e.ticketId, e.action]).sort()).toEqual([['A-2', 'imported'], ['F-1', 'imported'], ['T-NEW', 'imported']]);
    expect(declared.events.map((e) => e.ticketId)).toEqual(['F-1']);

    const after = await state();
    expect(after.plan).toBeGreaterThan(before.plan!);
    const plan = (await manager.get('/api/plans/current')).body;
    expect(plan.tickets.map((x: { id: string }) => x.id)).toContain('T-NEW');
    const scenario = (await manager.get(`/api/quarters/${Q}/scenario`)).body;
    const byId = (id: string) => scenario.tickets.find((x: { id: string }) => x.id === id);
    expect(byId('T-NEW')).toMatchObject({ title: 'Move DNS, then mail', priority: 1, openedWeek: 2, dueWeek: 5, emergency: false });
    // Columns the file leaves out keep their values; the formula-like title survives as text.
    expect(byId('A-2')).toMatchObject({ priority: 4, title: 'New theme' });
    expect(byId('F-1')).toMatchObject({ title: '=SUM(A1:A3)', emergency: true });
    const exported = (await manager.get(`/api/tickets/export.csv?quarter=${Q}`)).body as string;
    expect(exported).toContain("'=SUM(A1:A3)");

    const again = await importTickets(file);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await state()).toEqual(after);
  });

  it('refuses a file with any bad row: 400 naming row and column, and nothing is saved', async () => {
    const good = (id: string) => `${id},acme,Good ${id},3,4,0,0,,,,open,`;
    await manager.post('/api/quarters/2027-Q1/import', {
      quarter: { id: '2027-Q1', weeks: 13 },
      staff: [],
      clients: [{ id: 'acme', name: 'Acme Ltd', plan: 'prepaid' }],
      tickets: [{ id: 'N-1', client: 'acme', priority: 3, estimateHours: 1, openedWeek: 0 }],
    });
    const before = await state();
    const cases: [string, string][] = [
      [lines(TICKET_HEADER, good('G-1'), good('G-2'), good('G-3'), good('G-4'), good('G-5'), 'G-6,acme,Bad,high,4,0,0,,,,,'), 'row 7, priority: must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)'],
      [lines(TICKET_HEADER, good('G-1'), 'G-2,zeta,X,3,4,0,0,,,,,'), 'row 3, client: unknown client "zeta"'],
      [lines(TICKET_HEADER, 'G-1,acme,X,3,-1,0,0,,,,,'), 'row 2, estimateHours: must not be negative'],
      [lines(TICKET_HEADER, 'G-1,acme,X,3,four,0,0,,,,,'), 'row 2, estimateHours: must be a number of hours'],
      [lines(TICKET_HEADER, 'G-1,acme,X,3,4,0,13,,,,,'), 'row 2, openedWeek: week 13 is outside the quarter (weeks 0 to 12)'],
      [lines(TICKET_HEADER, 'G-1,acme,X,3,4,0,0,,,2027-01-04,,'), 'row 2, dueWeek: 2027-01-04 is after quarter 2026-Q4 ends'],
      [lines(TICKET_HEADER, 'G-1,acme,X,3,4,0,,,,,,'), 'row 2, openedWeek: is required'],
      [lines(TICKET_HEADER, 'G-1,acme,X,3,4,0,0,,maybe,,,'), 'row 2, emergency: must be true or false'],
      [lines(TICKET_HEADER, 'G-1,acme,X,3,4,0,0,,,,pending,'), 'row 2, status: must be open or closed'],
      [lines(TICKET_HEADER, good('G-1'), good('G-1')), 'row 3, id: duplicate id "G-1" (also row 2)'],
      [lines(TICKET_HEADER, good('N-1')), 'row 2, id: ticket N-1 belongs to quarter 2027-Q1'],
      [lines(TICKET_HEADER, 'A-1,acme,X,3,40,1,0,,,,,'), 'row 2, spentHours: is 1 but 3.5 h are already logged as time entries on A-1'],
      [lines('id,client,title,priorty,estimateHours,openedWeek', 'G-1,acme,X,3,4,0'), 'row 1, priorty: unknown column'],
      [lines('id,client,title,estimateHours,openedWeek', 'G-1,acme,X,4,0'), 'row 1, priority: column is missing from the header'],
      [lines(TICKET_HEADER, good('G-1') + ',extra'), 'row 2, column 13: has 13 cells'],
      [lines(TICKET_HEADER, 'G-1,acme,"unclosed,3,4,0,,,,,'), 'the file is not valid CSV'],
    ];
    for (const [file, message] of cases) {
      const r = await importTickets(file);
      expect(r.status, message).toBe(400);
      expect(r.body.error.message, message).toContain(message);
    }
    const many = await importTickets(lines(TICKET_HEADER, 'G-1,acme,X,9,4,0,0,,,,,', 'G-2,acme,X,3,-4,0,0,,,,,'));
    expect(many.body.error.message).toContain('(and 1 more problem; nothing was saved)');
    expect(many.body.error.details.map((d: { row: number; column: string }) => [d.row, d.column])).toEqual([[2, 'priority'], [3, 'estimateHours']]);
    expect(await state()).toEqual(before);

    const json = await manager.post(`/api/tickets/import?quarter=${Q}`, { id: 'G-1' });
    expect(json.status).toBe(415);
    expect((await manager.post('/api/tickets/import?quarter=NOPE', lines(TICKET_HEADER, good('G-1')), CSV)).status).toBe(404);
  });

  it('imports time entries: tracker rows without ids are added once, ids are kept, and bad rows save nothing', async () => {
    const header = 'staffId,ticketId,date,hours,note';
    const file = lines(header, 'ana,A-2,2026-10-05,1.5,from the tracker', 'ana,A-2,2026-10-05,1.5,from the tracker', 'sam,B-1,2026-10-14,3,');
    const before = await state();
    const r = await importEntries(file);
    expect(r.body).toMatchObject({ rows: 3, created: 3, updated: 0, unchanged: 0 });
    const again = await importEntries(file);
    expect(again.body).toMatchObject({ created: 0, unchanged: 3 });
    const after = await state();
    expect(after.time_entries).toBe(before.time_entries + 3);
    expect(after.plan).toBeGreaterThan(before.plan!);

    // A new id from the file is kept, and the API hands out ids after it.
    const withId = await importEntries(lines('id,staffId,ticketId,week,hours', '5000,sam,B-1,1,2'));
    expect(withId.body).toMatchObject({ created: 1 });
    const next = await ana.post('/api/time-entries', { ticketId: 'A-2', hours: 0.25, date: '2026-10-13' });
    expect(next.body.id).toBeGreaterThan(5000);
    const update = await importEntries(lines('id,staffId,ticketId,week,hours', '5000,sam,B-1,1,2.5'));
    expect(update.body).toMatchObject({ created: 0, updated: 1 });

    const settled = await state();
    const cases: [string, string][] = [
      [lines(header, 'ana,A-2,2026-10-05,1,', 'ana,A-2,2026-10-05,0.3,'), 'row 3, hours: must be in quarter hours (a multiple of 0.25)'],
      [lines(header, 'ana,A-2,2026-10-26,1,'), 'row 2, date: 2026-10-26 is in week 4, after the current week (2): log hours once they have been worked'],
      [lines(header, 'ana,A-2,,1,'), 'row 2, date: is required'],
      [lines(header, 'zed,A-2,2026-10-05,1,'), 'row 2, staffId: unknown staff member "zed"'],
      [lines(header, 'ana,NOPE,2026-10-05,1,'), 'row 2, ticketId: unknown ticket "NOPE"'],
      [lines(header, 'ana,N-1,2026-10-05,1,'), 'row 2, ticketId: ticket N-1 belongs to quarter 2027-Q1'],
      [lines('id,' + header, 'x1,ana,A-2,2026-10-05,1,'), 'row 2, id: must be a whole number'],
      [lines(header, 'ana,A-2,2026-10-05,25,'), 'row 2, hours: must be at most 24 hours'],
    ];
    for (const [file, message] of cases) {
      const bad = await importEntries(file);
      expect(bad.status, message).toBe(400);
      expect(bad.body.error.message, message).toContain(message);
    }
    expect(await state()).toEqual(settled);
  });

  it('only managers import and export', async () => {
    for (const who of [ana, acme]) {
      expect((await who.get(`/api/tickets/export.csv?quarter=${Q}`)).status).toBe(403);
      expect((await who.get(`/api/time-entries/export.csv?quarter=${Q}`)).status).toBe(403);
      expect((await who.post(`/api/tickets/import?quarter=${Q}`, lines(TICKET_HEADER), CSV)).status).toBe(403);
      expect((await who.post(`/api/time-entries/import?quarter=${Q}`, lines('staffId,ticketId,date,hours'), CSV)).status).toBe(403);
    }
    expect((await t.anonymous().get(`/api/tickets/export.csv?quarter=${Q}`)).status).toBe(401);
  });
});
