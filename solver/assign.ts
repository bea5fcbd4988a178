/**
 * Who does what inside a week. The flow fixes, per phase and skill node, how many quarters each
 * person gives; this step splits those amounts over the tickets served, keeping a ticket with the
 * person who worked it before, then with one person, and a client with few people.
 *
 * Small groups where the quick pass had to split a ticket or break continuity are re-solved as a
 * transportation problem with javascript-lp-solver (a vertex of the transportation polytope
 * splits at most people − 1 tickets, and its costs pick the continuity-preserving vertex). The LP
 * result is only taken when it is integral in quarters, consistent, and better than the quick pass.
 */
import lp, { type SolverAPI } from 'javascript-lp-solver';
import type { Level } from './contract.ts';
import type { WeekFlow } from './flow.ts';
import type { MTicket, Share } from './model.ts';

export interface Part {
  ticket: MTicket;
  phase: number;
  q: number;
}

export interface Row {
  staff: number;
  ticket: MTicket;
  level: Level;
  q: number;
  /** Hours a manager pinned (placed by rules/pins.ts, not by this split). */
  pinned?: true;
}

export interface Continuity {
  /** The person who last worked each ticket (most hours in their latest week), or −1. */
  lastStaff: Int32Array;
  /** Quarters each person has worked for each client this quarter: [client * S + staff]. */
  clientStaffQ: Int32Array;
}

export interface AssignStats {
  lpSolves: number;
  lpFallbacks: number;
}

// The package's types describe its CommonJS build; its ES build's default export is the solver.
const solver = lp as unknown as SolverAPI;

/** Largest group (tickets × people) handed to the LP; beyond it the quick pass stands. */
const LP_MAX_CELLS = 24;
const COST_SAME_PERSON = 0;
const COST_CLIENT_PERSON = 1;
const COST_OTHER = 3;
/**
 * Cost of giving a person a client's ticket while a more urgent ticket of the same client that
 * they could do waits (DOMAIN.md: within a client, higher priority first): avoided where the
 * week's amounts allow.
 */
const COST_PRIORITY_CONFLICT = 100;
/** Cost of each extra (ticket, person) pair, i.e. of splitting a ticket. */
const COST_SPLIT = 2;

interface Item {
  ticket: MTicket;
  q: number;
}

type Cells = Map<number, number>[]; // per item: staff → quarters

export function assignWeek(
  flow: WeekFlow,
  parts: readonly Part[],
  phaseLevels: readonly Level[],
  memory: Continuity,
  stats: AssignStats,
  /** People who had the ticket this week at this level in the plan in force and their quarters, most first. */
  previousOf: (t: MTicket, level: Level) => readonly Share[] | undefined = () => undefined,
  /** The most urgent priority among the client's tickets still waiting after this week that person s could work. */
  waitingPriority: (client: number, s: number) => number = () => Number.MAX_SAFE_INTEGER,
): Row[] {
  // What is left of each ticket's previous shares at each level, used up across the week's groups.
  const shareLeft = new Map<number, Map<number, number>>();
  const sharesAt = (t: MTicket, level: Level) => {
    const key = t.idx * 6 + level;
    let m = shareLeft.get(key);
    if (!m) {
      m = new Map();
      for (const x of previousOf(t, level) ?? []) m.set(x.s, (m.get(x.s) ?? 0) + x.q);
      shareLeft.set(key, m);
    }
    return m;
  };
  const S = flow.S;
  const groups = new Map<number, Map<MTicket, number>>();
  for (const p of parts) {
    if (p.q <= 0) continue;
    const key = p.phase * flow.K + p.ticket.skillNode;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new Map()));
    g.set(p.ticket, (g.get(p.ticket) ?? 0) + p.q);
  }
  const rows: Row[] = [];
  const weekStaff = new Map<MTicket, number>();
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const phase = Math.floor(key / flow.K);
    const k = key % flow.K;
    const sharesOf = (t: MTicket) => sharesAt(t, phaseLevels[phase]!);
    const items: Item[] = [...groups.get(key)!].map(([ticket, q]) => ({ ticket, q }));
    items.sort((a, b) => b.q - a.q || a.ticket.rank - b.ticket.rank);
    const people = flow.staffFor(k).filter((s) => flow.flow[phase]![k * S + s]! > 0);
    const amounts = people.map((s) => flow.flow[phase]![k * S + s]!);
    // Costs and previous shares per (item, person), worked out once for the group.
    const cost = items.map((item) => {
      const t = item.ticket;
      const shares = sharesOf(t);
      const before = weekStaff.get(t) ?? memory.lastStaff[t.idx]!;
      return people.map((s) => {
        if (!t.emergency && waitingPriority(t.client.idx, s) < t.priority) return COST_PRIORITY_CONFLICT;
        if (shares.size > 0 ? (shares.get(s) ?? 0) > 0 : before === s) return COST_SAME_PERSON;
        return memory.clientStaffQ[t.client.idx * S + s]! > 0 ? COST_CLIENT_PERSON : COST_OTHER;
      });
    });
    const costOf = (i: number, pi: number) => cost[i]![pi]!;
    const share = items.map((item) => {
      const shares = sharesOf(item.ticket);
      return people.map((s) => (shares.size > 0 ? (shares.get(s) ?? 0) : Number.MAX_SAFE_INTEGER));
    });
    const shareOf = (i: number, pi: number) => share[i]![pi]!;
    let cells = quickPass(items, people, amounts, costOf, shareOf);
    if (people.length > 1 && items.length * people.length <= LP_MAX_CELLS && score(cells, items, costOf) > ideal(items, people, costOf)) {
      const lp = transportationLp(items, people, amounts, costOf, stats);
      if (lp && score(lp, items, costOf) < score(cells, items, costOf)) cells = lp;
    }
    items.forEach((item, i) => {
      let best = -1;
      let bestQ = 0;
      const shares = sharesOf(item.ticket);
      for (const [pi, q] of cells[i]!) {
        const s = people[pi]!;
        if (shares.has(s)) shares.set(s, Math.max(0, shares.get(s)! - q));
        rows.push({ staff: s, ticket: item.ticket, level: phaseLevels[phase]!, q });
        if (q > bestQ) {
          bestQ = q;
          best = s;
        }
      }
      if (!weekStaff.has(item.ticket) && best >= 0) weekStaff.set(item.ticket, best);
    });
  }
  return rows;
}

