/**
 * A quarter's state as a SCENARIO.md scenario, and back. Export is what the planner solves, so
 * the command-line planner and the server give the same plan for the same quarter.
 *
 * Time entries are the source of used and spent hours: imported history is kept as a baseline
 * and entries add to it. Entries of the current week go to `currentWeekLog` (they come off that
 * week's capacity); earlier weeks go to `usedByWeek`.
 *
 * A scenario also carries the quarter's `pins` and, as `previous`, the allocation rows of its
 * current plan: every solve (re-plan, what-if, the command line on an export) starts from the plan
 * in force, so re-plans stay stable and all of them agree.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseScenario, type Scenario, type ScenarioInput, type TicketInput } from '../../../solver/index.ts';
import { Block, Client, ClientQuarter, Leave, Quarter, Staff, Ticket, TimeEntry } from '../../db/entities.ts';
import { badRequest, notFound, validationError } from '../../errors.ts';
import { currentPlan } from '../../planning/plan-store.ts';
import type { WriteContext } from '../../store.ts';
import { canonicalPins, importPins, previousRows, scenarioPins } from '../pins/pin-scenario.ts';

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sumBy = <T>(items: T[], key: (t: T) => string, value: (t: T) => number) => {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + value(it));
  return m;
};

export async function exportScenario(em: EntityManager, quarterId: string): Promise<ScenarioInput> {
  const quarter = await em.findOne(Quarter, { id: quarterId });
  if (!quarter) throw notFound(`Quarter ${quarterId}`);
  // One query at a time: inside a transaction they share one connection.
  const staff = await em.find(Staff, { active: true }, { orderBy: { id: 'asc' } });
  const leave = await em.find(Leave, { quarterId }, { orderBy: { week: 'asc' } });
  const clients = await em.find(Client, { active: true }, { orderBy: { id: 'asc' } });
  const cqs = await em.find(ClientQuarter, { quarterId });
  const blocks = await em.find(Block, { quarterId }, { orderBy: { week: 'asc', id: 'asc' } });
  // Inactive clients and staff are out of planning: so are their tickets and this week's hours.
  const tickets = await em.find(Ticket, { quarterId, clientId: { $in: clients.map((c) => c.id) } }, { orderBy: { id: 'asc' } });
  const entries = await em.find(TimeEntry, { quarterId }, { orderBy: { id: 'asc' } });
  const current = quarter.currentWeek;
  const spentByTicket = sumBy(entries, (e) => e.ticketId, (e) => e.hours);
  const past = entries.filter((e) => e.week < current);
  const usedByClientWeek = sumBy(past, (e) => `${e.clientId}|${e.week}`, (e) => e.hours);
  const cqByClient = new Map(cqs.map((c) => [c.clientId, c]));

  const scenario: ScenarioInput = {
    quarter: { id: quarter.id, weeks: quarter.weeks, currentWeek: current, ...(quarter.startDate ? { startDate: quarter.startDate } : {}) },
    staff: staff.map((s) => {
      const own = leave.filter((l) => l.staffId === s.id && l.hours > 0);
      return { id: s.id, name: s.name, weeklyHours: s.weeklyHours, skills: [...s.skills], leave: Object.fromEntries(own.map((l) => [String(l.week), l.hours])) };
    }),
    clients: clients.map((c) => {
      if (c.plan === 'payg') return { id: c.id, name: c.name, plan: 'payg' as const };
      const cq = cqByClient.get(c.id);
      const baseline = cq?.usedBaseline ?? [];
      let length = baseline.length;
      for (const e of past) if (e.clientId === c.id) length = Math.max(length, e.week + 1);
      return {
        id: c.id,
        name: c.name,
        plan: 'prepaid' as const,
        purchases: blocks.filter((b) => b.clientId === c.id).map((b) => ({ week: b.week, hours: b.hours })),
        rolloverInHours: cq?.rolloverInHours ?? 0,
        usedByWeek: Array.from({ length }, (_, w) => round(baseline[w] ?? 0) + (usedByClientWeek.get(`${c.id}|${w}`) ?? 0)),
        shortfallToDateHours: cq?.shortfallToDateHours ?? 0,
      };
    }),
    tickets: tickets.map((t) => {
      const out: TicketInput = {
        id: t.id,
        client: t.clientId,
        title: t.title,
        priority: t.priority as TicketInput['priority'],
        estimateHours: t.estimateHours,
        spentHours: round(t.spentBaseline + (spentByTicket.get(t.id) ?? 0)),
        openedWeek: t.openedWeek,
        emergency: t.emergency,
      };
      if (t.skill) out.skill = t.skill;
      if (t.dueWeek !== null && t.dueWeek !== undefined) out.dueWeek = t.dueWeek;
      if (t.status === 'closed') out.status = 'closed';
      return out;
    }),
    policy: (quarter.policy ?? {}) as ScenarioInput['policy'],
    pins: await scenarioPins(em, quarterId),
    previous: previousRows((await currentPlan(em, quarter))?.plan, quarter),
  };
  const planned = new Set([...staff.map((x) => `s:${x.id}`), ...tickets.map((t) => `t:${t.id}`)]);
  const log = entries.filter((e) => e.week === current && planned.has(`s:${e.staffId}`) && planned.has(`t:${e.ticketId}`));
  if (log.length > 0) {
    const byStaffTicket = sumBy(log, (e) => `${e.staffId}\u0000${e.ticketId}`, (e) => e.hours);
    scenario.currentWeekLog = [...byStaffTicket].map(([key, hours]) => {
      const [staffId, ticketId] = key.split('\u0000') as [string, string];
      return { staff: staffId, ticket: ticketId, hours };
    });
  }
  return scenario;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Assigns only values that differ, so an unchanged record keeps its version. */
