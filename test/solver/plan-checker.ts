/**
 * An independent checker of plans: every rule of DOMAIN.md / SCENARIO.md a plan can be held to,
 * each as a small named check. It deliberately does not share code with the solver.
 *
 * `checkPlan(scenario, plan)` returns every violation found; [] means the plan passes. Rules:
 * - shape, capacity, week-summary, tickets: the plan's rows and per-ticket/staff/week figures
 *   (here); skills, opening weeks, remaining hours, quarter hours;
 * - emergency-level, emergency-first, emergency-order, target-before-lower-levels,
 *   target-not-filled, client-priority, idle (plan-checker-precedence.ts);
 * - own-week-first, level2-max, rate-priority, above-target-lowest, target-level: level 2
 *   (plan-checker-level2.ts, targets in plan-checker-targets.ts);
 * - level-label, policy-order, level-priority: levels 3-5 (plan-checker-levels.ts);
 * - pins, pin-held (plan-checker-pins.ts); figures, advice (plan-checker-figures.ts).
 * Pinned hours are exempt from every rule about lower levels; `previous` is never looked at.
 */
import type { Plan, ScenarioInput } from '../../solver/contract.ts';
import { CheckContext, EXACT, fmt, isQuarter, type Violation } from './plan-checker-context.ts';
import { checkFigures } from './plan-checker-figures.ts';
import { checkLevel2 } from './plan-checker-level2.ts';
import { checkLevels } from './plan-checker-levels.ts';
import { checkPins } from './plan-checker-pins.ts';
import { checkPrecedence } from './plan-checker-precedence.ts';

export type { Violation } from './plan-checker-context.ts';

export function checkPlan(scenario: ScenarioInput, plan: Plan): Violation[] {
  const ctx = new CheckContext(scenario, plan);
  return [
    ...checkShape(ctx),
    ...checkCapacity(ctx),
    ...checkWeekSummary(ctx),
    ...checkTickets(ctx),
    ...checkPrecedence(ctx),
    ...checkLevel2(ctx),
    ...checkLevels(ctx),
    ...checkPins(ctx),
    ...checkFigures(ctx),
  ];
}

/** a. Array lengths, allocation rows, ids, one row per (week, staff, ticket, level), every ticket once. */
function checkShape(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string) => out.push({ rule: 'shape', message });
  const { W, current, plan } = ctx;
  for (const c of plan.clients) {
    for (const f of ['rate', 'demand', 'delivered'] as const) {
      if (c[f]?.length !== W) bad(`client ${c.id}: ${f} has ${c[f]?.length} entries, expected ${W}`);
    }
  }
  for (const s of plan.staff) {
    for (const f of ['capacity', 'allocated'] as const) {
      if (s[f]?.length !== W) bad(`staff ${s.id}: ${f} has ${s[f]?.length} entries, expected ${W}`);
    }
  }
  if (!Array.isArray(plan.pinIssues)) bad('pinIssues must be a list ([] when every pin held)');
  const rows = new Set<string>();
  for (const a of plan.allocations) {
    const where = `allocation week ${a.week} ${a.staff}/${a.ticket} level ${a.level} ${fmt(a.hours)} h`;
    if (!(a.hours > 0) || !isQuarter(a.hours)) bad(`${where}: hours must be > 0 and a multiple of 0.25`);
    if (!Number.isInteger(a.week) || a.week < current || a.week >= W) bad(`${where}: week outside ${current}..${W - 1}`);
    if (![1, 2, 3, 4, 5].includes(a.level)) bad(`${where}: level must be 1..5`);
    if (!ctx.staff.has(a.staff)) bad(`${where}: unknown staff`);
    const t = ctx.tickets.get(a.ticket);
    if (!t) bad(`${where}: unknown ticket`);
    else if (a.client !== t.client) bad(`${where}: client ${a.client} but the ticket belongs to ${t.client}`);
    const key = `${a.week}|${a.staff}|${a.ticket}|${a.level}`;
    if (rows.has(key)) bad(`${where}: more than one row for (week, staff, ticket, level)`);
    rows.add(key);
  }
  const seen = new Map<string, number>();
  for (const t of plan.tickets) seen.set(t.id, (seen.get(t.id) ?? 0) + 1);
  for (const t of ctx.scenario.tickets) {
    if (seen.get(t.id) !== 1) bad(`ticket ${t.id} appears ${seen.get(t.id) ?? 0} times in plan.tickets, expected once`);
  }
  for (const id of seen.keys()) if (!ctx.tickets.has(id)) bad(`plan.tickets has unknown ticket ${id}`);
  const clientIds = new Set(plan.clients.map((c) => c.id));
  const staffIds = new Set(plan.staff.map((s) => s.id));
  for (const c of ctx.scenario.clients) if (!clientIds.has(c.id)) bad(`client ${c.id} missing from plan.clients`);
  for (const s of ctx.scenario.staff) if (!staffIds.has(s.id)) bad(`staff ${s.id} missing from plan.staff`);
  return out;
}

