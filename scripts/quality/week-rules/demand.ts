/**
 * DOMAIN.md "Tickets", for one week of the week-by-week LP: the open tickets' hours left after the
 * weeks already planned are this week's demand; nothing is planned before a ticket's opened week,
 * and a ticket needing a skill only where someone with it has hours this week.
 *
 * Buckets as in rules/tickets.ts (same client, skill, priority, first plannable week, emergency
 * flag and due week), each with one column for this week only, the sum of the columns of the level
 * its hours would fill (rules in this folder add them): `x = Σ parts`. The bucket row (pins
 * included, rules/pins.ts) keeps the week within the bucket's hours left. A due week moves a
 * ticket ahead of same-priority work (weights.ts DUE_WEEK, nearer due weeks first).
 */
import type { Bucket } from '../model-context.ts';
import { skilledCapacityQ } from '../model-context.ts';
import { toH } from '../quarter.ts';
import { groupBuckets } from '../rules/tickets.ts';
import type { WeekContext } from './week-context.ts';
import { DUE_WEEK } from './weights.ts';

export function addWeekDemand(ctx: WeekContext): void {
  const { q, lp, week: w } = ctx;
  groupBuckets(ctx, (t) => t.start <= w);
  for (const b of ctx.buckets) {
    const capQ = skilledCapacityQ(q, b.skill, w);
    if (capQ <= 0) {
      b.totalRow = lp.addRow(-Infinity, toH(b.hoursQ));
      continue;
    }
    const due = b.due !== null && !b.emergency ? DUE_WEEK / (1 + Math.max(0, b.due - w)) : 0;
    const col = lp.addColumn(due, 0, toH(Math.min(b.hoursQ, capQ)));
    b.x[w] = col;
    b.totalRow = lp.addRow(-Infinity, toH(b.hoursQ), [col]);
    // A bucket no level takes (its level left out of the policy, no target to fill) gets no hours.
    if (!b.emergency) ctx.partsRow.set(b, lp.addRow(0, 0, [col]));
    else ctx.fixedAfterFirst.push(col);
  }
}

/**
 * Adds a part of a bucket's week: hours of one level, `x = Σ parts`. A part above the target
 * (levels 3-5) is weighed only in the week's second solve (week-context.ts `secondStage`).
 */
export function addPart(ctx: WeekContext, b: Bucket, weight: number, upper = Infinity, aboveTarget = false): number {
  const col = ctx.lp.addColumn(aboveTarget ? 0 : weight, 0, upper);
  ctx.lp.addEntry(ctx.partsRow.get(b)!, col, -1);
  const part = { col, weight };
  if (aboveTarget) ctx.aboveTarget.push(part);
  else ctx.fixedAfterFirst.push(col);
  ctx.parts.set(b, [...(ctx.parts.get(b) ?? []), part]);
  return col;
}

/**
 * Moves the weight of a bucket's best part onto its week column, taking it off every part
 * (x = Σ parts, so neither solve's objective changes), so that the recovery's ranking of buckets
 * (recover.ts: which bucket gets the quarter hours rounding left) follows their levels.
 */
export function settleBucketWeights(ctx: WeekContext): void {
  for (const [b, parts] of ctx.parts) {
    const top = Math.max(...parts.map((p) => p.weight));
    ctx.lp.addCost(b.x[ctx.week]!, top);
    for (const p of parts) {
      ctx.lp.addCost(p.col, -top);
      p.weight -= top;
    }
  }
}