function assignChanged<T extends object>(entity: T, data: Partial<T>): void {
  for (const [key, value] of Object.entries(data) as [keyof T, T[keyof T]][]) {
    if (JSON.stringify(entity[key]) !== JSON.stringify(value)) entity[key] = value;
  }
}

/**
 * Same scenario whatever the order of its lists: what "changes nothing" is measured against. The
 * plan in force (`previous`) is no data of the quarter's, so it is left out.
 */
export function canonical(s: Scenario): string {
  const { previous: _previous, ...data } = s;
  const sorted = {
    ...data,
    staff: [...s.staff].sort(byId).map((st) => ({ ...st, skills: [...st.skills].sort(), leave: Object.fromEntries(Object.entries(st.leave).filter(([, h]) => h > 0).sort()) })),
    clients: [...s.clients].sort(byId).map((c) => ({ ...c, usedByWeek: trimZeros(c.usedByWeek), purchases: [...c.purchases].sort((a, b) => a.week - b.week || a.hours - b.hours) })),
    tickets: [...s.tickets].sort(byId).map((t) => ({ ...t, skill: t.skill ?? null, dueWeek: t.dueWeek ?? null, title: t.title ?? t.id })),
    currentWeekLog: [...s.currentWeekLog].sort((a, b) => (a.staff + a.ticket < b.staff + b.ticket ? -1 : 1)),
    pins: canonicalPins(s.pins),
  };
  return JSON.stringify(sorted);
}

function trimZeros(xs: number[]): number[] {
  let n = xs.length;
  while (n > 0 && xs[n - 1] === 0) n--;
  return xs.slice(0, n);
}

/**
 * Stores a scenario in quarter `quarterId`: records keep the scenario's ids; records the scenario
 * does not mention are left alone. Importing the same scenario twice changes nothing. A scenario
 * with `pins` replaces the quarter's pins (`[]` removes them all); one without keeps them.
 * `previous` is the planner's business: an import ignores it.
 */
