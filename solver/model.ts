/**
 * The engine's view of a scenario: everything sorted (so list order never changes a plan),
 * hours turned into quarters, rates and presented work computed once.
 */
import { compareIds, floorQ, hoursOf } from './quarter-hours.ts';
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
  /** The rate as quarter hours per planned week, rounded cumulatively from the current week. */
  rateQ: Int32Array;
  /** Remaining hours of the client's tickets opened by each week (plus hours logged this week). */
  presented: number[];
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
  /** Rank in the order of DOMAIN.md: priority, due week, id. */
  rank: number;
}

export interface Model {
  quarterId: string;
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
}

/** Ticket order within a level: higher priority, then an earlier due week, then the lower id. */
export function compareTickets(a: MTicket, b: MTicket): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const da = a.due ?? Number.MAX_SAFE_INTEGER;
  const db = b.due ?? Number.MAX_SAFE_INTEGER;
  if (da !== db) return da - db;
  return compareIds(a.id, b.id);
}

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
      const leave = Array.from({ length: W }, (_, w) => st.leave[String(w)] ?? 0);
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
      const rate = Array.from({ length: W }, () => 0);
      if (prepaid) {
        for (const p of c.purchases) for (let w = p.week; w < W; w++) rate[w]! += p.hours / (W - p.week);
        // Hours rolled in count like a block bought in week 0.
        if (c.rolloverInHours > 0) for (let w = 0; w < W; w++) rate[w]! += c.rolloverInHours / W;
      }
      const rateQ = quarterHourRates(rate, current);
      return {
        idx,
        id: c.id,
        name: c.name ?? c.id,
        prepaid,
        bought: prepaid ? bought : 0,
        rolloverIn: prepaid ? c.rolloverInHours : 0,
        used,
        balance: prepaid ? bought + c.rolloverInHours - used : 0,
        usedByWeek: Array.from({ length: W }, (_, w) => c.usedByWeek[w] ?? 0),
        shortfallToDate: prepaid ? c.shortfallToDateHours : 0,
        rate,
        rateQ,
        presented: Array.from({ length: W }, () => 0),
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
    };
  });
  tickets.sort((a, b) => compareTickets(a, b));
  tickets.forEach((t, i) => {
    t.idx = i;
    t.rank = i;
    t.client.tickets.push(t);
  });

  const ticketById = new Map(tickets.map((t) => [t.id, t]));
  for (const e of s.currentWeekLog) ticketById.get(e.ticket)!.client.loggedQ += floorQ(e.hours);
  for (const c of clients) {
    for (const t of c.tickets) {
      for (let w = Math.max(t.opened, current); w < W; w++) c.presented[w]! += t.remaining;
    }
    if (c.loggedQ > 0) for (let w = current; w < W; w++) c.presented[w]! += hoursOf(c.loggedQ);
  }

  return {
    quarterId: s.quarter.id,
    startDate: s.quarter.startDate,
    W,
    current,
    staff,
    clients,
    tickets,
    skillNodes,
    staffByNode,
  };
}
