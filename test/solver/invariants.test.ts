/**
 * Property tests: the independent plan checker over many seeded scenarios, determinism under
 * reordered input, and the regression scenarios the checker found.
 *
 * Every scenario is reproducible from its family and seed (printed on failure):
 *   generateScenario(generatedOptions(family, seed))   or   adversarialScenario({ seed })
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan, type Plan, type PolicyLevel, type ScenarioInput } from '../../solver/index.ts';
import { adversarialScenario } from '../fixtures/adversarial-scenario.ts';
import { generateScenario, rng, type GenerateOptions } from '../fixtures/generate-scenario.ts';
import { checkPlan } from './plan-checker.ts';

const POLICIES: (PolicyLevel[] | undefined)[] = [
  undefined,
  undefined,
  undefined,
  ['payg', 'urgent-above-rate', 'work-ahead'],
  ['work-ahead', 'payg', 'urgent-above-rate'],
  ['urgent-above-rate', 'payg'],
  ['payg'],
  ['work-ahead'],
  [],
];

type Family = 'tiny' | 'medium' | 'large';
const SIZES: Record<Family, { staff: [number, number]; clients: [number, number]; tickets: [number, number] }> = {
  tiny: { staff: [1, 3], clients: [1, 4], tickets: [1, 15] },
  medium: { staff: [3, 6], clients: [4, 10], tickets: [15, 60] },
  large: { staff: [8, 10], clients: [15, 20], tickets: [100, 150] },
};

/** Generator options varied by seed: size, weeks, history, load, emergencies, policy. */
function generatedOptions(family: Family, seed: number): GenerateOptions {
  const r = rng(seed * 31 + family.length);
  const int = ([lo, hi]: [number, number]) => lo + Math.floor(r() * (hi - lo + 1));
  const weeks = family === 'tiny' ? int([1, 13]) : r() < 0.7 ? 13 : int([4, 13]);
  return {
    seed,
    staff: int(SIZES[family].staff),
    clients: int(SIZES[family].clients),
    tickets: int(SIZES[family].tickets),
    weeks,
    currentWeek: r() < 0.4 ? 0 : int([0, weeks - 1]),
    load: 0.3 + r() * 2.2,
    orphanSkill: r() < 0.3,
    emergencyShare: r() < 0.5 ? r() * 0.2 : 0.01,
    prepaidShare: 0.3 + r() * 0.7,
    policyLevels: POLICIES[Math.floor(r() * POLICIES.length)],
  };
}

/**
 * generateScenario can record a second block in week 1 of a one-week quarter, which the planner
 * rightly refuses; clamp it so W = 1 scenarios can still be checked.
 */
function generated(family: Family, seed: number): ScenarioInput {
  const s = generateScenario(generatedOptions(family, seed));
  for (const c of s.clients) for (const p of c.purchases ?? []) p.week = Math.min(p.week, s.quarter.weeks - 1);
  return s;
}

