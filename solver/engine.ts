/**
 * The week-by-week engine. Weeks are planned in order, and within a week the rules of DOMAIN.md
 * run in precedence order, each adding work to the week's flow network without taking hours
 * from the rules before it. The result is raw: per-week rows and the facts explanations need.
 */
import type { Level } from './contract.ts';
import { assignWeek, type AssignStats, type Continuity, type Part, type Row } from './assign.ts';
import { WeekFlow } from './flow.ts';
import { previousKey, rankOpen, type MClient, type MTicket, type Model, type Share } from './model.ts';
import type { Policy } from './policy.ts';
import { emergencies } from './rules/emergencies.ts';
import { lockedInRate } from './rules/locked-in-rate.ts';
import { isOverageOrPayg, paygAndOverage } from './rules/payg-and-overage.ts';
import { pins } from './rules/pins.ts';
import { urgentAboveRate } from './rules/urgent-above-rate.ts';
import type { Rule, WeekContext } from './rules/week-context.ts';
import { workAhead } from './rules/work-ahead.ts';
import { floorQ } from './quarter-hours.ts';
import { stabilizeWeek } from './stabilize.ts';

const POLICY_RULES: Record<Policy['levels'][number], Rule> = {
  'urgent-above-rate': urgentAboveRate,
  payg: paygAndOverage,
  'work-ahead': workAhead,
};

/** The rules of one week in the order they run. */
export function weekRules(policy: Policy): Rule[] {
  return [emergencies, pins, lockedInRate, ...policy.levels.map((l) => POLICY_RULES[l])];
}

export interface WeekRows {
  week: number;
  rows: Row[];
}

/** A prepaid client's level-2 target not met in a week although it had work waiting. */
export interface MissedRate {
  client: number;
  week: number;
  q: number;
  /** Skill nodes of the client's work left waiting that week. */
  nodes: number[];
}

/** What each pin (by index in model.pins) held, and the ticket's quarters left when it was planned. */
export interface PinOutcome {
  heldQ: number;
  remainingQ: number;
}

export interface EngineResult {
  weeks: WeekRows[];
  remQ: Int32Array;
  /** Quarters delivered per client and week, hours logged this week included: [c * W + w]. */
  deliveredQ: Int32Array;
  /** Each prepaid client's level-2 target per week: [c * W + w]. */
  rateTargetQ: Int32Array;
  missed: MissedRate[];
  pins: (PinOutcome | null)[];
  augmentations: number;
  assignStats: AssignStats;
}

