/**
 * DOMAIN.md "Within a level": higher priority first, and a due week can move a ticket ahead of
 * same-priority work; weeks are planned in order, so work is done as early as it can be, and
 * nobody sits idle while work they could do is planned later.
 *
 * Objective terms only: a bonus for every hour by how early it is done (the same for all work, so
 * within a week it orders nothing); a bonus for an hour planned by its ticket's due week; and a
 * discount per week of delay proportional to the hour's weight (3 % a week, compounded), so that
 * where two hours of different weight could swap weeks the weightier one (a higher level, or a
 * higher priority) comes first. The last two are smaller than one priority step of the levels.
 */
import { LEVEL_NAMES } from '../../../solver/contract.ts';
import type { ModelContext } from '../model-context.ts';

const BY_DUE_WEEK = 0.3;
/**
 * Per hour and week earlier, on every hour alike (so it never changes which work a week gets,
 * only how much of it is done as early as it can be): more than an own week's weight, so that the
 * LP never leaves a week's capacity idle to keep a client's work for a later own week. Only under
 * a policy that plans every level: where one is left out, its work must stay a cost, and DOMAIN.md
 * asks that nobody sit idle under the default policy alone.
 */
const EARLIER = 250;
/** Share of an hour's weight lost per week of delay. */
const PER_WEEK_LATER = 0.03;

export function addWithinLevelOrder(ctx: ModelContext): void {
  const everyLevel = LEVEL_NAMES.every((l) => ctx.q.levels.includes(l));
  const earlier = (w: number) => (everyLevel ? EARLIER * (ctx.q.W - 1 - w) : 0);
  for (const b of ctx.buckets) {
    b.x.forEach((col, w) => {
      if (col !== undefined) ctx.lp.addCost(col, earlier(w));
    });
    if (b.emergency) continue;
    b.x.forEach((col, w) => {
      if (col === undefined) return;
      const weight = ctx.lp.costOf(col) - earlier(w);
      // A cost (a level left out of the policy) shrinks instead: such work is not done ahead.
      const delay = weight * (1 - (1 - PER_WEEK_LATER) ** (w - ctx.q.current));
      ctx.lp.addCost(col, (b.due !== null && w <= b.due ? BY_DUE_WEEK : 0) - delay);
    });
  }
}
