/**
 * /api/revenue (issue 12): what a quarter's plan is worth, in the company currency's minor units
 * (shared/money.ts), as server/modules/money/quarter-money.ts works it out: per week and client,
 * prepaid hours recognised at the block price as they are delivered, overage and pay-as-you-go
 * hours billable at the pay-as-you-go rate; for the quarter, blocks sold, the rollover liability
 * (hours owed × block price) and the value of the hours at risk of expiring.
 */
import { z } from 'zod';
import { Id } from './fields.ts';

/** GET /api/revenue?quarter= (managers): the current quarter when none is named. */
export const RevenueQuery = z.object({ quarter: Id.optional() }).strict();
export type RevenueQuery = z.infer<typeof RevenueQuery>;

const int = z.number().int();
const hours = z.number();

export const MoneyWeek = z
  .object({
    week: int,
    /** History (hours used) rather than planned. */
    history: z.boolean(),
    prepaidHours: hours,
    overageHours: hours,
    paygHours: hours,
    prepaidMinor: int,
    overageMinor: int,
    paygMinor: int,
  })
  .strict();
export type MoneyWeek = z.infer<typeof MoneyWeek>;

export const ClientMoney = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.enum(['prepaid', 'payg']),
    blockPriceMinor: int.nullable(),
    paygRateMinor: int.nullable(),
    /** A price the figures need is missing: they count it as 0. */
    unpriced: z.boolean(),
    weeks: z.array(MoneyWeek),
    boughtHours: hours,
    soldMinor: int,
    prepaidHours: hours,
    prepaidMinor: int,
    overageHours: hours,
    overageMinor: int,
    paygHours: hours,
    paygMinor: int,
    rolloverHours: hours,
    rolloverLiabilityMinor: int,
    atRiskHours: hours,
    atRiskMinor: int,
  })
  .strict();
export type ClientMoney = z.infer<typeof ClientMoney>;

export const MoneyTotals = z
  .object({
    soldMinor: int,
    prepaidMinor: int,
    overageMinor: int,
    paygMinor: int,
    /** prepaid recognised + overage + pay-as-you-go: what the quarter earns if the plan is carried out. */
    earnedMinor: int,
    rolloverLiabilityMinor: int,
    atRiskMinor: int,
  })
  .strict();
export type MoneyTotals = z.infer<typeof MoneyTotals>;

export const RevenueAnswer = z
  .object({
    quarter: z.string(),
    /** ISO 4217: every *Minor figure is in its minor units. */
    currency: z.string(),
    currentWeek: int,
    /** The plan version the figures are worked out from (a closed quarter's: the plan it was closed on). */
    planVersion: int,
    closed: z.boolean(),
    weeks: z.array(MoneyWeek),
    clients: z.array(ClientMoney),
    totals: MoneyTotals,
  })
  .strict();
export type RevenueAnswer = z.infer<typeof RevenueAnswer>;

/** The money part of a what-if answer: the quarter's totals before and after the changes, and after − before. */
export const WhatIfMoney = z.object({ currency: z.string(), before: MoneyTotals, after: MoneyTotals, delta: MoneyTotals }).strict();
export type WhatIfMoney = z.infer<typeof WhatIfMoney>;
