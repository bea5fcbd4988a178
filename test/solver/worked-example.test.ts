/**
 * The worked example of shared/examples/emergency-rollover.md: every figure of its table and every
 * allocation its story describes. The JSON is a verbatim copy under test/fixtures/examples/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plan, type ScenarioInput } from '../../solver/index.ts';
import { checkPlan } from './plan-checker.ts';

const scenario: ScenarioInput = JSON.parse(
  readFileSync(new URL('../fixtures/examples/emergency-rollover.json', import.meta.url), 'utf8'),
);
const result = plan(scenario);
const client = (id: string) => result.clients.find((c) => c.id === id)!;
const delivered = (id: string) => client(id).delivered.slice(11).reduce((a, b) => a + b, 0);

describe('worked example: emergency-rollover', () => {
  it('passes the independent plan checker', () => {
    expect(checkPlan(scenario, result)).toEqual([]);
  });

  it('week 11: Quill\'s emergency takes all of Sam\'s 20 h; week 12: rates, then urgent Q-2', () => {
    const rows = result.allocations
      .map(({ week, staff, ticket, hours, level }) => ({ week, staff, ticket, hours, level }))
      .sort((a, b) => a.week - b.week || a.level - b.level || a.ticket.localeCompare(b.ticket));
    expect(rows).toEqual([
      { week: 11, staff: 'sam', ticket: 'Q-1', hours: 20, level: 1 },
      { week: 12, staff: 'sam', ticket: 'H-1', hours: 4, level: 2 },
      { week: 12, staff: 'sam', ticket: 'Q-2', hours: 12, level: 2 },
      { week: 12, staff: 'sam', ticket: 'Q-2', hours: 4, level: 3 },
    ]);
  });

  it.each([
    // client, balance, delivered, forecast unused, shortfall, rollover, at risk
    ['harbor', 8, 4, 4, 4, 4, 0],
    ['quill', 46, 36, 10, 0, 0, 10],
    ['nimbus', 16, 0, 16, 0, 0, 16],
  ] as const)('%s: balance %d, delivered %d, unused %d, shortfall %d, rollover %d, at risk %d', (id, bal, del, unused, short, roll, risk) => {
    const c = client(id);
    expect(c.plan).toBe('prepaid');
    expect(c.balanceHours).toBeCloseTo(bal, 6);
    expect(delivered(id)).toBeCloseTo(del, 6);
    expect(c.forecastUnusedHours).toBeCloseTo(unused, 6);
    expect(c.shortfallHours).toBeCloseTo(short, 6);
    expect(c.rolloverHours).toBeCloseTo(roll, 6);
    expect(c.atRiskHours).toBeCloseTo(risk, 6);
    expect(c.overageHours).toBe(0);
  });

  it('dyno (PAYG): nothing delivered, zero prepaid figures, D-1\'s 8 h unplanned with a reason', () => {
    const c = client('dyno');
    expect(c.plan).toBe('payg');
    expect(delivered('dyno')).toBe(0);
    for (const f of ['balanceHours', 'forecastUnusedHours', 'shortfallHours', 'rolloverHours', 'atRiskHours', 'overageHours'] as const) {
      expect(c[f]).toBe(0);
    }
    const d1 = result.unplanned.find((u) => u.ticket === 'D-1');
    expect(d1?.hours).toBe(8);
    expect(d1?.reason).toMatch(/\S/);
    expect(result.tickets.find((t) => t.id === 'D-1')).toMatchObject({ plannedHours: 0, unplannedHours: 8, startWeek: null });
  });

  it('H-1 gets 4 of its 8 h; Q-1 and Q-2 are done', () => {
    const t = (id: string) => result.tickets.find((x) => x.id === id)!;
    expect(t('H-1')).toMatchObject({ plannedHours: 4, unplannedHours: 4, startWeek: 12, finishWeek: 12 });
    expect(t('Q-1')).toMatchObject({ plannedHours: 20, unplannedHours: 0, startWeek: 11, finishWeek: 11 });
    expect(t('Q-2')).toMatchObject({ plannedHours: 16, unplannedHours: 0, startWeek: 12, finishWeek: 12 });
  });
});
