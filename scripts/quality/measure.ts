/**
 * The quality figures of a plan, whichever planner made it, measured with one ruler: the client
 * figures recomputed from the allocations as DOMAIN.md defines them (figures.ts), emergency hours,
 * idle staff-weeks, and the independent checker's violations.
 */
import type { Plan } from '../../solver/contract.ts';
import { clientFigures, plannedByClient } from './figures.ts';
import { toQ, type Quarter } from './quarter.ts';

export interface Quality {
  shortfallHours: number;
  rolloverHours: number;
  /** Rollover per prepaid client that has any. */
  rolloverByClient: Record<string, number>;
  atRiskHours: number;
  plannedHours: number;
  emergencyPlannedHours: number;
  emergencyUnplannedHours: number;
  /** (person, week) pairs with ≥ 0.25 h free while a ticket they could work waits. */
  idleStaffWeeks: number;
  violations: number;
  violationRules: Map<string, number>;
}

export interface Violation {
  rule: string;
  message: string;
}

export function measurePlan(q: Quarter, plan: Plan, violations: readonly Violation[]): Quality {
  const planned = plannedByClient(q, plan.allocations);
  let shortfall = 0;
  let rollover = 0;
  let atRisk = 0;
  const rolloverByClient: Record<string, number> = {};
  for (const c of q.clients) {
    if (!c.prepaid) continue;
    const f = clientFigures(q, c, planned.get(c.id)!);
    shortfall += f.shortfallHours;
    rollover += f.rolloverHours;
    if (f.rolloverHours > 0) rolloverByClient[c.id] = f.rolloverHours;
    atRisk += f.atRiskHours;
  }
  const byTicket = new Map<string, { hoursQ: number; last: number }>();
  const byStaffWeek = new Map<string, number>();
  let plannedQ = 0;
  for (const a of plan.allocations) {
    const e = byTicket.get(a.ticket) ?? { hoursQ: 0, last: -1 };
    e.hoursQ += toQ(a.hours);
    e.last = Math.max(e.last, a.week);
    byTicket.set(a.ticket, e);
    const k = `${a.staff}|${a.week}`;
    byStaffWeek.set(k, (byStaffWeek.get(k) ?? 0) + toQ(a.hours));
    plannedQ += toQ(a.hours);
  }
  let emergencyPlannedQ = 0;
  let emergencyUnplannedQ = 0;
  for (const t of q.tickets) {
    if (!t.emergency) continue;
    const h = byTicket.get(t.id)?.hoursQ ?? 0;
    emergencyPlannedQ += h;
    emergencyUnplannedQ += Math.max(0, t.remainingQ - h);
  }
  let idle = 0;
  for (const w of q.weeks) {
    // Skills (null: none needed) with a ticket waiting in week w: opened by then, hours left unplanned or planned later.
    const waiting = new Set<string | null>();
    for (const t of q.tickets) {
      if (t.remainingQ <= 0 || t.openedWeek > w) continue;
      const e = byTicket.get(t.id);
      if (t.remainingQ - (e?.hoursQ ?? 0) >= 1 || (e && e.last > w)) waiting.add(t.skill);
    }
    for (const s of q.staff) {
      const free = s.capacityQ[w]! - (byStaffWeek.get(`${s.id}|${w}`) ?? 0);
      if (free >= 1 && (waiting.has(null) || [...s.skills].some((k) => waiting.has(k)))) idle++;
    }
  }
  const violationRules = new Map<string, number>();
  for (const v of violations) violationRules.set(v.rule, (violationRules.get(v.rule) ?? 0) + 1);
  return {
    shortfallHours: shortfall,
    rolloverHours: rollover,
    rolloverByClient,
    atRiskHours: atRisk,
    plannedHours: plannedQ / 4,
    emergencyPlannedHours: emergencyPlannedQ / 4,
    emergencyUnplannedHours: emergencyUnplannedQ / 4,
    idleStaffWeeks: idle,
    violations: violations.length,
    violationRules,
  };
}
