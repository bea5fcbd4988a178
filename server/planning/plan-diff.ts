/** What changed between two plans: who should refresh, and by how much figures moved. */
import type { ClientPlan, Plan } from '../../solver/index.ts';
import type { PlanChanges } from '../events.ts';
import { CLIENT_FIGURES, type ClientDiff, type PlanDiff, type TicketDiff } from '../../shared/plan-diff.ts';

export { CLIENT_FIGURES, type ClientDiff, type PlanDiff, type TicketDiff } from '../../shared/plan-diff.ts';

const EPS = 1e-6;
const moved = (a: number, b: number) => Math.abs(a - b) > EPS;
const r = (x: number) => Math.round(x * 1e6) / 1e6;

function emergencyHours(plan: Plan, ticketsEmergency: Set<string>, client: string): number {
  return plan.allocations.filter((a) => a.client === client && a.level === 1 && ticketsEmergency.has(a.ticket)).reduce((s, a) => s + a.hours, 0);
}

export function diffPlans(before: Plan | null, after: Plan): PlanDiff {
  const emergencyTickets = new Set(after.allocations.filter((a) => a.level === 1).map((a) => a.ticket));
  if (before) for (const a of before.allocations) if (a.level === 1) emergencyTickets.add(a.ticket);
  const oldClients = new Map((before?.clients ?? []).map((c) => [c.id, c]));
  const clients: ClientDiff[] = [];
  for (const c of after.clients) {
    const old = oldClients.get(c.id);
    const d = clientDiff(old, c, before, after, emergencyTickets);
    if (Object.keys(d.delta).length || Object.keys(d.deliveredDelta).length || d.emergencyDelta || d.newlyBelowRate.length) clients.push(d);
  }
  for (const old of before?.clients ?? []) if (!after.clients.some((c) => c.id === old.id)) clients.push({ id: old.id, delta: {}, deliveredDelta: {}, emergencyDelta: 0, newlyBelowRate: [] });

  const oldTickets = new Map((before?.tickets ?? []).map((t) => [t.id, t]));
  const tickets: TicketDiff[] = [];
  for (const t of after.tickets) {
    const o = oldTickets.get(t.id);
    const b = { plannedHours: o?.plannedHours ?? 0, startWeek: o?.startWeek ?? null, finishWeek: o?.finishWeek ?? null };
    const a = { plannedHours: t.plannedHours, startWeek: t.startWeek, finishWeek: t.finishWeek };
    if (!o || moved(b.plannedHours, a.plannedHours) || b.startWeek !== a.startWeek || b.finishWeek !== a.finishWeek || weeksOf(before, t.id) !== weeksOf(after, t.id)) {
      tickets.push({ id: t.id, client: t.client, before: b, after: a });
    }
  }

  const staffLoad = (p: Plan | null) => new Map((p?.staff ?? []).map((s) => [s.id, JSON.stringify(p!.allocations.filter((a) => a.staff === s.id).map((a) => [a.week, a.ticket, a.hours, a.level]))]));
  const oldStaff = staffLoad(before);
  const newStaff = staffLoad(after);
  const staff = [...new Set([...oldStaff.keys(), ...newStaff.keys()])].filter((id) => oldStaff.get(id) !== newStaff.get(id)).sort();
  return { clients, tickets, staff };
}

function weeksOf(plan: Plan | null, ticket: string): string {
  if (!plan) return '';
  return plan.allocations.filter((a) => a.ticket === ticket).map((a) => `${a.week}:${a.hours}`).join(',');
}

function clientDiff(old: ClientPlan | undefined, c: ClientPlan, before: Plan | null, after: Plan, emergencies: Set<string>): ClientDiff {
  const delta: ClientDiff['delta'] = {};
  for (const f of CLIENT_FIGURES) {
    const a = c[f];
    const b = old ? old[f] : 0;
    if (moved(a, b)) delta[f] = r(a - b);
  }
  const deliveredDelta: Record<number, number> = {};
  c.delivered.forEach((h, w) => {
    const b = old?.delivered[w] ?? 0;
    if (moved(h, b)) deliveredDelta[w] = r(h - b);
  });
  const newlyBelowRate: { week: number; hours: number }[] = [];
  if (c.plan === 'prepaid') {
    // Below the rate only counts where the client had work waiting (demand): a client that
    // presents nothing is not pushed out by anyone.
    const gap = (x: ClientPlan, w: number) => Math.min(x.rate[w]!, x.demand[w]!) - x.delivered[w]!;
    for (let w = after.quarter.currentWeek; w < c.rate.length; w++) {
      const gapAfter = gap(c, w);
      const gapBefore = old ? gap(old, w) : 0;
      if (gapAfter > 0.25 + EPS && gapAfter > gapBefore + EPS) newlyBelowRate.push({ week: w, hours: r(gapAfter - Math.max(0, gapBefore)) });
    }
  }
  const emergencyDelta = r(emergencyHours(after, emergencies, c.id) - (before ? emergencyHours(before, emergencies, c.id) : 0));
  return { id: c.id, delta, deliveredDelta, emergencyDelta, newlyBelowRate };
}

export function changesOf(diff: PlanDiff): PlanChanges {
  return { clients: diff.clients.map((c) => c.id).sort(), tickets: diff.tickets.map((t) => t.id).sort(), staff: diff.staff };
}
