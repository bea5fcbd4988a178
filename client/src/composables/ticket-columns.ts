/**
 * The ticket queue's columns: which sort by what (the server's `sort`, shared/api/plans.ts), the
 * header's next order on a click (ascending, descending, then the queue's own order again), its
 * aria-sort, the overdue mark, and the weeks a due week may be set to.
 */
import type { PlanView, QueueSort, SortDir } from '../../../shared/api/index.ts';
import { weekDate } from './format.ts';

export interface SortState {
  /** '' is the queue's own order (emergencies, open, priority, unplanned, id). */
  sort: QueueSort | '';
  dir: SortDir;
}

/** A click on a column's header: ascending, then descending, then the queue's order. */
export function nextSort(cur: SortState, column: QueueSort): SortState {
  if (cur.sort !== column) return { sort: column, dir: 'asc' };
  if (cur.dir === 'asc') return { sort: column, dir: 'desc' };
  return { sort: '', dir: 'asc' };
}

export function ariaSort(cur: SortState, column: QueueSort): 'ascending' | 'descending' | 'none' {
  return cur.sort === column ? (cur.dir === 'asc' ? 'ascending' : 'descending') : 'none';
}

/** What a header's button says it does next, for screen readers and the tooltip. */
export function sortHint(cur: SortState, column: QueueSort, label: string): string {
  const next = nextSort(cur, column);
  return next.sort === '' ? `${label}: back to the queue's order` : `Sort by ${label.toLowerCase()}, ${next.dir === 'asc' ? 'ascending' : 'descending'}`;
}

/** Open, with a due week already past: overdue. */
export function isOverdue(t: { status: 'open' | 'closed'; dueWeek: number | null }, currentWeek: number): boolean {
  return t.status === 'open' && t.dueWeek !== null && t.dueWeek < currentWeek;
}

export interface WeekOption {
  value: number;
  label: string;
  past: boolean;
}

/**
 * The weeks a form offers (a due week, a pin's week): the current one to the quarter's end, with
 * its date where the quarter has one. A past week the record already has stays offered first,
 * "(past)", so editing it shows that week instead of a blank.
 */
export function weekOptions(quarter: Pick<PlanView['quarter'], 'weeks' | 'currentWeek' | 'startDate'>, keep: number | null = null): WeekOption[] {
  const label = (w: number) => `Week ${w}${quarter.startDate ? ` · ${weekDate(quarter.startDate, w)}` : ''}`;
  const out: WeekOption[] = [];
  if (keep !== null && keep >= 0 && keep < quarter.currentWeek) out.push({ value: keep, label: `${label(keep)} (past)`, past: true });
  for (let w = quarter.currentWeek; w < quarter.weeks; w++) out.push({ value: w, label: label(w), past: false });
  return out;
}
