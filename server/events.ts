/**
 * Domain events inside one server process. The live layer (socket.io) listens here and decides
 * who may see what; nothing here is cut down for an audience.
 */
import { EventEmitter } from 'node:events';
import type { PlanAudiences } from './realtime/audiences.ts';

export interface PlanChanges {
  /** Clients whose figures moved (rate met, delivered, at risk, rollover, …). */
  clients: string[];
  /** Tickets whose planned weeks or hours moved. */
  tickets: string[];
  /** Staff whose allocations moved. */
  staff: string[];
}

export interface DomainEvents {
  'plan.updated': { quarterId: string; version: number; previousVersion: number | null; changes: PlanChanges; audiences: PlanAudiences; at: string };
  'ticket.changed': { quarterId: string; ticketId: string; clientId: string; action: 'created' | 'updated' | 'imported' };
  'time-entry.changed': { quarterId: string; entryId: number; ticketId: string; clientId: string; staffId: string; action: 'created' | 'updated' | 'deleted' };
  'emergency.declared': { quarterId: string; ticketId: string; clientId: string; at: string };
  'replan.started': { quarterId: string; jobId: string; revision: number };
  'replan.progress': { quarterId: string; jobId: string; week: number; weeks: number };
  'replan.finished': { quarterId: string; jobId: string; version: number; solveMs: number };
  'replan.failed': { quarterId: string; jobId: string; message: string };
  /** Anything else that changed data a screen shows (staff, clients, blocks, leave, users). */
  'data.changed': { quarterIds: string[]; entity: string; id: string; clientId?: string | null; staffId?: string | null };
}

export type EventName = keyof DomainEvents;

export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: true });
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  emit<K extends EventName>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }
  on<K extends EventName>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
