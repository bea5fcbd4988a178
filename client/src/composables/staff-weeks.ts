/** A staff member's weeks: allocations grouped by ticket and client, this week first. */
import type { PlanView, TimeEntryRecord } from '../../../shared/api/index.ts';
import { tidy } from './chart-spec.ts';
import { weekDate } from './format.ts';
import { rowPinnedHours } from './pin-data.ts';

export interface StaffWeekItem {
  ticket: string;
  title: string;
  client: string;
  clientName: string;
  hours: number;
  /** Of `hours`, those a manager pinned. */
  pinnedHours: number;
  levels: number[];
}

export interface StaffWeek {
  week: number;
  date: string;
  isCurrent: boolean;
  capacity: number;
  leave: number;
  allocated: number;
  items: StaffWeekItem[];
}

/** What a staff member's plan carries: their own rows and weeks, and of each client only its name. */
export type StaffPlanView = Pick<PlanView, 'quarter' | 'allocations' | 'staff'> & { clients: Pick<PlanView['clients'][number], 'id' | 'name'>[] };

export function staffWeeks(plan: StaffPlanView, staffId: string, titles: Map<string, string> = new Map()): StaffWeek[] {
  const me = plan.staff?.find((s) => s.id === staffId);
  const clientNames = new Map(plan.clients.map((c) => [c.id, c.name]));
  const out: StaffWeek[] = [];
  for (let w = plan.quarter.currentWeek; w < plan.quarter.weeks; w++) {
    const items = new Map<string, StaffWeekItem>();
    for (const a of plan.allocations) {
      if (a.week !== w || (a.staff !== undefined && a.staff !== staffId)) continue;
      const item = items.get(a.ticket) ?? { ticket: a.ticket, title: titles.get(a.ticket) ?? '', client: a.client, clientName: clientNames.get(a.client) ?? a.client, hours: 0, pinnedHours: 0, levels: [] };
      item.hours = tidy(item.hours + a.hours);
      item.pinnedHours = tidy(item.pinnedHours + rowPinnedHours(a));
      if (!item.levels.includes(a.level)) item.levels.push(a.level);
      items.set(a.ticket, item);
    }
    const list = [...items.values()].sort((a, b) => b.hours - a.hours || a.ticket.localeCompare(b.ticket));
    out.push({
      week: w,
      date: weekDate(plan.quarter.startDate, w),
      isCurrent: w === plan.quarter.currentWeek,
      capacity: tidy(me?.capacity[w] ?? 0),
      leave: tidy(me?.leave?.[w] ?? 0),
      allocated: tidy(me?.allocated[w] ?? list.reduce((t, i) => t + i.hours, 0)),
      items: list.map((i) => ({ ...i, levels: i.levels.sort() })),
    });
  }
  return out;
}

/**
 * The latest entries first: by date, then by week (entries of a quarter without a start date
 * have no date, only a week), then the last logged first.
 */
export function recentEntries(entries: readonly TimeEntryRecord[], count = 8): TimeEntryRecord[] {
  return [...entries].sort((a, b) => b.week - a.week || (b.date ?? '').localeCompare(a.date ?? '') || b.id - a.id).slice(0, count);
}
