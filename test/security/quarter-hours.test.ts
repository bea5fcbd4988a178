/**
 * Hours are quarter hours however they arrive: a CSV import refuses what a JSON body refuses, with
 * the same words, and saves nothing; what either accepts, the planner accepts. One schema serves
 * both (shared/hours.ts, on the planner's rule in solver/validate.ts).
 *
 * The reproduction: a tickets CSV with estimateHours 2.3 was imported (JSON answered 400), and the
 * quarter could then not be planned: the planner refuses hours that are not quarter hours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUARTER_HOURS_MESSAGE } from '../../solver/validate.ts';
import { entryHoursSchema, hoursSchema } from '../../shared/hours.ts';
import type { ApiClient, ApiResponse } from '../utils/api-client.ts';
import { Q, datedScenario, rowCounts } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const CSV = { 'content-type': 'text/csv' };
const TICKET_VALUES = [2.3, 0.1, 7.333, 1.2500001, 2.25, 0, 40.75];
const ENTRY_VALUES = [0.3, 1.1, 0.2, 1.5, 0.25, 8];

/** The verdict a request got: accepted, or the message its hours field got. */
function verdict(r: ApiResponse, field: string): string {
  if (r.status === 200 || r.status === 201) return 'accepted';
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  const issue = (r.body.error.details as { field: string; message: string }[]).find((d) => d.field === field || d.field.endsWith(`, ${field}`));
  expect(issue, JSON.stringify(r.body)).toBeDefined();
  return issue!.message;
}

describe('the hours schema, without a server', () => {
  it('is the planner rule: quarter hours, and its message', () => {
    for (const h of [0, 0.25, 2.25, 100_000]) expect(hoursSchema().safeParse(h).success, String(h)).toBe(true);
    for (const h of [2.3, 0.1, 1 / 3]) expect(hoursSchema().safeParse(h).error?.issues[0]?.message, String(h)).toBe(QUARTER_HOURS_MESSAGE);
    expect(entryHoursSchema().safeParse(0).error?.issues[0]?.message).toBe('must be more than 0');
    expect(entryHoursSchema().safeParse(0.3).error?.issues[0]?.message).toBe(QUARTER_HOURS_MESSAGE);
  });
});

describe.each(await dbTargets())('quarter hours in JSON and CSV on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('a tickets CSV refuses the estimates and spent hours a JSON body refuses, naming the row and column', async () => {
    for (const hours of TICKET_VALUES) {
      for (const field of ['estimateHours', 'spentHours'] as const) {
        const body = { client: 'acme', title: 'Hours check', priority: 3, estimateHours: 4, [field]: hours };
        const json = verdict(await manager.post('/api/tickets', body), field);
        const before = await rowCounts(t, ['tickets', 'audit_log']);
        const id = `QH-${++n}`;
        const file = `id,client,title,priority,estimateHours,spentHours,openedWeek\n${id},acme,Hours check,3,${field === 'estimateHours' ? hours : 4},${field === 'spentHours' ? hours : 0},0\n`;
        const csv = await manager.post(`/api/tickets/import?quarter=${Q}`, file, CSV);
        expect(verdict(csv, field), `${field} ${hours}`).toBe(json);
        if (json !== 'accepted') {
          expect(csv.body.error.details[0]).toMatchObject({ row: 2, column: field, message: QUARTER_HOURS_MESSAGE });
          expect(await rowCounts(t, ['tickets', 'audit_log'])).toEqual(before);
        }
      }
    }
    await t.settle();
    // Whatever was accepted, the quarter still plans.
    expect((await manager.get('/api/plans/current')).status).toBe(200);
    expect((await manager.get(`/api/quarters/${Q}/scenario`)).status).toBe(200);
  });

  it('a time-entries CSV refuses the hours a JSON entry refuses', async () => {
    for (const hours of ENTRY_VALUES) {
      const json = verdict(await manager.post('/api/time-entries', { ticketId: 'A-1', staffId: 'ana', hours, date: '2026-10-06' }), 'hours');
      const csv = await manager.post(`/api/time-entries/import?quarter=${Q}`, `staffId,ticketId,date,hours,note\nana,A-1,2026-10-07,${hours},check ${hours}\n`, CSV);
      expect(verdict(csv, 'hours'), String(hours)).toBe(json);
    }
    await t.settle();
  });
});
