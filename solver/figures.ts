/**
 * Turns the engine's rows into the plan of SCENARIO.md, computing every figure exactly as
 * DOMAIN.md defines it (forecast, expiry and rollover).
 */
import type { Allocation, AtRiskAdvice, ClientPlan, PinIssue, PinIssueCode, Plan, StaffPlan, TicketPlan, Unplanned, WeekPlan } from './contract.ts';
import type { EngineResult } from './engine.ts';
import { describeTakenBy, makeExplainer } from './explain.ts';
import type { MClient, Model } from './model.ts';
import type { Policy } from './policy.ts';
import { floorQ, hoursOf, tidy } from './quarter-hours.ts';

export function buildPlan(model: Model, policy: Policy, engine: EngineResult): Omit<Plan, 'stats'> {
  const { W, current } = model;
  const names = new Map(model.clients.map((c) => [c.id, c.name]));

  // Allocations: one row per (week, staff, ticket, level); a row holding pinned hours says so.
  // Keyed by numbers (week, person, ticket, level) and sorted by them: staff are indexed in natural
  // id order, tickets carry theirs, so no id string is compared or built.
  const T = model.tickets.length;
  const S = model.staff.length;
  const merged = new Map<number, Allocation & { q: number; pinnedQ: number; order: number }>();
  const plannedQ = new Int32Array(model.tickets.length);
  const ticketWeeks = model.tickets.map(() => ({ first: -1, last: -1, byStaff: new Map<number, number>() }));
  const allocatedQ = Array.from({ length: W }, () => new Int32Array(model.staff.length));
  const byLevelQ = Array.from({ length: W }, () => [0, 0, 0, 0, 0]);
  for (const wk of engine.weeks) {
    for (const r of wk.rows) {
      const order = ((wk.week * S + r.staff) * T + r.ticket.idOrder) * 8 + r.level;
      const key = order;
      const e = merged.get(key);
      if (e) {
        e.q += r.q;
        if (r.pinned) e.pinnedQ += r.q;
      } else {
        merged.set(key, {
          week: wk.week,
          staff: model.staff[r.staff]!.id,
          client: r.ticket.client.id,
          ticket: r.ticket.id,
          hours: 0,
          level: r.level,
          q: r.q,
          pinnedQ: r.pinned ? r.q : 0,
          order,
        });
      }
      plannedQ[r.ticket.idx]! += r.q;
      const tw = ticketWeeks[r.ticket.idx]!;
      if (tw.first < 0) tw.first = wk.week;
      tw.last = wk.week;
      tw.byStaff.set(r.staff, (tw.byStaff.get(r.staff) ?? 0) + r.q);
      allocatedQ[wk.week]![r.staff]! += r.q;
      byLevelQ[wk.week]![r.level - 1]! += r.q;
    }
  }
  const allocations: Allocation[] = [...merged.values()]
    .sort((a, b) => a.order - b.order)
    .map(({ q, pinnedQ, order: _order, ...a }) => {
      const row: Allocation = { ...a, hours: hoursOf(q) };
      if (pinnedQ > 0) {
        row.pinned = true;
        if (pinnedQ < q) row.pinnedHours = hoursOf(pinnedQ);
      }
      return row;
    });

  // Final balance left, for explanations.
  const finalBalanceQ = new Int32Array(model.clients.length);
  for (const c of model.clients) {
    let delivered = 0;
    for (let w = current; w < W; w++) delivered += engine.deliveredQ[c.idx * W + w]!;
    finalBalanceQ[c.idx] = c.prepaid ? Math.max(0, floorQ(Math.max(0, c.balance)) - delivered) : 0;
  }
  const explainer = makeExplainer(model, policy, engine, finalBalanceQ);

  const tickets: TicketPlan[] = [];
  const unplanned: Unplanned[] = [];
  for (const t of model.tickets) {
    const tw = ticketWeeks[t.idx]!;
    const planned = hoursOf(plannedQ[t.idx]!);
    const left = tidy(t.remaining - planned);
    tickets.push({
      id: t.id,
      client: t.client.id,
      remainingHours: tidy(t.remaining),
      plannedHours: planned,
      unplannedHours: left,
      startWeek: tw.first >= 0 ? tw.first : null,
      finishWeek: tw.last >= 0 ? tw.last : null,
      staff: [...tw.byStaff].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([s]) => model.staff[s]!.id),
      dueWeek: t.due,
      late: t.due !== null && (left > 0 || tw.last > t.due),
    });
    if (left > 0) {
      const why = explainer.ticket(t, engine.remQ[t.idx]!, plannedQ[t.idx]!);
      unplanned.push({ ticket: t.id, client: t.client.id, hours: left, ...why });
    }
  }
  const idOrder = new Map(model.tickets.map((t) => [t.id, t.idOrder]));
  tickets.sort((a, b) => idOrder.get(a.id)! - idOrder.get(b.id)!);
  unplanned.sort((a, b) => idOrder.get(a.ticket)! - idOrder.get(b.ticket)!);

  const unplannedOf = new Map<string, Unplanned[]>();
  for (const u of unplanned) {
    let list = unplannedOf.get(u.client);
    if (!list) unplannedOf.set(u.client, (list = []));
    list.push(u);
  }
  const clients: ClientPlan[] = model.clients.map((c) => clientFigures(model, c, engine, names, explainer, unplannedOf.get(c.id) ?? []));

  const staff: StaffPlan[] = model.staff.map((st) => ({
    id: st.id,
    name: st.name,
    capacity: Array.from({ length: W }, (_, w) => (w < current ? hoursOf(floorQ(Math.max(0, st.weeklyHours - st.leave[w]!))) : hoursOf(st.capQ[w]!))),
    allocated: Array.from({ length: W }, (_, w) => hoursOf(allocatedQ[w]![st.idx]!)),
    leave: st.leave.map((h) => tidy(h)),
  }));

  const weeks: WeekPlan[] = Array.from({ length: W }, (_, w) => ({
    week: w,
    capacity: tidy(staff.reduce((sum, s) => sum + s.capacity[w]!, 0)),
    allocated: tidy(staff.reduce((sum, s) => sum + s.allocated[w]!, 0)),
    leave: tidy(staff.reduce((sum, s) => sum + s.leave[w]!, 0)),
    byLevel: byLevelQ[w]!.map(hoursOf) as WeekPlan['byLevel'],
  }));

  return {
    quarter: { id: model.quarterId, weeks: W, currentWeek: current, ...(model.startDate ? { startDate: model.startDate } : {}) },
    pinIssues: pinIssues(model, engine),
    policy: { levels: [...policy.levels], catchUpFirst: policy.catchUpFirst },
    allocations,
    tickets,
    clients,
    staff,
    weeks,
    unplanned,
  };
}

