/**
 * Privacy by inclusion (shared/STYLE.md): what each audience sees of every record the API sends
 * is copied from a typed allow-list, never spread and trimmed. Every field of a record has a
 * decision per audience, so a field added to a record later does not compile until someone
 * decides who sees it:
 * - `show`: copied as it is;
 * - `reword`: built anew for that audience by the code that uses the list (it names nobody else);
 * - `hide`: left out.
 * Plans are cut in modules/plans/plan-view.ts and socket events in realtime/audiences.ts, with
 * these same helpers.
 */
import type { BlockRecord, ClientRecord } from '../../shared/api/clients.ts';
import type { TicketRecord } from '../../shared/api/tickets.ts';
import type { TimeEntryRecord } from '../../shared/api/time-entries.ts';
import type { UserRecord } from '../../shared/api/users.ts';
import type { User } from '../db/entities.ts';
import type { Viewer } from './viewer.ts';

export type Audience = 'manager' | 'staff' | 'client';
export type Decision = 'show' | 'hide' | 'reword';
/** A decision for every field of T, for one audience. */
export type Decisions<T> = Record<keyof T, Decision>;
/** A decision for every field of T, for every audience. */
export type AudienceDecisions<T> = Record<Audience, Decisions<T>>;

type Shown<L> = { [K in keyof L]: L[K] extends 'show' ? K : never }[keyof L];
export type Cut<T, L> = Pick<T, Shown<L> & keyof T>;

export const audienceOf = (v: Pick<Viewer, 'role'>): Audience => v.role;

/** The fields of `record` its list shows, and nothing else. */
export function cut<T extends object, const L extends Decisions<T>>(record: T, list: L): Cut<T, L> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(list) as (keyof T & string)[]) {
    if (list[key] === 'show' && record[key] !== undefined) out[key] = record[key];
  }
  return out as Cut<T, L>;
}

// Users. Non-managers only ever see themselves.

/** A user as the company knows it (the audit trail keeps this). */
export type WholeUser = Required<UserRecord>;

const self = { id: 'show', email: 'show', role: 'show', client: 'show', staff: 'show', version: 'show', createdAt: 'show', disabled: 'hide' } as const;
export const USER_FIELDS = {
  manager: { id: 'show', email: 'show', role: 'show', client: 'show', staff: 'show', version: 'show', createdAt: 'show', disabled: 'show' },
  staff: self,
  client: self,
} as const satisfies AudienceDecisions<WholeUser>;

export function userRecord(u: User): WholeUser {
  return { id: u.id, email: u.email, role: u.role, client: u.clientId ?? null, staff: u.staffId ?? null, version: u.version, createdAt: u.createdAt.toISOString(), disabled: u.disabledAt != null };
}

export function userView(u: User, v: Pick<Viewer, 'role'>): UserRecord {
  return cut(userRecord(u), USER_FIELDS[audienceOf(v)]);
}

// Tickets: staff see the tickets behind their own work, a client its own; the work is theirs to see.

const wholeTicket = {
  id: 'show',
  client: 'show',
  title: 'show',
  description: 'show',
  priority: 'show',
  estimateHours: 'show',
  spentHours: 'show',
  openedWeek: 'show',
  skill: 'show',
  emergency: 'show',
  dueWeek: 'show',
  status: 'show',
  quarter: 'show',
  // The tracker's reference: the client's own tracker (or the company's), so theirs to see.
  source: 'show',
  externalId: 'show',
  url: 'show',
  emergencyRequested: 'show',
  version: 'show',
  createdAt: 'show',
  updatedAt: 'show',
} as const;
export const TICKET_FIELDS = { manager: wholeTicket, staff: wholeTicket, client: wholeTicket } as const satisfies AudienceDecisions<TicketRecord>;

export const ticketView = (t: TicketRecord, v: Pick<Viewer, 'role'>): TicketRecord => cut(t, TICKET_FIELDS[audienceOf(v)]);

// Time entries: staff see their own; a client its own client's, without who worked them or
// their notes (written by staff for the company).

/** An entry as the company knows it (the audit trail keeps this). */
export type EntryRecord = Required<TimeEntryRecord>;

const wholeEntry = { id: 'show', ticket: 'show', client: 'show', quarter: 'show', staff: 'show', week: 'show', date: 'show', hours: 'show', note: 'show', createdAt: 'show', version: 'show' } as const;
export const ENTRY_FIELDS = {
  manager: wholeEntry,
  staff: wholeEntry,
  client: { ...wholeEntry, staff: 'hide', note: 'hide' },
} as const satisfies AudienceDecisions<EntryRecord>;

export const entryView = (e: EntryRecord, v: Pick<Viewer, 'role'>): TimeEntryRecord => cut(e, ENTRY_FIELDS[audienceOf(v)]);

// Clients: managers every client; a client user its own record (staff have none to read).

const wholeBlock = { id: 'show', quarter: 'show', week: 'show', hours: 'show', createdAt: 'show', version: 'show' } as const;
export const BLOCK_FIELDS = { manager: wholeBlock, staff: { id: 'hide', quarter: 'hide', week: 'hide', hours: 'hide', createdAt: 'hide', version: 'hide' }, client: wholeBlock } as const satisfies AudienceDecisions<BlockRecord>;

const wholeClient = {
  id: 'show',
  name: 'show',
  plan: 'show',
  // The client's own liaison: theirs to see.
  contact: 'show',
  active: 'show',
  // A client sees its own prices: they are its contract.
  blockPriceMinor: 'show',
  paygRateMinor: 'show',
  version: 'show',
  quarter: 'show',
  blocks: 'reword',
  rolloverInHours: 'show',
  usedByWeek: 'show',
  shortfallToDateHours: 'show',
} as const;
export const CLIENT_RECORD_FIELDS = {
  manager: wholeClient,
  // Staff read no client records (403); were they to, a name is all they would need.
  staff: { id: 'show', name: 'show', plan: 'hide', contact: 'hide', active: 'hide', blockPriceMinor: 'hide', paygRateMinor: 'hide', version: 'hide', quarter: 'hide', blocks: 'hide', rolloverInHours: 'hide', usedByWeek: 'hide', shortfallToDateHours: 'hide' },
  client: wholeClient,
} as const satisfies AudienceDecisions<ClientRecord>;

/** The audiences that read client records: managers, and a client its own. */
export type ClientReader = { role: 'manager' | 'client' };

export const blockView = (b: BlockRecord, v: ClientReader): BlockRecord => cut(b, BLOCK_FIELDS[v.role]);

export function clientRecordView(c: ClientRecord, v: ClientReader): ClientRecord {
  return { ...cut(c, CLIENT_RECORD_FIELDS[v.role]), blocks: c.blocks.map((b) => blockView(b, v)) };
}
