// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { diffLines, whatIfVerdict } from '../../client/src/composables/diff-summary.ts';
import { fmtHours, signed, weekDate, weekRanges } from '../../client/src/composables/format.ts';
import { recentEntries, staffWeeks } from '../../client/src/composables/staff-weeks.ts';
import { queueRows, rowsFromPages } from '../../client/src/composables/ticket-queue.ts';
import { planView, queueRow, ticketRecord } from './fixtures.ts';
import type { PlanDiff } from '../../shared/plan-diff.ts';
import type { TimeEntryRecord } from '../../shared/api/index.ts';

const record = ticketRecord;

describe('ticket queue', () => {
  it('joins records with the plan: weeks, assignees and unplanned reasons', () => {
    const rows = queueRows(planView(), [record('T-1', { client: 'bolt', priority: 2 }), record('T-2', { emergency: true, priority: 4 }), record('T-3')]);
    expect(rows.map((r) => r.id)).toEqual(['T-2', 'T-1', 'T-3']);
    const t1 = rows[1]!;
    expect(t1).toMatchObject({ clientName: 'Bolt Co', weeksText: '3', assignees: ['Bo', 'Al'], unplannedHours: 5, plannedHours: 25 });
    expect(t1.reasons).toEqual(["no staff with skill 'oracle'"]);
  });

  it('shows plan tickets even without their records, and closed tickets last', () => {
    const rows = queueRows(planView(), [record('T-9', { status: 'closed', priority: 1 })]);
    expect(rows.map((r) => r.id)).toEqual(['T-1', 'T-2', 'T-3', 'T-9']);
    expect(rows[0]!.title).toBe('');
  });
});

describe("the server's queue rows", () => {
  it('show as the table does: names, weeks, the unplanned reason; a row without its record cannot be edited', () => {
    const rows = rowsFromPages(
      [
        queueRow('T-1', { client: 'bolt', staff: ['bo', 'al'], plannedWeeks: [3, 4, 6], unplannedHours: 5, unplanned: { hours: 5, code: 'no-skill', reason: "no staff with skill 'oracle'" } }),
        queueRow('T-9', { title: '', priority: null, estimateHours: null }),
      ],
      { clients: new Map([['bolt', 'Bolt Co']]), staff: new Map([['bo', 'Bo'], ['al', 'Al']]) },
    );
    expect(rows[0]).toMatchObject({ clientName: 'Bolt Co', assignees: ['Bo', 'Al'], weeksText: '3–4, 6', reasons: ["no staff with skill 'oracle'"], hasRecord: true, inPlan: true, record: null });
    expect(rows[1]).toMatchObject({ clientName: 'acme', reasons: [], hasRecord: false });
  });
});

describe('staff weeks', () => {
  it('groups my allocations by ticket per week, this week first', () => {
    const weeks = staffWeeks(planView(), 'al', new Map([['T-2', 'Shop down']]));
    expect(weeks.map((w) => w.week)).toEqual([2, 3, 4]);
    expect(weeks[0]).toMatchObject({ isCurrent: true, capacity: 20, allocated: 15, date: '12 Oct' });
    expect(weeks[0]!.items).toEqual([{ ticket: 'T-2', title: 'Shop down', client: 'acme', clientName: 'Acme Ltd', hours: 15, pinnedHours: 0, levels: [1, 2] }]);
    expect(weeks[1]!.items.map((i) => [i.ticket, i.hours])).toEqual([['T-1', 5]]);
    expect(weeks[2]!.items).toEqual([]);
  });

  it('lists my latest entries first, also those of a quarter without dates (the API sends date null)', () => {
    const entry = (id: number, week: number, date: string | null): TimeEntryRecord => ({ id, ticket: 'T-1', client: 'acme', quarter: 'Q', staff: 'al', week, date, hours: 1, note: '', createdAt: '2026-10-01T00:00:00.000Z', version: 1 });
    const dated = [entry(1, 1, '2026-10-06'), entry(2, 2, '2026-10-12'), entry(3, 2, '2026-10-14'), entry(4, 2, '2026-10-12')];
    expect(recentEntries(dated).map((e) => e.id)).toEqual([3, 4, 2, 1]);
    expect(recentEntries([entry(1, 3, null), entry(2, 5, null), entry(3, 5, null)]).map((e) => e.id)).toEqual([3, 2, 1]);
    expect(recentEntries(Array.from({ length: 12 }, (_, i) => entry(i + 1, 0, null)))).toHaveLength(8);
  });
});

