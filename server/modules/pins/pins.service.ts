/**
 * Pins (DOMAIN.md "Pins"): a manager fixes hours, this person on this ticket in this week. Every
 * change re-plans the pin's quarter. A pin the planner cannot hold (a missing skill, too many
 * hours, a ticket closed since) is stored all the same: the plan says why in `pinIssues`. Only
 * what cannot be a pin at all is refused: a ticket of another quarter, an unknown person, a week
 * outside the quarter.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PinCreate, PinListQuery, PinRecord } from '../../../shared/api/pins.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { Pin, Staff, Ticket, User } from '../../db/entities.ts';
import { conflict, notFound, validationError, type FieldIssue } from '../../errors.ts';
import type { Services } from '../../services.ts';
import type { WriteContext } from '../../store.ts';
import { checkWeek, readQuarter, writableQuarter } from '../resource-helpers.ts';

export function pinJson(p: Pin, clientId: string | null, email: string | null): PinRecord {
  return {
    id: p.id,
    quarter: p.quarterId,
    ticket: p.ticketId,
    client: clientId,
    staff: p.staffId,
    week: p.week,
    hours: p.hours,
    pinnedBy: p.createdBy != null ? { id: p.createdBy, email } : null,
    pinnedAt: p.createdAt.toISOString(),
  };
}
export type PinJson = PinRecord;

export async function pinsJson(em: EntityManager, pins: Pin[]): Promise<PinJson[]> {
  if (pins.length === 0) return [];
  // One query at a time: inside a transaction they share one connection.
  const tickets = await em.find(Ticket, { id: { $in: [...new Set(pins.map((p) => p.ticketId))] } }, { fields: ['id', 'clientId'] });
  const userIds = [...new Set(pins.map((p) => p.createdBy).filter((u): u is number => u != null))];
  const users = userIds.length > 0 ? await em.find(User, { id: { $in: userIds } }, { fields: ['id', 'email'] }) : [];
  const clientOf = new Map(tickets.map((t) => [t.id, t.clientId]));
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  return pins.map((p) => pinJson(p, clientOf.get(p.ticketId) ?? null, p.createdBy != null ? (emailOf.get(p.createdBy) ?? null) : null));
}

export class PinsService {
  constructor(private readonly s: Services) {}

  /** The pins of the quarter named, else of the current one. */
  async list(query: PinListQuery): Promise<PinJson[]> {
    const em = this.s.store.reader();
    const q = await readQuarter(em, query.quarter);
    if (!q) return [];
    return pinsJson(em, await em.find(Pin, { quarterId: q.id }, { orderBy: { week: 'asc', id: 'asc' } }));
  }

  async create(v: Viewer, body: PinCreate): Promise<PinJson> {
    return this.s.store.write(v, 'pin added', async (w) => {
      const { tx } = w;
      const q = await writableQuarter(tx, body.quarter);
      checkWeek(q, body.week, 'week');
      const issues: FieldIssue[] = [];
      const ticket = await tx.findOne(Ticket, { id: body.ticket }, { fields: ['id', 'quarterId', 'clientId'] });
      if (!ticket || ticket.quarterId !== q.id) issues.push({ field: 'ticket', message: `no ticket "${body.ticket}" in quarter ${q.id}` });
      const staff = await tx.findOne(Staff, { id: body.staff }, { fields: ['id', 'active'] });
      if (!staff) issues.push({ field: 'staff', message: `unknown staff member "${body.staff}"` });
      else if (!staff.active) issues.push({ field: 'staff', message: `${body.staff} is inactive: reactivate them before pinning their hours` });
      if (issues.length > 0) throw validationError(issues);

      const where = { quarterId: q.id, ticketId: body.ticket, staffId: body.staff, week: body.week };
      const existing = await tx.findOne(Pin, where);
      if (existing) {
        throw conflict(`${body.staff} is already pinned to ${body.ticket} in week ${body.week} (${existing.hours} h): unpin that first to pin other hours.`, {
          current: (await pinsJson(tx, [existing]))[0],
        });
      }
      const pin = tx.create(Pin, { ...where, hours: body.hours, createdBy: v.userId });
      await tx.flush();
      const json = (await pinsJson(tx, [pin]))[0]!;
      this.changed(w, json, null, json);
      return json;
    });
  }

  async remove(v: Viewer, id: number): Promise<void> {
    await this.s.store.write(v, 'pin removed', async (w) => {
      const pin = await w.tx.findOne(Pin, { id });
      if (!pin) throw notFound(`Pin ${id}`);
      await writableQuarter(w.tx, pin.quarterId);
      const json = (await pinsJson(w.tx, [pin]))[0]!;
      w.tx.remove(pin);
      await w.tx.flush();
      this.changed(w, json, json, null);
    });
  }

  private changed(w: WriteContext, pin: PinJson, before: PinJson | null, after: PinJson | null): void {
    w.touch(pin.quarter);
    w.audit(after ? 'create' : 'delete', 'pin', pin.id, before, after);
    // Managers' pin lists follow; everyone else hears of the pin through the new plan.
    w.afterCommit(() => this.s.events.emit('data.changed', { quarterIds: [pin.quarter], entity: 'pin', id: String(pin.id) }));
  }
}
