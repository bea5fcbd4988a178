/**
 * Holiday and absence calendars as the pages show them: each week's dates off and the hours each
 * person loses, in words; and, for the heatmap, what each person-week's imported leave is called.
 */
import type { LeaveCalendarRecord, LeaveCalendarWeek, LeaveDayRecord } from '../../../shared/api/index.ts';
import { fmtHours } from './format.ts';
import { cellKey } from './pin-data.ts';

const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const WEEKEND = new Set([0, 6]);

/** "Wed 7 Oct: Harvest day", "Sat 10 Oct: Fair (weekend: nothing off)", "Tue 20 Oct: Late call (29 min)". */
export function dayText(d: LeaveDayRecord): string {
  const at = new Date(`${d.date}T00:00:00Z`);
  const part = d.minutes === null ? '' : ` (${d.minutes >= 60 ? `${fmtHours(Math.round((d.minutes / 60) * 100) / 100)} h` : `${d.minutes} min`})`;
  const weekend = WEEKEND.has(at.getUTCDay()) ? ' (weekend: nothing off)' : '';
  return `${DAY.format(at)}: ${d.summary}${part}${weekend}`;
}

/** "6.5 h Ana, 8 h Bo", or "8 h each" when everyone loses the same. */
export function weekHoursText(week: LeaveCalendarWeek, names: ReadonlyMap<string, string>): string {
  const entries = Object.entries(week.hours);
  if (entries.length === 0) return 'nothing';
  const values = new Set(entries.map(([, h]) => h));
  if (entries.length > 1 && values.size === 1) return `${fmtHours(entries[0]![1])} h each`;
  return entries.map(([id, h]) => `${fmtHours(h)} h ${names.get(id) ?? id}`).join(', ');
}

/** Person-week → the names of the calendars' days in it, for the heatmap's tooltips. */
export function leaveNotes(calendars: readonly LeaveCalendarRecord[]): Map<string, string> {
  const notes = new Map<string, Set<string>>();
  for (const c of calendars) {
    for (const w of c.weeks) {
      const names = w.days.filter((d) => !WEEKEND.has(new Date(`${d.date}T00:00:00Z`).getUTCDay())).map((d) => d.summary);
      for (const person of Object.keys(w.hours)) {
        const key = cellKey(person, w.week);
        const set = notes.get(key) ?? new Set<string>();
        for (const n of names) set.add(n);
        notes.set(key, set);
      }
    }
  }
  return new Map([...notes].map(([k, v]) => [k, [...v].join(', ')]));
}
