/**
 * The two worked examples of shared/examples (emergency-rollover.md and catch-up.md): every figure
 * of their tables and every allocation their stories describe. The JSON files are verbatim copies
 * under test/fixtures/examples/.
 */
import { describe, expect, it } from 'vitest';
import { plan, type Plan } from '../../solver/index.ts';
import { checkPlan } from './plan-checker.ts';
import { workedExample } from '../fixtures/examples.ts';

const load = workedExample;

interface Example {
  name: string;
  /** Allocation rows as the story gives them: week, person, ticket, hours, level. */
  rows: [number, string, string, number, number][];
  /** client: balance, delivered, forecast unused, owed at the rate, shortfall, rollover, at risk. */
  table: Record<string, [number, number, number, number, number, number, number]>;
  /** PAYG tickets left unplanned, with their hours. */
  unplanned: Record<string, number>;
  tickets: Record<string, { plannedHours: number; unplannedHours: number; startWeek: number | null; finishWeek: number | null }>;
}

const EXAMPLES: Example[] = [
  {
    name: 'emergency-rollover',
    rows: [
      [11, 'sam', 'H-1', 4, 2],
      [11, 'sam', 'Q-2', 12, 2],
      [11, 'sam', 'Q-2', 4, 3],
      [12, 'sam', 'Q-1', 20, 1],
    ],
    table: {
      harbor: [8, 4, 4, 8, 4, 4, 0],
      quill: [46, 36, 10, 24, 0, 0, 10],
      nimbus: [16, 0, 16, 0, 0, 0, 16],
    },
    unplanned: { 'D-1': 8, 'H-1': 4 },
    tickets: {
      'H-1': { plannedHours: 4, unplannedHours: 4, startWeek: 11, finishWeek: 11 },
      'Q-1': { plannedHours: 20, unplannedHours: 0, startWeek: 12, finishWeek: 12 },
      'Q-2': { plannedHours: 16, unplannedHours: 0, startWeek: 11, finishWeek: 11 },
    },
  },
  {
    name: 'catch-up',
    rows: [
      [11, 'sam', 'Q-1', 20, 1],
      [12, 'sam', 'H-1', 8, 2],
      [12, 'sam', 'Q-2', 12, 2],
    ],
    table: {
      harbor: [8, 8, 0, 8, 0, 0, 0],
      quill: [46, 32, 14, 24, 0, 0, 14],
      nimbus: [16, 0, 16, 0, 0, 0, 16],
    },
    unplanned: { 'D-1': 8, 'Q-2': 4 },
    tickets: {
      'H-1': { plannedHours: 8, unplannedHours: 0, startWeek: 12, finishWeek: 12 },
      'Q-1': { plannedHours: 20, unplannedHours: 0, startWeek: 11, finishWeek: 11 },
      'Q-2': { plannedHours: 12, unplannedHours: 4, startWeek: 12, finishWeek: 12 },
    },
  },
];

describe.each(EXAMPLES)('worked example: $name', (ex) => {
  const scenario = load(ex.name);
  const result: Plan = plan(scenario);
  const client = (id: string) => result.clients.find((c) => c.id === id)!;
  const delivered = (id: string) => client(id).delivered.slice(11).reduce((a, b) => a + b, 0);

  it('passes the independent plan checker', () => {
    expect(checkPlan(scenario, result)).toEqual([]);
  });

  it('plans exactly the allocations of the story', () => {
    const rows = result.allocations
      .map((a) => [a.week, a.staff, a.ticket, a.hours, a.level] as const)
      .sort((a, b) => a[0] - b[0] || a[4] - b[4] || a[2].localeCompare(b[2]));
    expect(rows).toEqual(ex.rows);
  });

  it.each(Object.entries(ex.table))('%s: balance, delivered, unused, owed, shortfall, rollover, at risk as worked by hand', (id, figures) => {
    const c = client(id);
    const [balance, del, unused, owed, shortfall, rollover, atRisk] = figures;
    expect(c.plan).toBe('prepaid');
    expect([c.balanceHours, delivered(id), c.forecastUnusedHours, c.owedAtRateHours, c.shortfallHours, c.rolloverHours, c.atRiskHours]).toEqual([
      balance,
      del,
      unused,
      owed,
      shortfall,
      rollover,
      atRisk,
    ]);
    expect(c.overageHours).toBe(0);
  });

  it('dyno (PAYG): nothing delivered, zero prepaid figures, D-1 unplanned with a reason', () => {
    const c = client('dyno');
    expect(c.plan).toBe('payg');
    expect(delivered('dyno')).toBe(0);
    for (const f of ['balanceHours', 'forecastUnusedHours', 'shortfallHours', 'rolloverHours', 'atRiskHours', 'overageHours'] as const) expect(c[f]).toBe(0);
    expect(Object.fromEntries(result.unplanned.map((u) => [u.ticket, u.hours]))).toEqual(ex.unplanned);
    for (const u of result.unplanned) expect(u.reason).toMatch(/\S/);
  });

  it('tickets: planned and unplanned hours, first and last week', () => {
    for (const [id, want] of Object.entries(ex.tickets)) expect(result.tickets.find((t) => t.id === id), id).toMatchObject(want);
  });
});

describe('worked examples: why hours roll over or expire', () => {
  it('emergency-rollover: Harbor\'s week-12 rate went to Quill\'s emergency; nothing is left to catch it up', () => {
    const harbor = plan(load('emergency-rollover')).clients.find((c) => c.id === 'harbor')!;
    expect(harbor.shortfallWeeks).toEqual([{ week: 12, hours: 4, reason: 'capacity went to emergencies for Quill Books (20 h)', takenBy: [{ level: 1, client: 'quill', hours: 20 }] }]);
    expect(harbor.target.slice(11)).toEqual([4, 4]);
  });

  it('catch-up: Harbor\'s week-12 target is its own 4 h plus the 4 h missed in week 11', () => {
    const p = plan(load('catch-up'));
    const harbor = p.clients.find((c) => c.id === 'harbor')!;
    expect(harbor.ideal.slice(11)).toEqual([4, 4]);
    expect(harbor.target.slice(11)).toEqual([4, 8]);
    expect(harbor.shortfallWeeks.map((w) => [w.week, w.hours])).toEqual([[11, 4]]);
    // Quill's Q-2 is left unplanned because the capacity went to a catch-up: advice says so.
    const quill = p.clients.find((c) => c.id === 'quill')!;
    expect(quill.advice.cause).toBe('unplanned-work');
    expect(quill.advice.tickets.map((t) => [t.ticket, t.hours, t.code])).toEqual([['Q-2', 4, 'capacity']]);
    const nimbus = p.clients.find((c) => c.id === 'nimbus')!;
    expect(nimbus.advice).toEqual({ cause: 'present-work', tickets: [] });
  });
});
