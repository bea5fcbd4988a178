/**
 * The Revenue page's figures, shaped from GET /api/revenue (the server's quarterMoney: nothing is
 * recomputed here, only chosen, formatted and ordered): the quarter's tiles, the weekly chart
 * (prepaid recognised, overage and pay-as-you-go, history weeks apart from planned ones), the
 * liability chart (rollover liability and value at risk per client), the per-client table and its
 * order, and the clients whose figures lack a price. Money is formatted with formatMoney in the
 * answer's currency.
 */
import type { ClientMoney, RevenueAnswer, WhatIfMoney } from '../../../shared/api/index.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { ChartSpec, Series } from './chart-spec.ts';
import { weekDate, weekShort } from './format.ts';
import { FIGURE_COLORS, alpha } from './levels.ts';

export type Tone = 'plain' | 'warn' | 'ok' | 'danger' | 'info';

export interface RevenueTile {
  key: 'earned' | 'prepaid' | 'overage' | 'payg' | 'liability' | 'atRisk' | 'sold';
  label: string;
  minor: number;
  value: string;
  note: string;
  tone: Tone;
}

export const MONEY_COLORS = { prepaid: '#2f6fb3', overage: FIGURE_COLORS.overage, payg: '#c98a1b', liability: FIGURE_COLORS.rollover, atRisk: FIGURE_COLORS.atRisk } as const;

export function revenueTiles(m: RevenueAnswer): RevenueTile[] {
  const t = m.totals;
  const money = (x: number) => formatMoney(x, m.currency);
  return [
    { key: 'earned', label: 'Earned', minor: t.earnedMinor, value: money(t.earnedMinor), note: 'prepaid + overage + PAYG, if the plan is carried out', tone: 'info' },
    { key: 'prepaid', label: 'Prepaid recognised', minor: t.prepaidMinor, value: money(t.prepaidMinor), note: 'block hours delivered, at the block price', tone: 'plain' },
    { key: 'overage', label: 'Overage', minor: t.overageMinor, value: money(t.overageMinor), note: 'beyond the hours bought, at the PAYG rate', tone: t.overageMinor > 0 ? 'danger' : 'plain' },
    { key: 'payg', label: 'Pay-as-you-go', minor: t.paygMinor, value: money(t.paygMinor), note: 'billable at the PAYG rate', tone: 'plain' },
    { key: 'liability', label: 'Rollover liability', minor: t.rolloverLiabilityMinor, value: money(t.rolloverLiabilityMinor), note: 'hours owed × block price', tone: t.rolloverLiabilityMinor > 0 ? 'ok' : 'plain' },
    { key: 'atRisk', label: 'Value at risk', minor: t.atRiskMinor, value: money(t.atRiskMinor), note: 'hours at risk of expiring × block price', tone: t.atRiskMinor > 0 ? 'warn' : 'plain' },
    { key: 'sold', label: 'Blocks sold', minor: t.soldMinor, value: money(t.soldMinor), note: 'hours bought × block price', tone: 'plain' },
  ];
}

const PARTS = [
  { key: 'prepaid', label: 'Prepaid', field: 'prepaidMinor' },
  { key: 'overage', label: 'Overage', field: 'overageMinor' },
  { key: 'payg', label: 'PAYG', field: 'paygMinor' },
] as const;

/**
 * Per week, stacked: prepaid recognised, overage and pay-as-you-go, each as two series (weeks
 * already delivered in full colour, planned weeks paler), so history and plan read apart.
 */
export function revenueChart(m: RevenueAnswer, startDate?: string | null): ChartSpec {
  const weeks = [...m.weeks].sort((a, b) => a.week - b.week);
  const series: Series[] = [];
  for (const history of [true, false]) {
    for (const p of PARTS) {
      series.push({
        id: `${p.key}-${history ? 'delivered' : 'planned'}`,
        label: `${p.label} (${history ? 'delivered' : 'planned'})`,
        data: weeks.map((w) => (w.history === history ? w[p.field] : null)),
        color: history ? MONEY_COLORS[p.key] : alpha(MONEY_COLORS[p.key], 0.45),
        kind: 'bar',
        stack: 'money',
      });
    }
  }
  return {
    labels: weeks.map((w) => {
      const d = weekDate(startDate, w.week);
      return d ? `${weekShort(w.week)} · ${d}` : weekShort(w.week);
    }),
    stacked: true,
    yTitle: m.currency,
    money: { currency: m.currency },
    series,
  };
}

/** Per client with either: the rollover liability (hours owed) and the value of hours at risk, at the block price. */
export function liabilityChart(m: RevenueAnswer): ChartSpec {
  const clients = m.clients.filter((c) => c.rolloverLiabilityMinor > 0 || c.atRiskMinor > 0);
  return {
    labels: clients.map((c) => c.name),
    horizontal: true,
    money: { currency: m.currency },
    series: [
      { id: 'liability', label: 'Rollover liability', data: clients.map((c) => c.rolloverLiabilityMinor), color: MONEY_COLORS.liability, kind: 'bar' },
      { id: 'at-risk', label: 'Value at risk', data: clients.map((c) => c.atRiskMinor), color: MONEY_COLORS.atRisk, kind: 'bar' },
    ],
  };
}

