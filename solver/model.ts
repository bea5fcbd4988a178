/**
 * The engine's view of a scenario: everything sorted (so list order never changes a plan),
 * hours turned into quarters, rates and presented work computed once.
 */
import type { PinInput, PinIssueCode } from './contract.ts';
import { cumulativeFrom, idealByWeek } from './owed.ts';
import { ceilQ, compareIds, floorQ, hoursOf, sortByIds } from './quarter-hours.ts';
import type { Scenario } from './validate.ts';

export interface MStaff {
  idx: number;
  id: string;
  name: string;
  weeklyHours: number;
  skills: string[];
  /** Skill nodes this person serves (always includes node 0, "any skill"). */
  skillNodes: number[];
  leave: number[];
  /** Planning capacity per week, in quarters (current week net of hours already logged). */
  capQ: Int32Array;
  loggedQ: number;
}

export interface MClient {
  idx: number;
  id: string;
  name: string;
  prepaid: boolean;
  bought: number;
  rolloverIn: number;
  used: number;
  balance: number;
  usedByWeek: number[];
  shortfallToDate: number;
  /** Locked-in rate per week, exact (DOMAIN.md: Σ H / (W − p) over blocks bought by w). */
  rate: number[];
  /** Remaining hours of the client's tickets opened by each week (plus hours logged this week). */
  presented: number[];
  /** DOMAIN.md's ideal[w] (owed at the rate), exact. */
  ideal: number[];
  /** ideal[w] in quarter hours, rounded cumulatively from the current week (the last week rounds the total up). */
  idealQ: Int32Array;
  /** Σ idealQ[current … w−1], per week w (so idealBeforeQ[current] = 0). */
  idealBeforeQ: Int32Array;
  /** Shortfall to date in quarters (rounded up, in the client's favour). */
  shortfallToDateQ: number;
  /** Per week: presented[w] > balance, so work above the target is overage (level 4). */
  overage: Uint8Array;
  /** Hours logged this week on the client's tickets. */
  loggedQ: number;
  tickets: MTicket[];
}

export interface MTicket {
  idx: number;
  id: string;
  title: string;
  client: MClient;
  /** 1 for emergencies whatever the priority field says. */
  priority: number;
  emergency: boolean;
  opened: number;
  /** First week the ticket can be worked: max(openedWeek, currentWeek). */
  startWeek: number;
  due: number | null;
  skill: string | null;
  skillNode: number;
  /** Remaining hours (estimate − spent, 0 when closed). */
  remaining: number;
  remQ: number;
  /** Rank in the order of DOMAIN.md (see rankTickets), re-ranked among open tickets every week. */
  rank: number;
  /** Position in natural id order among all tickets (T-9 before T-10). */
  idOrder: number;
  /** Some ticket of the same client and priority has a due week (so due weeks may reorder them). */
  dueGroup: boolean;
  closed: boolean;
}

/** Quarters of a ticket a person had (in the plan in force) or may take first. */
export interface Share {
  s: number;
  q: number;
}

/** A pin, resolved against the scenario; `problem` when it cannot hold at all. */
export interface MPin {
  input: PinInput;
  ticket: MTicket | null;
  staff: MStaff | null;
  week: number;
  q: number;
  problem: { code: PinIssueCode; reason: string } | null;
}

export interface Model {
  quarterId: string;
  /** Tickets by priority, then natural id order: the places of DOMAIN.md's order (rankTickets). */
  byPlace: MTicket[];
  /** Each due group's tickets (a client's of one priority, some with a due week) in due-week order, by dueKey. */
  dueOrder: Map<number, MTicket[]>;
  startDate: string | undefined;
  W: number;
  current: number;
  staff: MStaff[];
  clients: MClient[];
  tickets: MTicket[];
  /** Skill node names; node 0 is "any skill". */
  skillNodes: string[];
  /** Staff able to serve each skill node. */
  staffByNode: number[][];
  pins: MPin[];
  /** The plan in force: people and their quarters (most first), keyed by previousKey(week, ticket, level). */
  previous: Map<number, Share[]>;
}

