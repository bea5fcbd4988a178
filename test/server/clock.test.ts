/** The server moves currentWeek on at each week's start, for quarters that follow the calendar. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceWeeks, weekOf } from '../../server/clock.ts';
import { payg, scenario, staff, ticket } from '../fixtures/builders.ts';
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
