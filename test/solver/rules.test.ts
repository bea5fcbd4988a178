/**
 * One tiny scenario per rule of DOMAIN.md, each with its exact answer in hours.
 */
import { describe, expect, it } from 'vitest';
import { plan, type Plan } from '../../solver/index.ts';
import { BENCH_SIZES, generateScenario } from '../fixtures/generate-scenario.ts';
import { checkPlan } from './plan-checker.ts';
import { client, hoursBy, hoursOn, payg, prepaid, scenario, staff, ticket, ticketPlan } from '../fixtures/builders.ts';
import { previousOf } from '../fixtures/small-change.ts';

describe('staff capacity', () => {
  it('is weekly hours minus leave, never below zero', () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('ana', 32, [], { '1': 40 }), staff('bob', 40, [], { '0': 8 })],
        clients: [payg('p')],
        tickets: [ticket('P-1', 'p', 200)],
      }),
    );
    expect(p.staff.find((s) => s.id === 'ana')!.capacity).toEqual([32, 0]);
    expect(p.staff.find((s) => s.id === 'bob')!.capacity).toEqual([32, 40]);
    expect(hoursBy(p, 'ana', 1)).toBe(0);
    expect(hoursOn(p, 'P-1')).toBe(104);
    expect(ticketPlan(p, 'P-1').unplannedHours).toBe(96);
  });

  it('plans in quarter hours without exceeding capacity', () => {
    const p = plan(scenario({ staff: [staff('ana', 7.25, [], { '0': 0.5 })], clients: [payg('p')], tickets: [ticket('P-1', 'p', 10)] }));
    expect(hoursOn(p, 'P-1')).toBe(6.75);
    for (const a of p.allocations) expect(Number.isInteger(a.hours * 4)).toBe(true);
  });

  it('refuses hours that are not quarter hours, naming the field', () => {
    expect(() => plan(scenario({ staff: [staff('ana', 7.3)], clients: [payg('p')], tickets: [ticket('P-1', 'p', 10)] }))).toThrow(
      'staff[0].weeklyHours: must be in quarter hours (a multiple of 0.25)',
    );
  });
});

describe('skills', () => {
  it('a ticket naming a skill is worked only by staff who have it', () => {
    const p = plan(
      scenario({
        staff: [staff('ana', 8, ['php']), staff('bob', 40)],
        clients: [payg('p')],
        tickets: [ticket('P-1', 'p', 10, { skill: 'php' }), ticket('P-2', 'p', 5, { skill: 'oracle' })],
      }),
    );
    expect(p.allocations.filter((a) => a.ticket === 'P-1').map((a) => [a.staff, a.hours])).toEqual([['ana', 8]]);
    expect(p.unplanned.find((u) => u.ticket === 'P-1')).toMatchObject({ hours: 2, code: 'capacity' });
    expect(p.unplanned.find((u) => u.ticket === 'P-2')).toMatchObject({ hours: 5, code: 'no-skill', reason: "no staff with skill 'oracle'" });
  });
});

describe('locked-in rate', () => {
  it('is H / (W − p) from the week bought; later blocks count in the balance now; rollover counts from week 0', () => {
    const p = plan(
      scenario({
        weeks: 13,
        clients: [prepaid('acme', [{ week: 0, hours: 26 }, { week: 3, hours: 20 }], { rolloverInHours: 13 })],
      }),
    );
    const acme = client(p, 'acme');
    expect(acme.rate.slice(0, 4)).toEqual([3, 3, 3, 5]);
    expect(acme.rate[12]).toBe(5);
    expect(acme.balanceHours).toBe(59);
    expect(acme.forecastUnusedHours).toBe(59);
    expect(acme.atRiskHours).toBe(59);
    expect(acme.rolloverHours).toBe(0);
  });

  it('plans a fractional rate with cumulative rounding: 20 h over 13 weeks is 1.5, 1.5, 1.5, 1.75, …', () => {
    const p = plan(
      scenario({
        weeks: 13,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }])],
        tickets: [ticket('A-1', 'acme', 100)],
        policy: { levels: [] },
      }),
    );
    const acme = client(p, 'acme');
    expect(acme.delivered).toEqual([1.5, 1.5, 1.5, 1.75, 1.5, 1.5, 1.5, 1.5, 1.5, 1.75, 1.5, 1.5, 1.5]);
    expect(acme.shortfallHours).toBe(0);
    expect(acme.forecastUnusedHours).toBe(0);
    expect(p.unplanned.find((u) => u.ticket === 'A-1')).toMatchObject({ hours: 80, code: 'policy' });
  });

  it('fills the rate with the client’s highest-priority tickets first', () => {
    const p = plan(
      scenario({
        staff: [staff('ana', 5)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }])],
        tickets: [ticket('A-1', 'acme', 10, { priority: 4 }), ticket('A-2', 'acme', 10, { priority: 2 })],
      }),
    );
    expect(hoursOn(p, 'A-2')).toBe(5);
    expect(hoursOn(p, 'A-1')).toBe(0);
  });

  it('when capacity cannot meet every rate, serves the highest-priority tickets first, then the lowest id', () => {
    const p = plan(
      scenario({
        staff: [staff('ana', 10)],
        clients: [prepaid('a', [{ week: 0, hours: 20 }]), prepaid('b', [{ week: 0, hours: 20 }])],
        tickets: [
          ticket('B-2', 'b', 8, { priority: 3 }),
          ticket('A-1', 'a', 8, { priority: 3 }),
          ticket('B-1', 'b', 6, { priority: 2 }),
        ],
      }),
    );
    expect(hoursOn(p, 'B-1', 0, 2)).toBe(6);
    expect(hoursOn(p, 'A-1', 0, 2)).toBe(4);
    expect(hoursOn(p, 'B-2')).toBe(0);
  });

  it('a due week moves a ticket ahead of same-priority work of the same client', () => {
    const p = plan(
      scenario({
        staff: [staff('ana', 5)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }])],
        tickets: [ticket('A-1', 'acme', 5), ticket('A-2', 'acme', 5, { dueWeek: 0 })],
      }),
    );
    expect(hoursOn(p, 'A-2')).toBe(5);
    expect(hoursOn(p, 'A-1')).toBe(0);
  });
});

