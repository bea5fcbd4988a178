/**
 * Which week of its quarter a time entry belongs to, and whether it may be logged. Hours are
 * history: they are logged for the current week or earlier, never ahead.
 */
import type { FieldIssue } from '../../errors.ts';

const WEEK_MS = 7 * 86_400_000;
const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface QuarterWeeks {
  id: string;
  weeks: number;
  currentWeek: number;
  startDate?: string | null;
}

/** Week index of a date, counted from the quarter's start (may fall outside 0 … W-1). */
export function weekOfDate(startDate: string, date: string): number {
  return Math.floor((utc(date) - utc(startDate)) / WEEK_MS);
}

export function addDays(date: string, days: number): string {
  return isoDay(utc(date) + days * 86_400_000);
}

export type EntryWhen = { week: number; date: string } | { issue: FieldIssue };

/**
 * The entry's week from its date (the quarter's startDate gives week 0's Monday), or the week
 * given when there is no date. An entry without a date stores '' as its date.
 */
export function entryWeek(q: QuarterWeeks, input: { date?: string | null; week?: number | null }): EntryWhen {
  const date = input.date || '';
  const last = q.weeks - 1;
  let week: number;
  let field: 'date' | 'week';
  if (date && q.startDate) {
    field = 'date';
    week = weekOfDate(q.startDate, date);
    if (week < 0) return { issue: { field, message: `${date} is before quarter ${q.id} starts (${q.startDate}): log it in the quarter it belongs to` } };
    if (week > last) return { issue: { field, message: `${date} is after quarter ${q.id} ends (${addDays(q.startDate, q.weeks * 7 - 1)}): log it in the quarter it belongs to` } };
    if (input.week != null && input.week !== week) {
      return { issue: { field: 'week', message: `is ${input.week} but ${date} is in week ${week}: send the date alone` } };
    }
  } else if (input.week != null) {
    field = 'week';
    week = input.week;
    if (week > last) return { issue: { field, message: `week ${week} is outside quarter ${q.id} (weeks 0 to ${last})` } };
  } else if (q.startDate) {
    return { issue: { field: 'date', message: 'is required: the day the hours were worked, like 2026-10-05' } };
  } else {
    return { issue: { field: 'week', message: `is required: quarter ${q.id} has no start date, so name the week (0 to ${last}) the hours were worked in` } };
  }
  if (week > q.currentWeek) {
    const what = field === 'date' ? `${date} is in week ${week}` : `week ${week} is`;
    return { issue: { field, message: `${what}, after the current week (${q.currentWeek}): log hours once they have been worked` } };
  }
  return { week, date };
}
