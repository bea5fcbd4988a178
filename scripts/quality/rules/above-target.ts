/**
 * Shared by the rules of levels 3-5 (DOMAIN.md): which of them an hour above a client's level-2
 * target belongs to, and how much an hour of each is worth given the order of `policy.levels`.
 *
 * The LP has no column per level: a client's hours in a week are one set of bucket columns, and
 * the hours that fill the target are rewarded through locked-in-rate.ts. Every hour also carries
 * the weight of the level it would have above the target, so the LP fills capacity in the
 * policy's order once the rates are met; a level left out of the policy gets a small cost instead,
 * so its work is only planned where it fills a rate.
 */
import type { PolicyLevel } from '../../../solver/contract.ts';
import type { Bucket, ModelContext } from '../model-context.ts';
import { overageWeek } from '../quarter.ts';

/** Weight of an hour at the first, second and third level of `policy.levels`. */
const BANDS = [40, 25, 10] as const;
const LEFT_OUT = -1;

/**
 * The level of a bucket's hours above its client's target. DOMAIN.md makes them overage from the
 * first week the client's presented work exceeds its balance; the LP values them as overage all
 * quarter long for such a client, so that no hour is worth more for being done later (else the
 * LP would hold work back from idle weeks until it counts as overage).
 */
export function aboveTargetLevel(b: Bucket): PolicyLevel {
  if (!b.client.prepaid) return 'payg';
  if (b.priority === 1 && b.client.balance > 0) return 'urgent-above-rate';
  return overageWeek(b.client, b.client.presented.length - 1) ? 'payg' : 'work-ahead';
}

/** Adds `spread(bucket)` on top of the level's band to every non-emergency hour of that level. */
export function weighLevel(ctx: ModelContext, level: PolicyLevel, spread: (b: Bucket) => number): void {
  const position = ctx.q.levels.indexOf(level);
  for (const b of ctx.buckets) {
    if (b.emergency) continue;
    b.x.forEach((col) => {
      if (col === undefined || aboveTargetLevel(b) !== level) return;
      ctx.lp.addCost(col, position < 0 ? LEFT_OUT : BANDS[position]! + spread(b));
    });
  }
}
