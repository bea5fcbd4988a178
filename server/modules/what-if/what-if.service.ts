/**
 * What-if: the quarter re-planned with some changes, in memory only. Nothing is written: the
 * scenario is exported in one read-only snapshot, changed, and solved on the solver pool.
 *
 * The answer's `plan` is the quarter's plan as confirming would store it (solved from the saved
 * scenario); a block's availability is judged on a second plan in which its rate is reserved as
 * if the client had presented that much work (DOMAIN.md "What availability means").
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Change, WhatIfAnswer, WhatIfBody } from '../../../shared/api/what-if.ts';
import type { WhatIfMoney } from '../../../shared/api/revenue.ts';
import type { Plan, ScenarioInput } from '../../../solver/index.ts';
import type { Quarter } from '../../db/entities.ts';
import { badRequest, notFound } from '../../errors.ts';
import { diffPlans } from '../../planning/plan-diff.ts';
import { currentPlan, resolveQuarter, type StoredPlan } from '../../planning/plan-store.ts';
import type { Services } from '../../services.ts';
import { moneyInputs, totalsDelta } from '../money/money-inputs.ts';
import { quarterMoney, type ClientPrices } from '../money/quarter-money.ts';
import { exportScenario } from '../quarters/scenario-io.ts';
import { nextTicketId } from '../tickets/tickets.service.ts';
import { blockShortfall, pushedOut, reservedOf } from './availability.ts';
import { applyChanges } from './what-if-changes.ts';

/** The answer's shape is the contract's (shared/api/what-if.ts). */
export type WhatIfResult = WhatIfAnswer;

const ROUNDING = 0.25;

/** What a what-if reads, from one snapshot so "based on" means what it says. */
export interface WhatIfSnapshot {
  id: string;
  revision: number;
  scenario: ScenarioInput;
  stored: StoredPlan | null;
  nextTicketId: string;
  /** The clients' prices and the company currency, for the answer's money. */
  money: { prices: Map<string, ClientPrices>; currency: string };
}

/** The quarter a what-if is about: the one named, else the current one; it must be open. */
export async function openQuarter(tx: EntityManager, quarterId?: string): Promise<Quarter> {
  const q = await resolveQuarter(tx, quarterId);
  if (!q) throw notFound(quarterId ? `Quarter ${quarterId}` : 'Quarter (none has been created yet)');
  if (q.closedAt) throw badRequest(`Quarter ${q.id} is closed: ask what-if questions about an open quarter.`);
  return q;
}

export async function readSnapshot(tx: EntityManager, quarterId?: string): Promise<WhatIfSnapshot> {
  const q = await openQuarter(tx, quarterId);
  const scenario = await exportScenario(tx, q.id);
  return {
    id: q.id,
    revision: q.dataRevision,
    scenario,
    stored: await currentPlan(tx, q),
    nextTicketId: await nextTicketId(tx),
    money: await moneyInputs(tx, scenario.clients.map((c) => c.id)),
  };
}

export async function whatIf(s: Services, body: WhatIfBody): Promise<WhatIfResult> {
  const snap = await s.store.reader().transactional((tx) => readSnapshot(tx as EntityManager, body.quarter), { isolationLevel: 'repeatable read' as never, readOnly: true });
  return answer(s, snap, body.changes);
}

async function answer(s: Services, snap: WhatIfSnapshot, changes: Change[]): Promise<WhatIfResult> {
  const applied = applyChanges(snap.scenario, changes, snap.nextTicketId);
  const upToDate = snap.stored && snap.stored.dataRevision >= snap.revision ? snap.stored : null;
  const [before, plan, judged] = await Promise.all([
    upToDate ? upToDate.plan : s.pool.solve(snap.scenario),
    s.pool.solve(applied.saved),
    applied.judged ? s.pool.solve(applied.judged) : null,
  ]);
  const result: WhatIfResult = {
    quarter: snap.id,
    basedOnVersion: upToDate?.version ?? null,
    basedOnRevision: snap.revision,
    plan,
    diff: diffPlans(before, plan),
    pushedOut: pushedOut(before, judged ?? plan, applied.blockClients),
    money: moneyOf(snap, before, plan),
  };
  if (judged) {
    result.reserved = reservedOf(judged, applied.reserve);
    result.blockShortfall = blockShortfall(before, judged, applied.blockClients);
    result.available = result.pushedOut.length === 0 && result.blockShortfall.length === 0 && result.reserved.every((r) => r.unplannedHours <= ROUNDING);
  }
  return result;
}

/** What the changes do to the quarter's money: quarterMoney of the plan before and of the plan after. */
function moneyOf(snap: WhatIfSnapshot, before: Plan, after: Plan): WhatIfMoney {
  const { prices, currency } = snap.money;
  const b = quarterMoney(before, prices, currency).totals;
  const a = quarterMoney(after, prices, currency).totals;
  return { currency, before: b, after: a, delta: totalsDelta(b, a) };
}
