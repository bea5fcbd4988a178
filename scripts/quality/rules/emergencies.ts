/**
 * DOMAIN.md level 1: emergencies are served in the week they are declared, before all other work,
 * prepaid clients' first; hours that do not fit stay first in line in the following weeks.
 *
 * Objective terms only: an emergency hour is worth far more than any other hour (1e5, against at
 * most a few thousand for a rate hour), less the later it is served. The lateness penalty is
 * convex, so the oldest emergency hours go first, and twice as steep for a prepaid client, so that
 * where a prepaid and a PAYG emergency compete for a week the prepaid one gets it (a flat bonus
 * would not do: both are served in the end, only the order differs).
 */
import type { ModelContext } from '../model-context.ts';

export const EMERGENCY_WEIGHT = 1e5;
const LATE = 1000;
const LATE_SQUARED = 200;
const PREPAID_STEEPER = 2;

export function addEmergencies(ctx: ModelContext): void {
  for (const b of ctx.buckets) {
    if (!b.emergency) continue;
    const steep = b.client.prepaid ? PREPAID_STEEPER : 1;
    b.x.forEach((col, w) => {
      if (col === undefined) return;
      const late = w - b.start;
      ctx.lp.addCost(col, EMERGENCY_WEIGHT - steep * (LATE * late + LATE_SQUARED * late * late));
    });
  }
}