export function runEngine(model: Model, policy: Policy, onProgress?: (p: { week: number; weeks: number }) => void): EngineResult {
  const { W, current, clients, tickets } = model;
  const C = clients.length;
  const S = model.staff.length;
  const T = tickets.length;
  const rules = weekRules(policy);
  const phaseLevels: Level[] = rules.map((r) => r.level ?? 2);

  const remQ = new Int32Array(T);
  for (const t of tickets) remQ[t.idx] = t.remQ;
  const balanceLeftQ = new Int32Array(C);
  for (const c of clients) balanceLeftQ[c.idx] = c.prepaid ? floorQ(Math.max(0, c.balance)) : 0;
  const deliveredQ = new Int32Array(C * W);
  const rateTargetQ = new Int32Array(C * W);
  const deliveredBeforeQ = new Int32Array(C);
  const memory: Continuity = { lastStaff: new Int32Array(T).fill(-1), clientStaffQ: new Int32Array(C * S) };
  const assignStats: AssignStats = { lpSolves: 0, lpFallbacks: 0 };
  const missed: MissedRate[] = [];
  const weeks: WeekRows[] = [];
  const pinOutcomes: (PinOutcome | null)[] = model.pins.map(() => null);
  const pinIndex = new Map(model.pins.map((p, i) => [p, i]));
  let augmentations = 0;

  // Hours logged this week count as delivered this week and come off the balance.
  const balanceBeforeLogQ = balanceLeftQ.slice();
  for (const c of clients) {
    if (c.loggedQ <= 0) continue;
    deliveredQ[c.idx * W + current] = c.loggedQ;
    if (c.prepaid) balanceLeftQ[c.idx] = Math.max(0, balanceLeftQ[c.idx]! - c.loggedQ);
  }

  for (let w = current; w < W; w++) {
    // Due weeks reorder a client's own open work of one priority: ranked afresh every week, so a
    // ticket done with takes its due week's place out of the order.
    const isOpen = (t: MTicket) => t.startWeek <= w && remQ[t.idx]! > 0;
    const open = rankOpen(model, model.byPlace.filter(isOpen), isOpen);
    open.forEach((t, i) => (t.rank = i));
    const flow = new WeekFlow(model, w, rules.length);
    const weekQ = new Int32Array(C);
    for (const c of clients) weekQ[c.idx] = deliveredQ[c.idx * W + w]!;
    const emergencyQ = new Int32Array(C);
    const weekTargetQ = new Int32Array(C);
    const parts: Part[] = [];
    const pinnedRows: { ticket: MTicket; staff: number; q: number }[] = [];
    const loggedStart = weekQ.slice();
    // Hours logged this week were taken off the balance up front; the week started before them.
    const weekStartBalance = w === current ? balanceBeforeLogQ : balanceLeftQ.slice();
    // What is left of each ticket's shares in the plan in force this week, by level (0: any),
    // used up as hours are placed.
    const previousLeft = new Map<number, Share[]>();
    if (model.previous.size > 0) {
      for (const t of open) {
        for (let level = 0; level <= 5; level++) {
          const shares = model.previous.get(previousKey(T, w, t.idx, level));
          if (shares) previousLeft.set(t.idx * 6 + level, shares.map((x) => ({ ...x })));
        }
      }
    }
    const sharesFor = (t: MTicket, level: number): Share[] | undefined => {
      const at = previousLeft.get(t.idx * 6 + level);
      const any = previousLeft.get(t.idx * 6);
      return at && any ? [...at, ...any] : (at ?? any);
    };
    const balanceStart = balanceLeftQ.slice();
    let phase = 0;

    const book = (t: MTicket, q: number) => {
      remQ[t.idx]! -= q;
      weekQ[t.client.idx]! += q;
      if (t.client.prepaid) balanceLeftQ[t.client.idx] = Math.max(0, balanceLeftQ[t.client.idx]! - q);
    };
    const ctx: WeekContext = {
      model,
      policy,
      week: w,
      open,
      remQ,
      balanceLeftQ,
      balanceStartQ: weekStartBalance,
      weekQ,
      emergencyQ,
      rateTargetQ: weekTargetQ,
      flow,
      get phase() {
        return phase;
      },
      deliveredBeforeQ: (c) => deliveredBeforeQ[c.idx]!,
      preferred(t) {
        const before = sharesFor(t, rules[phase]!.level ?? 0);
        if (before) return before;
        const last = memory.lastStaff[t.idx]!;
        return last >= 0 ? [{ s: last, q: Number.MAX_SAFE_INTEGER }] : [];
      },
      serve(t, maxQ) {
        const want = Math.min(maxQ, remQ[t.idx]!);
        // A blocked node takes nothing more this week: no need to work out who is preferred.
        if (want <= 0 || flow.blocked[t.skillNode]) return 0;
        const got = flow.augment(t.skillNode, want, phase, ctx.preferred(t));
        if (got > 0) {
          book(t, got);
          parts.push({ ticket: t, phase, q: got });
        }
        return got;
      },
      credit(t, q) {
        book(t, q);
        parts.push({ ticket: t, phase, q });
      },
      pinned(t, s, q) {
        book(t, q);
        pinnedRows.push({ ticket: t, staff: s, q });
      },
      pinOutcome(p, remainingQ, heldQ) {
        pinOutcomes[pinIndex.get(p)!] = { heldQ, remainingQ };
      },
    };

    for (phase = 0; phase < rules.length; phase++) {
      if (previousLeft.size > 0) {
        const { promised, last } = promisedFor(previousLeft, open, remQ, rules[phase]!.level ?? 0, S);
        flow.setPromised(promised, last);
      }
      rules[phase]!.plan(ctx);
      if (rules[phase] === lockedInRate) recordMissedRates(ctx, missed);
    }
    augmentations += flow.augmentations;

    const waiting = waitingPriorities(open, remQ, flow);
    let rows = assignWeek(
      flow,
      parts,
      phaseLevels,
      memory,
      assignStats,
      (t, level) => {
        const at = model.previous.get(previousKey(T, w, t.idx, level));
        const any = model.previous.get(previousKey(T, w, t.idx, 0));
        return at && any ? [...at, ...any] : (at ?? any);
      },
      waiting,
    );
    if (model.previous.size > 0) {
      rows = stabilizeWeek(rows, flow, phaseLevels, (t) => {
        const all: Share[] = [];
        for (let level = 0; level <= 5; level++) all.push(...(model.previous.get(previousKey(T, w, t.idx, level)) ?? []));
        return all;
      }, waiting);
    }
    rows.push(...labelPins(w, pinnedRows, (c) => loggedStart[c.idx]! + emergencyQ[c.idx]!, (c) => balanceStart[c.idx]! - emergencyQ[c.idx]!, weekTargetQ));
    rememberWorkers(rows, memory, S);
    weeks.push({ week: w, rows });
    for (const c of clients) {
      deliveredQ[c.idx * W + w] = weekQ[c.idx]!;
      deliveredBeforeQ[c.idx]! += weekQ[c.idx]!;
      rateTargetQ[c.idx * W + w] = weekTargetQ[c.idx]!;
    }
    onProgress?.({ week: w, weeks: W });
  }
  return { weeks, remQ, deliveredQ, rateTargetQ, missed, pins: pinOutcomes, augmentations, assignStats };
}

