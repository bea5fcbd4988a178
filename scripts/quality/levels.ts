/**
 * The precedence level of each planned hour (SCENARIO.md `allocations[].level`), decided from the
 * plan as DOMAIN.md defines the levels, since the LP has no column per level: emergencies are 1;
 * a prepaid client's hours in a week fill its level-2 target (its own week plus what it is
 * behind, never above the balance left), pinned hours first, then highest priority first; above the target, urgent work
 * within the balance is 3, overage and PAYG are 4, the rest is work ahead, 5.
 */
import type { Allocation, Level } from '../../solver/contract.ts';
import { exactTarget } from './figures.ts';
import { ceilQ, naturalCompare, overageWeek, toH, toQ, type ClientFacts, type Quarter } from './quarter.ts';
import type { Piece } from './recover.ts';

/** Pins are planned right after emergencies, so their hours fill the target first; then priority. */
const order = (a: Piece, b: Piece) =>
  Number(b.pinned) - Number(a.pinned) ||
  a.ticket.priority - b.ticket.priority ||
  (a.ticket.due ?? Infinity) - (b.ticket.due ?? Infinity) ||
  naturalCompare(a.ticket.id, b.ticket.id) ||
  naturalCompare(a.staff, b.staff);

export function labelLevels(q: Quarter, pieces: readonly Piece[]): Allocation[] {
  const byClientWeek = new Map<string, Piece[]>();
  for (const p of pieces) {
    const k = `${p.ticket.client}|${p.week}`;
    byClientWeek.set(k, [...(byClientWeek.get(k) ?? []), p]);
  }
  const rows = new Map<string, Allocation>();
  const put = (p: Piece, level: Level, hoursQ: number) => {
    if (hoursQ <= 0) return;
    const key = `${p.week}|${p.staff}|${p.ticket.id}|${level}`;
    const row = rows.get(key) ?? { week: p.week, staff: p.staff, client: p.ticket.client, ticket: p.ticket.id, hours: 0, level };
    row.hours += toH(hoursQ);
    if (p.pinned) {
      row.pinned = true;
      row.pinnedHours = (row.pinnedHours ?? 0) + toH(hoursQ);
    }
    rows.set(key, row);
  };
  for (const c of q.clients) {
    let deliveredBeforeQ = 0;
    let owedBefore = c.shortfallToDate;
    for (const w of q.weeks) {
      const list = [...(byClientWeek.get(`${c.id}|${w}`) ?? [])].sort(order);
      const loggedQ = w === q.current ? c.loggedQ : 0;
      if (!c.prepaid) {
        for (const p of list) put(p, p.ticket.emergency ? 1 : 4, p.hoursQ);
        continue;
      }
      deliveredBeforeQ += labelPrepaidWeek(c, w, list, { loggedQ, deliveredBeforeQ, owedBefore }, put);
      owedBefore += c.ideal[w]!;
    }
  }
  // A row only mixes pinned and planned hours when both are present; a fully pinned row says so once.
  return [...rows.values()]
    .map((r) => (r.pinned && r.pinnedHours === r.hours ? (({ pinnedHours: _, ...rest }) => rest)(r) : r))
    .sort((a, b) => a.week - b.week || naturalCompare(a.staff, b.staff) || naturalCompare(a.ticket, b.ticket) || a.level - b.level);
}

/** Labels one prepaid client's week; returns the quarter hours it delivers (logged included). */
function labelPrepaidWeek(
  c: ClientFacts,
  w: number,
  list: Piece[],
  at: { loggedQ: number; deliveredBeforeQ: number; owedBefore: number },
  put: (p: Piece, level: Level, hoursQ: number) => void,
): number {
  const balanceLeftQ = Math.max(0, toQ(c.balance) - at.deliveredBeforeQ);
  // Rounded up: within a quarter hour of the exact target, and never above the balance left.
  const targetQ = ceilQ(exactTarget(c, w, at.owedBefore, toH(at.deliveredBeforeQ)));
  const emergencyQ = list.filter((p) => p.ticket.emergency).reduce((h, p) => h + p.hoursQ, 0);
  let rateRoomQ = Math.max(0, targetQ - at.loggedQ - emergencyQ);
  let balanceRoomQ = Math.max(0, balanceLeftQ - at.loggedQ - emergencyQ);
  let totalQ = at.loggedQ;
  for (const p of list) {
    totalQ += p.hoursQ;
    if (p.ticket.emergency) {
      put(p, 1, p.hoursQ);
      continue;
    }
    const l2 = Math.min(p.hoursQ, rateRoomQ);
    rateRoomQ -= l2;
    balanceRoomQ = Math.max(0, balanceRoomQ - l2);
    put(p, 2, l2);
    const within = Math.min(p.hoursQ - l2, balanceRoomQ);
    balanceRoomQ -= within;
    const above: Level = p.ticket.priority === 1 ? 3 : overageWeek(c, w) ? 4 : 5;
    put(p, above, within);
    put(p, 4, p.hoursQ - l2 - within);
  }
  return totalQ;
}
