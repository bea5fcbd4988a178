/**
 * The week-by-week engine. Weeks are planned in order, and within a week the rules of DOMAIN.md
 * run in precedence order, each adding work to the week's flow network without taking hours
 * from the rules before it. The result is raw: per-week rows and the facts explanations need.
 */
import type { Level } from './contract.ts';
import { assignWeek, type AssignStats, type Continuity, type Part, type Row } from './assign.ts';
import { WeekFlow } from './flow.ts';
import { quarterHourRates, type MTicket, type Model } from './model.ts';
import { cumulativeFrom, idealByWeek } from './owed.ts';
import type { Policy } from './policy.ts';
import { emergencies } from './rules/emergencies.ts';
import { lockedInRate } from './rules/locked-in-rate.ts';
import { paygAndOverage } from './rules/payg-and-overage.ts';
import { urgentAboveRate } from './rules/urgent-above-rate.ts';
import type { Rule, WeekContext } from './rules/week-context.ts';
import { workAhead } from './rules/work-ahead.ts';
import { floorQ } from './quarter-hours.ts';

const POLICY_RULES: Record<Policy['levels'][number], Rule> = {
  'urgent-above-rate': urgentAboveRate,
  payg: paygAndOverage,
  'work-ahead': workAhead,
};

/** The rules of one week in the order they run. */
export function weekRules(policy: Policy): Rule[] {
  const rules = [emergencies, lockedInRate, ...policy.levels.map((l) => POLICY_RULES[l])];
  // Working ahead can use up a balance mid-week; what is left of that client's work is then
  // overage, which pay-as-you-go ranking serves with any capacity still free.
  const payg = policy.levels.indexOf('payg');
  const ahead = policy.levels.indexOf('work-ahead');
  if (payg >= 0 && ahead > payg) rules.push(paygAndOverage);
  return rules;
}

export interface WeekRows {
  week: number;
  rows: Row[];
}

/** A prepaid client's rate not met in a week although it had work waiting. */
export interface MissedRate {
  client: number;
  week: number;
  q: number;
  /** Skill nodes of the client's work left waiting that week. */
  nodes: number[];
}

export interface EngineResult {
  weeks: WeekRows[];
  remQ: Int32Array;
  /** Quarters delivered per client and week, hours logged this week included: [c * W + w]. */
  deliveredQ: Int32Array;
  rateTargetQ: Int32Array;
  missed: MissedRate[];
  ideal: number[][];
  augmentations: number;
  assignStats: AssignStats;
}

export function runEngine(model: Model, policy: Policy, onProgress?: (p: { week: number; weeks: number }) => void): EngineResult {
  const { W, current, clients, tickets } = model;
  const C = clients.length;
  const S = model.staff.length;
  const rules = weekRules(policy);
  const phaseLevels: Level[] = rules.map((r) => r.level);

  const remQ = new Int32Array(tickets.length);
  for (const t of tickets) remQ[t.idx] = t.remQ;
  const balanceLeftQ = new Int32Array(C);
  for (const c of clients) balanceLeftQ[c.idx] = c.prepaid ? floorQ(Math.max(0, c.balance)) : 0;
  const deliveredQ = new Int32Array(C * W);
  const rateTargetQ = new Int32Array(C * W);
  const ideal = clients.map((c) => idealByWeek(c, W, current));
  const idealCum = ideal.map((i) => cumulativeFrom(i, current));
  const idealQ = ideal.map((i) => quarterHourRates(i, current));
  const deliveredBeforeQ = new Int32Array(C);
  const memory: Continuity = { lastStaff: new Int32Array(tickets.length).fill(-1), clientStaffQ: new Int32Array(C * S) };
  const assignStats: AssignStats = { lpSolves: 0, lpFallbacks: 0 };
  const missed: MissedRate[] = [];
  const weeks: WeekRows[] = [];
  let augmentations = 0;

  // Hours logged this week count as delivered this week and come off the balance.
  for (const c of clients) {
    if (c.loggedQ <= 0) continue;
    deliveredQ[c.idx * W + current] = c.loggedQ;
    if (c.prepaid) balanceLeftQ[c.idx] = Math.max(0, balanceLeftQ[c.idx]! - c.loggedQ);
  }

  for (let w = current; w < W; w++) {
    const open: MTicket[] = tickets.filter((t) => t.startWeek <= w && remQ[t.idx]! > 0);
    const flow = new WeekFlow(model, w, rules.length);
    const weekQ = new Int32Array(C);
    for (const c of clients) weekQ[c.idx] = deliveredQ[c.idx * W + w]!;
    const emergencyQ = new Int32Array(C);
    const weekTargetQ = new Int32Array(C);
    const parts: Part[] = [];
    let phase = 0;

    const ctx: WeekContext = {
      model,
      policy,
      week: w,
      open,
      remQ,
      balanceLeftQ,
      weekQ,
      emergencyQ,
      rateTargetQ: weekTargetQ,
      deliveredBeforeQ: (c) => deliveredBeforeQ[c.idx]!,
      owedToDate: (c) => idealCum[c.idx]![w]!,
      owedQ: (c) => idealQ[c.idx]![w]!,
      serve(t, maxQ) {
        const want = Math.min(maxQ, remQ[t.idx]!);
        if (want <= 0) return 0;
        const got = flow.augment(t.skillNode, want, phase, memory.lastStaff[t.idx]!);
        if (got > 0) {
          remQ[t.idx]! -= got;
          weekQ[t.client.idx]! += got;
          if (t.client.prepaid) balanceLeftQ[t.client.idx] = Math.max(0, balanceLeftQ[t.client.idx]! - got);
          parts.push({ ticket: t, phase, q: got });
        }
        return got;
      },
    };

    for (phase = 0; phase < rules.length; phase++) {
      rules[phase]!.plan(ctx);
      if (rules[phase] === lockedInRate) recordMissedRates(ctx, missed);
    }
    augmentations += flow.augmentations;

    const rows = assignWeek(flow, parts, phaseLevels, memory, assignStats);
    rememberWorkers(rows, memory, S);
    weeks.push({ week: w, rows });
    for (const c of clients) {
      deliveredQ[c.idx * W + w] = weekQ[c.idx]!;
      deliveredBeforeQ[c.idx]! += weekQ[c.idx]!;
      rateTargetQ[c.idx * W + w] = weekTargetQ[c.idx]!;
    }
    onProgress?.({ week: w, weeks: W });
  }
  return { weeks, remQ, deliveredQ, rateTargetQ, missed, ideal, augmentations, assignStats };
}

function recordMissedRates(ctx: WeekContext, missed: MissedRate[]): void {
  const waiting = new Map<number, Set<number>>();
  for (const t of ctx.open) {
    if (!t.client.prepaid || ctx.remQ[t.idx]! <= 0) continue;
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
  const perTicketStaff = new Map<string, number>();
  for (const r of rows) {
    memory.clientStaffQ[r.ticket.client.idx * S + r.staff]! += r.q;
    const key = `${r.ticket.idx}:${r.staff}`;
    const q = (perTicketStaff.get(key) ?? 0) + r.q;
    perTicketStaff.set(key, q);
    const b = best.get(r.ticket);
    if (!b || q > b.q || (q === b.q && r.staff < b.s)) best.set(r.ticket, { s: r.staff, q });
  }
  for (const [t, b] of best) memory.lastStaff[t.idx] = b.s;
}
