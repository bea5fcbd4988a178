/**
 * What changed between two plans: who should refresh, and by how much figures moved.
 *
 * Diffs are taken between digests: the few figures per client, ticket and person a diff reads,
 * in flat arrays. A re-plan gets the new plan's digest from the solver thread with the plan
 * (solve-worker.ts) and keeps the current version's (plan-store.ts), so announcing a plan at
 * 10,000 tickets costs the main thread a pass over those arrays, never a walk of two whole plans.
 * `diffPlans` digests two whole plans first (what-if answers, GET /api/plans/:version/diff).
 */
import { createHash } from 'node:crypto';
import type { Plan } from '../../solver/index.ts';
import type { PlanChanges } from '../events.ts';
import type { PlanAudiences } from '../realtime/audiences.ts';
import { CLIENT_FIGURES, type ClientDiff, type PlanDiff, type TicketDiff } from '../../shared/plan-diff.ts';

export { CLIENT_FIGURES, type ClientDiff, type PlanDiff, type TicketDiff } from '../../shared/plan-diff.ts';

const EPS = 1e-6;
const moved = (a: number, b: number) => Math.abs(a - b) > EPS;
const r = (x: number) => Math.round(x * 1e6) / 1e6;
/** A start or finish week that is null. */
const NONE = -1;

export interface ClientDigest {
  id: string;
  prepaid: boolean;
  /** CLIENT_FIGURES, in that order. */
  figures: number[];
  delivered: number[];
  rate: number[];
  demand: number[];
  /** Hours planned at level 1 (emergencies). */
  emergency: number;
}

/** What a diff reads of a plan, in plan order. */
export interface PlanDigest {
  /** SHA-256 of the plan's JSON without its stats (how long it took): equal hashes, identical plans. */
  hash: string;
  currentWeek: number;
  clients: ClientDigest[];
  tickets: {
    ids: string[];
    clients: string[];
    planned: Float64Array;
    /** NONE (−1) for null. */
    start: Int32Array;
    finish: Int32Array;
    /** "week:hours" of each allocation row of the ticket, in plan order. */
    weeks: string[];
  };
  /** plan.staff, each with a hash of its allocation rows. */
  staff: { ids: string[]; loads: string[] };
  /** Every person with allocation rows, and the tickets they are on (the staff-ticket pairs). */
  work: { staff: string[]; tickets: string[][] };
  /**
   * The allocation rows, in plan order, by column: what the next solve keeps as `previous`
   * (pin-scenario.ts previousRows), so a re-plan need not unpack the plan in force to read them.
   */
  rows: PlanRows;
}

export interface PlanRows {
  week: Int32Array;
  staff: string[];
  ticket: string[];
  hours: Float64Array;
  level: Int32Array;
}

/** About what a digest weighs in memory, for byte-bounded caches. */
export function digestBytes(d: PlanDigest): number {
  let strings = 0;
  for (const w of d.tickets.weeks) strings += w.length;
  for (const t of d.work.tickets) strings += t.length * 8;
  return 64 * d.tickets.ids.length + strings + 200 * d.clients.length + 100 * d.staff.ids.length + 40 * d.rows.week.length;
}

