/** The weekly timesheet's data: days × tickets, the plan beside what was logged, and what a cell's form sends. */
import { describe, expect, it } from 'vitest';
import type { TimeEntryRecord } from '../../shared/api/index.ts';
import { entryChange, hoursIssue, loggableWeeks, timesheet, weekDays } from '../../client/src/composables/timesheet.ts';

const entry = (id: number, ticket: string, week: number, date: string | null, hours: number, note = ''): TimeEntryRecord => ({
  id,
  ticket,
  client: 'acme',
  quarter: '2026-Q4',
  staff: 'ana',
  week,
  date,
  hours,
  note,
  createdAt: '2026-10-12T09:00:00.000Z',
  version: 1,
});

describe('timesheet', () => {
  const quarter = { startDate: '2026-09-28', currentWeek: 2 };

  it('has a column per day of the week, Monday first, and marks days after the last loggable one', () => {
    const days = weekDays('2026-09-28', 2, '2026-10-14');
    expect(days.map((d) => d.date)).toEqual(['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16', '2026-10-17', '2026-10-18']);
    expect(days[0]!.label).toBe('Mon 12 Oct');
    expect(days.map((d) => d.future)).toEqual([false, false, false, true, true, true, true]);
    expect(weekDays(null, 3)).toEqual([{ date: null, label: 'Week 3', future: false }]);
  });

  it('rows are the tickets planned or logged that week, with planned and logged hours and day totals', () => {
    const s = timesheet({
      quarter,
      week: 2,
      entries: [entry(1, 'A-1', 2, '2026-10-12', 2), entry(2, 'A-1', 2, '2026-10-12', 1.25), entry(3, 'B-1', 2, '2026-10-14', 3), entry(4, 'A-1', 1, '2026-10-06', 5)],
      allocations: [
        { ticket: 'A-1', week: 2, hours: 6 },
        { ticket: 'A-1', week: 2, hours: 1.5 },
        { ticket: 'A-10', week: 2, hours: 4 },
        { ticket: 'A-2', week: 3, hours: 8 },
      ],
      titles: new Map([['A-1', 'Upgrade PHP']]),
      extraTickets: ['C-1'],
    });
    expect(s.rows.map((r) => r.ticket)).toEqual(['A-1', 'A-10', 'B-1', 'C-1']);
    const a1 = s.rows[0]!;
    expect(a1).toMatchObject({ title: 'Upgrade PHP', planned: 7.5, logged: 3.25 });
    expect(a1.cells[0]!.hours).toBe(3.25);
    expect(a1.cells[0]!.entries.map((e) => e.id)).toEqual([1, 2]);
    expect(s.rows[2]!.cells[2]!.hours).toBe(3);
    expect(s.rows[3]).toMatchObject({ planned: 0, logged: 0 });
    expect(s.dayTotals).toEqual([3.25, 0, 3, 0, 0, 0, 0]);
    expect(s.planned).toBe(11.5);
    expect(s.logged).toBe(6.25);
  });

  it('a quarter without dates has one column for the week', () => {
    const s = timesheet({ quarter: { startDate: null, currentWeek: 1 }, week: 1, entries: [entry(1, 'A-1', 1, null, 2), entry(2, 'A-1', 1, null, 0.5)], allocations: [] });
    expect(s.days).toHaveLength(1);
    expect(s.rows[0]!.cells[0]!.hours).toBe(2.5);
  });

  it('weeks that take hours: 0 to the current week', () => {
    expect(loggableWeeks(2)).toEqual([0, 1, 2]);
  });

  it('a cell form creates, corrects (with the version read), removes at 0, or sends nothing', () => {
    const e = { id: 7, version: 3, hours: 2, note: 'x' };
    expect(entryChange(null, 1.5, ' fix ')).toEqual({ kind: 'create', hours: 1.5, note: 'fix' });
    expect(entryChange(null, 0, '')).toEqual({ kind: 'none' });
    expect(entryChange(e, 2.5, 'x')).toEqual({ kind: 'update', id: 7, version: 3, hours: 2.5 });
    expect(entryChange(e, 2, 'y')).toEqual({ kind: 'update', id: 7, version: 3, hours: 2, note: 'y' });
    expect(entryChange(e, 0, 'x')).toEqual({ kind: 'delete', id: 7, version: 3 });
    expect(entryChange(e, 2, 'x')).toEqual({ kind: 'none' });
  });

  it('hours are checked before sending: quarter hours, above 0 (0 only removes), at most a day', () => {
    expect(hoursIssue(null, false)).toMatch(/Enter the hours/);
    expect(hoursIssue(0, false)).toMatch(/more than 0/);
    expect(hoursIssue(0, true)).toBeNull();
    expect(hoursIssue(1.3, false)).toMatch(/quarter hours/);
    expect(hoursIssue(25, false)).toMatch(/24/);
    expect(hoursIssue(1.75, false)).toBeNull();
  });
});
