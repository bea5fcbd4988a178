/**
 * DOMAIN.md "Balance", for one week: a prepaid client's hours at levels 2, 3 and 5 are within what
 * is left of its balance at the start of the week, less the hours logged this week and what its
 * emergencies and pins take first (as levels.ts labels them: emergencies and pins are counted
 * before the other work). What exceeds it is overage (level 4, above-target.ts).
 */
import { toH, toQ } from '../quarter.ts';
import type { WeekContext } from './week-context.ts';
import { TAKEN_FROM_BALANCE } from './weights.ts';

export function addWeekBalance(ctx: WeekContext): void {
  const { q, lp, week: w } = ctx;
  for (const [id, within] of ctx.withinBalance) {
    if (!within.length) continue;
    const c = q.clientById.get(id)!;
    const roomQ = Math.max(0, toQ(c.balance) - (ctx.deliveredBeforeQ.get(id) ?? 0) - (w === q.current ? c.loggedQ : 0));
    const taken = lp.addColumn(TAKEN_FROM_BALANCE, 0, Infinity);
    lp.addRow(-Infinity, toH(roomQ), [...within, taken]);
    const takenRow = lp.addRow(-Infinity, 0, [taken]);
    for (const b of ctx.buckets) if (b.client === c && b.emergency && b.x[w] !== undefined) lp.addEntry(takenRow, b.x[w]!, -1);
    for (const p of ctx.pins) if (p.col !== undefined && p.ticket!.client === id) lp.addEntry(takenRow, p.col, -1);
  }
}
