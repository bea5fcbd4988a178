/**
 * The facts of a quarter as DOMAIN.md defines them, read straight from a scenario: capacity, the
 * tickets' remaining hours, each prepaid client's rate, balance, presented work and `ideal[w]`.
 *
 * Written for the quality benchmark's LP planner from DOMAIN.md alone (nothing from solver/ but
 * the contract's types), so that it is an independent second opinion on the engine's plans.
 * Amounts that are whole quarter hours are kept as integers of quarters (`…Q`).
 */
import type { PolicyLevel, ScenarioInput } from '../../solver/contract.ts';

export const DEFAULT_LEVELS: readonly PolicyLevel[] = ['urgent-above-rate', 'payg', 'work-ahead'];

export const toQ = (hours: number): number => Math.round(hours * 4);
export const toH = (quarters: number): number => quarters / 4;
/** Rounds up to the next quarter hour, ignoring float noise below 1e-6 h. */
export const ceilQ = (hours: number): number => Math.ceil(hours * 4 - 1e-6);
export const floorQ = (hours: number): number => Math.floor(hours * 4 + 1e-6);

/** Natural id order: T-9 before T-10. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x) && /^\d/.test(y);
    if (nx && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

export interface StaffFacts {
  id: string;
  name: string;
  skills: Set<string>;
  /** max(0, weeklyHours − leave[w]), less the hours logged when w is the current week. */
  capacityQ: number[];
  leave: number[];
}

export interface TicketFacts {
  id: string;
  client: string;
  priority: 1 | 2 | 3 | 4;
  /** estimate − spent; a closed ticket has none. */
  remainingQ: number;
  /** Hours logged this week (already in spent): delivered this week. */
  loggedQ: number;
  openedWeek: number;
  /** First week it can be planned: max(openedWeek, currentWeek). */
  start: number;
  skill: string | null;
  emergency: boolean;
  due: number | null;
}

export interface ClientFacts {
  id: string;
  name: string;
  prepaid: boolean;
  boughtHours: number;
  rolloverInHours: number;
  usedHours: number;
  usedByWeek: number[];
  shortfallToDate: number;
  /** Bought (all blocks, also later ones) + rolled in − used, at currentWeek. */
  balance: number;
  /** Exact locked-in rate per week. */
  rate: number[];
  /** Remaining hours (as the current week starts) of tickets opened by week w. */
  presented: number[];
  /** DOMAIN.md ideal[w] (exact), 0 before the current week. */
  ideal: number[];
  /** Hours logged this week for the client's tickets. */
  loggedQ: number;
  tickets: TicketFacts[];
}

