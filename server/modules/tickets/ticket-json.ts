/** A ticket as the API shows it: the scenario's fields, with spent hours from time entries. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Priority, TicketRecord } from '../../../shared/api/tickets.ts';
import { Ticket, TimeEntry } from '../../db/entities.ts';
import { chunks } from '../resource-helpers.ts';

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function ticketJson(t: Ticket, logged: number): TicketRecord {
  return {
    id: t.id,
    client: t.clientId,
    title: t.title,
    description: t.description,
    // The database's check allows 1 to 4 only (migration 0001).
    priority: t.priority as Priority,
    estimateHours: t.estimateHours,
    spentHours: round(t.spentBaseline + logged),
    openedWeek: t.openedWeek,
    skill: t.skill ?? null,
    emergency: t.emergency,
    dueWeek: t.dueWeek ?? null,
    status: t.status,
    quarter: t.quarterId,
    source: t.source ?? null,
    externalId: t.externalId ?? null,
    url: t.url ?? null,
    emergencyRequested: t.emergencyRequested,
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
export type TicketJson = TicketRecord;

/** Hours logged on each ticket (time entries). */
export async function loggedHours(em: EntityManager, ticketIds: string[]): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  // One query at a time: a transaction has a single connection.
  for (const ids of chunks(ticketIds)) {
    const entries = await em.find(TimeEntry, { ticketId: { $in: ids } }, { fields: ['ticketId', 'hours'] });
    for (const e of entries) sums.set(e.ticketId, (sums.get(e.ticketId) ?? 0) + e.hours);
  }
  return sums;
}

export async function ticketsJson(em: EntityManager, tickets: Ticket[]): Promise<TicketJson[]> {
  const logged = await loggedHours(em, tickets.map((t) => t.id));
  return tickets.map((t) => ticketJson(t, logged.get(t.id) ?? 0));
}
