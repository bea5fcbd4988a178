/**
 * DOMAIN.md level 2: each prepaid client's locked-in rate. Its target in week w is its own week,
 * ideal[w], plus what it is behind, max(0, shortfall to date + Σ ideal − Σ delivered) over the
 * weeks before; what is still behind at quarter end is shortfall (and rolls over).
 *
 * Adds, per prepaid client that is owed anything, a column of hours delivered in each week
 * (planned, pinned, and logged this week; emergencies and overage included, as DOMAIN.md counts
 * them) and a column `behind[w] ≥ shortfall to date + Σ ideal − Σ delivered` (sums through w),
 * penalised for every week it lasts and heavily at quarter end (the shortfall). The owed hours are
 * rounded cumulatively to quarter hours, as DOMAIN.md plans a fractional rate, the last week
 * rounding up (the shortfall is reported in the client's favour); with every bound a whole number
 * of quarter hours, most of the solution is too, which keeps the recovery's rounding small.
 *
 * What it approximates: every hour behind costs the same whoever's it is, so "every client's own
 * week before anyone's catch-up" and "highest priority first when targets cannot all be met" are
 * left to the smaller per-hour weights of the other rules.
 */
import type { ModelContext } from '../model-context.ts';
import { ceilQ, toH, toQ } from '../quarter.ts';

/** Per hour and week a client is behind its rate: above any level 3-5 hour (≤ 50). */
export const BEHIND_WEIGHT = 100;
/** Per hour still behind at quarter end. */
export const SHORTFALL_WEIGHT = 1000;

export function addLockedInRate(ctx: ModelContext): void {
  const { q, lp } = ctx;
  for (const c of q.clients) {
    const owedTotal = c.shortfallToDate + q.weeks.reduce((h, w) => h + c.ideal[w]!, 0);
    if (!c.prepaid || owedTotal <= 0) continue;
    const buckets = ctx.buckets.filter((b) => b.client === c);
    const delivered: number[] = [];
    for (const w of q.weeks) {
      const d = lp.addColumn(0, 0, Infinity);
      const row = lp.addRow(toH(w === q.current ? c.loggedQ : 0), toH(w === q.current ? c.loggedQ : 0), [d]);
      for (const b of buckets) if (b.x[w] !== undefined) lp.addEntry(row, b.x[w]!, -1);
      for (const p of ctx.pins) if (p.col !== undefined && p.pin.week === w && p.ticket!.client === c.id) lp.addEntry(row, p.col, -1);
      delivered[w] = d;
    }
    ctx.delivered.set(c.id, delivered);
    let owed = c.shortfallToDate;
    const cumulative: number[] = [];
    for (const w of q.weeks) {
      owed += c.ideal[w]!;
      cumulative.push(delivered[w]!);
      const last = w === q.W - 1;
      const behind = lp.addColumn(-BEHIND_WEIGHT - (last ? SHORTFALL_WEIGHT : 0), 0, Infinity);
      lp.addRow(toH(last ? ceilQ(owed) : toQ(owed)), Infinity, [behind, ...cumulative]);
    }
  }
}
