/**
 * DOMAIN.md "Staff": a person's capacity in week w is weeklyHours − leave[w] (never below 0), less
 * the hours already logged this week; a ticket naming a skill can only be worked by staff who have
 * it.
 *
 * Aggregated as SOLVER-SCALING.md describes, without a column per person: for each week, one
 * column per skill (the hours of work needing it) and, for every connected set Q of skills, one row
 * "work needing a skill in Q ≤ capacity of the people having any skill in Q" (Gale's supply-demand
 * theorem, Hall's condition in flow form), plus one row for all work against everyone's capacity.
 * Only sets that are closed (no other skill's people lie inside Q's people) and connected (linked
 * by people having two of its skills) need a row: the others follow from these. Pinned hours take
 * their person's capacity in every row that person is in. The rows guarantee that a per-week
 * max-flow can route every hour (recover.ts).
 */
import type { ModelContext } from '../model-context.ts';
import { toH } from '../quarter.ts';

export interface CapacityStats {
  rows: number;
}

export function addSkillCapacity(ctx: ModelContext): CapacityStats {
  const { q, lp } = ctx;
  let rows = 0;
  for (const w of q.weeks) {
    const active = q.staff.filter((s) => s.capacityQ[w]! > 0);
    const bit = new Map(active.map((s, i) => [s.id, 1n << BigInt(i)]));
    const capOf = (mask: bigint) => active.reduce((h, s) => h + ((mask & bit.get(s.id)!) !== 0n ? s.capacityQ[w]! : 0), 0);
    const all = active.reduce((m, s) => m | bit.get(s.id)!, 0n);

    // One column per skill node this week: the hours of work needing it.
    const work = new Map<string | null, number[]>();
    for (const b of ctx.buckets) {
      const col = b.x[w];
      if (col === undefined) continue;
      work.set(b.skill, [...(work.get(b.skill) ?? []), col]);
    }
    const skillCol = new Map<string | null, number>();
    for (const [skill, cols] of work) {
      const y = lp.addColumn(0, 0, Infinity);
      lp.addRow(0, 0, [y, ...cols], [1, ...cols.map(() => -1)]);
      skillCol.set(skill, y);
    }
    const pinsThisWeek = ctx.pins.filter((p) => p.col !== undefined && p.pin.week === w);
    const pinCols = (mask: bigint) => pinsThisWeek.filter((p) => (mask & bit.get(p.staff!.id)!) !== 0n).map((p) => p.col!);

    const skills = [...work.keys()].filter((k): k is string => k !== null).sort();
    const people = skills.map((k) => active.reduce((m, s) => (s.skills.has(k) ? m | bit.get(s.id)! : m), 0n));
    const K = skills.length;
    const reach = new Array<bigint>(1 << K).fill(0n);
    for (let T = 1; T < 1 << K; T++) {
      const low = 31 - Math.clz32(T & -T);
      reach[T] = reach[T & (T - 1)]! | people[low]!;
      const N = reach[T]!;
      if (N === all) continue; // implied by the row for all work
      let closed = true;
      for (let k = 0; k < K && closed; k++) if (!(T & (1 << k)) && (people[k]! & ~N) === 0n) closed = false;
      if (!closed || !connected(T, people)) continue;
      const cols = skills.filter((_, k) => T & (1 << k)).map((k) => skillCol.get(k)!);
      const pcs = pinCols(N);
      lp.addRow(-Infinity, toH(capOf(N)), [...cols, ...pcs]);
      rows++;
    }
    const everything = [...skillCol.values(), ...pinsThisWeek.map((p) => p.col!)];
    if (everything.length > 0) {
      lp.addRow(-Infinity, toH(capOf(all)), everything);
      rows++;
    }
  }
  return { rows };
}

/** Skills of T linked through people who have two of them. */
function connected(T: number, people: bigint[]): boolean {
  const members = people.map((_, k) => k).filter((k) => T & (1 << k));
  const seen = new Set([members[0]!]);
  const stack = [members[0]!];
  while (stack.length) {
    const k = stack.pop()!;
    for (const j of members) {
      if (!seen.has(j) && (people[k]! & people[j]!) !== 0n) {
        seen.add(j);
        stack.push(j);
      }
    }
  }
  return seen.size === members.length;
}
