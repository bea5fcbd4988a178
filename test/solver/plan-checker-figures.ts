/**
 * i. The client figures of DOMAIN.md "Forecast, expiry and rollover", recomputed from the scenario
 * and the plan's allocations, then compared with what the plan reports.
 */
import type { ClientPlan } from '../../solver/contract.ts';
import { CheckContext, FIGURE, fmt, type Violation } from './plan-checker-context.ts';

export interface Expected {
  rate: number[];
  delivered: (number | null)[];
  demand: (number | null)[];
  balanceHours: number;
  forecastUnusedHours: number;
  overageHours: number;
  shortfallHours: number;
  rolloverHours: number;
  atRiskHours: number;
}

export function checkFigures(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const c of ctx.plan.clients) {
    if (!ctx.clients.has(c.id)) continue;
    out.push(...compare(c, expectedFigures(ctx, c.id)));
  }
  return out;
}

/**
 * presented[w]: remaining hours of the client's tickets opened by week w, whatever their skill.
 * Remaining as the current week starts: hours logged this week are delivered this week, so they
 * are part of what was presented (spentHours already include them).
 */
function presented(ctx: CheckContext, clientId: string, w: number): number {
  return (ctx.ticketsByClient.get(clientId) ?? [])
    .filter((t) => t.openedWeek <= w)
    .reduce((h, t) => h + ctx.remaining(t) + ctx.loggedHours('ticket', t.id), 0);
}

/** The figures DOMAIN.md gives for a client, from the scenario and the plan's allocations. */
export function expectedFigures(ctx: CheckContext, clientId: string): Expected {
  const client = ctx.clients.get(clientId)!;
  const prepaid = client.plan === 'prepaid';
  const weeks = Array.from({ length: ctx.W }, (_, w) => w);
  const planned = (w: number) => w >= ctx.current;
  // History weeks report hours used; a PAYG client has no recorded history, so those are not checked.
  const delivered = weeks.map((w) =>
    planned(w) ? ctx.delivered(clientId, w) : prepaid ? (client.usedByWeek?.[w] ?? 0) : null,
  );
  const demand = weeks.map((w) => (planned(w) ? presented(ctx, clientId, w) - ctx.deliveredBefore(clientId, w) : null));
  const rate = weeks.map((w) => ctx.rate(clientId, w));
  if (!prepaid) {
    return { rate, delivered, demand, balanceHours: 0, forecastUnusedHours: 0, overageHours: 0, shortfallHours: 0, rolloverHours: 0, atRiskHours: 0 };
  }
  const balance = ctx.balance(clientId);
  const total = ctx.plannedWeeks().reduce((h, w) => h + ctx.delivered(clientId, w), 0);
  let owed = 0;
  for (const w of ctx.plannedWeeks()) owed += Math.min(rate[w]!, presented(ctx, clientId, w) - owed);
  const forecast = Math.max(0, balance - total);
  const shortfall = (client.shortfallToDateHours ?? 0) + Math.max(0, owed - total);
  const rollover = Math.min(forecast, shortfall);
  return {
    rate,
    delivered,
    demand,
    balanceHours: balance,
    forecastUnusedHours: forecast,
    overageHours: Math.max(0, total - Math.max(0, balance)),
    shortfallHours: shortfall,
    rolloverHours: rollover,
    atRiskHours: forecast - rollover,
  };
}

function compare(c: ClientPlan, e: Expected): Violation[] {
  const out: Violation[] = [];
  const differs = (got: number | undefined, want: number) => got === undefined || !(Math.abs(got - want) <= FIGURE);
  for (const f of ['rate', 'delivered', 'demand'] as const) {
    e[f].forEach((want, w) => {
      if (want !== null && differs(c[f]?.[w], want)) {
        out.push({ rule: 'figures', message: `client ${c.id} week ${w}: ${f} ${c[f]?.[w]}, expected ${fmt(want)}` });
      }
    });
  }
  const scalars = ['balanceHours', 'forecastUnusedHours', 'overageHours', 'shortfallHours', 'rolloverHours', 'atRiskHours'] as const;
  for (const f of scalars) {
    if (differs(c[f], e[f])) out.push({ rule: 'figures', message: `client ${c.id}: ${f} ${c[f]}, expected ${fmt(e[f])}` });
    if (f !== 'balanceHours' && c[f] < -FIGURE) out.push({ rule: 'figures', message: `client ${c.id}: ${f} ${c[f]} is negative` });
  }
  return out;
}
