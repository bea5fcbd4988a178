/**
 * The checker checks itself: a plan worked out by hand passes, and the same plan broken on
 * purpose (its derived figures recomputed, so nothing else breaks) is caught by the rule under
 * test. A checker that never fires would make the invariant tests meaningless. No solver here.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../solver/contract.ts';
import { payg, prepaid, scenario, staff, ticket } from '../fixtures/builders.ts';
import {
  aboveTarget,
  build,
  catchUpRows,
  chain,
  example,
  ownWeeks,
  overage,
  pinRows,
  pins,
  rolloverRows,
  rounding,
  rules,
  type Row,
} from './plan-checker-cases.ts';
import { naturalCompare } from './plan-checker-context.ts';
import { checkPlan } from './plan-checker.ts';

const rollover = example('emergency-rollover');
const catchUp = example('catch-up');

describe('plan checker: hand-worked plans pass', () => {
  it('emergency-rollover.md: its allocations and every figure of its table', () => {
    const p = build(rollover, rolloverRows);
    expect(checkPlan(rollover, p)).toEqual([]);
    const harbor = p.clients.find((c) => c.id === 'harbor')!;
    expect([harbor.balanceHours, harbor.forecastUnusedHours, harbor.owedAtRateHours, harbor.shortfallHours, harbor.rolloverHours, harbor.atRiskHours]).toEqual([8, 4, 8, 4, 4, 0]);
  });

  it('catch-up.md: Harbor\'s missed week caught up at level 2, nothing rolls over', () => {
    const p = build(catchUp, catchUpRows);
    expect(checkPlan(catchUp, p)).toEqual([]);
    const harbor = p.clients.find((c) => c.id === 'harbor')!;
    expect([harbor.shortfallHours, harbor.rolloverHours, harbor.atRiskHours, harbor.target[12]]).toEqual([0, 0, 0, 8]);
  });

  it('the small scenarios of plan-checker-cases.ts', () => {
    expect(rules(ownWeeks, build(ownWeeks, [[1, 's', 'X1', 20, 2], [1, 's', 'Y1', 20, 2]]))).toEqual([]);
    expect(rules(chain, build(chain, [[0, 'a', 'X1', 10, 2], [0, 'b', 'Y2', 10, 2]]))).toEqual([]);
    expect(rules(aboveTarget, build(aboveTarget, [[0, 's', 'X1', 20, 2], [0, 's', 'X1', 5, 3], [0, 's', 'X2', 5, 5]]))).toEqual([]);
    expect(rules(overage, build(overage, [[0, 's', 'X1', 20, 2], [0, 's', 'X1', 10, 4]]))).toEqual([]);
    const roundingRows: Row[] = [[1, 's1', 'X-1', 6.5, 2], [1, 's1', 'Y-1', 3.5, 4], [2, 's1', 'X-1', 7, 2], [2, 's1', 'Y-1', 3, 4]];
    expect(rules(rounding, build(rounding, roundingRows))).toEqual([]);
  });

  it('previous rows of the plan in force never change what a plan must satisfy', () => {
    const p = build(rollover, rolloverRows);
    const previous = [{ week: 12, staff: 'sam', ticket: 'H-1', hours: 4 }, { week: 11, staff: 'ghost', ticket: 'NOPE', hours: 3 }];
    expect(checkPlan({ ...rollover, previous }, p)).toEqual([]);
  });

  it('ticket ids compare in natural order', () => {
    expect(['T-10', 'T-9', 'T-1', 'T-09a', 'S-2'].sort(naturalCompare)).toEqual(['S-2', 'T-1', 'T-9', 'T-09a', 'T-10']);
  });
});

describe('plan checker: broken plans are caught', () => {
  it('raw inconsistencies: a dropped row, quarter hours, an unknown ticket, week totals', () => {
    const p = build(rollover, rolloverRows);
    expect(rules(rollover, { ...p, allocations: p.allocations.slice(1) })).toEqual(expect.arrayContaining(['capacity', 'figures', 'tickets']));
    const odd = p.allocations.map((a, i) => (i === 1 ? { ...a, hours: 11.9 } : a));
    expect(rules(rollover, { ...p, allocations: odd })).toContain('shape');
    expect(rules(rollover, { ...p, allocations: [...p.allocations, { ...p.allocations[0]!, ticket: 'NOPE' }] })).toContain('shape');
    const weeks = p.weeks.map((wk) => (wk.week === 12 ? { ...wk, allocated: wk.allocated + 1 } : wk));
    expect(rules(rollover, { ...p, weeks })).toEqual(['week-summary']);
    // A skill the person lacks, a ticket before it opens, more hours than a person has.
    expect(rules(chain, build(chain, [[0, 'a', 'X1', 10, 2], [0, 'b', 'X1', 0.25, 2], [0, 'b', 'Y2', 9.75, 2]]))).toContain('tickets');
    expect(rules(rollover, build(rollover, [...rolloverRows.slice(0, 3), [11, 'sam', 'Q-1', 1, 1], [12, 'sam', 'Q-1', 19, 1]]))).toContain('tickets');
    expect(rules(rollover, build(rollover, [...rolloverRows, [12, 'sam', 'H-1', 1, 2]]))).toContain('capacity');
  });

  it('emergencies: not given all of their week (emergency-first), at another level (emergency-level)', () => {
    const short: Row[] = [[11, 'sam', 'H-1', 4, 2], [11, 'sam', 'Q-2', 12, 2], [11, 'sam', 'Q-2', 4, 3], [12, 'sam', 'Q-1', 16, 1], [12, 'sam', 'H-1', 4, 2]];
    expect(rules(rollover, build(rollover, short))).toEqual(['emergency-first']);
    const relabelled = rolloverRows.map((r): Row => (r[2] === 'Q-1' ? [r[0], r[1], r[2], r[3], 2] : r));
    expect(rules(rollover, build(rollover, relabelled))).toEqual(expect.arrayContaining(['emergency-level']));
  });

  it('a PAYG emergency before a prepaid one (emergency-order)', () => {
    const s = scenario({
      weeks: 1,
      staff: [staff('s', 10)],
      clients: [prepaid('x', [{ week: 0, hours: 20 }]), payg('y')],
      tickets: [ticket('EX', 'x', 10, { emergency: true }), ticket('EY', 'y', 10, { emergency: true })],
    });
    expect(rules(s, build(s, [[0, 's', 'EX', 10, 1]]))).toEqual([]);
    expect(rules(s, build(s, [[0, 's', 'EY', 10, 1]]))).toEqual(['emergency-order']);
  });

  it('PAYG work while a client is below its target (target-before-lower-levels, level2-max)', () => {
    const rows: Row[] = [[11, 'sam', 'Q-1', 20, 1], [12, 'sam', 'H-1', 4, 2], [12, 'sam', 'Q-2', 12, 2], [12, 'sam', 'D-1', 4, 4]];
    // Also policy-order: Quill's urgent Q-2, above its target, waits too.
    expect(rules(catchUp, build(catchUp, rows))).toEqual(['level2-max', 'policy-order', 'target-before-lower-levels']);
  });

  it('free hours while a client is below its target (target-not-filled, level2-max, idle)', () => {
    const rows: Row[] = [[11, 'sam', 'Q-1', 20, 1], [12, 'sam', 'H-1', 4, 2], [12, 'sam', 'Q-2', 12, 2]];
    expect(rules(catchUp, build(catchUp, rows))).toEqual(['idle', 'level2-max', 'target-not-filled']);
  });

  it('catch-up before another client\'s own week, whatever the priorities (own-week-first)', () => {
    expect(rules(ownWeeks, build(ownWeeks, [[1, 's', 'X1', 24, 2], [1, 's', 'Y1', 16, 2]]))).toEqual(['own-week-first']);
  });

  it('level 2 short of what a reassignment could give, with no single swap to see (level2-max)', () => {
    // a fills y's target with php work; b (linux) cannot do x's work, so only the flow sees that
    // b could take y's linux ticket and free a for x.
    expect(rules(chain, build(chain, [[0, 'a', 'Y1', 10, 2], [0, 'b', 'Z1', 10, 4]]))).toEqual(['level2-max']);
  });

  it('short of capacity: lower priority, or the same priority with a higher id, first (rate-priority)', () => {
    const rates = scenario({
      weeks: 1,
      staff: [staff('s', 10)],
      clients: [prepaid('x', [{ week: 0, hours: 20 }]), prepaid('y', [{ week: 0, hours: 20 }]), prepaid('z', [{ week: 0, hours: 20 }])],
      tickets: [ticket('T-10', 'x', 20), ticket('T-9', 'y', 20), ticket('T-2', 'z', 20, { priority: 4 })],
    });
    expect(rules(rates, build(rates, [[0, 's', 'T-9', 10, 2]]))).toEqual([]);
    expect(rules(rates, build(rates, [[0, 's', 'T-10', 10, 2]]))).toEqual(['rate-priority']);
    expect(rules(rates, build(rates, [[0, 's', 'T-2', 10, 2]]))).toEqual(['rate-priority']);
  });

  it('hours above the target that are not the client\'s lowest-priority hours (above-target-lowest)', () => {
    const rows: Row[] = [[0, 's', 'X2', 5, 2], [0, 's', 'X1', 15, 2], [0, 's', 'X1', 10, 3]];
    expect(rules(aboveTarget, build(aboveTarget, rows))).toEqual(['above-target-lowest']);
  });

  it('level 2 beyond the target, and below it at level 5 (target-level)', () => {
    const beyond: Row[] = [[11, 'sam', 'H-1', 4, 2], [11, 'sam', 'Q-2', 16, 2], [12, 'sam', 'Q-1', 20, 1]];
    expect(rules(rollover, build(rollover, beyond))).toEqual(['target-level']);
    const below: Row[] = [[11, 'sam', 'Q-1', 20, 1], [12, 'sam', 'H-1', 4, 2], [12, 'sam', 'H-1', 4, 5], [12, 'sam', 'Q-2', 12, 2]];
    expect(rules(catchUp, build(catchUp, below))).toEqual(['level2-max', 'policy-order', 'target-level']);
  });

  it('emergency and logged hours count toward the target (target-level)', () => {
    const s = scenario({
      weeks: 1,
      staff: [staff('s', 34)],
      clients: [prepaid('x', [{ week: 0, hours: 20 }])],
      tickets: [ticket('XE', 'x', 10, { emergency: true }), ticket('X1', 'x', 24, { spentHours: 4 })],
      currentWeekLog: [{ staff: 's', ticket: 'X1', hours: 4 }],
    });
    // 4 h logged + 10 h emergency + 6 h at level 2 = the 20 h target; the other 14 h are overage.
    expect(rules(s, build(s, [[0, 's', 'XE', 10, 1], [0, 's', 'X1', 6, 2], [0, 's', 'X1', 14, 4]]))).toEqual([]);
    // Level 2 above the target, and (the target being the whole balance) beyond the balance.
    expect(rules(s, build(s, [[0, 's', 'XE', 10, 1], [0, 's', 'X1', 10, 2], [0, 's', 'X1', 10, 4]]))).toEqual(['level-label', 'target-level']);
  });

  it('levels 3-5 that do not match the work (level-label)', () => {
    // Overage: the client's work exceeds its balance, so above the target it is level 4, not 5.
    // (And level 5 before y's PAYG work: policy-order.)
    expect(rules(overage, build(overage, [[0, 's', 'X1', 20, 2], [0, 's', 'X1', 10, 5]]))).toEqual(['level-label', 'policy-order']);
    // Work that fits the balance is work ahead, not overage.
    const fits = scenario({ weeks: 2, staff: [staff('s', 30, [], { '1': 30 })], clients: [prepaid('x', [{ week: 0, hours: 40 }])], tickets: [ticket('X1', 'x', 30)] });
    expect(rules(fits, build(fits, [[0, 's', 'X1', 20, 2], [0, 's', 'X1', 10, 5]]))).toEqual([]);
    expect(rules(fits, build(fits, [[0, 's', 'X1', 20, 2], [0, 's', 'X1', 10, 4]]))).toEqual(['level-label']);
    // Urgent work above the target within the balance is level 3, also for a client in overage.
    const urgent = scenario({ weeks: 2, staff: [staff('s', 30, [], { '1': 30 })], clients: [prepaid('x', [{ week: 0, hours: 40 }])], tickets: [ticket('X1', 'x', 50, { priority: 1 })] });
    expect(rules(urgent, build(urgent, [[0, 's', 'X1', 20, 2], [0, 's', 'X1', 10, 3]]))).toEqual([]);
    // (And level 4 while level-3 work waits: policy-order.)
    expect(rules(urgent, build(urgent, [[0, 's', 'X1', 20, 2], [0, 's', 'X1', 10, 4]]))).toEqual(['level-label', 'policy-order']);
    // A P4 ticket at level 3.
    expect(rules(catchUp, build(catchUp, [[11, 'sam', 'Q-1', 20, 1], [12, 'sam', 'H-1', 8, 3], [12, 'sam', 'Q-2', 12, 2]]))).toContain('level-label');
  });

  it('PAYG work before urgent work above the rate (policy-order)', () => {
    const rows: Row[] = [[11, 'sam', 'H-1', 4, 2], [11, 'sam', 'Q-2', 12, 2], [11, 'sam', 'D-1', 4, 4], [12, 'sam', 'Q-1', 20, 1]];
    expect(rules(rollover, build(rollover, rows))).toEqual(['policy-order']);
  });

  it('level 4 by priority across clients, prepaid first at equal priority (level-priority)', () => {
    const s = scenario({
      weeks: 1,
      staff: [staff('s', 10)],
      clients: [payg('x'), payg('z')],
      tickets: [ticket('X1', 'x', 10, { priority: 1 }), ticket('X2', 'x', 10, { priority: 3 }), ticket('Z1', 'z', 10, { priority: 2 })],
    });
    expect(rules(s, build(s, [[0, 's', 'X1', 10, 4]]))).toEqual([]);
    expect(rules(s, build(s, [[0, 's', 'Z1', 10, 4]]))).toEqual(['level-priority']);
    expect(rules(s, build(s, [[0, 's', 'X2', 10, 4]]))).toEqual(['client-priority', 'level-priority']);
    // Equal priority: x's overage (prepaid) before y's PAYG ticket.
    expect(rules(overage, build(overage, [[0, 's', 'X1', 20, 2], [0, 's', 'Y1', 10, 4]]))).toEqual(['level-priority']);
  });
});

describe('plan checker: figures', () => {
  const fix = (p: Plan, id: string, patch: object): Plan => ({ ...p, clients: p.clients.map((c) => (c.id === id ? { ...c, ...patch } : c)) });

  it('rollover and at risk, the last week rounding up, the shortfall rounding up (figures)', () => {
    const p = build(rollover, rolloverRows);
    expect(rules(rollover, fix(p, 'harbor', { rolloverHours: 0, atRiskHours: 4 }))).toEqual(['figures']);
    // 6.5 h then 6.75 h leaves 1/12 h owed: the last week should have rounded up, and the shortfall shows 0.25 h.
    const short = build(rounding, [[1, 's1', 'X-1', 6.5, 2], [1, 's1', 'Y-1', 3.5, 4], [2, 's1', 'X-1', 6.75, 2], [2, 's1', 'Y-1', 3.25, 4]]);
    expect(short.clients.find((c) => c.id === 'x')!.shortfallHours).toBe(0.25);
    expect(rules(rounding, short)).toEqual(['level2-max', 'target-before-lower-levels']);
    expect(rules(rounding, fix(short, 'x', { shortfallHours: 1 / 12, rolloverHours: 1 / 12, atRiskHours: 6.75 - 1 / 12 }))).toContain('figures');
  });

  it('a balance already below 0 counts in full as overage', () => {
    const s = scenario({ weeks: 2, currentWeek: 1, staff: [staff('s', 10)], clients: [prepaid('x', [{ week: 0, hours: 20 }], { usedByWeek: [30.5] })] });
    const p = build(s, []);
    expect(p.clients[0]!.overageHours).toBe(10.5);
    expect(rules(s, p)).toEqual([]);
    expect(rules(s, fix(p, 'x', { overageHours: 0 }))).toEqual(['figures']);
  });

  it('the plan\'s own ideal and target more than a quarter hour off (figures), advice that does not match the cause (advice)', () => {
    const p = build(catchUp, catchUpRows);
    const harbor = p.clients.find((c) => c.id === 'harbor')!;
    expect(rules(catchUp, fix(p, 'harbor', { target: harbor.target.map((h, w) => (w === 12 ? 4 : h)) }))).toEqual(['figures']);
    expect(rules(catchUp, fix(p, 'harbor', { ideal: harbor.ideal.map((h, w) => (w === 12 ? 8 : h)) }))).toEqual(['figures']);
    // Quill's last 4 h of Q-2 are unplanned: it must be told that, not asked to present more work.
    expect(p.clients.find((c) => c.id === 'quill')!.advice.cause).toBe('unplanned-work');
    expect(rules(catchUp, fix(p, 'quill', { advice: { cause: 'present-work', tickets: [] } }))).toEqual(['advice']);
  });
});

describe('plan checker: pins', () => {
  const withRow = (i: number, row: Row) => pinRows.map((r, j) => (j === i ? row : r));

  it('pinned hours are exempt from the rules about lower levels; impossible pins are reported', () => {
    // a's pinned PAYG hours (level 4) while x is below its target with php work a could do.
    const p = build(pins, pinRows);
    expect(checkPlan(pins, p)).toEqual([]);
    expect(p.pinIssues.map((i) => [i.pin.ticket, i.heldHours, i.code])).toEqual([['X1', 0, 'no-skill'], ['NOPE', 0, 'unknown-ticket'], ['X2', 6, 'hours-left']]);
    // The same hours not pinned: lower-level work before the target, and a pin that did not hold
    // (its issue blames capacity that a still has).
    expect(rules(pins, build(pins, withRow(1, [0, 'a', 'P1', 5, 4])))).toEqual(['level2-max', 'pin-held', 'pins', 'target-before-lower-levels']);
  });

  it('a pinned row inside the target not at level 2 (target-level, level-label)', () => {
    expect(rules(pins, build(pins, withRow(0, [0, 'a', 'X2', 4, 4, 'pinned'])))).toEqual(['level-label', 'target-level']);
  });

  it('a pin holding less than it could (pin-held)', () => {
    const s = scenario({
      weeks: 1,
      staff: [staff('s', 10)],
      clients: [prepaid('x', [{ week: 0, hours: 20 }])],
      tickets: [ticket('X1', 'x', 10)],
      pins: [{ ticket: 'X1', staff: 's', week: 0, hours: 6 }],
    });
    // One row of 10 h at level 2, 6 h of them pinned.
    expect(rules(s, build(s, [[0, 's', 'X1', 10, 2, 6]]))).toEqual([]);
    // (Its issue, as planFrom writes it, blames capacity, which s still has: pins.)
    expect(rules(s, build(s, [[0, 's', 'X1', 10, 2, 2]]))).toEqual(['pin-held', 'pins']);
  });

  it('pinIssues that do not match the pinned rows or name the wrong fault (pins)', () => {
    const p = build(pins, pinRows);
    const issues = (f: (i: Plan['pinIssues']) => Plan['pinIssues']) => rules(pins, { ...p, pinIssues: f(p.pinIssues) });
    expect(issues((l) => l.filter((i) => i.pin.ticket !== 'NOPE'))).toEqual(['pins']);
    expect(issues((l) => l.map((i) => (i.pin.ticket === 'X1' ? { ...i, code: 'capacity' as const } : i)))).toEqual(['pins']);
    expect(issues((l) => l.map((i) => (i.pin.ticket === 'X2' ? { ...i, code: 'capacity' as const } : i)))).toEqual(['pins']);
    expect(issues((l) => l.map((i) => (i.pin.ticket === 'X2' ? { ...i, heldHours: 4 } : i)))).toEqual(['pins']);
    expect(issues((l) => [...l, { pin: pins.pins![0]!, heldHours: 0, code: 'capacity', reason: 'none' }])).toEqual(['pins']);
    // A pinned row no pin asked for.
    expect(rules(pins, build(pins, withRow(2, [0, 'a', 'X1', 1, 2, 'pinned'])))).toContain('pins');
  });

  it('emergencies still come before pins (emergency-first)', () => {
    const s = scenario({
      weeks: 1,
      staff: [staff('s', 10)],
      clients: [prepaid('x', [{ week: 0, hours: 20 }])],
      tickets: [ticket('XE', 'x', 10, { emergency: true }), ticket('X1', 'x', 10)],
      pins: [{ ticket: 'X1', staff: 's', week: 0, hours: 5 }],
    });
    const held = build(s, [[0, 's', 'XE', 10, 1]]);
    expect(checkPlan(s, held)).toEqual([]);
    expect(held.pinIssues.map((i) => [i.heldHours, i.code])).toEqual([[0, 'capacity']]);
    expect(rules(s, build(s, [[0, 's', 'XE', 5, 1], [0, 's', 'X1', 5, 2, 'pinned']]))).toEqual(['emergency-first']);
  });
});
