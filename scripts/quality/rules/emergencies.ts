/**
 * DOMAIN.md level 1: emergencies are served in the week they are declared, before all other work,
 * prepaid clients' first; hours that do not fit stay first in line in the following weeks.
 *
 * Objective terms only: an emergency hour is worth far more than any other hour (1e5, against
 * at most a few thousand for a rate hour), a little more for a prepaid client, and less the later
 * it is served, with a convex penalty so that the oldest emergency hours go first.
 */
import type { ModelContext } from '../model-context.ts';

export const EMERGENCY_WEIGHT = 1e5;
const PREPAID_FIRST = 500;
const LATE = 1000;
const LATE_SQUARED = 200;

export function addEmergencies(ctx: ModelContext): void {
  for (const b of ctx.buckets) {
    if (!b.emergency) continue;
    b.x.forEach((col, w) => {
      if (col === undefined) return;
      const late = w - b.start;
      ctx.lp.addCost(col, EMERGENCY_WEIGHT + (b.client.prepaid ? PREPAID_FIRST : 0) - LATE * late - LATE_SQUARED * late * late);
    });
  }
}
