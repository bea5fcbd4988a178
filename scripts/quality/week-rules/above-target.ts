/**
 * DOMAIN.md levels 3-5, for one week: a client's hours above its level-2 target, by the order of
 * `policy.levels` (a level left out is not planned), higher priority first inside a level.
 *
 * - Level 3: a prepaid client's urgent (P1) work within its balance, also where its open work
 *   exceeds the balance.
 * - Level 4: PAYG work, and prepaid overage: the work of a client whose presented work exceeds its
 *   balance (quarter.ts `overageWeek`, this week's presented work) or whose balance is used up, and
 *   any prepaid hour beyond the balance left; by priority across clients, prepaid first at equal
 *   priority.
 * - Level 5: work ahead, the other prepaid work within the balance, with what nobody else needs.
 *
 * One part per bucket and level it can take (demand.ts); within-balance parts join the client's
 * balance row (balance.ts). An hour beyond the balance is never worth more than one within it, and
 * the client's beyond-balance hours are at most what all its work this week (emergencies and pins
 * included) exceeds its balance left by (the LP cannot say "only once the balance is used up":
 * that is not convex).
 */
import type { PolicyLevel } from '../../../solver/contract.ts';
import { skilledCapacityQ } from '../model-context.ts';
import { overageWeek, toH, toQ } from '../quarter.ts';
import { addPart } from './demand.ts';
import type { WeekContext } from './week-context.ts';
import { ABOVE_PRIORITY_STEP, BANDS, PREPAID_FIRST } from './weights.ts';

export function addWeekAboveTarget(ctx: WeekContext): void {
  const { q, lp, week: w } = ctx;
  const band = (level: PolicyLevel): number | undefined => {
    const i = q.levels.indexOf(level);
    return i < 0 ? undefined : BANDS[i];
  };
  const beyondRows = new Map<string, { cols: number[]; workQ: number }>();
  for (const b of ctx.buckets) {
    const col = b.x[w];
    if (b.emergency || col === undefined) continue;
    const c = b.client;
    const step = 4 - b.priority;
    const paygBand = band('payg');
    const overage = paygBand === undefined ? undefined : paygBand + ABOVE_PRIORITY_STEP * step + (c.prepaid ? PREPAID_FIRST : 0);
    if (!c.prepaid) {
      if (overage !== undefined) addPart(ctx, b, overage, Infinity, true);
      continue;
    }
    const balanceLeft = c.balance - toH(ctx.deliveredBeforeQ.get(c.id) ?? 0);
    const allOverage = balanceLeft <= 0 || (b.priority !== 1 && overageWeek(c, w));
    if (allOverage) {
      if (overage !== undefined) addPart(ctx, b, overage, Infinity, true);
      continue;
    }
    const withinBand = b.priority === 1 ? band('urgent-above-rate') : band('work-ahead');
    const within = withinBand === undefined ? undefined : withinBand + (b.priority === 1 ? 0 : ABOVE_PRIORITY_STEP * step);
    if (within !== undefined) {
      const list = ctx.withinBalance.get(c.id) ?? [];
      list.push(addPart(ctx, b, within, Infinity, true));
      ctx.withinBalance.set(c.id, list);
    }
    if (overage !== undefined) {
      const e = beyondRows.get(c.id) ?? { cols: [], workQ: 0 };
      e.cols.push(addPart(ctx, b, within === undefined ? overage : Math.min(within, overage), Infinity, true));
      beyondRows.set(c.id, e);
    }
  }
  for (const [id, e] of beyondRows) {
    const c = q.clientById.get(id)!;
    // All the client's work this week could be charged to its balance (an upper bound: which of it
    // is depends on the levels), emergencies and pins included.
    for (const b of ctx.buckets) if (b.client === c && b.x[w] !== undefined) e.workQ += Math.min(b.hoursQ, skilledCapacityQ(q, b.skill, w));
    for (const p of ctx.pins) if (p.col !== undefined && p.ticket!.client === id) e.workQ += toQ(p.pin.hours);
    const roomQ = Math.max(0, toQ(c.balance) - (ctx.deliveredBeforeQ.get(id) ?? 0) - (w === q.current ? c.loggedQ : 0));
    lp.addRow(-Infinity, toH(Math.max(0, e.workQ - roomQ)), e.cols);
  }
}
