/**
 * Who a what-if pushes below their locked-in rate, whether a block's own new rate is met, and
 * where the reserve tickets of a block were planned.
 */
import type { PushedOut, Reserved } from '../../../shared/api/what-if.ts';
import type { Plan } from '../../../solver/index.ts';

export type { PushedOut, Reserved } from '../../../shared/api/what-if.ts';

/** A rate counts as met when delivered is within a quarter hour of it (DOMAIN.md). */
const TOLERANCE = 0.25;
const EPS = 1e-6;
const toQuarter = (x: number) => Math.round(x * 4) / 4;

/**
 * Prepaid clients (other than `exclude`) whose shortfall grows: hours owed at their locked-in
 * rate that the company would no longer deliver by quarter end. The rate is a locked-in average
 * (DOMAIN.md): a week missed and caught up later pushes nobody below it, and a client that
 * presented no work is owed nothing (its hours are at risk, not short-changed).
 */
export function pushedOut(before: Plan, after: Plan, exclude: Set<string>): PushedOut[] {
  return shortfallGrowth(before, after, (id) => !exclude.has(id));
}

/**
 * Clients buying a block whose new rate is not met, judged on the plan in which the block's rate
 * is reserved as presented work. Their rate work competes with everyone's, and ties go to the
 * lowest ticket id, so their own older rate can be what gives way.
 */
export function blockShortfall(before: Plan, after: Plan, blockClients: Set<string>): PushedOut[] {
  return shortfallGrowth(before, after, (id) => blockClients.has(id));
}

type ClientPlan = Plan['clients'][number];

/**
 * `hours` is the growth of the client's shortfall (what it would be owed at quarter end, and roll
 * over); `byWeek` the weeks where it would get less of its own week (ideal[w]) than before.
 */
function shortfallGrowth(before: Plan, after: Plan, include: (id: string) => boolean): PushedOut[] {
  const old = new Map(before.clients.map((c) => [c.id, c]));
  const below = (c: ClientPlan, w: number) => Math.max(0, c.ideal[w]! - c.delivered[w]!);
  const out: PushedOut[] = [];
  for (const c of after.clients) {
    const b = old.get(c.id);
    if (c.plan !== 'prepaid' || !include(c.id) || !b) continue;
    const hours = toQuarter(c.shortfallHours - b.shortfallHours);
    if (hours <= TOLERANCE + EPS) continue;
    const byWeek: PushedOut['byWeek'] = [];
    for (let w = after.quarter.currentWeek; w < c.ideal.length; w++) {
      const more = below(c, w) - below(b, w);
      if (more > EPS) byWeek.push({ week: w, hours: toQuarter(more) });
    }
    out.push({ client: c.id, name: c.name, weeks: byWeek.map((x) => x.week), hours, byWeek });
  }
  return out;
}

/** Where the plan judging a block put each client's reserve tickets. */
export function reservedOf(judged: Plan, reserve: Map<string, string>): Reserved[] {
  const reserved = new Map<string, Reserved>();
  const of = (client: string) => {
    let r = reserved.get(client);
    if (!r) reserved.set(client, (r = { client, hours: 0, plannedHours: 0, unplannedHours: 0, byWeek: Array.from({ length: judged.quarter.weeks }, () => 0) }));
    return r;
  };
  for (const t of judged.tickets) {
    const client = reserve.get(t.id);
    if (!client) continue;
    const r = of(client);
    r.hours += t.plannedHours + t.unplannedHours;
    r.plannedHours += t.plannedHours;
    r.unplannedHours += t.unplannedHours;
  }
  for (const a of judged.allocations) {
    const client = reserve.get(a.ticket);
    if (client) of(client).byWeek[a.week]! += a.hours;
  }
  return [...reserved.values()];
}
