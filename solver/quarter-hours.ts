/**
 * Hours are planned in quarter hours. Inside the engine every amount is an integer number of
 * quarters, so rounding can never break a capacity or a ticket's remaining hours.
 */
export const QUARTERS_PER_HOUR = 4;
const EPS = 1e-7;

/** Whole quarters in `hours`, rounded down (capacities, remaining hours). */
export const floorQ = (hours: number): number => Math.floor(hours * QUARTERS_PER_HOUR + EPS);
/** Whole quarters covering `hours`, rounded up. */
export const ceilQ = (hours: number): number => Math.ceil(hours * QUARTERS_PER_HOUR - EPS);
/** Nearest whole quarters, halves up. */
export const roundQ = (hours: number): number => Math.floor(hours * QUARTERS_PER_HOUR + 0.5 + EPS);
export const hoursOf = (quarters: number): number => quarters / QUARTERS_PER_HOUR;

/** Reported figures: six decimals are plenty and hide floating-point noise. */
export const tidy = (x: number): number => {
  const r = Math.round(x * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
};

/**
 * Natural order for ids ("T-9" before "T-10"), independent of locale so plans are the same
 * everywhere. Ties fall back to plain code-unit order.
 */
export function compareIds(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const d = x.replace(/^0+/, '').length - y.replace(/^0+/, '').length;
      if (d !== 0) return d;
      const cmp = x.replace(/^0+/, '') < y.replace(/^0+/, '') ? -1 : x.replace(/^0+/, '') > y.replace(/^0+/, '') ? 1 : 0;
      if (cmp !== 0) return cmp;
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
