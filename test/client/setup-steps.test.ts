/** The first-run checklist: its steps, and what is still missing for a first plan. */
import { describe, expect, it } from 'vitest';
import { missingForFirstPlan, setupSteps, type SetupState } from '../../client/src/composables/setup-data.ts';

const empty: SetupState = { quarter: null, activeStaff: 0, clients: 0, prepaid: 0, prepaidWithoutBlocks: [], openTickets: 0, users: 1, planVersion: null };

describe('the first-run checklist', () => {
  it('on an empty database nothing is done, and everything a plan needs is missing', () => {
    const steps = setupSteps(empty);
    expect(steps.map((s) => [s.key, s.done])).toEqual([
      ['quarter', false],
      ['staff', false],
      ['clients', false],
      ['blocks', false],
      ['tickets', false],
      ['users', false],
    ]);
    expect(missingForFirstPlan(steps, null)).toBe('Still missing for a first plan: start the quarter, add your staff, add your clients, import tickets.');
  });

  it('names the prepaid clients still without a block, which does not hold up the first plan', () => {
    const s = { ...empty, quarter: { id: '2026-Q4' }, activeStaff: 2, clients: 3, prepaid: 2, prepaidWithoutBlocks: ['Quill'], openTickets: 5, users: 3 };
    const steps = setupSteps(s);
    expect(steps.find((x) => x.key === 'blocks')).toMatchObject({ done: false, detail: 'Still without a block: Quill.' });
    expect(steps.find((x) => x.key === 'staff')?.detail).toBe('2 people with weekly hours.');
    expect(missingForFirstPlan(steps, null)).toBe('Everything is in: the first plan is being made.');
    expect(missingForFirstPlan(steps, 4)).toBeNull();
  });
});
