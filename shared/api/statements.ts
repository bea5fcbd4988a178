/**
 * A client's statement for one quarter (issue 12): what it bought, what was used and planned week
 * by week with the tickets behind the hours, what the quarter leaves (forecast unused, rollover
 * owed, at risk and by when to present work), what is billed, and the money, all in the company
 * currency's minor units from quarterMoney (server/modules/money/quarter-money.ts), so the
 * statement, the revenue page and the billing export agree.
 *
 * GET /api/clients/:id/statement?quarter=&format=json|pdf|csv&paper=a4|letter answers this object
 * as JSON (the default), or the same figures as a PDF or a CSV file. A closed quarter's statement
 * is the one stored when it closed.
 */
import { z } from 'zod';
import { Id, Timestamp } from './fields.ts';
import { MoneyWeek } from './revenue.ts';

export const STATEMENT_FORMATS = ['json', 'pdf', 'csv'] as const;
export const PAPER_SIZES = ['a4', 'letter'] as const;

export const StatementQuery = z
  .object({
    quarter: Id.optional(),
    format: z.enum(STATEMENT_FORMATS, { error: 'must be json, pdf or csv' }).default('json'),
    paper: z.enum(PAPER_SIZES, { error: 'must be a4 or letter' }).default('a4'),
  })
  .strict();
export type StatementQuery = z.infer<typeof StatementQuery>;

const hours = z.number();
const minor = z.number().int();

/** Hours of one ticket in one week: used (history and this week's logged hours) and planned. */
export const StatementTicketHours = z
  .object({
    /** Null for hours used that no ticket records (imported as the client's hours used). */
    ticket: z.string().nullable(),
    title: z.string(),
    usedHours: hours,
    plannedHours: hours,
  })
  .strict();
export type StatementTicketHours = z.infer<typeof StatementTicketHours>;

/** A week: its hours used and planned with the tickets behind them, and its money (quarterMoney's week). */
export const StatementWeek = MoneyWeek.extend({
  /** The week's Monday, when the quarter has a start date. */
  startDate: z.string().nullable(),
  usedHours: hours,
  plannedHours: hours,
  tickets: z.array(StatementTicketHours),
}).strict();
export type StatementWeek = z.infer<typeof StatementWeek>;

export const StatementBlock = z
  .object({
    week: z.number().int(),
    hours,
    /** The block price per hour (null: not priced). */
    priceMinor: minor.nullable(),
    amountMinor: minor,
  })
  .strict();
export type StatementBlock = z.infer<typeof StatementBlock>;

export const StatementTotals = z
  .object({
    boughtHours: hours,
    rolloverInHours: hours,
    usedHours: hours,
    plannedHours: hours,
    /** Bought + rolled in − used before this week (the plan's balance). */
    balanceHours: hours,
    forecastUnusedHours: hours,
    /** Hours the company owes: rolled into the next quarter as a credit. */
    rolloverHours: hours,
    atRiskHours: hours,
    /** The last week to present work for the at-risk hours to be worked; null when none are at risk. */
    presentByWeek: z.number().int().nullable(),
    overageHours: hours,
    paygHours: hours,
    prepaidHours: hours,
    /** Blocks bought (paid in advance). */
    soldMinor: minor,
    /** Prepaid hours delivered, at the block price. */
    prepaidMinor: minor,
    overageMinor: minor,
    paygMinor: minor,
    /** What the quarter bills: blocks + overage + pay-as-you-go. */
    billedMinor: minor,
    /** The value of the rollover credit at the block price (hours, not money, are carried over). */
    rolloverCreditMinor: minor,
    atRiskMinor: minor,
  })
  .strict();
export type StatementTotals = z.infer<typeof StatementTotals>;

export const Statement = z
  .object({
    company: z.object({ name: z.string(), currency: z.string() }).strict(),
    client: z.object({ id: z.string(), name: z.string(), plan: z.enum(['prepaid', 'payg']), contact: z.string().nullable() }).strict(),
    quarter: z
      .object({
        id: z.string(),
        weeks: z.number().int(),
        currentWeek: z.number().int(),
        startDate: z.string().nullable(),
        /** The quarter's last day, when it has a start date. */
        endDate: z.string().nullable(),
        closed: z.boolean(),
        closedAt: Timestamp.nullable(),
      })
      .strict(),
    planVersion: z.number().int(),
    generatedAt: Timestamp,
    prices: z.object({ blockPriceMinor: minor.nullable(), paygRateMinor: minor.nullable(), unpriced: z.boolean() }).strict(),
    blocks: z.array(StatementBlock),
    weeks: z.array(StatementWeek),
    totals: StatementTotals,
  })
  .strict();
export type Statement = z.infer<typeof Statement>;

/** GET /api/quarters/:id/billing.csv?dates=dmy|mdy: the invoice dates day first (the default) or month first (US). */
export const BillingQuery = z.object({ dates: z.enum(['dmy', 'mdy'], { error: 'must be dmy (31/12/2026) or mdy (12/31/2026)' }).default('dmy') }).strict();
export type BillingQuery = z.infer<typeof BillingQuery>;
