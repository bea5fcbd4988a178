/**
 * /api/pins: managers pin hours (this person, this ticket, this week); every change is stored,
 * audited and re-plans the quarter; pins travel in the exported scenario, with the plan in force
 * as `previous`, so the server's plan is the command line's. The plan's side of pins (pinned rows,
 * pinIssues) is asserted once the planner holds pins (test/utils/engine-support.ts).
 *
 * Quarters: 2026-Q4 (hours-setup's dated scenario, the current one: ana php, sam linux; acme and
 * bolt prepaid, dyno PAYG); OTHER-Q, open, with ticket X-1; OLD-Q, closed, with a pin of its own.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, plan as planScenario, type Plan } from '../../solver/index.ts';
import { Pin } from '../../server/db/entities.ts';
import { canonical } from '../../server/modules/quarters/scenario-io.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { plannerHoldsPins } from '../utils/engine-support.ts';
import { datedScenario, Q, rowCount, rowCounts } from '../utils/hours-setup.ts';
import { expectFieldErrors, fieldsOf, malformed } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const OTHER = 'OTHER-Q';
const OLD = 'OLD-Q';
const team = datedScenario().staff;
const smallQuarter = (id: string, tickets: object[]) => ({
  quarter: { id, weeks: 13, currentWeek: 0 },
  staff: team,
  clients: [{ id: 'dyno', name: 'Dyno Gyms', plan: 'payg' }],
  tickets,
});
const holds = plannerHoldsPins();
const strip = <T extends { stats?: unknown; version?: unknown; createdAt?: unknown }>(p: T) => {
  const { stats: _s, version: _v, createdAt: _c, ...rest } = p;
  return rest;
};
const pinnedHours = (p: Plan, pin: { ticket: string; staff: string; week: number }) =>
  p.allocations.filter((a) => a.pinned && a.ticket === pin.ticket && a.staff === pin.staff && a.week === pin.week).reduce((t, a) => t + (a.pinnedHours ?? a.hours), 0);

describe.each(await dbTargets())('pins on %s', (target) => {
  let t: TestApp, manager: ApiClient, acme: ApiClient, bolt: ApiClient, sam: ApiClient;
  let oldPinId: number;
  const plan = async (quarter = Q) => (await manager.get(`/api/plans/current?quarter=${quarter}`)).body as Plan & { version: number };
  const exported = async (quarter = Q) => (await manager.get(`/api/quarters/${quarter}/scenario`)).body;
  const pins = async (quarter = Q) => (await manager.get(`/api/pins?quarter=${quarter}`)).body as { id: number; ticket: string; staff: string; week: number; hours: number }[];
  const pin = async (body: object) => {
    const r = await manager.post('/api/pins', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await t.settle();
    return r.body;
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    const imported = async (scenario: { quarter: { id: string } }) => expect((await manager.post(`/api/quarters/${scenario.quarter.id}/import`, scenario)).status).toBe(200);
    await imported(smallQuarter(OTHER, [{ id: 'X-1', client: 'dyno', title: 'Other quarter', priority: 3, estimateHours: 4, openedWeek: 0 }]));
    await imported(
      smallQuarter(OLD, [
        { id: 'O-1', client: 'dyno', title: 'Carried on', priority: 3, estimateHours: 4, openedWeek: 0 },
        { id: 'O-2', client: 'dyno', title: 'Done', priority: 3, estimateHours: 4, openedWeek: 0, status: 'closed' },
      ]),
    );
    await t.settle();
    oldPinId = (await pin({ quarter: OLD, ticket: 'O-2', staff: 'sam', week: 1, hours: 2 })).id;
    const closed = await manager.post(`/api/quarters/${OLD}/close`, { nextQuarter: { id: OTHER } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    // Imported last, so it is the current quarter.
    await imported(datedScenario());
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    await t.createUser('client', { email: 'bolt@client.test', clientId: 'bolt' });
    await t.createUser('staff', { email: 'sam@staff.test', staffId: 'sam' });
    [acme, bolt, sam] = [await t.as('acme@client.test'), await t.as('bolt@client.test'), await t.as('sam@staff.test')];
    await t.settle();
  });
  afterAll(() => t?.close());
  // Each test starts with no pins in the current quarter.
  afterEach(async () => {
    for (const p of await pins()) await manager.delete(`/api/pins/${p.id}`);
    await t.settle();
  });

  it('a manager pins hours: 201 with the pin, listed with who pinned and when, audited, and the quarter re-planned', async () => {
    const before = await plan();
    const r = await manager.post('/api/pins', { ticket: 'D-1', staff: 'ana', week: 2, hours: 4 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ quarter: Q, ticket: 'D-1', client: 'dyno', staff: 'ana', week: 2, hours: 4, pinnedBy: { email: 'admin@test.local' } });
    expect(Date.parse(r.body.pinnedAt)).toBeGreaterThan(Date.now() - 60_000);
    // Without ?quarter= the list is the current quarter's.
    expect((await manager.get('/api/pins')).body).toEqual([r.body]);
    expect(await pins()).toEqual([r.body]);

    const audit = (await manager.get(`/api/audit?entity=pin&id=${r.body.id}`)).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'create', entity: 'pin', entityId: String(r.body.id), user: { email: 'admin@test.local' }, before: null, after: r.body });

    await t.settle();
    const after = await plan();
    expect(after.version).toBeGreaterThan(before.version);
    expect((await exported()).pins).toEqual([{ ticket: 'D-1', staff: 'ana', week: 2, hours: 4 }]);
    if (holds) {
      expect(pinnedHours(after, r.body)).toBe(4);
      expect(after.pinIssues).toEqual([]);
    }
    // Another change re-plans from the plan in force: the pin is kept.
    const b1 = (await manager.get('/api/tickets/B-1')).body;
    expect((await manager.patch('/api/tickets/B-1', { version: b1.version, estimateHours: 52 })).status).toBe(200);
    await t.settle();
    const next = await plan();
    expect(next.version).toBeGreaterThan(after.version);
    if (holds) expect(pinnedHours(next, r.body)).toBe(4);
    expect((await manager.patch('/api/tickets/B-1', { version: b1.version + 1, estimateHours: 50 })).status).toBe(200);
  });

  it('a pin the planner cannot hold is stored all the same; the plan says why', async () => {
    // Sam lacks A-1's skill (php).
    const r = await manager.post('/api/pins', { ticket: 'A-1', staff: 'sam', week: 2, hours: 2 });
    expect(r.status).toBe(201);
    await t.settle();
    if (holds) {
      const issues = (await plan()).pinIssues;
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ pin: { ticket: 'A-1', staff: 'sam', week: 2, hours: 2 }, heldHours: 0, code: 'no-skill' });
      expect(issues[0]!.reason).toMatch(/php/);
      expect(pinnedHours(await plan(), r.body)).toBe(0);
    }
  });

  it('refuses malformed and unknown references with a 400 naming the field, and saves nothing', async () => {
    const counts = await rowCounts(t, ['pins', 'audit_log']);
    const ok = { ticket: 'D-1', staff: 'ana', week: 3, hours: 4 };
    await expectFieldErrors((b) => manager.post('/api/pins', b), [
      [{ staff: 'ana', week: 3, hours: 4 }, 'ticket'],
      [{ ticket: 'D-1', week: 3, hours: 4 }, 'staff'],
      [{ ticket: 'D-1', staff: 'ana', hours: 4 }, 'week'],
      [{ ticket: 'D-1', staff: 'ana', week: 3 }, 'hours'],
      [{ ...ok, hours: 0 }, 'hours'],
      [{ ...ok, hours: -1 }, 'hours'],
      [{ ...ok, hours: 0.3 }, 'hours'],
      [{ ...ok, hours: 169 }, 'hours'],
      [{ ...ok, hours: '4' }, 'hours'],
      [{ ...ok, week: 13 }, 'week'],
      [{ ...ok, week: -1 }, 'week'],
      [{ ...ok, week: 1.5 }, 'week'],
      [{ ...ok, ticket: 'NOPE' }, 'ticket'],
      [{ ...ok, ticket: 'X-1' }, 'ticket'],
      [{ ...ok, ticket: '' }, 'ticket'],
      [{ ...ok, staff: 'nobody' }, 'staff'],
      [{ ...ok, level: 2 }, 'level'],
      [{ ...ok, pinned: true }, 'pinned'],
      [[ok], 'body'],
    ]);
    const both = await manager.post('/api/pins', { ...ok, ticket: 'NOPE', staff: 'nobody' });
    expect(fieldsOf(both).sort()).toEqual(['staff', 'ticket']);
    expect((await malformed(manager, 'POST', '/api/pins')).body.error.code).toBe('invalid_json');
    expect((await manager.post('/api/pins', { ...ok, quarter: 'NOPE-Q' })).status).toBe(404);
    await expectFieldErrors((b) => manager.request('GET', `/api/pins?${new URLSearchParams(b as Record<string, string>)}`), [[{ quarter: Q, bogus: '1' }, 'bogus']]);
    expect(await rowCounts(t, ['pins', 'audit_log'])).toEqual(counts);
  });

  it('refuses an inactive person, and a second pin of the same person, ticket and week (409 with the pin)', async () => {
    expect((await manager.post('/api/staff', { id: 'eve', name: 'Eve', weeklyHours: 10 })).status).toBe(201);
    const eve = (await manager.get('/api/staff/eve')).body;
    expect((await manager.patch('/api/staff/eve', { version: eve.version, active: false })).status).toBe(200);
    const inactive = await manager.post('/api/pins', { ticket: 'D-1', staff: 'eve', week: 3, hours: 1 });
    expect(inactive.status).toBe(400);
    expect(fieldsOf(inactive)).toEqual(['staff']);

    const first = await pin({ ticket: 'D-1', staff: 'ana', week: 5, hours: 2 });
    const again = await manager.post('/api/pins', { ticket: 'D-1', staff: 'ana', week: 5, hours: 3 });
    expect(again.status).toBe(409);
    expect(again.body.error.details.current).toEqual(first);
    expect(await pins()).toEqual([first]);
  });

  it('unpins: 204, audited, re-planned; an unknown pin is 404, a malformed id 400', async () => {
    const p = await pin({ ticket: 'A-2', staff: 'sam', week: 6, hours: 3 });
    const version = (await plan()).version;
    expect((await manager.delete(`/api/pins/${p.id}`)).status).toBe(204);
    expect(await pins()).toEqual([]);
    const audit = (await manager.get(`/api/audit?entity=pin&id=${p.id}`)).body.items;
    expect(audit[0]).toMatchObject({ action: 'delete', before: p, after: null });
    await t.settle();
    expect((await plan()).version).toBeGreaterThan(version);
    expect((await exported()).pins).toEqual([]);

    const gone = await manager.delete(`/api/pins/${p.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    const bad = await manager.delete('/api/pins/abc');
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['id']);
  });

  it('only managers: staff and client users get 403 on every route, whatever the ids, and nothing changes', async () => {
    const p = await pin({ ticket: 'B-1', staff: 'sam', week: 3, hours: 2 });
    const before = { pins: await pins(), ...(await rowCounts(t, ['pins', 'audit_log'])), version: (await plan()).version };
    for (const who of [sam, acme, bolt]) {
      const answers = [
        await who.get('/api/pins'),
        await who.get(`/api/pins?quarter=${Q}`),
        // Bolt's own ticket, another client's, and one that does not exist: the same answer.
        await who.post('/api/pins', { ticket: 'B-1', staff: 'sam', week: 4, hours: 1 }),
        await who.post('/api/pins', { ticket: 'A-1', staff: 'ana', week: 4, hours: 1 }),
        await who.post('/api/pins', { ticket: 'NOPE', staff: 'ana', week: 4, hours: 1 }),
        await who.delete(`/api/pins/${p.id}`),
        await who.delete('/api/pins/999999'),
      ];
      for (const r of answers) {
        expect(r.status).toBe(403);
        expect(r.body.error).toEqual(answers[0]!.body.error);
      }
    }
    expect((await t.anonymous().get('/api/pins')).status).toBe(401);
    await t.settle();
    expect({ pins: await pins(), ...(await rowCounts(t, ['pins', 'audit_log'])), version: (await plan()).version }).toEqual(before);
  });

  it('a closed quarter is read-only for pins: the API refuses and the database refuses', async () => {
    const r = await manager.post('/api/pins', { quarter: OLD, ticket: 'O-2', staff: 'sam', week: 2, hours: 1 });
    expect(r.status).toBe(400);
    expect(fieldsOf(r)).toEqual(['quarter']);
    const del = await manager.delete(`/api/pins/${oldPinId}`);
    expect(del.status).toBe(400);
    expect(fieldsOf(del)).toEqual(['quarter']);
    expect((await pins(OLD)).map((x) => x.id)).toEqual([oldPinId]);
    const em = t.app.services.store.reader();
    await expect(em.insert(Pin, { quarterId: OLD, ticketId: 'O-2', staffId: 'ana', week: 3, hours: 1 })).rejects.toThrow(/is closed/);
    await expect(em.nativeUpdate(Pin, { id: oldPinId }, { hours: 3 })).rejects.toThrow(/is closed/);
    await expect(em.nativeDelete(Pin, { id: oldPinId })).rejects.toThrow(/is closed/);
  });

  it('a pin stays when its person is deactivated or its ticket closed; the plan reports it', async () => {
    expect((await manager.post('/api/staff', { id: 'zed', name: 'Zed', weeklyHours: 10, skills: ['php'] })).status).toBe(201);
    const a = await pin({ ticket: 'A-2', staff: 'zed', week: 2, hours: 2 });
    const b = await pin({ ticket: 'D-1', staff: 'ana', week: 2, hours: 2 });
    const zed = (await manager.get('/api/staff/zed')).body;
    expect((await manager.patch('/api/staff/zed', { version: zed.version, active: false })).status).toBe(200);
    const d1 = (await manager.get('/api/tickets/D-1')).body;
    expect((await manager.patch('/api/tickets/D-1', { version: d1.version, status: 'closed' })).status).toBe(200);
    await t.settle();
    expect((await pins()).map((x) => x.id)).toEqual([a.id, b.id]);
    expect((await exported()).pins).toEqual([
      { ticket: 'D-1', staff: 'ana', week: 2, hours: 2 },
      { ticket: 'A-2', staff: 'zed', week: 2, hours: 2 },
    ]);
    if (holds) {
      const issues = (await plan()).pinIssues;
      expect(issues.map((i) => [i.pin.ticket, i.code, i.heldHours])).toEqual(expect.arrayContaining([['A-2', 'unknown-staff', 0], ['D-1', 'closed', 0]]));
    }
    expect((await manager.patch('/api/tickets/D-1', { version: d1.version + 1, status: 'open' })).status).toBe(200);
  });

  it('staff see their own pinned rows marked; clients see no pins of others and no staff; pinIssues are for managers', async () => {
    const mine = await pin({ ticket: 'B-1', staff: 'sam', week: 5, hours: 3 });
    const broken = await pin({ ticket: 'A-1', staff: 'sam', week: 6, hours: 1 });
    const samView = (await sam.get('/api/plans/current')).body;
    expect(samView.pinIssues).toBeUndefined();
    expect(samView.allocations.every((x: { staff: string }) => x.staff === 'sam')).toBe(true);
    for (const who of [acme, bolt]) {
      const view = (await who.get('/api/plans/current')).body;
      expect(view.pinIssues).toBeUndefined();
      expect(view.allocations.some((x: object) => 'pinned' in x || 'pinnedHours' in x || 'staff' in x)).toBe(false);
      expect(JSON.stringify(view)).not.toMatch(/"sam"|"ana"|Sam|Ana/);
    }
    if (holds) {
      expect(samView.allocations.some((x: { pinned?: boolean; ticket: string; week: number }) => x.pinned && x.ticket === 'B-1' && x.week === 5)).toBe(true);
      expect((await plan()).pinIssues.map((i) => i.pin.ticket)).toEqual(['A-1']);
    }
  });

  it('exports pins and the plan in force as previous; the server plan is the command line plan of that export', async () => {
    await pin({ ticket: 'D-1', staff: 'ana', week: 2, hours: 3 });
    await pin({ ticket: 'A-1', staff: 'sam', week: 3, hours: 1 });
    const current = await plan();
    const scenario = await exported();
    expect(scenario.pins).toEqual([
      { ticket: 'D-1', staff: 'ana', week: 2, hours: 3 },
      { ticket: 'A-1', staff: 'sam', week: 3, hours: 1 },
    ]);
    expect(scenario.previous).toEqual(current.allocations.map((a) => ({ week: a.week, staff: a.staff, ticket: a.ticket, hours: a.hours, level: a.level })));
    expect(scenario.previous.length).toBeGreaterThan(0);
    expect(strip(current)).toEqual(JSON.parse(JSON.stringify(strip(planScenario(scenario)))));
    // Re-importing the export changes nothing: same pins, and `previous` is not quarter data.
    const again = await manager.post(`/api/quarters/${Q}/import`, scenario);
    expect(again.body.changed).toBe(false);
  });

  it('re-plans and what-if solves start from the plan in force (scenario previous)', async () => {
    const pool = t.app.services.pool;
    const seen: { previous?: unknown[] }[] = [];
    const solve = pool.solve.bind(pool);
    pool.solve = (scenario, opts) => {
      seen.push(scenario as { previous?: unknown[] });
      return solve(scenario, opts);
    };
    try {
      const current = await plan();
      const rows = current.allocations.map((a) => ({ week: a.week, staff: a.staff, ticket: a.ticket, hours: a.hours, level: a.level }));
      const w = await manager.post('/api/what-if', { quarter: Q, changes: [{ type: 'add-leave', staff: 'ana', week: 4, hours: 8 }] });
      expect(w.status).toBe(200);
      expect(seen.at(-1)!.previous).toEqual(rows);
      await pin({ ticket: 'A-2', staff: 'ana', week: 7, hours: 2 });
      expect(seen.at(-1)!.previous).toEqual(rows);
    } finally {
      pool.solve = solve;
    }
  });

  it('scenario import replaces the pins when it lists them, keeps them when it does not, and refuses bad ones naming the field', async () => {
    const base = datedScenario();
    await pin({ ticket: 'D-1', staff: 'ana', week: 2, hours: 3 });
    await pin({ ticket: 'A-1', staff: 'sam', week: 3, hours: 1 });
    const had = await pins();
    // Without `pins`, nothing happens to them.
    expect((await manager.post(`/api/quarters/${Q}/import`, base)).body.changed).toBe(false);
    expect(await pins()).toEqual(had);

    const kept = had.find((x) => x.ticket === 'D-1')!;
    const r = await manager.post(`/api/quarters/${Q}/import`, { ...base, pins: [{ ticket: 'D-1', staff: 'ana', week: 2, hours: 3 }, { ticket: 'B-1', staff: 'sam', week: 8, hours: 2.5 }] });
    expect(r.status).toBe(200);
    expect(r.body.changed).toBe(true);
    const now = await pins();
    expect(now.map(({ ticket, staff, week, hours }) => ({ ticket, staff, week, hours }))).toEqual([
      { ticket: 'D-1', staff: 'ana', week: 2, hours: 3 },
      { ticket: 'B-1', staff: 'sam', week: 8, hours: 2.5 },
    ]);
    // The pin that stayed keeps who pinned it and when.
    expect(now[0]).toEqual(kept);
    await t.settle();
    expect((await exported()).pins).toHaveLength(2);

    const count = await rowCount(t, 'pins');
    // Pins that name what is not there, outside the quarter or twice (checked once their shape is right).
    const wrong = [
      { ticket: 'X-1', staff: 'ana', week: 2, hours: 1 },
      { ticket: 'D-1', staff: 'nobody', week: 2, hours: 1 },
      { ticket: 'D-1', staff: 'ana', week: 13, hours: 1 },
      { ticket: 'B-1', staff: 'sam', week: 8, hours: 1 },
      { ticket: 'B-1', staff: 'sam', week: 8, hours: 2 },
    ];
    const bad = await manager.post(`/api/quarters/${Q}/import`, { ...base, pins: [...wrong, { ticket: 'D-1', staff: 'ana', week: 2, hours: 0.3 }] });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['pins[5].hours']);
    const refs = await manager.post(`/api/quarters/${Q}/import`, { ...base, pins: wrong });
    expect(refs.status).toBe(400);
    expect(fieldsOf(refs)).toEqual(['pins[0].ticket', 'pins[1].staff', 'pins[2].week', 'pins[4]']);
    expect(await rowCount(t, 'pins')).toBe(count);

    expect((await manager.post(`/api/quarters/${Q}/import`, { ...base, pins: [] })).body.changed).toBe(true);
    expect(await pins()).toEqual([]);
    await t.settle();
    expect(canonical(parseScenario(await exported()))).toBe(canonical(parseScenario({ ...base, pins: [] })));
  });
});