/**
 * Ticket order within a level (DOMAIN.md): higher priority first, then the lowest ticket id in
 * natural order; and "a due week can move a ticket ahead of same-priority work of the same
 * client". So each client's tickets of one priority keep the places their ids give them among
 * everyone's, and fill those places in due-week order (earlier due week first, then id): a due
 * week reorders a client's own work, never its place among other clients'. Returns the places
 * (the tickets by priority, then natural id order).
 */
export function rankTickets(tickets: MTicket[]): MTicket[] {
  const places = [...tickets].sort(byPlace);
  // Only a client's tickets with a due week can move: groups without one keep their places.
  const groups = new Map<number, MTicket[]>();
  for (const t of places) {
    if (!t.dueGroup) continue;
    const key = dueKey(t);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(t);
  }
  const fillers = new Map<MTicket, MTicket>();
  for (const g of groups.values()) {
    const order = [...g].sort(byDue);
    g.forEach((place, i) => fillers.set(place, order[i]!));
  }
  tickets.length = 0;
  for (const place of places) tickets.push(fillers.get(place) ?? place);
  return places;
}

/**
 * rankTickets for the tickets open in a week, in place order already (a filter of byPlace): the
 * same order, with each due group's places filled from its due-week order (model.dueOrder)
 * skipping the tickets not open.
 */
export function rankOpen(model: Model, open: readonly MTicket[], isOpen: (t: MTicket) => boolean): MTicket[] {
  const out: MTicket[] = [];
  const next = new Map<number, number>();
  for (const place of open) {
    if (!place.dueGroup) {
      out.push(place);
      continue;
    }
    const key = dueKey(place);
    const order = model.dueOrder.get(key)!;
    let i = next.get(key) ?? 0;
    while (!isOpen(order[i]!)) i++;
    out.push(order[i]!);
    next.set(key, i + 1);
  }
  return out;
}

const byPlace = (a: MTicket, b: MTicket) => a.priority - b.priority || a.idOrder - b.idOrder;
const byDue = (a: MTicket, b: MTicket) => (a.due ?? Number.MAX_SAFE_INTEGER) - (b.due ?? Number.MAX_SAFE_INTEGER) || a.idOrder - b.idOrder;
const dueKey = (t: MTicket) => t.client.idx * 8 + t.priority;

/**
 * The rate as whole quarter hours per planned week: the cumulative exact rate plus a constant
 * offset, rounded down. With offset 1/8 that is rounding to nearest (20 h over 13 weeks: 1.5,
 * 1.5, 1.5, 1.75, …); when the total is not a whole number of quarters the offset grows just
 * enough for the last week to round the total up. So every week stays within a quarter hour of
 * the exact rate, and the quarter's quarter hours are never fewer than the exact rate's hours:
 * rounding never creates shortfall.
 */
export function quarterHourRates(rate: readonly number[], current: number): Int32Array {
  const W = rate.length;
  const out = new Int32Array(W);
  let total = 0;
  for (let w = current; w < W; w++) total += rate[w]!;
  const f = total * 4 - Math.floor(total * 4 + 1e-9);
  const offset = f < 1e-9 ? 0.125 : Math.max(0.125, (1 - f) / 4);
  let cumulative = 0;
  let prev = 0;
  for (let w = current; w < W; w++) {
    cumulative += rate[w]!;
    const q = Math.floor((cumulative + offset) * 4 + 1e-9);
    out[w] = Math.max(0, q - prev);
    prev = q;
  }
  return out;
}

