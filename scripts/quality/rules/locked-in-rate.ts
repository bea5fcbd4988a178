/**
 * DOMAIN.md level 2: each prepaid client's locked-in rate. Its target in week w is its own week,
 * ideal[w], plus what it is behind, max(0, shortfall to date + Σ ideal − Σ delivered) over the
 * weeks before; hours delivered ahead never shrink a later week's own ideal[w]; what is still
 * behind at quarter end is shortfall (and rolls over).
 *
 * Adds, per prepaid client that is owed anything:
 * - a column of hours delivered in each week (planned, pinned, and logged this week; emergencies
 *   and overage included, as DOMAIN.md counts them);
 * - catch-up: `behind[w] ≥ shortfall to date + Σ ideal − Σ delivered` (sums through w), penalised
 *   for every week it lasts and heavily at quarter end (the shortfall). The owed hours are rounded
 *   cumulatively to quarter hours as DOMAIN.md plans a fractional rate, the last week rounding up
 *   (the shortfall is reported in the client's favour; quarter.ts `cumulativeQuarters`); with every bound a whole number of quarter
 *   hours, most of the solution is too, which keeps the recovery's rounding small;
 * - own week: `short[w] ≥ ideal[w] − delivered[w] − exempt[w]`, penalised, where the exemption
 *   is what the client cannot take that week because its presented work (or its balance) is used
 *   up: `max(0, ideal[w] − (min(presented[w], balance) − Σ delivered before w))`. That max makes
 *   the rule non-convex, so the model is solved again (solve.ts): first with the own-week terms
 *   off, then with each exemption fixed from the last solution (`fixOwnWeek`), warm-started,
 *   until the exemptions settle (or a few solves).
 *   Without the exemption the LP would hold work back from idle weeks to fill later own weeks;
 *   with it, delivering ahead costs a later week nothing.
 *
 * What it approximates: the weights make an own-week hour worth more than a catch-up hour and both
 * worth more than any level 3-5 hour, but across clients every hour short weighs the same;
 * "highest priority first when targets cannot all be met" is left to the other rules' smaller
 * per-hour weights.
 */
import type { ModelContext } from '../model-context.ts';
import { cumulativeQuarters, floorQ, toH } from '../quarter.ts';

/** Per hour short of a client's own week. */
export const OWN_WEEK_WEIGHT = 200;
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
      const logged = toH(w === q.current ? c.loggedQ : 0);
      const row = lp.addRow(logged, logged, [d]);
      for (const b of buckets) if (b.x[w] !== undefined) lp.addEntry(row, b.x[w]!, -1);
      for (const p of ctx.pins) if (p.col !== undefined && p.pin.week === w && p.ticket!.client === c.id) lp.addEntry(row, p.col, -1);
      delivered[w] = d;
    }
    ctx.delivered.set(c.id, delivered);
    const owed = cumulativeQuarters(q.weeks.map((w) => c.ideal[w]!));
    const before: number[] = [];
    for (const [i, w] of q.weeks.entries()) {
      const d = delivered[w]!;
      const last = w === q.W - 1;
      const behind = lp.addColumn(-BEHIND_WEIGHT - (last ? SHORTFALL_WEIGHT : 0), 0, Infinity);
      lp.addRow(c.shortfallToDate + toH(owed[i]!), Infinity, [behind, d, ...before]);
      const own = toH(floorQ(c.ideal[w]!));
      if (own > 0) {
        const short = lp.addColumn(0, 0, Infinity);
        const exempt = lp.addColumn(0, 0, own);
        lp.addRow(own, Infinity, [short, d, exempt]);
        ctx.ownWeeks.push({ client: c, week: w, own, short, exempt, deliveredBefore: [...before] });
      }
      before.push(d);
    }
  }
}

/**
 * The next solve's own-week terms: each exemption fixed from the last solution's deliveries, and
 * every hour short of an own week penalised. Returns only what changes (nothing: done).
 */
export function fixOwnWeek(ctx: ModelContext, values: Float64Array): { col: number; lower: number; upper: number; cost?: number }[] {
  return ctx.ownWeeks.flatMap((o) => {
    const before = o.deliveredBefore.reduce((h, col) => h + values[col]!, 0);
    const exempt = Math.min(o.own, Math.max(0, o.own - (Math.min(o.client.presented[o.week]!, o.client.balance) - before)));
    const changes: { col: number; lower: number; upper: number; cost?: number }[] = [];
    if (o.exemptFixed === undefined || Math.abs(o.exemptFixed - exempt) > 0.01) {
      changes.push({ col: o.exempt, lower: exempt, upper: exempt });
      o.exemptFixed = exempt;
    }
    if (!o.penalised) {
      changes.push({ col: o.short, lower: 0, upper: Infinity, cost: -OWN_WEEK_WEIGHT });
      o.penalised = true;
    }
    return changes;
  });
}