describe('diff and what-if wording', () => {
  const names = new Map([
    ['acme', 'Acme Ltd'],
    ['bolt', 'Bolt Co'],
  ]);
  const diff: PlanDiff = {
    clients: [
      { id: 'acme', delta: { atRiskHours: -2, plannedHours: 4 }, deliveredDelta: {}, emergencyDelta: 0, newlyBelowRate: [] },
      { id: 'bolt', delta: {}, deliveredDelta: {}, emergencyDelta: 8, newlyBelowRate: [{ week: 3, hours: 2 }, { week: 4, hours: 1.5 }] },
    ],
    tickets: [{ id: 'T-1', client: 'bolt', before: { plannedHours: 0, startWeek: null, finishWeek: null }, after: { plannedHours: 8, startWeek: 2, finishWeek: 2 } }],
    staff: [],
  };

  it('says what moved for whom', () => {
    expect(diffLines(diff, names)).toEqual(['Acme Ltd: at risk −2 h, planned +4 h', 'Bolt Co: +8 h of emergency work', 'Bolt Co falls below its weekly rate in weeks 3–4 (3.5 h short)', '1 ticket moves in the plan']);
    expect(diffLines({ clients: [], tickets: [], staff: [] }, names)).toEqual(['Nothing moves for any client.']);
  });

  it('does not call a week below the rate when the client had no work waiting', () => {
    const plan = { clients: [{ id: 'bolt', demand: [0, 0, 0, 6, 0] }] } as unknown as Parameters<typeof diffLines>[2];
    expect(diffLines(diff, names, plan)).toContain('Bolt Co falls below its weekly rate in week 3 (2 h short)');
  });

  it('answers a block question with "available" or who it pushes out', () => {
    expect(whatIfVerdict({ diff: { clients: [], tickets: [], staff: [] }, available: true, pushedOut: [] }, names)).toMatchObject({ ok: true, headline: expect.stringMatching(/^Available/) });
    const no = whatIfVerdict({ diff, available: false, pushedOut: [{ client: 'bolt', name: 'Bolt Co', weeks: [3, 4], hours: 3.5, byWeek: [] }] }, names);
    expect(no.ok).toBe(false);
    expect(no.headline).toContain('push one client below its weekly rate');
    expect(no.lines[0]).toBe('Bolt Co would end the quarter 3.5 h short of its weekly rate (less of it in weeks 3–4)');
    expect(no.lines.some((l) => l.startsWith('Bolt Co falls below'))).toBe(false);
  });

  it('answers other questions by who falls below their rate', () => {
    expect(whatIfVerdict({ diff: { clients: [], tickets: [], staff: [] }, pushedOut: [] }, names).headline).toBe('No client is pushed below its weekly rate.');
  });
});

describe('formatting', () => {
  it('formats hours, signs, weeks and ranges', () => {
    expect(fmtHours(12.5)).toBe('12.5');
    expect(fmtHours(1234.25)).toBe('1,234.25');
    expect(fmtHours(-0.0000001)).toBe('0');
    expect(signed(2)).toBe('+2');
    expect(signed(-1.5)).toBe('−1.5');
    expect(weekDate('2026-09-28', 9)).toBe('30 Nov');
    expect(weekDate(null, 9)).toBe('');
    expect(weekRanges([12, 8, 9, 10, 9])).toBe('8–10, 12');
  });
});

describe('first-time wording', () => {
  it('says where the quarter is without the index that counts from 0', async () => {
    const { quarterPosition, nth } = await import('../../client/src/composables/format.ts');
    // Week index 9 of a 13-week quarter is its 10th week.
    expect(quarterPosition({ currentWeek: 9, weeks: 13, startDate: '2026-09-28' })).toBe('week of 30 Nov, the 10th of 13');
    expect(quarterPosition({ currentWeek: 0, weeks: 13 })).toBe('the 1st week of 13');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23].map(nth)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd']);
  });

  it('labels an emergency "Emergency" whatever priority it was filed with', async () => {
    const { priorityText } = await import('../../client/src/composables/format.ts');
    expect(priorityText({ priority: 2, emergency: true })).toBe('Emergency');
    expect(priorityText({ priority: 2, emergency: false })).toBe('2 · High');
    expect(priorityText({ priority: null })).toBe('–');
  });
});