describe('emergencies', () => {
  it('are served in their week before all other work, whoever the client is', () => {
    const p = plan(
      scenario({
        staff: [staff('sam', 20)],
        clients: [prepaid('harbor', [{ week: 0, hours: 20 }]), payg('quill')],
        tickets: [ticket('H-1', 'harbor', 20, { priority: 1 }), ticket('Q-1', 'quill', 12, { emergency: true })],
      }),
    );
    expect(hoursOn(p, 'Q-1', 0, 1)).toBe(12);
    expect(hoursOn(p, 'H-1', 0, 2)).toBe(8);
    const harbor = client(p, 'harbor');
    expect(harbor.shortfallHours).toBe(12);
    expect(harbor.rolloverHours).toBe(12);
    expect(harbor.atRiskHours).toBe(0);
    expect(harbor.shortfallWeeks).toEqual([
      { week: 0, hours: 12, reason: 'capacity went to emergencies for QUILL (12 h)', takenBy: [{ level: 1, client: 'quill', hours: 12 }] },
    ]);
  });

  it("serve prepaid clients' emergencies before pay-as-you-go clients'", () => {
    const p = plan(
      scenario({
        staff: [staff('sam', 10)],
        clients: [prepaid('a', [{ week: 0, hours: 20 }]), payg('b')],
        tickets: [ticket('E-1', 'b', 8, { emergency: true }), ticket('E-2', 'a', 8, { emergency: true })],
      }),
    );
    expect(hoursOn(p, 'E-2', 0, 1)).toBe(8);
    expect(hoursOn(p, 'E-1', 0, 1)).toBe(2);
  });

  it('stay first in line in the following weeks when they do not fit', () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('sam', 10)],
        clients: [payg('p')],
        tickets: [ticket('P-2', 'p', 10, { priority: 1 }), ticket('E-1', 'p', 15, { emergency: true })],
      }),
    );
    expect(hoursOn(p, 'E-1', 0, 1)).toBe(10);
    expect(hoursOn(p, 'E-1', 1, 1)).toBe(5);
    expect(hoursOn(p, 'P-2', 1)).toBe(5);
    expect(ticketPlan(p, 'P-2').unplannedHours).toBe(5);
  });

  it('are not served before the week they are declared', () => {
    const p = plan(
      scenario({
        weeks: 3,
        staff: [staff('sam', 10)],
        clients: [payg('p')],
        tickets: [ticket('E-1', 'p', 5, { emergency: true, openedWeek: 2 })],
      }),
    );
    expect(p.allocations.map((a) => [a.week, a.hours, a.level])).toEqual([[2, 5, 1]]);
  });

  it("count toward the client's rate for that week", () => {
    const p = plan(
      scenario({
        staff: [staff('sam', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }])],
        tickets: [ticket('A-E', 'acme', 6, { emergency: true }), ticket('A-2', 'acme', 30)],
      }),
    );
    expect(hoursOn(p, 'A-E', 0, 1)).toBe(6);
    expect(hoursOn(p, 'A-2', 0, 2)).toBe(14);
    // The balance is used up: the rest is overage, ranked as pay-as-you-go.
    expect(hoursOn(p, 'A-2', 0, 4)).toBe(16);
    expect(client(p, 'acme').overageHours).toBe(16);
  });
});

