/**
 * The whole-quarter LP, built rule by rule (one file per DOMAIN.md rule under rules/). The order
 * matters only where a rule adds entries to another's rows: demand first, then pins (which join
 * the bucket rows), then capacity and the rate (which read the demand and pin columns).
 */
import type { ScenarioInput } from '../../solver/contract.ts';
import { newContext, type ModelContext } from './model-context.ts';
import { readQuarter } from './quarter.ts';
import { addEmergencies, pinEmergencies } from './rules/emergencies.ts';
import { addLockedInRate } from './rules/locked-in-rate.ts';
import { addPaygAndOverage } from './rules/payg-and-overage.ts';
import { addPins } from './rules/pins.ts';
import { addSkillCapacity } from './rules/skills-and-capacity.ts';
import { addTicketDemand } from './rules/tickets.ts';
import { addUrgentAboveRate } from './rules/urgent-above-rate.ts';
import { addWithinLevelOrder } from './rules/within-level-order.ts';
import { addWorkAhead } from './rules/work-ahead.ts';

export interface ModelSize {
  buckets: number;
  columns: number;
  rows: number;
  capacityRows: number;
  entries: number;
}

export function buildModel(scenario: ScenarioInput): { ctx: ModelContext; size: ModelSize } {
  const ctx = newContext(readQuarter(scenario));
  addTicketDemand(ctx);
  addPins(ctx, scenario.pins ?? []);
  const capacity = addSkillCapacity(ctx);
  addEmergencies(ctx);
  addLockedInRate(ctx);
  addUrgentAboveRate(ctx);
  addPaygAndOverage(ctx);
  addWorkAhead(ctx);
  addWithinLevelOrder(ctx);
  pinEmergencies(ctx);
  const { lp } = ctx;
  return {
    ctx,
    size: { buckets: ctx.buckets.length, columns: lp.columns, rows: lp.rowCount, capacityRows: capacity.rows, entries: lp.entries },
  };
}
