/**
 * Hand-worked scenarios and plans for the checker's own tests: each correct plan is worked out by
 * hand from DOMAIN.md (the comments say how), built with planFrom, and needs no solver.
 */
import { readFileSync } from 'node:fs';
import type { Allocation, Plan, ScenarioInput } from '../../solver/contract.ts';
import { payg, prepaid, scenario, staff, ticket } from '../fixtures/builders.ts';
import { checkPlan } from './plan-checker.ts';
import { planFrom } from './refigure-plan.ts';

export const example = (name: 'emergency-rollover' | 'catch-up'): ScenarioInput =>
  JSON.parse(readFileSync(new URL(`../fixtures/examples/${name}.json`, import.meta.url), 'utf8'));

/** [week, staff, ticket, hours, level, pinned: all the row's hours, or how many of them] */
export type Row = [number, string, string, number, Allocation['level'], ('pinned' | number)?];

export function build(s: ScenarioInput, rows: Row[]): Plan {
  const clientOf = new Map(s.tickets.map((t) => [t.id, t.client]));
  const allocations = rows.map(([week, st, tk, hours, level, pinned]) => ({
    week,
    staff: st,
    ticket: tk,
    client: clientOf.get(tk)!,
    hours,
    level,
    ...(pinned === undefined ? {} : { pinned: true as const }),
    ...(typeof pinned === 'number' ? { pinnedHours: pinned } : {}),
  }));
  return planFrom(s, allocations);
}

export const rules = (s: ScenarioInput, p: Plan) => [...new Set(checkPlan(s, p).map((v) => v.rule))].sort();

/** emergency-rollover.md: rates first, Q-2's urgent 4 h above its rate, the emergency in week 12. */
export const rolloverRows: Row[] = [
  [11, 'sam', 'H-1', 4, 2],
  [11, 'sam', 'Q-2', 12, 2],
  [11, 'sam', 'Q-2', 4, 3],
  [12, 'sam', 'Q-1', 20, 1],
];

/** catch-up.md: the emergency takes week 11; week 12 gives own weeks (4 + 12), then Harbor's 4 h back. */
export const catchUpRows: Row[] = [
  [11, 'sam', 'Q-1', 20, 1],
  [12, 'sam', 'H-1', 8, 2],
  [12, 'sam', 'Q-2', 12, 2],
];

/**
 * Week 1 of 2: x is 4 h behind (shortfall to date) and has a P1 ticket, y has a P4 ticket; both
 * rates are 20 h and the one engineer has 40 h. Own weeks first, whatever the priorities: x 20, y 20,
 * and x's catch-up is left (4 h of shortfall).
 */
export const ownWeeks = scenario({
  weeks: 2,
  currentWeek: 1,
  staff: [staff('s', 40)],
  clients: [
    prepaid('x', [{ week: 0, hours: 40 }], { usedByWeek: [16], shortfallToDateHours: 4 }),
    prepaid('y', [{ week: 0, hours: 40 }], { usedByWeek: [20] }),
  ],
  tickets: [ticket('X1', 'x', 40, { priority: 1 }), ticket('Y1', 'y', 40, { priority: 4 })],
});

/**
 * Two weeks, both rates 10 h; x has php work only, y has php and linux work; a does php, b does
 * linux, both on leave in week 1. The most level 2 can give in week 0 is 20 h: a on x, b on y.
 * z's PAYG ticket (linux) waits.
 */
export const chain = scenario({
  weeks: 2,
  staff: [staff('a', 10, ['php'], { '1': 10 }), staff('b', 10, ['linux'], { '1': 10 })],
  clients: [prepaid('x', [{ week: 0, hours: 20 }]), prepaid('y', [{ week: 0, hours: 20 }]), payg('z')],
  tickets: [
    ticket('X1', 'x', 10, { skill: 'php' }),
    ticket('Y1', 'y', 10, { skill: 'php', priority: 2 }),
    ticket('Y2', 'y', 10, { skill: 'linux', priority: 2 }),
    ticket('Z1', 'z', 10, { skill: 'linux' }),
  ],
});