describe('levels 3-5', () => {
  it('urgent prepaid work above the rate comes before pay-as-you-go work', () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('sam', 20)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }]), payg('p')],
        tickets: [ticket('A-1', 'acme', 16, { priority: 1 }), ticket('P-1', 'p', 10, { priority: 1 })],
      }),
    );
    expect(hoursOn(p, 'A-1', 0, 2)).toBe(10);
    expect(hoursOn(p, 'A-1', 0, 3)).toBe(6);
    expect(hoursOn(p, 'P-1', 0, 4)).toBe(4);
    expect(hoursOn(p, 'P-1', 1, 4)).toBe(6);
  });

  it('pay-as-you-go work comes before working ahead on non-urgent prepaid work', () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('sam', 20)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }]), payg('p')],
        tickets: [ticket('A-1', 'acme', 16), ticket('P-1', 'p', 6)],
      }),
    );
    expect(hoursOn(p, 'A-1', 0, 2)).toBe(10);
    expect(hoursOn(p, 'P-1', 0, 4)).toBe(6);
    expect(hoursOn(p, 'A-1', 0, 5)).toBe(4);
    expect(hoursOn(p, 'A-1', 1, 2)).toBe(2);
  });

  it('overage (presented work beyond the balance) is ranked with pay-as-you-go work by priority, prepaid first at equal priority', () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('sam', 20)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }]), payg('p')],
        tickets: [
          ticket('A-1', 'acme', 30, { priority: 2 }),
          ticket('P-1', 'p', 20, { priority: 3 }),
          ticket('P-2', 'p', 5, { priority: 1 }),
          ticket('P-3', 'p', 5, { priority: 2 }),
        ],
      }),
    );
    // Week 0: the rate (10 h), then level 4 by priority: P-2 (P1), then A-1 before P-3 (both P2).
    expect([hoursOn(p, 'A-1', 0, 2), hoursOn(p, 'P-2', 0, 4), hoursOn(p, 'A-1', 0, 4), hoursOn(p, 'P-3', 0), hoursOn(p, 'P-1', 0)]).toEqual([10, 5, 5, 0, 0]);
    // Week 1: the target is capped by the 5 h of balance left; the rest of A-1 is overage.
    expect([hoursOn(p, 'A-1', 1, 2), hoursOn(p, 'A-1', 1, 4), hoursOn(p, 'P-3', 1, 4), hoursOn(p, 'P-1', 1, 4)]).toEqual([5, 10, 5, 0]);
    expect(client(p, 'acme')).toMatchObject({ balanceHours: 20, plannedHours: 30, overageHours: 10, forecastUnusedHours: 0, shortfallHours: 0 });
  });

  it('a client whose balance is used up has all its work ranked as overage', () => {
    const p = plan(
      scenario({
        weeks: 2,
        currentWeek: 1,
        staff: [staff('sam', 10)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }], { usedByWeek: [20] }), payg('p')],
        tickets: [ticket('A-1', 'acme', 8, { priority: 3 }), ticket('P-1', 'p', 5, { priority: 2 })],
      }),
    );
    expect(hoursOn(p, 'P-1', 1, 4)).toBe(5);
    expect(hoursOn(p, 'A-1', 1, 4)).toBe(5);
    // Owed at the rate is capped by the balance: nothing is owed to a client with none left.
    expect(client(p, 'acme')).toMatchObject({ balanceHours: 0, overageHours: 5, owedAtRateHours: 0, shortfallHours: 0, rolloverHours: 0 });
  });

  it('urgent work above the target within the balance stays level 3, also for a client in overage', () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('sam', 20)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }]), payg('p')],
        tickets: [ticket('A-1', 'acme', 25, { priority: 1 }), ticket('P-1', 'p', 20, { priority: 1 })],
      }),
    );
    expect([hoursOn(p, 'A-1', 0, 2), hoursOn(p, 'A-1', 0, 3), hoursOn(p, 'P-1', 0)]).toEqual([10, 10, 0]);
    // Week 1: the balance is used up, so the rest of A-1 is overage, before P-1 at equal priority.
    expect([hoursOn(p, 'A-1', 1, 4), hoursOn(p, 'P-1', 1, 4)]).toEqual([5, 15]);
    expect(client(p, 'acme').overageHours).toBe(5);
  });

  it('nobody sits idle: spare capacity works ahead when the work fits the balance, else it is overage', () => {
    const fits = plan(scenario({ weeks: 2, staff: [staff('ana', 40)], clients: [prepaid('acme', [{ week: 0, hours: 20 }])], tickets: [ticket('A-1', 'acme', 15)] }));
    expect([hoursOn(fits, 'A-1', 0, 2), hoursOn(fits, 'A-1', 0, 5)]).toEqual([10, 5]);
    const over = plan(scenario({ weeks: 2, staff: [staff('ana', 40)], clients: [prepaid('acme', [{ week: 0, hours: 20 }])], tickets: [ticket('A-1', 'acme', 30)] }));
    expect([hoursOn(over, 'A-1', 0, 2), hoursOn(over, 'A-1', 0, 4), hoursOn(over, 'A-1', 0, 5)]).toEqual([10, 20, 0]);
    expect(client(over, 'acme').overageHours).toBe(10);
  });

  it('a level left out of policy.levels is not planned and says so', () => {
    const p = plan(
      scenario({
        weeks: 3,
        currentWeek: 1,
        staff: [staff('sam', 20)],
        clients: [prepaid('acme', [{ week: 0, hours: 30 }], { usedByWeek: [0] })],
        tickets: [ticket('A-1', 'acme', 25)],
        policy: { levels: ['payg'] },
      }),
    );
    expect(hoursOn(p, 'A-1')).toBe(20);
    const u = p.unplanned.find((x) => x.ticket === 'A-1')!;
    expect(u).toMatchObject({ hours: 5, code: 'policy' });
    expect(u.reason).toContain('working ahead is left out by policy');
  });

  it('policy.levels sets the order of levels 3-5', () => {
    const build = (levels?: ('urgent-above-rate' | 'payg' | 'work-ahead')[]) =>
      scenario({
        weeks: 2,
        staff: [staff('sam', 20)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }]), payg('p')],
        tickets: [ticket('A-1', 'acme', 20, { priority: 1 }), ticket('P-1', 'p', 10)],
        ...(levels ? { policy: { levels } } : {}),
      });
    const byDefault = plan(build());
    expect(hoursOn(byDefault, 'A-1', 0, 3)).toBe(10);
    expect(hoursOn(byDefault, 'P-1', 0)).toBe(0);
    const paygFirst = plan(build(['payg', 'urgent-above-rate']));
    expect(hoursOn(paygFirst, 'P-1', 0, 4)).toBe(10);
    expect(hoursOn(paygFirst, 'A-1', 0, 3)).toBe(0);
    expect(hoursOn(paygFirst, 'A-1', 1, 2)).toBe(10);
  });
});

