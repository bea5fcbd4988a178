/**
 * The LP's recovered allocations as a full plan in SCENARIO.md's shape: allocation rows with
 * their levels, tickets, clients with DOMAIN.md's figures, staff, weeks, unplanned hours with a
 * reason a manager can act on, and the pins that could not hold.
 */
import type { ClientPlan, Plan, PinIssue, StaffPlan, TicketPlan, Unplanned, WeekPlan } from '../../solver/contract.ts';
import { labelLevels } from './levels.ts';
import type { ModelContext } from './model-context.ts';
import { skilledCapacityQ } from './model-context.ts';
import { clientFigures, plannedByClient } from './figures.ts';
import { aboveTargetLevel } from './rules/above-target.ts';
import { toH, toQ, type TicketFacts } from './quarter.ts';
import type { Recovery } from './recover.ts';

export function toPlan(ctx: ModelContext, rec: Recovery, quarterId: string, solveMs: number): Plan {
  const { q } = ctx;
  const allocations = labelLevels(q, rec.pieces);
  const perTicket = new Map<string, { hoursQ: number; weeks: number[]; byStaff: Map<string, number> }>();
  for (const p of rec.pieces) {
    const e = perTicket.get(p.ticket.id) ?? { hoursQ: 0, weeks: [] as number[], byStaff: new Map<string, number>() };
    e.hoursQ += p.hoursQ;
    e.weeks.push(p.week);
    e.byStaff.set(p.staff, (e.byStaff.get(p.staff) ?? 0) + p.hoursQ);
    perTicket.set(p.ticket.id, e);
  }
  const tickets: TicketPlan[] = [];
  const unplanned: Unplanned[] = [];
  for (const t of q.tickets) {
    const e = perTicket.get(t.id);
    const plannedQ = e?.hoursQ ?? 0;
    const finish = e ? Math.max(...e.weeks) : null;
    tickets.push({
      id: t.id,
      client: t.client,
      remainingHours: toH(t.remainingQ),
      plannedHours: toH(plannedQ),
      unplannedHours: toH(t.remainingQ - plannedQ),
      startWeek: e ? Math.min(...e.weeks) : null,
      finishWeek: finish,
      staff: e ? [...e.byStaff].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s) : [],
      dueWeek: t.due,
      late: t.due !== null && (plannedQ < t.remainingQ || (finish !== null && finish > t.due)),
    });
    if (t.remainingQ > plannedQ) unplanned.push({ ticket: t.id, client: t.client, hours: toH(t.remainingQ - plannedQ), ...why(ctx, t) });
  }
  const planned = plannedByClient(q, allocations);
  const clients: ClientPlan[] = q.clients.map((c) => {
    const f = clientFigures(q, c, planned.get(c.id)!);
    const waiting = unplanned.filter((u) => u.client === c.id);
    return {
      id: c.id,
      name: c.name,
      plan: c.prepaid ? 'prepaid' : 'payg',
      rate: f.rate,
      demand: f.demand,
      delivered: f.delivered,
      balanceHours: f.balanceHours,
      forecastUnusedHours: f.forecastUnusedHours,
      shortfallHours: f.shortfallHours,
      rolloverHours: f.rolloverHours,
      atRiskHours: f.atRiskHours,
      overageHours: f.overageHours,
      boughtHours: c.boughtHours,
      rolloverInHours: c.rolloverInHours,
      usedHours: c.usedHours,
      plannedHours: f.plannedHours,
      owedAtRateHours: f.owedAtRateHours,
      ideal: f.ideal,
      target: f.target,
      advice: {
        cause: f.atRiskHours <= 0 ? 'none' : waiting.length > 0 ? 'unplanned-work' : 'present-work',
        tickets: f.atRiskHours > 0 ? waiting.map((u) => ({ ticket: u.ticket, hours: u.hours, code: u.code, reason: u.reason })) : [],
      },
      shortfallWeeks: [],
      presentByWeek: null,
    };
  });
  const staff: StaffPlan[] = q.staff.map((s) => {
    const allocated = new Array<number>(q.W).fill(0);
    for (const a of allocations) if (a.staff === s.id) allocated[a.week]! += a.hours;
    return { id: s.id, name: s.name, capacity: s.capacityQ.map(toH), allocated, leave: s.leave };
  });
  const weeks: WeekPlan[] = Array.from({ length: q.W }, (_, w) => {
    const byLevel: WeekPlan['byLevel'] = [0, 0, 0, 0, 0];
    for (const a of allocations) if (a.week === w) byLevel[a.level - 1]! += a.hours;
    return {
      week: w,
      capacity: staff.reduce((h, s) => h + s.capacity[w]!, 0),
      allocated: byLevel.reduce((a, b) => a + b, 0),
      leave: staff.reduce((h, s) => h + s.leave[w]!, 0),
      byLevel,
    };
  });
  return {
    quarter: { id: quarterId, weeks: q.W, currentWeek: q.current },
    pinIssues: pinIssues(ctx, rec),
    policy: { levels: [...q.levels], catchUpFirst: true },
    allocations,
    tickets,
    clients,
    staff,
    weeks,
    unplanned,
    stats: { solveMs, augmentations: 0, lpSolves: 1, lpFallbacks: 0 },
  };
}