/**
 * The level of pinned hours (DOMAIN.md "Pins"): emergencies are level 1; a prepaid client's
 * pinned hours are level 2 as far as its target reaches (its highest-priority pins first), then
 * the level that work would have above it: 3 for urgent work within the balance, 4 for overage
 * (or beyond the balance), else 5. Pay-as-you-go work is level 4. Hours logged this week and
 * emergencies count before the pins, in the target and in the balance.
 */
function labelPins(
  w: number,
  pinned: { ticket: MTicket; staff: number; q: number }[],
  countedQ: (c: MClient) => number,
  balanceQ: (c: MClient) => number,
  targetQ: Int32Array,
): Row[] {
  const rows: Row[] = [];
  const byClient = new Map<MClient, typeof pinned>();
  for (const p of pinned) {
    let list = byClient.get(p.ticket.client);
    if (!list) byClient.set(p.ticket.client, (list = []));
    list.push(p);
  }
  for (const [c, list] of byClient) {
    list.sort((a, b) => a.ticket.rank - b.ticket.rank || a.staff - b.staff);
    const emergencyPinned = list.reduce((a, p) => a + (p.ticket.emergency ? p.q : 0), 0);
    let toTarget = c.prepaid ? Math.max(0, targetQ[c.idx]! - countedQ(c) - emergencyPinned) : 0;
    let balance = c.prepaid ? Math.max(0, balanceQ(c) - emergencyPinned) : 0;
    for (const p of list) {
      let q = p.q;
      const take = (level: Level, n: number) => {
        if (n <= 0) return;
        rows.push({ staff: p.staff, ticket: p.ticket, level, q: n, pinned: true });
        q -= n;
        if (level !== 1) balance = Math.max(0, balance - n);
      };
      if (p.ticket.emergency) {
        take(1, q);
        continue;
      }
      if (!c.prepaid) {
        take(4, q);
        continue;
      }
      const inTarget = Math.min(q, toTarget);
      toTarget -= inTarget;
      take(2, inTarget);
      const over = isOverageOrPayg(c, w, balance);
      take(p.ticket.priority === 1 ? 3 : over ? 4 : 5, Math.min(q, balance));
      take(4, q);
    }
  }
  return rows;
}