describe('tickets', () => {
  it('a closed ticket has no remaining hours; remaining is estimate minus spent', () => {
    const p = plan(
      scenario({
        staff: [staff('ana', 40)],
        clients: [payg('p')],
        tickets: [ticket('P-1', 'p', 10, { status: 'closed' }), ticket('P-2', 'p', 10, { spentHours: 7 })],
      }),
    );
    expect(ticketPlan(p, 'P-1')).toMatchObject({ remainingHours: 0, plannedHours: 0, unplannedHours: 0, startWeek: null });
    expect(ticketPlan(p, 'P-2')).toMatchObject({ remainingHours: 3, plannedHours: 3, unplannedHours: 0, startWeek: 0, finishWeek: 0 });
    expect(p.unplanned).toEqual([]);
  });

  it('a ticket that will not be finished by its due week is marked late', () => {
    const p = plan(
      scenario({
        weeks: 3,
        staff: [staff('ana', 5)],
        clients: [payg('p')],
        tickets: [ticket('P-1', 'p', 8, { dueWeek: 0 }), ticket('P-2', 'p', 4, { dueWeek: 2 })],
      }),
    );
    expect(ticketPlan(p, 'P-1')).toMatchObject({ dueWeek: 0, finishWeek: 1, late: true });
    expect(ticketPlan(p, 'P-2')).toMatchObject({ dueWeek: 2, finishWeek: 2, late: false });
  });

  it('nothing is planned before the week a ticket is opened', () => {
    const p = plan(
      scenario({ weeks: 4, staff: [staff('ana', 40)], clients: [payg('p')], tickets: [ticket('P-1', 'p', 10, { openedWeek: 2 })] }),
    );
    expect(ticketPlan(p, 'P-1')).toMatchObject({ startWeek: 2, finishWeek: 2, plannedHours: 10 });
  });

  it('a ticket is best worked by one person', () => {
    const p = plan(
      scenario({
        staff: [staff('ana', 8), staff('bob', 8)],
        clients: [payg('p')],
        tickets: [ticket('P-1', 'p', 8), ticket('P-2', 'p', 8)],
      }),
    );
    expect(ticketPlan(p, 'P-1').staff).toHaveLength(1);
    expect(ticketPlan(p, 'P-2').staff).toHaveLength(1);
  });

  it('a ticket stays with the person who worked it in the weeks before', () => {
    const p = plan(
      scenario({ weeks: 3, staff: [staff('ana', 10), staff('bob', 10)], clients: [payg('p')], tickets: [ticket('P-1', 'p', 30)] }),
    );
    expect(hoursOn(p, 'P-1', 0)).toBe(20);
    expect(p.allocations.filter((a) => a.week === 1).map((a) => a.staff)).toEqual(['ana']);
  });
});

describe('forecast, expiry and rollover', () => {
  it('uses history for the balance and shortfall to date; at risk is what no presented work will use', () => {
    const p = plan(
      scenario({
        weeks: 4,
        currentWeek: 2,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 40 }], { usedByWeek: [12, 8], shortfallToDateHours: 2 })],
        tickets: [ticket('A-1', 'acme', 5)],
      }),
    );
    const acme = client(p, 'acme');
    expect(acme.delivered).toEqual([12, 8, 5, 0]);
    expect(acme.demand).toEqual([0, 0, 5, 0]);
    expect(acme.balanceHours).toBe(20);
    expect(acme.forecastUnusedHours).toBe(15);
    expect(acme.shortfallHours).toBe(2);
    expect(acme.rolloverHours).toBe(2);
    expect(acme.atRiskHours).toBe(13);
    expect(acme.presentByWeek).toBe(2);
  });

  it('hours used count in the balance, whichever weeks they are listed for', () => {
    const p = plan(scenario({ weeks: 4, currentWeek: 1, clients: [prepaid('acme', [{ week: 0, hours: 40 }], { usedByWeek: [6, 2] })] }));
    expect(client(p, 'acme')).toMatchObject({ balanceHours: 32, usedHours: 8, forecastUnusedHours: 32 });
    expect(client(p, 'acme').delivered[0]).toBe(6);
  });

  it('a client that presents no work has all its balance at risk, none rolled over', () => {
    const p = plan(scenario({ weeks: 13, staff: [staff('ana', 40)], clients: [prepaid('nimbus', [{ week: 0, hours: 26 }])] }));
    expect(client(p, 'nimbus')).toMatchObject({ forecastUnusedHours: 26, shortfallHours: 0, rolloverHours: 0, atRiskHours: 26, presentByWeek: 0 });
  });

  it('rollover is the shortfall, capped by the hours left unused', () => {
    // Work presented in time that nobody can do (missing skill) is the company's fault.
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }])],
        tickets: [ticket('A-1', 'acme', 30, { skill: 'oracle' })],
      }),
    );
    const acme = client(p, 'acme');
    expect(acme).toMatchObject({ owedAtRateHours: 20, shortfallHours: 20, forecastUnusedHours: 20, rolloverHours: 20, atRiskHours: 0 });
    // Week 1's target is its own 10 h plus the 10 h missed in week 0.
    expect(acme.target).toEqual([10, 20]);
    expect(acme.shortfallWeeks.map((w) => [w.week, w.hours, w.reason])).toEqual([
      [0, 10, "no staff with skill 'oracle'"],
      [1, 20, "no staff with skill 'oracle'"],
    ]);
    // The client is told its presented work cannot be planned, not asked to present more.
    expect(acme.advice).toEqual({ cause: 'none', tickets: [] });
  });

  it('work presented too late to be done at the rate is at risk, not rolled over', () => {
    const p = plan(
      scenario({
        weeks: 4,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 40 }]), payg('p')],
        tickets: [ticket('A-1', 'acme', 40, { openedWeek: 3 }), ticket('P-1', 'p', 200)],
      }),
    );
    const acme = client(p, 'acme');
    expect(acme.owedAtRateHours).toBe(10);
    // Its rate is met; pay-as-you-go work comes before working ahead, so the rest expires.
    expect(acme.delivered).toEqual([0, 0, 0, 10]);
    expect(acme).toMatchObject({ forecastUnusedHours: 30, shortfallHours: 0, rolloverHours: 0, atRiskHours: 30 });
  });

  it('hours logged this week come off capacity and count toward the rate', () => {
    const p = plan({
      ...scenario({
        weeks: 2,
        staff: [staff('ana', 10)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }])],
        tickets: [ticket('A-1', 'acme', 10, { spentHours: 4 })],
      }),
      currentWeekLog: [{ staff: 'ana', ticket: 'A-1', hours: 4 }],
    });
    expect(p.staff[0]!.capacity[0]).toBe(6);
    expect(hoursOn(p, 'A-1', 0, 2)).toBe(6);
    expect(client(p, 'acme').delivered).toEqual([10, 0]);
  });

  it('hours logged on a ticket that opens later count as presented from this week; the rest waits for its week', () => {
    const s = {
      ...scenario({
        weeks: 3,
        staff: [staff('ana', 10)],
        clients: [prepaid('acme', [{ week: 0, hours: 30 }])],
        tickets: [ticket('A-1', 'acme', 9, { spentHours: 3, openedWeek: 2 })],
      }),
      currentWeekLog: [{ staff: 'ana', ticket: 'A-1', hours: 3 }],
    };
    const p = plan(s);
    expect([hoursOn(p, 'A-1', 0), hoursOn(p, 'A-1', 1), hoursOn(p, 'A-1', 2)]).toEqual([0, 0, 6]);
    // presented: 3 h from week 0 (the logged hours), 9 h from week 2; ideal 3, 0, 6; delivered 3, 0, 6.
    expect(client(p, 'acme')).toMatchObject({ delivered: [3, 0, 6], demand: [3, 0, 6], shortfallHours: 0 });
    expect(checkPlan(s, p)).toEqual([]);
  });
});

