/**
 * A statement as a CSV file, one table a spreadsheet can filter by its first column, and read
 * back (tests and tools): `readStatementCsv(statementCsv(s))` gives the same figures as `s`.
 *
 *   section,key,week,ticket,description,hours,unitPrice,amount,currency
 *   statement,company,,,Northwind Support,,,,EUR
 *   block,,0,,Block of 130 h,130,95.00,12350.00,EUR
 *   used,,1,A-1,Upgrade PHP,6,,,
 *   planned,,3,A-2,New theme,10,,,
 *   week,prepaid,1,,Prepaid hours delivered,10,95.00,950.00,EUR
 *   total,forecastUnusedHours,,,Forecast unused,12.5,,,
 *   total,billedMinor,,,Total billed,,,12500.00,EUR
 *
 * Amounts are in major units with the currency's decimals (majorString); hours as numbers. Text
 * that a spreadsheet would run as a formula is written with a leading apostrophe (csv-format.ts).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { Statement, StatementTotals } from '../../../shared/api/statements.ts';
import { majorString, parseMajor } from '../../../shared/money.ts';
import { unescapeCell, writeCsv } from '../csv/csv-format.ts';

export const STATEMENT_CSV_COLUMNS = ['section', 'key', 'week', 'ticket', 'description', 'hours', 'unitPrice', 'amount', 'currency'] as const;
type Row = Record<(typeof STATEMENT_CSV_COLUMNS)[number], string>;

const HOUR_TOTALS: [keyof StatementTotals, string][] = [
  ['boughtHours', 'Hours bought'],
  ['rolloverInHours', 'Hours rolled in from the quarter before'],
  ['usedHours', 'Hours used'],
  ['plannedHours', 'Hours planned for the rest of the quarter'],
  ['balanceHours', 'Balance at the start of the current week'],
  ['forecastUnusedHours', 'Forecast unused at quarter end'],
  ['rolloverHours', 'Rollover owed (credited to the next quarter)'],
  ['atRiskHours', 'At risk of expiring'],
  ['prepaidHours', 'Prepaid hours delivered'],
  ['overageHours', 'Overage hours billed'],
  ['paygHours', 'Pay-as-you-go hours billed'],
];
const MONEY_TOTALS: [keyof StatementTotals, string][] = [
  ['soldMinor', 'Blocks bought'],
  ['prepaidMinor', 'Prepaid hours delivered'],
  ['overageMinor', 'Overage'],
  ['paygMinor', 'Pay-as-you-go'],
  ['billedMinor', 'Total billed'],
  ['rolloverCreditMinor', 'Rollover credit (value at the block price)'],
  ['atRiskMinor', 'At risk (value at the block price)'],
];
const WEEK_KINDS = [
  ['prepaid', 'Prepaid hours delivered'],
  ['overage', 'Overage hours'],
  ['payg', 'Pay-as-you-go hours'],
] as const;

const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));

export function statementCsv(s: Statement): string {
  const cur = s.company.currency;
  const money = (m: number | null) => (m === null ? '' : majorString(m, cur));
  const rows: Partial<Row>[] = [];
  const meta = (key: string, value: string) => rows.push({ section: 'statement', key, description: value });
  meta('company', s.company.name);
  meta('currency', cur);
  meta('client', s.client.name);
  meta('clientId', s.client.id);
  meta('plan', s.client.plan);
  meta('quarter', s.quarter.id);
  meta('startDate', s.quarter.startDate ?? '');
  meta('endDate', s.quarter.endDate ?? '');
  meta('currentWeek', String(s.quarter.currentWeek));
  meta('closed', s.quarter.closed ? (s.quarter.closedAt ?? 'yes') : 'no');
  meta('planVersion', String(s.planVersion));
  meta('generatedAt', s.generatedAt);
  for (const b of s.blocks) rows.push({ section: 'block', week: num(b.week), description: `Block of ${b.hours} h`, hours: num(b.hours), unitPrice: money(b.priceMinor), amount: money(b.amountMinor), currency: cur });
  for (const w of s.weeks) {
    for (const t of w.tickets) {
      if (t.usedHours > 0) rows.push({ section: 'used', week: num(w.week), ticket: t.ticket ?? '', description: t.title, hours: num(t.usedHours) });
      if (t.plannedHours > 0) rows.push({ section: 'planned', week: num(w.week), ticket: t.ticket ?? '', description: t.title, hours: num(t.plannedHours) });
    }
    const price = { prepaid: s.prices.blockPriceMinor, overage: s.prices.paygRateMinor, payg: s.prices.paygRateMinor };
    for (const [kind, label] of WEEK_KINDS) {
      const hours = w[`${kind}Hours`];
      if (hours > 0) rows.push({ section: 'week', key: kind, week: num(w.week), description: label, hours: num(hours), unitPrice: money(price[kind]), amount: money(w[`${kind}Minor`]), currency: cur });
    }
  }
  for (const [key, label] of HOUR_TOTALS) rows.push({ section: 'total', key, description: label, hours: num(s.totals[key] as number) });
  rows.push({ section: 'total', key: 'presentByWeek', week: num(s.totals.presentByWeek), description: 'Present work by this week for the hours at risk to be worked' });
  for (const [key, label] of MONEY_TOTALS) rows.push({ section: 'total', key, description: label, amount: money(s.totals[key] as number), currency: cur });
  // Text cells are protected against formula injection (a ticket title is the client's own text).
  return writeCsv(STATEMENT_CSV_COLUMNS, rows.map((r) => STATEMENT_CSV_COLUMNS.map((c) => r[c] ?? '')));
}

/** What a statement CSV holds, read back: the figures of the statement it was written from. */
export interface StatementCsvFigures {
  meta: Record<string, string>;
  blocks: { week: number; hours: number; amountMinor: number }[];
  used: { week: number; ticket: string | null; hours: number }[];
  planned: { week: number; ticket: string | null; hours: number }[];
  weeks: { week: number; kind: string; hours: number; amountMinor: number }[];
  totals: Record<string, number | null>;
}