export function buildModel(s: Scenario): Model {
  const W = s.quarter.weeks;
  const current = s.quarter.currentWeek;

  const skillSet = new Set<string>();
  for (const st of s.staff) for (const k of st.skills) skillSet.add(k);
  for (const t of s.tickets) if (t.skill) skillSet.add(t.skill);
  const skillNodes = ['', ...[...skillSet].sort(compareIds)];
  const nodeOf = new Map(skillNodes.map((k, i) => [k, i]));

  const loggedByStaff = new Map<string, number>();
  for (const e of s.currentWeekLog) loggedByStaff.set(e.staff, (loggedByStaff.get(e.staff) ?? 0) + e.hours);

  const staff: MStaff[] = [...s.staff]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((st, idx) => {
      const skills = [...new Set(st.skills)].sort(compareIds);
      const leave = new Array<number>(W).fill(0);
      for (let w = 0; w < W; w++) leave[w] = st.leave[String(w)] ?? 0;
      const loggedQ = floorQ(loggedByStaff.get(st.id) ?? 0);
      const capQ = new Int32Array(W);
      for (let w = 0; w < W; w++) {
        const q = floorQ(Math.max(0, st.weeklyHours - leave[w]!));
        capQ[w] = w === current ? Math.max(0, q - loggedQ) : q;
      }
      return {
        idx,
        id: st.id,
        name: st.name ?? st.id,
        weeklyHours: st.weeklyHours,
        skills,
        skillNodes: [0, ...skills.map((k) => nodeOf.get(k)!)],
        leave,
        capQ,
        loggedQ,
      };
    });
  const staffByNode = skillNodes.map(() => [] as number[]);
  for (const st of staff) for (const k of st.skillNodes) staffByNode[k]!.push(st.idx);

  const clients: MClient[] = [...s.clients]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((c, idx) => {
      const prepaid = c.plan === 'prepaid';
      const bought = c.purchases.reduce((sum, p) => sum + p.hours, 0);
      const used = c.usedByWeek.reduce((sum, h) => sum + h, 0);
      const rate = new Array<number>(W).fill(0);
      if (prepaid) {
        for (const p of c.purchases) for (let w = p.week; w < W; w++) rate[w]! += p.hours / (W - p.week);
        // Hours rolled in count like a block bought in week 0.
        if (c.rolloverInHours > 0) for (let w = 0; w < W; w++) rate[w]! += c.rolloverInHours / W;
      }
      return {
        idx,
        id: c.id,
        name: c.name ?? c.id,
        prepaid,
        bought: prepaid ? bought : 0,
        rolloverIn: prepaid ? c.rolloverInHours : 0,
        used,
        balance: prepaid ? bought + c.rolloverInHours - used : 0,
        usedByWeek: weekly(W, c.usedByWeek),
        shortfallToDate: prepaid ? c.shortfallToDateHours : 0,
        rate,
        presented: new Array<number>(W).fill(0),
        ideal: [],
        idealQ: new Int32Array(W),
        idealBeforeQ: new Int32Array(W),
        shortfallToDateQ: prepaid ? ceilQ(c.shortfallToDateHours) : 0,
        overage: new Uint8Array(W),
        loggedQ: 0,
        tickets: [],
      };
    });
  const clientById = new Map(clients.map((c) => [c.id, c]));

  const tickets: MTicket[] = s.tickets.map((t, idx) => {
    const client = clientById.get(t.client)!;
    const remaining = t.status === 'closed' ? 0 : Math.max(0, t.estimateHours - t.spentHours);
    return {
      idx,
      id: t.id,
      title: t.title ?? t.id,
      client,
      priority: t.emergency ? 1 : t.priority,
      emergency: t.emergency,
      opened: t.openedWeek,
      startWeek: Math.max(t.openedWeek, current),
      due: t.dueWeek ?? null,
      skill: t.skill ?? null,
      skillNode: t.skill ? nodeOf.get(t.skill)! : 0,
      remaining,
      remQ: floorQ(remaining),
      rank: 0,
      idOrder: 0,
      dueGroup: false,
      closed: t.status === 'closed',
    };
  });
  sortByIds(tickets, (t) => t.id).forEach((t, i) => (t.idOrder = i));
  const dueGroups = new Set(tickets.filter((t) => t.due !== null).map((t) => t.client.idx * 8 + t.priority));
  for (const t of tickets) t.dueGroup = dueGroups.has(t.client.idx * 8 + t.priority);
  const byPlaceOrder = rankTickets(tickets);
  tickets.forEach((t, i) => {
    t.idx = i;
    t.rank = i;
    t.client.tickets.push(t);
  });

  const dueOrder = new Map<number, MTicket[]>();
  for (const t of tickets) {
    if (!t.dueGroup) continue;
    const g = dueOrder.get(dueKey(t));
    if (g) g.push(t);
    else dueOrder.set(dueKey(t), [t]);
  }
  for (const g of dueOrder.values()) g.sort(byDue);

  const ticketById = new Map(tickets.map((t) => [t.id, t]));
  for (const e of s.currentWeekLog) ticketById.get(e.ticket)!.client.loggedQ += floorQ(e.hours);
  for (const c of clients) {
    for (const t of c.tickets) {
      for (let w = Math.max(t.opened, current); w < W; w++) c.presented[w]! += t.remaining;
    }
    if (c.loggedQ > 0) for (let w = current; w < W; w++) c.presented[w]! += hoursOf(c.loggedQ);
    c.ideal = idealByWeek(c, W, current);
    c.idealQ = quarterHourRates(c.ideal, current);
    const before = cumulativeFrom(c.idealQ, current);
    for (let w = current; w < W; w++) c.idealBeforeQ[w] = w > current ? before[w - 1]! : 0;
    if (c.prepaid) for (let w = current; w < W; w++) c.overage[w] = c.presented[w]! > c.balance + 1e-9 ? 1 : 0;
  }

  const staffById = new Map(staff.map((st) => [st.id, st]));
  const pins = s.pins.map((p) => resolvePin(p, ticketById.get(p.ticket) ?? null, staffById.get(p.staff) ?? null, W, current));

  // Among equal plans, tickets stay with the people who had them in the plan in force: shares
  // per (week, ticket, level), level 0 for rows that do not say (see previousKey).
  const T = tickets.length;
  const prevQ = new Map<number, Map<number, number>>();
  for (const r of s.previous) {
    const t = ticketById.get(r.ticket);
    const st = staffById.get(r.staff);
    if (!t || !st || r.week < current || r.week >= W || !(r.hours > 0)) continue;
    const key = previousKey(T, r.week, t.idx, r.level ?? 0);
    let m = prevQ.get(key);
    if (!m) prevQ.set(key, (m = new Map()));
    m.set(st.idx, (m.get(st.idx) ?? 0) + r.hours);
  }
  const previous = new Map<number, Share[]>();
  for (const [key, m] of prevQ) {
    previous.set(
      key,
      [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([idx, hours]) => ({ s: idx, q: floorQ(hours) })),
    );
  }

  return {
    byPlace: byPlaceOrder,
    dueOrder,
    quarterId: s.quarter.id,
    startDate: s.quarter.startDate,
    W,
    current,
    staff,
    clients,
    tickets,
    skillNodes,
    staffByNode,
    pins,
    previous,
  };
}

