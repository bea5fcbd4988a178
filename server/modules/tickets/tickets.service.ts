/**
 * Tickets. Managers file, plan and edit every ticket; a client user files and words its own
 * client's tickets; staff read the tickets behind their own work. A ticket the viewer may not
 * read answers 404, as if it did not exist, before any other check.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../../../shared/api/paging.ts';
import type { TicketCreate, TicketListQuery, TicketPatch } from '../../../shared/api/tickets.ts';
import { compareIds } from '../../../solver/index.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { Client, Quarter, Ticket } from '../../db/entities.ts';
import { badRequest, conflict, forbidden, notFound, validationError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { decodeCursor, pageOf } from '../paging.ts';
import { checkVersion, checkWeek, chunks, FOR_UPDATE, withConflictDetails, writableQuarter } from '../resource-helpers.ts';
import { canRead, staffTicketIds } from './ticket-access.ts';
import { loggedHours, ticketJson, ticketsJson, type TicketJson } from './ticket-json.ts';

/** A client user's new ticket gets this estimate until a manager refines it. */
export const CLIENT_DEFAULT_ESTIMATE = 2;

/** What a client user may send: it files tickets and words them; a manager plans them. */
export const CLIENT_CREATE_FIELDS: readonly string[] = ['client', 'quarter', 'title', 'description', 'priority', 'estimateHours', 'dueWeek'];
export const CLIENT_PATCH_FIELDS: readonly string[] = ['version', 'title', 'description', 'priority', 'dueWeek'];

export class TicketsService {
  constructor(private readonly s: Services) {}

  /**
   * A page of the tickets the viewer may read, in id order with numbers in number order (the
   * order of the scenario and the CSV export). The matching ids are read and ordered first, a
   * few bytes each, and only the page's tickets are loaded whole.
   */
  async list(v: Viewer, query: TicketListQuery): Promise<Page<TicketJson>> {
    const after = decodeCursor('tickets', query.cursor, 'string');
    const em = this.s.store.reader();
    const where: Record<string, unknown> = {};
    if (query.quarter) where.quarterId = query.quarter;
    if (query.status) where.status = query.status;
    if (query.priority) where.priority = query.priority;
    if (query.client) where.clientId = query.client;
    // Another client's tickets do not exist for a client user: filtering on them finds nothing.
    if (v.role === 'client') {
      if (query.client && query.client !== v.clientId) return { items: [], total: 0, nextCursor: null };
      where.clientId = v.clientId;
    }
    // Ids only, kept out of the identity map: the page's tickets are loaded whole below.
    const idsOf = async (filter: Record<string, unknown>) => (await em.find(Ticket, filter, { fields: ['id'], disableIdentityMap: true })).map((t) => t.id);
    let ids: string[];
    if (v.role === 'staff') {
      ids = [];
      for (const chunk of chunks([...(await staffTicketIds(em, v.staffId ?? ''))])) ids.push(...(await idsOf({ ...where, id: { $in: chunk } })));
    } else {
      ids = await idsOf(where);
    }
    ids.sort(compareIds);
    const from = after === undefined ? 0 : firstAfter(ids, after);
    const pageIds = ids.slice(from, from + query.limit + 1);
    const byId = new Map((pageIds.length ? await em.find(Ticket, { id: { $in: pageIds } }) : []).map((t) => [t.id, t]));
    const page = pageOf('tickets', pageIds, query, ids.length, (id) => id);
    return { ...page, items: await ticketsJson(em, page.items.map((id) => byId.get(id)!)) };
  }

  async get(v: Viewer, id: string): Promise<TicketJson> {
    const em = this.s.store.reader();
    const ticket = await em.findOne(Ticket, { id });
    if (!ticket || !(await canRead(em, v, ticket))) throw notFound(`Ticket ${id}`);
    return (await ticketsJson(em, [ticket]))[0]!;
  }

  async create(v: Viewer, body: TicketCreate): Promise<TicketJson> {
    if (v.role === 'staff') throw forbidden('Staff cannot file tickets; a manager or the client does.');
    if (v.role === 'client') {
      refuseFields(body, CLIENT_CREATE_FIELDS, 'when filing a ticket');
      // A ticket for another client is refused as if that client did not exist.
      if (body.client !== undefined && body.client !== v.clientId) throw notFound(`Client ${body.client}`);
    } else {
      const missing = (['client', 'estimateHours'] as const).filter((f) => body[f] === undefined);
      if (missing.length > 0) throw validationError(missing.map((field) => ({ field, message: 'is required' })));
    }
    const clientId = body.client ?? v.clientId!;
    return this.s.store.write(v, 'ticket filed', async (w) => {
      const { tx } = w;
      await activeClient(tx, clientId);
      const q = await writableQuarter(tx, body.quarter);
      const openedWeek = body.openedWeek ?? q.currentWeek;
      checkWeek(q, openedWeek, 'openedWeek');
      checkWeek(q, body.dueWeek, 'dueWeek');
      const id = body.id ?? (await nextTicketId(tx));
      if (body.id && (await tx.findOne(Ticket, { id }, { fields: ['id'] }))) throw conflict(`Ticket ${id} already exists.`);
      const ticket = tx.create(Ticket, {
        id,
        clientId,
        quarterId: q.id,
        title: body.title,
        description: body.description ?? '',
        priority: body.priority,
        estimateHours: body.estimateHours ?? CLIENT_DEFAULT_ESTIMATE,
        spentBaseline: body.spentHours ?? 0,
        openedWeek,
        skill: body.skill ?? null,
        dueWeek: body.dueWeek ?? null,
        emergency: body.emergency ?? false,
        status: body.status ?? 'open',
      });
      await tx.flush();
      const json = ticketJson(ticket, 0);
      this.changed(w, json, null, 'created');
      return json;
    });
  }

