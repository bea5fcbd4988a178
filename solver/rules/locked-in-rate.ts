/**
 * Level 2. Each prepaid client's locked-in weekly rate, filled with its open tickets, highest
 * priority first. Emergency hours (and hours logged this week) count toward the rate. When
 * capacity cannot meet every rate, tickets are served in rank order across clients (priority,
 * due week, lowest id), each as far as the people who can do it allow.
 *
 * The week's target is the rate in quarter hours, rounded cumulatively over the planned weeks
 * (20 h over 13 weeks: 1.5, 1.5, 1.5, 1.75, …), or, where more, what the client is owed at the
 * rate (its presented work at the exact rate, DOMAIN.md's `ideal`) rounded the same way: either
 * way every week is within a quarter hour of the exact rate and the quarter's total never falls
 * short of what is owed, so quarter hours never create shortfall. It never exceeds the balance
 * left: beyond it the work is overage, ranked as pay-as-you-go.
 */
import type { Rule, WeekContext } from './week-context.ts';

export const lockedInRate: Rule = {
  name: 'locked-in rate',
  level: 2,
  plan(ctx: WeekContext) {
    const w = ctx.week;
    const left = new Int32Array(ctx.model.clients.length);
    for (const c of ctx.model.clients) {
      if (!c.prepaid || c.rate[w]! <= 0) continue;
      const target = Math.max(c.rateQ[w]!, ctx.owedQ(c));
      ctx.rateTargetQ[c.idx] = target;
      const alreadyCounted = ctx.weekQ[c.idx]!; // emergencies and hours logged this week
      left[c.idx] = Math.min(Math.max(0, target - alreadyCounted), ctx.balanceLeftQ[c.idx]!);
    }
    for (const t of ctx.open) {
      const c = t.client;
      if (!c.prepaid || left[c.idx]! <= 0) continue;
      left[c.idx]! -= ctx.serve(t, left[c.idx]!);
    }
  },
};
