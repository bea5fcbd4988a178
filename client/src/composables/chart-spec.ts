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
}

/** Rounds to quarter hours' precision for display, dropping float noise. */
export function tidy(h: number): number {
  return Math.round(h * 100) / 100;
}
