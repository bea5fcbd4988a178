/**
 * Worker thread: plans scenarios off the event loop so requests stay fast during a re-plan.
 *
 * A what-if wants the plan itself (`pack: false`). A re-plan wants it ready to store
 * (`pack: true`): serialized once and compressed here, with its content hash and the digest a
 * diff reads (plan-diff.ts), so the main thread never serializes, copies or walks the plan.
 */
import { parentPort } from 'node:worker_threads';
import { ScenarioError, plan, type Plan, type PlanStats, type PolicyInput } from '../../solver/index.ts';
import { packPlan, type PackedPlan } from './plan-codec.ts';
import { digestPlan, type PlanDigest } from './plan-diff.ts';

export interface SolveRequest {
  id: number;
  scenario: unknown;
  policy?: PolicyInput;
  /** Answer a PackedSolve instead of the plan. */
  pack?: boolean;
  /** Test hook (SOLVER_DELAY_MS): hold the solve this long, to test a worker dying mid-solve. */
  delayMs?: number;
}

/** A plan ready to commit: stored bytes, hash, digest, and where the thread's time went. */
export interface PackedSolve extends PackedPlan {
  stats: PlanStats;
  digest: PlanDigest;
  ms: { plan: number; serialize: number; compress: number; digest: number };
}

export type SolveResponse =
  | { id: number; type: 'progress'; week: number; weeks: number }
  | { id: number; type: 'done'; plan: Plan }
  | { id: number; type: 'packed'; solved: PackedSolve }
  | { id: number; type: 'error'; message: string; scenarioIssues?: { path: string; message: string }[] };

function packed(result: Plan, planMs: number): PackedSolve {
  const { ms, ...stored } = packPlan(result);
  const t = performance.now();
  const digest = digestPlan(result, stored.hash);
  return { ...stored, stats: result.stats, digest, ms: { plan: planMs, serialize: ms.serializeMs, compress: ms.compressMs, digest: performance.now() - t } };
}

parentPort!.on('message', (req: SolveRequest) => {
  const post = (msg: SolveResponse) => parentPort!.postMessage(msg);
  try {
    if (req.delayMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, req.delayMs);
    const t = performance.now();
    const result = plan(req.scenario, req.policy, { onProgress: (p) => post({ id: req.id, type: 'progress', ...p }) });
    if (req.pack) post({ id: req.id, type: 'packed', solved: packed(result, performance.now() - t) });
    else post({ id: req.id, type: 'done', plan: result });
  } catch (e) {
    post({ id: req.id, type: 'error', message: (e as Error).message, ...(e instanceof ScenarioError ? { scenarioIssues: e.issues } : {}) });
  }
});
