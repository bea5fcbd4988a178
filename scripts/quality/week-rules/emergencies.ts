/**
 * DOMAIN.md level 1, for one week: emergencies first, prepaid clients' before PAYG clients'; hours
 * that did not fit an earlier week are first in line (they weigh more the longer they waited).
 * An emergency's hours count toward its client's rate (locked-in-rate.ts). A pin on an emergency
 * ticket holds emergency hours: its column weighs a little more than the bucket's, so the pinned
 * person does them (else the bucket would take the hours and the pin hold nothing).
 */
import type { Bucket } from '../model-context.ts';
import type { WeekContext } from './week-context.ts';
import { EMERGENCY, EMERGENCY_WAITED, PREPAID_EMERGENCY } from './weights.ts';

const PINNED = 1;

export function addWeekEmergencies(ctx: WeekContext): void {
  const weight = (b: Bucket) => EMERGENCY + (b.client.prepaid ? PREPAID_EMERGENCY : 0) + EMERGENCY_WAITED * (ctx.week - b.start);
  for (const b of ctx.buckets) {
    const col = b.x[ctx.week];
    if (b.emergency && col !== undefined) ctx.lp.addCost(col, weight(b));
  }
  for (const p of ctx.pins) {
    if (p.col === undefined || !p.ticket!.emergency) continue;
    ctx.lp.addCost(p.col, weight(ctx.bucketOfTicket.get(p.ticket!.id)!) + PINNED - ctx.lp.costOf(p.col));
  }
}
