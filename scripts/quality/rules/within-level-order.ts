/**
 * DOMAIN.md "Within a level": higher priority first, and a due week can move a ticket ahead of
 * same-priority work; weeks are planned in order, so work is done as early as it can be, and
 * nobody sits idle while work they could do is planned later.
 *
 * Objective terms only, smaller than one priority step of the level rules: a bonus for an hour
 * planned by its ticket's due week, and a discount per week of delay proportional to the hour's
 * weight (3 % a week, compounded), so that where two hours of different weight could swap weeks
 * the weightier one (a higher level, or a higher priority) comes first.
 */
import type { ModelContext } from '../model-context.ts';

const BY_DUE_WEEK = 0.3;
/** Share of an hour's weight lost per week of delay. */
const PER_WEEK_LATER = 0.03;

export function addWithinLevelOrder(ctx: ModelContext): void {
  for (const b of ctx.buckets) {
    if (b.emergency) continue;
    b.x.forEach((col, w) => {
      if (col === undefined) return;
      const weight = ctx.lp.costOf(col);
      // A cost (a level left out of the policy) shrinks instead: such work is not done ahead.
      const delay = weight * (1 - (1 - PER_WEEK_LATER) ** (w - ctx.q.current));
      ctx.lp.addCost(col, (b.due !== null && w <= b.due ? BY_DUE_WEEK : 0) - delay);
    });
  }
}
