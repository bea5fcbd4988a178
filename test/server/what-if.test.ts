/**
 * What-if: the quarter re-planned with changes, nothing saved. One person (20 h a week) serves
 * acme (10 h a week), bolt (5 h a week) and PAYG dyno; bolt's ticket id sorts before acme's, so
 * it wins ties when capacity cannot meet every rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '@mikro-orm/core';
import { Quarter } from '../../server/db/entities.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { rowCounts } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const Q = 'W-1';
const scenario = {
  quarter: { id: Q, weeks: 13, currentWeek: 0, startDate: '2026-09-28' },
  staff: [{ id: 'ana', name: 'Ana', weeklyHours: 20 }],
  clients: [
    { id: 'acme', name: 'Acme', plan: 'prepaid', purchases: [{ week: 0, hours: 130 }] },
    { id: 'bolt', name: 'Bolt', plan: 'prepaid', purchases: [{ week: 0, hours: 65 }] },
    { id: 'dyno', name: 'Dyno', plan: 'payg' },
  ],
  tickets: [
    { id: 'T-1', client: 'bolt', title: 'Bolt work', priority: 3, estimateHours: 100, openedWeek: 0 },
    { id: 'T-2', client: 'acme', title: 'Acme work', priority: 3, estimateHours: 200, openedWeek: 0 },
    { id: 'T-3', client: 'dyno', title: 'Dyno work', priority: 3, estimateHours: 30, openedWeek: 0 },
  ],
};
const TABLES = ['tickets', 'blocks', 'leave', 'plans', 'time_entries', 'audit_log'];
const every = Array.from({ length: 13 }, (_, w) => w);

describe.each(await dbTargets())('what-if on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;

  /** Plan version, data revision, quarter version and row counts: none may move. */
  const snapshot = async () => {
    await t.settle();
    const q = await t.app.services.store.reader().findOneOrFail(Quarter, { id: Q });
    return { plan: q.currentPlanId, revision: q.dataRevision, version: q.version, ...(await rowCounts(t, TABLES)) };
  };
  const ask = async (changes: unknown[]) => {
    const before = await snapshot();
    const r = await manager.post('/api/what-if', { quarter: Q, changes });
    expect(await snapshot()).toEqual(before);
    return r;
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, scenario)).status).toBe(200);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('a block that fits is available; its reserve is shown as reserved, not as a ticket', async () => {
    const r = await ask([{ type: 'add-block', client: 'bolt', week: 0, hours: 26 }]);
    expect(r.status).toBe(200);
    const current = (await manager.get('/api/plans/current')).body;
    const q = (await manager.get(`/api/quarters/${Q}`)).body;
    expect(r.body).toMatchObject({ quarter: Q, basedOnVersion: current.version, basedOnRevision: q.dataRevision, available: true, pushedOut: [], blockShortfall: [] });
    const { plan } = r.body;
    expect(plan.tickets.map((x: { id: string }) => x.id)).toEqual(['T-1', 'T-2', 'T-3']);
    const ids = new Set(['T-1', 'T-2', 'T-3']);
    expect(plan.allocations.every((a: { ticket: string }) => ids.has(a.ticket))).toBe(true);
    expect(plan.unplanned.every((u: { ticket: string }) => ids.has(u.ticket))).toBe(true);
    expect(r.body.reserved).toEqual([{ client: 'bolt', hours: 26, plannedHours: 26, unplannedHours: 0, byWeek: every.map(() => 2) }]);
    expect(plan.clients.find((c: { id: string }) => c.id === 'bolt').rate).toEqual(every.map(() => 7));
    expect(plan).not.toHaveProperty('reserved');
    expect(r.body.diff.clients.find((c: { id: string }) => c.id === 'bolt').delta).toMatchObject({ balanceHours: 26 });
  });

  it('a block that does not fit names who it pushes below their rate, by how much', async () => {
    const r = await ask([{ type: 'add-block', client: 'bolt', week: 0, hours: 130 }]);
    expect(r.status).toBe(200);
    expect(r.body.available).toBe(false);
    expect(r.body.pushedOut).toEqual([{ client: 'acme', name: 'Acme', weeks: every, hours: 65, byWeek: every.map((week) => ({ week, hours: 5 })) }]);
    // The plan shown is the plan that would be saved: bolt's 100 h of work at its new 15 h a week
    // hold acme back only while they last (weeks 0-6), then acme is caught up.
    const acme = r.body.plan.clients.find((c: { id: string }) => c.id === 'acme');
    expect(acme.delivered.slice(0, 6)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(r.body.plan.tickets.find((x: { id: string }) => x.id === 'T-1')).toMatchObject({ plannedHours: 100 });
  });

  it('a block whose own rate cannot be met is not available, though nobody else is pushed', async () => {
    const r = await ask([{ type: 'add-block', client: 'acme', week: 2, hours: 110 }]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ available: false, pushedOut: [] });
    // Weeks 2-10: bolt's own 5 h and acme's new 20 h do not fit in Ana's 20 h.
    expect(r.body.blockShortfall).toEqual([expect.objectContaining({ client: 'acme', weeks: every.slice(2, 11), hours: 45 })]);
  });

  it('reports who an emergency would push out, with the hours: only what cannot be caught up', async () => {
    // Weeks 10-12 go to the emergency; acme's 10 h a week there cannot be caught up later.
    const added = await ask([{ type: 'add-emergency', client: 'dyno', hours: 60, week: 10, title: 'Site down' }]);
    expect(added.status).toBe(200);
    expect(added.body).not.toHaveProperty('available');
    expect(added.body.pushedOut).toEqual([{ client: 'acme', name: 'Acme', weeks: [10, 11, 12], hours: 30, byWeek: [10, 11, 12].map((week) => ({ week, hours: 10 })) }]);
    // Planned under the id it would be saved with: the next T-<n>.
    expect(added.body.plan.tickets.find((x: { id: string }) => x.id === 'T-4')).toMatchObject({ client: 'dyno', plannedHours: 60 });

    // Early in the quarter the missed weeks are caught up: the rate is a locked-in average.
    const declared = await ask([{ type: 'declare-emergency', ticket: 'T-3' }]);
    expect(declared.status).toBe(200);
    expect(declared.body.pushedOut).toEqual([]);
  });

  it('leave and extra tickets are tried too', async () => {
    const leave = await ask([{ type: 'add-leave', staff: 'ana', week: 5, hours: 20 }]);
    expect(leave.body.plan.staff[0].capacity[5]).toBe(0);
    expect(leave.body.pushedOut).toEqual([]);
    // The last two weeks away: acme loses 20 h of its rate, 10 h of them covered by week 10's hours ahead.
    const late = await ask([
      { type: 'add-leave', staff: 'ana', week: 11, hours: 12 },
      { type: 'add-leave', staff: 'ana', week: 11, hours: 8 },
      { type: 'set-leave', staff: 'ana', week: 12, hours: 20 },
    ]);
    expect(late.body.plan.staff[0].capacity.slice(11)).toEqual([0, 0]);
    expect(late.body.pushedOut).toEqual([{ client: 'acme', name: 'Acme', weeks: [11, 12], hours: 10, byWeek: [11, 12].map((week) => ({ week, hours: 10 })) }]);
    const more = await ask([{ type: 'add-tickets', tickets: [{ id: 'T-9', client: 'acme', title: 'More', priority: 2, estimateHours: 10, openedWeek: 1 }] }]);
    expect(more.status).toBe(200);
    expect(more.body.plan.tickets.find((x: { id: string }) => x.id === 'T-9')).toMatchObject({ plannedHours: 10 });
    expect(more.body.diff.tickets.map((x: { id: string }) => x.id)).toContain('T-9');
  });

  it('refuses bad changes with a 400 naming changes[i].field', async () => {
    const block = { type: 'add-block', client: 'bolt', week: 0, hours: 26 };
    const cases: [unknown, string, string?][] = [
      [{}, 'changes'],
      [{ changes: [] }, 'changes'],
      [{ changes: [{ type: 'sell' }] }, 'changes[0].type'],
      [{ changes: [{ ...block, hours: 10 }] }, 'changes[0].hours', 'a block is at least 20 hours'],
      [{ changes: [{ ...block, hours: '26' }] }, 'changes[0].hours'],
      [{ changes: [block, { ...block, client: 'zeta' }] }, 'changes[1].client', 'unknown client "zeta"'],
      [{ changes: [{ ...block, client: 'dyno' }] }, 'changes[0].client', 'pay-as-you-go'],
      [{ changes: [{ ...block, week: 13 }] }, 'changes[0].week', 'outside the quarter'],
      [{ changes: [{ ...block, extra: 1 }] }, 'changes[0].extra'],
      [{ changes: [{ type: 'declare-emergency', ticket: 'T-99' }] }, 'changes[0].ticket', 'unknown ticket "T-99"'],
      [{ changes: [{ type: 'add-emergency', client: 'acme', hours: 0 }] }, 'changes[0].hours'],
      [{ changes: [{ type: 'add-leave', staff: 'zed', week: 1, hours: 8 }] }, 'changes[0].staff', 'unknown staff member "zed"'],
      [{ changes: [{ type: 'add-leave', staff: 'ana', week: 1, hours: 0 }] }, 'changes[0].hours'],
      [{ changes: [{ type: 'set-leave', staff: 'ana', week: 1, hours: -1 }] }, 'changes[0].hours'],
      [{ changes: [{ type: 'set-leave', staff: 'ana', week: 1, hours: 100 }, { type: 'add-leave', staff: 'ana', week: 1, hours: 100 }] }, 'changes[1].hours', 'at most 168'],
      [{ changes: [{ type: 'add-tickets', tickets: [{ id: 'T-1', client: 'acme', priority: 3, estimateHours: 1, openedWeek: 0 }] }] }, 'changes[0].tickets[0].id', 'already exists'],
      [{ changes: [{ type: 'add-tickets', tickets: [{ id: 'T-8', client: 'acme', priority: 7, estimateHours: 1, openedWeek: 0 }] }] }, 'changes[0].tickets[0].priority', 'must be 1 (urgent)'],
      [{ changes: Array.from({ length: 101 }, () => block) }, 'changes'],
      [{ quarter: Q, changes: [block], save: true }, 'save'],
    ];
    const before = await snapshot();
    for (const [body, field, text] of cases) {
      const r = await manager.post('/api/what-if', body);
      expect(r.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(r.body.error.details[0].field, JSON.stringify(body).slice(0, 100)).toBe(field);
      if (text) expect(r.body.error.message).toContain(text);
    }
    expect((await manager.post('/api/what-if', { quarter: 'NOPE', changes: [block] })).status).toBe(404);
    const huge = await manager.post('/api/what-if', { changes: [{ ...block, client: 'x'.repeat(300_000) }] });
    expect(huge.status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it('only managers ask', async () => {
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    const body = { changes: [{ type: 'add-block', client: 'acme', week: 0, hours: 20 }] };
    expect((await (await t.as('ana@staff.test')).post('/api/what-if', body)).status).toBe(403);
    expect((await (await t.as('acme@client.test')).post('/api/what-if', body)).status).toBe(403);
    expect((await t.anonymous().post('/api/what-if', body)).status).toBe(401);
  });

  it('while the plan is behind the data, the baseline is solved afresh (basedOnVersion null)', async () => {
    await t.app.services.store.reader().nativeUpdate(Quarter, { id: Q }, { dataRevision: raw('data_revision + 1') });
    const r = await manager.post('/api/what-if', { changes: [{ type: 'add-block', client: 'bolt', week: 0, hours: 26 }] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ quarter: Q, basedOnVersion: null, available: true });
    t.app.services.replanner.markDirty([Q], 'test');
    await t.settle();
  });
});