export interface RevenueRow {
  id: string;
  name: string;
  plan: ClientMoney['plan'];
  unpriced: boolean;
  /** Which prices the figures need and lack ("block price", "PAYG rate"). */
  missing: string[];
  sold: number;
  prepaid: number;
  overage: number;
  payg: number;
  earned: number;
  liability: number;
  atRisk: number;
  prepaidHours: number;
  overageHours: number;
  paygHours: number;
  rolloverHours: number;
  atRiskHours: number;
}

export type RevenueColumn = 'name' | 'sold' | 'prepaid' | 'overage' | 'payg' | 'earned' | 'liability' | 'atRisk';
export type SortDir = 'asc' | 'desc';
export interface RevenueSort {
  key: RevenueColumn;
  dir: SortDir;
}
export const DEFAULT_REVENUE_SORT: RevenueSort = { key: 'earned', dir: 'desc' };
/** A header clicked: the same column turns around; a new one starts with the largest (names: A first). */
export { nextSort } from './clients-table.ts';

/** The prices an unpriced client's figures lack. */
function missingPrices(c: ClientMoney): string[] {
  if (!c.unpriced) return [];
  const out: string[] = [];
  if (c.plan === 'prepaid' && c.blockPriceMinor === null) out.push('block price');
  if ((c.plan === 'payg' || c.overageHours > 0) && c.paygRateMinor === null) out.push('PAYG rate');
  return out;
}

export function revenueRows(m: RevenueAnswer): RevenueRow[] {
  return m.clients.map((c) => ({
    id: c.id,
    name: c.name,
    plan: c.plan,
    unpriced: c.unpriced,
    missing: missingPrices(c),
    sold: c.soldMinor,
    prepaid: c.prepaidMinor,
    overage: c.overageMinor,
    payg: c.paygMinor,
    earned: c.prepaidMinor + c.overageMinor + c.paygMinor,
    liability: c.rolloverLiabilityMinor,
    atRisk: c.atRiskMinor,
    prepaidHours: c.prepaidHours,
    overageHours: c.overageHours,
    paygHours: c.paygHours,
    rolloverHours: c.rolloverHours,
    atRiskHours: c.atRiskHours,
  }));
}

/** Rows in a column's order (names alphabetically, amounts by value), ties by name. */
export function sortRevenueRows(rows: readonly RevenueRow[], { key: column, dir }: RevenueSort = DEFAULT_REVENUE_SORT): RevenueRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const byName = (a: RevenueRow, b: RevenueRow) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  return [...rows].sort((a, b) => (column === 'name' ? sign * byName(a, b) : sign * (a[column] - b[column]) || byName(a, b)));
}

/** The table's totals row: the answer's own totals. */
export function totalsRow(m: RevenueAnswer): Pick<RevenueRow, 'sold' | 'prepaid' | 'overage' | 'payg' | 'earned' | 'liability' | 'atRisk'> {
  const t = m.totals;
  return { sold: t.soldMinor, prepaid: t.prepaidMinor, overage: t.overageMinor, payg: t.paygMinor, earned: t.earnedMinor, liability: t.rolloverLiabilityMinor, atRisk: t.atRiskMinor };
}

/** "Lumen (block price) and Dyno (PAYG rate) have no price: their hours count 0 until priced." */
export function unpricedSentence(rows: readonly RevenueRow[]): string | null {
  const u = rows.filter((r) => r.unpriced);
  if (!u.length) return null;
  const names = u.map((r) => (r.missing.length ? `${r.name} (${r.missing.join(' and ')})` : r.name));
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${list} ${u.length === 1 ? 'has' : 'have'} no price: ${u.length === 1 ? 'its' : 'their'} hours count 0 here until priced.`;
}

/**
 * What a what-if does to the quarter's money, in one line from the answer's `money` (its deltas):
 * "Money: earned +€3,250.00 (prepaid +€1,330.00, overage +€1,920.00); value at risk −€1,330.00."
 * Null when nothing moves.
 */
export function whatIfMoneyLine(money: WhatIfMoney | undefined): string | null {
  if (!money) return null;
  const d = money.delta;
  const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${formatMoney(Math.abs(x), money.currency)}`;
  const parts = (list: [string, number][]) => list.filter(([, x]) => x !== 0).map(([label, x]) => `${label} ${signed(x)}`);
  const earned = parts([['prepaid', d.prepaidMinor], ['overage', d.overageMinor], ['PAYG', d.paygMinor]]);
  const rest = parts([['blocks sold', d.soldMinor], ['rollover liability', d.rolloverLiabilityMinor], ['value at risk', d.atRiskMinor]]);
  const head = d.earnedMinor !== 0 || earned.length ? [`earned ${signed(d.earnedMinor)}${earned.length ? ` (${earned.join(', ')})` : ''}`] : [];
  const all = [...head, ...rest];
  return all.length ? `Money: ${all.join('; ')}.` : null;
}
