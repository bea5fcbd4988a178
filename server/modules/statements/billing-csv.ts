/**
 * The accounting export (GET /api/quarters/:id/billing.csv): one sales-invoice line per client
 * and kind, in Xero's sales-invoice import layout, which QuickBooks Online's invoice import maps
 * column by column (docs/BILLING.md). Made from the clients' statements (the stored ones of a
 * closed quarter), so the export bills exactly what the statements say.
 *
 * Kinds, each line only when it has hours: the prepaid block(s) bought (hours × block price),
 * pay-as-you-go hours and overage hours (× the pay-as-you-go rate), and the rollover credit as a
 * line of 0 (its hours as the quantity, unit amount 0: the hours are owed, not money; the next
 * quarter delivers them free, so this quarter's invoice records them without changing its total).
 */
import type { Statement } from '../../../shared/api/statements.ts';
import { majorString } from '../../../shared/money.ts';
import { addDays } from '../time-entries/entry-week.ts';
import { writeCsv } from '../csv/csv-format.ts';

export const BILLING_COLUMNS = ['*ContactName', 'EmailAddress', '*InvoiceNumber', '*InvoiceDate', '*DueDate', 'Description', '*Quantity', '*UnitAmount', 'AccountCode', 'TaxType', 'Currency'] as const;
export type BillingKind = 'prepaid-block' | 'payg-hours' | 'overage-hours' | 'rollover-credit';

/** Days from the invoice date to its due date. */
export const PAYMENT_DAYS = 30;

export interface BillingLine {
  client: string;
  contactName: string;
  email: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  kind: BillingKind;
  description: string;
  quantity: number;
  unitAmountMinor: number;
  /** quantity × unit amount as the statement has it (Xero and QuickBooks work it out again, to the same cent). */
  amountMinor: number;
  currency: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The invoice date: the quarter's last day, else the day it closed, else today. */
function invoiceDate(s: Statement, today: string): string {
  return s.quarter.endDate ?? s.quarter.closedAt?.slice(0, 10) ?? today;
}

export function billingLines(statements: readonly Statement[], today = new Date().toISOString().slice(0, 10)): BillingLine[] {
  const out: BillingLine[] = [];
  for (const s of [...statements].sort((a, b) => a.client.id.localeCompare(b.client.id))) {
    const t = s.totals;
    const date = invoiceDate(s, today);
    const base = {
      client: s.client.id,
      contactName: s.client.name,
      email: s.client.contact && EMAIL.test(s.client.contact) ? s.client.contact : '',
      invoiceNumber: `${s.quarter.id}-${s.client.id}`,
      invoiceDate: date,
      dueDate: addDays(date, PAYMENT_DAYS),
      currency: s.company.currency,
    };
    const q = s.quarter.id;
    const block = s.prices.blockPriceMinor ?? 0;
    const rate = s.prices.paygRateMinor ?? 0;
    if (t.boughtHours > 0) out.push({ ...base, kind: 'prepaid-block', description: `Prepaid block, ${q}: ${t.boughtHours} h`, quantity: t.boughtHours, unitAmountMinor: block, amountMinor: t.soldMinor });
    if (t.paygHours > 0) out.push({ ...base, kind: 'payg-hours', description: `Pay-as-you-go hours, ${q}`, quantity: t.paygHours, unitAmountMinor: rate, amountMinor: t.paygMinor });
    if (t.overageHours > 0) out.push({ ...base, kind: 'overage-hours', description: `Overage hours beyond the prepaid balance, ${q}`, quantity: t.overageHours, unitAmountMinor: rate, amountMinor: t.overageMinor });
    if (t.rolloverHours > 0) {
      out.push({
        ...base,
        kind: 'rollover-credit',
        description: `Rollover credit: ${t.rolloverHours} h owed, carried into the next quarter at no charge (worth ${majorString(t.rolloverCreditMinor, s.company.currency)} ${s.company.currency})`,
        quantity: t.rolloverHours,
        unitAmountMinor: 0,
        amountMinor: 0,
      });
    }
  }
  return out;
}

/** Xero reads dates in the organisation's region's order: day first (dmy) or month first (mdy, US). */
export type DateOrder = 'dmy' | 'mdy';
export function invoiceDateText(iso: string, order: DateOrder): string {
  const [y, m, d] = iso.split('-');
  return order === 'mdy' ? `${m}/${d}/${y}` : `${d}/${m}/${y}`;
}

export function billingCsv(lines: readonly BillingLine[], order: DateOrder = 'dmy'): string {
  return writeCsv(
    BILLING_COLUMNS,
    lines.map((l) => [l.contactName, l.email, l.invoiceNumber, invoiceDateText(l.invoiceDate, order), invoiceDateText(l.dueDate, order), l.description, l.quantity, majorString(l.unitAmountMinor, l.currency), '', '', l.currency]),
  );
}
