/**
 * Rows of one plan version in their list's fixed order, with the positions of the rows of each
 * filter value (facets), so a page is a binary search and a short walk, never a pass over the plan.
 *
 * Pages are keyset pages (shared/api/paging.ts): the cursor is the sort key of the last row served
 * and the next page starts after it, so a cursor from an older version goes on at the same place
 * in the new one. With several filters the smallest facet list is walked and the rest are checked
 * row by row.
 */
import type { Page } from '../../../shared/api/paging.ts';
import { badCursor, decodeCursor, encodeCursor } from '../paging.ts';

export type FacetValue = string | number;
/** The values a row has for a facet: one, several (a ticket's staff) or none. */
export type FacetOf<T> = (row: T) => FacetValue | readonly FacetValue[] | undefined | null;

const valuesOf = (v: FacetValue | readonly FacetValue[] | undefined | null): readonly FacetValue[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v as FacetValue]);

export interface KeyOrder<T, K> {
  /** The list's name, checked in its cursors. */
  list: string;
  /** The sort key of the row at `pos` (what a cursor holds). */
  keyOf(row: T, pos: number): K;
  /** <0, 0, >0 as the row at `pos` sorts before, at or after `key`. */
  compare(row: T, pos: number, key: K): number;
  /** The key a cursor holds, or null when it is not one of this list's. */
  parseKey(raw: unknown): K | null;
}

export class RowIndex<T, F extends string = string> {
  private readonly facets = new Map<F, Map<FacetValue, Int32Array>>();

  constructor(
    /** In the list's order. */
    readonly rows: readonly T[],
    private readonly facetOf: Readonly<Record<F, FacetOf<T>>>,
  ) {
    for (const name of Object.keys(facetOf) as F[]) {
      const lists = new Map<FacetValue, number[]>();
      const of = facetOf[name];
      rows.forEach((row, pos) => {
        for (const v of valuesOf(of(row))) {
          let list = lists.get(v);
          if (!list) lists.set(v, (list = []));
          if (list[list.length - 1] !== pos) list.push(pos);
        }
      });
      this.facets.set(name, new Map([...lists].map(([v, list]) => [v, Int32Array.from(list)])));
    }
  }

  /** About what the positions weigh (the rows are weighed by their owner). */
  get bytes(): number {
    let n = 0;
    for (const lists of this.facets.values()) for (const list of lists.values()) n += list.byteLength + 64;
    return n;
  }

  /** The rows with these facet values (undefined: no filter), in order. */
  select(filters: Partial<Record<F, FacetValue | undefined>>): { positions: ArrayLike<number> | null; keep: ((pos: number) => boolean) | null; empty: boolean } {
    const given = (Object.entries(filters) as [F, FacetValue | undefined][]).filter(([, v]) => v !== undefined) as [F, FacetValue][];
    if (given.length === 0) return { positions: null, keep: null, empty: false };
    const lists = given.map(([name, v]) => ({ name, v, list: this.facets.get(name)?.get(v) }));
    if (lists.some((l) => !l.list)) return { positions: new Int32Array(0), keep: null, empty: true };
    lists.sort((a, b) => a.list!.length - b.list!.length);
    const [smallest, ...rest] = lists;
    const keep = rest.length === 0 ? null : (pos: number) => rest.every(({ name, v }) => valuesOf(this.facetOf[name](this.rows[pos]!)).includes(v));
    return { positions: smallest!.list!, keep, empty: smallest!.list!.length === 0 };
  }

  /** The rows of these facet values, in order (a client's detail: a few dozen). */
  all(filters: Partial<Record<F, FacetValue | undefined>>): T[] {
    const { positions, keep } = this.select(filters);
    const out: T[] = [];
    const n = positions ? positions.length : this.rows.length;
    for (let i = 0; i < n; i++) {
      const pos = positions ? positions[i]! : i;
      if (!keep || keep(pos)) out.push(this.rows[pos]!);
    }
    return out;
  }

  /** One page after `cursor` (a cursor of `order.list`, as nextCursor gave it). */
  page<K>(filters: Partial<Record<F, FacetValue | undefined>>, order: KeyOrder<T, K>, limit: number, cursor: string | undefined): Page<T> {
    const after = cursor === undefined ? undefined : parseCursor(order, cursor);
    const { positions, keep } = this.select(filters);
    const n = positions ? positions.length : this.rows.length;
    const at = (i: number) => (positions ? positions[i]! : i);
    let total = n;
    if (keep) {
      total = 0;
      for (let i = 0; i < n; i++) if (keep(at(i))) total++;
    }
    // The first row after the cursor's key.
    let lo = 0;
    if (after !== undefined) {
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const pos = at(mid);
        if (order.compare(this.rows[pos]!, pos, after) <= 0) lo = mid + 1;
        else hi = mid;
      }
    }
    const items: T[] = [];
    let lastPos = -1;
    let more = false;
    for (let i = lo; i < n; i++) {
      const pos = at(i);
      if (keep && !keep(pos)) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(this.rows[pos]!);
      lastPos = pos;
    }
    return { items, total, nextCursor: more ? encodeCursor(order.list, JSON.stringify(order.keyOf(this.rows[lastPos]!, lastPos))) : null };
  }
}

function parseCursor<T, K>(order: KeyOrder<T, K>, cursor: string): K {
  const raw = decodeCursor(order.list, cursor, 'string')!;
  let key: K | null = null;
  try {
    key = order.parseKey(JSON.parse(raw));
  } catch {
    key = null;
  }
  if (key === null) throw badCursor();
  return key;
}
