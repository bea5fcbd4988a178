/**
 * Turns the engine's rows into the plan of SCENARIO.md, computing every figure exactly as
 * DOMAIN.md defines it (forecast, expiry and rollover).
 */
import type { Allocation, AtRiskAdvice, ClientPlan, PinIssue, PinIssueCode, Plan, StaffPlan, TicketPlan, Unplanned, WeekPlan } from './contract.ts';
import type { Row } from './assign.ts';
import type { EngineResult, MissedRate } from './engine.ts';
import { describeTakenBy, makeExplainer } from './explain.ts';
import type { MClient, MTicket, Model } from './model.ts';
import type { Policy } from './policy.ts';
import { floorQ, hoursOf, tidy } from './quarter-hours.ts';

export function buildPlan(model: Model, policy: Policy, engine: EngineResult): Omit<Plan, 'stats'> {
  const { W, current } = model;
  const names = new Map(model.clients.map((c) => [c.id, c.name]));
  const T = model.tickets.length;
  const S = model.staff.length;

  // Allocations: one row per (week, staff, ticket, level); a row holding pinned hours says so.
  // Keyed by numbers (week, person, ticket, level) and sorted by them: staff are indexed in natural
  // id order, tickets carry theirs, so no id string is compared or built.
  const slotOf = new Map<number, number>();
  const slotRow: Row[] = [];
  const slotWeek: number[] = [];
  const slotQ: number[] = [];
  const slotPinnedQ: number[] = [];
  const plannedQ = new Int32Array(T);
  const firstWeek = new Int32Array(T).fill(-1);
  const lastWeek = new Int32Array(T).fill(-1);
  /** Per ticket with hours: quarters per person. */
  const byStaff: (Map<number, number> | undefined)[] = new Array(T);
  const allocatedQ = new Int32Array(W * S);
  const byLevelQ = new Int32Array(W * 5);
  for (const wk of engine.weeks) {
    const w = wk.week;
    for (const r of wk.rows) {
      const key = ((w * S + r.staff) * T + r.ticket.idOrder) * 8 + r.level;
      let slot = slotOf.get(key);
      if (slot === undefined) {
        slot = slotRow.length;
        slotOf.set(key, slot);
        slotRow.push(r);
        slotWeek.push(w);
        slotQ.push(0);
        slotPinnedQ.push(0);
      }
      slotQ[slot]! += r.q;
      if (r.pinned) slotPinnedQ[slot]! += r.q;
      const t = r.ticket.idx;
      plannedQ[t]! += r.q;
      if (firstWeek[t]! < 0) firstWeek[t] = w;
      lastWeek[t] = w;
      const people = (byStaff[t] ??= new Map());
      people.set(r.staff, (people.get(r.staff) ?? 0) + r.q);
      allocatedQ[w * S + r.staff]! += r.q;
      byLevelQ[w * 5 + r.level - 1]! += r.q;
    }
  }
  const allocations: Allocation[] = [];
  for (const key of Float64Array.from(slotOf.keys()).sort()) {
    const slot = slotOf.get(key)!;
    const r = slotRow[slot]!;
    const q = slotQ[slot]!;
    const pinnedQ = slotPinnedQ[slot]!;
    const row: Allocation = { week: slotWeek[slot]!, staff: model.staff[r.staff]!.id, client: r.ticket.client.id, ticket: r.ticket.id, hours: hoursOf(q), level: r.level };
    if (pinnedQ > 0) {
      row.pinned = true;
      if (pinnedQ < q) row.pinnedHours = hoursOf(pinnedQ);
    }
    allocations.push(row);
  }

  // Final balance left, for explanations.
  const finalBalanceQ = new Int32Array(model.clients.length);
  for (const c of model.clients) {
    let delivered = 0;
    for (let w = current; w < W; w++) delivered += engine.deliveredQ[c.idx * W + w]!;
    finalBalanceQ[c.idx] = c.prepaid ? Math.max(0, floorQ(Math.max(0, c.balance)) - delivered) : 0;
  }
  const explainer = makeExplainer(model, policy, engine, finalBalanceQ);

  // Tickets and unplanned hours in natural id order.
  const inIdOrder: MTicket[] = new Array(T);
  for (const t of model.tickets) inIdOrder[t.idOrder] = t;
  const tickets: TicketPlan[] = [];
  const unplanned: Unplanned[] = [];
  for (const t of inIdOrder) {
    const planned = hoursOf(plannedQ[t.idx]!);
    const left = tidy(t.remaining - planned);
    const people = byStaff[t.idx];
    const last = lastWeek[t.idx]!;
    tickets.push({
      id: t.id,
      client: t.client.id,
      remainingHours: tidy(t.remaining),
      plannedHours: planned,
      unplannedHours: left,
      startWeek: last >= 0 ? firstWeek[t.idx]! : null,
      finishWeek: last >= 0 ? last : null,
      staff: people ? [...people].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([s]) => model.staff[s]!.id) : [],
      dueWeek: t.due,
      late: t.due !== null && (left > 0 || last > t.due),
    });
    if (left > 0) {
      const why = explainer.ticket(t, engine.remQ[t.idx]!, plannedQ[t.idx]!);
      unplanned.push({ ticket: t.id, client: t.client.id, hours: left, ...why });
    }
  }

  const unplannedOf = new Map<string, Unplanned[]>();
  for (const u of unplanned) {
    let list = unplannedOf.get(u.client);
    if (!list) unplannedOf.set(u.client, (list = []));
    list.push(u);
  }
  const missedOf = new Map<number, MissedRate[]>();
  for (const m of engine.missed) {
    let list = missedOf.get(m.client);
    if (!list) missedOf.set(m.client, (list = []));
    list.push(m);
  }
  const clients: ClientPlan[] = model.clients.map((c) => clientFigures(model, c, engine, names, explainer, unplannedOf.get(c.id) ?? [], missedOf.get(c.idx) ?? []));

  const staff: StaffPlan[] = model.staff.map((st) => {
    const capacity: number[] = [];
    const allocated: number[] = [];
    for (let w = 0; w < W; w++) {
      capacity.push(w < current ? hoursOf(floorQ(Math.max(0, st.weeklyHours - st.leave[w]!))) : hoursOf(st.capQ[w]!));
      allocated.push(hoursOf(allocatedQ[w * S + st.idx]!));
    }
    return { id: st.id, name: st.name, capacity, allocated, leave: st.leave.map(tidy) };
  });

  const weeks: WeekPlan[] = [];
  for (let w = 0; w < W; w++) {
    let capacity = 0;
    let allocated = 0;
    let leave = 0;
    for (const st of staff) {
      capacity += st.capacity[w]!;
      allocated += st.allocated[w]!;
      leave += st.leave[w]!;
    }
    const byLevel = [0, 1, 2, 3, 4].map((l) => hoursOf(byLevelQ[w * 5 + l]!)) as WeekPlan['byLevel'];
    weeks.push({ week: w, capacity: tidy(capacity), allocated: tidy(allocated), leave: tidy(leave), byLevel });
  }

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
  missed: readonly MissedRate[],
): ClientPlan {
  const { W, current } = model;
  const delivered: number[] = [];
  const demand: number[] = [];
  let before = 0;
  let plannedHours = 0;
  for (let w = 0; w < W; w++) {
    const d = w < current ? c.usedByWeek[w]! : hoursOf(engine.deliveredQ[c.idx * W + w]!);
    delivered.push(d);
    if (w < current) demand.push(0);
    else {
      demand.push(tidy(Math.max(0, c.presented[w]! - before)));
      before += d;
      plannedHours += d;
    }
  }
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
    const zeros = new Array<number>(W).fill(0);
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
  for (const m of missed) {
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

  const ideal: number[] = [];
  const target: number[] = [];
  for (let w = 0; w < W; w++) {
    ideal.push(hoursOf(c.idealQ[w]!));
    target.push(hoursOf(engine.rateTargetQ[c.idx * W + w]!));
  }
  return {
    id: base.id,
    name: base.name,
    plan: base.plan,
    demand: base.demand,
    delivered: base.delivered,
    usedHours: base.usedHours,
    plannedHours: base.plannedHours,
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
    ideal,
    target,
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

