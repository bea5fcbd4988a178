/**
 * A plan cut down to what its viewer may see. The same cut serves the API and the socket stream:
 * - managers see everything;
 * - staff see their own allocations, the tickets behind them and the team's weekly totals;
 * - a client sees its own figures, its tickets and its allocations' weeks and hours, and nothing
 *   of any other client: not a name, not an hour. Explanations are re-worded to name nobody.
 */
import { describeTakenBy, type Plan } from '../../../solver/index.ts';
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
    clients: own
      ? [
          {
            ...own,
            shortfallWeeks: own.shortfallWeeks.map((w) => ({
              week: w.week,
              hours: w.hours,
              reason: w.takenBy.length > 0 ? `capacity went to ${describeTakenBy(w.takenBy, null, clientId ?? undefined)}` : w.reason,
              takenBy: [],
            })),
          },
        ]
      : [],
    unplanned: plan.unplanned
      .filter((u) => u.client === clientId)
      .map(({ takenBy, ...u }) => ({
        ...u,
        reason: u.code === 'capacity' && takenBy ? capacityReason(u.weeks, takenBy, clientId) : u.reason,
      })),
    stats: { solveMs: plan.stats.solveMs },
  };
}

function capacityReason(weeks: [number, number] | undefined, takenBy: NonNullable<Plan['unplanned'][number]['takenBy']>, clientId: string | null): string {
  const when = weeks ? (weeks[0] === weeks[1] ? `week ${weeks[0]}` : `weeks ${weeks[0]}-${weeks[1]}`) : 'the rest of the quarter';
  return `no capacity left in ${when}: it went to ${describeTakenBy(takenBy, null, clientId ?? undefined)}`;
}

