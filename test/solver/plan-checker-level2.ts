/**
 * Level 2 of DOMAIN.md: each prepaid client's target (own week plus catch-up), filled before
 * levels 3-5, maximal across clients, own weeks before anyone's catch-up, by priority when
 * capacity is short, and hours above the target only ever the client's lowest-priority hours.
 */
import type { Allocation, TicketInput } from '../../solver/contract.ts';
import { CheckContext, EXACT, fmt, freePart, ids, naturalCompare, some, type Violation } from './plan-checker-context.ts';
import { MaxFlow } from './plan-checker-flow.ts';

export function checkLevel2(ctx: CheckContext): Violation[] {
  return [...checkMaximal(ctx), ...checkRatePriority(ctx), ...checkAboveTargetLowest(ctx), ...checkTargetLevels(ctx)];
}

export const targetNote = (ctx: CheckContext, x: string, w: number) => {
  const t = ctx.targets(x);
  return `${x} has ${fmt(ctx.counted(x, w))} h toward its level-2 target ${fmt(t.exact[w]!)} h (own week ${fmt(t.own[w]!)} h, at least ${fmt(t.lo[w]!)} h in quarter hours)`;
};

const quarters = (h: number) => Math.max(0, Math.floor(h * 4 + EXACT));

/**
 * The most level-2 hours a week could hold with each client's budget (in quarter hours), given
 * emergencies, pins and logged hours as they are: clients → (client, skill) → people → capacity.
 */
function maxLevel2(ctx: CheckContext, w: number, budget: (c: string) => number): number {
  const f = new MaxFlow();
  const source = f.node();
  const sink = f.node();
  const people = new Map(ctx.scenario.staff.map((s) => [s.id, f.node()]));
  for (const [id, node] of people) f.edge(node, sink, quarters(ctx.afterPins(id, w)));
  for (const c of ctx.scenario.clients) {
    const b = budget(c.id);
    if (!ctx.isPrepaid(c.id) || b <= 0) continue;
    const cn = f.node();
    f.edge(source, cn, b);
    const bySkill = new Map<string, TicketInput[]>();
    for (const t of ctx.ticketsByClient.get(c.id) ?? []) {
      if (t.emergency || t.openedWeek > w) continue;
      const key = t.skill ?? '';
      bySkill.set(key, [...(bySkill.get(key) ?? []), t]);
    }
    for (const ts of bySkill.values()) {
      const hours = ts.reduce((h, t) => h + ctx.movable(t, w), 0);
      const kn = f.node();
      f.edge(cn, kn, quarters(hours));
      for (const s of ctx.scenario.staff) if (ctx.canWork(s.id, ts[0]!)) f.edge(kn, people.get(s.id)!, Number.MAX_SAFE_INTEGER);
    }
  }
  return f.run(source, sink) / 4;
}

/**
 * DOMAIN.md level 2: "inside level 2, every client's own week is served before anyone's catch-up"
 * (own-week-first) and "meet every target that can be met before giving anyone hours above theirs"
 * (level2-max). Each is a max-flow per week: the plan's level-2 hours toward the budgets must reach
 * the maximum. A client's hours count up to the top of its band, so rounding up a quarter hour is
 * never held against the plan.
 */
function checkMaximal(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const phases = [
    { rule: 'own-week-first', lo: (c: string) => ctx.targets(c).ownLo, hi: (c: string) => ctx.targets(c).ownHi, what: 'own weeks' },
    { rule: 'level2-max', lo: (c: string) => ctx.targets(c).lo, hi: (c: string) => ctx.targets(c).hi, what: 'targets' },
  ];
  const prepaid = ctx.scenario.clients.filter((c) => c.plan === 'prepaid').map((c) => c.id);
  for (const w of ctx.plannedWeeks()) {
    // Own weeks short of the maximum only break "own weeks first" where someone got catch-up;
    // otherwise level2-max says it.
    const caughtUp = prepaid.filter((c) => ctx.counted(c, w) > ctx.targets(c).ownHi[w]! + EXACT);
    for (const phase of phases) {
      const short = prepaid.filter((c) => ctx.counted(c, w) < phase.lo(c)[w]! - EXACT);
      if (!short.length || (phase.rule === 'own-week-first' && !caughtUp.length)) continue;
      const room = (c: string, band: number[]) => Math.max(0, band[w]! - ctx.fixed(c, w));
      const got = prepaid.reduce((h, c) => h + Math.min(ctx.sum('client', c, w, 2, 'free'), room(c, phase.hi(c))), 0);
      const best = maxLevel2(ctx, w, (c) => quarters(room(c, phase.lo(c))));
      if (got < best - EXACT) {
        out.push({
          rule: phase.rule,
          message: `week ${w}: level 2 could give the ${phase.what} ${fmt(best)} h, the plan gives ${fmt(got)} h; short: ${short.map((c) => targetNote(ctx, c, w)).join('; ')}`,
        });
      }
    }
  }
  return out;
}

/**
 * "When capacity cannot meet every target, hours go to the highest-priority tickets first, then
 * the lowest ticket id": a person on one client's level-2 work while another client short of its
 * target has more urgent work (or as urgent, with a lower id) that person could do. Own weeks come
 * first, so a client short only of catch-up does not outrank another client's own week.
 */
