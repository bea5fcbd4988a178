/**
 * Runs HiGHS on the model under one time limit for the whole solve. The model is solved more than
 * once (rules/locked-in-rate.ts says why): after each solve the `refine` step changes some
 * columns' bounds and costs from the solution, and HiGHS continues from its basis, until nothing
 * changes or MAX_PASSES solves are done. A solve that hits the limit,
 * or ends without an optimal solution, is reported as such (never passed off as an answer).
 */
import * as highsModule from 'highs';
import type { Highs } from 'highs';
import type { LinearModel } from './linear-model.ts';

/**
 * Loads HiGHS (WebAssembly, compiled on load). highs ships one declaration file, read as CommonJS
 * under NodeNext, so TypeScript puts the loader one `default` deeper than the ES build Node loads.
 */
export const loadHighs = highsModule.default as unknown as typeof highsModule.default.default;

export type SolveStatus = 'optimal' | 'timeout' | 'failed';

export interface SolveResult {
  status: SolveStatus;
  /** HiGHS' model status name, for the report. */
  detail: string;
  values?: Float64Array;
  objective?: number;
  iterations: number;
  /** HiGHS runs: the first solve and its warm re-solves. */
  passes: number;
}

/** Solves in all: the first, then re-solves while the refinement still changes something. */
const MAX_PASSES = 4;

export type Refinement = (values: Float64Array) => { col: number; lower: number; upper: number; cost?: number }[];

export function solveLp(highs: Highs, lp: LinearModel, timeLimitSeconds: number, refine?: Refinement): SolveResult {
  const model = highs.createModel(lp.toHighs(highs));
  const codes = highs.constants.modelStatus;
  const inf = (x: number) => (x === Infinity ? highs.infinity : x);
  let iterations = 0;
  try {
    model.options.set({ output_flag: false, time_limit: timeLimitSeconds });
    for (let pass = 0; ; pass++) {
      const { modelStatus } = model.run();
      iterations += Number(model.info.get('simplex_iteration_count'));
      const detail = Object.entries(codes).find(([, v]) => v === modelStatus)?.[0] ?? String(modelStatus);
      if (modelStatus === codes.timeLimit) return { status: 'timeout', detail, iterations, passes: pass + 1 };
      // Nothing to decide (a week with no work left, say): the empty plan is the optimum.
      if (modelStatus === codes.empty) return { status: 'optimal', detail, values: new Float64Array(lp.columns), objective: 0, iterations, passes: pass + 1 };
      if (modelStatus !== codes.optimal) return { status: 'failed', detail, iterations, passes: pass + 1 };
      const values = model.getSolution().colValue;
      const changes = pass + 1 < MAX_PASSES && refine ? refine(values) : [];
      if (!changes.length) return { status: 'optimal', detail, values, objective: model.getObjectiveValue(), iterations, passes: pass + 1 };
      for (const c of changes) {
        model.changeColBounds(c.col, c.lower, inf(c.upper));
        if (c.cost !== undefined) model.changeColCost(c.col, c.cost);
      }
    }
  } finally {
    model.dispose();
  }
}