export function digestPlan(plan: Plan, hash = ''): PlanDigest {
  const index = new Map<string, number>();
  plan.tickets.forEach((t, i) => index.set(t.id, i));
  const weeks: string[][] = plan.tickets.map(() => []);
  const emergency = new Map<string, number>();
  const rows = new Map<string, string[]>();
  const work = new Map<string, Set<string>>();
  for (const a of plan.allocations) {
    const i = index.get(a.ticket);
    if (i !== undefined) weeks[i]!.push(`${a.week}:${a.hours}`);
    if (a.level === 1) emergency.set(a.client, (emergency.get(a.client) ?? 0) + a.hours);
    let own = rows.get(a.staff);
    if (!own) rows.set(a.staff, (own = []));
    own.push(JSON.stringify([a.week, a.ticket, a.hours, a.level]));
    let tickets = work.get(a.staff);
    if (!tickets) work.set(a.staff, (tickets = new Set()));
    tickets.add(a.ticket);
  }
  const m = plan.allocations.length;
  const rowsOf: PlanRows = { week: new Int32Array(m), staff: new Array<string>(m), ticket: new Array<string>(m), hours: new Float64Array(m), level: new Int32Array(m) };
  plan.allocations.forEach((a, k) => {
    rowsOf.week[k] = a.week;
    rowsOf.staff[k] = a.staff;
    rowsOf.ticket[k] = a.ticket;
    rowsOf.hours[k] = a.hours;
    rowsOf.level[k] = a.level;
  });
  const n = plan.tickets.length;
  const planned = new Float64Array(n);
  const start = new Int32Array(n);
  const finish = new Int32Array(n);
  plan.tickets.forEach((t, i) => {
    planned[i] = t.plannedHours;
    start[i] = t.startWeek ?? NONE;
    finish[i] = t.finishWeek ?? NONE;
  });
  return {
    hash,
    currentWeek: plan.quarter.currentWeek,
    clients: plan.clients.map((c) => ({
      id: c.id,
      prepaid: c.plan === 'prepaid',
      figures: CLIENT_FIGURES.map((f) => c[f]),
      delivered: c.delivered,
      rate: c.rate,
      demand: c.demand,
      emergency: emergency.get(c.id) ?? 0,
    })),
    tickets: { ids: plan.tickets.map((t) => t.id), clients: plan.tickets.map((t) => t.client), planned, start, finish, weeks: weeks.map((w) => w.join(',')) },
    staff: {
      ids: plan.staff.map((s) => s.id),
      loads: plan.staff.map((s) => createHash('sha1').update(`[${(rows.get(s.id) ?? []).join(',')}]`).digest('base64')),
    },
    work: { staff: [...work.keys()], tickets: [...work.values()].map((t) => [...t]) },
    rows: rowsOf,
  };
}

export function diffPlans(before: Plan | null, after: Plan): PlanDiff {
  return diffDigests(before && digestPlan(before), digestPlan(after));
}

const week = (x: number) => (x === NONE ? null : x);

export function diffDigests(before: PlanDigest | null, after: PlanDigest): PlanDiff {
  const oldClients = new Map((before?.clients ?? []).map((c) => [c.id, c]));
  const clients: ClientDiff[] = [];
  for (const c of after.clients) {
    const d = clientDiff(oldClients.get(c.id), c, after.currentWeek);
    if (Object.keys(d.delta).length || Object.keys(d.deliveredDelta).length || d.emergencyDelta || d.newlyBelowRate.length) clients.push(d);
  }
  const newClients = new Set(after.clients.map((c) => c.id));
  for (const old of before?.clients ?? []) if (!newClients.has(old.id)) clients.push({ id: old.id, delta: {}, deliveredDelta: {}, emergencyDelta: 0, newlyBelowRate: [] });

  const oldTickets = new Map((before?.tickets.ids ?? []).map((id, i) => [id, i]));
  const tickets: TicketDiff[] = [];
  const t = after.tickets;
  for (let i = 0; i < t.ids.length; i++) {
    const o = oldTickets.get(t.ids[i]!);
    const ot = before?.tickets;
    const b = o === undefined || !ot ? { plannedHours: 0, startWeek: null, finishWeek: null } : { plannedHours: ot.planned[o]!, startWeek: week(ot.start[o]!), finishWeek: week(ot.finish[o]!) };
    const a = { plannedHours: t.planned[i]!, startWeek: week(t.start[i]!), finishWeek: week(t.finish[i]!) };
    if (o === undefined || moved(b.plannedHours, a.plannedHours) || b.startWeek !== a.startWeek || b.finishWeek !== a.finishWeek || ot!.weeks[o] !== t.weeks[i]) {
      tickets.push({ id: t.ids[i]!, client: t.clients[i]!, before: b, after: a });
    }
  }

  const load = (d: PlanDigest | null) => new Map((d?.staff.ids ?? []).map((id, i) => [id, d!.staff.loads[i]]));
  const oldStaff = load(before);
  const newStaff = load(after);
  const staff = [...new Set([...oldStaff.keys(), ...newStaff.keys()])].filter((id) => oldStaff.get(id) !== newStaff.get(id)).sort();
  return { clients, tickets, staff };
}