export function readStatementCsv(text: string): StatementCsvFigures {
  const records = (parseCsv(text, { bom: true, columns: true, skip_empty_lines: true }) as Row[]).map((r) => ({ ...r, description: unescapeCell(r.description), ticket: unescapeCell(r.ticket) }));
  const currency = records.find((r) => r.section === 'statement' && r.key === 'currency')?.description ?? 'USD';
  const amount = (s: string) => {
    const neg = s.startsWith('-');
    const m = parseMajor(neg ? s.slice(1) : s, currency);
    if (m === null) throw new Error(`not an amount: ${s}`);
    return neg ? -m : m;
  };
  const out: StatementCsvFigures = { meta: {}, blocks: [], used: [], planned: [], weeks: [], totals: {} };
  for (const r of records) {
    if (r.section === 'statement') out.meta[r.key] = r.description;
    else if (r.section === 'block') out.blocks.push({ week: Number(r.week), hours: Number(r.hours), amountMinor: amount(r.amount) });
    else if (r.section === 'used' || r.section === 'planned') out[r.section].push({ week: Number(r.week), ticket: r.ticket || null, hours: Number(r.hours) });
    else if (r.section === 'week') out.weeks.push({ week: Number(r.week), kind: r.key, hours: Number(r.hours), amountMinor: amount(r.amount) });
    else if (r.section === 'total') out.totals[r.key] = r.key === 'presentByWeek' ? (r.week === '' ? null : Number(r.week)) : r.amount !== '' ? amount(r.amount) : Number(r.hours);
  }
  return out;
}

/** The same figures taken from the statement itself (what the CSV must read back as). */
export function statementFigures(s: Statement): StatementCsvFigures {
  const lines = (kind: 'usedHours' | 'plannedHours') => s.weeks.flatMap((w) => w.tickets.filter((t) => t[kind] > 0).map((t) => ({ week: w.week, ticket: t.ticket, hours: t[kind] })));
  return {
    meta: {},
    blocks: s.blocks.map((b) => ({ week: b.week, hours: b.hours, amountMinor: b.amountMinor })),
    used: lines('usedHours'),
    planned: lines('plannedHours'),
    weeks: s.weeks.flatMap((w) => WEEK_KINDS.filter(([k]) => w[`${k}Hours`] > 0).map(([k]) => ({ week: w.week, kind: k, hours: w[`${k}Hours`], amountMinor: w[`${k}Minor`] }))),
    totals: { ...Object.fromEntries([...HOUR_TOTALS, ...MONEY_TOTALS].map(([k]) => [k, s.totals[k] as number])), presentByWeek: s.totals.presentByWeek },
  };
}
