/**
 * The tables of shared/examples/*.md, and a plan's figures in the same columns, so a server test
 * compares the plan it serves with the hand-worked answer.
 */
import type { Plan } from '../../solver/index.ts';

/** balance, delivered (planned weeks), forecast unused, owed at the rate, shortfall, rollover, at risk. */
export type WorkedRow = [balance: number, delivered: number, forecastUnused: number, owedAtRate: number, shortfall: number, rollover: number, atRisk: number];

export function workedTable(plan: Pick<Plan, 'quarter' | 'clients'>): Record<string, WorkedRow | { delivered: number }> {
  const out: Record<string, WorkedRow | { delivered: number }> = {};
  for (const c of plan.clients) {
    const delivered = c.delivered.slice(plan.quarter.currentWeek).reduce((a, b) => a + b, 0);
    out[c.id] = c.plan === 'payg' ? { delivered } : [c.balanceHours, delivered, c.forecastUnusedHours, c.owedAtRateHours, c.shortfallHours, c.rolloverHours, c.atRiskHours];
  }
  return out;
}

export const EMERGENCY_ROLLOVER_TABLE = {
  harbor: [8, 4, 4, 8, 4, 4, 0],
  quill: [46, 36, 10, 24, 0, 0, 10],
  nimbus: [16, 0, 16, 0, 0, 0, 16],
  dyno: { delivered: 0 },
};

export const CATCH_UP_TABLE = {
  harbor: [8, 8, 0, 8, 0, 0, 0],
  quill: [46, 32, 14, 24, 0, 0, 14],
  nimbus: [16, 0, 16, 0, 0, 0, 16],
  dyno: { delivered: 0 },
};