function clientDiff(old: ClientDigest | undefined, c: ClientDigest, currentWeek: number): ClientDiff {
  const delta: ClientDiff['delta'] = {};
  CLIENT_FIGURES.forEach((f, k) => {
    const a = c.figures[k]!;
    const b = old ? old.figures[k]! : 0;
    if (moved(a, b)) delta[f] = r(a - b);
  });
  const deliveredDelta: Record<number, number> = {};
  c.delivered.forEach((h, w) => {
    const b = old?.delivered[w] ?? 0;
    if (moved(h, b)) deliveredDelta[w] = r(h - b);
  });
  const newlyBelowRate: { week: number; hours: number }[] = [];
  if (c.prepaid) {
    // Below the rate only counts where the client had work waiting (demand): a client that
    // presents nothing is not pushed out by anyone.
    const gap = (x: ClientDigest, w: number) => Math.min(x.rate[w]!, x.demand[w]!) - x.delivered[w]!;
    for (let w = currentWeek; w < c.rate.length; w++) {
      const gapAfter = gap(c, w);
      const gapBefore = old ? gap(old, w) : 0;
      if (gapAfter > 0.25 + EPS && gapAfter > gapBefore + EPS) newlyBelowRate.push({ week: w, hours: r(gapAfter - Math.max(0, gapBefore)) });
    }
  }
  return { id: c.id, delta, deliveredDelta, emergencyDelta: r(c.emergency - (old?.emergency ?? 0)), newlyBelowRate };
}

export function changesOf(diff: PlanDiff): PlanChanges {
  return { clients: diff.clients.map((c) => c.id).sort(), tickets: diff.tickets.map((t) => t.id).sort(), staff: diff.staff };
}

/**
 * Per-audience slices of a change (what realtime/audiences.ts planAudiences gives for two whole
 * plans), from digests: each client with the changed tickets of its own, each person with the
 * changed tickets they work on in either plan.
 */
export function audiencesOf(before: PlanDigest | null, after: PlanDigest, diff: PlanDiff): PlanAudiences {
  const changedClients = new Set(diff.clients.map((c) => c.id));
  const changedTickets = new Set(diff.tickets.map((t) => t.id));
  const changedStaff = new Set(diff.staff);
  const byClient = new Map<string, Set<string>>();
  for (const d of [before, after]) for (const c of d?.clients ?? []) if (!byClient.has(c.id)) byClient.set(c.id, new Set());
  for (const d of [before, after]) {
    if (!d) continue;
    d.tickets.ids.forEach((id, i) => {
      if (changedTickets.has(id)) byClient.get(d.tickets.clients[i]!)?.add(id);
    });
  }
  const byStaff = new Map<string, Set<string>>();
  for (const d of [before, after]) for (const id of d?.staff.ids ?? []) if (!byStaff.has(id)) byStaff.set(id, new Set());
  for (const d of [before, after]) {
    d?.work.staff.forEach((s, i) => {
      const own = byStaff.get(s);
      if (own) for (const id of d.work.tickets[i]!) if (changedTickets.has(id)) own.add(id);
    });
  }
  const clients: PlanAudiences['clients'] = {};
  for (const [id, tickets] of byClient) clients[id] = { changed: changedClients.has(id), tickets: [...tickets].sort() };
  const staff: PlanAudiences['staff'] = {};
  for (const [id, tickets] of byStaff) staff[id] = { changed: changedStaff.has(id), tickets: [...tickets].sort() };
  return { clients, staff };
}

/** The staff-ticket pairs of `after` that `before` did not have (all of them without `before`). */
export function newPairs(before: PlanDigest | null, after: PlanDigest): { staff: string; ticket: string }[] {
  const old = new Map((before?.work.staff ?? []).map((s, i) => [s, new Set(before!.work.tickets[i])]));
  const out: { staff: string; ticket: string }[] = [];
  after.work.staff.forEach((s, i) => {
    const had = old.get(s);
    for (const t of after.work.tickets[i]!) if (!had?.has(t)) out.push({ staff: s, ticket: t });
  });
  return out;
}
