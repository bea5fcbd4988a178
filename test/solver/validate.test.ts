/** A bad scenario is refused as a whole with a message naming the field. */
import { describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario } from '../../solver/index.ts';
import { payg, prepaid, scenario, staff, ticket } from '../fixtures/builders.ts';

function issuesOf(input: unknown): string[] {
  try {
    parseScenario(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('scenario was accepted');
}

const good = () =>
  scenario({ weeks: 13, staff: [staff('ana', 32, ['php'])], clients: [prepaid('acme', [{ week: 0, hours: 26 }]), payg('bolt')], tickets: [ticket('T-1', 'acme', 6)] });

describe('scenario validation', () => {
  it('accepts a good scenario and fills in defaults', () => {
    const s = parseScenario(good());
    expect(s.quarter.currentWeek).toBe(0);
    expect(s.tickets[0]).toMatchObject({ spentHours: 0, emergency: false, status: 'open' });
  });

  it.each([
    ['not an object', null, ': a scenario must be a JSON object'],
    ['missing weeks', { ...good(), quarter: { id: 'Q' } }, 'quarter.weeks: is required: the number of weeks in the quarter'],
    ['a block under 20 hours', { ...good(), clients: [prepaid('acme', [{ week: 0, hours: 26 }, { week: 2, hours: 19.5 }])] }, 'clients[0].purchases[1].hours: a block is at least 20 hours'],
    ['negative hours', { ...good(), tickets: [ticket('T-1', 'acme', -2)] }, 'tickets[0].estimateHours: must not be negative'],
    ['a wrong type', { ...good(), staff: [{ id: 'ana', weeklyHours: '32' }] }, 'staff[0].weeklyHours: must be a number of hours'],
    ['an unknown priority', { ...good(), tickets: [ticket('T-1', 'acme', 2, { priority: 5 as 1 })] }, 'tickets[0].priority: must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)'],
    ['an unknown plan', { ...good(), clients: [{ id: 'x', plan: 'monthly' }] }, 'clients[0].plan: must be "prepaid" or "payg"'],
    ['an unknown policy level', { ...good(), policy: { levels: ['vip'] } }, 'policy.levels[0]: must be one of "urgent-above-rate", "payg", "work-ahead"'],
  ])('refuses %s', (_name, input, message) => {
    expect(issuesOf(input)).toContain(message);
  });

  it.each([
    ['a ticket naming an unknown client', { ...good(), tickets: [ticket('T-1', 'zeta', 2)] }, 'tickets[0].client: unknown client "zeta"'],
    ['a duplicate id', { ...good(), staff: [staff('ana', 10), staff('ana', 20)] }, 'staff[1].id: duplicate id "ana" (also staff[0])'],
    ['a week outside the quarter', { ...good(), tickets: [ticket('T-1', 'acme', 2, { openedWeek: 13 })] }, 'tickets[0].openedWeek: week 13 is outside the quarter (weeks 0 to 12)'],
    ['a block bought after the quarter', { ...good(), clients: [prepaid('acme', [{ week: 14, hours: 20 }])], tickets: [] }, 'clients[0].purchases[0].week: week 14 is outside the quarter (weeks 0 to 12)'],
    ['leave keyed by something else than a week', { ...good(), staff: [staff('ana', 10, [], { monday: 4 })] }, 'staff[0].leave.monday: leave is keyed by week index (0, 1, ...)'],
    ['used hours for more weeks than the quarter has', { ...good(), clients: [prepaid('acme', [{ week: 0, hours: 26 }], { usedByWeek: Array(14).fill(1) })], tickets: [] }, 'clients[0].usedByWeek: has 14 weeks; the quarter has 13'],
    ['blocks for a pay-as-you-go client', { ...good(), clients: [{ id: 'acme', plan: 'payg', purchases: [{ week: 0, hours: 20 }] }] }, 'clients[0].purchases: a pay-as-you-go client buys no blocks; make it "prepaid"'],
  ])('refuses %s', (_name, input, message) => {
    expect(issuesOf(input)).toContain(message);
  });

  it.each([
    ['weekly hours', { ...good(), staff: [staff('ana', 7.3)] }, 'staff[0].weeklyHours'],
    ['leave', { ...good(), staff: [staff('ana', 8, [], { '1': 1.1 })] }, 'staff[0].leave.1'],
    ['an estimate', { ...good(), tickets: [ticket('T-1', 'acme', 1.1)] }, 'tickets[0].estimateHours'],
    ['spent hours', { ...good(), tickets: [ticket('T-1', 'acme', 2, { spentHours: 0.3 })] }, 'tickets[0].spentHours'],
    ['a block', { ...good(), clients: [prepaid('acme', [{ week: 0, hours: 33.3 }])], tickets: [] }, 'clients[0].purchases[0].hours'],
    ['used hours', { ...good(), clients: [prepaid('acme', [{ week: 0, hours: 26 }], { usedByWeek: [2.1] })], tickets: [] }, 'clients[0].usedByWeek[0]'],
    ['rolled-in hours', { ...good(), clients: [prepaid('acme', [{ week: 0, hours: 26 }], { rolloverInHours: 7.3 })], tickets: [] }, 'clients[0].rolloverInHours'],
    ['shortfall to date', { ...good(), clients: [prepaid('acme', [{ week: 0, hours: 26 }], { shortfallToDateHours: 0.1 })], tickets: [] }, 'clients[0].shortfallToDateHours'],
    ['a pin', { ...good(), pins: [{ ticket: 'T-1', staff: 'ana', week: 0, hours: 1.2 }] }, 'pins[0].hours'],
  ])('refuses %s that are not quarter hours, naming the field', (_name, input, field) => {
    expect(issuesOf(input)).toContain(`${field}: must be in quarter hours (a multiple of 0.25)`);
  });

  it('accepts pins the planner cannot hold (it reports them) but refuses malformed ones', () => {
    const s = parseScenario({ ...good(), pins: [{ ticket: 'T-404', staff: 'nobody', week: 40, hours: 4 }] });
    expect(s.pins).toHaveLength(1);
    expect(issuesOf({ ...good(), pins: [{ ticket: 'T-1', staff: 'ana', week: 0, hours: 0 }] })).toContain('pins[0].hours: must be more than 0');
    expect(issuesOf({ ...good(), pins: [{ ticket: 'T-1', week: 0, hours: 1 }] })[0]).toMatch(/^pins\[0\]\.staff: /);
  });

  it('accepts previous allocation rows with extra fields and rows naming unknown staff or tickets', () => {
    const s = parseScenario({ ...good(), previous: [{ week: 0, staff: 'zed', client: 'acme', ticket: 'T-404', hours: 2, level: 2 }] });
    expect(s.previous).toEqual([{ week: 0, staff: 'zed', ticket: 'T-404', hours: 2, level: 2 }]);
  });

  it('reports every bad field at once, not just the first', () => {
    const bad = { ...good(), tickets: [ticket('T-1', 'acme', -1), ticket('T-2', 'acme', 1, { openedWeek: -3 })] };
    expect(issuesOf(bad)).toHaveLength(2);
  });
});
