/**
 * Staff log hours only on the tickets behind their own work (DOMAIN.md "Who uses it"): those they
 * were planned on in any plan version of the quarter (kept when old versions are pruned), pinned
 * to, or already logged on. Any other ticket answers 404 exactly like one that does not exist, and
 * nothing is charged to its client. Managers log for anyone on anything.
 *
 * The reproduction: ana (php) is planned on only; she logged 2 h on bolt's B-1, was
 * charged to bolt, and could then read B-1; an unknown id said "unknown ticket", a foreign one 201.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ApiResponse } from '../utils/api-client.ts';
import { Q, datedScenario, rowCount } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const day = '2026-10-13';
const ids = (r: ApiResponse) => (r.body.items as { id: string }[]).map((x) => x.id).sort();

/** Two 404s read the same once the ids are swapped. */
function sameAsUnknown(r: ApiResponse, id: string, ghost: ApiResponse, ghostId: string): void {
  expect(r.status).toBe(404);
  expect(ghost.status).toBe(404);
  expect(JSON.stringify(r.body).replaceAll(id, ghostId)).toBe(JSON.stringify(ghost.body));
}

describe.each(await dbTargets())('staff access on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let ana: ApiClient;

  beforeAll(async () => {
    // One plan version kept: access must not depend on old versions still being there.
    t = await startTestApp(target, { PLAN_HISTORY: '1' });
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    ana = await t.as('ana@staff.test');
  });
  afterAll(() => t?.close());

  it("refuses another client's ticket exactly like an unknown one; nothing is charged and the ticket stays hidden", async () => {
    const plan = (await manager.get('/api/plans/current')).body;
    const mine = [...new Set((plan.allocations as { staff: string; ticket: string }[]).filter((a) => a.staff === 'ana').map((a) => a.ticket))].sort();
    expect(mine).toEqual(['A-1', 'A-2']);
    const before = { entries: await rowCount(t, 'time_entries'), bolt: (await manager.get('/api/clients/bolt')).body.usedByWeek };

    const ghost = await ana.post('/api/time-entries', { ticket: 'NOPE-1', hours: 2, date: day });
    const foreign = await ana.post('/api/time-entries', { ticket: 'B-1', hours: 2, date: day });
    sameAsUnknown(foreign, 'B-1', ghost, 'NOPE-1');
    expect(foreign.body.error.code).toBe('not_found');
    // The same on a change that would move an own entry onto the ticket.
    const own = (await ana.post('/api/time-entries', { ticket: 'A-1', hours: 1, date: day })).body;
    sameAsUnknown(await ana.patch(`/api/time-entries/${own.id}`, { version: own.version, ticket: 'B-1' }), 'B-1', await ana.patch(`/api/time-entries/${own.id}`, { version: own.version, ticket: 'NOPE-1' }), 'NOPE-1');

    expect(await rowCount(t, 'time_entries')).toBe(before.entries + 1);
    expect((await manager.get('/api/clients/bolt')).body.usedByWeek).toEqual(before.bolt);
    sameAsUnknown(await ana.get('/api/tickets/B-1'), 'B-1', await ana.get('/api/tickets/NOPE-1'), 'NOPE-1');
    expect(ids(await ana.get('/api/tickets'))).toEqual(['A-1', 'A-2']);
    await t.settle();
  });

  it('keeps the tickets of earlier plan versions after they are pruned', async () => {
    const staff = (await manager.get('/api/staff/ana')).body;
    // Ana away for the quarter: the new plan gives her nothing, and the old version is pruned.
    expect((await manager.patch('/api/staff/ana', { version: staff.version, weeklyHours: 0 })).status).toBe(200);
    await t.settle();
    const plan = (await manager.get('/api/plans/current')).body;
    expect((plan.allocations as { staff: string }[]).some((a) => a.staff === 'ana')).toBe(false);
    expect((await manager.get(`/api/plans?quarter=${Q}`)).body.versions).toHaveLength(1);

    expect((await ana.post('/api/time-entries', { ticket: 'A-2', hours: 1, date: day })).status).toBe(201);
    expect(ids(await ana.get('/api/tickets'))).toEqual(['A-1', 'A-2']);
    const back = (await manager.get('/api/staff/ana')).body;
    expect((await manager.patch('/api/staff/ana', { version: back.version, weeklyHours: 32 })).status).toBe(200);
    await t.settle();
  });

  it('opens a ticket she is pinned to, and one a manager logged her hours on', async () => {
    expect((await ana.post('/api/time-entries', { ticket: 'B-1', hours: 1, date: day })).status).toBe(404);
    // B-1 needs linux: the pin cannot hold, but it is hers all the same.
    const pin = await manager.post('/api/pins', { ticket: 'B-1', staff: 'ana', week: 3, hours: 2 });
    expect(pin.status).toBe(201);
    expect((await ana.post('/api/time-entries', { ticket: 'B-1', hours: 1, date: day })).status).toBe(201);
    expect((await manager.delete(`/api/pins/${pin.body.id}`)).status).toBe(204);

    expect((await ana.post('/api/time-entries', { ticket: 'D-1', hours: 1, date: day })).status).toBe(404);
    // Managers log for anyone, on any ticket.
    expect((await manager.post('/api/time-entries', { ticket: 'D-1', staff: 'ana', hours: 0.5, date: day })).status).toBe(201);
    expect((await ana.post('/api/time-entries', { ticket: 'D-1', hours: 1, date: day })).status).toBe(201);
    // B-1 stays open to her through the hours she logged there while pinned.
    expect(ids(await ana.get('/api/tickets'))).toEqual(['A-1', 'A-2', 'B-1', 'D-1']);
    await t.settle();
  });
});
