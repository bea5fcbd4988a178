/** Number, week and date wording shared by every view (hours and weeks: shared/week-format.ts, also the server's). */
import { fmtHours, weekDate, weekStart } from '../../../shared/week-format.ts';

export { fmtHours, hoursText, signed, weekDate, weekLong, weekStart } from '../../../shared/week-format.ts';

/** Short axis label: "W8". */
export function weekShort(w: number): string {
  return `W${w}`;
}

const ordinal = new Intl.PluralRules('en-GB', { type: 'ordinal' });
const SUFFIX: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

/** 10 → "10th", 1 → "1st", 22 → "22nd". */
export function nth(n: number): string {
  return `${n}${SUFFIX[ordinal.select(n)] ?? 'th'}`;
}

/**
 * Where the quarter is, without the week index that counts from 0 ("week 9 of 12" read as nine
 * weeks out of twelve): "week of 30 Nov, the 10th of 13", or "the 10th week of 13" without dates.
 */
export function quarterPosition(q: { currentWeek: number; weeks: number; startDate?: string | null }): string {
  const d = weekDate(q.startDate, q.currentWeek);
  return d ? `week of ${d}, the ${nth(q.currentWeek + 1)} of ${q.weeks}` : `the ${nth(q.currentWeek + 1)} week of ${q.weeks}`;
}

/** A ticket's priority as the queue shows it: an emergency is "Emergency", whatever it was filed as. */
export function priorityText(t: { priority?: number | null; emergency?: boolean }): string {
  if (t.emergency) return 'Emergency';
  return t.priority ? `${t.priority} · ${PRIORITY_LABEL[t.priority]}` : '–';
}

/** [8, 9, 10, 12] → "8–10, 12" */
export function weekRanges(weeks: number[]): string {
  const sorted = [...new Set(weeks)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** The last day of week w (its Sunday) as YYYY-MM-DD. */
export function weekEndIso(startDate: string | null | undefined, w: number): string | null {
  const d = weekStart(startDate, w);
  return d ? new Date(d.getTime() + 6 * 86_400_000).toISOString().slice(0, 10) : null;
}

/** Today as YYYY-MM-DD in local time, for date inputs. */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const PRIORITY_LABEL: Record<number, string> = { 1: 'Urgent', 2: 'High', 3: 'Normal', 4: 'Low' };

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtHours(n)} ${Math.abs(n) === 1 ? one : many}`;
}