function clientFigures(
  model: Model,
  c: MClient,
  engine: EngineResult,
  names: ReadonlyMap<string, string>,
  explainer: ReturnType<typeof makeExplainer>,
  unplanned: readonly Unplanned[],
): ClientPlan {
  const { W, current } = model;
  const delivered = Array.from({ length: W }, (_, w) => (w < current ? c.usedByWeek[w]! : hoursOf(engine.deliveredQ[c.idx * W + w]!)));
  const demand = Array.from({ length: W }, () => 0);
  let before = 0;
  for (let w = current; w < W; w++) {
    demand[w] = tidy(Math.max(0, c.presented[w]! - before));
    before += delivered[w]!;
  }
  const plannedHours = delivered.slice(current).reduce((a, b) => a + b, 0);
  const base = {
    id: c.id,
    name: c.name,
    plan: c.prepaid ? ('prepaid' as const) : ('payg' as const),
    demand,
    delivered: delivered.map(tidy),
    usedHours: tidy(c.used),
    plannedHours: tidy(plannedHours),
  };
  if (!c.prepaid) {
    const zeros = Array.from({ length: W }, () => 0);
    return {
      ...base,
      rate: zeros,
      balanceHours: 0,
      forecastUnusedHours: 0,
      shortfallHours: 0,
      rolloverHours: 0,
      atRiskHours: 0,
      overageHours: 0,
      boughtHours: 0,
      rolloverInHours: 0,
      owedAtRateHours: 0,
      ideal: zeros,
      target: zeros,
      advice: { cause: 'none', tickets: [] },
      shortfallWeeks: [],
      presentByWeek: null,
    };
  }
  // Every figure in quarters: exact sums, shortfall rounded up (in the client's favour).
  let deliveredQ = 0;
  let owedQ = 0;
  for (let w = current; w < W; w++) {
    deliveredQ += engine.deliveredQ[c.idx * W + w]!;
    owedQ += c.idealQ[w]!;
  }
  const balanceQ = Math.round(c.balance * 4);
  const shortfallQ = Math.max(0, c.shortfallToDateQ + owedQ - deliveredQ);
  const forecastQ = Math.max(0, balanceQ - deliveredQ);
  const rolloverQ = Math.min(forecastQ, shortfallQ);
  const atRiskQ = forecastQ - rolloverQ;
  const overageQ = Math.max(0, deliveredQ - balanceQ);

  const shortfallWeeks = [];
  for (const m of engine.missed) {
    if (m.client !== c.idx) continue;
    const missedQ = engine.rateTargetQ[c.idx * W + m.week]! - engine.deliveredQ[c.idx * W + m.week]!;
    if (missedQ <= 0) continue;
    const { takenBy, rest } = explainer.takenIn(m.week, m.nodes, c.idx);
    const noSkill = m.nodes.filter((k) => k > 0 && model.staffByNode[k]!.length === 0).map((k) => model.skillNodes[k]!);
    const reason =
      takenBy.length > 0
        ? `capacity went to ${describeTakenBy(takenBy, names, undefined, rest)}`
        : noSkill.length > 0
          ? `no staff with skill ${noSkill.map((k) => `'${k}'`).join(', ')}`
          : 'no staff available (leave)';
    shortfallWeeks.push({ week: m.week, hours: hoursOf(missedQ), reason, takenBy, ...(rest ? { takenByRest: rest } : {}) });
  }

  return {
    ...base,
    rate: c.rate.map(tidy),
    balanceHours: tidy(c.balance),
    forecastUnusedHours: hoursOf(forecastQ),
    shortfallHours: hoursOf(shortfallQ),
    rolloverHours: hoursOf(rolloverQ),
    atRiskHours: hoursOf(atRiskQ),
    overageHours: hoursOf(overageQ),
    boughtHours: tidy(c.bought),
    rolloverInHours: tidy(c.rolloverIn),
    owedAtRateHours: hoursOf(owedQ),
    ideal: Array.from(c.idealQ, hoursOf),
    target: Array.from({ length: W }, (_, w) => hoursOf(engine.rateTargetQ[c.idx * W + w]!)),
    advice: adviceFor(atRiskQ, unplanned),
    shortfallWeeks,
    presentByWeek: presentBy(c, delivered, hoursOf(atRiskQ), current, W),
  };
}

