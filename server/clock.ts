/**
 * Moves each auto-advancing quarter's currentWeek on at the start of every week (Monday, UTC).
 * Checked at start-up and then every few minutes, so a sleeping server catches up on waking.
 *
 * A week that becomes history keeps its debt (DOMAIN.md "Time"): each prepaid client's shortfall
 * to date grows by the hours the plan in force owed it that week (its ideal[w]) and it did not
 * use, so hours owed are not forgotten when the week turns.
 */
import { LockMode } from '@mikro-orm/core';
import { AuditEntry, ClientQuarter, Quarter, TimeEntry } from './db/entities.ts';
import { currentPlan } from './planning/plan-store.ts';
import type { Services } from './services.ts';
import type { WriteContext } from './store.ts';

export function weekOf(startDate: string, now: Date, weeks: number): number {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const w = Math.floor((now.getTime() - start) / (7 * 24 * 3600_000));
  return Math.min(weeks - 1, Math.max(0, w));
}

/** Rounded up to the next quarter hour, in the client's favour (DOMAIN.md). */
const upToQuarter = (h: number) => Math.ceil(h * 4 - 1e-6) / 4;

/**
 * The shortfall to date once weeks `from … to−1` are history: week by week,
 * `max(0, shortfall + ideal[w] − used[w])`, in quarter hours.
 */
export function shortfallAfterWeeks(start: number, ideal: readonly number[], used: readonly number[], from: number, to: number): number {
  let s = start;
  for (let w = from; w < to; w++) s = Math.max(0, s + (ideal[w] ?? 0) - (used[w] ?? 0));
  return upToQuarter(s);
}

export interface CarriedDebt {
  client: string;
  before: number;
  after: number;
}

export interface WeekMove {
  /** Moving forward: the plan version whose ideal[w] was carried; null without a plan. */
  planVersion: number | null;
  carried: CarriedDebt[];
}

/** What an audited carry records, enough to undo it for the weeks a backward move re-opens. */
interface CarryRecord {
  quarter: string;
  shortfallToDateHours: number;
  weeks: number[];
  owed: number[];
  used: number[];
  planVersion?: number;
}

/**
 * Moves a quarter's current week inside the caller's transaction, which flushes (and locks or
 * version-checks the quarter row, so a week's debt is carried once). Forward, each week left
 * behind carries its debt into the prepaid clients' shortfall to date; backward, the debt carried
 * for the weeks re-opened is taken back, so moving on again judges them once, afresh. Either way
 * each client's change is audited, and no debt is invented.
 */
export async function moveCurrentWeek(w: WriteContext, quarter: Quarter, week: number): Promise<WeekMove> {
  const from = quarter.currentWeek;
  const move = week > from ? await carryForward(w, quarter, from, week) : week < from ? await carryBack(w, quarter, week) : { planVersion: null, carried: [] };
  quarter.currentWeek = week;
  w.touch(quarter.id);
  return move;
}

async function carryForward(w: WriteContext, quarter: Quarter, from: number, to: number): Promise<WeekMove> {
  const { tx } = w;
  const stored = await currentPlan(tx, quarter);
  if (!stored) return { planVersion: null, carried: [] };
  const prepaid = stored.plan.clients.filter((c) => c.plan === 'prepaid');
  const ids = prepaid.map((c) => c.id);
  if (ids.length === 0) return { planVersion: stored.version, carried: [] };
  const cqs = await tx.find(ClientQuarter, { quarterId: quarter.id, clientId: { $in: ids } });
  const entries = await tx.find(TimeEntry, { quarterId: quarter.id, clientId: { $in: ids }, week: { $gte: from, $lt: to } }, { fields: ['clientId', 'week', 'hours'] });
  const weeks = Array.from({ length: to - from }, (_, k) => from + k);
  const carried: CarriedDebt[] = [];
  for (const c of prepaid) {
    const cq = cqs.find((x) => x.clientId === c.id);
    const used = Array.from({ length: to }, (_, wk) => (wk < from ? 0 : round((cq?.usedBaseline[wk] ?? 0) + entries.filter((e) => e.clientId === c.id && e.week === wk).reduce((sum, e) => sum + e.hours, 0))));
    // Plans stored before ideal[] was part of the contract owe nothing that can be read.
    const ideal = c.ideal ?? [];
    const record: CarryRecord = { quarter: quarter.id, shortfallToDateHours: 0, weeks, owed: weeks.map((wk) => ideal[wk] ?? 0), used: weeks.map((wk) => used[wk]!), planVersion: stored.version };
    const before = cq?.shortfallToDateHours ?? 0;
    record.shortfallToDateHours = shortfallAfterWeeks(before, ideal, used, from, to);
    if (setShortfall(w, quarter.id, c.id, cq, before, record)) carried.push({ client: c.id, before, after: record.shortfallToDateHours });
  }
  return { planVersion: stored.version, carried };
}

