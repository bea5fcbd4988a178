/**
 * DOMAIN.md level 2, for one week: each prepaid client's level-2 target, its own week ideal[w]
 * plus what it is behind (`max(0, shortfall to date + Σ ideal − Σ delivered)`, the sums over the
 * planned weeks before this one), never above the balance left, in quarter hours with ideal[]
 * rounded cumulatively as DOMAIN.md plans a fractional rate (quarter.ts `cumulativeQuarters`, the
 * rounding of the whole-quarter LP's catch-up rows; the shortfall to date rounded up, in the
 * client's favour). Every client's own week comes before anyone's catch-up
 * (weights.ts OWN_WEEK ≫ CATCH_UP), both before levels 3-5; where capacity cannot meet every
 * target, higher-priority tickets first, then the lowest ticket id (LEVEL2_PRIORITY_STEP, LEVEL2_ID_ORDER).
 *
 * Adds, per prepaid client with a target this week:
 * - per bucket of its (non-emergency) work, a part `x2` of the hours filling the target;
 * - `own ≤ own week`, `catch ≤ target − own week`, rewarded, with `own + catch = Σ x2 + u`, where
 *   `u ≤` the client's emergency, pinned and logged hours this week: those count toward the target
 *   first (COUNTED_TOWARD_TARGET), so tickets only fill what they leave.
 * Nothing here looks at a later week: hours delivered ahead in an earlier week only lower the
 * catch-up, never this week's own ideal[w].
 */
import type { Bucket } from '../model-context.ts';
import { ceilQ, cumulativeQuarters, toH, toQ } from '../quarter.ts';
import { addPart } from './demand.ts';
import type { WeekContext } from './week-context.ts';
import { CATCH_UP, COUNTED_TOWARD_TARGET, LEVEL2_ID_ORDER, LEVEL2_PRIORITY_STEP, OWN_WEEK } from './weights.ts';

export function addWeekRate(ctx: WeekContext): void {
  const { q, lp, week: w } = ctx;
  // q.tickets is in natural id order: a bucket ranks by its first ticket.
  const idRank = new Map(q.tickets.map((t, i) => [t.id, i]));
  const idBonus = (b: Bucket) => LEVEL2_ID_ORDER * (1 - idRank.get(b.tickets[0]!.id)! / q.tickets.length);
  for (const c of q.clients) {
    if (!c.prepaid) continue;
    // ideal[] rounded cumulatively from the current week (DOMAIN.md: 20 h over 13 weeks is 1.5,
    // 1.5, 1.5, 1.75, …), as the whole-quarter LP's catch-up rows round it: this week's own step,
    // and what the client is behind against the rounded total of the weeks before.
    const owedQ = cumulativeQuarters(c.ideal.slice(q.current));
    const i = w - q.current;
    const ownStepQ = owedQ[i]! - (owedQ[i - 1] ?? 0);
    const deliveredQ = ctx.deliveredBeforeQ.get(c.id) ?? 0;
    const behindQ = Math.max(0, ceilQ(c.shortfallToDate) + (owedQ[i - 1] ?? 0) - deliveredQ);
    const targetQ = Math.min(Math.max(0, toQ(c.balance) - deliveredQ), ownStepQ + behindQ);
    if (targetQ <= 0) continue;
    const ownQ = Math.min(targetQ, ownStepQ);
    const own = lp.addColumn(OWN_WEEK, 0, toH(ownQ));
    const catchUp = lp.addColumn(CATCH_UP, 0, toH(targetQ - ownQ));
    const counted = lp.addColumn(COUNTED_TOWARD_TARGET, 0, Infinity);
    const fill = lp.addRow(0, 0, [own, catchUp, counted], [1, 1, -1]);
    const logged = toH(w === q.current ? c.loggedQ : 0);
    const countedRow = lp.addRow(-Infinity, logged, [counted]);
    const within = ctx.withinBalance.get(c.id) ?? [];
    for (const b of ctx.buckets) {
      const col = b.x[w];
      if (b.client !== c || col === undefined) continue;
      if (b.emergency) {
        lp.addEntry(countedRow, col, -1);
        continue;
      }
      const x2 = addPart(ctx, b, LEVEL2_PRIORITY_STEP * (4 - b.priority) + idBonus(b), toH(targetQ));
      lp.addEntry(fill, x2, -1);
      within.push(x2);
    }
    for (const p of ctx.pins) if (p.col !== undefined && p.ticket!.client === c.id) lp.addEntry(countedRow, p.col, -1);
    ctx.withinBalance.set(c.id, within);
  }
}