export interface Quarter {
  W: number;
  current: number;
  /** currentWeek … W-1 */
  weeks: number[];
  levels: readonly PolicyLevel[];
  staff: StaffFacts[];
  clients: ClientFacts[];
  clientById: Map<string, ClientFacts>;
  tickets: TicketFacts[];
  ticketById: Map<string, TicketFacts>;
  /** Skills somebody on the staff has. */
  staffSkills: Set<string>;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function readQuarter(s: ScenarioInput): Quarter {
  const W = s.quarter.weeks;
  const current = s.quarter.currentWeek ?? 0;
  const weeks = Array.from({ length: W - current }, (_, i) => current + i);
  const loggedStaff = new Map<string, number>();
  const loggedTicket = new Map<string, number>();
  for (const l of s.currentWeekLog ?? []) {
    loggedStaff.set(l.staff, (loggedStaff.get(l.staff) ?? 0) + toQ(l.hours));
    loggedTicket.set(l.ticket, (loggedTicket.get(l.ticket) ?? 0) + toQ(l.hours));
  }
  const staff = [...s.staff]
    .sort((a, b) => naturalCompare(a.id, b.id))
    .map((st): StaffFacts => {
      const leave = Array.from({ length: W }, (_, w) => st.leave?.[String(w)] ?? 0);
      const capacityQ = leave.map((l, w) => Math.max(0, toQ(st.weeklyHours) - toQ(l) - (w === current ? (loggedStaff.get(st.id) ?? 0) : 0)));
      return { id: st.id, name: st.name ?? st.id, skills: new Set(st.skills ?? []), capacityQ, leave };
    });
  const tickets = [...s.tickets]
    .sort((a, b) => naturalCompare(a.id, b.id))
    .map((t): TicketFacts => ({
      id: t.id,
      client: t.client,
      priority: t.priority,
      remainingQ: t.status === 'closed' ? 0 : Math.max(0, toQ(t.estimateHours) - toQ(t.spentHours ?? 0)),
      loggedQ: loggedTicket.get(t.id) ?? 0,
      openedWeek: t.openedWeek,
      start: Math.max(t.openedWeek, current),
      skill: t.skill ?? null,
      emergency: !!t.emergency,
      due: t.dueWeek ?? null,
    }));
  const clients = [...s.clients]
    .sort((a, b) => naturalCompare(a.id, b.id))
    .map((c): ClientFacts => {
      const own = tickets.filter((t) => t.client === c.id);
      const prepaid = c.plan === 'prepaid';
      const purchases = prepaid ? (c.purchases ?? []) : [];
      const rolloverInHours = prepaid ? (c.rolloverInHours ?? 0) : 0;
      const usedByWeek = prepaid ? (c.usedByWeek ?? []) : [];
      const boughtHours = sum(purchases.map((p) => p.hours));
      const usedHours = sum(usedByWeek);
      // Rolled-in hours count like a block bought in week 0.
      const blocks = [...purchases, ...(rolloverInHours > 0 ? [{ week: 0, hours: rolloverInHours }] : [])];
      const rate = Array.from({ length: W }, (_, w) => sum(blocks.filter((p) => p.week <= w).map((p) => p.hours / (W - p.week))));
      // Hours logged this week on a ticket that opens later count as presented from this week.
      const presented = Array.from({ length: W }, (_, w) =>
        toH(sum(own.map((t) => (t.openedWeek <= w ? t.remainingQ + t.loggedQ : w >= current ? t.loggedQ : 0)))),
      );
      const balance = boughtHours + rolloverInHours - usedHours;
      const ideal = Array.from({ length: W }, () => 0);
      let owed = 0;
      for (const w of weeks) {
        ideal[w] = prepaid ? Math.max(0, Math.min(rate[w]!, presented[w]! - owed, balance - owed)) : 0;
        owed += ideal[w]!;
      }
      return {
        id: c.id,
        name: c.name ?? c.id,
        prepaid,
        boughtHours,
        rolloverInHours,
        usedHours,
        usedByWeek,
        shortfallToDate: prepaid ? (c.shortfallToDateHours ?? 0) : 0,
        balance,
        rate: prepaid ? rate : rate.map(() => 0),
        presented,
        ideal,
        loggedQ: sum(own.map((t) => t.loggedQ)),
        tickets: own,
      };
    });
  const staffSkills = new Set(staff.flatMap((st) => [...st.skills]));
  return {
    W,
    current,
    weeks,
    levels: s.policy?.levels ?? DEFAULT_LEVELS,
    staff,
    clients,
    clientById: new Map(clients.map((c) => [c.id, c])),
    tickets,
    ticketById: new Map(tickets.map((t) => [t.id, t])),
    staffSkills,
  };
}

/**
 * DOMAIN.md level 4: a prepaid client's work above its target is overage when its presented work
 * exceeds its balance (and all of it is once the balance is used up).
 */
export function overageWeek(c: ClientFacts, w: number): boolean {
  return c.prepaid && (c.balance <= 0 || c.presented[w]! > c.balance);
}

/**
 * Cumulative quarter-hour rounding of exact weekly amounts (DOMAIN.md: 20 h over 13 weeks is
 * 1.5, 1.5, 1.5, 1.75, …): each running total is rounded to the nearest quarter, or a little more
 * when the total is not whole quarters, so that the last rounds the total up. Every week stays
 * within a quarter hour of its exact amount. Returns the rounded running totals, in quarters.
 */
export function cumulativeQuarters(exact: readonly number[]): number[] {
  const total = exact.reduce((a, b) => a + b, 0);
  const offset = Math.max(1 / 8, ceilQ(total) / 4 - total);
  let sum = 0;
  return exact.map((x) => {
    sum += x;
    return floorQ(sum + offset);
  });
}
