/**
 * Level 5 (policy "work-ahead"). Prepaid work above the rate, within the balance, with capacity
 * nobody else needs this week: it finishes work sooner and lowers the hours at risk of expiring.
 * With `catchUpFirst`, clients the company is behind on (owed at the rate, not delivered) are
 * caught up first, which pays back rollover debt before it is incurred.
 */
import { ceilQ, hoursOf } from '../quarter-hours.ts';
import type { Rule, WeekContext } from './week-context.ts';

export const workAhead: Rule = {
  name: 'work ahead',
  level: 5,
  plan(ctx: WeekContext) {
    if (ctx.policy.catchUpFirst) {
      const behind = new Int32Array(ctx.model.clients.length);
      for (const c of ctx.model.clients) {
        if (!c.prepaid) continue;
        const delivered = hoursOf(ctx.deliveredBeforeQ(c) + ctx.weekQ[c.idx]!);
        behind[c.idx] = Math.max(0, ceilQ(ctx.owedToDate(c) - delivered));
      }
      for (const t of ctx.open) {
        const c = t.client;
        if (!c.prepaid || behind[c.idx]! <= 0) continue;
        behind[c.idx]! -= ctx.serve(t, Math.min(behind[c.idx]!, ctx.balanceLeftQ[c.idx]!));
      }
    }
    for (const t of ctx.open) {
      if (!t.client.prepaid) continue;
      ctx.serve(t, ctx.balanceLeftQ[t.client.idx]!);
    }
  },
};
