/**
 * From the LP's solution to who does what, week by week, through a small max-flow over skills and
 * people (week-flow.ts): pins first; then each bucket's hours rounded down to quarter hours, which
 * keeps every capacity row true, so they all route; then the quarter hours that rounding lost
 * (where the LP's cumulative hours, rounded up, are not reached yet; carried on to later weeks
 * until they are), best-valued buckets first. A bucket's hours go to its tickets in id order, and
 * each skill's hours are split over its people largest first, so few tickets are shared.
 */
import type { Bucket, ModelContext } from './model-context.ts';
import { ceilQ, floorQ, type ClientFacts, type TicketFacts } from './quarter.ts';
import { BEHIND_WEIGHT } from './rules/locked-in-rate.ts';
import { WeekFlow } from './week-flow.ts';

export interface Piece {
  week: number;
  staff: string;
  ticket: TicketFacts;
  hoursQ: number;
  pinned: boolean;
}

export interface Recovery {
  pieces: Piece[];
  /** Quarter hours each pin held, in ctx.pins order. */
  pinHeldQ: number[];
  /** Quarter hours the LP planned that could not be routed (0 when the capacity rows hold). */
  unroutedQ: number;
}

export function recoverPlan(ctx: ModelContext, values: Float64Array): Recovery {
  const { q } = ctx;
  const pieces: Piece[] = [];
  const pinHeldQ = ctx.pins.map(() => 0);
  const ticketLeft = new Map(q.tickets.map((t) => [t.id, t.remainingQ]));
  // Hours of a ticket held for its pins in later weeks: a bucket's other hours must not use them.
  const reserved = new Map<string, number>();
  for (const p of ctx.pins) if (p.col !== undefined) reserved.set(p.ticket!.id, (reserved.get(p.ticket!.id) ?? 0) + floorQ(values[p.col]!));
  const plannedQ = ctx.buckets.map(() => 0);
  const leftQ = ctx.buckets.map((b) => b.tickets.reduce((h, t) => h - (reserved.get(t.id) ?? 0), b.hoursQ));
  const lpCum = ctx.buckets.map(() => 0);
  const lpClient = new Map<ClientFacts, number>();
  const clientPlanned = new Map<ClientFacts, number>();
  let unroutedQ = 0;
  for (const w of q.weeks) {
    const free = q.staff.map((s) => s.capacityQ[w]!);
    const index = new Map(q.staff.map((s, i) => [s.id, i]));
    ctx.pins.forEach((p, k) => {
      if (p.col === undefined || p.pin.week !== w) return;
      const t = p.ticket!;
      const i = index.get(p.staff!.id)!;
      const want = floorQ(values[p.col]!);
      const h = Math.min(want, free[i]!, ticketLeft.get(t.id)!);
      reserved.set(t.id, reserved.get(t.id)! - want);
      leftQ[ctx.bucketOfTicket.get(t.id)!.index]! += want - h; // what the pin did not hold goes back
      if (h <= 0) return;
      free[i]! -= h;
      ticketLeft.set(t.id, ticketLeft.get(t.id)! - h);
      pinHeldQ[k] = h;
      pieces.push({ week: w, staff: p.staff!.id, ticket: t, hoursQ: h, pinned: true });
    });
    const active = ctx.buckets.filter((b) => b.x[w] !== undefined);
    for (const b of active) {
      const x = Math.max(0, values[b.x[w]!]!);
      lpCum[b.index]! += x;
      lpClient.set(b.client, (lpClient.get(b.client) ?? 0) + x);
    }
    const ranked = [...active].sort((a, b) => rank(ctx, b, w) - rank(ctx, a, w) || a.index - b.index);
    const flow = new WeekFlow(q.staff, free);
    const placed = new Map<Bucket, number>();
    const place = (b: Bucket, want: number) => {
      const room = Math.min(want, leftQ[b.index]! - (placed.get(b) ?? 0));
      const got = room > 0 ? flow.add(b.skill, room) : 0;
      placed.set(b, (placed.get(b) ?? 0) + got);
      clientPlanned.set(b.client, (clientPlanned.get(b.client) ?? 0) + got);
      return got;
    };
    const ceilingLeft = (b: Bucket) => ceilQ(lpCum[b.index]!) - plannedQ[b.index]! - (placed.get(b) ?? 0);
    for (const b of ranked) {
      // Never more than this week's own hours rounded down: those satisfy the capacity rows.
      const base = Math.min(floorQ(values[b.x[w]!]!), floorQ(lpCum[b.index]!) - plannedQ[b.index]!);
      unroutedQ += Math.max(0, Math.min(base, leftQ[b.index]!) - place(b, base));
    }
    // What rounding down lost: emergencies first, then each prepaid client's own cumulative hours
    // rounded up (a rate is owed per client, not per bucket), then every bucket's.
    for (const b of ranked) if (b.emergency) place(b, ceilingLeft(b));
    for (const b of ranked) {
      if (!b.client.prepaid) continue;
      const need = () => ceilQ(lpClient.get(b.client)!) - (clientPlanned.get(b.client) ?? 0);
      if (need() > 0) place(b, Math.min(need(), ceilingLeft(b)));
    }
    for (const b of ranked) {
      if (!b.client.prepaid) continue;
      const need = ceilQ(lpClient.get(b.client)!) - (clientPlanned.get(b.client) ?? 0);
      if (need > 0) place(b, need);
    }
    for (const b of ranked) place(b, ceilingLeft(b));
    for (const [b, h] of placed) {
      plannedQ[b.index]! += h;
      leftQ[b.index]! -= h;
    }
    pieces.push(...split(ctx, w, flow, placed, ticketLeft, reserved));
  }
  return { pieces, pinHeldQ, unroutedQ };
}

