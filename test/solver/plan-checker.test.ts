/**
 * The checker checks itself: a plan that passes, mutated by hand to break one rule (its derived
 * figures recomputed so nothing else breaks), must be caught by that rule. A checker that never
 * fires would make the invariant tests meaningless.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plan, type Allocation, type Plan, type ScenarioInput } from '../../solver/index.ts';
import { payg, prepaid, scenario, staff, ticket } from '../fixtures/builders.ts';
import { checkPlan } from './plan-checker.ts';
import { refigure } from './refigure-plan.ts';

const example: ScenarioInput = JSON.parse(
  readFileSync(new URL('../fixtures/examples/emergency-rollover.json', import.meta.url), 'utf8'),
);

type Row = Pick<Allocation, 'week' | 'staff' | 'ticket' | 'hours' | 'level'>;

/** Replaces the plan's allocations by `rows` (client filled from the ticket) and re-figures it. */
function mutate(s: ScenarioInput, p: Plan, rows: Row[]): Plan {
  const clientOf = new Map(s.tickets.map((t) => [t.id, t.client]));
  return refigure(s, p, rows.map((r) => ({ ...r, client: clientOf.get(r.ticket)! })));
}

const rules = (s: ScenarioInput, p: Plan) => [...new Set(checkPlan(s, p).map((v) => v.rule))].sort();

