/**
 * Time entries: hours worked on a ticket. They are the source of a ticket's spent hours and a
 * client's used hours (see scenario-io), so every change re-plans the entry's quarter.
 *
 * Who may do what (DOMAIN.md): staff log and see their own hours, on the tickets behind their own
 * work; managers everything; a client reads its own client's entries, without who worked them, and
 * never learns of anyone else's.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../../../shared/api/paging.ts';
import type { TimeEntryCreate, TimeEntryListQuery, TimeEntryPatch, TimeEntryRecord } from '../../../shared/api/time-entries.ts';
import { entryView, type EntryRecord } from '../../auth/views.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { Quarter, Staff, Ticket, TimeEntry } from '../../db/entities.ts';
import { badRequest, conflict, forbidden, notFound, validationError } from '../../errors.ts';
import type { EventBus } from '../../events.ts';
import type { WriteContext } from '../../store.ts';
import { decodeCursor, pageOf } from '../paging.ts';
import { FOR_UPDATE } from '../resource-helpers.ts';
import { canRead } from '../tickets/ticket-access.ts';
import { entryWeek } from './entry-week.ts';

/** An entry as the company knows it (the audit trail keeps this). */
export function entryRecord(e: TimeEntry): EntryRecord {
  return {
    id: e.id,
    ticket: e.ticketId,
    client: e.clientId,
    quarter: e.quarterId,
    staff: e.staffId,
    week: e.week,
    date: e.date || null,
    hours: e.hours,
    note: e.note,
    createdAt: e.createdAt.toISOString(),
    version: e.version,
  };
}

/** An entry as its viewer may see it (auth/views.ts: a client never learns who worked it). */
export const publicEntry = (e: TimeEntry, v: Viewer): TimeEntryRecord => entryView(entryRecord(e), v);

type EntryFilter = Partial<Pick<TimeEntry, 'id' | 'staffId' | 'clientId' | 'quarterId' | 'ticketId' | 'week'>>;

/** The entries a viewer may see at all. */
function scope(v: Viewer): EntryFilter {
  if (v.role === 'manager') return {};
  if (v.role === 'staff') return { staffId: v.staffId ?? '' };
  return { clientId: v.clientId ?? '' };
}

/** A page of the entries the viewer may see, oldest first (keyset on the id). */
export async function listEntries(em: EntityManager, v: Viewer, q: TimeEntryListQuery): Promise<Page<TimeEntryRecord>> {
  const after = decodeCursor('time-entries', q.cursor, 'number');
  if (v.role === 'staff' && q.staff && q.staff !== v.staffId) throw forbidden('Staff see their own time entries only: leave out staff, or name yourself.');
  if (v.role === 'client') {
    // Another client's ids answer exactly like ids that do not exist.
    if (q.client && q.client !== v.clientId) throw notFound(`Client ${q.client}`);
    if (q.staff) throw forbidden('Clients cannot filter time entries by staff member.');
    if (q.ticket && !(await em.findOne(Ticket, { id: q.ticket, clientId: v.clientId ?? '' }, { fields: ['id'] }))) throw notFound(`Ticket ${q.ticket}`);
  }
  const where: EntryFilter = { ...scope(v) };
  if (q.quarter) where.quarterId = q.quarter;
  if (q.ticket) where.ticketId = q.ticket;
  if (q.staff) where.staffId = q.staff;
  if (q.client) where.clientId = q.client;
  if (q.week !== undefined) where.week = q.week;
  const total = await em.count(TimeEntry, where);
  const fetched = await em.find(TimeEntry, after === undefined ? where : { ...where, id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: q.limit + 1 });
  const page = pageOf('time-entries', fetched, q, total, (e) => e.id);
  return { ...page, items: page.items.map((e) => publicEntry(e, v)) };
}

/** An entry the viewer may see; `lock` holds its row until the write commits (a change or a removal). */
export async function getEntry(em: EntityManager, v: Viewer, id: number, lock = false): Promise<TimeEntry> {
  const e = await em.findOne(TimeEntry, { id, ...scope(v) }, lock ? FOR_UPDATE : {});
  if (!e) throw notFound(`Time entry ${id}`);
  return e;
}

const fieldError = (field: string, message: string) => validationError([{ field, message }]);

/**
 * The ticket an entry goes on, in a quarter that is still open. Staff log only on the tickets
 * behind their own work (ticket-access.ts): any other ticket answers exactly as one that does not
 * exist, before anything else is said about it.
 */
async function openTicket(tx: EntityManager, v: Viewer, ticketId: string): Promise<{ ticket: Ticket; quarter: Quarter }> {
  const ticket = await tx.findOne(Ticket, { id: ticketId });
  if (v.role === 'staff' && (!ticket || !(await canRead(tx, v, ticket)))) throw notFound(`Ticket ${ticketId}`);
  if (!ticket) throw fieldError('ticket', `unknown ticket "${ticketId}"`);
  const quarter = await tx.findOneOrFail(Quarter, { id: ticket.quarterId });
  if (quarter.closedAt) throw fieldError('ticket', `ticket ${ticketId} is in quarter ${quarter.id}, which is closed: hours can no longer be logged there`);
  return { ticket, quarter };
}

