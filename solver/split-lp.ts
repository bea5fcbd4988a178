/**
 * The exact re-solve of a small group's split (assign.ts): a transportation problem on
 * javascript-lp-solver (a vertex of the transportation polytope splits at most people − 1
 * tickets, and its costs pick the continuity-preserving vertex). The LP's answer is taken only
 * when it is integral in quarters, consistent, and scores better than the quick pass.
 *
 * Most groups handed here cannot score better than the quick pass whatever the LP answers, and
 * a small search proves it (mightBeat) before the LP is built: then the LP is not solved, which
 * changes no plan (its answer would not have been taken) and saves most of the solves.
 */
import lp, { type SolverAPI } from 'javascript-lp-solver';

// The package's types describe its CommonJS build; its ES build's default export is the solver.
const solver = lp as unknown as SolverAPI;

/** Cost of each extra (ticket, person) pair, i.e. of splitting a ticket: per quarter of the ticket. */
export const COST_SPLIT = 2;

/**
 * Per item, the people it goes to and their quarters as pairs [person, q, person, q, …] in the
 * order they were given (person: an index into the group's people; each at most once).
 */
export type Cells = number[][];

/** Adds q quarters of person pi to an item's pairs. */
export function give(pairs: number[], pi: number, q: number): void {
  for (let k = 0; k < pairs.length; k += 2) {
    if (pairs[k] === pi) {
      pairs[k + 1]! += q;
      return;
    }
  }
  pairs.push(pi, q);
}

export interface SplitStats {
  lpSolves: number;
  lpFallbacks: number;
}

/** The split's score: each quarter at its (item, person) cost, plus the split penalty per extra person. */
export function score(cells: Cells, qs: readonly number[], cost: readonly (readonly number[])[]): number {
  let total = 0;
  for (let i = 0; i < cells.length; i++) {
    const pairs = cells[i]!;
    total += (pairs.length / 2 - 1) * COST_SPLIT * qs[i]!;
    const row = cost[i]!;
    for (let k = 0; k < pairs.length; k += 2) total += row[pairs[k]!]! * pairs[k + 1]!;
  }
  return total;
}

/**
 * The better of the quick pass's split and the LP's, for items of `qs` quarters and people who
 * give `amounts` (the two sum alike), at `cost[item][person]` per quarter.
 */
export function exactSplit(qs: readonly number[], amounts: readonly number[], cost: readonly (readonly number[])[], quick: Cells, stats: SplitStats): Cells {
  const quickScore = score(quick, qs, cost);
  if (!mightBeat(qs, amounts, cost, quickScore)) return quick;
  const cells = transportationLp(qs, amounts, cost, stats);
  return cells && score(cells, qs, cost) < quickScore ? cells : quick;
}

/**
 * The LP's model for n items and m people, made once per shape: rows t<item> and p<person>,
 * columns x<item>_<person>, in that order. Each solve writes its quarters and costs into it
 * (javascript-lp-solver reads the model and keeps nothing of it).
 */
interface Shape {
  model: { optimize: 'cost'; opType: 'min'; constraints: Record<string, { equal: number }>; variables: Record<string, Record<string, number>> };
  itemRows: { equal: number }[];
  personRows: { equal: number }[];
  columns: { cost: number }[][];
  /** Each column's (item, person), by name. */
  cellOf: Map<string, [number, number]>;
}
const shapes = new Map<number, Shape>();

function shapeOf(n: number, m: number): Shape {
  const key = n * 1024 + m;
  let shape = shapes.get(key);
  if (!shape) {
    const constraints: Shape['model']['constraints'] = {};
    const variables: Shape['model']['variables'] = {};
    const itemRows = Array.from({ length: n }, (_, i) => (constraints[`t${i}`] = { equal: 0 }));
    const personRows = Array.from({ length: m }, (_, pi) => (constraints[`p${pi}`] = { equal: 0 }));
    const cellOf = new Map<string, [number, number]>();
    const columns = Array.from({ length: n }, (_, i) =>
      Array.from({ length: m }, (_, pi) => {
        const column = { cost: 0, [`t${i}`]: 1, [`p${pi}`]: 1 };
        variables[`x${i}_${pi}`] = column;
        cellOf.set(`x${i}_${pi}`, [i, pi]);
        return column;
      }),
    );
    shape = { model: { optimize: 'cost', opType: 'min', constraints, variables }, itemRows, personRows, columns, cellOf };
    shapes.set(key, shape);
  }
  return shape;
}

