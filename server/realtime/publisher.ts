/**
 * Turns this process's domain events into socket emits, one per audience room. The broadcaster is
 * the socket.io server in an API instance (its PostgreSQL adapter carries emits to the other
 * instances) or a PostgreSQL emitter in a stand-alone solver worker.
 */
import type { EventBus, EventName } from '../events.ts';
import type { Logger } from '../logger.ts';
import { emitsFor } from './audiences.ts';

export interface Broadcaster {
  to(room: string): { emit(event: string, payload: unknown): unknown };
}

const PUBLISHED: EventName[] = [
  'plan.updated',
  'ticket.changed',
  'time-entry.changed',
  'emergency.declared',
  'replan.started',
  'replan.progress',
  'replan.finished',
  'replan.failed',
  'data.changed',
];

export function startPublisher(events: EventBus, broadcaster: Broadcaster, logger: Logger): () => void {
  const offs = PUBLISHED.map((name) =>
    events.on(name, (payload) => {
      try {
        for (const e of emitsFor(name, payload)) broadcaster.to(e.room).emit(e.event, e.payload);
      } catch (err) {
        logger.error({ err, event: name }, 'could not publish an event to sockets');
      }
    }),
  );
  return () => offs.forEach((off) => off());
}
