/**
 * Quarter close on the worked examples, and with debt carried from weeks that became history:
 * - catch-up.json (shared/examples/catch-up.md): Quill's emergency in week 11, Harbor's missed
 *   week caught up in week 12, nothing rolls over;
 * - emergency-rollover.json moved on a week with Harbor's week 11 not done: its 4 h of debt are
 *   carried into the shortfall to date and roll over at close with the 4 h of week 12;
 * - catch-up.json moved on a week: the 4 h carried are caught up in week 12, nothing rolls over.
 * One app per case: the examples share their ticket ids.
 */
import { describe, expect, it } from 'vitest';
import { advanceWeeks } from '../../server/clock.ts';
import { ClientQuarter, RolloverCredit } from '../../server/db/entities.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import { CATCH_UP_TABLE, workedTable } from '../utils/worked-tables.ts';
import { workedExample } from '../fixtures/examples.ts';

const Q = '2026-Q4';
const NEXT = '2027-Q1';
const example = workedExample;

async function withExample(target: Parameters<typeof startTestApp>[0], name: string, use: (t: TestApp, manager: ApiClient) => Promise<void>): Promise<void> {
  const t = await startTestApp(target);
  try {
    const manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, example(name))).status).toBe(200);
    await t.settle();
    await use(t, manager);
  } finally {
    await t.close();
  }
}

const log = async (manager: ApiClient, ticketId: string, hours: number) =>
  expect((await manager.post('/api/time-entries', { ticketId, hours, week: 11, staffId: 'sam' })).status).toBe(201);

async function shortfalls(t: TestApp): Promise<Record<string, number>> {
  const cqs = await t.app.services.store.reader().find(ClientQuarter, { quarterId: Q }, { orderBy: { clientId: 'asc' } });
  return Object.fromEntries(cqs.map((c) => [c.clientId, c.shortfallToDateHours]));
}

async function close(t: TestApp, manager: ApiClient) {
  await t.settle();
  const r = await manager.post(`/api/quarters/${Q}/close`, { nextQuarter: { id: NEXT } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const credits = await t.app.services.store.reader().find(RolloverCredit, {}, { orderBy: { clientId: 'asc' } });
  return { clients: r.body.clients, credits: credits.map((c) => [c.clientId, c.hours]) };
}

describe.each(await dbTargets())('quarter close on the worked examples, on %s', (target) => {
  it('catch-up.json: the table of catch-up.md, and nothing rolls over', async () => {
    await withExample(target, 'catch-up', async (t, manager) => {
      const plan = (await manager.get('/api/plans/current')).body;
      expect(workedTable(plan)).toEqual(CATCH_UP_TABLE);
      expect(plan.allocations.map((a: { week: number; staff: string; ticket: string; hours: number; level: number }) => [a.week, a.staff, a.ticket, a.hours, a.level])).toEqual([
        [11, 'sam', 'Q-1', 20, 1],
        [12, 'sam', 'H-1', 8, 2],
        [12, 'sam', 'Q-2', 12, 2],
      ]);
      expect(await close(t, manager)).toEqual({
        clients: [
          { client: 'harbor', rolloverHours: 0, expiredHours: 0 },
          { client: 'nimbus', rolloverHours: 0, expiredHours: 16 },
          { client: 'quill', rolloverHours: 0, expiredHours: 14 },
        ],
        credits: [],
      });
      const scenario = (await manager.get(`/api/quarters/${NEXT}/scenario`)).body;
      expect(scenario.clients.filter((c: { plan: string }) => c.plan === 'prepaid').map((c: { id: string; rolloverInHours: number }) => [c.id, c.rolloverInHours])).toEqual([
        ['harbor', 0],
        ['nimbus', 0],
        ['quill', 0],
      ]);
    });
  });

  it('emergency-rollover.json a week on, Harbor not served in week 11: the 4 h carried roll over with week 12’s 4 h', async () => {
    await withExample(target, 'emergency-rollover', async (t, manager) => {
      // Week 11 as it went: Quill's Q-2 got its 16 h, Harbor's H-1 nothing.
      await log(manager, 'Q-2', 16);
      const q = (await manager.get(`/api/quarters/${Q}`)).body;
      expect((await manager.patch(`/api/quarters/${Q}`, { version: q.version, startDate: '2026-09-28', autoAdvance: true })).status).toBe(200);
      await t.settle();
      expect(await advanceWeeks(t.app.services, new Date('2026-12-21T08:00:00Z'))).toEqual([Q]);
      expect(await shortfalls(t)).toEqual({ dyno: 0, harbor: 4, nimbus: 0, quill: 0 });
      await t.settle();
      const plan = (await manager.get('/api/plans/current')).body;
      expect(plan.quarter.currentWeek).toBe(12);
      expect(workedTable(plan)).toMatchObject({ harbor: [8, 0, 8, 4, 8, 8, 0], quill: [30, 20, 10, 12, 0, 0, 10], nimbus: [16, 0, 16, 0, 0, 0, 16] });
      expect(await close(t, manager)).toEqual({
        clients: [
          { client: 'harbor', rolloverHours: 8, expiredHours: 0 },
          { client: 'nimbus', rolloverHours: 0, expiredHours: 16 },
          { client: 'quill', rolloverHours: 0, expiredHours: 10 },
        ],
        credits: [['harbor', 8]],
      });
      const scenario = (await manager.get(`/api/quarters/${NEXT}/scenario`)).body;
      expect(scenario.clients.find((c: { id: string }) => c.id === 'harbor').rolloverInHours).toBe(8);
    });
  });

  it('catch-up.json a week on: the 4 h Harbor missed in week 11 are carried, caught up in week 12, and nothing rolls over', async () => {
    await withExample(target, 'catch-up', async (t, manager) => {
      await log(manager, 'Q-1', 20);
      const q = (await manager.get(`/api/quarters/${Q}`)).body;
      expect((await manager.patch(`/api/quarters/${Q}`, { version: q.version, currentWeek: 12 })).status).toBe(200);
      expect(await shortfalls(t)).toEqual({ dyno: 0, harbor: 4, nimbus: 0, quill: 0 });
      await t.settle();
      const plan = (await manager.get('/api/plans/current')).body;
      const harbor = plan.clients.find((c: { id: string }) => c.id === 'harbor');
      expect([harbor.ideal[12], harbor.target[12], harbor.delivered[12]]).toEqual([4, 8, 8]);
      expect(await close(t, manager)).toEqual({
        clients: [
          { client: 'harbor', rolloverHours: 0, expiredHours: 0 },
          { client: 'nimbus', rolloverHours: 0, expiredHours: 16 },
          { client: 'quill', rolloverHours: 0, expiredHours: 14 },
        ],
        credits: [],
      });
    });
  });
});
