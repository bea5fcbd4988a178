/**
 * A plan cut down to what its viewer may see, field by field from plan-fields.ts. The same cut
 * serves the API and the socket stream:
 * - managers see everything;
 * - staff see their own allocations, the tickets behind them and the team's weekly totals, and
 *   of the clients they work for only the names;
 * - a client sees its own figures, its tickets and its allocations' weeks and hours, and nothing
 *   of any other client: not a name, not an hour. Explanations are re-worded to name nobody.
 */
import { describeTakenBy, type Allocation, type ClientPlan, type Plan, type TicketPlan, type Unplanned } from '../../../solver/index.ts';
import type { PlanView as PlanViewShape } from '../../../shared/api/plans.ts';
import { cut, type Audience } from '../../auth/views.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { ALLOCATION_FIELDS, CLIENT_PLAN_FIELDS, PLAN_FIELDS, QUARTER_FIELDS, STAFF_PLAN_FIELDS, STATS_FIELDS, TICKET_PLAN_FIELDS, UNPLANNED_FIELDS, WEEK_FIELDS } from './plan-fields.ts';

export type PlanView = { version: number; quarter: Plan['quarter']; createdAt?: string } & Record<string, unknown>;

type PlanViewAllocation = PlanViewShape['allocations'][number];
type PlanViewTicket = PlanViewShape['tickets'][number];
type PlanViewUnplanned = PlanViewShape['unplanned'][number];

type Reworded<L> = { [K in keyof L as L[K] extends 'reword' ? K : never]: unknown };

export function viewPlan(plan: Plan, version: number, viewer: Viewer, createdAt?: Date): PlanView {
  const meta = { version, ...(createdAt ? { createdAt: createdAt.toISOString() } : {}) };
  if (viewer.role === 'manager') return { ...meta, ...cut(plan, PLAN_FIELDS.manager) };
  if (viewer.role === 'staff') return staffView(plan, viewer.staffId, meta);
  return clientView(plan, viewer.clientId, meta);
}

function staffView(plan: Plan, staffId: string | null, meta: { version: number }): PlanView {
  const allocations = plan.allocations.filter((a) => a.staff === staffId);
  const ticketIds = new Set(allocations.map((a) => a.ticket));
  const clientIds = new Set(allocations.map((a) => a.client));
  const reworded = {
    quarter: cut(plan.quarter, QUARTER_FIELDS),
    allocations: allocations.map((a) => cutAllocation(a, 'staff')),
    tickets: plan.tickets.filter((t) => ticketIds.has(t.id)).map((t) => cutTicket(t, 'staff')),
    clients: plan.clients.filter((c) => clientIds.has(c.id)).map((c) => staffClient(c)),
    staff: plan.staff.filter((s) => s.id === staffId).map((s) => cut(s, STAFF_PLAN_FIELDS)),
    weeks: plan.weeks.map((w) => cut(w, WEEK_FIELDS)),
    unplanned: plan.unplanned.filter((u) => ticketIds.has(u.ticket)).map((u) => cutUnplanned(u, 'staff', null)),
    stats: cut(plan.stats, STATS_FIELDS),
  } satisfies Reworded<typeof PLAN_FIELDS.staff>;
  return { ...meta, ...cut(plan, PLAN_FIELDS.staff), ...reworded };
}

function clientView(plan: Plan, clientId: string | null, meta: { version: number }): PlanView {
  const own = plan.clients.find((c) => c.id === clientId);
  const tickets = plan.tickets.filter((t) => t.client === clientId);
  const unplanned = plan.unplanned.filter((u) => u.client === clientId);
  const reworded = {
    quarter: cut(plan.quarter, QUARTER_FIELDS),
    // Weeks and hours only: who does the work is the company's business.
    allocations: plan.allocations.filter((a) => a.client === clientId).map((a) => cutAllocation(a, 'client')),
    tickets: tickets.map((t) => cutTicket(t, 'client')),
    clients: own ? [ownFigures(own, ownLookups(tickets, unplanned, plan.allocations, plan.quarter.currentWeek))] : [],
    unplanned: unplanned.map((u) => cutUnplanned(u, 'client', clientId)),
    stats: cut(plan.stats, STATS_FIELDS),
  } satisfies Reworded<typeof PLAN_FIELDS.client>;
  return { ...meta, ...cut(plan, PLAN_FIELDS.client), ...reworded };
}

// One record at a time, as each audience gets it: the whole plan above and its pages and views
// (plan-pages.ts) cut with these, so both always agree.

type Cutting = 'staff' | 'client';

/** An allocation row: managers get the plan's row itself. */
export const cutAllocation = (a: Allocation, audience: Audience): PlanViewAllocation => (audience === 'manager' ? a : cut(a, ALLOCATION_FIELDS[audience as Cutting]));

export const cutTicket = (t: TicketPlan, audience: Audience): PlanViewTicket => (audience === 'manager' ? t : cut(t, TICKET_PLAN_FIELDS[audience as Cutting]));