/**
 * The shortfall each client had when the quarter was at week `to`, read back from the carries
 * audited since the quarter was last imported (an import states its own shortfall to date).
 */
async function carryBack(w: WriteContext, quarter: Quarter, to: number): Promise<WeekMove> {
  const { tx } = w;
  const imported = await tx.findOne(AuditEntry, { action: 'import', entity: 'quarter', entityId: quarter.id }, { orderBy: { id: 'desc' }, fields: ['id'] });
  const audits = await tx.find(AuditEntry, { action: 'carry-shortfall', entity: 'client', id: { $gt: imported?.id ?? 0 } }, { orderBy: { id: 'desc' } });
  const byClient = new Map<string, { before: number; record: CarryRecord }[]>();
  for (const a of audits) {
    const record = a.after as CarryRecord;
    if (record.quarter !== quarter.id) continue;
    const list = byClient.get(a.entityId) ?? [];
    list.push({ before: (a.before as { shortfallToDateHours: number }).shortfallToDateHours, record });
    byClient.set(a.entityId, list);
  }
  if (byClient.size === 0) return { planVersion: null, carried: [] };
  const cqs = await tx.find(ClientQuarter, { quarterId: quarter.id, clientId: { $in: [...byClient.keys()] } });
  const carried: CarriedDebt[] = [];
  for (const [client, list] of byClient) {
    // The latest carry that started by week `to` holds the history up to it; later ones are undone.
    const latest = list.find((x) => x.record.weeks[0]! <= to);
    // Its owed and used hours are listed from its first week on.
    const at = latest
      ? shortfallAfterWeeks(latest.before, latest.record.owed, latest.record.used, 0, Math.min(to - latest.record.weeks[0]!, latest.record.weeks.length))
      : list.at(-1)!.before;
    const cq = cqs.find((x) => x.clientId === client);
    const before = cq?.shortfallToDateHours ?? 0;
    const record: CarryRecord = { quarter: quarter.id, shortfallToDateHours: at, weeks: [], owed: [], used: [] };
    if (setShortfall(w, quarter.id, client, cq, before, record, 'uncarry-shortfall')) carried.push({ client, before, after: at });
  }
  return { planVersion: null, carried };
}

function setShortfall(w: WriteContext, quarterId: string, clientId: string, cq: ClientQuarter | undefined, before: number, record: CarryRecord, action = 'carry-shortfall'): boolean {
  const after = record.shortfallToDateHours;
  if (after === before) return false;
  if (cq) cq.shortfallToDateHours = after;
  else w.tx.create(ClientQuarter, { clientId, quarterId, usedBaseline: [], rolloverInHours: 0, shortfallToDateHours: after });
  w.audit(action, 'client', clientId, { quarter: quarterId, shortfallToDateHours: before }, record);
  return true;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export async function advanceWeeks(s: Services, now = new Date()): Promise<string[]> {
  const quarters = await s.store.reader().find(Quarter, { autoAdvance: true, closedAt: null });
  const moved: string[] = [];
  for (const q of quarters) {
    if (!q.startDate) continue;
    const week = weekOf(q.startDate, now, q.weeks);
    if (week === q.currentWeek) continue;
    const move = await s.store.write(null, 'new week', async (w) => {
      // Locked: two instances ticking at once must not both carry the same week's debt.
      const fresh = await w.tx.findOne(Quarter, { id: q.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!fresh || fresh.closedAt || fresh.currentWeek === week) return null;
      w.audit('advance-week', 'quarter', q.id, { currentWeek: fresh.currentWeek }, { currentWeek: week });
      return moveCurrentWeek(w, fresh, week);
    });
    if (!move) continue;
    moved.push(q.id);
    if (move.planVersion === null && week > q.currentWeek) s.logger.warn({ quarterId: q.id, week }, 'moved on without a plan: no shortfall could be carried');
    s.logger.info({ quarterId: q.id, week, carried: move.carried }, 'moved on to a new week');
  }
  return moved;
}

export function startClock(s: Services, everyMs = 5 * 60_000): () => void {
  const tick = () => void advanceWeeks(s).catch((err) => s.logger.error({ err }, 'could not move quarters on to the new week'));
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