function why(ctx: ModelContext, t: TicketFacts): Pick<Unplanned, 'reason' | 'code' | 'weeks'> {
  const { q } = ctx;
  const weeks: [number, number] = [t.start, q.W - 1];
  const span = `weeks ${t.start}-${q.W - 1}`;
  if (t.start >= q.W) return { code: 'capacity', reason: 'opens after the quarter', weeks };
  if (t.skill !== null && !q.staffSkills.has(t.skill)) return { code: 'no-skill', reason: `no staff with skill '${t.skill}'`, weeks };
  const open = weeks[0] <= weeks[1] ? Array.from({ length: q.W - t.start }, (_, i) => t.start + i) : [];
  if (open.every((w) => skilledCapacityQ(q, t.skill, w) === 0)) {
    return { code: 'on-leave', reason: `everyone${t.skill ? ` with skill '${t.skill}'` : ''} is on leave in ${span}`, weeks };
  }
  const bucket = ctx.bucketOfTicket.get(t.id);
  if (bucket && !t.emergency && !q.levels.includes(aboveTargetLevel(bucket))) {
    return { code: 'policy', reason: `its level (${aboveTargetLevel(bucket)}) is not planned under this policy beyond the client's rate`, weeks };
  }
  return { code: 'capacity', reason: `the people${t.skill ? ` with skill '${t.skill}'` : ''} were busy with higher-ranked work in ${span}`, weeks };
}

function pinIssues(ctx: ModelContext, rec: Recovery): PinIssue[] {
  // A pin short of its hours: its person had nothing left after emergencies and pins, else its
  // ticket had no hours left that earlier weeks or other pins did not take.
  const takenQ = new Map<string, number>();
  for (const p of rec.pieces) {
    if (!p.pinned && !p.ticket.emergency) continue;
    const k = `${p.staff}|${p.week}`;
    takenQ.set(k, (takenQ.get(k) ?? 0) + p.hoursQ);
  }
  return ctx.pins.flatMap((p, k): PinIssue[] => {
    const held = rec.pinHeldQ[k]!;
    const wanted = toQ(p.pin.hours);
    if (held >= wanted) return [];
    const heldHours = toH(held);
    if (p.refused) return [{ pin: p.pin, heldHours, code: p.refused.code, reason: p.refused.reason }];
    const s = p.staff!;
    const left = s.capacityQ[p.pin.week]! - (takenQ.get(`${s.id}|${p.pin.week}`) ?? 0);
    if (left < 1) return [{ pin: p.pin, heldHours, code: 'capacity', reason: `${s.name} has no hours left in week ${p.pin.week} after emergencies and pins` }];
    return [{ pin: p.pin, heldHours, code: 'hours-left', reason: `${p.ticket!.id} has no more hours left for week ${p.pin.week}` }];
  });
}
