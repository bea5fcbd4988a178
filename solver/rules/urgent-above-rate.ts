/**
 * Level 3 (policy "urgent-above-rate"). Urgent prepaid work left once the level-2 target is
 * filled, above it but within what is left of the client's balance: also for a client whose open
 * work exceeds its balance (level 3 comes before level 4).
 */
import { plainWork, type Rule, type WeekContext } from './week-context.ts';

export const urgentAboveRate: Rule = {
  name: 'urgent above rate',
  level: 3,
  plan(ctx: WeekContext) {
    for (const t of ctx.open) {
      if (!t.client.prepaid || t.priority !== 1 || !plainWork(t)) continue;
      ctx.serve(t, ctx.balanceLeftQ[t.client.idx]!);
    }
  },
};

/** Whether level 3 plans this ticket's hours above its client's target (for explanations). */
export const urgentAboveRateTakes = (prepaid: boolean, priority: number): boolean => prepaid && priority === 1;
