/**
 * The planning engine: scenario in, plan out. Pure: no I/O, nothing from the server or client.
 */
import type { Plan, PolicyInput } from './contract.ts';
import { runEngine } from './engine.ts';
import { buildPlan } from './figures.ts';
import { buildModel } from './model.ts';
import { resolvePolicy } from './policy.ts';
import { parseScenario, type Scenario } from './validate.ts';

export * from './contract.ts';
export { ScenarioError, parseScenario, policySchema, scenarioSchema, type Scenario, type ScenarioIssue } from './validate.ts';
export { DEFAULT_POLICY, resolvePolicy, type Policy } from './policy.ts';
export { describeTakenBy } from './explain.ts';
export { compareIds } from './quarter-hours.ts';

export interface PlanOptions {
  /** Called after each week is planned (for progress bars on long solves). */
  onProgress?: (progress: { week: number; weeks: number }) => void;
}

/**
 * Plans a quarter. `scenario` is validated first (ScenarioError names every bad field);
 * `policy` overrides the scenario's own policy.
 */
export function plan(scenario: unknown, policy?: PolicyInput, options: PlanOptions = {}): Plan {
  const started = performance.now();
  const s: Scenario = parseScenario(scenario);
  const resolved = resolvePolicy(s.policy, policy);
  const model = buildModel(s);
  const engine = runEngine(model, resolved, options.onProgress);
  const body = buildPlan(model, resolved, engine);
  return {
    ...body,
    stats: {
      solveMs: Math.round((performance.now() - started) * 100) / 100,
      augmentations: engine.augmentations,
      lpSolves: engine.assignStats.lpSolves,
      lpFallbacks: engine.assignStats.lpFallbacks,
    },
  };
}
