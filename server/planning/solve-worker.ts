/** Worker thread: plans scenarios off the event loop so requests stay fast during a re-plan. */
import { parentPort } from 'node:worker_threads';
import { ScenarioError, plan, type PolicyInput } from '../../solver/index.ts';

export interface SolveRequest {
  id: number;
  scenario: unknown;
  policy?: PolicyInput;
  /** Test hook (SOLVER_DELAY_MS): hold the solve this long, to test a worker dying mid-solve. */
  delayMs?: number;
}

export type SolveResponse =
  | { id: number; type: 'progress'; week: number; weeks: number }
  | { id: number; type: 'done'; plan: ReturnType<typeof plan> }
  | { id: number; type: 'error'; message: string; scenarioIssues?: { path: string; message: string }[] };

parentPort!.on('message', (req: SolveRequest) => {
  const post = (msg: SolveResponse) => parentPort!.postMessage(msg);
  try {
    if (req.delayMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, req.delayMs);
    const result = plan(req.scenario, req.policy, { onProgress: (p) => post({ id: req.id, type: 'progress', ...p }) });
    post({ id: req.id, type: 'done', plan: result });
  } catch (e) {
    post({ id: req.id, type: 'error', message: (e as Error).message, ...(e instanceof ScenarioError ? { scenarioIssues: e.issues } : {}) });
  }
});
