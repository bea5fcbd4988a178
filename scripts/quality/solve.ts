/**
 * Runs HiGHS on the model under a time limit. A solve that hits the limit, or ends without a
 * primal solution, is reported as such (never passed off as an answer).
 */
import type { Highs } from 'highs';
import type { LinearModel } from './linear-model.ts';

export type SolveStatus = 'optimal' | 'timeout' | 'failed';

export interface SolveResult {
  status: SolveStatus;
  /** HiGHS' model status name, for the report. */
  detail: string;
  values?: Float64Array;
  objective?: number;
  iterations?: number;
}

export function solveLp(highs: Highs, lp: LinearModel, timeLimitSeconds: number): SolveResult {
  const model = highs.createModel(lp.toHighs(highs));
  try {
    model.options.set({ output_flag: false, time_limit: timeLimitSeconds });
    const { modelStatus } = model.run();
    const codes = highs.constants.modelStatus;
    const detail = Object.entries(codes).find(([, v]) => v === modelStatus)?.[0] ?? String(modelStatus);
    const iterations = Number(model.info.get('simplex_iteration_count'));
    if (modelStatus === codes.timeLimit) return { status: 'timeout', detail, iterations };
    if (modelStatus !== codes.optimal) return { status: 'failed', detail, iterations };
    return { status: 'optimal', detail, values: model.getSolution().colValue, objective: model.getObjectiveValue(), iterations };
  } finally {
    model.dispose();
  }
}
