/**
 * Level 1. Emergencies are served in the week they are declared, before all other work, whoever
 * the client is: prepaid clients' first, then pay-as-you-go. Hours that do not fit stay first in
 * line in the following weeks (earlier declarations first).
 */
import type { MTicket } from '../model.ts';
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
    const due = ctx.open.filter((t) => t.emergency).sort(emergencyOrder);
    for (const t of due) {
      const got = ctx.serve(t, Number.MAX_SAFE_INTEGER);
      ctx.emergencyQ[t.client.idx]! += got;
    }
  },
};
