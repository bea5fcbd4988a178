/** Who hears what: the cut of every event per audience room, without sockets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../solver/index.ts';
import { diffPlans, changesOf } from '../../server/planning/plan-diff.ts';
import { emitsFor, planAudiences } from '../../server/realtime/audiences.ts';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/examples/emergency-rollover.json'), 'utf8'));

function planUpdated() {
  const before = plan(example);
  const withEmergency = structuredClone(example);
  withEmergency.tickets.push({ id: 'N-1', client: 'nimbus', title: 'Site down', priority: 1, estimateHours: 4, openedWeek: 12, emergency: true });
  const after = plan(withEmergency);
  const diff = diffPlans(before, after);
  return emitsFor('plan.updated', { quarterId: 'Q', version: 2, previousVersion: 1, changes: changesOf(diff), audiences: planAudiences(before, after, diff), at: 'now' });
}

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
