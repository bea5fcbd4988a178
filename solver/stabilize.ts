/**
 * Stable re-plans (issue 8): after a week is split among people, trades that bring it closer to
 * the plan in force, row for row. A trade moves q quarters between two people: person a gives
 * ticket x (at its level) to b and takes ticket y (at its level) from b, where a had y in the
 * plan in force. Every ticket keeps its hours at every level and every person their hours, so
 * the week's figures and everyone's free hours are the flow's. Only a person whose flow already
 * has work of y's skill node at y's level may take y (and b likewise for x): nobody gets a kind
 * of work the flow did not give them, so the rules that ask person by person whether they could
 * have done something more urgent still hold (whoever can work a ticket left waiting only has
 * work planned before it), and nobody gets a ticket while a more urgent one of the same client
 * that they could work waits. Emergencies and pinned hours are never traded.
 *
 * A trade is made only where it lowers the number of the week's (staff, ticket) rows whose
 * hours differ from the plan in force.
 */
import type { Level } from './contract.ts';
import type { Row } from './assign.ts';
import type { WeekFlow } from './flow.ts';
import type { MTicket, Share } from './model.ts';

/** Passes over a week's rows at most (each pass makes every improving swap it finds). */
const MAX_PASSES = 4;
const LEVELS: readonly Level[] = [2, 3, 4, 5];

export function stabilizeWeek(
  rows: Row[],
  flow: WeekFlow,
  phaseLevels: readonly Level[],
  /** People who had the ticket this week in the plan in force, all levels together. */
  previousOf: (t: MTicket) => readonly Share[],
  waitingPriority: (client: number, s: number) => number,
): Row[] {
  const S = flow.S;
  // Cells: (staff, ticket, level) → quarters; totals per (staff, ticket).
  const cell = new Map<string, { staff: number; ticket: MTicket; level: Level; q: number }>();
  const cur = new Map<number, number>();
  const prev = new Map<number, number>();
  const tickets = new Map<number, MTicket>();
  const fixed: Row[] = [];
  const key2 = (s: number, t: MTicket) => t.idx * S + s;
  for (const r of rows) {
    if (r.pinned || r.level === 1) {
      fixed.push(r);
      continue;
    }
    const k = `${r.staff}|${r.ticket.idx}|${r.level}`;
    const c = cell.get(k);
    if (c) c.q += r.q;
    else cell.set(k, { staff: r.staff, ticket: r.ticket, level: r.level, q: r.q });
    tickets.set(r.ticket.idx, r.ticket);
  }
  for (const r of rows) cur.set(key2(r.staff, r.ticket), (cur.get(key2(r.staff, r.ticket)) ?? 0) + r.q);
  for (const t of tickets.values()) for (const x of previousOf(t)) prev.set(key2(x.s, t), (prev.get(key2(x.s, t)) ?? 0) + x.q);
  // Previous tickets of each person (among those with rows this week).
  const prevTickets = new Map<number, MTicket[]>();
  for (const t of tickets.values()) {
    for (const x of previousOf(t)) {
      if (x.q <= 0) continue;
      let list = prevTickets.get(x.s);
      if (!list) prevTickets.set(x.s, (list = []));
      if (!list.includes(t)) list.push(t);
    }
  }
  if (prevTickets.size === 0) return rows;
  // Cells of each (ticket, level), to find who holds y.
  const byTicketLevel = new Map<string, Set<string>>();
  for (const [k, c] of cell) {
    const tl = `${c.ticket.idx}|${c.level}`;
    let set = byTicketLevel.get(tl);
    if (!set) byTicketLevel.set(tl, (set = new Set()));
    set.add(k);
  }
  const support = (s: number, node: number, level: Level): boolean => {
    for (let ph = 0; ph < phaseLevels.length; ph++) if (phaseLevels[ph] === level && flow.flow[ph]![node * S + s]! > 0) return true;
    return false;
  };
  const allowed = (s: number, t: MTicket, level: Level): boolean =>
    flow.canServe(t.skillNode, s) && support(s, t.skillNode, level) && !(waitingPriority(t.client.idx, s) < t.priority);
  const off = (s: number, t: MTicket, d: number): number => {
    const k = key2(s, t);
    return (cur.get(k) ?? 0) + d !== (prev.get(k) ?? 0) ? 1 : 0;
  };
  const bump = (s: number, t: MTicket, level: Level, d: number) => {
    const k = key2(s, t);
    cur.set(k, (cur.get(k) ?? 0) + d);
    const ck = `${s}|${t.idx}|${level}`;
    let c = cell.get(ck);
    if (!c) {
      cell.set(ck, (c = { staff: s, ticket: t, level, q: 0 }));
      const tl = `${t.idx}|${level}`;
      let set = byTicketLevel.get(tl);
      if (!set) byTicketLevel.set(tl, (set = new Set()));
      set.add(ck);
    }
    c.q += d;
  };

  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let moved = false;
    for (const cx of [...cell.values()]) {
      const a = cx.staff;
      const x = cx.ticket;
      const L = cx.level;
      if (cx.q <= 0) continue;
      const dax = (cur.get(key2(a, x)) ?? 0) - (prev.get(key2(a, x)) ?? 0);
      if (dax <= 0) continue; // a has no more of x than before
      for (const y of prevTickets.get(a) ?? []) {
        if (y === x || cx.q <= 0) continue;
        const day = (cur.get(key2(a, y)) ?? 0) - (prev.get(key2(a, y)) ?? 0);
        if (day >= 0) continue; // a already has all of y it had
        for (const Ly of LEVELS) {
        if (!allowed(a, y, Ly)) continue;
        for (const ck of byTicketLevel.get(`${y.idx}|${Ly}`) ?? []) {
          const cy = cell.get(ck)!;
          const b = cy.staff;
          if (b === a || cy.q <= 0 || cx.q <= 0) continue;
          if (!allowed(b, x, L)) continue;
          const dby = (cur.get(key2(b, y)) ?? 0) - (prev.get(key2(b, y)) ?? 0);
          const dbx = (cur.get(key2(b, x)) ?? 0) - (prev.get(key2(b, x)) ?? 0);
          const limit = Math.min(cx.q, cy.q);
          let bestQ = 0;
          let bestGain = 0;
          const before = off(a, x, 0) + off(a, y, 0) + off(b, y, 0) + off(b, x, 0);
          for (const q of [dax, -day, dby, -dbx]) {
            if (q <= 0 || q > limit) continue;
            const gain = before - (off(a, x, -q) + off(a, y, q) + off(b, y, -q) + off(b, x, q));
            if (gain > bestGain || (gain === bestGain && gain > 0 && q < bestQ)) {
              bestGain = gain;
              bestQ = q;
            }
          }
          if (bestGain <= 0) continue;
          bump(a, x, L, -bestQ);
          bump(a, y, Ly, bestQ);
          bump(b, y, Ly, -bestQ);
          bump(b, x, L, bestQ);
          moved = true;
          if ((cur.get(key2(a, x)) ?? 0) - (prev.get(key2(a, x)) ?? 0) <= 0) break;
        }
        }
        if ((cur.get(key2(a, x)) ?? 0) - (prev.get(key2(a, x)) ?? 0) <= 0) break;
      }
    }
    if (!moved) break;
  }
  const out: Row[] = [];
  for (const c of cell.values()) if (c.q > 0) out.push({ staff: c.staff, ticket: c.ticket, level: c.level, q: c.q });
  return [...out, ...fixed];
}