/**
 * For the split of the week among people: the most urgent priority among each client's tickets
 * still waiting after the week that a person could work (so they are not given that client's
 * less urgent work instead).
 */
function waitingPriorities(open: readonly MTicket[], remQ: Int32Array, flow: WeekFlow): (client: number, s: number) => number {
  const waiting = new Map<number, { node: number; priority: number }[]>();
  for (const t of open) {
    if (t.emergency || remQ[t.idx]! <= 0) continue;
    let list = waiting.get(t.client.idx);
    if (!list) waiting.set(t.client.idx, (list = []));
    list.push({ node: t.skillNode, priority: t.priority });
  }
  const cache = new Map<number, number>();
  return (client, s) => {
    const list = waiting.get(client);
    if (!list) return Number.MAX_SAFE_INTEGER;
    const key = client * flow.S + s;
    let best = cache.get(key);
    if (best === undefined) {
      best = Number.MAX_SAFE_INTEGER;
      for (const x of list) if (x.priority < best && flow.canServe(x.node, s)) best = x.priority;
      cache.set(key, best);
    }
    return best;
  };
}

/**
 * Quarters each person had, in the plan in force, of this week's open tickets at this level, and
 * the rank of the last of those tickets (−1: none).
 */
function promisedFor(previousLeft: Map<number, Share[]>, open: readonly MTicket[], remQ: Int32Array, level: number, S: number): { promised: Int32Array; last: Int32Array } {
  const promised = new Int32Array(S);
  const last = new Int32Array(S).fill(-1);
  for (const t of open) {
    if (remQ[t.idx]! <= 0) continue;
    for (const key of [t.idx * 6 + level, t.idx * 6]) {
      for (const x of previousLeft.get(key) ?? []) {
        promised[x.s]! += x.q;
        if (x.q > 0) last[x.s] = Math.max(last[x.s]!, t.rank);
      }
    }
  }
  return { promised, last };
}

function recordMissedRates(ctx: WeekContext, missed: MissedRate[]): void {
  const waiting = new Map<number, Set<number>>();
  for (const t of ctx.open) {
    if (!t.client.prepaid || t.emergency || ctx.remQ[t.idx]! <= 0) continue;
    let nodes = waiting.get(t.client.idx);
    if (!nodes) waiting.set(t.client.idx, (nodes = new Set()));
    nodes.add(t.skillNode);
  }
  for (const [c, nodes] of waiting) {
    const short = ctx.rateTargetQ[c]! - ctx.weekQ[c]!;
    if (short > 0 && ctx.balanceLeftQ[c]! > 0) {
      missed.push({ client: c, week: ctx.week, q: short, nodes: [...nodes].sort((a, b) => a - b) });
    }
  }
}

function rememberWorkers(rows: Row[], memory: Continuity, S: number): void {
  const best = new Map<MTicket, { s: number; q: number }>();
  const perTicketStaff = new Map<number, number>();
  for (const r of rows) {
    memory.clientStaffQ[r.ticket.client.idx * S + r.staff]! += r.q;
    const key = r.ticket.idx * S + r.staff;
    const q = (perTicketStaff.get(key) ?? 0) + r.q;
    perTicketStaff.set(key, q);
    const b = best.get(r.ticket);
    if (!b || q > b.q || (q === b.q && r.staff < b.s)) best.set(r.ticket, { s: r.staff, q });
  }
  for (const [t, b] of best) memory.lastStaff[t.idx] = b.s;
}
