/**
 * A plan cut down to what its viewer may see. The same cut serves the API and the socket stream:
 * - managers see everything;
 * - staff see their own allocations, the tickets behind them and the team's weekly totals;
 * - a client sees its own figures, its tickets and its allocations' weeks and hours, and nothing
 *   of any other client: not a name, not an hour. Explanations are re-worded to name nobody.
 */
import { describeTakenBy, type ClientPlan, type Plan, type Unplanned } from '../../../solver/index.ts';
import type { Viewer } from '../../auth/viewer.ts';

export type PlanView = { version: number; quarter: Plan['quarter']; createdAt?: string } & Record<string, unknown>;

export function viewPlan(plan: Plan, version: number, viewer: Viewer, createdAt?: Date): PlanView {
  const meta = { version, ...(createdAt ? { createdAt: createdAt.toISOString() } : {}) };
  if (viewer.role === 'manager') return { ...plan, ...meta };
  if (viewer.role === 'staff') return staffView(plan, viewer.staffId, meta);
  return clientView(plan, viewer.clientId, meta);
}

function staffView(plan: Plan, staffId: string | null, meta: { version: number }): PlanView {
  const allocations = plan.allocations.filter((a) => a.staff === staffId);
  const ticketIds = new Set(allocations.map((a) => a.ticket));
  const clientIds = new Set(allocations.map((a) => a.client));
  return {
    ...meta,
    quarter: plan.quarter,
    allocations,
    tickets: plan.tickets.filter((t) => ticketIds.has(t.id)),
    clients: plan.clients.filter((c) => clientIds.has(c.id)).map((c) => ({ ...c, shortfallWeeks: [] })),
    staff: plan.staff.filter((s) => s.id === staffId),
    weeks: plan.weeks,
    unplanned: plan.unplanned.filter((u) => ticketIds.has(u.ticket)),
    stats: plan.stats,
  };
}

/**
 * What a client sees of its own figures. Every field of ClientPlan is decided here (a new one
 * does not compile until someone decides): `show` copies it, `reword` builds it anew so that it
 * names nobody else, `hide` leaves it out.
 */
const CLIENT_FIELDS = {
  id: 'show',
  name: 'show',
  plan: 'show',
  rate: 'show',
  demand: 'show',
  delivered: 'show',
  balanceHours: 'show',
  forecastUnusedHours: 'show',
  shortfallHours: 'show',
  rolloverHours: 'show',
  atRiskHours: 'show',
  overageHours: 'show',
  boughtHours: 'show',
  rolloverInHours: 'show',
  usedHours: 'show',
  plannedHours: 'show',
  owedAtRateHours: 'show',
  ideal: 'show',
  target: 'show',
  presentByWeek: 'show',
  advice: 'reword',
  shortfallWeeks: 'reword',
} as const satisfies Record<keyof ClientPlan, 'show' | 'hide' | 'reword'>;

type Reworded = { [K in keyof typeof CLIENT_FIELDS as (typeof CLIENT_FIELDS)[K] extends 'reword' ? K : never]: ClientPlan[K] };

function ownFigures(plan: Plan, c: ClientPlan): ClientPlan {
  const out: Record<string, unknown> = {};
  for (const [key, decision] of Object.entries(CLIENT_FIELDS)) if (decision === 'show') out[key] = c[key as keyof ClientPlan];
  const reworded: Reworded = {
    shortfallWeeks: c.shortfallWeeks.map((w) => ({
      week: w.week,
      hours: w.hours,
      reason: w.takenBy.length > 0 ? `capacity went to ${describeTakenBy(w.takenBy, null, c.id)}` : w.reason,
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
  return { ...out, ...reworded } as ClientPlan;
}

function clientView(plan: Plan, clientId: string | null, meta: { version: number }): PlanView {
  const own = plan.clients.find((c) => c.id === clientId);
  return {
    ...meta,
    quarter: plan.quarter,
    // Weeks and hours only: who does the work and at which level is the company's business.
    allocations: plan.allocations
      .filter((a) => a.client === clientId)
      .map((a) => ({ week: a.week, client: a.client, ticket: a.ticket, hours: a.hours, level: a.level })),
    tickets: plan.tickets.filter((t) => t.client === clientId).map(({ staff: _staff, ...t }) => t),
    clients: own ? [ownFigures(plan, own)] : [],
    unplanned: plan.unplanned
      .filter((u) => u.client === clientId)
      .map((u) => ({ ticket: u.ticket, client: u.client, hours: u.hours, code: u.code, ...(u.weeks ? { weeks: u.weeks } : {}), reason: clientReason(u, clientId) })),
    stats: { solveMs: plan.stats.solveMs },
  };
}

/**
 * Why a client's ticket is left unplanned, naming nobody else: capacity that went elsewhere is
 * told by kind ("emergencies", "other clients' locked-in rates"); the other reasons name only a
 * skill, weeks or the client's own work.
 */
function clientReason(u: Pick<Unplanned, 'code' | 'reason' | 'weeks' | 'takenBy'>, clientId: string | null): string {
  if (u.code !== 'capacity') return u.reason;
  return u.takenBy?.length ? capacityReason(u.weeks, u.takenBy, clientId) : `no capacity left in ${when(u.weeks)}`;
}

const when = (weeks: [number, number] | undefined) => (weeks ? (weeks[0] === weeks[1] ? `week ${weeks[0]}` : `weeks ${weeks[0]}-${weeks[1]}`) : 'the rest of the quarter');

function capacityReason(weeks: [number, number] | undefined, takenBy: NonNullable<Unplanned['takenBy']>, clientId: string | null): string {
  return `no capacity left in ${when(weeks)}: it went to ${describeTakenBy(takenBy, null, clientId ?? undefined)}`;
}
