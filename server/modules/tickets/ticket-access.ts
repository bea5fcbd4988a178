/**
 * Which tickets a viewer may read. Managers: all. A client user: its own client's. Staff: the
 * tickets behind their own work (DOMAIN.md "Who uses it"), those they were planned on in any plan
 * version of the ticket's quarter (the staff-ticket pairs plan-store.commitPlan keeps), pinned to,
 * or already logged time on. Staff log hours on exactly these tickets; any other answers as if it
 * did not exist.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../auth/viewer.ts';
import type { Ticket } from '../../db/entities.ts';

const STAFF_TICKETS = `
  select ticket_id from staff_tickets where staff_id = ?
  union select ticket_id from pins where staff_id = ?
  union select ticket_id from time_entries where staff_id = ?`;

export async function staffTicketIds(em: EntityManager, staffId: string): Promise<Set<string>> {
  const rows = await em.execute<{ ticket_id: string }[]>(STAFF_TICKETS, [staffId, staffId, staffId]);
  return new Set(rows.map((r) => r.ticket_id));
}

/** Whether this person works, or worked, on this ticket. */
export async function staffWorksOn(em: EntityManager, staffId: string, ticketId: string): Promise<boolean> {
  const rows = await em.execute<{ one: number }[]>(`select 1 as one from (${STAFF_TICKETS}) as mine where ticket_id = ? limit 1`, [staffId, staffId, staffId, ticketId]);
  return rows.length > 0;
}

export async function canRead(em: EntityManager, v: Viewer, t: Pick<Ticket, 'id' | 'clientId'>): Promise<boolean> {
  if (v.role === 'manager') return true;
  if (v.role === 'client') return t.clientId === v.clientId;
  return v.staffId !== null && staffWorksOn(em, v.staffId, t.id);
}