describe('catch-up of a missed rate is level 2', () => {
  it('hours an emergency took are caught up at level 2 in the next week, before pay-as-you-go work', () => {
    const p = plan(
      scenario({
        weeks: 3,
        staff: [staff('sam', 20)],
        clients: [prepaid('acme', [{ week: 0, hours: 30 }]), payg('p')],
        tickets: [ticket('A-1', 'acme', 30, { priority: 4 }), ticket('P-1', 'p', 30, { priority: 1 }), ticket('E-1', 'p', 20, { emergency: true })],
      }),
    );
    expect(hoursOn(p, 'E-1', 0, 1)).toBe(20);
    // Week 1: own week (10 h) plus the 10 h missed in week 0, all at level 2, before P-1 (P1).
    expect([hoursOn(p, 'A-1', 1, 2), hoursOn(p, 'P-1', 1)]).toEqual([20, 0]);
    expect([hoursOn(p, 'A-1', 2, 2), hoursOn(p, 'P-1', 2, 4)]).toEqual([10, 10]);
    expect(client(p, 'acme')).toMatchObject({ target: [10, 20, 10], owedAtRateHours: 30, shortfallHours: 0, rolloverHours: 0 });
  });

  it("every client's own week comes before anyone's catch-up, whatever the priorities", () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('sam', 20)],
        clients: [prepaid('a', [{ week: 0, hours: 20 }]), prepaid('b', [{ week: 0, hours: 20 }]), payg('p')],
        tickets: [ticket('A-1', 'a', 20, { priority: 1 }), ticket('B-1', 'b', 20, { priority: 4 }), ticket('E-1', 'p', 20, { emergency: true })],
      }),
    );
    // Week 1: A-1's catch-up (P1) waits for B-1's own week (P4).
    expect([hoursOn(p, 'A-1', 1, 2), hoursOn(p, 'B-1', 1, 2)]).toEqual([10, 10]);
    expect(client(p, 'a')).toMatchObject({ target: [10, 20], shortfallHours: 10, rolloverHours: 10 });
    expect(client(p, 'b')).toMatchObject({ target: [10, 20], shortfallHours: 10, rolloverHours: 10 });
  });

  it("history's debt (shortfall to date) is caught up too, and delivering more than owed pays it back", () => {
    const p = plan(
      scenario({
        weeks: 2,
        currentWeek: 1,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 40 }], { usedByWeek: [10], shortfallToDateHours: 2 })],
        tickets: [ticket('A-1', 'acme', 25)],
      }),
    );
    expect(client(p, 'acme').target[1]).toBe(22);
    expect([hoursOn(p, 'A-1', 1, 2), hoursOn(p, 'A-1', 1, 5)]).toEqual([22, 3]);
    expect(client(p, 'acme')).toMatchObject({ owedAtRateHours: 20, shortfallHours: 0, rolloverHours: 0, forecastUnusedHours: 5, atRiskHours: 5 });
  });

  it("hours delivered ahead never shrink a later week's own ideal[w]", () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('ana', 80)],
        clients: [prepaid('acme', [{ week: 0, hours: 120 }])],
        tickets: [ticket('A-1', 'acme', 70), ticket('A-2', 'acme', 40, { openedWeek: 1 })],
      }),
    );
    expect([hoursOn(p, 'A-1', 0, 2), hoursOn(p, 'A-1', 0, 5)]).toEqual([60, 10]);
    const acme = client(p, 'acme');
    // ideal[1] = min(60, 110 − 60, 120 − 60) = 50: the 10 h worked ahead do not come off it.
    expect(acme.ideal).toEqual([60, 50]);
    expect(acme.target).toEqual([60, 50]);
    expect(hoursOn(p, 'A-2', 1, 2)).toBe(40);
  });

  it('the target never exceeds the balance left at the start of the week', () => {
    const p = plan(
      scenario({
        weeks: 2,
        currentWeek: 1,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }], { usedByWeek: [15] })],
        tickets: [ticket('A-1', 'acme', 20)],
      }),
    );
    expect(client(p, 'acme')).toMatchObject({ ideal: [0, 5], target: [0, 5], overageHours: 15, forecastUnusedHours: 0, shortfallHours: 0 });
    expect([hoursOn(p, 'A-1', 1, 2), hoursOn(p, 'A-1', 1, 4)]).toEqual([5, 15]);
  });
});

