/**
 * A plan cut down to what its viewer may see, field by field from plan-fields.ts. The same cut
 * serves the API and the socket stream:
 * - managers see everything;
 * - staff see their own allocations, the tickets behind them and the team's weekly totals, and
 *   of the clients they work for only the names;
 * - a client sees its own figures, its tickets and its allocations' weeks and hours, and nothing
 *   of any other client: not a name, not an hour. Explanations are re-worded to name nobody.
 */
import { describeTakenBy, type ClientPlan, type Plan, type Unplanned } from '../../../solver/index.ts';
import { cut } from '../../auth/views.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { ALLOCATION_FIELDS, CLIENT_PLAN_FIELDS, PLAN_FIELDS, QUARTER_FIELDS, STAFF_PLAN_FIELDS, STATS_FIELDS, TICKET_PLAN_FIELDS, UNPLANNED_FIELDS, WEEK_FIELDS } from './plan-fields.ts';

export type PlanView = { version: number; quarter: Plan['quarter']; createdAt?: string } & Record<string, unknown>;

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
    allocations: allocations.map((a) => cut(a, ALLOCATION_FIELDS.staff)),
    tickets: plan.tickets.filter((t) => ticketIds.has(t.id)).map((t) => cut(t, TICKET_PLAN_FIELDS.staff)),
    clients: plan.clients.filter((c) => clientIds.has(c.id)).map((c) => cut(c, CLIENT_PLAN_FIELDS.staff)),
    staff: plan.staff.filter((s) => s.id === staffId).map((s) => cut(s, STAFF_PLAN_FIELDS)),
    weeks: plan.weeks.map((w) => cut(w, WEEK_FIELDS)),
    unplanned: plan.unplanned.filter((u) => ticketIds.has(u.ticket)).map((u) => cut(u, UNPLANNED_FIELDS.staff)),
    stats: cut(plan.stats, STATS_FIELDS),
  } satisfies Reworded<typeof PLAN_FIELDS.staff>;
  return { ...meta, ...cut(plan, PLAN_FIELDS.staff), ...reworded };
}

function clientView(plan: Plan, clientId: string | null, meta: { version: number }): PlanView {
  const own = plan.clients.find((c) => c.id === clientId);
  const reworded = {
    quarter: cut(plan.quarter, QUARTER_FIELDS),
    // Weeks and hours only: who does the work is the company's business.
    allocations: plan.allocations.filter((a) => a.client === clientId).map((a) => cut(a, ALLOCATION_FIELDS.client)),
    tickets: plan.tickets.filter((t) => t.client === clientId).map((t) => cut(t, TICKET_PLAN_FIELDS.client)),
    clients: own ? [ownFigures(plan, own)] : [],
    unplanned: plan.unplanned.filter((u) => u.client === clientId).map((u) => ({ ...cut(u, UNPLANNED_FIELDS.client), reason: clientReason(u, clientId) })),
    stats: cut(plan.stats, STATS_FIELDS),
  } satisfies Reworded<typeof PLAN_FIELDS.client>;
  return { ...meta, ...cut(plan, PLAN_FIELDS.client), ...reworded };
}

/** What a client sees of its own figures: CLIENT_PLAN_FIELDS.client, re-worded to name nobody else. */
function ownFigures(plan: Plan, c: ClientPlan): ClientPlan {
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
        .filter((t) => plan.tickets.some((x) => x.id === t.ticket && x.client === c.id))
        .map((t) => ({ ticket: t.ticket, hours: t.hours, code: t.code, reason: clientReason(plan.unplanned.find((u) => u.ticket === t.ticket) ?? { ...t, client: c.id }, c.id) })),
    },
  };
  return { ...cut(c, CLIENT_PLAN_FIELDS.client), ...reworded };
}

/**
 * Why a client's ticket is left unplanned, naming nobody else: capacity that went elsewhere is
 * told by kind ("emergencies", "other clients' locked-in rates"); the other reasons name only a
 * skill, weeks or the client's own work.
 */
function clientReason(u: Pick<Unplanned, 'code' | 'reason' | 'weeks' | 'takenBy' | 'takenByRest'>, clientId: string | null): string {
  if (u.code !== 'capacity') return u.reason;
  return u.takenBy?.length ? `no capacity left in ${when(u.weeks)}: it went to ${describeTakenBy(u.takenBy, null, clientId ?? undefined, u.takenByRest)}` : `no capacity left in ${when(u.weeks)}`;
}

const when = (weeks: [number, number] | undefined) => (weeks ? (weeks[0] === weeks[1] ? `week ${weeks[0]}` : `weeks ${weeks[0]}-${weeks[1]}`) : 'the rest of the quarter');
