/**
 * /api/plans: the plan in force, its versions and what moved between two of them. The plan's own
 * shape is the planner's contract (solver/contract.ts, SCENARIO.md), re-exported here for the
 * dashboard; each viewer gets it cut down (server/modules/plans/plan-view.ts).
 */
import { z } from 'zod';
import type { Allocation, ClientPlan, Plan, StaffPlan, TicketPlan, Unplanned, WeekPlan } from '../../solver/contract.ts';
import type { PlanDiff } from '../plan-diff.ts';
import { Id, Timestamp } from './fields.ts';

export type { Allocation, ClientPlan, Level, PinInput, PinIssue, Plan, StaffPlan, TicketPlan, Unplanned, WeekPlan } from '../../solver/contract.ts';
export type { ClientDiff, PlanDiff, TicketDiff } from '../plan-diff.ts';

export const PlanQuery = z.object({ quarter: Id.optional() });
export type PlanQuery = z.infer<typeof PlanQuery>;

const VERSION = 'must be a plan version number';
export const PlanVersionParam = z.object({ version: z.coerce.number({ error: VERSION }).int({ error: VERSION }).positive({ error: VERSION }).max(2_147_483_647, { error: VERSION }) });
export type PlanVersionParam = z.infer<typeof PlanVersionParam>;

export const PlanDiffQuery = z.object({ against: PlanVersionParam.shape.version.optional() });
export type PlanDiffQuery = z.infer<typeof PlanDiffQuery>;

/**
 * A plan as one viewer receives it. Managers get the whole plan; staff their own rows, the tickets
 * behind them, the team's weeks and of each client only `id` and `name`; a client its own figures,
 * tickets and weeks, without who works them.
 */
export interface PlanView {
  version: number;
  createdAt?: string;
  quarter: Plan['quarter'];
  policy?: Plan['policy'];
  allocations: (Omit<Allocation, 'staff'> & { staff?: string })[];
  tickets: (Omit<TicketPlan, 'staff'> & { staff?: string[] })[];
  clients: ClientPlan[];
  staff?: StaffPlan[];
  weeks?: WeekPlan[];
  unplanned: (Omit<Unplanned, 'takenBy'> & { takenBy?: Unplanned['takenBy'] })[];
  /** Managers only: the pins that could not hold in full, and why. */
  pinIssues?: Plan['pinIssues'];
  stats?: Partial<Plan['stats']>;
}
/** Checked by shape only: the planner's contract is TypeScript, tested by the solver's own suite. */
export const PlanView = z.custom<PlanView>((x) => typeof x === 'object' && x !== null && typeof (x as { version?: unknown }).version === 'number');

export const PlanVersions = z
  .object({
    quarter: z.string(),
    /** The version in force; null before the first plan. */
    current: z.number().int().nullable(),
    /** Newest first, the latest 200. */
    versions: z.array(z.object({ version: z.number().int(), createdAt: Timestamp, solveMs: z.number(), trigger: z.string(), dataRevision: z.number().int() }).strict()),
  })
  .strict();
export type PlanVersions = z.infer<typeof PlanVersions>;

/** GET /api/plans/:version/diff: from `against` (default: the version before) to `version`. */
export type PlanDiffResponse = PlanDiff & { from: number | null; to: number };
export const PlanDiffResponse = z.custom<PlanDiffResponse>((x) => typeof x === 'object' && x !== null && 'to' in x);