function checkRatePriority(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  const byWeek = new Map<number, Allocation[]>();
  for (const a of ctx.allocations) byWeek.set(a.week, [...(byWeek.get(a.week) ?? []), a]);
  for (const [w, rows] of byWeek) {
    const short = ctx.scenario.clients.filter((c) => ctx.belowTarget(c.id, w)).map((c) => c.id);
    if (!short.length) continue;
    for (const a of rows) {
      if (a.level !== 2 || freePart(a) < EXACT) continue;
      const low = ctx.tickets.get(a.ticket)!;
      // Does this row hold catch-up hours? Which of a client's target hours are its own week and
      // which its catch-up is not in the plan, so only where even this row alone (after the
      // emergency, pinned and logged hours) goes beyond the client's own week.
      const catchUp = ctx.fixed(a.client, w) + freePart(a) > ctx.targets(a.client).ownHi[w]! + EXACT;
      for (const x of short) {
        if (x === a.client || (!catchUp && !ctx.belowOwnWeek(x, w))) continue;
        // The row may hold the client's hours for its own ticket or for any claim up to its least
        // urgent one (a client's target may sit on any of its tickets): it is wrong only where the
        // waiting ticket comes before both.
        const ahead = (t: TicketInput, u: TicketInput) =>
          t.priority < u.priority || (t.priority === u.priority && naturalCompare(ctx.placeId(t, w), ctx.placeId(u, w)) < 0);
        const lastClaim = ctx.claimOf(a.client, w);
        const claim = lastClaim && ahead(lastClaim, low) ? lastClaim : low;
        const before = (t: TicketInput) => ahead(t, claim);
        const higher = ctx.pendingFor(x, a.staff, w).filter(before);
        const key = `${w}|${a.staff}|${low.id}|${x}`;
        if (!higher.length || seen.has(key)) continue;
        seen.add(key);
        out.push({
          rule: 'rate-priority',
          message: `week ${w}: ${a.staff} worked ${a.client}'s ${low.id} (P${low.priority}; its target reached ${claim.id}) at level 2 while ${targetNote(ctx, x, w)} and its ${ids(higher)} (P${higher[0]!.priority}) waits`,
        });
      }
    }
  }
  return out;
}

/** "A client's hours above its target are its lowest-priority hours of that week." */
function checkAboveTargetLowest(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const c of ctx.scenario.clients) {
    if (c.plan !== 'prepaid') continue;
    for (const w of ctx.plannedWeeks()) {
      if (!some(ctx.lower('client', c.id, w, 'free'))) continue;
      const rows = ctx.allocations.filter((a) => a.week === w && a.client === c.id && freePart(a) > EXACT);
      const inTarget = rows.filter((a) => a.level === 2).map((a) => ctx.tickets.get(a.ticket)!);
      const above = rows.filter((a) => a.level >= 3).map((a) => ctx.tickets.get(a.ticket)!);
      if (!inTarget.length) continue;
      const worstIn = Math.max(...inTarget.map((t) => t.priority));
      const better = above.filter((t) => t.priority < worstIn);
      if (!better.length) continue;
      out.push({
        rule: 'above-target-lowest',
        message: `week ${w} ${c.id}: ${ids(better)} (P${better[0]!.priority}) above the target while lower-priority ${ids(inTarget.filter((t) => t.priority === worstIn))} (P${worstIn}) filled it`,
      });
    }
  }
  return out;
}

/**
 * Level 2 holds the target and nothing above it: a prepaid client short of its target has no
 * hours of its own at levels 3-5, and no more level-2 hours than the top of its band. Pinned
 * hours fill the target first (after emergencies), at level 2, and only what is above it has
 * another level.
 */
function checkTargetLevels(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const c of ctx.scenario.clients) {
    if (c.plan !== 'prepaid') continue;
    const t = ctx.targets(c.id);
    for (const w of ctx.plannedWeeks()) {
      const bad = (message: string) => out.push({ rule: 'target-level', message: `week ${w} ${c.id}: ${message}` });
      const first = ctx.sum('client', c.id, w, 1) + ctx.delivered(c.id, w) - ctx.sum('client', c.id, w); // emergencies + logged
      const l2 = ctx.sum('client', c.id, w, 2);
      const pinned2 = ctx.sum('client', c.id, w, 2, 'pinned');
      const pinnedUp = ctx.lower('client', c.id, w, 'pinned');
      const lowerFree = ctx.lower('client', c.id, w, 'free');
      if (some(lowerFree) && ctx.belowTarget(c.id, w)) bad(`${fmt(lowerFree)} h at levels 3-5 while ${targetNote(ctx, c.id, w)}`);
      if (l2 > EXACT && first + l2 > t.hi[w]! + EXACT) {
        bad(`${fmt(l2)} h at level 2 on top of ${fmt(first)} h of emergencies and logged hours exceed its target ${fmt(t.exact[w]!)} h`);
      }
      if (pinnedUp > EXACT && first + pinned2 < t.lo[w]! - EXACT) {
        bad(`${fmt(pinnedUp)} pinned h at levels 3-5 while pins at level 2 leave it at ${fmt(first + pinned2)} h of its target ${fmt(t.exact[w]!)} h`);
      }
    }
  }
  return out;
}
