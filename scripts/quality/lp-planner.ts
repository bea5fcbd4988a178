/**
 * The independent whole-quarter LP planner of the quality benchmark: scenario in, plan in
 * SCENARIO.md's shape out, with the time of each step (model build, HiGHS solve, recovery of
 * who does what). A solve that hits its time limit gives no plan and says so.
 */
import type { Highs } from 'highs';
import type { Plan, ScenarioInput } from '../../solver/contract.ts';
import { buildModel, type ModelSize } from './build-model.ts';
import { recoverPlan } from './recover.ts';
import { fixOwnWeek } from './rules/locked-in-rate.ts';
import { solveLp, type SolveStatus } from './solve.ts';
import { toPlan } from './to-plan.ts';

export interface LpRun {
  status: SolveStatus;
  detail: string;
  plan?: Plan;
  size: ModelSize;
  buildMs: number;
  solveMs: number;
  recoverMs: number;
  /** Build + solve + recovery. */
  totalMs: number;
  /** CPU time of this process over the same span (HiGHS runs on this thread). */
  cpuMs: number;
  /** HiGHS runs (the first solve and its warm re-solves) and simplex iterations. */
  solves: number;
  iterations: number;
  /** Quarter hours the LP planned that the per-week max-flow could not route (expected 0). */
  unroutedHours: number;
}

/** This process's CPU time (user + system, ms) since the call: the LP runs' CPU-time figure. */
export function cpuClock(): () => number {
  const cpu0 = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(cpu0);
    return (d.user + d.system) / 1000;
  };
}

export function planWithLp(highs: Highs, scenario: ScenarioInput, timeLimitSeconds = 120): LpRun {
  const cpuMs = cpuClock();
  const t0 = performance.now();
  const { ctx, size } = buildModel(scenario);
  const t1 = performance.now();
  const solved = solveLp(highs, ctx.lp, timeLimitSeconds, (values) => fixOwnWeek(ctx, values));
  const t2 = performance.now();
  const base = { status: solved.status, detail: solved.detail, size, buildMs: t1 - t0, solveMs: t2 - t1, solves: solved.passes, iterations: solved.iterations };
  if (!solved.values) return { ...base, recoverMs: 0, totalMs: t2 - t0, cpuMs: cpuMs(), unroutedHours: 0 };
  const rec = recoverPlan(ctx, solved.values);
  const plan = toPlan(ctx, rec, scenario.quarter.id, 0);
  const t3 = performance.now();
  plan.stats.solveMs = Math.round((t3 - t0) * 100) / 100;
  return { ...base, plan, recoverMs: t3 - t2, totalMs: t3 - t0, cpuMs: cpuMs(), unroutedHours: rec.unroutedQ / 4 };
}
