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
import { sql } from '../../db/sql.ts';
import { currentPlan, planDigest } from '../../planning/plan-store.ts';
import type { WriteContext } from '../../store.ts';
import { importedLeave, leaveWeeks, manualFrom } from '../leave-calendars/imported-leave.ts';
import { canonicalPins, importPins, previousRows, scenarioPins } from '../pins/pin-scenario.ts';

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sumBy = <T>(items: T[], key: (t: T) => string, value: (t: T) => number) => {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + value(it));
  return m;
};
const groupBy = <T>(items: T[], key: (t: T) => string) => {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
};

export async function exportScenario(em: EntityManager, quarterId: string): Promise<ScenarioInput> {
  const quarter = await em.findOne(Quarter, { id: quarterId });
  if (!quarter) throw notFound(`Quarter ${quarterId}`);
  // Plain rows, not entities: at 10,000 tickets the ORM's hydration, identity map and the flush
  // at the end of the caller's transaction took most of a re-plan's snapshot (db/sql.ts).
  // One query at a time: inside a transaction they share one connection.
  const staff = await sql<{ id: string; name: string; weekly_hours: number; skills: string[] }>(em, 'select id, name, weekly_hours, skills from staff where active order by id asc');
  const leave = await sql<{ staff_id: string; week: number; hours: number }>(em, 'select staff_id, week, hours from leave where quarter_id = ? order by week asc', [quarterId]);
  const clients = await sql<{ id: string; name: string; plan: 'prepaid' | 'payg' }>(em, 'select id, name, plan from clients where active order by id asc');
  const cqs = await sql<{ client_id: string; rollover_in_hours: number; used_baseline: number[] | null; shortfall_to_date_hours: number }>(
    em,
    'select client_id, rollover_in_hours, used_baseline, shortfall_to_date_hours from client_quarters where quarter_id = ?',
    [quarterId],
  );
  const blocks = await sql<{ client_id: string; week: number; hours: number }>(em, 'select client_id, week, hours from blocks where quarter_id = ? order by week asc, id asc', [quarterId]);
  // Inactive clients and staff are out of planning: so are their tickets and this week's hours.
  const tickets = await sql<{
    id: string;
    client_id: string;
    title: string;
    priority: number;
    estimate_hours: number;
    spent_baseline: number;
    opened_week: number;
    skill: string | null;
    due_week: number | null;
    emergency: boolean;
    status: string;
  }>(
    em,
    `select t.id, t.client_id, t.title, t.priority, t.estimate_hours, t.spent_baseline, t.opened_week, t.skill, t.due_week, t.emergency, t.status
     from tickets t join clients c on c.id = t.client_id and c.active where t.quarter_id = ? order by t.id asc`,
    [quarterId],
  );
  const entries = await sql<{ staff_id: string; ticket_id: string; client_id: string; week: number; hours: number }>(
    em,
    'select staff_id, ticket_id, client_id, week, hours from time_entries where quarter_id = ? order by id asc',
    [quarterId],
  );
  const current = quarter.currentWeek;
  const spentByTicket = sumBy(entries, (e) => e.ticket_id, (e) => e.hours);
  const past = entries.filter((e) => e.week < current);
  const usedByClientWeek = sumBy(past, (e) => `${e.client_id}|${e.week}`, (e) => e.hours);
  const lastPastWeek = new Map<string, number>();
  for (const e of past) lastPastWeek.set(e.client_id, Math.max(lastPastWeek.get(e.client_id) ?? 0, e.week + 1));
  const cqByClient = new Map(cqs.map((c) => [c.client_id, c]));
  const leaveByStaff = groupBy(leave, (l) => l.staff_id);
  const blocksByClient = groupBy(blocks, (b) => b.client_id);
  const stored = await currentPlan(em, quarter);
  // Holiday and absence calendars' hours on top of the manual leave (leave-calendars/imported-leave.ts).
  const imported = await importedLeave(em, quarter, staff.map((s) => ({ id: s.id, weeklyHours: s.weekly_hours })));

  const scenario: ScenarioInput = {
    quarter: { id: quarter.id, weeks: quarter.weeks, currentWeek: current, ...(quarter.startDate ? { startDate: quarter.startDate } : {}) },
    staff: staff.map((s) => {
      const own = new Map((leaveByStaff.get(s.id) ?? []).filter((l) => l.hours > 0).map((l) => [l.week, l.hours]));
      const leave = [...leaveWeeks(s.weekly_hours, own, imported.get(s.id))].map(([w, hours]) => [String(w), hours] as const);
      return { id: s.id, name: s.name, weeklyHours: s.weekly_hours, skills: [...s.skills], leave: Object.fromEntries(leave) };
    }),
    clients: clients.map((c) => {
      if (c.plan === 'payg') return { id: c.id, name: c.name, plan: 'payg' as const };
      const cq = cqByClient.get(c.id);
      const baseline = cq?.used_baseline ?? [];
      const length = Math.max(baseline.length, lastPastWeek.get(c.id) ?? 0);
      return {
        id: c.id,
        name: c.name,
        plan: 'prepaid' as const,
        purchases: (blocksByClient.get(c.id) ?? []).map((b) => ({ week: b.week, hours: b.hours })),
        rolloverInHours: cq?.rollover_in_hours ?? 0,
        usedByWeek: Array.from({ length }, (_, w) => round(baseline[w] ?? 0) + (usedByClientWeek.get(`${c.id}|${w}`) ?? 0)),
        shortfallToDateHours: cq?.shortfall_to_date_hours ?? 0,
      };
    }),
    tickets: tickets.map((t) => {
      const out: TicketInput = {
        id: t.id,
        client: t.client_id,
        title: t.title,
        priority: t.priority as TicketInput['priority'],
        estimateHours: t.estimate_hours,
        spentHours: round(t.spent_baseline + (spentByTicket.get(t.id) ?? 0)),
        openedWeek: t.opened_week,
        emergency: t.emergency,
      };
      if (t.skill) out.skill = t.skill;
      if (t.due_week !== null && t.due_week !== undefined) out.dueWeek = t.due_week;
      if (t.status === 'closed') out.status = 'closed';
      return out;
    }),
    policy: (quarter.policy ?? {}) as ScenarioInput['policy'],
    pins: await scenarioPins(em, quarterId),
    // The rows of the plan in force from its digest: kept from its commit, so a re-plan does not unpack it.
    previous: previousRows(stored && (await planDigest(em, stored.version, stored))?.rows, quarter),
  };
  const planned = new Set([...staff.map((x) => `s:${x.id}`), ...tickets.map((t) => `t:${t.id}`)]);
  const log = entries.filter((e) => e.week === current && planned.has(`s:${e.staff_id}`) && planned.has(`t:${e.ticket_id}`));
  if (log.length > 0) {
    const byStaffTicket = sumBy(log, (e) => `${e.staff_id}\u0000${e.ticket_id}`, (e) => e.hours);
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

  // A scenario's leave includes the calendars' hours (exportScenario): only the rest is manual leave.
  const imported = await importedLeave(tx, quarter, s.staff);
  const manualBefore = new Map(
    (await sql<{ staff_id: string; week: number; hours: number }>(tx, 'select staff_id, week, hours from leave where quarter_id = ?', [quarterId])).map((l) => [`${l.staff_id}|${l.week}`, l.hours]),
  );
  await tx.nativeDelete(Leave, { quarterId, staffId: { $in: s.staff.map((st) => st.id) } });
  for (const st of s.staff) {
    for (const [week, stated] of Object.entries(st.leave)) {
      const hours = manualFrom(st.weeklyHours, stated, imported.get(st.id)?.get(Number(week)) ?? 0, manualBefore.get(`${st.id}|${week}`) ?? 0);
      if (hours > 0) tx.create(Leave, { staffId: st.id, quarterId, week: Number(week), hours });
    }
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
