/** Pure shaping for the manager's setup screens: the leave calendar and skill suggestions. */
import { weekDate } from './format.ts';

export interface QuarterWeeks {
  id: string;
  weeks: number;
  currentWeek: number;
  startDate?: string | null;
}

export interface LeaveCell {
  week: number;
  /** "Week 4 · 26 Oct" */
  label: string;
  hours: number;
  /** Before the current week: history, shown but not edited. */
  past: boolean;
  current: boolean;
  /**
   * Leave at or above the weekly hours: the person has no capacity that week (never below 0,
   * DOMAIN.md). Still accepted, since holidays add to leave.
   */
  fullyAway: boolean;
}

/** Every week of the quarter with its leave; `edits` (week → hours typed) override what is saved. */
export function leaveCalendar(q: QuarterWeeks, leave: Record<string, number>, weeklyHours: number, edits: Record<number, number | null> = {}): LeaveCell[] {
  return Array.from({ length: q.weeks }, (_, week) => {
    const edited = edits[week];
    const hours = edited === undefined || edited === null || Number.isNaN(edited) ? (leave[String(week)] ?? 0) : edited;
    const date = weekDate(q.startDate, week);
    return {
      week,
      label: `Week ${week}${date ? ` · ${date}` : ''}`,
      hours,
      past: week < q.currentWeek,
      current: week === q.currentWeek,
      fullyAway: hours > 0 && hours >= weeklyHours,
    };
  });
}

/** The weeks whose typed hours differ from what is saved, to send one by one. */
export function leaveChanges(leave: Record<string, number>, edits: Record<number, number | null>): { week: number; hours: number }[] {
  return Object.entries(edits)
    .map(([w, h]) => ({ week: Number(w), hours: h === null || Number.isNaN(h) ? 0 : h }))
    .filter((c) => c.hours !== (leave[String(c.week)] ?? 0))
    .sort((a, b) => a.week - b.week);
}

/** The sentence shown where leave is entered when it covers the whole week. */
export function fullyAwayNote(cells: LeaveCell[], weeklyHours: number): string | null {
  const away = cells.filter((c) => c.fullyAway).map((c) => c.week);
  if (!away.length) return null;
  const which = away.length === 1 ? `week ${away[0]}` : `weeks ${away.join(', ')}`;
  return `Leave covers the whole ${weeklyHours} h week in ${which}: the plan counts this person as fully away there (capacity never goes below 0).`;
}

/** Skills in use that are not chosen yet and match what is typed (case-insensitive), most used first. */
export function skillSuggestions(inUse: { skill: string; staff: number; openTickets: number }[], chosen: string[], typed: string, max = 8): string[] {
  const t = typed.trim().toLowerCase();
  const taken = new Set(chosen.map((s) => s.toLowerCase()));
  return inUse
    .filter((s) => !taken.has(s.skill.toLowerCase()) && (!t || s.skill.toLowerCase().includes(t)))
    .sort((a, b) => b.staff + b.openTickets - (a.staff + a.openTickets) || a.skill.localeCompare(b.skill))
    .slice(0, max)
    .map((s) => s.skill);
}

/** Adds a typed skill (trimmed, once, ignoring case); returns the new list. */
export function addSkill(chosen: string[], typed: string): string[] {
  const s = typed.trim();
  if (!s || chosen.some((c) => c.toLowerCase() === s.toLowerCase())) return chosen;
  return [...chosen, s];
}

/** A record id from a name: "Ana Lima" → "ana-lima" (the form fills it in until the user types one). */
export function slugId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** A typed number field's value: null when empty or not a number. */
export const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && !Number.isNaN(v) ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);