describe('targets first, lowest priority above', () => {
  it("a client's target moves among its own tickets so that another client's target can use the only person with a skill", () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('pat', 10, ['php']), staff('gen', 10)],
        clients: [prepaid('a', [{ week: 0, hours: 20 }]), prepaid('b', [{ week: 0, hours: 20 }])],
        tickets: [
          ticket('A-1', 'a', 10, { priority: 1, skill: 'php' }),
          ticket('A-2', 'a', 10, { priority: 3 }),
          ticket('B-1', 'b', 10, { priority: 2, skill: 'php' }),
        ],
      }),
    );
    const week0 = p.allocations.filter((x) => x.week === 0).map((x) => [x.staff, x.ticket, x.hours, x.level]);
    expect(week0).toEqual([
      ['gen', 'A-2', 10, 2],
      ['pat', 'B-1', 10, 2],
    ]);
    expect(p.allocations.filter((x) => x.week === 1).map((x) => [x.staff, x.ticket, x.hours, x.level])).toEqual([['pat', 'A-1', 10, 2]]);
    expect(client(p, 'b').shortfallHours).toBe(0);
    expect(client(p, 'a').shortfallHours).toBe(0);
  });

  it('meets every target that can be met before anyone gets hours above theirs', () => {
    const p = plan(
      scenario({
        staff: [staff('ana', 10)],
        clients: [prepaid('a', [{ week: 0, hours: 20 }]), prepaid('b', [{ week: 0, hours: 20 }])],
        weeks: 4,
        tickets: [ticket('A-1', 'a', 20, { priority: 1 }), ticket('B-1', 'b', 20, { priority: 4 })],
      }),
    );
    // Rates are 5 h each: both met every week, and A-1's urgency only takes what is left.
    for (let w = 0; w < 4; w++) expect([hoursOn(p, 'A-1', w, 2), hoursOn(p, 'B-1', w, 2)]).toEqual([5, 5]);
    expect(hoursOn(p, 'A-1', undefined, 3)).toBe(0);
  });

  it('ticket ids compare in natural order: T-9 before T-10', () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('sam', 10)],
        clients: [prepaid('a', [{ week: 0, hours: 20 }]), prepaid('b', [{ week: 0, hours: 20 }])],
        tickets: [ticket('T-10', 'b', 10), ticket('T-9', 'a', 10)],
      }),
    );
    expect([hoursOn(p, 'T-9', 0), hoursOn(p, 'T-10', 0)]).toEqual([10, 0]);
  });
});

describe('figures in quarter hours', () => {
  it('rounding of a fractional rate never creates shortfall: the last week rounds the total up', () => {
    // 21 h over 13 weeks from week 3: 16.15… h owed over the 10 planned weeks, planned as 16.25 h.
    const p = plan(
      scenario({
        weeks: 13,
        currentWeek: 3,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 21 }], { usedByWeek: [0, 0, 0] })],
        tickets: [ticket('A-1', 'acme', 100)],
        policy: { levels: [] },
      }),
    );
    const acme = client(p, 'acme');
    const planned = acme.delivered.slice(3);
    expect(planned.reduce((a, b) => a + b, 0)).toBe(16.25);
    for (const h of planned) expect(Math.abs(h - 21 / 13)).toBeLessThan(0.25);
    expect(acme).toMatchObject({ owedAtRateHours: 16.25, shortfallHours: 0, rolloverHours: 0, forecastUnusedHours: 4.75, atRiskHours: 4.75 });
  });

  it('a shortfall is rounded up to the next quarter hour, and rollover and at risk follow', () => {
    const p = plan(
      scenario({
        weeks: 13,
        currentWeek: 3,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 21 }], { usedByWeek: [0, 0, 0] })],
        tickets: [ticket('A-1', 'acme', 100, { skill: 'oracle' })],
      }),
    );
    expect(client(p, 'acme')).toMatchObject({ owedAtRateHours: 16.25, shortfallHours: 16.25, forecastUnusedHours: 21, rolloverHours: 16.25, atRiskHours: 4.75 });
  });

  it('overage counts a balance already below 0 in full', () => {
    const p = plan(scenario({ weeks: 2, currentWeek: 1, clients: [prepaid('acme', [{ week: 0, hours: 20 }], { usedByWeek: [30.5] })] }));
    expect(client(p, 'acme')).toMatchObject({ balanceHours: -10.5, overageHours: 10.5, forecastUnusedHours: 0, atRiskHours: 0, rolloverHours: 0 });
  });
});