describe('plan checker', () => {
  const p = plan(example);

  it('accepts the solver\'s plan of the worked example, and a re-figured copy of it', () => {
    expect(checkPlan(example, p)).toEqual([]);
    expect(checkPlan(example, refigure(example, p, p.allocations))).toEqual([]);
  });

  it('catches raw inconsistencies: a dropped row, quarter hours, an unknown ticket', () => {
    expect(rules(example, { ...p, allocations: p.allocations.slice(1) })).toEqual(expect.arrayContaining(['capacity', 'figures', 'tickets']));
    const odd = p.allocations.map((a, i) => (i === 1 ? { ...a, hours: 3.9 } : a));
    expect(rules(example, { ...p, allocations: odd })).toContain('shape');
    expect(rules(example, { ...p, allocations: [...p.allocations, { ...p.allocations[0]!, ticket: 'NOPE' }] })).toContain('shape');
    const weeks = p.weeks.map((wk) => (wk.week === 12 ? { ...wk, allocated: wk.allocated + 1 } : wk));
    expect(rules(example, { ...p, weeks })).toEqual(['week-summary']);
  });

  it('catches an emergency not given all of its week', () => {
    const rows: Row[] = [
      { week: 11, staff: 'sam', ticket: 'Q-1', hours: 16, level: 1 },
      { week: 11, staff: 'sam', ticket: 'H-1', hours: 4, level: 2 },
      { week: 12, staff: 'sam', ticket: 'Q-1', hours: 4, level: 1 },
      { week: 12, staff: 'sam', ticket: 'H-1', hours: 4, level: 2 },
      { week: 12, staff: 'sam', ticket: 'Q-2', hours: 12, level: 2 },
    ];
    expect(rules(example, mutate(example, p, rows))).toContain('emergency-first');
  });

  it('catches PAYG work while a prepaid client is under its rate', () => {
    const rows: Row[] = [
      { week: 11, staff: 'sam', ticket: 'Q-1', hours: 20, level: 1 },
      { week: 12, staff: 'sam', ticket: 'D-1', hours: 4, level: 4 },
      { week: 12, staff: 'sam', ticket: 'Q-2', hours: 16, level: 2 },
    ];
    expect(rules(example, mutate(example, p, rows))).toEqual(expect.arrayContaining(['payg-before-rate', 'rate-not-filled']));
  });

  it('catches PAYG work before urgent work above the rate, and an idle engineer', () => {
    const base: Row[] = [
      { week: 11, staff: 'sam', ticket: 'Q-1', hours: 20, level: 1 },
      { week: 12, staff: 'sam', ticket: 'H-1', hours: 4, level: 2 },
      { week: 12, staff: 'sam', ticket: 'Q-2', hours: 12, level: 2 },
    ];
    const payg = mutate(example, p, [...base, { week: 12, staff: 'sam', ticket: 'D-1', hours: 4, level: 4 }]);
    expect(rules(example, payg)).toEqual(['policy-order']);
    expect(rules(example, mutate(example, p, base))).toEqual(['idle']);
  });

  it('catches a wrong level on a row', () => {
    const rows = p.allocations.map((a) => (a.ticket === 'H-1' ? { ...a, level: 3 as const } : a));
    expect(rules(example, mutate(example, p, rows))).toContain('level-label');
  });

  it('catches a client served above its rate while another is below it', () => {
    const s = scenario({
      weeks: 2,
      staff: [staff('s', 20)],
      clients: [prepaid('x', [{ week: 0, hours: 20 }]), prepaid('y', [{ week: 0, hours: 20 }])],
      tickets: [ticket('X1', 'x', 30), ticket('Y1', 'y', 30)],
    });
    const rows: Row[] = [
      { week: 0, staff: 's', ticket: 'X1', hours: 10, level: 2 },
      { week: 0, staff: 's', ticket: 'X1', hours: 5, level: 5 },
      { week: 0, staff: 's', ticket: 'Y1', hours: 5, level: 2 },
      { week: 1, staff: 's', ticket: 'X1', hours: 10, level: 2 },
      { week: 1, staff: 's', ticket: 'Y1', hours: 10, level: 2 },
    ];
    expect(rules(s, mutate(s, plan(s), rows))).toEqual(expect.arrayContaining(['above-rate-before-rate', 'rate-not-filled']));
  });

  it('catches lower priority before higher priority of the same client, and across PAYG clients', () => {
    const s = scenario({
      weeks: 1,
      staff: [staff('s', 10)],
      clients: [payg('x'), payg('z')],
      tickets: [ticket('X1', 'x', 10, { priority: 1 }), ticket('X2', 'x', 10, { priority: 3 }), ticket('Z1', 'z', 10, { priority: 2 })],
    });
    expect(checkPlan(s, plan(s))).toEqual([]);
    const sameClient = mutate(s, plan(s), [{ week: 0, staff: 's', ticket: 'X2', hours: 10, level: 4 }]);
    expect(rules(s, sameClient)).toEqual(expect.arrayContaining(['client-priority', 'payg-priority']));
    const otherClient = mutate(s, plan(s), [{ week: 0, staff: 's', ticket: 'Z1', hours: 10, level: 4 }]);
    expect(rules(s, otherClient)).toEqual(['payg-priority']);
  });

  it('catches a PAYG emergency before a prepaid one, and a low-priority rate before a high-priority one', () => {
    const emergencies = scenario({
      weeks: 1,
      staff: [staff('s', 10)],
      clients: [prepaid('x', [{ week: 0, hours: 20 }]), payg('y')],
      tickets: [ticket('EX', 'x', 10, { emergency: true }), ticket('EY', 'y', 10, { emergency: true })],
    });
    const swapped = mutate(emergencies, plan(emergencies), [{ week: 0, staff: 's', ticket: 'EY', hours: 10, level: 1 }]);
    expect(rules(emergencies, swapped)).toContain('emergency-order');
    const rates = scenario({
      weeks: 1,
      staff: [staff('s', 10)],
      clients: [prepaid('x', [{ week: 0, hours: 20 }]), prepaid('z', [{ week: 0, hours: 20 }])],
      tickets: [ticket('X1', 'x', 20), ticket('Z1', 'z', 20, { priority: 1 })],
    });
    expect(checkPlan(rates, plan(rates))).toEqual([]);
    const lowFirst = mutate(rates, plan(rates), [{ week: 0, staff: 's', ticket: 'X1', hours: 10, level: 2 }]);
    expect(rules(rates, lowFirst)).toEqual(['rate-priority']);
  });

  it('catches wrong client figures', () => {
    const clients = p.clients.map((c) => (c.id === 'harbor' ? { ...c, rolloverHours: 0, atRiskHours: 4 } : c));
    expect(rules(example, { ...p, clients })).toEqual(['figures']);
  });
});
