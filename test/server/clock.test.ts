/**
 * The server moves currentWeek on at each week's start, for quarters that follow the calendar, and
 * a week that becomes history keeps its debt: each prepaid client's shortfall to date becomes
 * max(0, shortfall + ideal[w] − used[w]) (DOMAIN.md "Time").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceWeeks, shortfallAfterWeeks, weekOf } from '../../server/clock.ts';
import { AuditEntry, ClientQuarter } from '../../server/db/entities.ts';
import { payg, prepaid, scenario, staff, ticket } from '../fixtures/builders.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import type { ApiClient } from '../utils/api-client.ts';

describe('weekOf', () => {
  it('counts Monday-start weeks from the start date, within the quarter', () => {
    expect(weekOf('2026-09-28', new Date('2026-09-28T00:00:00Z'), 13)).toBe(0);
    expect(weekOf('2026-09-28', new Date('2026-10-04T23:59:59Z'), 13)).toBe(0);
    expect(weekOf('2026-09-28', new Date('2026-10-05T00:00:00Z'), 13)).toBe(1);
    expect(weekOf('2026-09-28', new Date('2026-11-26T12:00:00Z'), 13)).toBe(8);
    expect(weekOf('2026-09-28', new Date('2027-03-01T00:00:00Z'), 13)).toBe(12);
    expect(weekOf('2026-09-28', new Date('2026-09-01T00:00:00Z'), 13)).toBe(0);
  });
});

describe('shortfallAfterWeeks', () => {
  it('adds each week left behind, never below 0, in quarter hours rounded up', () => {
    const ideal = [0, 0, 10, 10, 10];
    expect(shortfallAfterWeeks(0, ideal, [0, 0, 6], 2, 3)).toBe(4);
    expect(shortfallAfterWeeks(4, ideal, [0, 0, 0, 7, 0], 3, 5)).toBe(17);
    // Hours used above a week's ideal pay debt off, but a week's surplus is no credit later.
    expect(shortfallAfterWeeks(3, ideal, [0, 0, 20, 0], 2, 4)).toBe(10);
    expect(shortfallAfterWeeks(0, [0.1], [0], 0, 1)).toBe(0.25);
    expect(shortfallAfterWeeks(5, ideal, [], 2, 2)).toBe(5);
  });
});

describe.each(await dbTargets())('the weekly clock on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  const quarter = { ...scenario({ weeks: 13, staff: [staff('ana', 40)], clients: [payg('p')], tickets: [ticket('P-1', 'p', 100)] }), quarter: { id: 'CLOCK', weeks: 13, currentWeek: 0, startDate: '2026-09-28' } };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post('/api/quarters/CLOCK/import', quarter)).status).toBe(200);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('leaves quarters alone unless they follow the calendar', async () => {
    expect(await advanceWeeks(t.app.services, new Date('2026-10-20T09:00:00Z'))).toEqual([]);
    expect((await manager.get('/api/quarters/CLOCK')).body.currentWeek).toBe(0);
  });

  it('moves a calendar quarter to the week of today and re-plans from it', async () => {
    const q = (await manager.get('/api/quarters/CLOCK')).body;
    expect((await manager.patch('/api/quarters/CLOCK', { version: q.version, autoAdvance: true })).status).toBe(200);
    await t.settle();
    const before = (await manager.get('/api/plans/current?quarter=CLOCK')).body.version;
    expect(await advanceWeeks(t.app.services, new Date('2026-10-20T09:00:00Z'))).toEqual(['CLOCK']);
    await t.settle();
    expect((await manager.get('/api/quarters/CLOCK')).body.currentWeek).toBe(3);
    const plan = (await manager.get('/api/plans/current?quarter=CLOCK')).body;
    expect(plan.version).toBeGreaterThan(before);
    expect(plan.quarter.currentWeek).toBe(3);
    expect(Math.min(...plan.allocations.map((a: { week: number }) => a.week))).toBe(3);
    // The same week again changes nothing.
    expect(await advanceWeeks(t.app.services, new Date('2026-10-21T09:00:00Z'))).toEqual([]);
  });
});

/**
 * One person (40 h) and two prepaid clients with more work than their rates: acme 130 h (10 h a
 * week), bolt 65 h (5 h a week), two weeks of history. The plan owes acme 10 h and bolt 5 h in
 * every week looked at here (their ideal[w]).
 */
