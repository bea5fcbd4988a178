/**
 * DOMAIN.md "owed at the rate" and the level-2 target, from the scenario and the plan's delivered
 * hours (never from the plan's own `ideal`/`target` fields).
 *
 * The target is exact and usually fractional (20 h over 13 weeks). DOMAIN.md: a rate counts as met
 * when delivered is within a quarter hour of it, and the last planned week rounds the total up so
 * that rounding never creates shortfall. So each week has a band of quarter hours that meet it:
 * `lo` (the least that meets it: less than a quarter hour short, or in the last week nothing short
 * of what would leave shortfall) and `hi` (the most level 2 may take: rounded up).
 */
import type { CheckContext } from './plan-checker-context.ts';
import { ceilQ, floorQ } from './plan-checker-hours.ts';

export interface Targets {
  /** ideal[w], exact; 0 before currentWeek. */
  ideal: number[];
  /** Exact level-2 target, own week plus catch-up, capped by the balance left; 0 before currentWeek. */
  exact: number[];
  lo: number[];
  hi: number[];
  /** The client's own week alone (served before anyone's catch-up), exact and as a band. */
  own: number[];
  ownLo: number[];
  ownHi: number[];
  /** Σ ideal over the planned weeks. */
  owed: number;
}

export function targetsOf(ctx: CheckContext, clientId: string): Targets {
  const W = ctx.W;
  const zeros = () => Array<number>(W).fill(0);
  const t: Targets = { ideal: zeros(), exact: zeros(), lo: zeros(), hi: zeros(), own: zeros(), ownLo: zeros(), ownHi: zeros(), owed: 0 };
  if (!ctx.isPrepaid(clientId)) return t;
  const balance = ctx.balance(clientId);
  const shortfallToDate = ctx.clients.get(clientId)?.shortfallToDateHours ?? 0;
  let idealSoFar = 0;
  let behind = shortfallToDate; // shortfall to date + Σ ideal − Σ delivered over currentWeek … w−1
  for (const w of ctx.plannedWeeks()) {
    const ideal = Math.max(0, Math.min(ctx.rate(clientId, w), ctx.presented(clientId, w) - idealSoFar, balance - idealSoFar));
    const left = ctx.balanceLeft(clientId, w);
    const exact = Math.min(left, ideal + Math.max(0, behind));
    const own = Math.min(left, ideal);
    const last = w === W - 1;
    t.ideal[w] = ideal;
    t.exact[w] = exact;
    t.own[w] = own;
    // In the last week the total must reach shortfall to date + Σ ideal (when the balance allows).
    t.lo[w] = Math.max(0, last ? Math.max(floorQ(exact), ceilQ(Math.min(exact, ideal + behind))) : floorQ(exact));
    t.hi[w] = ceilQ(exact);
    t.ownLo[w] = floorQ(own);
    t.ownHi[w] = ceilQ(own);
    idealSoFar += ideal;
    behind += ideal - ctx.delivered(clientId, w);
  }
  t.owed = idealSoFar;
  return t;
}

/**
 * ideal[] in quarter hours rounded cumulatively (SCENARIO's `ideal` field): 20 h over 13 weeks
 * gives 1.5, 1.5, 1.5, 1.75, …; the last planned week rounds the total up.
 */
export function idealInQuarters(ctx: CheckContext, t: Targets): number[] {
  const out = Array<number>(ctx.W).fill(0);
  let sum = 0;
  let rounded = 0;
  for (const w of ctx.plannedWeeks()) {
    sum += t.ideal[w]!;
    const next = w === ctx.W - 1 ? ceilQ(sum) : Math.round(sum * 4) / 4;
    out[w] = next - rounded;
    rounded = next;
  }
  return out;
}
