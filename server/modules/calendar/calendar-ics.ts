/**
 * The feeds' contents, from the plan in force of the current quarter, read afresh at every GET
 * (so a re-plan shows at the calendar's next refresh). Every week is one all-day event from its
 * Monday (the quarter's start date + 7 days a week) to its Sunday.
 * - A staff member's feed: each week they have planned hours or leave, summing the hours, with a
 *   line per ticket (id, title, the client's name, hours). Only their own rows, and of a client
 *   only its name (plan-view.ts's staff cut: DOMAIN.md "Who uses it").
 * - A manager's team feed: each person's leave per week (the holiday and absence calendars'
 *   hours included), and each emergency with its planned week(s), hours and who does them.
 * Event ids are stable (quarter, week, person or ticket), so a calendar updates an event in place.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import icalGenerator, { ICalEventTransparency, type ICalEventData } from 'ical-generator';
import type { Allocation, Plan } from '../../../solver/index.ts';
import { Leave, Staff, Ticket, type Quarter } from '../../db/entities.ts';
import { currentPlan, resolveQuarter } from '../../planning/plan-store.ts';
import { staffClient } from '../plans/plan-view.ts';
import { importedLeave, leaveWeeks } from '../leave-calendars/imported-leave.ts';
import { chunks } from '../resource-helpers.ts';
import { addDays } from '../time-entries/entry-week.ts';
import type { FeedOwner } from './calendar-feeds.ts';

const PROD_ID = { company: 'Hourglass', product: 'Hourglass', language: 'EN' };
const DOMAIN = 'hourglass';

/** Hours as the dashboard shows them: quarter hours, no float dust. */
const h = (x: number) => `${Math.round(x * 4) / 4} h`;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const day = (date: string) => new Date(`${date}T00:00:00Z`);

interface Week {
  index: number;
  /** Monday, and the Monday after (an all-day event's end is exclusive). */
  start: Date;
  end: Date;
  label: string;
}

function weekOf(q: Quarter, index: number): Week | null {
  if (!q.startDate) return null;
  const monday = addDays(q.startDate, index * 7);
  return { index, start: day(monday), end: day(addDays(monday, 7)), label: `week ${index} (${monday} to ${addDays(monday, 6)})` };
}

async function ticketsById(em: EntityManager, ids: string[]): Promise<Map<string, Ticket>> {
  const out = new Map<string, Ticket>();
  for (const part of chunks(ids)) for (const t of await em.find(Ticket, { id: { $in: part } })) out.set(t.id, t);
  return out;
}

export interface Feed {
  ics: string;
  /** The plan version it was made from (null without one). */
  version: number | null;
}

/** The feed of a token's owner as they are now: a staff member's weeks, a manager's team. */
export async function feedFor(em: EntityManager, owner: FeedOwner): Promise<Feed> {
  const quarter = await resolveQuarter(em);
  const stored = quarter ? await currentPlan(em, quarter) : null;
  const team = owner.role === 'manager';
  const cal = icalGenerator({
    prodId: PROD_ID,
    name: team ? 'Hourglass: team leave and emergencies' : 'Hourglass: my planned weeks',
    description: quarter
      ? `Quarter ${quarter.id}${quarter.startDate ? '' : ': no start date yet, so no weeks to show'}${stored ? '' : ': not planned yet'}`
      : 'No quarter yet',
    ttl: 3600,
  });
  if (quarter && stored && quarter.startDate) {
    const stamp = stored.createdAt;
    const events = team ? await teamEvents(em, quarter, stored.plan) : await staffEvents(em, quarter, stored.plan, owner.staffId);
    // Information, not appointments: the events do not make anyone busy.
    for (const e of events) cal.createEvent({ ...e, allDay: true, stamp, transparency: ICalEventTransparency.TRANSPARENT });
  }
  return { ics: cal.toString(), version: stored?.version ?? null };
}

type EventData = Omit<ICalEventData, 'allDay' | 'stamp'> & { id: string; start: Date; end: Date };

