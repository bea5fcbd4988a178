/**
 * What a quarter's plan is worth (issue 12), from the plan and the clients' prices, in the
 * company currency's minor units (shared/money.ts). Pure: the revenue page, the what-if answer,
 * statements and the billing export all read their money here, so they never disagree.
 *
 * Per client and week (history weeks count the hours used, planned weeks the plan's hours):
 * - prepaid hours are a prepaid client's delivered hours while what it bought and rolled in lasts
 *   (walking the weeks from week 0: DOMAIN.md's balance), recognised as revenue at the block price
 *   as they are delivered;
 * - overage hours are its delivered hours beyond that (DOMAIN.md "Overage"; their sum is the
 *   plan's `overageHours`), billed at its pay-as-you-go rate;
 * - a pay-as-you-go client's delivered hours are billed at its rate.
 * A week's amount is the difference of the rounded running totals, so weeks add up exactly to the
 * quarter's amount (`amountMinor(quarter hours, price)`), and clients add up to the company's.
 * For the quarter besides: blocks sold (bought hours × block price, the cash in advance), the
 * rollover liability (hours owed × block price: next quarter's free hours) and the value of hours
 * at risk of expiring (× block price).
 */
import type { Plan } from '../../../solver/contract.ts';
import type { ClientMoney, MoneyWeek, RevenueAnswer } from '../../../shared/api/revenue.ts';
import { amountMinor } from '../../../shared/money.ts';

export interface ClientPrices {
  blockPriceMinor: number | null;
  paygRateMinor: number | null;
}

/** The figures' shapes are the API's own (shared/api/revenue.ts): one definition for both. */
export type QuarterMoney = Omit<RevenueAnswer, 'planVersion' | 'closed'>;

const q4 = (h: number) => Math.round(h * 4) / 4;

/** Splits each week's delivered hours into prepaid and overage, walking the weeks from week 0. */
function splitWeeks(delivered: number[], available: number): { prepaid: number[]; overage: number[] } {
  let left = available;
  const prepaid: number[] = [];
  const overage: number[] = [];
  for (const d of delivered) {
    const p = q4(Math.max(0, Math.min(d, left)));
    prepaid.push(p);
    overage.push(q4(d - p));
    left -= d;
  }
  return { prepaid, overage };
}

/** Weekly amounts as differences of rounded running totals: they add up to the quarter's amount. */
function weeklyAmounts(hours: number[], price: number | null): number[] {
  let cum = 0;
  let before = 0;
  return hours.map((h) => {
    cum += h;
    const now = amountMinor(q4(cum), price);
    const week = now - before;
    before = now;
    return week;
  });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function quarterMoney(plan: Pick<Plan, 'quarter' | 'clients'>, prices: ReadonlyMap<string, ClientPrices>, currency: string): QuarterMoney {
  const W = plan.quarter.weeks;
  const current = plan.quarter.currentWeek;
  const clients = plan.clients.map((c): ClientMoney => {
    const price = prices.get(c.id) ?? { blockPriceMinor: null, paygRateMinor: null };
    const delivered = Array.from({ length: W }, (_, w) => q4(c.delivered[w] ?? 0));
    const prepaidClient = c.plan === 'prepaid';
    const { prepaid, overage } = prepaidClient ? splitWeeks(delivered, c.boughtHours + c.rolloverInHours) : { prepaid: delivered.map(() => 0), overage: delivered.map(() => 0) };
    const payg = prepaidClient ? delivered.map(() => 0) : delivered;
    const prepaidMinor = weeklyAmounts(prepaid, price.blockPriceMinor);
    const overageMinor = weeklyAmounts(overage, price.paygRateMinor);
    const paygMinor = weeklyAmounts(payg, price.paygRateMinor);
    const weeks = delivered.map((_, w) => ({
      week: w,
      history: w < current,
      prepaidHours: prepaid[w]!,
      overageHours: overage[w]!,
      paygHours: payg[w]!,
      prepaidMinor: prepaidMinor[w]!,
      overageMinor: overageMinor[w]!,
      paygMinor: paygMinor[w]!,
    }));
    const needsBlock = prepaidClient && (c.boughtHours > 0 || sum(prepaid) > 0);
    const needsPayg = !prepaidClient || sum(overage) > 0;
    return {
      id: c.id,
      name: c.name,
      plan: c.plan,
      blockPriceMinor: price.blockPriceMinor,
      paygRateMinor: price.paygRateMinor,
      unpriced: (needsBlock && price.blockPriceMinor === null) || (needsPayg && price.paygRateMinor === null),
      weeks,
      boughtHours: c.boughtHours,
      soldMinor: prepaidClient ? amountMinor(c.boughtHours, price.blockPriceMinor) : 0,
      prepaidHours: q4(sum(prepaid)),
      prepaidMinor: sum(prepaidMinor),
      overageHours: q4(sum(overage)),
      overageMinor: sum(overageMinor),
      paygHours: q4(sum(payg)),
      paygMinor: sum(paygMinor),
      rolloverHours: c.rolloverHours,
      rolloverLiabilityMinor: amountMinor(c.rolloverHours, price.blockPriceMinor),
      atRiskHours: c.atRiskHours,
      atRiskMinor: amountMinor(c.atRiskHours, price.blockPriceMinor),
    };
  });
  const weeks = Array.from({ length: W }, (_, w) => {
    const of = (k: keyof MoneyWeek) => sum(clients.map((c) => c.weeks[w]![k] as number));
    return {
      week: w,
      history: w < current,
      prepaidHours: q4(of('prepaidHours')),
      overageHours: q4(of('overageHours')),
      paygHours: q4(of('paygHours')),
      prepaidMinor: of('prepaidMinor'),
      overageMinor: of('overageMinor'),
      paygMinor: of('paygMinor'),
    };
  });
  const total = (k: keyof ClientMoney) => sum(clients.map((c) => c[k] as number));
  const prepaidMinor = total('prepaidMinor');
  const overageMinor = total('overageMinor');
  const paygMinor = total('paygMinor');
  return {
    quarter: plan.quarter.id,
    currency,
    currentWeek: current,
    weeks,
    clients,
    totals: {
      soldMinor: total('soldMinor'),
      prepaidMinor,
      overageMinor,
      paygMinor,
      earnedMinor: prepaidMinor + overageMinor + paygMinor,
      rolloverLiabilityMinor: total('rolloverLiabilityMinor'),
      atRiskMinor: total('atRiskMinor'),
    },
  };
}