/**
 * Why hours are at risk (DOMAIN.md: advice matches the cause): work the client presented is left
 * unplanned (it should talk to the company), or it has not presented enough (present more by
 * the present-by week). Tickets too small to plan are not a cause.
 */
function adviceFor(atRiskQ: number, unplanned: readonly Unplanned[]): AtRiskAdvice {
  if (atRiskQ <= 0) return { cause: 'none', tickets: [] };
  const left = unplanned.filter((u) => u.code !== 'too-small');
  if (left.length === 0) return { cause: 'present-work', tickets: [] };
  return { cause: 'unplanned-work', tickets: left.map((u) => ({ ticket: u.ticket, hours: u.hours, code: u.code, reason: u.reason })) };
}

/** Each pin that could not hold in full, with what it held and why (SCENARIO.md `pinIssues`). */
function pinIssues(model: Model, engine: EngineResult): PinIssue[] {
  const out: PinIssue[] = [];
  model.pins.forEach((p, i) => {
    const outcome = engine.pins[i];
    const held = outcome?.heldQ ?? 0;
    if (!p.problem && held >= p.q) return;
    let code: PinIssueCode;
    let reason: string;
    if (p.problem) ({ code, reason } = p.problem);
    else if (!outcome) [code, reason] = ['capacity', `not planned in week ${p.week}`];
    else if (held < Math.min(p.q, outcome.remainingQ)) {
      code = 'capacity';
      reason = `${p.staff!.name} had only ${hoursOf(held)} h free in week ${p.week} after emergencies and other pins`;
    } else {
      code = 'hours-left';
      reason = `${p.ticket!.id} had only ${hoursOf(outcome.remainingQ)} h left in week ${p.week}`;
    }
    out.push({ pin: { ...p.input }, heldHours: hoursOf(held), code, reason });
  });
  return out;
}

/**
 * The last week from which the client's unused rate still covers the at-risk hours: tasks
 * presented by then can be worked at the locked-in rate before the quarter ends.
 */
function presentBy(c: MClient, delivered: number[], atRisk: number, current: number, W: number): number | null {
  if (atRisk <= 0) return null;
  let room = 0;
  for (let w = W - 1; w >= current; w--) {
    room += Math.max(0, c.rate[w]! - delivered[w]!);
    if (room >= atRisk - 1e-9) return w;
  }
  return current;
}