/** Emergencies, then clients owed their rate this week, then the LP's own weight. */
function rank(ctx: ModelContext, b: Bucket, w: number): number {
  return ctx.lp.costOf(b.x[w]!) + (b.client.ideal[w]! > 0 ? BEHIND_WEIGHT : 0);
}

/** Gives each skill's routed hours to its buckets' tickets, largest pieces to largest givers. */
function split(
  ctx: ModelContext,
  w: number,
  flow: WeekFlow,
  placed: Map<Bucket, number>,
  ticketLeft: Map<string, number>,
  reserved: Map<string, number>,
): Piece[] {
  const out: Piece[] = [];
  const bySkill = new Map<string | null, { ticket: TicketFacts; hoursQ: number }[]>();
  for (const [b, total] of placed) {
    let h = total;
    for (const t of b.tickets) {
      if (h <= 0) break;
      const take = Math.min(h, ticketLeft.get(t.id)! - (reserved.get(t.id) ?? 0));
      if (take <= 0) continue;
      ticketLeft.set(t.id, ticketLeft.get(t.id)! - take);
      h -= take;
      bySkill.set(b.skill, [...(bySkill.get(b.skill) ?? []), { ticket: t, hoursQ: take }]);
    }
  }
  for (const [skill, wanted] of bySkill) {
    const givers = (flow.flow.get(skill) ?? [])
      .map((h, i) => ({ staff: ctx.q.staff[i]!.id, h }))
      .filter((g) => g.h > 0)
      .sort((a, b) => b.h - a.h || a.staff.localeCompare(b.staff));
    wanted.sort((a, b) => b.hoursQ - a.hoursQ || a.ticket.id.localeCompare(b.ticket.id));
    let g = 0;
    for (const piece of wanted) {
      let h = piece.hoursQ;
      while (h > 0) {
        const giver = givers[g]!;
        const take = Math.min(h, giver.h);
        out.push({ week: w, staff: giver.staff, ticket: piece.ticket, hoursQ: take, pinned: false });
        giver.h -= take;
        h -= take;
        if (giver.h === 0) g++;
      }
    }
  }
  return out;
}