/** Plans and checks each scenario; returns one line per failing scenario (seed + first violations). */
function failures(label: string, seeds: number[], build: (seed: number) => ScenarioInput): string[] {
  const out: string[] = [];
  for (const seed of seeds) {
    const s = build(seed);
    let violations;
    try {
      violations = checkPlan(s, plan(s));
    } catch (e) {
      out.push(`${label} seed ${seed}: plan threw ${(e as Error).message}`);
      continue;
    }
    if (violations.length) {
      const first = violations.slice(0, 3).map((v) => `[${v.rule}] ${v.message}`);
      out.push(`${label} seed ${seed}: ${violations.length} violations\n    ${first.join('\n    ')}`);
    }
  }
  return out;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('plans pass the independent checker', () => {
  it('tiny generated scenarios (1-3 staff, 1-4 clients, 1-15 tickets, 1-13 weeks): 1500 seeds', () => {
    const bad = failures('tiny', range(1, 1500), (seed) => generated('tiny', seed));
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('medium generated scenarios (3-6 staff, 4-10 clients, 15-60 tickets): 600 seeds', () => {
    const bad = failures('medium', range(1, 600), (seed) => generated('medium', seed));
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('large generated scenarios (8-10 staff, 15-20 clients, 100-150 tickets): 150 seeds', () => {
    const bad = failures('large', range(1, 150), (seed) => generated('large', seed));
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('adversarial scenarios (ties, fractional rates, late blocks, due weeks, closed tickets, orphan skills, odd capacity, logged hours): 5000 seeds', () => {
    const bad = failures('adversarial', range(1, 5000), (seed) => adversarialScenario({ seed }));
    expect(bad, bad.join('\n')).toEqual([]);
  });
});

describe('determinism (SCENARIO.md: a pure function of the input, also with its lists reordered)', () => {
  const shuffle = <T>(xs: readonly T[], r: () => number): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const reordered = (s: ScenarioInput, seed: number): ScenarioInput => {
    const r = rng(seed ^ 0x5eed);
    return {
      ...s,
      staff: shuffle(s.staff, r).map((x) => ({ ...x, skills: shuffle(x.skills ?? [], r) })),
      clients: shuffle(s.clients, r).map((c) => (c.purchases ? { ...c, purchases: shuffle(c.purchases, r) } : c)),
      tickets: shuffle(s.tickets, r),
    };
  };
  // Timing fields (stats) aside, everything a reader depends on.
  const body = (p: Plan) => JSON.stringify([p.allocations, p.clients, p.tickets, p.unplanned]);

  it('same plan twice and with staff, clients, tickets and blocks shuffled: 400 scenarios', () => {
    const bad: string[] = [];
    for (const seed of range(1, 400)) {
      const s = seed % 2 ? adversarialScenario({ seed }) : generated(seed % 3 ? 'tiny' : 'medium', seed);
      const first = body(plan(s));
      if (body(plan(s)) !== first) bad.push(`seed ${seed}: two runs differ`);
      if (body(plan(reordered(s, seed))) !== first) bad.push(`seed ${seed}: reordered input gives another plan`);
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });
});

describe('regression scenarios (test/fixtures/regressions)', () => {
  const dir = new URL('../fixtures/regressions/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it.each(files)('%s passes the checker', (file) => {
    const s: ScenarioInput = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    expect(checkPlan(s, plan(s))).toEqual([]);
  });
});

/**
 * KNOWN SOLVER VIOLATION: rounding-shortfall (see test/fixtures/regressions/rounding-shortfall.json).
 * DOMAIN.md: "plan a fractional rate with cumulative rounding ... so quarter hours never create
 * shortfall". One prepaid client with plenty of work and an engineer with room for its whole rate:
 * the only thing between delivered and owed is rounding, so the shortfall must be 0. Planning from
 * a currentWeek after the block's week, the solver's rounding delivers up to 0.125 h less than the
 * owed-at-rate sum and reports it as shortfall (and rolls it over). Left failing on purpose.
 */
describe('KNOWN SOLVER VIOLATION rounding-shortfall: quarter hours never create shortfall', () => {
  it('regressions/rounding-shortfall.json: x got every hour of its rate it could, so nothing is owed', () => {
    // W = 3, planned from week 1, rate 20/3 h: the solver plans 6.5 + 6.75 = 13.25 h against
    // 13.33 h owed at the rate, and reports 0.083 h of shortfall that rolls over.
    const s: ScenarioInput = JSON.parse(readFileSync(new URL('../fixtures/regressions/rounding-shortfall.json', import.meta.url), 'utf8'));
    const x = plan(s).clients.find((c) => c.id === 'x')!;
    expect(x.shortfallHours).toBeLessThan(1e-6);
    expect(x.rolloverHours).toBeLessThan(1e-6);
  });

  it('one prepaid client at its rate, capacity to spare, a PAYG client taking the rest', () => {
    const arb = fc.record({
      weeks: fc.integer({ min: 2, max: 13 }),
      block: fc.integer({ min: 0, max: 12 }),
      current: fc.integer({ min: 0, max: 12 }),
      quarters: fc.integer({ min: 80, max: 400 }), // block hours in quarter hours: 20 h to 100 h
    });
    fc.assert(
      fc.property(arb, ({ weeks, block, current, quarters }) => {
        const s = roundingScenario(weeks, Math.min(block, weeks - 1), Math.min(current, weeks - 1), quarters / 4);
        const x = plan(s).clients.find((c) => c.id === 'x')!;
        expect(x.shortfallHours, JSON.stringify(s)).toBeLessThan(1e-6);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

/** Rate at most 100 h / 1 week < 120 h of capacity; x's ticket opens with the plan, so no history is owed. */
function roundingScenario(weeks: number, block: number, current: number, hours: number): ScenarioInput {
  return {
    quarter: { id: 'rounding', weeks, currentWeek: current },
    staff: [{ id: 's1', weeklyHours: 120 }],
    clients: [
      { id: 'x', plan: 'prepaid', purchases: [{ week: block, hours }], usedByWeek: Array(current).fill(0) },
      { id: 'y', plan: 'payg' },
    ],
    tickets: [
      { id: 'X-1', client: 'x', priority: 3, estimateHours: 1000, openedWeek: current },
      { id: 'Y-1', client: 'y', priority: 3, estimateHours: 2000, openedWeek: 0 },
    ],
  };
}
