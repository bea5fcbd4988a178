/**
 * Level 3 (policy "urgent-above-rate"). Urgent prepaid work left once the rate is filled, above
 * the rate but within what is left of the client's balance.
 */
import type { Rule, WeekContext } from './week-context.ts';

export const urgentAboveRate: Rule = {
  name: 'urgent above rate',
  level: 3,
  plan(ctx: WeekContext) {
    for (const t of ctx.open) {
      if (!t.client.prepaid || t.priority !== 1) continue;
      ctx.serve(t, ctx.balanceLeftQ[t.client.idx]!);
    }
  },
};
