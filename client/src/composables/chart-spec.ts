import { formatMoney, minorDigits } from '../../../shared/money.ts';
import { fmtHours } from './format.ts';

/**
 * Plain chart data: what the chart data shapers produce and the chart components draw. Kept free
 * of chart.js so the shaping can be tested on its own and read as a table.
 */
export interface Series {
  id: string;
  label: string;
  data: (number | null)[];
  color: string;
  kind: 'bar' | 'line' | 'area';
  /** Bars with the same stack are stacked. */
  stack?: string;
  dashed?: boolean;
  /** For areas: fill to the x axis or to the series before this one. */
  fill?: 'origin' | 'previous';
  /** Draw above (lower) or below (higher) the others. */
  order?: number;
  /** Lines: draw a dot at each value (default true). */
  points?: boolean;
  /** Step line (capacity between weeks). */
  stepped?: boolean;
}

export interface ChartSpec {
  labels: string[];
  series: Series[];
  stacked?: boolean;
  horizontal?: boolean;
  yTitle?: string;
  xTitle?: string;
  /** Values are money in this currency's minor units (shared/money.ts), not hours. */
  money?: { currency: string };
}

/** Rounds to quarter hours' precision for display, dropping float noise. */
export function tidy(h: number): number {
  return Math.round(h * 100) / 100;
}

/** A value as the chart's tooltip and table show it: hours, or money in full ("€1,234.50"). */
export function formatValue(spec: Pick<ChartSpec, 'money'>, v: number): string {
  return spec.money ? formatMoney(v, spec.money.currency) : fmtHours(v);
}

/** An axis tick: hours, or money in whole major units, compact ("€12K"). */
export function formatTick(spec: Pick<ChartSpec, 'money'>, v: number): string {
  if (!spec.money) return fmtHours(v);
  const { currency } = spec.money;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(v / 10 ** minorDigits(currency));
}
