/**
 * DOMAIN.md level 1, for one week: emergencies first, prepaid clients' before PAYG clients'; hours
 * that did not fit an earlier week are first in line (they weigh more the longer they waited).
 * An emergency's hours count toward its client's rate (locked-in-rate.ts).
 */
import type { WeekContext } from './week-context.ts';
import { EMERGENCY, EMERGENCY_WAITED, PREPAID_EMERGENCY } from './weights.ts';

export function addWeekEmergencies(ctx: WeekContext): void {
  for (const b of ctx.buckets) {
    const col = b.x[ctx.week];
    if (!b.emergency || col === undefined) continue;
    ctx.lp.addCost(col, EMERGENCY + (b.client.prepaid ? PREPAID_EMERGENCY : 0) + EMERGENCY_WAITED * (ctx.week - b.start));
  }
}