describe('advice matches the cause of hours at risk', () => {
  it('presented work left unplanned: the client is told which tickets and why', () => {
    const p = plan(
      scenario({ weeks: 2, staff: [staff('ana', 40)], clients: [prepaid('acme', [{ week: 0, hours: 20 }])], tickets: [ticket('A-1', 'acme', 5, { skill: 'oracle' })] }),
    );
    expect(client(p, 'acme')).toMatchObject({ owedAtRateHours: 5, shortfallHours: 5, rolloverHours: 5, atRiskHours: 15 });
    expect(client(p, 'acme').advice).toEqual({ cause: 'unplanned-work', tickets: [{ ticket: 'A-1', hours: 5, code: 'no-skill', reason: "no staff with skill 'oracle'" }] });
  });

  it('too little work presented: the client is asked to present more', () => {
    const p = plan(scenario({ weeks: 2, staff: [staff('ana', 40)], clients: [prepaid('acme', [{ week: 0, hours: 20 }])], tickets: [ticket('A-1', 'acme', 5)] }));
    expect(client(p, 'acme')).toMatchObject({ atRiskHours: 15, presentByWeek: 0, advice: { cause: 'present-work', tickets: [] } });
  });
});

describe('pins', () => {
  const base = (extra: Parameters<typeof scenario>[0] = {}) =>
    scenario({
      weeks: 2,
      currentWeek: 0,
      staff: [staff('ana', 10), staff('bob', 10, ['linux'])],
      clients: [prepaid('acme', [{ week: 0, hours: 20 }]), payg('p')],
      tickets: [ticket('A-1', 'acme', 20, { priority: 4 }), ticket('A-2', 'acme', 4, { priority: 1 }), ticket('P-1', 'p', 10, { priority: 1 })],
      ...extra,
    });

  it('hold the person on the ticket, count toward the target, and carry pinned: true and their level', () => {
    const p = plan(base({ pins: [{ ticket: 'A-1', staff: 'bob', week: 0, hours: 6 }] }));
    expect(p.pinIssues).toEqual([]);
    const pinned = p.allocations.filter((a) => a.pinned);
    expect(pinned.map(({ week, staff: s, ticket: t, hours, level }) => [week, s, t, hours, level])).toEqual([[0, 'bob', 'A-1', 6, 2]]);
    // The target (10 h) has 4 h left for A-2 (P1); P-1 (PAYG) gets the rest of the week.
    expect([hoursOn(p, 'A-2', 0, 2), hoursOn(p, 'P-1', 0, 4)]).toEqual([4, 10]);
  });

  it('are exempt from the precedence rules: a pinned P4 ticket above the target, before urgent work', () => {
    const p = plan(base({ pins: [{ ticket: 'A-1', staff: 'ana', week: 0, hours: 10 }, { ticket: 'A-1', staff: 'bob', week: 0, hours: 8 }] }));
    const rows = p.allocations.filter((a) => a.pinned && a.week === 0).map((a) => [a.staff, a.hours, a.level]);
    // 10 h of the target, then 8 h above it: presented 34 h > balance 20 h, so overage (level 4).
    expect(rows).toEqual([
      ['ana', 10, 2],
      ['bob', 8, 4],
    ]);
    // What is left of bob's week goes to A-2 (urgent, within the 2 h of balance left), not P-1.
    expect([hoursOn(p, 'A-2', 0, 3), hoursOn(p, 'P-1', 0)]).toEqual([2, 0]);
  });

  it('emergencies still come first: a pin on the only person with the skill holds what is left', () => {
    const p = plan(base({ tickets: [...base().tickets, ticket('E-1', 'p', 8, { emergency: true, skill: 'linux' })], pins: [{ ticket: 'A-1', staff: 'bob', week: 0, hours: 6 }] }));
    expect(hoursOn(p, 'E-1', 0, 1)).toBe(8);
    expect(p.pinIssues).toEqual([
      { pin: { ticket: 'A-1', staff: 'bob', week: 0, hours: 6 }, heldHours: 2, code: 'capacity', reason: 'BOB had only 2 h free in week 0 after emergencies and other pins' },
    ]);
  });

  it("move a person's other work to someone else when that lets the pin hold", () => {
    const p = plan(base({ tickets: [...base().tickets, ticket('E-1', 'p', 8, { emergency: true })], pins: [{ ticket: 'A-1', staff: 'ana', week: 0, hours: 10 }] }));
    expect(p.pinIssues).toEqual([]);
    expect(p.allocations.filter((a) => a.ticket === 'E-1').map((a) => [a.staff, a.hours])).toEqual([['bob', 8]]);
  });

  it('on an emergency choose who works it', () => {
    const p = plan(base({ tickets: [...base().tickets, ticket('E-1', 'p', 8, { emergency: true })], pins: [{ ticket: 'E-1', staff: 'bob', week: 0, hours: 8 }] }));
    expect(p.allocations.filter((a) => a.ticket === 'E-1').map((a) => [a.staff, a.hours, a.level, a.pinned])).toEqual([['bob', 8, 1, true]]);
  });

  it.each([
    [{ ticket: 'T-404', staff: 'ana', week: 0, hours: 2 }, 0, 'unknown-ticket', 'unknown ticket "T-404"'],
    [{ ticket: 'A-1', staff: 'zed', week: 0, hours: 2 }, 0, 'unknown-staff', 'unknown staff member "zed"'],
    [{ ticket: 'A-1', staff: 'ana', week: 5, hours: 2 }, 0, 'outside-quarter', 'week 5 is outside the quarter (weeks 0 to 1)'],
    [{ ticket: 'P-1', staff: 'ana', week: 0, hours: 2 }, 0, 'no-skill', "ANA lacks skill 'linux'"],
    [{ ticket: 'A-2', staff: 'ana', week: 0, hours: 6 }, 4, 'hours-left', 'A-2 had only 4 h left in week 0'],
    [{ ticket: 'A-1', staff: 'ana', week: 1, hours: 12 }, 10, 'capacity', 'ANA had only 10 h free in week 1 after emergencies and other pins'],
  ])('that cannot hold in full hold what they can and say why: %o', (pin, held, code, reason) => {
    const s = base({ pins: [pin] });
    s.tickets = s.tickets.map((t) => (t.id === 'P-1' ? { ...t, skill: 'linux' } : t));
    const p = plan(s);
    expect(p.pinIssues).toEqual([{ pin, heldHours: held, code, reason }]);
    expect(p.allocations.filter((a) => a.pinned).reduce((h, a) => h + (a.pinnedHours ?? a.hours), 0)).toBe(held);
  });

  it('in a past week or on a closed ticket hold nothing', () => {
    const s = base({ currentWeek: 1, pins: [{ ticket: 'A-1', staff: 'ana', week: 0, hours: 2 }, { ticket: 'C-1', staff: 'ana', week: 1, hours: 2 }] });
    s.clients[0]!.usedByWeek = [0];
    s.tickets.push(ticket('C-1', 'acme', 5, { status: 'closed' }));
    expect(plan(s).pinIssues.map((i) => [i.code, i.heldHours, i.reason])).toEqual([
      ['past-week', 0, 'week 0 is in the past (the current week is 1)'],
      ['closed', 0, 'C-1 is closed'],
    ]);
  });
});