/**
 * Rate 20 h a week over 2 weeks, balance 40 h, 30 h presented (fits the balance); one engineer,
 * 30 h in week 0 and on leave in week 1. Week 0: 20 h of the target highest priority first
 * (X1, P1), X1's last 5 h urgent above the target (level 3), X2 (P3, due week 0) ahead (level 5).
 */
export const aboveTarget = scenario({
  weeks: 2,
  staff: [staff('s', 30, [], { '1': 30 })],
  clients: [prepaid('x', [{ week: 0, hours: 40 }])],
  tickets: [ticket('X1', 'x', 25, { priority: 1 }), ticket('X2', 'x', 5, { dueWeek: 0 })],
});

/** One week, rate 20 h = balance; 30 h of P3 work presented: 20 h at level 2, 10 h overage. */
export const overage = scenario({
  weeks: 1,
  staff: [staff('s', 30)],
  clients: [prepaid('x', [{ week: 0, hours: 20 }]), payg('y')],
  tickets: [ticket('X1', 'x', 30), ticket('Y1', 'y', 10)],
});

/**
 * Pins. a (php) and b (no skills), 10 h each, 2 weeks; x prepaid at 20 h a week; p PAYG.
 * - a/X2 week 0 4 h: holds (level 2, inside x's target); a/P1 week 0 5 h: holds (PAYG, level 4);
 * - b/X1 week 0: b lacks php; a/NOPE: unknown ticket; b/X2 week 1 12 h: only the 6 h X2 has
 *   left after week 0's pin hold (hours-left).
 * Week 0: a has 1 h after pins, for X1 at level 2; b can do nothing of x's (X1 is php, X2's hours
 * are all pinned) and takes the rest of P1 (5 h). Week 1: b's pin, a on X1 (10 h).
 */
export const pins = scenario({
  weeks: 2,
  staff: [staff('a', 10, ['php']), staff('b', 10)],
  clients: [prepaid('x', [{ week: 0, hours: 40 }]), payg('p')],
  tickets: [ticket('X1', 'x', 30, { skill: 'php' }), ticket('X2', 'x', 10), ticket('P1', 'p', 10)],
  pins: [
    { ticket: 'X2', staff: 'a', week: 0, hours: 4 },
    { ticket: 'P1', staff: 'a', week: 0, hours: 5 },
    { ticket: 'X1', staff: 'b', week: 0, hours: 3 },
    { ticket: 'NOPE', staff: 'a', week: 0, hours: 2 },
    { ticket: 'X2', staff: 'b', week: 1, hours: 12 },
  ],
});

export const pinRows: Row[] = [
  [0, 'a', 'X2', 4, 2, 'pinned'],
  [0, 'a', 'P1', 5, 4, 'pinned'],
  [0, 'a', 'X1', 1, 2],
  [0, 'b', 'P1', 5, 4],
  [1, 'b', 'X2', 6, 2, 'pinned'],
  [1, 'a', 'X1', 10, 2],
];

/**
 * Like regressions/rounding-shortfall.json, but x's work (15 h) fits its balance (20 h), so above
 * its rate it is work ahead, after y's PAYG ticket. Rate 20/3 h over weeks 1-2, 10 h of capacity:
 * week 1 meets the rate within a quarter hour (6.5 h); the last week rounds the total up to
 * 13.5 h ≥ 13.33 h, so rounding leaves no shortfall.
 */
export const rounding = scenario({
  weeks: 3,
  currentWeek: 1,
  staff: [staff('s1', 10)],
  clients: [prepaid('x', [{ week: 0, hours: 20 }], { usedByWeek: [0] }), payg('y')],
  tickets: [ticket('X-1', 'x', 15, { openedWeek: 1 }), ticket('Y-1', 'y', 40)],
});
