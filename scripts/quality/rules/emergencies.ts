/**
 * DOMAIN.md level 1: emergencies are served in the week they are declared, before all other work,
 * prepaid clients' first; hours that do not fit stay first in line in the following weeks.
 *
 * Objective terms only: an emergency hour is worth far more than any other hour (1e5, against at
 * most a few thousand for a rate hour), less the later it is served. The lateness penalty is
 * convex, so the oldest emergency hours go first, and twice as steep for a prepaid client, so that
 * where a prepaid and a PAYG emergency compete for a week the prepaid one gets it (a flat bonus
 * would not do: both are served in the end, only the order differs). A pin on an emergency ticket
 * holds emergency hours (pinEmergencies, once every rule has weighed the buckets).
 */
import type { Bucket, ModelContext } from '../model-context.ts';

export const EMERGENCY_WEIGHT = 1e5;
const LATE = 1000;
const LATE_SQUARED = 200;
const PREPAID_STEEPER = 2;
const PINNED = 1;

/** An emergency bucket's hour in week w: worth less the later it is served, steeper for a prepaid client. */
function emergencyWeight(b: Bucket, w: number): number {
  const late = w - b.start;
  return EMERGENCY_WEIGHT - (b.client.prepaid ? PREPAID_STEEPER : 1) * (LATE * late + LATE_SQUARED * late * late);
}

export function addEmergencies(ctx: ModelContext): void {
  for (const b of ctx.buckets) {
    if (!b.emergency) continue;
    b.x.forEach((col, w) => {
      if (col !== undefined) ctx.lp.addCost(col, emergencyWeight(b, w));
    });
  }
}

/**
 * A pin on an emergency ticket: its column weighs a little more than the emergency bucket's in the
 * pin's week, so the pinned person does those hours (else the bucket, worth more than a pin, would
 * take them and the pin hold nothing). Called after every other rule has added its weights.
 */
export function pinEmergencies(ctx: ModelContext): void {
  for (const p of ctx.pins) {
    if (p.col === undefined || !p.ticket!.emergency) continue;
    const b = ctx.bucketOfTicket.get(p.ticket!.id)!;
    const col = b.x[p.pin.week];
    const bucketWeight = col === undefined ? emergencyWeight(b, p.pin.week) : ctx.lp.costOf(col);
    ctx.lp.addCost(p.col, bucketWeight + PINNED - ctx.lp.costOf(p.col));
  }
}
