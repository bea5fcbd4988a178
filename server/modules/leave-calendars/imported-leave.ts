/**
 * The hours holiday and absence calendars take off each person's weeks (issue 13), worked out
 * when they are read, from the days stored (ics-days.ts) and each person's weekly hours as they
 * are now:
 * - a weekday a calendar covers all day takes off a day's hours, weeklyHours / 5 rounded to the
 *   nearest quarter hour (32 h: 6.4 → 6.5 h); a Saturday or Sunday takes off nothing;
 * - a weekday covered only in part (a timed event) takes off the minutes it covers, rounded to the
 *   nearest quarter hour, never more than a day's hours; the same date in several calendars (a
 *   holiday and an absence) is taken off once;
 * - a holiday calendar applies to everyone, an absence calendar to its person only;
 * - a week never loses more than its weekly hours (with the manual leave on top: scenario-io.ts).
 * A quarter without a start date has no dates for its weeks: nothing is taken off until it has one.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql.ts';
import { addDays, weekOfDate } from '../time-entries/entry-week.ts';

export interface DatedDay {
  date: string;
  minutes: number | null;
  summary: string;
  /** Whose day it is: null for everyone (a holiday calendar). */
  staffId: string | null;
}

export interface QuarterDates {
  startDate?: string | null;
  weeks: number;
}

export interface Person {
  id: string;
  weeklyHours: number;
}

const quarterHours = (h: number) => Math.round(h * 4) / 4;
/** A weekday's share of a person's week: weeklyHours / 5 in quarter hours. */
export const dayHours = (weeklyHours: number) => quarterHours(weeklyHours / 5);

/** The week of the quarter a date falls in (null outside it, or without a start date), and whether it is a weekday. */
export function placeDate(q: QuarterDates, date: string): { week: number; weekday: boolean } | null {
  if (!q.startDate) return null;
  const week = weekOfDate(q.startDate, date);
  if (week < 0 || week >= q.weeks) return null;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return { week, weekday: dow >= 1 && dow <= 5 };
}

/** The dates a quarter's weeks span: from its start date to the Monday after its last week. */
export function quarterSpan(q: QuarterDates): { from: string; to: string } | null {
  return q.startDate ? { from: q.startDate, to: addDays(q.startDate, q.weeks * 7) } : null;
}

/** Hours off per person and week: person → week → hours (only weeks with some). */
export function hoursOff(q: QuarterDates, people: readonly Person[], days: readonly DatedDay[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  const placed = days.map((d) => ({ d, at: placeDate(q, d.date) })).filter((x) => x.at?.weekday);
  for (const p of people) {
    const perDay = dayHours(p.weeklyHours);
    // Each date once: whole if any calendar takes it all, else its minutes added up.
    const dates = new Map<string, { week: number; minutes: number | null }>();
    for (const { d, at } of placed) {
      if (d.staffId !== null && d.staffId !== p.id) continue;
      const seen = dates.get(d.date);
      const minutes = seen === undefined ? d.minutes : seen.minutes === null || d.minutes === null ? null : seen.minutes + d.minutes;
      dates.set(d.date, { week: at!.week, minutes });
    }
    const weeks = new Map<number, number>();
    for (const { week, minutes } of dates.values()) {
      const hours = minutes === null ? perDay : Math.min(perDay, quarterHours(minutes / 60));
      if (hours > 0) weeks.set(week, (weeks.get(week) ?? 0) + hours);
    }
    for (const [week, hours] of weeks) weeks.set(week, Math.min(p.weeklyHours, hours));
    if (weeks.size > 0) out.set(p.id, weeks);
  }
  return out;
}

/** The stored days of every calendar (or of one) that fall in a quarter's dates. */
export async function quarterDays(em: EntityManager, q: QuarterDates, calendarId?: number): Promise<(DatedDay & { calendarId: number })[]> {
  const span = quarterSpan(q);
  if (!span) return [];
  const rows = await sql<{ calendar_id: number; date: string; minutes: number | null; summary: string; staff_id: string | null }>(
    em,
    `select d.calendar_id, d.date, d.minutes, d.summary, c.staff_id from leave_calendar_days d join leave_calendars c on c.id = d.calendar_id
     where d.date >= ? and d.date < ?${calendarId === undefined ? '' : ' and d.calendar_id = ?'} order by d.date asc, d.calendar_id asc`,
    [span.from, span.to, ...(calendarId === undefined ? [] : [calendarId])],
  );
  return rows.map((r) => ({ calendarId: Number(r.calendar_id), date: r.date, minutes: r.minutes === null ? null : Number(r.minutes), summary: r.summary, staffId: r.staff_id }));
}

/** What the calendars take off a quarter's people: the scenario's imported leave. */
export async function importedLeave(em: EntityManager, q: QuarterDates, people: readonly Person[]): Promise<Map<string, Map<number, number>>> {
  const days = await quarterDays(em, q);
  return days.length === 0 ? new Map() : hoursOff(q, people, days);
}

/**
 * A week's leave in the scenario: the manual hours plus the calendars', never more than the
 * weekly hours (capacity never below 0).
 */
export const withImported = (weeklyHours: number, manual: number, imported: number) => (imported > 0 ? Math.max(manual, Math.min(weeklyHours, manual + imported)) : manual);

/** A person's leave per week, weeks in order: the manual hours with the calendars' on top (withImported). */
export function leaveWeeks(weeklyHours: number, manual: ReadonlyMap<number, number>, imported: ReadonlyMap<number, number> | undefined): Map<number, number> {
  const weeks = [...new Set([...manual.keys(), ...(imported?.keys() ?? [])])].sort((a, b) => a - b);
  return new Map(weeks.map((w) => [w, withImported(weeklyHours, manual.get(w) ?? 0, imported?.get(w) ?? 0)]));
}

/**
 * The manual leave to keep when a scenario states a week's leave: what it says beyond the
 * calendars' hours, or the manual hours already there when the scenario says what they and the
 * calendars make now (an exported scenario imported again changes nothing). A calendar's hours
 * cannot be taken away by an import: delete or change the calendar.
 */
export function manualFrom(weeklyHours: number, stated: number, imported: number, before: number): number {
  if (imported <= 0) return stated;
  if (withImported(weeklyHours, before, imported) === stated) return before;
  return Math.max(0, Math.round((stated - imported) * 1e6) / 1e6);
}
