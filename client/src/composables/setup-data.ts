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

/** What the first-run checklist knows of the company. */
export interface SetupState {
  quarter: { id: string } | null;
  activeStaff: number;
  clients: number;
  /** Prepaid clients with no block in the quarter. */
  prepaidWithoutBlocks: string[];
  prepaid: number;
  openTickets: number;
  users: number;
  planVersion: number | null;
}

export interface SetupStep {
  key: 'quarter' | 'staff' | 'clients' | 'blocks' | 'tickets' | 'users';
  title: string;
  done: boolean;
  /** Needed before the first plan means anything. */
  required: boolean;
  detail: string;
  to?: string;
}

/** The checklist, in the order a new company goes through it. */
export function setupSteps(s: SetupState): SetupStep[] {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  return [
    { key: 'quarter', title: 'Start the quarter', done: Boolean(s.quarter), required: true, detail: s.quarter ? `Quarter ${s.quarter.id} is open.` : 'Name the quarter and the Monday it starts.' },
    { key: 'staff', title: 'Add your staff', done: s.activeStaff > 0, required: true, detail: s.activeStaff ? `${n(s.activeStaff, 'person', 'people')} with weekly hours.` : 'The people who do client work, with their weekly hours and skills.', to: '/manager/staff' },
    { key: 'clients', title: 'Add your clients', done: s.clients > 0, required: true, detail: s.clients ? `${n(s.clients, 'client')}.` : 'Each client with its plan type: prepaid or pay-as-you-go.', to: '/manager/clients' },
    {
      key: 'blocks',
      title: 'Record their blocks',
      done: s.prepaid > 0 && s.prepaidWithoutBlocks.length === 0,
      required: false,
      detail: !s.prepaid ? 'No prepaid clients yet: they buy blocks of hours.' : s.prepaidWithoutBlocks.length ? `Still without a block: ${s.prepaidWithoutBlocks.join(', ')}.` : 'Every prepaid client has a block.',
      to: '/manager/clients',
    },
    { key: 'tickets', title: 'Import tickets', done: s.openTickets > 0, required: true, detail: s.openTickets ? `${n(s.openTickets, 'open ticket')}.` : 'Upload a CSV of open tickets (columns id, client, title, priority, estimateHours, openedWeek, …).' },
    { key: 'users', title: 'Invite your users', done: s.users > 1, required: false, detail: s.users > 1 ? `${n(s.users, 'user')} can sign in.` : 'Staff and client users, each with a one-time link that sets their password.', to: '/manager/users' },
  ];
}

/** What is still missing for a first plan, as one sentence; null when nothing is. */
export function missingForFirstPlan(steps: SetupStep[], planVersion: number | null): string | null {
  const missing = steps.filter((s) => s.required && !s.done).map((s) => s.title.toLowerCase());
  if (!missing.length) return planVersion === null ? 'Everything is in: the first plan is being made.' : null;
  return `Still missing for a first plan: ${missing.join(', ')}.`;
}
