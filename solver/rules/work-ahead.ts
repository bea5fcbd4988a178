/**
 * Level 5 (policy "work-ahead"). Prepaid work above the level-2 target, within the balance, of
 * clients whose open work fits in what is left of their balance, with capacity nobody else needs
 * this week: it finishes work sooner and lowers the hours at risk of expiring. (Catch-up of a
 * missed rate is level 2 now: rules/locked-in-rate.ts.)
 */
import { isOverageOrPayg } from './payg-and-overage.ts';
import { plainWork, type Rule, type WeekContext } from './week-context.ts';

export const workAhead: Rule = {
  name: 'work ahead',
  level: 5,
  plan(ctx: WeekContext) {
    for (const t of ctx.open) {
      const c = t.client;
      if (!c.prepaid || !plainWork(t) || isOverageOrPayg(c, ctx.week, ctx.balanceLeftQ[c.idx]!)) continue;
      ctx.serve(t, ctx.balanceLeftQ[c.idx]!);
    }
  },
};