describe.each(await dbTargets())('the week turning over keeps the debt, on %s', (target) => {
  const Q = 'DEBT';
  let t: TestApp;
  let manager: ApiClient;
  const debtScenario = {
    ...scenario({
      weeks: 13,
      staff: [staff('ana', 40)],
      clients: [prepaid('acme', [{ week: 0, hours: 130 }], { usedByWeek: [10, 10] }), prepaid('bolt', [{ week: 0, hours: 65 }], { usedByWeek: [5, 5] })],
      tickets: [ticket('A-1', 'acme', 200), ticket('B-1', 'bolt', 50)],
    }),
    quarter: { id: Q, weeks: 13, currentWeek: 2, startDate: '2026-09-28' },
  };
  const shortfalls = async () =>
    Object.fromEntries((await t.app.services.store.reader().find(ClientQuarter, { quarterId: Q }, { orderBy: { clientId: 'asc' } })).map((c) => [c.clientId, c.shortfallToDateHours]));
  const log = async (ticketId: string, week: number, hours: number) => expect((await manager.post('/api/time-entries', { ticketId, week, hours, staffId: 'ana' })).status).toBe(201);
  const plan = async () => (await manager.get(`/api/plans/current?quarter=${Q}`)).body;
  const ideal = (p: { clients: { id: string; ideal: number[] }[] }, id: string) => p.clients.find((c) => c.id === id)!.ideal;
  const patchWeek = async (currentWeek: number) => {
    const q = (await manager.get(`/api/quarters/${Q}`)).body;
    const r = await manager.patch(`/api/quarters/${Q}`, { version: q.version, currentWeek });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await t.settle();
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, debtScenario)).status).toBe(200);
    await t.settle();
    const q = (await manager.get(`/api/quarters/${Q}`)).body;
    expect((await manager.patch(`/api/quarters/${Q}`, { version: q.version, autoAdvance: true })).status).toBe(200);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('a clock tick carries the week just ended: acme used 6 h of the 10 h owed, 4 h of debt', async () => {
    const p = await plan();
    expect([ideal(p, 'acme')[2], ideal(p, 'bolt')[2]]).toEqual([10, 5]);
    await log('A-1', 2, 6);
    await log('B-1', 2, 5);
    await t.settle();
    // Two instances ticking at the same moment carry the week once.
    const ticks = await Promise.all([advanceWeeks(t.app.services, new Date('2026-10-19T00:05:00Z')), advanceWeeks(t.app.services, new Date('2026-10-19T00:05:00Z'))]);
    expect(ticks.flat()).toEqual([Q]);
    expect((await manager.get(`/api/quarters/${Q}`)).body.currentWeek).toBe(3);
    expect(await shortfalls()).toEqual({ acme: 4, bolt: 0 });
    await t.settle();
    const scenarioNow = (await manager.get(`/api/quarters/${Q}/scenario`)).body;
    expect(scenarioNow.clients.map((c: { id: string; shortfallToDateHours: number }) => [c.id, c.shortfallToDateHours])).toEqual([['acme', 4], ['bolt', 0]]);
    // The debt is caught up at level 2: acme's target this week is its own 10 h plus the 4 h owed.
    expect((await plan()).clients.find((c: { id: string }) => c.id === 'acme').target[3]).toBe(14);
  });

  it('a sleeping server that wakes two weeks on carries both weeks, one after the other, audited', async () => {
    const p = await plan();
    expect([ideal(p, 'acme').slice(3, 5), ideal(p, 'bolt').slice(3, 5)]).toEqual([[10, 10], [5, 5]]);
    await log('A-1', 3, 7);
    await log('B-1', 3, 5);
    await t.settle();
    expect(await advanceWeeks(t.app.services, new Date('2026-11-03T09:00:00Z'))).toEqual([Q]);
    // acme: 4 + 10 − 7 = 7, then 7 + 10 − 0 = 17; bolt: 0 + 5 − 5 = 0, then 0 + 5 − 0 = 5.
    expect(await shortfalls()).toEqual({ acme: 17, bolt: 5 });
    const audits = await t.app.services.store.reader().find(AuditEntry, { action: 'carry-shortfall' }, { orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.entityId, (a.before as { shortfallToDateHours: number }).shortfallToDateHours, a.after])).toEqual([
      ['acme', 0, expect.objectContaining({ quarter: Q, shortfallToDateHours: 4, weeks: [2], owed: [10], used: [6] })],
      ['acme', 4, expect.objectContaining({ quarter: Q, shortfallToDateHours: 17, weeks: [3, 4], owed: [10, 10], used: [7, 0] })],
      ['bolt', 0, expect.objectContaining({ quarter: Q, shortfallToDateHours: 5, weeks: [3, 4], owed: [5, 5], used: [5, 0] })],
    ]);
    await t.settle();
    const after = await plan();
    expect(after.quarter.currentWeek).toBe(5);
    expect(after.clients.find((c: { id: string }) => c.id === 'acme').target[5]).toBe(27);
  });

  it('moving back takes back the debt of the weeks re-opened; moving on again judges them once', async () => {
    await patchWeek(3);
    expect(await shortfalls()).toEqual({ acme: 4, bolt: 0 });
    await patchWeek(4);
    // Week 3 again: acme 4 + 10 − 7 = 7, bolt 0 + 5 − 5 = 0; not 17 + 7.
    expect(await shortfalls()).toEqual({ acme: 7, bolt: 0 });
  });

  it('an import that moves the week back states its own shortfall to date: nothing is invented', async () => {
    const exported = (await manager.get(`/api/quarters/${Q}/scenario`)).body;
    const back = { ...exported, quarter: { ...exported.quarter, currentWeek: 2 } };
    const r = await manager.post(`/api/quarters/${Q}/import`, back);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.quarter.currentWeek).toBe(2);
    expect(await shortfalls()).toEqual({ acme: 7, bolt: 0 });
    await t.settle();
    // Moving back further after the import finds no carry of its own to take back.
    await patchWeek(1);
    expect(await shortfalls()).toEqual({ acme: 7, bolt: 0 });
  });
});
