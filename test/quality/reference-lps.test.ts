/**
 * The two reference planners of `npm run bench:quality` (scripts/quality/) on HiGHS: small exact
 * cases, so a benchmark figure never rests on a reference that breaks a rule the engine is held to.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../solver/contract.ts';
import { planWithLp } from '../../scripts/quality/lp-planner.ts';
import { loadHighs } from '../../scripts/quality/solve.ts';
import { planWeekByWeek } from '../../scripts/quality/week-lp-planner.ts';
import { workedExample } from '../fixtures/examples.ts';
import { hoursOn, payg, prepaid, scenario, staff, ticket } from '../fixtures/builders.ts';
import { BENCH_SIZES, PROFILES, profileScenario } from '../fixtures/profiles.ts';
import { checkPlan } from '../solver/plan-checker.ts';

let highs: Awaited<ReturnType<typeof loadHighs>>;
beforeAll(async () => {
  highs = await loadHighs();
});

const PLANNERS = { 'whole-quarter LP': planWithLp, 'week-by-week LP': planWeekByWeek } as const;

describe.each(Object.entries(PLANNERS))('%s', (_, planner) => {
  it('holds a pin on an emergency ticket with the pinned person (the emergency bucket, worth more than a pin, does not take its hours)', () => {
    const s = scenario({
      weeks: 4,
      staff: [staff('ana', 10), staff('ben', 10)],
      clients: [prepaid('acme', [{ week: 0, hours: 40 }]), payg('zed')],
      tickets: [ticket('E-1', 'acme', 6, { emergency: true }), ticket('T-1', 'zed', 30)],
      pins: [{ ticket: 'E-1', staff: 'ben', week: 0, hours: 4 }],
    });
    const run = planner(highs, s, 30);
    expect(run.status).toBe('optimal');
    const p = run.plan!;
    const pinned = p.allocations.filter((a) => a.pinned);
    expect(pinned.map((a) => [a.week, a.staff, a.ticket, a.pinnedHours ?? a.hours])).toEqual([[0, 'ben', 'E-1', 4]]);
    expect(hoursOn(p, 'E-1', 0)).toBe(6);
    expect(p.pinIssues ?? []).toEqual([]);
    expect(checkPlan(s, p).filter((v) => v.rule.startsWith('pin'))).toEqual([]);
  });

  it('rolls nothing over in the worked example catch-up (Harbor catches its week-11 rate up in week 12)', () => {
    const p = planner(highs, workedExample('catch-up'), 30).plan!;
    expect(Object.fromEntries(p.clients.map((c) => [c.id, c.rolloverHours]))).toEqual({ harbor: 0, quill: 0, nimbus: 0, dyno: 0 });
  });
});

describe('the worked example emergency-rollover (the emergency in the last week)', () => {
  const rollover = (p: Plan) => Object.fromEntries(p.clients.map((c) => [c.id, c.rolloverHours]));

  it('week-by-week LP: as worked by hand, Harbor\'s week-12 rate goes to the emergency and 4 h roll over', () => {
    const s = workedExample('emergency-rollover');
    const p = planWeekByWeek(highs, s, 30).plan!;
    expect(rollover(p)).toEqual({ harbor: 4, quill: 0, nimbus: 0, dyno: 0 });
    expect(checkPlan(s, p)).toEqual([]);
  });

  it('whole-quarter LP: seeing the emergency coming, it works Harbor\'s 4 h ahead in week 11 instead of Quill\'s urgent work above its rate, so nothing rolls over and the week order breaks (why its rollover is no bar for the rules)', () => {
    const s = workedExample('emergency-rollover');
    const p = planWithLp(highs, s, 30).plan!;
    expect(rollover(p)).toEqual({ harbor: 0, quill: 0, nimbus: 0, dyno: 0 });
    expect(p.allocations.filter((a) => a.week === 11 && a.ticket === 'H-1').reduce((h, a) => h + a.hours, 0)).toBe(8);
    expect(checkPlan(s, p).map((v) => v.rule)).toContain('policy-order');
  });
});

/**
 * What the references may break: only the order the rules give hours in (they weigh it, the
 * whole-quarter LP across weeks); never capacity, skills, opened weeks, remaining hours, figures,
 * pins, emergencies or the plan's shape, or the benchmark would compare plans that are not plans.
 */
const ORDERING = new Set(['policy-order', 'level-priority', 'target-before-lower-levels', 'rate-priority', 'level2-max', 'client-priority', 'own-week-first', 'above-target-lowest']);

describe.each(Object.entries(PLANNERS))('%s on generated quarters of every profile', (_, planner) => {
  it.each(PROFILES.flatMap((profile) => [1, 2].map((seed) => [profile, seed] as const)))('%s seed %i: a whole plan, only ordering broken', (profile, seed) => {
    const s = profileScenario(profile, BENCH_SIZES.small, seed);
    const run = planner(highs, s, 60);
    expect(run.status).toBe('optimal');
    expect(run.unroutedHours).toBe(0);
    const broken = checkPlan(s, run.plan!).filter((v) => !ORDERING.has(v.rule));
    expect(broken).toEqual([]);
  });
});