  async update(v: Viewer, id: string, body: TicketPatch): Promise<TicketJson> {
    const write = () =>
      this.s.store.write(v, 'ticket changed', async (w) => {
        const { tx } = w;
        const ticket = await tx.findOne(Ticket, { id }, FOR_UPDATE);
        if (!ticket || !(await canRead(tx, v, ticket))) throw notFound(`Ticket ${id}`);
        if (v.role === 'staff') throw forbidden('Staff cannot edit tickets; ask a manager.');
        if (v.role === 'client') {
          refuseFields(body, CLIENT_PATCH_FIELDS, 'on a ticket');
          if (ticket.status === 'closed') throw forbidden(`Ticket ${id} is closed; ask a manager to reopen it.`);
        }
        const logged = (await loggedHours(tx, [id])).get(id) ?? 0;
        const before = ticketJson(ticket, logged);
        checkVersion(ticket, body.version, () => before);
        const q = await writableQuarter(tx, ticket.quarterId);
        await applyPatch(tx, q, ticket, body, logged);
        await tx.flush();
        const after = ticketJson(ticket, logged);
        if (after.version !== before.version) this.changed(w, after, before, 'updated');
        return after;
      });
    return withConflictDetails(write, () => this.get(v, id));
  }

  private changed(w: WriteContext, after: TicketJson, before: TicketJson | null, action: 'created' | 'updated'): void {
    ticketChanged(this.s, w, after, before, action);
  }
}

/** A ticket written: re-plan its quarter, audit it, and announce it after the commit (also trackers' tickets, modules/intake). */
export function ticketChanged(s: Pick<Services, 'events'>, w: WriteContext, after: TicketJson, before: TicketJson | null, action: 'created' | 'updated'): void {
  const { quarter: quarterId, id: ticketId, client: clientId } = after;
  w.touch(quarterId);
  w.audit(action === 'created' ? 'create' : 'update', 'ticket', ticketId, before, after);
  w.afterCommit(() => {
    s.events.emit('ticket.changed', { quarterId, ticketId, clientId, action });
    // The client it moved away from sees it go.
    if (before && before.client !== clientId) s.events.emit('ticket.changed', { quarterId, ticketId, clientId: before.client, action });
    if (after.emergency && !before?.emergency) s.events.emit('emergency.declared', { quarterId, ticketId, clientId, at: new Date().toISOString() });
  });
}

/** The index of the first id after `after` in sorted `ids` (`after` itself may be gone). */
function firstAfter(ids: string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareIds(ids[mid]!, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function refuseFields(body: object, allowed: readonly string[], where: string): void {
  const refused = Object.keys(body).filter((k) => !allowed.includes(k) && (body as Record<string, unknown>)[k] !== undefined);
  if (refused.length > 0) {
    throw forbidden(`Only managers can set ${refused.join(', ')} ${where}. You can set ${allowed.filter((f) => f !== 'version').join(', ')}.`);
  }
}

async function activeClient(tx: EntityManager, clientId: string): Promise<void> {
  const client = await tx.findOne(Client, { id: clientId }, { fields: ['active'] });
  if (!client) throw notFound(`Client ${clientId}`);
  if (!client.active) throw badRequest(`Client ${clientId} is inactive; reactivate it before filing its tickets.`, [{ field: 'client', message: 'is inactive' }]);
}

async function applyPatch(tx: EntityManager, q: Quarter, t: Ticket, body: TicketPatch, logged: number): Promise<void> {
  checkWeek(q, body.openedWeek, 'openedWeek');
  checkWeek(q, body.dueWeek, 'dueWeek');
  if (body.client !== undefined && body.client !== t.clientId) {
    await activeClient(tx, body.client);
    t.clientId = body.client;
  }
  if (body.spentHours !== undefined) {
    // Time entries are history: the figure sent sets what was spent before them.
    const baseline = body.spentHours - logged;
    if (baseline < -1e-9) throw validationError([{ field: 'spentHours', message: `must be at least ${logged}: the hours logged as time entries` }]);
    if (Math.abs(baseline - t.spentBaseline) > 1e-9) t.spentBaseline = Math.max(0, baseline);
  }
  // Declaring the emergency answers a tracker's request for one.
  if (body.emergency === true && body.emergencyRequested === undefined) t.emergencyRequested = false;
  const simple = ['title', 'description', 'priority', 'estimateHours', 'openedWeek', 'skill', 'emergency', 'emergencyRequested', 'dueWeek', 'status'] as const;
  for (const key of simple) {
    const value = body[key];
    if (value !== undefined && value !== (t[key] ?? null)) (t as Record<string, unknown>)[key] = value;
  }
}

/**
 * The next free `T-<n>`: one more than the highest such id. A transaction-scoped advisory lock
 * makes concurrent filings take turns, so two never pick the same number.
 */
export async function nextTicketId(tx: EntityManager): Promise<string> {
  await tx.execute('select pg_advisory_xact_lock(7340033)');
  const rows = await tx.execute<{ n: string | null }[]>(`select max(substring(id from '^T-([0-9]{1,15})$')::bigint) as n from tickets`);
  return `T-${Number(rows[0]?.n ?? 0) + 1}`;
}