/** One event per week with the staff member's planned hours (or leave): their own rows only. */
async function staffEvents(em: EntityManager, q: Quarter, plan: Plan, staffId: string | null): Promise<EventData[]> {
  if (!staffId) return [];
  const own = plan.allocations.filter((a) => a.staff === staffId);
  const me = plan.staff.find((s) => s.id === staffId);
  const clients = new Map(plan.clients.filter((c) => own.some((a) => a.client === c.id)).map((c) => [c.id, staffClient(c).name]));
  const tickets = await ticketsById(em, [...new Set(own.map((a) => a.ticket))]);
  const events: EventData[] = [];
  for (let index = 0; index < q.weeks; index++) {
    const week = weekOf(q, index);
    const rows = own.filter((a) => a.week === index);
    const leave = me?.leave[index] ?? 0;
    if (!week || (rows.length === 0 && leave <= 0)) continue;
    const total = sum(rows.map((a) => a.hours));
    const lines = byTicket(rows).map(([ticket, hours]) => {
      const t = tickets.get(ticket);
      const client = clients.get(t?.clientId ?? rows.find((a) => a.ticket === ticket)!.client);
      return `${ticket} ${t?.title ?? ''} (${client ?? 'client'}): ${h(hours)}`.replace(/ {2,}/g, ' ');
    });
    events.push({
      id: `${q.id}-w${index}-staff-${staffId}@${DOMAIN}`,
      start: week.start,
      end: week.end,
      summary: total > 0 ? `${h(total)} planned${leave > 0 ? `, ${h(leave)} leave` : ''}` : `${h(leave)} leave`,
      description: [`Quarter ${q.id}, ${week.label}: ${h(total)} planned for you.`, ...lines, ...(leave > 0 ? [`Leave: ${h(leave)}.`] : [])].join('\n'),
    });
  }
  return events;
}

/** A week's rows summed per ticket, most hours first (then by id). */
function byTicket(rows: readonly Allocation[]): [string, number][] {
  const hours = new Map<string, number>();
  for (const a of rows) hours.set(a.ticket, (hours.get(a.ticket) ?? 0) + a.hours);
  return [...hours].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Each person's leave per week: the manual hours and the holiday and absence calendars' (capped at the week). */
async function teamLeave(em: EntityManager, q: Quarter, people: Staff[]): Promise<{ staffId: string; week: number; hours: number }[]> {
  const manual = await em.find(Leave, { quarterId: q.id, hours: { $gt: 0 } });
  const imported = await importedLeave(em, q, people.filter((p) => p.active));
  const weekly = new Map(people.map((p) => [p.id, p.weeklyHours]));
  const own = new Map<string, Map<number, number>>();
  for (const l of manual) own.set(l.staffId, (own.get(l.staffId) ?? new Map<number, number>()).set(l.week, l.hours));
  const rows = [...new Set([...own.keys(), ...imported.keys()])].flatMap((staffId) =>
    [...leaveWeeks(weekly.get(staffId) ?? 0, own.get(staffId) ?? new Map<number, number>(), imported.get(staffId))].map(([week, hours]) => ({ staffId, week, hours })),
  );
  return rows.sort((a, b) => a.week - b.week || (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
}

/** A manager's team feed: leave per person per week, and each emergency over its planned weeks. */
async function teamEvents(em: EntityManager, q: Quarter, plan: Plan): Promise<EventData[]> {
  const people = await em.find(Staff, {});
  const staff = new Map(people.map((s) => [s.id, s.name]));
  const events: EventData[] = [];
  const leave = await teamLeave(em, q, people);
  for (const l of leave) {
    const week = weekOf(q, l.week);
    if (!week) continue;
    const name = staff.get(l.staffId) ?? l.staffId;
    events.push({
      id: `${q.id}-w${l.week}-leave-${l.staffId}@${DOMAIN}`,
      start: week.start,
      end: week.end,
      summary: `${name}: ${h(l.hours)} leave`,
      description: `Quarter ${q.id}, ${week.label}: ${name} (${l.staffId}) is on leave ${h(l.hours)}.`,
    });
  }
  const emergencies = await em.find(Ticket, { quarterId: q.id, emergency: true }, { orderBy: { id: 'asc' } });
  const clients = new Map(plan.clients.map((c) => [c.id, c.name]));
  for (const t of emergencies) {
    const rows = plan.allocations.filter((a) => a.ticket === t.id);
    const weeks = [...new Set(rows.map((a) => a.week))].sort((a, b) => a - b);
    const first = weekOf(q, weeks[0] ?? t.openedWeek);
    const last = weekOf(q, weeks.at(-1) ?? t.openedWeek);
    if (!first || !last) continue;
    const client = clients.get(t.clientId) ?? t.clientId;
    const lines = weeks.map((w) => {
      const inWeek = rows.filter((a) => a.week === w);
      const who = [...new Set(inWeek.map((a) => staff.get(a.staff) ?? a.staff))].join(', ');
      return `${weekOf(q, w)!.label}: ${h(sum(inWeek.map((a) => a.hours)))} by ${who}`;
    });
    const state = t.status === 'closed' ? ' (closed)' : '';
    events.push({
      id: `${q.id}-emergency-${t.id}@${DOMAIN}`,
      start: first.start,
      end: last.end,
      summary: `Emergency ${t.id}${state}: ${t.title} (${client})`,
      description: [
        `Emergency ${t.id}${state} for ${client}, opened in week ${t.openedWeek}: ${t.title}.`,
        ...(lines.length > 0 ? [`Planned ${h(sum(rows.map((a) => a.hours)))}:`, ...lines] : [t.status === 'closed' ? 'Closed.' : 'Not planned: no hours left in the plan.']),
      ].join('\n'),
    });
  }
  return events;
}
