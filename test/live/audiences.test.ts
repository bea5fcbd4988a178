/** Who hears what: the cut of every event per audience room, without sockets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../solver/index.ts';
import { diffPlans, changesOf } from '../../server/planning/plan-diff.ts';
import { emitsFor, planAudiences } from '../../server/realtime/audiences.ts';
import { EventBus } from '../../server/events.ts';
import { grouped, startPublisher } from '../../server/realtime/publisher.ts';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/examples/emergency-rollover.json'), 'utf8'));

function planUpdatedEvent() {
  const before = plan(example);
  const withEmergency = structuredClone(example);
  withEmergency.tickets.push({ id: 'N-1', client: 'nimbus', title: 'Site down', priority: 1, estimateHours: 4, openedWeek: 12, emergency: true });
  const after = plan(withEmergency);
  const diff = diffPlans(before, after);
  return { payload: { quarterId: 'Q', version: 2, previousVersion: 1, changes: changesOf(diff), audiences: planAudiences(before, after, diff), at: 'now' } };
}

const planUpdated = () => emitsFor('plan.updated', planUpdatedEvent().payload);

describe('socket audiences', () => {
  it('plan.updated: managers get every change, each client only its own, each staff member only theirs', () => {
    const emits = planUpdated();
    const manager = emits.find((e) => e.room === 'managers')!;
    expect(manager.payload).toMatchObject({ version: 2, previousVersion: 1 });
    const managerChanges = (manager.payload as { changes: { clients: string[] } }).changes;
    expect(managerChanges.clients).toEqual(['nimbus', 'quill']);

    const own: Record<string, string[]> = { harbor: ['H-1'], quill: ['Q-1', 'Q-2'], nimbus: ['N-1'], dyno: ['D-1'] };
    const clientEmits = emits.filter((x) => x.room.startsWith('client:'));
    expect(clientEmits.map((e) => e.room).sort()).toEqual(['client:dyno', 'client:harbor', 'client:nimbus', 'client:quill']);
    for (const e of clientEmits) {
      const id = e.room.slice('client:'.length);
      const { changes } = e.payload as { changes: { clients: string[]; tickets: string[]; staff: string[] } };
      expect(changes.clients.every((c) => c === id), `${e.room} hears of another client`).toBe(true);
      expect(changes.tickets.every((t) => own[id]!.includes(t)), `${e.room} hears of another client's ticket`).toBe(true);
      expect(changes.staff).toEqual([]);
    }
    const nimbus = emits.find((e) => e.room === 'client:nimbus')!;
    expect((nimbus.payload as { changes: { clients: string[]; tickets: string[] } }).changes).toEqual({ clients: ['nimbus'], tickets: ['N-1'], staff: [] });
  });

  it('rooms that hear the same payload hear it in one broadcast, and every room still hears exactly its own', () => {
    const emits = planUpdated();
    const groups = grouped(emits);
    // Clients and staff whose part did not move are told only that the version moved: one broadcast.
    expect(groups.length).toBeLessThan(emits.length);
    expect(groups.flatMap((g) => g.rooms).sort()).toEqual(emits.map((e) => e.room).sort());
    for (const e of emits) {
      const [g] = groups.filter((x) => x.rooms.includes(e.room));
      expect(g!.event).toBe(e.event);
      expect(g!.payload).toEqual(e.payload);
    }

    // The publisher sends the groups: a socket in a room hears what emitsFor cut for that room.
    const events = new EventBus();
    const heard = new Map<string, unknown[]>();
    const sent: string[][] = [];
    const broadcaster = {
      to: (rooms: string | string[]) => ({
        emit: (event: string, payload: unknown) => {
          const list = typeof rooms === 'string' ? [rooms] : rooms;
          sent.push(list);
          for (const room of list) heard.set(room, [...(heard.get(room) ?? []), { event, payload }]);
        },
      }),
    };
    const stop = startPublisher(events, broadcaster, { error: () => {} } as never);
    const { payload } = planUpdatedEvent();
    events.emit('plan.updated', payload);
    stop();
    expect(sent.length).toBe(groups.length);
    for (const e of emitsFor('plan.updated', payload)) expect(heard.get(e.room)).toEqual([{ event: 'plan.updated', payload: e.payload }]);
  });

  it('ticket, time-entry and emergency events go to managers and the client concerned only', () => {
    expect(emitsFor('ticket.changed', { quarterId: 'Q', ticketId: 'H-1', clientId: 'harbor', action: 'updated' }).map((e) => e.room)).toEqual(['managers', 'client:harbor']);
    expect(emitsFor('emergency.declared', { quarterId: 'Q', ticketId: 'Q-1', clientId: 'quill', at: 'now' }).map((e) => e.room)).toEqual(['managers', 'client:quill']);
    expect(emitsFor('time-entry.changed', { quarterId: 'Q', entryId: 1, ticketId: 'H-1', clientId: 'harbor', staffId: 'sam', action: 'created' }).map((e) => e.room)).toEqual(['managers', 'staff:sam', 'client:harbor']);
  });

  it('re-plan progress goes to everyone and names no client', () => {
    const [e] = emitsFor('replan.progress', { quarterId: 'Q', jobId: 'j', week: 3, weeks: 13 });
    expect(e!.room).toBe('all');
    expect(Object.keys(e!.payload as object).sort()).toEqual(['jobId', 'quarterId', 'week', 'weeks']);
  });
});