/** A week-indexed list of W entries, 0 where `values` has none. */
function weekly(W: number, values: readonly number[]): number[] {
  const out = new Array<number>(W).fill(0);
  for (let w = 0; w < W && w < values.length; w++) out[w] = values[w] ?? 0;
  return out;
}

/** Key of the plan in force's shares of a ticket in a week at a level (0: rows without a level). */
export const previousKey = (T: number, week: number, ticket: number, level: number): number => (week * T + ticket) * 6 + level;

function resolvePin(p: PinInput, t: MTicket | null, st: MStaff | null, W: number, current: number): MPin {
  const q = floorQ(p.hours);
  const base = { input: p, ticket: t, staff: st, week: p.week, q };
  const problem = (code: PinIssueCode, reason: string): MPin => ({ ...base, problem: { code, reason } });
  if (!t) return problem('unknown-ticket', `unknown ticket "${p.ticket}"`);
  if (!st) return problem('unknown-staff', `unknown staff member "${p.staff}"`);
  if (p.week < 0 || p.week >= W) return problem('outside-quarter', `week ${p.week} is outside the quarter (weeks 0 to ${W - 1})`);
  if (p.week < current) return problem('past-week', `week ${p.week} is in the past (the current week is ${current})`);
  if (t.remQ <= 0) return problem(t.closed ? 'closed' : 'hours-left', t.closed ? `${t.id} is closed` : `${t.id} has no hours left`);
  if (t.opened > p.week) return problem('not-open-yet', `${t.id} opens in week ${t.opened}`);
  if (t.skill && !st.skills.includes(t.skill)) return problem('no-skill', `${st.name} lacks skill '${t.skill}'`);
  return { ...base, problem: null };
}
