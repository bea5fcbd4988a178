/**
 * Who hears what. Each domain event becomes one emit per audience room, its payload cut down for
 * that room, field by field (EVENT_FIELDS), exactly as the API cuts plans: managers hear
 * everything; a staff member hears about their own work; a client hears about itself only.
 */
import type { Plan } from '../../solver/index.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { DomainEvents } from '../events.ts';
import type { PlanDiff } from '../planning/plan-diff.ts';
import type { DataChangedPayload, PlanUpdatedPayload, ReplanFailedPayload, ServerToClientEvents } from '../../shared/socket-events.ts';
import { cut, type Decisions } from '../auth/views.ts';

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
type Payload<K extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[K]>[0];

/**
 * What each audience room hears of each event, field by field (auth/views.ts): a field added to
 * an event payload does not compile until it is decided here. `reword`: built per room below.
 */
export const EVENT_FIELDS = {
  'plan.updated': {
    manager: { quarterId: 'show', version: 'show', previousVersion: 'show', at: 'show', changes: 'show' },
    staff: { quarterId: 'show', version: 'show', previousVersion: 'show', at: 'show', changes: 'reword' },
    client: { quarterId: 'show', version: 'show', previousVersion: 'show', at: 'show', changes: 'reword' },
  },
  'ticket.changed': {
    manager: { quarterId: 'show', ticketId: 'show', clientId: 'show', action: 'show' },
    client: { quarterId: 'show', ticketId: 'show', clientId: 'show', action: 'show' },
  },
  'time-entry.changed': {
    manager: { quarterId: 'show', entryId: 'show', ticketId: 'show', clientId: 'show', staffId: 'show', action: 'show' },
    staff: { quarterId: 'show', entryId: 'show', ticketId: 'show', clientId: 'show', staffId: 'show', action: 'show' },
    // Who did the work is the company's business.
    client: { quarterId: 'show', entryId: 'show', ticketId: 'show', clientId: 'show', staffId: 'hide', action: 'show' },
  },
  'emergency.declared': {
    manager: { quarterId: 'show', ticketId: 'show', clientId: 'show', at: 'show' },
    client: { quarterId: 'show', ticketId: 'show', clientId: 'show', at: 'show' },
  },
  // Progress names no client: every screen may show that a re-plan is running.
  'replan.started': { everyone: { quarterId: 'show', jobId: 'show', revision: 'show' } },
  'replan.progress': { everyone: { quarterId: 'show', jobId: 'show', week: 'show', weeks: 'show' } },
  'replan.finished': { everyone: { quarterId: 'show', jobId: 'show', version: 'show', solveMs: 'show' } },
  'replan.failed': {
    manager: { quarterId: 'show', jobId: 'show', code: 'show', message: 'show' },
    // The solver's message may name clients or internals: a code, and the log has the rest.
    others: { quarterId: 'show', jobId: 'show', code: 'show', message: 'hide' },
  },
  'data.changed': {
    manager: { quarterIds: 'show', entity: 'show', id: 'show' },
    staff: { quarterIds: 'show', entity: 'show', id: 'show' },
    client: { quarterIds: 'show', entity: 'show', id: 'show' },
  },
} as const satisfies { [K in keyof ServerToClientEvents as K extends 'hello' | 'socket.error' ? never : K]: Record<string, Decisions<Payload<K>>> };

const emit = <K extends keyof ServerToClientEvents>(room: string, event: K, payload: Payload<K>) => ({ room, event, payload }) as Emit;

/** The emits a domain event makes. Pure, so the cut is tested without sockets. */
export function emitsFor<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): Emit[] {
  switch (name) {
    case 'plan.updated': {
      const p = payload as DomainEvents['plan.updated'];
      const lists = EVENT_FIELDS['plan.updated'];
      const full: PlanUpdatedPayload = { quarterId: p.quarterId, version: p.version, previousVersion: p.previousVersion, at: p.at, changes: p.changes };
      const out: Emit[] = [emit(rooms.managers, 'plan.updated', cut(full, lists.manager))];
      for (const [id, a] of Object.entries(p.audiences.staff)) {
        const changes: PlanUpdatedPayload['changes'] = { clients: [], tickets: a.tickets, staff: a.changed ? [id] : [] };
        out.push(emit(rooms.staff(id), 'plan.updated', { ...cut(full, lists.staff), changes }));
      }
      for (const [id, a] of Object.entries(p.audiences.clients)) {
        const changes: PlanUpdatedPayload['changes'] = { clients: a.changed ? [id] : [], tickets: a.tickets, staff: [] };
        out.push(emit(rooms.client(id), 'plan.updated', { ...cut(full, lists.client), changes }));
      }
      return out;
    }
    case 'ticket.changed': {
      const p = payload as DomainEvents['ticket.changed'];
      const lists = EVENT_FIELDS['ticket.changed'];
      return [emit(rooms.managers, 'ticket.changed', cut(p, lists.manager)), emit(rooms.client(p.clientId), 'ticket.changed', cut(p, lists.client))];
    }
    case 'time-entry.changed': {
      const p = payload as DomainEvents['time-entry.changed'];
      const lists = EVENT_FIELDS['time-entry.changed'];
      return [
        emit(rooms.managers, 'time-entry.changed', cut(p, lists.manager)),
        emit(rooms.staff(p.staffId), 'time-entry.changed', cut(p, lists.staff)),
        emit(rooms.client(p.clientId), 'time-entry.changed', cut(p, lists.client)),
      ];
    }
    case 'emergency.declared': {
      const p = payload as DomainEvents['emergency.declared'];
      const lists = EVENT_FIELDS['emergency.declared'];
      return [emit(rooms.managers, 'emergency.declared', cut(p, lists.manager)), emit(rooms.client(p.clientId), 'emergency.declared', cut(p, lists.client))];
    }
    case 'replan.started':
      return [emit(rooms.all, name, cut(payload as DomainEvents['replan.started'], EVENT_FIELDS['replan.started'].everyone))];
    case 'replan.progress':
      return [emit(rooms.all, name, cut(payload as DomainEvents['replan.progress'], EVENT_FIELDS['replan.progress'].everyone))];
    case 'replan.finished':
      return [emit(rooms.all, name, cut(payload as DomainEvents['replan.finished'], EVENT_FIELDS['replan.finished'].everyone))];
    case 'replan.failed': {
      const p = payload as DomainEvents['replan.failed'];
      const lists = EVENT_FIELDS['replan.failed'];
      const full: ReplanFailedPayload = { quarterId: p.quarterId, jobId: p.jobId, code: 'replan_failed', message: p.message };
      return [emit(rooms.managers, 'replan.failed', cut(full, lists.manager)), emit(rooms.nonManagers, 'replan.failed', cut(full, lists.others))];
    }
    case 'data.changed': {
      const p = payload as DomainEvents['data.changed'];
      const lists = EVENT_FIELDS['data.changed'];
      const full: DataChangedPayload = { quarterIds: p.quarterIds, entity: p.entity, id: p.id };
      const out: Emit[] = [emit(rooms.managers, 'data.changed', cut(full, lists.manager))];
      if (p.clientId) out.push(emit(rooms.client(p.clientId), 'data.changed', cut(full, lists.client)));
      if (p.staffId) out.push(emit(rooms.staff(p.staffId), 'data.changed', cut(full, lists.staff)));
      return out;
    }
    default:
      return [];
  }
}
