/**
 * One week's routing of work to people, at the level of skills: how many quarter hours of each
 * skill node (a skill, or null for work anyone can do) each person gives. Hours are added one
 * request at a time along augmenting paths, moving earlier hours of another skill to someone else
 * who can do them, so an earlier request never loses what it got.
 */
import type { StaffFacts } from './quarter.ts';

type Skill = string | null;

export class WeekFlow {
  /** flow.get(skill)[i]: quarter hours person i gives to the skill. */
  readonly flow = new Map<Skill, number[]>();
  readonly free: number[];
  private readonly able = new Map<Skill, number[]>();

  constructor(
    readonly staff: readonly StaffFacts[],
    freeQ: readonly number[],
  ) {
    this.free = [...freeQ];
  }

  private people(skill: Skill): number[] {
    let list = this.able.get(skill);
    if (!list) {
      list = this.staff.flatMap((s, i) => (skill === null || s.skills.has(skill) ? [i] : []));
      this.able.set(skill, list);
    }
    return list;
  }

  private flowOf(skill: Skill): number[] {
    let f = this.flow.get(skill);
    if (!f) {
      f = this.staff.map(() => 0);
      this.flow.set(skill, f);
    }
    return f;
  }

  /** Routes up to `amount` quarter hours of `skill`; returns how many were routed. */
  add(skill: Skill, amount: number): number {
    let routed = 0;
    while (routed < amount) {
      const got = this.augment(skill, amount - routed);
      if (got === 0) break;
      routed += got;
    }
    return routed;
  }

  /** One augmenting path by breadth-first search over people and the skills they give hours to. */
  private augment(skill: Skill, amount: number): number {
    // via[i]: how person i was reached: the skill whose hours move onto i, and the person they leave.
    const via = new Map<number, { skill: Skill; from: number }>();
    const queue: { person: number; skill: Skill; from: number }[] = this.people(skill).map((i) => ({ person: i, skill, from: -1 }));
    const seenSkill = new Set<Skill>([skill]);
    for (let head = 0; head < queue.length; head++) {
      const { person, skill: k, from } = queue[head]!;
      if (via.has(person)) continue;
      via.set(person, { skill: k, from });
      if (this.free[person]! > 0) return this.apply(person, amount, via);
      for (const [other, f] of this.flow) {
        if (f[person]! <= 0 || seenSkill.has(other)) continue;
        seenSkill.add(other);
        for (const j of this.people(other)) if (!via.has(j)) queue.push({ person: j, skill: other, from: person });
      }
    }
    return 0;
  }

  private apply(end: number, amount: number, via: Map<number, { skill: Skill; from: number }>): number {
    let h = Math.min(amount, this.free[end]!);
    for (let i = end; via.get(i)!.from >= 0; i = via.get(i)!.from) {
      const { skill, from } = via.get(i)!;
      h = Math.min(h, this.flowOf(skill)[from]!);
    }
    this.free[end]! -= h;
    for (let i = end; ; ) {
      const { skill, from } = via.get(i)!;
      this.flowOf(skill)[i]! += h;
      if (from < 0) break;
      this.flowOf(skill)[from]! -= h;
      i = from;
    }
    return h;
  }
}