function transportationLp(qs: readonly number[], amounts: readonly number[], cost: readonly (readonly number[])[], stats: SplitStats): Cells | null {
  const n = qs.length;
  const m = amounts.length;
  const shape = shapeOf(n, m);
  for (let i = 0; i < n; i++) shape.itemRows[i]!.equal = qs[i]!;
  for (let pi = 0; pi < m; pi++) shape.personRows[pi]!.equal = amounts[pi]!;
  for (let i = 0; i < n; i++) for (let pi = 0; pi < m; pi++) shape.columns[i]![pi]!.cost = cost[i]![pi]!;
  stats.lpSolves++;
  let result: Record<string, unknown>;
  try {
    result = solver.Solve(shape.model) as Record<string, unknown>;
  } catch {
    stats.lpFallbacks++;
    return null;
  }
  if (!result.feasible) {
    stats.lpFallbacks++;
    return null;
  }
  const cells: Cells = [];
  for (let i = 0; i < n; i++) cells.push([]);
  const itemSum = new Array<number>(n).fill(0);
  const personSum = new Array<number>(m).fill(0);
  for (const name in result) {
    const value = result[name];
    const at = shape.cellOf.get(name);
    if (!at || typeof value !== 'number') continue;
    const q = Math.round(value);
    if (Math.abs(q - value) > 1e-6) {
      stats.lpFallbacks++;
      return null;
    }
    if (q <= 0) continue;
    const [i, pi] = at;
    cells[i]!.push(pi, q);
    itemSum[i]! += q;
    personSum[pi]! += q;
  }
  for (let i = 0; i < n; i++) if (itemSum[i] !== qs[i]) return fallback(stats);
  for (let pi = 0; pi < m; pi++) if (personSum[pi] !== amounts[pi]) return fallback(stats);
  return cells;
}

function fallback(stats: SplitStats): null {
  stats.lpFallbacks++;
  return null;
}

/** Search nodes the proof below may visit before it gives up (and the LP decides). */
const PROOF_BUDGET = 4000;

interface Proof {
  qs: readonly number[];
  cost: readonly (readonly number[])[];
  /** Each item's people, cheapest first (ties in index order). */
  byCost: readonly number[][];
  /** Scratch for the rooms, largest first. */
  sorted: Int32Array;
  target: number;
  /** least[i]: Σ over items i… of their quarters at their cheapest person's cost. */
  least: Float64Array;
  room: number[];
  split: number[];
  /** What the split items count for in the cost so far (their bounds on the way down). */
  splitCost: number;
  nodes: number;
}

/**
 * Whether any split of the items over the people could score below `target` (the quick pass's
 * score); when not, the LP's answer could not be taken. A depth-first search decides for each
 * item whether it goes whole to one person with room for it or is split. A split item costs at
 * least its hours at the cheapest costs the room allows, plus the split penalty on every quarter
 * for each person beyond the first it needs (the fewest whose room holds it). A branch stops once
 * its cost so far plus the least the items left can cost reaches the target; at the end the split
 * items are placed together at least cost in the room the whole ones left (minCostFill). Every
 * split the LP could return belongs to a branch and costs at least that branch's bound, so no
 * branch under the target proves the LP would lose to the quick pass. Answers true (let the LP
 * try) when the search runs out of budget.
 */
function mightBeat(qs: readonly number[], amounts: readonly number[], cost: readonly (readonly number[])[], target: number): boolean {
  const n = qs.length;
  const least = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) least[i] = least[i + 1]! + qs[i]! * Math.min(...cost[i]!);
  const byCost = cost.map(cheapestFirst);
  return search({ qs, cost, byCost, sorted: new Int32Array(amounts.length), target, least, room: [...amounts], split: [], splitCost: 0, nodes: 0 }, 0, 0);
}

function search(p: Proof, i: number, cost: number): boolean {
  if (++p.nodes > PROOF_BUDGET) return true;
  if (cost + p.least[i]! >= p.target) return false;
  const n = p.qs.length;
  if (i === n) return p.split.length === 0 || cost - p.splitCost + Math.max(p.splitCost, minCostFill(p.split, p.qs, p.room, p.cost)) < p.target;
  const q = p.qs[i]!;
  const row = p.cost[i]!;
  for (let pi = 0; pi < p.room.length; pi++) {
    if (p.room[pi]! < q) continue;
    p.room[pi]! -= q;
    const found = search(p, i + 1, cost + q * row[pi]!);
    p.room[pi]! += q;
    if (found) return true;
  }
  const bound = fillAlone(q, row, p.byCost[i]!, p.room) + q * COST_SPLIT * Math.max(1, peopleNeeded(q, p.room, p.sorted) - 1);
  p.split.push(i);
  p.splitCost += bound;
  const found = search(p, i + 1, cost + bound);
  p.splitCost -= bound;
  p.split.pop();
  return found;
}

