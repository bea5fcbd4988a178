/**
 * Test helper: a complete plan from a scenario and allocation rows, every derived figure
 * (tickets, staff, weeks, clients, unplanned, pin issues) computed the checker's way, so a
 * hand-built or mutated plan breaks only the rule under test. It needs no solver.
 */
import type { Allocation, ClientPlan, Plan, PinIssue, PolicyLevel, ScenarioInput, WeekPlan } from '../../solver/contract.ts';
import { CheckContext, DEFAULT_LEVELS, EXACT, fmt, pinnedPart, some } from './plan-checker-context.ts';
import { expectedFigures } from './plan-checker-figures.ts';
import { staticFaults } from './plan-checker-pins.ts';
import { idealInQuarters } from './plan-checker-targets.ts';

/** `plan` with its allocations replaced by `allocations` and everything else recomputed. */
export function refigure(scenario: ScenarioInput, plan: Plan, allocations: Allocation[]): Plan {
  return { ...plan, ...planFrom(scenario, allocations) };
}

export function planFrom(scenario: ScenarioInput, allocations: Allocation[]): Plan {
  const W = scenario.quarter.weeks;
  const skeleton: Plan = {
    quarter: { id: scenario.quarter.id, weeks: W, currentWeek: scenario.quarter.currentWeek ?? 0 },
    pinIssues: [],
    policy: { levels: [...(scenario.policy?.levels ?? DEFAULT_LEVELS)] as PolicyLevel[], catchUpFirst: true },
    allocations,
    tickets: [],
    clients: [],
    staff: [],
    weeks: [],
    unplanned: [],
    stats: { solveMs: 0, augmentations: 0, lpSolves: 0, lpFallbacks: 0 },
  };
  const ctx = new CheckContext(scenario, skeleton);
  const weeks = Array.from({ length: W }, (_, w) => w);
  const tickets = scenario.tickets.map((t) => {
    const rows = allocations.filter((a) => a.ticket === t.id);
    const planned = ctx.sum('ticket', t.id, '*');
    const finish = rows.length ? Math.max(...rows.map((a) => a.week)) : null;
    return {
      id: t.id,
      client: t.client,
      remainingHours: ctx.remaining(t),
      plannedHours: planned,
      unplannedHours: ctx.remaining(t) - planned,
      startWeek: rows.length ? Math.min(...rows.map((a) => a.week)) : null,
      finishWeek: finish,
      staff: [...new Set(rows.map((a) => a.staff))],
      dueWeek: t.dueWeek ?? null,
      late: t.dueWeek != null && (some(ctx.unplanned(t)) || (finish ?? -1) > t.dueWeek),
    };
  });
  const unplanned = tickets
    .filter((tp) => tp.unplannedHours > EXACT)
    .map((tp) => ({ ticket: tp.id, client: tp.client, hours: tp.unplannedHours, reason: 'hand-built plan', code: 'capacity' as const }));
  const staff = scenario.staff.map((s) => ({
    id: s.id,
    name: s.name ?? s.id,
    capacity: weeks.map((w) => ctx.capacity(s.id, w)),
    allocated: weeks.map((w) => (w >= ctx.current ? ctx.sum('staff', s.id, w) : 0)),
    leave: weeks.map((w) => s.leave?.[String(w)] ?? 0),
  }));
  const clients = scenario.clients.map((c) => clientPlan(ctx, c.id));
  const weekPlans: WeekPlan[] = weeks.map((w) => {
    const at = (l: number) => allocations.filter((a) => a.week === w && a.level === l).reduce((h, a) => h + a.hours, 0);
    return {
      week: w,
      capacity: staff.reduce((h, s) => h + s.capacity[w]!, 0),
      allocated: allocations.filter((a) => a.week === w).reduce((h, a) => h + a.hours, 0),
      leave: staff.reduce((h, s) => h + s.leave[w]!, 0),
      byLevel: [at(1), at(2), at(3), at(4), at(5)],
    };
  });
  return { ...skeleton, pinIssues: pinIssuesOf(ctx), tickets, unplanned, staff, clients, weeks: weekPlans };
}

function clientPlan(ctx: CheckContext, id: string): ClientPlan {
  const c = ctx.clients.get(id)!;
  const { rate, delivered, demand, ...scalars } = expectedFigures(ctx, id);
  const t = ctx.targets(id);
  const unplanned = (ctx.ticketsByClient.get(id) ?? []).filter((tk) => some(ctx.unplanned(tk)));
  const cause = !some(scalars.atRiskHours) ? 'none' : unplanned.length ? 'unplanned-work' : 'present-work';
  return {
    id,
    name: c.name ?? id,
    plan: c.plan,
    rate,
    delivered: delivered.map((h) => h ?? 0),
    demand: demand.map((h) => h ?? 0),
    ...scalars,
    boughtHours: (c.purchases ?? []).reduce((h, p) => h + p.hours, 0),
    rolloverInHours: c.rolloverInHours ?? 0,
    usedHours: (c.usedByWeek ?? []).reduce((h, u) => h + u, 0),
    plannedHours: ctx.sum('client', id, '*'),
    ideal: idealInQuarters(ctx, t),
    target: t.exact.map((x, w) => (w === ctx.W - 1 ? t.hi[w]! : Math.round(x * 4) / 4)),
    advice: {
      cause,
      tickets: cause === 'unplanned-work' ? unplanned.map((tk) => ({ ticket: tk.id, hours: ctx.unplanned(tk), code: 'capacity' as const, reason: 'hand-built plan' })) : [],
    },
    shortfallWeeks: [],
    presentByWeek: null,
  };
}

/** One issue per pin that the pinned rows do not hold in full, pins of a key served in order. */
function pinIssuesOf(ctx: CheckContext): PinIssue[] {
  const left = new Map<string, number>();
  for (const a of ctx.allocations) {
    const k = `${a.week}|${a.staff}|${a.ticket}`;
    left.set(k, (left.get(k) ?? 0) + pinnedPart(a));
  }
  const issues: PinIssue[] = [];
  for (const pin of ctx.scenario.pins ?? []) {
    const k = `${pin.week}|${pin.staff}|${pin.ticket}`;
    const held = Math.min(pin.hours, left.get(k) ?? 0);
    left.set(k, (left.get(k) ?? 0) - held);
    if (held >= pin.hours - EXACT) continue;
    const t = ctx.tickets.get(pin.ticket);
    const code = staticFaults(ctx, pin)[0] ?? (t && !some(ctx.movable(t, pin.week)) ? 'hours-left' : 'capacity');
    issues.push({ pin, heldHours: held, code, reason: `${code}: held ${fmt(held)} of ${fmt(pin.hours)} h` });
  }
  return issues;
}
