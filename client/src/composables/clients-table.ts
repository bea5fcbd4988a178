/** The manager's clients table: figures per client, sortable, at-risk first by default. */
import type { ClientPlan } from '../../../shared/api/index.ts';
import { FIGURE_COLORS } from './levels.ts';
import { tidy, type ChartSpec } from './chart-spec.ts';

export interface ClientRow {
  id: string;
  name: string;
  plan: 'prepaid' | 'payg';
  bought: number;
  rolledIn: number;
  used: number;
  planned: number;
  balance: number;
  forecastUnused: number;
  atRisk: number;
  rollover: number;
  overage: number;
  presentByWeek: number | null;
}

export type ClientSortKey = 'name' | 'plan' | 'bought' | 'used' | 'planned' | 'forecastUnused' | 'atRisk' | 'rollover' | 'overage';
export interface ClientSort {
  key: ClientSortKey;
  dir: 'asc' | 'desc';
}
export const DEFAULT_CLIENT_SORT: ClientSort = { key: 'atRisk', dir: 'desc' };

/** The figures a row reads (a ClientPlan, or the summary's client without its explanations). */
type ClientFigures = Omit<ClientPlan, 'shortfallWeeks' | 'advice'>;

export function clientRows(clients: readonly ClientFigures[]): ClientRow[] {
  return clients.map((c) => ({
    id: c.id,
    name: c.name || c.id,
    plan: c.plan,
    bought: tidy(c.boughtHours),
    rolledIn: tidy(c.rolloverInHours),
    used: tidy(c.usedHours),
    planned: tidy(c.plannedHours),
    balance: tidy(c.balanceHours),
    forecastUnused: tidy(c.forecastUnusedHours),
    atRisk: tidy(c.atRiskHours),
    rollover: tidy(c.rolloverHours),
    overage: tidy(c.overageHours),
    presentByWeek: c.presentByWeek ?? null,
  }));
}

/** Sorts by one column; ties fall back to at risk, rollover, then name, so the order is stable. */
export function sortClients(rows: ClientRow[], sort: ClientSort = DEFAULT_CLIENT_SORT): ClientRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const cmp = (a: ClientRow, b: ClientRow, k: ClientSortKey): number => {
    const x = a[k];
    const y = b[k];
    return typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : (x as number) - (y as number);
  };
  return [...rows].sort((a, b) => sign * cmp(a, b, sort.key) || -cmp(a, b, 'atRisk') || -cmp(a, b, 'rollover') || a.name.localeCompare(b.name));
}

export function nextSort<K extends string>(cur: { key: K; dir: 'asc' | 'desc' }, key: K): { key: K; dir: 'asc' | 'desc' } {
  if (cur.key === key) return { key, dir: cur.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'name' || key === 'plan' ? 'asc' : 'desc' };
}

/** At-risk and rollover hours per prepaid client, biggest risk first. */
export function riskChart(rows: ClientRow[]): ChartSpec {
  const prepaid = sortClients(rows.filter((r) => r.plan === 'prepaid'));
  return {
    labels: prepaid.map((r) => r.name),
    horizontal: true,
    stacked: true,
    yTitle: 'Hours',
    series: [
      { id: 'at-risk', label: 'At risk of expiring', data: prepaid.map((r) => r.atRisk), color: FIGURE_COLORS.atRisk, kind: 'bar', stack: 'unused' },
      { id: 'rollover', label: 'Rollover owed', data: prepaid.map((r) => r.rollover), color: FIGURE_COLORS.rollover, kind: 'bar', stack: 'unused' },
    ],
  };
}
