/**
 * DOMAIN.md "Tickets": the open tickets' remaining hours are the demand; nothing is planned before
 * a ticket's opened week (nor before the current week), and a ticket needing a skill can only be
 * planned in weeks someone with that skill has hours.
 *
 * Adds one column per demand bucket and week it can be worked, and one row per bucket: its hours
 * over the quarter (pins included, see pins.ts) are at most the bucket's remaining hours.
 */
import type { Bucket, ModelContext } from '../model-context.ts';
import { skilledCapacityQ } from '../model-context.ts';
import { toH, type Quarter } from '../quarter.ts';

/**
 * Groups the open tickets into demand buckets (same client, skill, priority, first plannable week,
 * emergency flag and due week) on ctx.buckets, those `take` accepts; columns are the caller's.
 */
export function groupBuckets(ctx: ModelContext, take: (t: Quarter['tickets'][number]) => boolean = () => true): void {
  const { q } = ctx;
  const byKey = new Map<string, Bucket>();
  for (const t of q.tickets) {
    if (t.remainingQ <= 0 || !take(t)) continue;
    const client = q.clientById.get(t.client);
    if (!client) continue;
    const key = [t.client, t.skill ?? '', t.priority, t.start, t.emergency ? 1 : 0, t.due ?? ''].join('|');
    let b = byKey.get(key);
    if (!b) {
      b = { index: ctx.buckets.length, client, skill: t.skill, priority: t.priority, start: t.start, emergency: t.emergency, due: t.due, tickets: [], hoursQ: 0, x: [], totalRow: -1 };
      byKey.set(key, b);
      ctx.buckets.push(b);
    }
    b.tickets.push(t);
    b.hoursQ += t.remainingQ;
    ctx.bucketOfTicket.set(t.id, b);
  }
}

export function addTicketDemand(ctx: ModelContext): void {
  const { q, lp } = ctx;
  groupBuckets(ctx);
  for (const b of ctx.buckets) {
    const cols: number[] = [];
    for (let w = b.start; w < q.W; w++) {
      const capQ = skilledCapacityQ(q, b.skill, w);
      if (capQ <= 0) continue;
      const col = lp.addColumn(0, 0, toH(Math.min(b.hoursQ, capQ)));
      b.x[w] = col;
      cols.push(col);
    }
    b.totalRow = lp.addRow(-Infinity, toH(b.hoursQ), cols);
  }
}
