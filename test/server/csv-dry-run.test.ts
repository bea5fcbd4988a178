/**
 * CSV imports with ?dryRun=true (the dashboard's preview): the whole file is checked as an import
 * checks it, the answer says what would be saved row by row, and nothing is saved, audited,
 * re-planned or told; the id sequence of time entries stays where it was. A bad file answers the
 * very 400 of a real import. A bad dryRun or an unknown field is a 400 naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quarter } from '../../server/db/entities.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { CSV, Q, TICKET_HEADER, datedScenario, lines, recordEvents, rowCounts } from '../utils/hours-setup.ts';
import { fieldsOf } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';


describe.each(await dbTargets())('CSV import dry runs on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let ana: ApiClient;
  let acme: ApiClient;

  const post = (what: 'tickets' | 'time-entries', body: string, dryRun: boolean) => manager.post(`/api/${what}/import?quarter=${Q}${dryRun ? '&dryRun=true' : ''}`, body, CSV);
  const state = async () => {
    await t.settle();
    const q = await t.app.services.store.reader().findOneOrFail(Quarter, { id: Q });
    const n = await rowCounts(t, ['tickets', 'time_entries', 'audit_log', 'plans']);
    return { revision: q.dataRevision, plan: q.currentPlanId, tickets: n.tickets!, entries: n.time_entries!, audit: n.audit_log!, plans: n.plans! };
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    [ana, acme] = [await t.as('ana@staff.test'), await t.as('acme@client.test')];
    expect((await ana.post('/api/time-entries', { ticketId: 'A-1', hours: 2, date: '2026-10-06' })).status).toBe(201);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('tickets: answers what the import would do, row by row, and saves nothing; the import then does just that', async () => {
    const file = lines('id,client,title,priority,estimateHours,openedWeek,emergency,dueWeek', 'T-NEW,acme,New one,1,6,1,,5', 'A-2,acme,New theme,4,60,1,yes,', 'A-1,acme,Upgrade PHP,2,40,0,,');
    const before = await state();
    const changed = recordEvents(t, 'ticket.changed');
    const declared = recordEvents(t, 'emergency.declared');
    const dry = await post('tickets', file, true);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toEqual({
      quarter: Q,
      rows: 3,
      created: 1,
      updated: 1,
      unchanged: 1,
      dryRun: true,
      actions: [
        { row: 2, id: 'T-NEW', action: 'create' },
        { row: 3, id: 'A-2', action: 'update' },
        { row: 4, id: 'A-1', action: 'unchanged' },
      ],
    });
    expect(await state()).toEqual(before);
    expect((await manager.get('/api/tickets/T-NEW')).status).toBe(404);
    expect((await manager.get('/api/tickets/A-2')).body).toMatchObject({ priority: 3, emergency: false });
    expect([changed.events, declared.events]).toEqual([[], []]);

    const real = await post('tickets', file, false);
    expect(real.status).toBe(200);
    const { dryRun: _d, actions: _a, ...counts } = dry.body;
    expect(real.body).toEqual(counts);
    expect((await state()).tickets).toBe(before.tickets + 1);
    expect(declared.events.map((e) => e.ticketId)).toEqual(['A-2']);
    changed.stop();
    declared.stop();
  });

  it('a bad file answers the same 400 as the import, naming row and column, and saves nothing', async () => {
    const before = await state();
    const files = [
      lines(TICKET_HEADER, 'G-1,acme,Good,3,4,0,0,,,,open,', 'G-2,acme,Bad,high,4,0,0,,,,,', 'G-3,zeta,X,3,-4,0,0,,,,,'),
      lines(TICKET_HEADER, 'G-1,acme,X,3,4,0,0,,,,,', 'G-2,zeta,X,3,4,0,0,,,,,'),
      lines('id,client,title,priorty,estimateHours,openedWeek', 'G-1,acme,X,3,4,0'),
      lines(TICKET_HEADER, 'G-1,acme,"unclosed,3,4,0,,,,,'),
    ];
    for (const file of files) {
      const dry = await post('tickets', file, true);
      const real = await post('tickets', file, false);
      expect(dry.status, file).toBe(400);
      expect(dry.body, file).toEqual(real.body);
    }
    const bad = await post('tickets', files[0]!, true);
    expect(bad.body.error.details.map((d: { row: number; column: string }) => [d.row, d.column])).toEqual([
      [3, 'priority'],
      [4, 'estimateHours'],
    ]);
    expect(await state()).toEqual(before);
  });

  it('time entries: a dry run saves nothing and leaves the id sequence alone, even for ids the file gives', async () => {
    const file = lines('id,staffId,ticketId,week,hours,note', '7000,sam,B-1,1,2,from the tracker', ',ana,A-1,1,1.5,', ',ana,A-2,0,1,');
    const before = await state();
    const events = recordEvents(t, 'time-entry.changed');
    const dry = await post('time-entries', file, true);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toEqual({
      quarter: Q,
      rows: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      dryRun: true,
      actions: [
        { row: 2, id: 7000, action: 'create' },
        { row: 3, id: null, action: 'create' },
        { row: 4, id: null, action: 'create' },
      ],
    });
    expect(await state()).toEqual(before);
    expect(events.events).toEqual([]);
    // The sequence did not move past 7000.
    const next = await ana.post('/api/time-entries', { ticketId: 'A-1', hours: 0.25, date: '2026-10-13' });
    expect(next.status).toBe(201);
    expect(next.body.id).toBeLessThan(7000);

    const bad = lines('staffId,ticketId,date,hours', 'ana,A-2,2026-10-05,1', 'zed,A-2,2026-10-05,0.3');
    const dryBad = await post('time-entries', bad, true);
    expect(dryBad.status).toBe(400);
    expect(dryBad.body).toEqual((await post('time-entries', bad, false)).body);
    expect(dryBad.body.error.details.map((d: { row: number; column: string }) => [d.row, d.column])).toEqual([[3, 'hours']]);

    const real = await post('time-entries', file, false);
    const { dryRun: _d, actions: _a, ...counts } = dry.body;
    expect(real.body).toEqual(counts);
    events.stop();
  });

  it('refuses a bad dryRun or an unknown field, naming it; only managers may ask', async () => {
    const file = lines(TICKET_HEADER);
    for (const [query, field] of [
      ['dryRun=maybe', 'dryRun'],
      ['dryRun=', 'dryRun'],
      ['dryrun=true', 'dryrun'],
    ]) {
      for (const what of ['tickets', 'time-entries']) {
        const r = await manager.post(`/api/${what}/import?quarter=${Q}&${query}`, file, CSV);
        expect(r.status, `${what} ${query}`).toBe(400);
        expect(fieldsOf(r), `${what} ${query}`).toEqual([field]);
      }
    }
    for (const who of [ana, acme]) {
      expect((await who.post(`/api/tickets/import?quarter=${Q}&dryRun=true`, file, CSV)).status).toBe(403);
      expect((await who.post(`/api/time-entries/import?quarter=${Q}&dryRun=true`, lines('staffId,ticketId,date,hours'), CSV)).status).toBe(403);
    }
    expect((await t.anonymous().post(`/api/tickets/import?quarter=${Q}&dryRun=true`, file, CSV)).status).toBe(401);
  });
});
