/**
 * Who does what inside a week. The flow fixes, per phase and skill node, how many quarters each
 * person gives; this step splits those amounts over the tickets served, keeping a ticket with the
 * person who worked it before, then with one person, and a client with few people.
 *
 * Small groups where the quick pass had to split a ticket or break continuity are re-solved
 * exactly as a transportation problem (split-lp.ts), and the better answer is kept.
 */
import type { Level } from './contract.ts';
import type { WeekFlow } from './flow.ts';
import type { MTicket, Share } from './model.ts';
import { exactSplit, give, score, type Cells, type SplitStats } from './split-lp.ts';

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

export type AssignStats = SplitStats;

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

/** The shares of a ticket nobody had in the plan in force: never written (see sharesAt). */
const NO_SHARES = new Map<number, number>();

interface Item {
  ticket: MTicket;
  q: number;
}

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
    const level = phaseLevels[phase]!;
    const items: Item[] = [];
    groups.get(key)!.forEach((q, ticket) => items.push({ ticket, q }));
    items.sort((a, b) => b.q - a.q || a.ticket.rank - b.ticket.rank);
    const f = flow.flow[phase]!;
    const people = flow.staffFor(k).filter((s) => f[k * S + s]! > 0);
    const amounts = people.map((s) => f[k * S + s]!);
    // Costs and previous shares per (item, person), worked out once for the group.
    const shares = items.map((item) => sharesAt(shareLeft, previousOf, item.ticket, level));
    const cost = items.map((item, i) => {
      const t = item.ticket;
      const had = shares[i]!;
      const before = weekStaff.get(t) ?? memory.lastStaff[t.idx]!;
      return people.map((s) => {
        if (!t.emergency && waitingPriority(t.client.idx, s) < t.priority) return COST_PRIORITY_CONFLICT;
        if (had.size > 0 ? (had.get(s) ?? 0) > 0 : before === s) return COST_SAME_PERSON;
        return memory.clientStaffQ[t.client.idx * S + s]! > 0 ? COST_CLIENT_PERSON : COST_OTHER;
      });
    });
    const share = shares.map((had) => people.map((s) => (had.size > 0 ? (had.get(s) ?? 0) : Number.MAX_SAFE_INTEGER)));
    let cells = quickPass(items, amounts, cost, share);
    if (people.length > 1 && items.length * people.length <= LP_MAX_CELLS) {
      const qs = items.map((item) => item.q);
      if (score(cells, qs, cost) > ideal(qs, cost)) cells = exactSplit(qs, amounts, cost, cells, stats);
    }
    items.forEach((item, i) => {
      let best = -1;
      let bestQ = 0;
      const had = shares[i]!;
      const pairs = cells[i]!;
      for (let p = 0; p < pairs.length; p += 2) {
        const s = people[pairs[p]!]!;
        const q = pairs[p + 1]!;
        if (had.has(s)) had.set(s, Math.max(0, had.get(s)! - q));
        rows.push({ staff: s, ticket: item.ticket, level, q });
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

/** What is left of a ticket's previous shares at a level (person → quarters), made on first use. */
function sharesAt(
  shareLeft: Map<number, Map<number, number>>,
  previousOf: (t: MTicket, level: Level) => readonly Share[] | undefined,
  t: MTicket,
  level: Level,
): Map<number, number> {
  const key = t.idx * 6 + level;
  let m = shareLeft.get(key);
  if (!m) {
    const before = previousOf(t, level);
    // Without previous shares one empty map serves (nothing is ever set in it).
    m = before && before.length > 0 ? new Map() : NO_SHARES;
    for (const x of before ?? []) m.set(x.s, (m.get(x.s) ?? 0) + x.q);
    shareLeft.set(key, m);
  }
  return m;
}

/** Ticket-first greedy: previous people (their share), then a person who knows the client, then best fit. */
function quickPass(items: Item[], amounts: readonly number[], cost: readonly (readonly number[])[], share: readonly (readonly number[])[]): Cells {
  const m = amounts.length;
  const left = [...amounts];
  const cells: Cells = items.map(() => []);
  items.forEach((item, i) => {
    const row = cost[i]!;
    const got = cells[i]!;
    let need = item.q;
    // The people who had the ticket keep it, as far as their hours go.
    for (let pi = 0; pi < m && need > 0; pi++) {
      if (row[pi] !== COST_SAME_PERSON || left[pi]! <= 0) continue;
      const q = Math.min(need, left[pi]!, share[i]![pi]!);
      give(got, pi, q);
      left[pi]! -= q;
      need -= q;
    }
    while (need > 0) {
      // Whole ticket to one person if anyone has room: someone who knows the client, else the
      // tightest fit (keeps big blocks of time free for big tickets).
      let pick = -1;
      for (let pi = 0; pi < m; pi++) {
        if (left[pi]! < need) continue;
        if (pick < 0) {
          pick = pi;
          continue;
        }
        const c = row[pi]! - row[pick]!;
        if (c < 0 || (c === 0 && left[pi]! < left[pick]!)) pick = pi;
      }
      if (pick < 0) {
        for (let pi = 0; pi < m; pi++) {
          if (left[pi]! <= 0) continue;
          if (pick < 0) {
            pick = pi;
            continue;
          }
          const c = row[pi]! - row[pick]!;
          if (c < 0 || (c === 0 && left[pi]! > left[pick]!)) pick = pi;
        }
      }
      if (pick < 0) break; // cannot happen: the flow's amounts sum to the items' quarters
      const q = Math.min(need, left[pick]!);
      give(got, pick, q);
      left[pick]! -= q;
      need -= q;
    }
  });
  return cells;
}

/** A lower bound: every item whole with its cheapest person. */
function ideal(qs: readonly number[], cost: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0; i < qs.length; i++) sum += qs[i]! * Math.min(...cost[i]!);
  return sum;
}
