/**
 * DOMAIN.md "Within a level": a due week can move a ticket ahead of same-priority work, and
 * weeks are planned in order, so work is done as early as it can be (which also keeps anyone from
 * sitting idle while work they could do is planned later).
 *
 * Objective terms only, smaller than one priority step of the level rules: a bonus for an hour
 * planned by its ticket's due week, and a small discount per week of delay.
 */
import type { ModelContext } from '../model-context.ts';

const BY_DUE_WEEK = 0.3;
const PER_WEEK_LATER = 0.05;

export function addWithinLevelOrder(ctx: ModelContext): void {
  for (const b of ctx.buckets) {
    if (b.emergency) continue;
    b.x.forEach((col, w) => {
      if (col === undefined) return;
      ctx.lp.addCost(col, (b.due !== null && w <= b.due ? BY_DUE_WEEK : 0) - PER_WEEK_LATER * (w - ctx.q.current));
    });
  }
}
