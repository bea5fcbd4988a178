/**
 * Test helper: a plan with its allocations replaced and every derived figure (tickets, staff,
 * clients, unplanned) recomputed to match, so a mutated plan breaks only the rule under test.
 */
import type { Allocation, Plan, ScenarioInput, WeekPlan } from '../../solver/contract.ts';
import { CheckContext, EXACT } from './plan-checker-context.ts';
import { expectedFigures } from './plan-checker-figures.ts';

export function refigure(scenario: ScenarioInput, plan: Plan, allocations: Allocation[]): Plan {
  const ctx = new CheckContext(scenario, { ...plan, allocations });
  const tickets = plan.tickets.map((tp) => {
    const t = ctx.tickets.get(tp.id)!;
    const weeks = allocations.filter((a) => a.ticket === t.id).map((a) => a.week);
    const planned = ctx.sum('ticket', t.id, '*');
    return {
      ...tp,
      plannedHours: planned,
      unplannedHours: ctx.remaining(t) - planned,
      startWeek: weeks.length ? Math.min(...weeks) : null,
      finishWeek: weeks.length ? Math.max(...weeks) : null,
    };
  });
  const unplanned = tickets
    .filter((tp) => tp.unplannedHours > EXACT)
    .map((tp) => ({ ticket: tp.id, client: tp.client, hours: tp.unplannedHours, reason: 'mutated plan', code: 'capacity' as const }));
  const staff = plan.staff.map((s) => ({
    ...s,
    allocated: s.allocated.map((h, w) => (w >= ctx.current ? ctx.sum('staff', s.id, w) : h)),
  }));
  const clients = plan.clients.map((c) => {
    const e = expectedFigures(ctx, c.id);
    const { rate, delivered, demand, ...scalars } = e;
    return {
      ...c,
      ...scalars,
      rate,
      delivered: delivered.map((h, w) => h ?? c.delivered[w]!),
      demand: demand.map((h, w) => h ?? c.demand[w]!),
    };
  });
  const weeks = plan.weeks.map((wk) => {
    const rows = allocations.filter((a) => a.week === wk.week);
    const at = (l: number) => rows.filter((a) => a.level === l).reduce((h, a) => h + a.hours, 0);
    if (wk.week < ctx.current) return wk;
    return { ...wk, allocated: rows.reduce((h, a) => h + a.hours, 0), byLevel: [at(1), at(2), at(3), at(4), at(5)] as WeekPlan['byLevel'] };
  });
  return { ...plan, allocations, tickets, unplanned, staff, clients, weeks };
}
