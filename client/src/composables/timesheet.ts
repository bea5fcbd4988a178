/**
 * A person's week as a timesheet: a row per ticket (planned for them that week, or logged on),
 * a column per day (Monday to Sunday; one "week" column in a quarter without dates), each cell
 * the entries logged there, and beside each row the plan's hours for the week.
 */
import type { TimeEntryRecord } from '../../../shared/api/index.ts';
import { tidy } from './chart-spec.ts';
import { weekStart } from './format.ts';

export interface TimesheetDay {
  /** YYYY-MM-DD, or null in a quarter without a start date (one column for the week). */
  date: string | null;
  /** "Mon 12 Oct", or "Week 2". */
  label: string;
  /** After the last day hours may be logged (today, or the end of the current week). */
  future: boolean;
}

export interface TimesheetCell {
  date: string | null;
  entries: TimeEntryRecord[];
  hours: number;
}

export interface TimesheetRow {
  ticket: string;
  title: string;
  planned: number;
  logged: number;
  cells: TimesheetCell[];
}

export interface Timesheet {
  week: number;
  days: TimesheetDay[];
  rows: TimesheetRow[];
  dayTotals: number[];
  planned: number;
  logged: number;
}

export interface TimesheetInput {
  quarter: { startDate?: string | null; currentWeek: number };
  week: number;
  /** The person's entries (any weeks: those of `week` are kept). */
  entries: readonly TimeEntryRecord[];
  /** The person's allocation rows (any weeks). */
  allocations: readonly { ticket: string; week: number; hours: number }[];
  titles?: ReadonlyMap<string, string>;
  /** Rows to show even with nothing planned or logged (a ticket the user is about to log on). */
  extraTickets?: readonly string[];
  /** Days after this one (YYYY-MM-DD) cannot take hours yet. */
  lastLoggable?: string | null;
}

const dayName = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const byTicket = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

export function weekDays(startDate: string | null | undefined, week: number, lastLoggable?: string | null): TimesheetDay[] {
  const monday = weekStart(startDate, week);
  if (!monday) return [{ date: null, label: `Week ${week}`, future: false }];
  return Array.from({ length: 7 }, (_, i) => {
    const d = new Date(monday.getTime() + i * 86_400_000);
    const date = d.toISOString().slice(0, 10);
    return { date, label: dayName.format(d).replace(',', ''), future: !!lastLoggable && date > lastLoggable };
  });
}

export function timesheet(input: TimesheetInput): Timesheet {
  const { week } = input;
  const days = weekDays(input.quarter.startDate, week, input.lastLoggable);
  const planned = new Map<string, number>();
  for (const a of input.allocations) if (a.week === week) planned.set(a.ticket, tidy((planned.get(a.ticket) ?? 0) + a.hours));
  const entries = input.entries.filter((e) => e.week === week);
  const tickets = new Set<string>([...planned.keys(), ...entries.map((e) => e.ticket), ...(input.extraTickets ?? [])]);
  const dayIndex = (e: TimeEntryRecord) => {
    if (days.length === 1) return 0;
    const i = days.findIndex((d) => d.date === e.date);
    return i < 0 ? 0 : i;
  };
  const rows: TimesheetRow[] = [...tickets].sort(byTicket).map((ticket) => {
    const cells: TimesheetCell[] = days.map((d) => ({ date: d.date, entries: [], hours: 0 }));
    for (const e of entries) {
      if (e.ticket !== ticket) continue;
      const c = cells[dayIndex(e)]!;
      c.entries.push(e);
      c.hours = tidy(c.hours + e.hours);
    }
    for (const c of cells) c.entries.sort((a, b) => a.id - b.id);
    return { ticket, title: input.titles?.get(ticket) ?? '', planned: planned.get(ticket) ?? 0, logged: tidy(cells.reduce((t, c) => t + c.hours, 0)), cells };
  });
  const dayTotals = days.map((_, i) => tidy(rows.reduce((t, r) => t + r.cells[i]!.hours, 0)));
  return {
    week,
    days,
    rows,
    dayTotals,
    planned: tidy(rows.reduce((t, r) => t + r.planned, 0)),
    logged: tidy(rows.reduce((t, r) => t + r.logged, 0)),
  };
}

/** The weeks a timesheet can show: those hours can be logged in (0 … the current week). */
export function loggableWeeks(currentWeek: number): number[] {
  return Array.from({ length: currentWeek + 1 }, (_, w) => w);
}

/**
 * What a cell's form sends: a new entry when there is none, a PATCH of the changed one, a
 * DELETE when its hours are cleared to 0. Hours must be quarter hours (the server checks too).
 */
export type CellChange =
  | { kind: 'create'; hours: number; note?: string }
  | { kind: 'update'; id: number; version: number; hours: number; note?: string }
  | { kind: 'delete'; id: number; version: number }
  | { kind: 'none' };

export function hoursIssue(hours: number | null | undefined, allowZero: boolean): string | null {
  if (hours === null || hours === undefined || Number.isNaN(hours)) return 'Enter the hours, in quarter hours (e.g. 1.5).';
  if (hours < 0 || (!allowZero && hours === 0)) return allowZero ? 'Hours cannot be negative: enter 0 to remove the entry.' : 'Enter more than 0 hours.';
  if (Math.abs(hours * 4 - Math.round(hours * 4)) > 1e-9) return 'Use quarter hours (0.25, 0.5, 0.75).';
  if (hours > 24) return 'At most 24 hours in a day.';
  return null;
}

export function entryChange(entry: Pick<TimeEntryRecord, 'id' | 'version' | 'hours' | 'note'> | null, hours: number, note: string): CellChange {
  const n = note.trim();
  if (!entry) return hours > 0 ? { kind: 'create', hours, ...(n ? { note: n } : {}) } : { kind: 'none' };
  if (hours === 0) return { kind: 'delete', id: entry.id, version: entry.version };
  if (hours === entry.hours && n === (entry.note ?? '')) return { kind: 'none' };
  return { kind: 'update', id: entry.id, version: entry.version, hours, ...(n !== (entry.note ?? '') ? { note: n } : {}) };
}
