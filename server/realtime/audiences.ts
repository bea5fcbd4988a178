/**
 * Who hears what. Each domain event becomes one emit per audience room, its payload cut down for
 * that room exactly as the API cuts plans: managers hear everything; a staff member hears about
 * their own work; a client hears about itself only.
 */
import type { Plan } from '../../solver/index.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { DomainEvents } from '../events.ts';
import type { PlanDiff } from '../planning/plan-diff.ts';
import type { PlanUpdatedPayload, ServerToClientEvents } from '../../shared/socket-events.ts';

export const rooms = {
  all: 'all',
  managers: 'managers',
  /** Staff and client users: what managers hear in full, they hear in part. */
  nonManagers: 'non-managers',
  staff: (id: string) => `staff:${id}`,
  client: (id: string) => `client:${id}`,
  /** Every socket of one user, and of one session: closed when access changes (socket-access.ts). */
  user: (id: number) => `user:${id}`,
  session: (id: string) => `session:${id}`,
};

/** The rooms a signed-in socket joins. */
export function roomsOf(v: Viewer, sessionId: string): string[] {
  const out = [rooms.all, rooms.user(v.userId), rooms.session(sessionId), v.role === 'manager' ? rooms.managers : rooms.nonManagers];
  if (v.role === 'staff' && v.staffId) out.push(rooms.staff(v.staffId));
  if (v.role === 'client' && v.clientId) out.push(rooms.client(v.clientId));
  return out;
}

/** Per-audience slices of a plan change, computed where both plans are at hand. */
export interface PlanAudiences {
  clients: Record<string, { changed: boolean; tickets: string[] }>;
  staff: Record<string, { changed: boolean; tickets: string[] }>;
}

export function planAudiences(before: Plan | null, after: Plan, diff: PlanDiff): PlanAudiences {
  const changedClients = new Set(diff.clients.map((c) => c.id));
  const changedTickets = new Set(diff.tickets.map((t) => t.id));
  const changedStaff = new Set(diff.staff);
  const clients: PlanAudiences['clients'] = {};
  for (const c of new Set([...(before?.clients ?? []).map((x) => x.id), ...after.clients.map((x) => x.id)])) {
    const own = new Set([...(before?.tickets ?? []), ...after.tickets].filter((t) => t.client === c).map((t) => t.id));
    clients[c] = { changed: changedClients.has(c), tickets: [...own].filter((t) => changedTickets.has(t)).sort() };
  }
  const staff: PlanAudiences['staff'] = {};
  for (const s of new Set([...(before?.staff ?? []).map((x) => x.id), ...after.staff.map((x) => x.id)])) {
    const own = new Set([...(before?.allocations ?? []), ...after.allocations].filter((a) => a.staff === s).map((a) => a.ticket));
    staff[s] = { changed: changedStaff.has(s), tickets: [...own].filter((t) => changedTickets.has(t)).sort() };
  }
  return { clients, staff };
}

export type Emit = { [K in keyof ServerToClientEvents]: { room: string; event: K; payload: Parameters<ServerToClientEvents[K]>[0] } }[keyof ServerToClientEvents];

/** The emits a domain event makes. Pure, so the cut is tested without sockets. */
export function emitsFor<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): Emit[] {
  switch (name) {
    case 'plan.updated': {
      const p = payload as DomainEvents['plan.updated'];
      const base = { quarterId: p.quarterId, version: p.version, previousVersion: p.previousVersion, at: p.at };
      const out: Emit[] = [{ room: rooms.managers, event: 'plan.updated', payload: { ...base, changes: p.changes } }];
      for (const [id, a] of Object.entries(p.audiences.staff)) {
        const changes: PlanUpdatedPayload['changes'] = { clients: [], tickets: a.tickets, staff: a.changed ? [id] : [] };
        out.push({ room: rooms.staff(id), event: 'plan.updated', payload: { ...base, changes } });
      }
      for (const [id, a] of Object.entries(p.audiences.clients)) {
        const changes: PlanUpdatedPayload['changes'] = { clients: a.changed ? [id] : [], tickets: a.tickets, staff: [] };
        out.push({ room: rooms.client(id), event: 'plan.updated', payload: { ...base, changes } });
      }
      return out;
    }
    case 'ticket.changed': {
      const p = payload as DomainEvents['ticket.changed'];
      return [rooms.managers, rooms.client(p.clientId)].map((room) => ({ room, event: 'ticket.changed', payload: { ...p } }));
    }
    case 'time-entry.changed': {
      const p = payload as DomainEvents['time-entry.changed'];
      return [rooms.managers, rooms.staff(p.staffId), rooms.client(p.clientId)].map((room) => ({ room, event: 'time-entry.changed', payload: { ...p } }));
    }
    case 'emergency.declared': {
      const p = payload as DomainEvents['emergency.declared'];
      return [rooms.managers, rooms.client(p.clientId)].map((room) => ({ room, event: 'emergency.declared', payload: { ...p } }));
    }
    case 'replan.started':
    case 'replan.progress':
    case 'replan.finished':
    case 'replan.failed':
      // Progress names no client: every screen may show that a re-plan is running.
      return [{ room: rooms.all, event: name, payload: { ...(payload as object) } } as Emit];
    case 'data.changed': {
      const p = payload as DomainEvents['data.changed'];
      const out: Emit[] = [{ room: rooms.managers, event: 'data.changed', payload: { quarterIds: p.quarterIds, entity: p.entity, id: p.id } }];
      if (p.clientId) out.push({ room: rooms.client(p.clientId), event: 'data.changed', payload: { quarterIds: p.quarterIds, entity: p.entity, id: p.id } });
      if (p.staffId) out.push({ room: rooms.staff(p.staffId), event: 'data.changed', payload: { quarterIds: p.quarterIds, entity: p.entity, id: p.id } });
      return out;
    }
    default:
      return [];
  }
}
