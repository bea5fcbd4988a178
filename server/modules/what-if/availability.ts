/**
 * Who a what-if pushes below their locked-in rate, and the plan shown without the synthetic
 * reserve tickets of a block.
 */
import type { Plan } from '../../../solver/index.ts';

/** A rate counts as met when delivered is within a quarter hour of it (DOMAIN.md). */
const TOLERANCE = 0.25;
const EPS = 1e-6;
const toQuarter = (x: number) => Math.round(x * 4) / 4;

export interface PushedOut {
  client: string;
  name: string;
  weeks: number[];
  hours: number;
  byWeek: { week: number; hours: number }[];
}

/**
 * Prepaid clients (other than `exclude`) whose delivered hours fall below their rate by more than
 * a quarter hour in a week where, before, they were at or above it.
 */
export function pushedOut(before: Plan, after: Plan, exclude: Set<string>): PushedOut[] {
  return belowRate(before, after, (id) => !exclude.has(id), (b, w) => (b.delivered[w]! >= b.rate[w]! - TOLERANCE - EPS ? 0 : null));
}

/**
 * Clients buying a block whose new rate is not met: weeks where they fall further below their
 * (new) rate than they were below the old one. Their rate work competes with everyone's, and ties
 * go to the lowest ticket id, so their own older rate can be what gives way.
 */
export function blockShortfall(before: Plan, after: Plan, blockClients: Set<string>): PushedOut[] {
  return belowRate(before, after, (id) => blockClients.has(id), (b, w) => Math.max(0, b.rate[w]! - b.delivered[w]!));
}

type ClientPlan = Plan['clients'][number];

/** `gapBefore` gives the shortfall a week already had (null: the week does not count). */
function belowRate(before: Plan, after: Plan, include: (id: string) => boolean, gapBefore: (b: ClientPlan, week: number) => number | null): PushedOut[] {
  const old = new Map(before.clients.map((c) => [c.id, c]));
  const out: PushedOut[] = [];
  for (const c of after.clients) {
    const b = old.get(c.id);
    if (c.plan !== 'prepaid' || !include(c.id) || !b) continue;
    const byWeek: PushedOut['byWeek'] = [];
    for (let w = after.quarter.currentWeek; w < c.rate.length; w++) {
      const already = gapBefore(b, w);
      if (already === null) continue;
      const gap = c.rate[w]! - c.delivered[w]! - already;
      if (gap > TOLERANCE + EPS) byWeek.push({ week: w, hours: toQuarter(gap) });
    }
    if (byWeek.length > 0) {
      out.push({ client: c.id, name: c.name, weeks: byWeek.map((x) => x.week), hours: byWeek.reduce((sum, x) => sum + x.hours, 0), byWeek });
    }
  }
  return out;
}

export interface Reserved {
  client: string;
  /** Hours held for the block. */
  hours: number;
  plannedHours: number;
  /** Hours of the block's rate the plan could not find room for. */
  unplannedHours: number;
  /** Reserved hours planned per week. */
  byWeek: number[];
}

/** The plan without the reserve tickets; their hours move into `reserved`. */
export function stripReserve(plan: Plan, reserve: Map<string, string>): Plan & { reserved: Reserved[] } {
  const reserved = new Map<string, Reserved>();
  const of = (client: string) => {
    let r = reserved.get(client);
    if (!r) reserved.set(client, (r = { client, hours: 0, plannedHours: 0, unplannedHours: 0, byWeek: Array.from({ length: plan.quarter.weeks }, () => 0) }));
    return r;
  };
  for (const t of plan.tickets) {
    const client = reserve.get(t.id);
    if (!client) continue;
    const r = of(client);
    r.hours += t.plannedHours + t.unplannedHours;
    r.plannedHours += t.plannedHours;
    r.unplannedHours += t.unplannedHours;
  }
  for (const a of plan.allocations) {
    const client = reserve.get(a.ticket);
    if (client) of(client).byWeek[a.week]! += a.hours;
  }
  return {
    ...plan,
    allocations: plan.allocations.filter((a) => !reserve.has(a.ticket)),
    tickets: plan.tickets.filter((t) => !reserve.has(t.id)),
    unplanned: plan.unplanned.filter((u) => !reserve.has(u.ticket)),
    reserved: [...reserved.values()],
  };
}