/** Ticket-first greedy: previous people (their share), then a person who knows the client, then best fit. */
function quickPass(
  items: Item[],
  people: number[],
  amounts: number[],
  costOf: (i: number, pi: number) => number,
  shareOf: (i: number, pi: number) => number,
): Cells {
  const left = [...amounts];
  const cells: Cells = items.map(() => new Map());
  const give = (i: number, pi: number, q: number) => {
    cells[i]!.set(pi, (cells[i]!.get(pi) ?? 0) + q);
    left[pi]! -= q;
  };
  items.forEach((item, i) => {
    let need = item.q;
    // The people who had the ticket keep it, as far as their hours go.
    for (let pi = 0; pi < people.length && need > 0; pi++) {
      if (costOf(i, pi) !== COST_SAME_PERSON || left[pi]! <= 0) continue;
      const q = Math.min(need, left[pi]!, shareOf(i, pi));
      give(i, pi, q);
      need -= q;
    }
    while (need > 0) {
      // Whole ticket to one person if anyone has room: someone who knows the client, else the
      // tightest fit (keeps big blocks of time free for big tickets).
      let pick = -1;
      for (let pi = 0; pi < people.length; pi++) {
        if (left[pi]! < need) continue;
        if (pick < 0) {
          pick = pi;
          continue;
        }
        const c = costOf(i, pi) - costOf(i, pick);
        if (c < 0 || (c === 0 && left[pi]! < left[pick]!)) pick = pi;
      }
      if (pick < 0) {
        for (let pi = 0; pi < people.length; pi++) {
          if (left[pi]! <= 0) continue;
          if (pick < 0) {
            pick = pi;
            continue;
          }
          const c = costOf(i, pi) - costOf(i, pick);
          if (c < 0 || (c === 0 && left[pi]! > left[pick]!)) pick = pi;
        }
      }
      if (pick < 0) break; // cannot happen: the flow's amounts sum to the items' quarters
      const q = Math.min(need, left[pick]!);
      give(i, pick, q);
      need -= q;
    }
  });
  return cells;
}

function score(cells: Cells, items: Item[], costOf: (i: number, pi: number) => number): number {
  let total = 0;
  cells.forEach((m, i) => {
    total += (m.size - 1) * COST_SPLIT * items[i]!.q;
    for (const [pi, q] of m) total += costOf(i, pi) * q;
  });
  return total;
}

/** A lower bound: every item whole with its cheapest person. */
function ideal(items: Item[], people: number[], costOf: (i: number, pi: number) => number): number {
  return items.reduce((sum, item, i) => {
    let best = Number.MAX_SAFE_INTEGER;
    for (let pi = 0; pi < people.length; pi++) best = Math.min(best, costOf(i, pi));
    return sum + item.q * best;
  }, 0);
}

function transportationLp(
  items: Item[],
  people: number[],
  amounts: number[],
  costOf: (i: number, pi: number) => number,
  stats: AssignStats,
): Cells | null {
  const constraints: Record<string, { equal: number }> = {};
  const variables: Record<string, Record<string, number>> = {};
  items.forEach((item, i) => (constraints[`t${i}`] = { equal: item.q }));
  people.forEach((_, pi) => (constraints[`p${pi}`] = { equal: amounts[pi]! }));
  items.forEach((_item, i) =>
    people.forEach((_s, pi) => {
      variables[`x${i}_${pi}`] = { cost: costOf(i, pi), [`t${i}`]: 1, [`p${pi}`]: 1 };
    }),
  );
  stats.lpSolves++;
  let result: Record<string, unknown>;
  try {
    result = solver.Solve({ optimize: 'cost', opType: 'min', constraints, variables }) as Record<string, unknown>;
  } catch {
    stats.lpFallbacks++;
    return null;
  }
  if (!result.feasible) {
    stats.lpFallbacks++;
    return null;
  }
  const cells: Cells = items.map(() => new Map());
  const itemSum = items.map(() => 0);
  const personSum = people.map(() => 0);
  for (const [name, value] of Object.entries(result)) {
    const m = /^x(\d+)_(\d+)$/.exec(name);
    if (!m || typeof value !== 'number') continue;
    const q = Math.round(value);
    if (Math.abs(q - value) > 1e-6) {
      stats.lpFallbacks++;
      return null;
    }
    if (q <= 0) continue;
    const i = Number(m[1]);
    const pi = Number(m[2]);
    cells[i]!.set(pi, q);
    itemSum[i]! += q;
    personSum[pi]! += q;
  }
  const consistent = items.every((it, i) => itemSum[i] === it.q) && people.every((_, pi) => personSum[pi] === amounts[pi]);
  if (!consistent) {
    stats.lpFallbacks++;
    return null;
  }
  return cells;
}
