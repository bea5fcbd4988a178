/**
 * Level 1. Emergencies are served in the week they are declared, before all other work, whoever
 * the client is: prepaid clients' first, then pay-as-you-go. Hours that do not fit stay first in
 * line in the following weeks (earlier declarations first).
 *
 * A manager may pin who works an emergency: at the emergency's turn its pinned hours go to that
 * person first (rules/pins.ts holds them), then the rest goes to whoever can do it.
 */
import type { MTicket } from '../model.ts';
import { holdPin, weekPins } from './pins.ts';
import type { Rule, WeekContext } from './week-context.ts';

function emergencyOrder(a: MTicket, b: MTicket): number {
  if (a.client.prepaid !== b.client.prepaid) return a.client.prepaid ? -1 : 1;
  if (a.startWeek !== b.startWeek) return a.startWeek - b.startWeek;
  return a.rank - b.rank;
}

export const emergencies: Rule = {
  name: 'emergencies',
  level: 1,
  plan(ctx: WeekContext) {
    const pinned = weekPins(ctx).filter((p) => p.ticket!.emergency);
    const due = ctx.open.filter((t) => t.emergency && ctx.remQ[t.idx]! > 0).sort(emergencyOrder);
    for (const t of due) {
      for (const p of pinned) if (p.ticket === t) holdPin(ctx, p);
      const got = ctx.serve(t, ctx.remQ[t.idx]!);
      ctx.emergencyQ[t.client.idx]! += got;
    }
    // Pins on emergencies already done with: nothing left to hold (reported as such).
    for (const p of pinned) if (!due.includes(p.ticket!)) holdPin(ctx, p);
  },
};
