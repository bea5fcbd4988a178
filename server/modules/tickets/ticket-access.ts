/**
 * Which tickets a viewer may read. Managers: all. A client user: its own client's. Staff: the
 * tickets behind their own work, meaning those they have allocations on in a quarter's current
 * plan or have logged time on.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../auth/viewer.ts';
import { AllocationRecord, Quarter, TimeEntry, type Ticket } from '../../db/entities.ts';

export async function staffTicketIds(em: EntityManager, staffId: string): Promise<Set<string>> {
  const quarters = await em.find(Quarter, { currentPlanId: { $ne: null } }, { fields: ['currentPlanId'] });
  const planIds = quarters.map((q) => q.currentPlanId!);
  const ids = new Set<string>();
  if (planIds.length > 0) {
    for (const a of await em.find(AllocationRecord, { planId: { $in: planIds }, staffId }, { fields: ['ticketId'] })) ids.add(a.ticketId);
  }
  for (const e of await em.find(TimeEntry, { staffId }, { fields: ['ticketId'] })) ids.add(e.ticketId);
  return ids;
}

export async function canRead(em: EntityManager, v: Viewer, t: Ticket): Promise<boolean> {
  if (v.role === 'manager') return true;
  if (v.role === 'client') return t.clientId === v.clientId;
  return v.staffId !== null && (await staffTicketIds(em, v.staffId)).has(t.id);
}