/** An unplanned entry; a client's reason is re-worded to name nobody else. */
export function cutUnplanned(u: Unplanned, audience: Audience, clientId: string | null): PlanViewUnplanned {
  if (audience === 'manager') return u;
  if (audience === 'staff') return cut(u, UNPLANNED_FIELDS.staff);
  return { ...cut(u, UNPLANNED_FIELDS.client), reason: clientReason(u, clientId) };
}

/** What staff see of a client they work for: its name. */
export const staffClient = (c: ClientPlan): Pick<ClientPlan, 'id' | 'name'> => cut(c, CLIENT_PLAN_FIELDS.staff);

/** What ownFigures looks up of the client's own tickets. */
export interface OwnLookups {
  isOwnTicket(ticketId: string): boolean;
  unplannedOf(ticketId: string): Unplanned | undefined;
  /** The current week and the hours the plan allocates the client in it (loggedThisWeek). */
  currentWeek: number;
  allocatedThisWeek: number;
}

export function ownLookups(tickets: readonly TicketPlan[], unplanned: readonly Unplanned[], allocations: readonly Allocation[], currentWeek: number): OwnLookups {
  const ids = new Set(tickets.map((t) => t.id));
  const byTicket = new Map(unplanned.map((u) => [u.ticket, u]));
  const client = tickets[0]?.client;
  return { isOwnTicket: (id) => ids.has(id), unplannedOf: (id) => byTicket.get(id), currentWeek, allocatedThisWeek: allocatedIn(allocations, client, currentWeek) };
}

/** Hours the plan allocates a client in one week (its rows; logged hours have none). */
export function allocatedIn(allocations: readonly Pick<Allocation, 'client' | 'week' | 'hours'>[], clientId: string | undefined, week: number): number {
  let sum = 0;
  for (const a of allocations) if (a.client === clientId && a.week === week) sum += a.hours;
  return sum;
}

/**
 * Hours logged on the client's tickets this week. The plan counts them as delivered this week
 * (DOMAIN.md "Time"), in `delivered[currentWeek]`, but they have no allocation rows (they come
 * off capacity before the week is shared out): the difference is what was logged.
 */
export function loggedThisWeek(c: Pick<ClientPlan, 'delivered'>, currentWeek: number, allocatedThisWeek: number): number {
  const delivered = c.delivered[currentWeek] ?? 0;
  return Math.max(0, Math.round((delivered - allocatedThisWeek) * 4) / 4);
}

/** What a client sees of its own figures: CLIENT_PLAN_FIELDS.client, re-worded to name nobody else. */
export function ownFigures(c: ClientPlan, own: OwnLookups): ClientPlan {
  const reworded: Pick<ClientPlan, keyof Reworded<typeof CLIENT_PLAN_FIELDS.client>> = {
    shortfallWeeks: c.shortfallWeeks.map((w) => ({
      week: w.week,
      hours: w.hours,
      reason: w.takenBy.length > 0 ? `capacity went to ${describeTakenBy(w.takenBy, null, c.id, w.takenByRest)}` : w.reason,
      takenBy: [],
    })),
    // Which of its own tickets are left unplanned and why, in the words of its unplanned list.
    advice: {
      cause: c.advice.cause,
      tickets: c.advice.tickets
        .filter((t) => own.isOwnTicket(t.ticket))
        .map((t) => ({ ticket: t.ticket, hours: t.hours, code: t.code, reason: clientReason(own.unplannedOf(t.ticket) ?? { ...t, client: c.id }, c.id) })),
    },
  };
  // "Used" counts this week's logged hours at once, as the staff page does, and "Planned"
  // (from this week on) no longer counts them, so the two still add up to the plan's total.
  const logged = loggedThisWeek(c, own.currentWeek, own.allocatedThisWeek);
  const figures = cut(c, CLIENT_PLAN_FIELDS.client);
  if (logged > 0) Object.assign(figures, { usedHours: tidyHours(c.usedHours + logged), plannedHours: tidyHours(Math.max(0, c.plannedHours - logged)) });
  return { ...figures, ...reworded };
}

const tidyHours = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Why a client's ticket is left unplanned, naming nobody else: capacity that went elsewhere is
 * told by kind ("emergencies", "other clients' locked-in rates"); the other reasons name only a
 * skill, weeks or the client's own work.
 */
export function clientReason(u: Pick<Unplanned, 'code' | 'reason' | 'weeks' | 'takenBy' | 'takenByRest'>, clientId: string | null): string {
  if (u.code !== 'capacity') return u.reason;
  return u.takenBy?.length ? `no capacity left in ${when(u.weeks)}: it went to ${describeTakenBy(u.takenBy, null, clientId ?? undefined, u.takenByRest)}` : `no capacity left in ${when(u.weeks)}`;
}

const when = (weeks: [number, number] | undefined) => (weeks ? (weeks[0] === weeks[1] ? `week ${weeks[0]}` : `weeks ${weeks[0]}-${weeks[1]}`) : 'the rest of the quarter');
