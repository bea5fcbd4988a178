/**
 * The client figures of DOMAIN.md "Forecast, expiry and rollover", recomputed from the scenario
 * and the plan's allocations, then compared with what the plan reports. Every hour figure is in
 * quarter hours (the exact locked-in rate aside); the shortfall rounds up, in the client's favour.
 */
import type { AtRiskAdvice, ClientPlan } from '../../solver/contract.ts';
import { CheckContext, EXACT, FIGURE, QUARTER, ceilQ, fmt, isQuarter, some, type Violation } from './plan-checker-context.ts';

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
  owedAtRateHours: number;
}

export function checkFigures(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const c of ctx.plan.clients ?? []) {
    if (!ctx.clients.has(c.id)) continue;
    out.push(...compare(c, expectedFigures(ctx, c.id)), ...compareTargets(ctx, c), ...checkAdvice(ctx, c));
  }
  return out;
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
  const demand = weeks.map((w) => (planned(w) ? ctx.presented(clientId, w) - ctx.deliveredBefore(clientId, w) : null));
  const rate = weeks.map((w) => ctx.rate(clientId, w));
  if (!prepaid) {
    const zero = { balanceHours: 0, forecastUnusedHours: 0, overageHours: 0, shortfallHours: 0, rolloverHours: 0, atRiskHours: 0, owedAtRateHours: 0 };
    return { rate, delivered, demand, ...zero };
  }
  const balance = ctx.balance(clientId);
  const total = ctx.plannedWeeks().reduce((h, w) => h + ctx.delivered(clientId, w), 0);
  const owed = ctx.targets(clientId).owed;
  const forecast = Math.max(0, balance - total);
  const shortfall = ceilQ(Math.max(0, (client.shortfallToDateHours ?? 0) + owed - total));
  const rollover = Math.min(forecast, shortfall);
  return {
    rate,
    delivered,
    demand,
    balanceHours: balance,
    forecastUnusedHours: forecast,
    // A balance already below 0 counts in full.
    overageHours: Math.max(0, total - balance),
    shortfallHours: shortfall,
    rolloverHours: rollover,
    atRiskHours: forecast - rollover,
    owedAtRateHours: ceilQ(owed),
  };
}

const SCALARS = ['balanceHours', 'forecastUnusedHours', 'overageHours', 'shortfallHours', 'rolloverHours', 'atRiskHours'] as const;

function compare(c: ClientPlan, e: Expected): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string) => out.push({ rule: 'figures', message: `client ${c.id}${message}` });
  const differs = (got: number | undefined, want: number) => got === undefined || !(Math.abs(got - want) <= FIGURE);
  for (const f of ['rate', 'delivered', 'demand'] as const) {
    e[f].forEach((want, w) => {
      if (want !== null && differs(c[f]?.[w], want)) bad(` week ${w}: ${f} ${c[f]?.[w]}, expected ${fmt(want)}`);
      if (f !== 'rate' && want !== null && c[f]?.[w] !== undefined && !isQuarter(c[f][w]!)) bad(` week ${w}: ${f} ${c[f][w]} is not in quarter hours`);
    });
  }
  for (const f of SCALARS) {
    if (differs(c[f], e[f])) bad(`: ${f} ${c[f]}, expected ${fmt(e[f])}`);
    else if (!isQuarter(c[f])) bad(`: ${f} ${c[f]} is not in quarter hours`);
    if (f !== 'balanceHours' && c[f] < -FIGURE) bad(`: ${f} ${c[f]} is negative`);
  }
  return out;
}

/**
 * The plan's own `ideal`, `target` and `owedAtRateHours`: in quarter hours, and within a quarter
 * hour of the exact figures (the rounding is the planner's; what it must not do is drift).
 */
function compareTargets(ctx: CheckContext, c: ClientPlan): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string) => out.push({ rule: 'figures', message: `client ${c.id}${message}` });
  const t = ctx.targets(c.id);
  const near = (got: number | undefined, want: number, slack = QUARTER) =>
    got !== undefined && isQuarter(got) && Math.abs(got - want) <= slack + EXACT;
  for (const [f, want] of [['ideal', t.ideal], ['target', t.exact]] as const) {
    if (c[f]?.length !== ctx.W) {
      bad(`: ${f} has ${c[f]?.length} entries, expected ${ctx.W}`);
      continue;
    }
    for (let w = 0; w < ctx.W; w++) {
      const slack = w < ctx.current ? 0 : QUARTER;
      if (!near(c[f][w], want[w]!, slack)) bad(` week ${w}: ${f} ${c[f][w]}, expected ${fmt(want[w]!)} within ${slack} h, in quarter hours`);
    }
  }
  if (ctx.isPrepaid(c.id)) {
    const sum = c.ideal?.reduce((a, b) => a + b, 0);
    if (sum !== undefined && !near(sum, t.owed)) bad(`: its ideal adds up to ${fmt(sum)} h, owed at the rate is ${fmt(t.owed)} h`);
  }
  if (!near(c.owedAtRateHours, t.owed)) bad(`: owedAtRateHours ${c.owedAtRateHours}, expected ${fmt(t.owed)} within a quarter hour`);
  return out;
}

/**
 * "Advice must match the cause": nothing at risk, no advice; hours at risk while the client's own
 * presented work is left unplanned: say so (`unplanned-work`) and list those tickets; otherwise
 * ask for more work (`present-work`).
 */
function checkAdvice(ctx: CheckContext, c: ClientPlan): Violation[] {
  const advice: AtRiskAdvice | undefined = c.advice;
  const bad = (message: string): Violation[] => [{ rule: 'advice', message: `client ${c.id}: ${message}` }];
  if (!advice) return bad('no advice');
  const e = expectedFigures(ctx, c.id);
  const unplanned = (ctx.ticketsByClient.get(c.id) ?? []).filter((t) => some(ctx.unplanned(t)));
  const want = !some(e.atRiskHours) ? 'none' : unplanned.length ? 'unplanned-work' : 'present-work';
  if (advice.cause !== want) return bad(`advice ${advice.cause}, expected ${want} (${fmt(e.atRiskHours)} h at risk, ${unplanned.length} tickets with hours unplanned)`);
  for (const a of advice.tickets ?? []) {
    const t = ctx.tickets.get(a.ticket);
    if (!t || t.client !== c.id) return bad(`advice names ${a.ticket}, not a ticket of this client`);
    if (Math.abs(a.hours - ctx.unplanned(t)) > EXACT) return bad(`advice says ${fmt(a.hours)} h of ${a.ticket} unplanned, allocations leave ${fmt(ctx.unplanned(t))} h`);
  }
  if (want === 'unplanned-work' && !(advice.tickets ?? []).length) return bad('unplanned-work advice lists no tickets');
  return [];
}