/** b. capacity = max(0, weeklyHours − leave[w]); nobody over it; allocated[w] = own allocations. */
function checkCapacity(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const s of ctx.plan.staff) {
    if (!ctx.staff.has(s.id)) continue;
    for (let w = 0; w < ctx.W; w++) {
      const cap = ctx.capacity(s.id, w);
      // Capacity may be reported as is or floored to the quarter hours that can be planned.
      const reported = s.capacity?.[w];
      const usable = Math.floor(cap * 4 + EXACT) / 4;
      if (reported === undefined || (Math.abs(reported - cap) > EXACT && Math.abs(reported - usable) > EXACT)) {
        out.push({ rule: 'capacity', message: `week ${w} ${s.id}: plan capacity ${reported}, expected ${fmt(cap)}` });
      }
      if (w < ctx.current) continue;
      const sum = ctx.sum('staff', s.id, w);
      if (sum > cap + EXACT) {
        out.push({ rule: 'capacity', message: `week ${w} ${s.id}: ${fmt(sum)} h allocated over capacity ${fmt(cap)} h` });
      }
      if (Math.abs((s.allocated?.[w] ?? NaN) - sum) > EXACT) {
        out.push({ rule: 'capacity', message: `week ${w} ${s.id}: allocated ${s.allocated?.[w]}, allocations sum to ${fmt(sum)}` });
      }
    }
  }
  return out;
}

/** Extension `plan.weeks`: team totals per week must add up to the staff and allocation rows. */
function checkWeekSummary(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const wk of ctx.plan.weeks ?? []) {
    const w = wk.week;
    if (w < ctx.current) continue;
    const rows = ctx.allocations.filter((a) => a.week === w);
    const capacity = ctx.plan.staff.reduce((h, s) => h + (s.capacity?.[w] ?? 0), 0);
    const allocated = rows.reduce((h, a) => h + a.hours, 0);
    const byLevel = [1, 2, 3, 4, 5].map((l) => rows.filter((a) => a.level === l).reduce((h, a) => h + a.hours, 0));
    const off = (got: number | undefined, want: number) => got === undefined || Math.abs(got - want) > EXACT;
    if (off(wk.capacity, capacity) || off(wk.allocated, allocated) || byLevel.some((h, i) => off(wk.byLevel?.[i], h))) {
      out.push({
        rule: 'week-summary',
        message: `week ${w}: summary capacity ${wk.capacity} allocated ${wk.allocated} byLevel [${wk.byLevel}], rows give ${fmt(capacity)} / ${fmt(allocated)} / [${byLevel.map(fmt)}]`,
      });
    }
  }
  return out;
}

/** c. Skills, opening week, remaining hours, planned/unplanned figures, reasons, start/finish. */
function checkTickets(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string) => out.push({ rule: 'tickets', message });
  for (const a of ctx.allocations) {
    const t = ctx.tickets.get(a.ticket)!;
    if (!ctx.canWork(a.staff, t)) bad(`week ${a.week} ${a.staff} works ${t.id} without skill '${t.skill}'`);
    if (a.week < t.openedWeek) bad(`week ${a.week} ${a.staff} works ${t.id} before it opens (week ${t.openedWeek})`);
  }
  const unplannedEntries = new Map(ctx.plan.unplanned.map((u) => [u.ticket, u]));
  for (const tp of ctx.plan.tickets) {
    const t = ctx.tickets.get(tp.id);
    if (!t) continue;
    const remaining = ctx.remaining(t);
    const planned = ctx.sum('ticket', t.id, '*');
    if (planned > remaining + EXACT) bad(`ticket ${t.id}: ${fmt(planned)} h planned, only ${fmt(remaining)} h remaining`);
    if (Math.abs(tp.plannedHours - planned) > EXACT) bad(`ticket ${t.id}: plannedHours ${tp.plannedHours}, allocations sum to ${fmt(planned)}`);
    if (Math.abs(tp.plannedHours + tp.unplannedHours - remaining) > EXACT) {
      bad(`ticket ${t.id}: planned ${tp.plannedHours} + unplanned ${tp.unplannedHours} ≠ remaining ${fmt(remaining)}`);
    }
    if (tp.remainingHours !== undefined && Math.abs(tp.remainingHours - remaining) > EXACT) {
      bad(`ticket ${t.id}: remainingHours ${tp.remainingHours}, expected ${fmt(remaining)}`);
    }
    const u = unplannedEntries.get(t.id);
    if (tp.unplannedHours > EXACT && (!u || !u.reason?.trim())) bad(`ticket ${t.id}: ${tp.unplannedHours} h unplanned without a reason in plan.unplanned`);
    if (u && Math.abs(u.hours - tp.unplannedHours) > EXACT) bad(`ticket ${t.id}: plan.unplanned says ${u.hours} h, ticket says ${tp.unplannedHours} h`);
    const weeks = ctx.plannedWeeks().filter((w) => ctx.sum('ticket', t.id, w) > 0);
    const start = weeks[0] ?? null;
    const finish = weeks.at(-1) ?? null;
    if (tp.startWeek !== start || tp.finishWeek !== finish) {
      bad(`ticket ${t.id}: start/finish ${tp.startWeek}/${tp.finishWeek}, allocations give ${start}/${finish}`);
    }
  }
  if (ctx.plan.unplanned.length !== unplannedEntries.size) bad(`plan.unplanned lists a ticket more than once`);
  for (const u of ctx.plan.unplanned) if (!(u.hours > 0)) bad(`plan.unplanned entry for ${u.ticket} with ${u.hours} h`);
  return out;
}
