/**
 * Turns this process's domain events into socket emits, one per audience room. The broadcaster is
 * the socket.io server in an API instance (its PostgreSQL adapter carries emits to the other
 * instances) or a PostgreSQL emitter in a stand-alone solver worker.
 *
 * Rooms that are to hear the same payload hear it in one broadcast: a `plan.updated` at 10,000
 * tickets has a room per person and per client (620 at xl), most of them told only that the
 * version moved, and each broadcast is a message to every other instance through PostgreSQL.
 */
import type { EventBus, EventName } from '../events.ts';
import type { Logger } from '../logger.ts';
import { emitsFor, type Emit } from './audiences.ts';

export interface Broadcaster {
  to(rooms: string | string[]): { emit(event: string, payload: unknown): unknown };
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
        for (const g of grouped(emitsFor(name, payload))) broadcaster.to(g.rooms).emit(g.event, g.payload);
      } catch (err) {
        logger.error({ err, event: name }, 'could not publish an event to sockets');
      }
    }),
  );
  return () => offs.forEach((off) => off());
}

/** Emits of the same event and payload as one, to all their rooms, in the order they first came. */
export function grouped(emits: Emit[]): { event: Emit['event']; payload: unknown; rooms: string[] }[] {
  const groups = new Map<string, { event: Emit['event']; payload: unknown; rooms: string[] }>();
  for (const e of emits) {
    const key = `${e.event}\u0000${JSON.stringify(e.payload)}`;
    const g = groups.get(key);
    if (g) g.rooms.push(e.room);
    else groups.set(key, { event: e.event, payload: e.payload, rooms: [e.room] });
  }
  return [...groups.values()];
}
