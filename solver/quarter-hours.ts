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
export const hoursOf = (quarters: number): number => quarters / QUARTERS_PER_HOUR;
/** DOMAIN.md: hours are planned and reported in quarter hours. */
export const isQuarterHours = (h: number): boolean => Math.abs(h * 4 - Math.round(h * 4)) < 1e-9;

/** Reported figures: six decimals are plenty and hide floating-point noise. */
export const tidy = (x: number): number => {
  const r = Math.round(x * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
};

/** Ids split into text and number runs, parsed once per id. */
const chunkCache = new Map<string, (string | number)[]>();
function chunks(id: string): (string | number)[] {
  let c = chunkCache.get(id);
  if (!c) {
    c = (id.match(/\d+|\D+/g) ?? []).map((part) => (/^\d/.test(part) && part.length < 16 ? Number(part) : part));
    if (chunkCache.size > 100_000) chunkCache.clear();
    chunkCache.set(id, c);
  }
  return c;
}

/**
 * Natural order for ids ("T-9" before "T-10"), independent of locale so plans are the same
 * everywhere. Ties (such as "T-01" and "T-1") fall back to plain code-unit order.
 */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return compareChunks(a, chunks(a), b, chunks(b));
}

/** Items sorted by their ids in natural order (compareIds), each id split once. */
export function sortByIds<T>(items: readonly T[], id: (item: T) => string): T[] {
  const keyed = items.map((item) => {
    const s = id(item);
    return { item, s, c: chunks(s) };
  });
  keyed.sort((x, y) => (x.s === y.s ? 0 : compareChunks(x.s, x.c, y.s, y.c)));
  return keyed.map((k) => k.item);
}

function compareChunks(a: string, pa: readonly (string | number)[], b: string, pb: readonly (string | number)[]): number {
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : 1;
}
