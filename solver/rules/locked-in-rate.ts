/**
 * Level 2. Each prepaid client's locked-in weekly rate, filled with its open tickets, highest
 * priority first. Emergency hours (and hours logged this week) count toward the rate. When
 * capacity cannot meet every rate, tickets are served in rank order across clients (priority,
 * due week, lowest id), each as far as the people who can do it allow.
 *
 * The week's target is the rate rounded cumulatively to quarter hours over the planned weeks
 * (20 h over 13 weeks: 1.5, 1.5, 1.5, 1.75, …), rounded up at the end. In the quarter's last week
 * it is also lifted (to at most the rate rounded up) to what the client is still owed at the
 * rate, so quarter hours never create shortfall. It never exceeds the balance left: beyond it the work is overage, ranked as
 * pay-as-you-go.
 */
import { ceilQ, hoursOf } from '../quarter-hours.ts';
import type { Rule, WeekContext } from './week-context.ts';

export const lockedInRate: Rule = {
  name: 'locked-in rate',
  level: 2,
  plan(ctx: WeekContext) {
    const w = ctx.week;
    const left = new Int32Array(ctx.model.clients.length);
    for (const c of ctx.model.clients) {
      if (!c.prepaid || c.rate[w]! <= 0) continue;
      let target = c.rateQ[w]!;
      if (w === ctx.model.W - 1) {
        const owed = ceilQ(ctx.owedToDate(c) - hoursOf(ctx.deliveredBeforeQ(c)));
        target = Math.max(target, Math.min(ceilQ(c.rate[w]!), owed));
      }
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