/** Staff name themselves or nobody; managers name anyone. */
function staffFor(v: Viewer, named: string | undefined): string | undefined {
  if (v.role === 'staff') {
    if (named !== undefined && named !== v.staffId) throw forbidden('You can log your own hours only: leave staff out, or name yourself.');
    return v.staffId ?? undefined;
  }
  return named;
}

async function knownStaff(tx: EntityManager, staffId: string | undefined): Promise<string> {
  if (!staffId) throw fieldError('staff', 'is required: whose hours these are');
  if (!(await tx.findOne(Staff, { id: staffId }, { fields: ['id'] }))) throw fieldError('staff', `unknown staff member "${staffId}"`);
  return staffId;
}

export async function createEntry(w: WriteContext, events: EventBus, v: Viewer, body: TimeEntryCreate): Promise<TimeEntry> {
  const { tx } = w;
  const staffId = await knownStaff(tx, staffFor(v, body.staff));
  const { ticket, quarter } = await openTicket(tx, v, body.ticket);
  const when = entryWeek(quarter, body);
  if ('issue' in when) throw validationError([when.issue]);
  const e = tx.create(TimeEntry, {
    staffId,
    ticketId: ticket.id,
    clientId: ticket.clientId,
    quarterId: quarter.id,
    week: when.week,
    date: when.date,
    hours: body.hours,
    note: body.note ?? '',
  });
  await tx.flush();
  w.touch(quarter.id);
  w.audit('create', 'time-entry', e.id, null, entryRecord(e));
  announce(w, events, e, 'created');
  return e;
}

export async function updateEntry(w: WriteContext, events: EventBus, v: Viewer, id: number, body: TimeEntryPatch): Promise<TimeEntry> {
  const { tx } = w;
  const e = await getEntry(tx, v, id, true);
  const staffId = staffFor(v, body.staff);
  const oldQuarter = await editableQuarter(tx, v, e, body.version);
  const before = entryRecord(e);

  const { ticket, quarter } = body.ticket !== undefined ? await openTicket(tx, v, body.ticket) : { ticket: null, quarter: oldQuarter };
  if (body.staff !== undefined) e.staffId = await knownStaff(tx, staffId);
  // A new date or week, or a ticket in another quarter, places the entry again. Moved without a
  // new date, its own date places it in the new quarter (its week, where there are no dates).
  const newWhen = body.date !== undefined || body.week !== undefined;
  if (newWhen || quarter.id !== oldQuarter.id) {
    const when = entryWeek(quarter, newWhen ? body : { date: e.date, week: e.date && quarter.startDate ? undefined : e.week });
    if ('issue' in when) throw validationError([when.issue]);
    e.week = when.week;
    e.date = when.date;
  }
  if (ticket) {
    e.ticketId = ticket.id;
    e.clientId = ticket.clientId;
    e.quarterId = quarter.id;
  }
  if (body.hours !== undefined) e.hours = body.hours;
  if (body.note !== undefined) e.note = body.note;
  await tx.flush();
  w.touch(oldQuarter.id, quarter.id);
  w.audit('update', 'time-entry', e.id, before, entryRecord(e));
  announce(w, events, e, 'updated');
  return e;
}

/**
 * Removes a mistaken entry (its hours go back to the ticket and the client's balance). Staff
 * remove their own; the version read must match, as for a change. The row is locked first: of
 * several removals at once one removes it, and the others then find it gone (404).
 */
export async function deleteEntry(w: WriteContext, events: EventBus, v: Viewer, id: number, version: number): Promise<void> {
  const { tx } = w;
  const e = await getEntry(tx, v, id, true);
  const quarter = await editableQuarter(tx, v, e, version);
  const before = entryRecord(e);
  await tx.remove(e).flush();
  w.touch(quarter.id);
  w.audit('delete', 'time-entry', id, before, null);
  announce(w, events, { ...e, id }, 'deleted');
}

/** The quarter of an entry about to change: the caller read its current version, and the quarter is open. */
async function editableQuarter(tx: WriteContext['tx'], v: Viewer, e: TimeEntry, version: number): Promise<Quarter> {
  if (e.version !== version) {
    throw conflict('This time entry changed since you read it. Check the current values and apply your change again.', { current: publicEntry(e, v) });
  }
  const quarter = await tx.findOneOrFail(Quarter, { id: e.quarterId });
  if (quarter.closedAt) throw badRequest(`Time entry ${e.id} is in quarter ${quarter.id}, which is closed; it can no longer be changed.`);
  return quarter;
}

function announce(w: WriteContext, events: EventBus, e: Pick<TimeEntry, 'id' | 'quarterId' | 'ticketId' | 'clientId' | 'staffId'>, action: 'created' | 'updated' | 'deleted'): void {
  const payload = { quarterId: e.quarterId, entryId: e.id, ticketId: e.ticketId, clientId: e.clientId, staffId: e.staffId, action };
  w.afterCommit(() => events.emit('time-entry.changed', payload));
}
