/**
 * What-if: the quarter re-planned with some changes, in memory only. Nothing is written: the
 * scenario is exported in one read-only snapshot, changed, and solved on the solver pool.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Plan } from '../../../solver/index.ts';
import { badRequest, notFound } from '../../errors.ts';
import { diffPlans, type PlanDiff } from '../../planning/plan-diff.ts';
import { currentPlan, resolveQuarter } from '../../planning/plan-store.ts';
import type { Services } from '../../services.ts';
import { exportScenario } from '../quarters/scenario-io.ts';
import { blockShortfall, pushedOut, stripReserve, type PushedOut, type Reserved } from './availability.ts';
import { applyChanges, type Change } from './what-if-changes.ts';

export interface WhatIfResult {
  quarter: string;
  /** The plan version compared against; null when that plan was behind the data and was solved afresh. */
  basedOnVersion: number | null;
  plan: Plan & { reserved: Reserved[] };
  diff: PlanDiff;
  /** Only when the changes buy a block: true when nobody else is pushed below their rate and the block's rate fits. */
  available?: boolean;
  /** Other prepaid clients pushed below their rate in weeks where they had been at it. */
  pushedOut: PushedOut[];
  /** Only when the changes buy a block: weeks where the buyer's new rate could not be met. */
  blockShortfall?: PushedOut[];
}

const ROUNDING = 0.25;

export async function whatIf(s: Services, body: { quarter?: string; changes: Change[] }): Promise<WhatIfResult> {
  const em = s.store.reader();
  // Revision, data and plan from one snapshot, so "based on" means what it says.
  const snap = await em.transactional(
    async (tx) => {
      const q = await resolveQuarter(tx as EntityManager, body.quarter);
      if (!q) throw notFound(body.quarter ? `Quarter ${body.quarter}` : 'Quarter (none has been created yet)');
      if (q.closedAt) throw badRequest(`Quarter ${q.id} is closed: ask what-if questions about an open quarter.`);
      return { id: q.id, revision: q.dataRevision, scenario: await exportScenario(tx as EntityManager, q.id), stored: await currentPlan(tx as EntityManager, q) };
    },
    { isolationLevel: 'repeatable read' as never, readOnly: true },
  );
  const applied = applyChanges(snap.scenario, body.changes);
  const upToDate = snap.stored && snap.stored.dataRevision >= snap.revision ? snap.stored : null;
  const before = upToDate ? upToDate.plan : await s.pool.solve(snap.scenario);
  const raw = await s.pool.solve(applied.scenario);
  const plan = stripReserve(raw, applied.reserve);
  const pushed = pushedOut(before, raw, applied.blockClients);
  const result: WhatIfResult = { quarter: snap.id, basedOnVersion: upToDate?.version ?? null, plan, diff: diffPlans(before, plan), pushedOut: pushed };
  if (applied.blockClients.size > 0) {
    result.blockShortfall = blockShortfall(before, raw, applied.blockClients);
    result.available = pushed.length === 0 && result.blockShortfall.length === 0 && plan.reserved.every((r) => r.unplannedHours <= ROUNDING);
  }
  return result;
}
