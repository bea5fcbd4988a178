/**
 * The week-by-week LP ("rules LP") of the quality benchmark: a second, independent reference that
 * follows DOMAIN.md's week order ("a week's hours are shared out by the levels below before the
 * next week is considered"), where the whole-quarter LP (lp-planner.ts) trades hours across weeks.
 *
 * For each week from currentWeek to W−1, in order: an LP of that week only (week-rules/: this
 * week's hours per demand bucket, the same Gale/Hall capacity rows and pins as the whole-quarter
 * model, rules/skills-and-capacity.ts and rules/pins.ts, and a ladder of weights for DOMAIN.md's
 * precedence in that week, week-rules/weights.ts), solved with HiGHS in two stages (levels 1-2 and
 * pins, then levels 3-5: week-rules/week-context.ts says why); its result fixed (rounded
 * and routed to people by recover.ts / week-flow.ts, as the whole-quarter LP's is), and what is
 * left carried to the next week: each ticket's hours (so unplanned emergencies stay first in
 * line), and each client's hours delivered (its catch-up and balance left). The whole plan then
 * goes through to-plan.ts like the other's.
 */
import type { Highs } from 'highs';
import type { Plan, ScenarioInput } from '../../solver/contract.ts';
import { cpuClock, type LpRun } from './lp-planner.ts';
import { newContext } from './model-context.ts';
import { readQuarter, toQ, type Quarter } from './quarter.ts';
import { recoverPlan, type Piece } from './recover.ts';
import { addPins } from './rules/pins.ts';
import { addSkillCapacity } from './rules/skills-and-capacity.ts';
import { addTicketDemand } from './rules/tickets.ts';
import { solveLp } from './solve.ts';
import { toPlan } from './to-plan.ts';
import { addWeekAboveTarget } from './week-rules/above-target.ts';
import { addWeekBalance } from './week-rules/balance.ts';
import { addWeekDemand, settleBucketWeights } from './week-rules/demand.ts';
import { addWeekEmergencies } from './week-rules/emergencies.ts';
import { addWeekRate } from './week-rules/locked-in-rate.ts';
import { newWeekContext, secondStage, type WeekContext } from './week-rules/week-context.ts';

/** One week's LP, rule by rule (the order matters where a rule adds entries to another's rows). */
function buildWeek(q: Quarter, week: number, deliveredBeforeQ: Map<string, number>, pins: ScenarioInput['pins']): WeekContext {
  const ctx = newWeekContext(q, week, deliveredBeforeQ);
  addWeekDemand(ctx);
  addPins(ctx, (pins ?? []).filter((p) => p.week === week));
  addSkillCapacity(ctx);
  addWeekEmergencies(ctx);
  addWeekRate(ctx);
  addWeekAboveTarget(ctx);
  addWeekBalance(ctx);
  settleBucketWeights(ctx);
  return ctx;
}

export function planWeekByWeek(highs: Highs, scenario: ScenarioInput, timeLimitSeconds = 120): LpRun {
  const cpuMs = cpuClock();
  const t0 = performance.now();
  const q = readQuarter(scenario);
  // The whole quarter's buckets and pins, never solved: what to-plan.ts reads (reasons, pin issues).
  const frame = newContext(q);
  addTicketDemand(frame);
  addPins(frame, scenario.pins ?? []);
  const framePin = new Map(frame.pins.map((p, k) => [p.pin, k]));
  const leftQ = new Map(q.tickets.map((t) => [t.id, t.remainingQ]));
  const deliveredBeforeQ = new Map(q.clients.map((c) => [c.id, 0]));
  const pieces: Piece[] = [];
  const pinHeldQ = frame.pins.map(() => 0);
  const size = { buckets: 0, columns: 0, rows: 0, capacityRows: 0, entries: 0 };
  let buildMs = 0;
  let solveMs = 0;
  let recoverMs = 0;
  let solves = 0;
  let iterations = 0;
  let unroutedQ = 0;
  const run = (status: LpRun['status'], detail: string, plan?: Plan): LpRun => ({
    status, detail, plan, size, buildMs, solveMs, recoverMs, totalMs: performance.now() - t0, cpuMs: cpuMs(), solves, iterations, unroutedHours: unroutedQ / 4,
  });
  for (const w of q.weeks) {
    const tb = performance.now();
    // Hours later weeks' pins hold are kept back from this week's other work (not an emergency's:
    // it is served in the week it is declared, before all other work, pins included).
    const heldLater = new Map<string, number>();
    for (const p of frame.pins) {
      if (p.col === undefined || p.pin.week <= w || p.ticket!.emergency) continue;
      const h = Math.min(toQ(p.pin.hours), p.staff!.capacityQ[p.pin.week]!);
      heldLater.set(p.ticket!.id, (heldLater.get(p.ticket!.id) ?? 0) + h);
    }
    const tickets = q.tickets.map((t) => ({ ...t, remainingQ: Math.max(0, leftQ.get(t.id)! - (heldLater.get(t.id) ?? 0)) }));
    const qw: Quarter = { ...q, weeks: [w], tickets, ticketById: new Map(tickets.map((t) => [t.id, t])) };
    const ctx = buildWeek(qw, w, deliveredBeforeQ, scenario.pins);
    size.buckets += ctx.buckets.length;
    size.columns += ctx.lp.columns;
    size.rows += ctx.lp.rowCount;
    size.entries += ctx.lp.entries;
    const ts = performance.now();
    buildMs += ts - tb;
    const limit = Math.max(0.001, timeLimitSeconds - (ts - t0) / 1000);
    const solved = solveLp(highs, ctx.lp, limit, secondStage(ctx));
    const tr = performance.now();
    solveMs += tr - ts;
    solves += solved.passes;
    iterations += solved.iterations;
    if (!solved.values) return run(solved.status, `week ${w}: ${solved.detail}`);
    const rec = recoverPlan(ctx, solved.values);
    unroutedQ += rec.unroutedQ;
    ctx.pins.forEach((p, k) => (pinHeldQ[framePin.get(p.pin)!]! += rec.pinHeldQ[k]!));
    for (const piece of rec.pieces) {
      const t = q.ticketById.get(piece.ticket.id)!;
      pieces.push({ ...piece, ticket: t });
      leftQ.set(t.id, leftQ.get(t.id)! - piece.hoursQ);
      deliveredBeforeQ.set(t.client, deliveredBeforeQ.get(t.client)! + piece.hoursQ);
    }
    if (w === q.current) for (const c of q.clients) deliveredBeforeQ.set(c.id, deliveredBeforeQ.get(c.id)! + c.loggedQ);
    recoverMs += performance.now() - tr;
  }
  const tp = performance.now();
  const plan = toPlan(frame, { pieces, pinHeldQ, unroutedQ }, scenario.quarter.id, 0);
  recoverMs += performance.now() - tp;
  plan.stats.solveMs = Math.round((performance.now() - t0) * 100) / 100;
  plan.stats.lpSolves = solves;
  return run('optimal', 'optimal', plan);
}
