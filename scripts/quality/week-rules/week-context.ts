/**
 * What the week-by-week LP's rules share for one week: the model context of rules/ (buckets with
 * this week's column only, pins, capacity rows) and what the weeks planned before left: each
 * ticket's hours (in `q.tickets`, less what later weeks' pins hold back), and each prepaid client's
 * hours delivered over the planned weeks before this one.
 */
import type { Bucket, ModelContext } from '../model-context.ts';
import { newContext } from '../model-context.ts';
import type { Quarter } from '../quarter.ts';

export interface WeekContext extends ModelContext {
  week: number;
  /** Quarter hours delivered to each client in the planned weeks before this one (logged included). */
  deliveredBeforeQ: Map<string, number>;
  /** Per non-emergency bucket: the row `x − Σ parts = 0`. */
  partsRow: Map<Bucket, number>;
  /**
   * DOMAIN.md's levels are lexicographic inside the week too: a client's level-2 target is filled
   * with its highest-priority work first, and only its hours above it are levels 3-5 ("a client's
   * hours above its target are its lowest-priority hours of that week"). Weights alone cannot say
   * that (an hour's level depends on which of the client's hours fill the target: not convex), so
   * each week is solved twice: first levels 1-2 and pins, then, with their columns fixed
   * (`fixedAfterFirst`), levels 3-5 (`aboveTarget`, weighed only then).
   */
  fixedAfterFirst: number[];
  aboveTarget: { col: number; weight: number }[];
  /** Each non-emergency bucket's parts with their weights (demand.ts `settleBucketWeights`). */
  parts: Map<Bucket, { col: number; weight: number }[]>;
  /** Per prepaid client: the parts whose hours are within its balance (levels 2, 3 and 5). */
  withinBalance: Map<string, number[]>;
}

export function newWeekContext(q: Quarter, week: number, deliveredBeforeQ: Map<string, number>): WeekContext {
  return { ...newContext(q), week, deliveredBeforeQ, partsRow: new Map(), fixedAfterFirst: [], aboveTarget: [], parts: new Map(), withinBalance: new Map() };
}

/** The week's second solve (solve.ts `Refinement`): levels 1-2 and pins fixed, levels 3-5 weighed. */
export function secondStage(ctx: WeekContext): (values: Float64Array) => { col: number; lower: number; upper: number; cost?: number }[] {
  let done = false;
  return (values) => {
    if (done) return [];
    done = true;
    return [
      ...ctx.fixedAfterFirst.map((col) => ({ col, lower: values[col]!, upper: values[col]! })),
      ...ctx.pins.flatMap((p) => (p.col === undefined ? [] : [{ col: p.col, lower: values[p.col]!, upper: values[p.col]! }])),
      ...ctx.aboveTarget.map(({ col, weight }) => ({ col, lower: 0, upper: Infinity, cost: weight })),
    ];
  };
}
