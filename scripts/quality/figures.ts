/**
 * DOMAIN.md "Forecast, expiry and rollover", computed from a plan's allocations and the
 * scenario: used for the LP's own plans and, in the benchmark, to measure both planners' plans
 * with one ruler (the engine's self-reported figures are checked separately by the checker).
 */
import type { Allocation, ClientPlan } from '../../solver/contract.ts';
import { ceilQ, cumulativeQuarters, toH, toQ, type ClientFacts, type Quarter } from './quarter.ts';

export type ClientFigures = Pick<
  ClientPlan,
  | 'rate' | 'demand' | 'delivered' | 'ideal' | 'target' | 'balanceHours' | 'forecastUnusedHours' | 'shortfallHours'
  | 'rolloverHours' | 'atRiskHours' | 'overageHours' | 'owedAtRateHours' | 'plannedHours'
>;

/** Planned quarter hours per client and week, from allocation rows. */
export function plannedByClient(q: Quarter, rows: readonly Pick<Allocation, 'week' | 'ticket' | 'hours'>[]): Map<string, number[]> {
  const out = new Map(q.clients.map((c) => [c.id, new Array<number>(q.W).fill(0)]));
  for (const a of rows) {
    const t = q.ticketById.get(a.ticket);
    const list = t && out.get(t.client);
    if (list && a.week >= 0 && a.week < q.W) list[a.week]! += toQ(a.hours);
  }
  return out;
}

/**
 * DOMAIN.md's level-2 target of week w: its own week ideal[w] plus what the client is behind
 * (`owedBefore` = shortfall to date + Σ ideal before w, against what was delivered before w),
 * never above the balance left.
 */
export function exactTarget(c: ClientFacts, w: number, owedBefore: number, deliveredBefore: number): number {
  return Math.max(0, Math.min(c.balance - deliveredBefore, c.ideal[w]! + Math.max(0, owedBefore - deliveredBefore)));
}

/** ideal[] in quarter hours, rounded cumulatively from the current week, the last week rounding up. */
export function idealInQuarters(q: Quarter, c: ClientFacts): number[] {
  const out = new Array<number>(q.W).fill(0);
  const totals = cumulativeQuarters(q.weeks.map((w) => c.ideal[w]!));
  q.weeks.forEach((w, i) => (out[w] = toH(totals[i]! - (totals[i - 1] ?? 0))));
  return out;
}

export function clientFigures(q: Quarter, c: ClientFacts, plannedQ: readonly number[]): ClientFigures {
  const deliveredQ = Array.from({ length: q.W }, (_, w) =>
    w < q.current ? toQ(c.usedByWeek[w] ?? 0) : plannedQ[w]! + (w === q.current ? c.loggedQ : 0),
  );
  const demand = new Array<number>(q.W).fill(0);
  const target = new Array<number>(q.W).fill(0);
  let before = 0;
  let owedBefore = c.shortfallToDate;
  for (const w of q.weeks) {
    demand[w] = c.presented[w]! - toH(before);
    target[w] = c.prepaid ? toH(ceilQ(exactTarget(c, w, owedBefore, toH(before)))) : 0;
    owedBefore += c.ideal[w]!;
    before += deliveredQ[w]!;
  }
  const totalQ = before;
  const plannedHours = toH(q.weeks.reduce((h, w) => h + plannedQ[w]!, 0));
  const delivered = deliveredQ.map(toH);
  if (!c.prepaid) {
    const zero = { balanceHours: 0, forecastUnusedHours: 0, shortfallHours: 0, rolloverHours: 0, atRiskHours: 0, overageHours: 0, owedAtRateHours: 0 };
    return { rate: c.rate, demand, delivered, ideal: idealInQuarters(q, c), target, ...zero, plannedHours };
  }
  const owed = q.weeks.reduce((h, w) => h + c.ideal[w]!, 0);
  const balanceQ = toQ(c.balance);
  const forecastQ = Math.max(0, balanceQ - totalQ);
  const shortfallQ = Math.max(0, ceilQ(c.shortfallToDate + owed - toH(totalQ)));
  const rolloverQ = Math.min(forecastQ, shortfallQ);
  return {
    rate: c.rate,
    demand,
    delivered,
    ideal: idealInQuarters(q, c),
    target,
    balanceHours: c.balance,
    forecastUnusedHours: toH(forecastQ),
    shortfallHours: toH(shortfallQ),
    rolloverHours: toH(rolloverQ),
    atRiskHours: toH(forecastQ - rolloverQ),
    overageHours: toH(Math.max(0, totalQ - balanceQ)),
    owedAtRateHours: toH(ceilQ(owed)),
    plannedHours,
  };
}