export async function importScenario(w: WriteContext, quarterId: string, input: unknown): Promise<{ changed: boolean; scenario: Scenario }> {
  const s = parseScenario(input);
  if (s.quarter.id !== quarterId) {
    throw validationError([{ field: 'quarter.id', message: `is "${s.quarter.id}" but the URL names quarter "${quarterId}"` }]);
  }
  if (s.currentWeekLog.length > 0) {
    throw validationError([{ field: 'currentWeekLog', message: 'log hours as time entries (POST /api/time-entries), not in an imported scenario' }]);
  }
  const { tx } = w;
  const existing = await tx.findOne(Quarter, { id: quarterId });
  if (existing?.closedAt) throw badRequest(`Quarter ${quarterId} is closed; it can no longer be changed.`);
  const before = existing ? canonical(parseScenario(await exportScenario(tx, quarterId))) : null;

  // A ticket belongs to one quarter at a time.
  const elsewhere = await tx.find(Ticket, { id: { $in: s.tickets.map((t) => t.id) }, quarterId: { $ne: quarterId } });
  if (elsewhere.length > 0) {
    throw validationError(
      elsewhere.map((t) => ({ field: `tickets[${s.tickets.findIndex((x) => x.id === t.id)}].id`, message: `ticket ${t.id} belongs to quarter ${t.quarterId}` })),
    );
  }

  const quarter = existing ?? tx.create(Quarter, { id: quarterId, weeks: s.quarter.weeks, currentWeek: s.quarter.currentWeek });
  quarter.weeks = s.quarter.weeks;
  quarter.currentWeek = s.quarter.currentWeek;
  quarter.startDate = s.quarter.startDate ?? null;
  quarter.policy = Object.keys(s.policy).length > 0 ? (s.policy as Record<string, unknown>) : null;
  await tx.flush();

  const entries = await tx.find(TimeEntry, { quarterId });
  const spentByTicket = sumBy(entries, (e) => e.ticketId, (e) => e.hours);
  const usedByClientWeek = sumBy(entries, (e) => `${e.clientId}|${e.week}`, (e) => e.hours);

  const staffById = new Map((await tx.find(Staff, { id: { $in: s.staff.map((x) => x.id) } })).map((x) => [x.id, x]));
  const clientById = new Map((await tx.find(Client, { id: { $in: s.clients.map((x) => x.id) } })).map((x) => [x.id, x]));
  const cqByClient = new Map((await tx.find(ClientQuarter, { quarterId })).map((x) => [x.clientId, x]));
  const ticketById = new Map((await tx.find(Ticket, { id: { $in: s.tickets.map((x) => x.id) } })).map((x) => [x.id, x]));
  for (const st of s.staff) {
    const data = { name: st.name ?? st.id, weeklyHours: st.weeklyHours, skills: st.skills, active: true };
    const found = staffById.get(st.id);
    if (found) assignChanged(found, data);
    else tx.create(Staff, { id: st.id, ...data });
  }
  for (const c of s.clients) {
    const data = { name: c.name ?? c.id, plan: c.plan, active: true };
    const found = clientById.get(c.id);
    if (found) assignChanged(found, data);
    else tx.create(Client, { id: c.id, ...data });
  }
  // Rows that refer to staff and clients go in once those exist (ids are plain columns, so the
  // unit of work cannot order the inserts itself).
  await tx.flush();

  await tx.nativeDelete(Leave, { quarterId, staffId: { $in: s.staff.map((st) => st.id) } });
  for (const st of s.staff) {
    for (const [week, hours] of Object.entries(st.leave)) if (hours > 0) tx.create(Leave, { staffId: st.id, quarterId, week: Number(week), hours });
  }
  await tx.nativeDelete(Block, { quarterId, clientId: { $in: s.clients.map((c) => c.id) } });
  for (const c of s.clients) {
    for (const b of c.purchases) tx.create(Block, { clientId: c.id, quarterId, week: b.week, hours: b.hours });
    const baseline = c.usedByWeek.map((h, week) => Math.max(0, round(h - (usedByClientWeek.get(`${c.id}|${week}`) ?? 0))));
    const cq = cqByClient.get(c.id);
    if (cq) assignChanged(cq, { rolloverInHours: c.rolloverInHours, usedBaseline: baseline, shortfallToDateHours: c.shortfallToDateHours });
    else tx.create(ClientQuarter, { clientId: c.id, quarterId, rolloverInHours: c.rolloverInHours, usedBaseline: baseline, shortfallToDateHours: c.shortfallToDateHours });
  }
  await tx.flush();
  for (const t of s.tickets) {
    const data = {
      clientId: t.client,
      quarterId,
      title: t.title ?? t.id,
      priority: t.priority,
      estimateHours: t.estimateHours,
      spentBaseline: Math.max(0, round(t.spentHours - (spentByTicket.get(t.id) ?? 0))),
      openedWeek: t.openedWeek,
      skill: t.skill ?? null,
      dueWeek: t.dueWeek ?? null,
      emergency: t.emergency,
      status: t.status,
    };
    const ticket = ticketById.get(t.id);
    if (ticket) assignChanged(ticket, data);
    else tx.create(Ticket, { id: t.id, ...data });
  }
  await tx.flush();
  if (typeof input === 'object' && input !== null && 'pins' in input) await importPins(w, quarter, s.pins);

  const after = canonical(parseScenario(await exportScenario(tx, quarterId)));
  const changed = before !== after;
  if (changed) {
    w.touch(quarterId);
    w.audit('import', 'quarter', quarterId, null, { staff: s.staff.length, clients: s.clients.length, tickets: s.tickets.length, pins: s.pins.length });
  }
  return { changed, scenario: s };
}
