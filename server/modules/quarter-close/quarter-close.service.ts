/**
 * Closing a quarter, from its current plan (DOMAIN.md "Forecast, expiry and rollover"):
 * - each prepaid client's rollover (the company's debt) becomes a RolloverCredit into the next
 *   quarter and that quarter's rolloverInHours; its at-risk hours are recorded as expired;
 * - every open ticket moves to the next quarter, opened in week 0, with the hours logged on it
 *   so far kept in its spent baseline (they stay as time entries of the closed quarter);
 * - each client's statement for the closed quarter is stored (migration 0013), from the same plan;
 * - the closed quarter becomes read-only (see migration 0003) and the next one is planned.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Plan } from '../../../solver/index.ts';
import { AuditEntry, Client, ClientQuarter, Quarter, RolloverCredit, Ticket, TimeEntry } from '../../db/entities.ts';
import { conflict, notFound, validationError } from '../../errors.ts';
import type { EventBus } from '../../events.ts';
import { currentPlan } from '../../planning/plan-store.ts';
import type { WriteContext } from '../../store.ts';
import { buildStatements } from '../statements/statement-build.ts';
import { storeStatements } from '../statements/statement-store.ts';
import { addDays } from '../time-entries/entry-week.ts';

export interface NextQuarterInput {
  id: string;
  weeks?: number;
  startDate?: string;
}

export interface CloseResult {
  quarter: Quarter;
  next: Quarter;
  planVersion: number;
  clients: { client: string; rolloverHours: number; expiredHours: number }[];
  carriedTickets: string[];
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const fieldError = (field: string, message: string) => validationError([{ field, message }]);

export async function closeQuarter(w: WriteContext, events: EventBus, id: string, input: NextQuarterInput): Promise<CloseResult> {
  const { tx } = w;
  // Locked until commit: a change that would move the plan waits for the close, then finds the quarter closed.
  const quarter = await tx.findOne(Quarter, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!quarter) throw notFound(`Quarter ${id}`);
  if (quarter.closedAt) throw conflict(`Quarter ${id} was already closed on ${quarter.closedAt.toISOString().slice(0, 10)}.`);
  if (input.id === id) throw fieldError('nextQuarter.id', 'must be another quarter than the one being closed');
  const stored = await currentPlan(tx, quarter);
  if (!stored || stored.dataRevision < quarter.dataRevision) {
    throw conflict(`The plan of quarter ${id} does not include the latest changes yet: the quarter is being re-planned, try again in a moment.`);
  }
  const next = await nextQuarter(tx, quarter, input);

  const clients = await figures(tx, quarter, next, stored.plan);
  const carriedTickets = await carryTickets(tx, quarter, next);
  // Flushed before closed_at is set: the database refuses changes to a closed quarter's rows.
  await tx.flush();
  // Each client's statement as the close leaves it, stored in this transaction (issue 12).
  const closedAt = new Date();
  await storeStatements(tx, await buildStatements(tx, { quarter, planVersion: stored.version, plan: stored.plan, closedAt, now: closedAt }));
  quarter.closedAt = closedAt;
  quarter.autoAdvance = false;
  await tx.flush();

  w.touch(next.id);
  w.audit('close', 'quarter', id, null, { nextQuarter: next.id, planVersion: stored.version, clients, carriedTickets: carriedTickets.length });
  w.afterCommit(() => {
    events.emit('data.changed', { quarterIds: [id, next.id], entity: 'quarter', id });
    for (const t of carriedTickets) events.emit('ticket.changed', { quarterId: next.id, ticketId: t.id, clientId: t.clientId, action: 'updated' });
  });
  return { quarter, next, planVersion: stored.version, clients, carriedTickets: carriedTickets.map((t) => t.id) };
}

/** The next quarter: found (it must still be open and agree with what was asked) or created. */
async function nextQuarter(tx: EntityManager, closing: Quarter, input: NextQuarterInput): Promise<Quarter> {
  let next = await tx.findOne(Quarter, { id: input.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (next) {
    if (next.closedAt) throw fieldError('nextQuarter.id', `quarter ${input.id} is closed too: name a quarter still to come`);
    if (input.weeks !== undefined && input.weeks !== next.weeks) throw fieldError('nextQuarter.weeks', `quarter ${input.id} already exists with ${next.weeks} weeks`);
    if (input.startDate !== undefined && input.startDate !== next.startDate) {
      throw fieldError('nextQuarter.startDate', `quarter ${input.id} already exists starting ${next.startDate ?? 'with no start date'}`);
    }
  } else {
    const startDate = input.startDate ?? (closing.startDate ? addDays(closing.startDate, closing.weeks * 7) : null);
    next = tx.create(Quarter, { id: input.id, weeks: input.weeks ?? closing.weeks, currentWeek: 0, startDate });
  }
  // A policy the next quarter already has is its own; otherwise it carries on.
  if (!next.policy && closing.policy) next.policy = structuredClone(closing.policy);
  await tx.flush();
  return next;
}

async function figures(tx: EntityManager, closing: Quarter, next: Quarter, plan: Plan): Promise<CloseResult['clients']> {
  const ids = plan.clients.filter((c) => c.plan === 'prepaid').map((c) => c.id);
  const known = new Set((await tx.find(Client, { id: { $in: ids } }, { fields: ['id'] })).map((c) => c.id));
  const cqs = await tx.find(ClientQuarter, { quarterId: { $in: [closing.id, next.id] }, clientId: { $in: ids } });
  const cqOf = (quarterId: string, clientId: string) => {
    let cq = cqs.find((c) => c.quarterId === quarterId && c.clientId === clientId);
    if (!cq) cqs.push((cq = tx.create(ClientQuarter, { clientId, quarterId, usedBaseline: [], rolloverInHours: 0, shortfallToDateHours: 0 })));
    return cq;
  };
  // Hours other quarters already rolled into the next one still count.
  const earlier = await tx.find(RolloverCredit, { toQuarterId: next.id, clientId: { $in: ids }, fromQuarterId: { $ne: closing.id } });

  const out = closeFigures(plan, known);
  for (const f of out) {
    Object.assign(cqOf(closing.id, f.client), { rolledOverHours: f.rolloverHours, expiredHours: f.expiredHours });
    if (f.rolloverHours > 0) tx.create(RolloverCredit, { clientId: f.client, fromQuarterId: closing.id, toQuarterId: next.id, hours: f.rolloverHours });
    const rolledIn = earlier.filter((r) => r.clientId === f.client).reduce((sum, r) => sum + r.hours, f.rolloverHours);
    cqOf(next.id, f.client).rolloverInHours = round(rolledIn);
  }
  return out;
}

/**
 * What a close does to each prepaid client of the plan (the close and its preview both use this):
 * its rollover (the company's shortfall) rolls over, its at-risk hours expire. `known`: the
 * clients still on record (a plan may name one since removed).
 */
export function closeFigures(plan: Plan, known: ReadonlySet<string>): CloseResult['clients'] {
  return plan.clients
    .filter((c) => c.plan === 'prepaid' && known.has(c.id))
    .map((c) => ({ client: c.id, rolloverHours: round(c.rolloverHours), expiredHours: round(c.atRiskHours) }));
}

/** Overage to bill at close: each client's prepaid work beyond its balance, from the same plan. */
export function closeOverage(plan: Plan): { client: string; hours: number }[] {
  return plan.clients.filter((c) => c.overageHours > 0).map((c) => ({ client: c.id, hours: round(c.overageHours) }));
}

async function carryTickets(tx: EntityManager, closing: Quarter, next: Quarter): Promise<Ticket[]> {
  const open = await tx.find(Ticket, { quarterId: closing.id, status: 'open' }, { orderBy: { id: 'asc' } });
  const entries = await tx.find(TimeEntry, { quarterId: closing.id, ticketId: { $in: open.map((t) => t.id) } }, { fields: ['ticketId', 'hours'] });
  const logged = new Map<string, number>();
  for (const e of entries) logged.set(e.ticketId, (logged.get(e.ticketId) ?? 0) + e.hours);
  for (const t of open) {
    t.quarterId = next.id;
    t.openedWeek = 0;
    t.spentBaseline = round(t.spentBaseline + (logged.get(t.id) ?? 0));
    // Week numbers belong to a quarter: a due week of the old quarter is already past.
    if (t.dueWeek !== null && t.dueWeek !== undefined) t.dueWeek = 0;
  }
  return open;
}

export interface ClosePreview {
  quarter: Quarter;
  planVersion: number | null;
  upToDate: boolean;
  clients: (CloseResult['clients'][number] & { name: string })[];
  overage: { client: string; name: string; hours: number }[];
  carriedTickets: string[] | null;
  nextQuarter: string | null;
}

/**
 * GET /api/quarters/:id/close-preview: what closing now would do, computed as the close computes
 * it (closeFigures on the plan in force; the open tickets that would move on). A closed quarter
 * answers what its close did, from the plan it was closed on.
 */
export async function previewClose(em: EntityManager, id: string): Promise<ClosePreview> {
  const quarter = await em.findOne(Quarter, { id });
  if (!quarter) throw notFound(`Quarter ${id}`);
  const stored = await currentPlan(em, quarter);
  const plan = stored?.plan;
  const names = new Map((plan?.clients ?? []).map((c) => [c.id, c.name]));
  const ids = (plan?.clients ?? []).map((c) => c.id);
  const known = new Set((ids.length ? await em.find(Client, { id: { $in: ids } }, { fields: ['id'] }) : []).map((c) => c.id));
  let carried: string[] | null = null;
  let nextQuarter: string | null = null;
  if (quarter.closedAt) {
    const closed = await em.findOne(AuditEntry, { entity: 'quarter', entityId: id, action: 'close' }, { orderBy: { id: 'desc' } });
    const after = (closed?.after ?? {}) as { nextQuarter?: string };
    nextQuarter = after.nextQuarter ?? null;
  } else {
    carried = (await em.find(Ticket, { quarterId: id, status: 'open' }, { orderBy: { id: 'asc' }, fields: ['id'] })).map((t) => t.id);
  }
  return {
    quarter,
    planVersion: stored?.version ?? null,
    upToDate: Boolean(stored && stored.dataRevision >= quarter.dataRevision),
    clients: plan ? closeFigures(plan, known).map((f) => ({ ...f, name: names.get(f.client) ?? f.client })) : [],
    overage: plan ? closeOverage(plan).map((o) => ({ ...o, name: names.get(o.client) ?? o.client })) : [],
    carriedTickets: carried,
    nextQuarter,
  };
}