/** A row's people, cheapest first, ties in index order (insertion sort: a dozen people at most). */
function cheapestFirst(row: readonly number[]): number[] {
  const order: number[] = [];
  for (let pi = 0; pi < row.length; pi++) {
    let b = order.length;
    order.push(pi);
    for (; b > 0 && row[order[b - 1]!]! > row[pi]!; b--) order[b] = order[b - 1]!;
    order[b] = pi;
  }
  return order;
}

/** The fewest people whose room left holds q quarters (the largest rooms first; `sorted` is scratch). */
function peopleNeeded(q: number, room: readonly number[], sorted: Int32Array): number {
  // Insertion sort, largest first: a dozen people at most.
  for (let a = 0; a < room.length; a++) {
    const r = room[a]!;
    let b = a;
    for (; b > 0 && sorted[b - 1]! < r; b--) sorted[b] = sorted[b - 1]!;
    sorted[b] = r;
  }
  let k = 0;
  for (let held = 0; held < q && k < room.length; k++) held += sorted[k]!;
  return k;
}

/** The least cost of one item's hours in the room left, as if no other item wanted it (`order`: its people, cheapest first). */
function fillAlone(q: number, row: readonly number[], order: readonly number[], room: readonly number[]): number {
  let left = q;
  let total = 0;
  for (const pi of order) {
    const x = Math.min(left, room[pi]!);
    total += x * row[pi]!;
    left -= x;
    if (left <= 0) break;
  }
  return total;
}

/**
 * The least cost of the split items' hours in the room left, at their people's costs plus the
 * split penalty (successive shortest paths, with Bellman-Ford, on the tiny transportation
 * network). The whole items have taken their room, so the split items' hours fill what is left.
 */
function minCostFill(split: readonly number[], qs: readonly number[], room: readonly number[], cost: readonly (readonly number[])[]): number {
  const n = split.length;
  const m = room.length;
  const c = split.map((i) => cost[i]!.map((x) => x + COST_SPLIT));
  const x = new Int32Array(n * m);
  const supply = split.map((i) => qs[i]!);
  const demand = [...room];
  const N = n + m;
  const dist = new Float64Array(N);
  const prev = new Int32Array(N);
  let total = 0;
  for (;;) {
    // From every item with hours left: item → person at its cost, back along hours placed.
    dist.fill(Infinity);
    prev.fill(-1);
    for (let a = 0; a < n; a++) if (supply[a]! > 0) dist[a] = 0;
    for (let round = 0; round < N; round++) {
      let changed = false;
      for (let a = 0; a < n; a++) {
        if (dist[a] === Infinity) continue;
        for (let pi = 0; pi < m; pi++) {
          const d = dist[a]! + c[a]![pi]!;
          if (d < dist[n + pi]!) {
            dist[n + pi] = d;
            prev[n + pi] = a;
            changed = true;
          }
        }
      }
      for (let pi = 0; pi < m; pi++) {
        if (dist[n + pi] === Infinity) continue;
        for (let a = 0; a < n; a++) {
          if (x[a * m + pi]! <= 0) continue;
          const d = dist[n + pi]! - c[a]![pi]!;
          if (d < dist[a]!) {
            dist[a] = d;
            prev[a] = n + pi;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    let best = -1;
    for (let pi = 0; pi < m; pi++) if (demand[pi]! > 0 && dist[n + pi]! < Infinity && (best < 0 || dist[n + pi]! < dist[n + best]!)) best = pi;
    if (best < 0) return total;
    let b = demand[best]!;
    let v = n + best;
    for (let steps = 0; prev[v]! >= 0; steps++) {
      if (steps > N) return -Infinity; // cannot happen with integer costs; never claims a bound then
      const u = prev[v]!;
      if (u >= n) b = Math.min(b, x[v * m + (u - n)]!);
      v = u;
    }
    b = Math.min(b, supply[v]!);
    supply[v]! -= b;
    demand[best]! -= b;
    total += b * dist[n + best]!;
    for (v = n + best; prev[v]! >= 0; ) {
      const u = prev[v]!;
      if (u < n) x[u * m + (v - n)]! += b;
      else x[v * m + (u - n)]! -= b;
      v = u;
    }
  }
}