describe('stable re-plans', () => {
  it('keep each ticket with the person who had it in the plan in force', () => {
    const s = scenario({ staff: [staff('ana', 10), staff('bob', 10)], clients: [payg('p')], tickets: [ticket('T-1', 'p', 10), ticket('T-2', 'p', 10)] });
    const fresh = plan(s);
    const who = (p: ReturnType<typeof plan>) => Object.fromEntries(p.allocations.map((a) => [a.ticket, a.staff]));
    const swapped = Object.fromEntries(Object.entries(who(fresh)).map(([t, st]) => [t, st === 'ana' ? 'bob' : 'ana']));
    const previous = Object.entries(swapped).map(([t, st]) => ({ week: 0, staff: st, ticket: t, hours: 10 }));
    expect(who(plan({ ...s, previous }))).toEqual(swapped);
  });

  it('an hour logged on a ticket nobody has this week moves few rows (issue 8): people trade tickets back to the plan in force', () => {
    // The bench's medium scenario; s1 logs an hour on T-183, which the plan does not have this
    // week: s1's week is an hour shorter. Before the trades (solver/stabilize.ts), 118 of the
    // plan's 1,215 (week, staff, ticket) rows changed; with them 82.
    const s = generateScenario({ seed: 1, ...BENCH_SIZES.medium });
    const before = plan(s);
    const previous = previousOf(before);
    const changed = structuredClone(s);
    const t = changed.tickets.find((x) => x.id === 'T-183')!;
    expect(before.allocations.some((a) => a.ticket === 'T-183' && a.week === 0)).toBe(false);
    t.spentHours = (t.spentHours ?? 0) + 1;
    changed.currentWeekLog = [{ staff: 's1', ticket: 'T-183', hours: 1 }];
    const after = plan({ ...changed, previous });
    const rows = (p: Plan, by: (a: Plan['allocations'][number]) => string) => {
      const m = new Map<string, number>();
      for (const a of p.allocations) m.set(by(a), (m.get(by(a)) ?? 0) + a.hours);
      return m;
    };
    const a = rows(before, (x) => `${x.week}|${x.staff}|${x.ticket}`);
    const b = rows(after, (x) => `${x.week}|${x.staff}|${x.ticket}`);
    const changedRows = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).length;
    expect(changedRows).toBeLessThanOrEqual(90);
    // Equal under the rules: the same hours per (week, client, level) as without the plan in force.
    const level = (x: Plan['allocations'][number]) => `${x.week}|${x.client}|${x.level}`;
    expect(rows(after, level)).toEqual(rows(plan(changed), level));
  });

  it('policy.catchUpFirst is accepted and ignored (catch-up is level 2)', () => {
    const s = scenario({
      weeks: 2,
      staff: [staff('sam', 20)],
      clients: [prepaid('a', [{ week: 0, hours: 20 }]), payg('p')],
      tickets: [ticket('A-1', 'a', 20), ticket('E-1', 'p', 20, { emergency: true }), ticket('P-1', 'p', 20)],
    });
    const rows = (catchUpFirst: boolean) => plan({ ...s, policy: { catchUpFirst } }).allocations;
    expect(rows(false)).toEqual(rows(true));
  });
});

describe('plans are deterministic', () => {
  it('gives the same plan for the same scenario in any list order', () => {
    const s = scenario({
      weeks: 3,
      staff: [staff('ana', 10, ['php']), staff('bob', 10, ['linux']), staff('cy', 5, ['php', 'linux'])],
      clients: [prepaid('a', [{ week: 0, hours: 30 }]), prepaid('b', [{ week: 1, hours: 20 }]), payg('c')],
      tickets: [
        ticket('T-1', 'a', 12, { skill: 'php' }),
        ticket('T-2', 'b', 9, { skill: 'linux', priority: 1 }),
        ticket('T-3', 'c', 7),
        ticket('T-4', 'a', 6, { emergency: true, openedWeek: 1 }),
        ticket('T-5', 'b', 11, { dueWeek: 1 }),
      ],
    });
    const reversed = { ...s, staff: [...s.staff].reverse(), clients: [...s.clients].reverse(), tickets: [...s.tickets].reverse() };
    const strip = ({ stats: _s, ...rest }: ReturnType<typeof plan>) => rest;
    expect(strip(plan(reversed))).toEqual(strip(plan(s)));
  });
});
