/**
 * Level 4 (policy "payg"). Pay-as-you-go tickets, and prepaid work beyond what is left of the
 * client's balance (overage: billed and ranked as pay-as-you-go), by rank across clients.
 */
import type { Rule, WeekContext } from './week-context.ts';

export const paygAndOverage: Rule = {
  name: 'pay-as-you-go and overage',
  level: 4,
  plan(ctx: WeekContext) {
    for (const t of ctx.open) {
      if (t.client.prepaid && ctx.balanceLeftQ[t.client.idx]! > 0) continue;
      ctx.serve(t, Number.MAX_SAFE_INTEGER);
    }
  },
};
