/**
 * One tiny scenario per rule of DOMAIN.md, each with its exact answer in hours.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../solver/index.ts';
import { client, hoursBy, hoursOn, payg, prepaid, scenario, staff, ticket, ticketPlan } from '../fixtures/builders.ts';

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
    const p = plan(scenario({ staff: [staff('ana', 7.3)], clients: [payg('p')], tickets: [ticket('P-1', 'p', 10)] }));
    expect(hoursOn(p, 'P-1')).toBe(7.25);
    for (const a of p.allocations) expect(Number.isInteger(a.hours * 4)).toBe(true);
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

  it('overage (work beyond the balance) is ranked with pay-as-you-go work by priority', () => {
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
    const acme = client(p, 'acme');
    expect(acme.balanceHours).toBe(0);
    expect(acme.overageHours).toBe(5);
    expect(acme.shortfallHours).toBe(3);
    expect(acme.rolloverHours).toBe(0);
  });

  it('working ahead catches up clients the company owes hours first', () => {
    const build = (catchUpFirst: boolean) =>
      scenario({
        weeks: 2,
        staff: [staff('sam', 40, [], { '0': 30 })],
        clients: [prepaid('a', [{ week: 0, hours: 20 }]), prepaid('b', [{ week: 0, hours: 40 }]), payg('p')],
        tickets: [
          ticket('A-1', 'a', 20, { priority: 4 }),
          ticket('B-1', 'b', 40, { priority: 2, openedWeek: 1 }),
          ticket('E-1', 'p', 10, { emergency: true }),
        ],
        policy: { catchUpFirst },
      });
    const p = plan(build(true));
    expect(hoursOn(p, 'E-1', 0, 1)).toBe(10);
    expect(hoursOn(p, 'A-1', 1, 2)).toBe(10);
    expect(hoursOn(p, 'B-1', 1, 2)).toBe(20);
    expect(hoursOn(p, 'A-1', 1, 5)).toBe(10);
    expect(client(p, 'a').shortfallHours).toBe(0);

    const q = plan(build(false));
    expect(hoursOn(q, 'B-1', 1, 5)).toBe(10);
    expect(hoursOn(q, 'A-1', 1, 5)).toBe(0);
    expect(client(q, 'a').rolloverHours).toBe(10);
  });

  it('nobody sits idle: spare capacity works ahead within the balance, then overage', () => {
    const p = plan(
      scenario({
        weeks: 2,
        staff: [staff('ana', 40)],
        clients: [prepaid('acme', [{ week: 0, hours: 20 }])],
        tickets: [ticket('A-1', 'acme', 30)],
      }),
    );
    expect(hoursOn(p, 'A-1', 0, 2)).toBe(10);
    expect(hoursOn(p, 'A-1', 0, 5)).toBe(10);
    expect(hoursOn(p, 'A-1', 0, 4)).toBe(10);
    expect(client(p, 'acme').overageHours).toBe(10);
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
    expect(acme.shortfallHours).toBe(20);
    expect(acme.forecastUnusedHours).toBe(20);
    expect(acme.rolloverHours).toBe(20);
    expect(acme.atRiskHours).toBe(0);
    expect(acme.shortfallWeeks.map((w) => [w.week, w.hours, w.reason])).toEqual([
      [0, 10, "no staff with skill 'oracle'"],
      [1, 10, "no staff with skill 'oracle'"],
    ]);
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
