/**
 * Every audience's view is built by inclusion: staff plan views carry none of the clients'
 * commercial figures, the client room hears no staffId in `time-entry.changed`, a failed re-plan
 * tells non-managers only a code, and every record the API or the socket sends (plans, tickets,
 * time entries, clients, users, events) has a decision per field and audience, so a field nobody
 * decided on does not compile.
 *
 * The reproduction: sam's plan view listed harbor's and quill's bought, balance, at-risk,
 * rollover, overage, forecast-unused and shortfall hours and their advice; harbor's socket heard
 * `staffId: "sam"` in time-entry.changed; every screen heard the solver's error message.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../solver/index.ts';
import { cut, ENTRY_FIELDS, TICKET_FIELDS, USER_FIELDS, type Decisions } from '../../server/auth/views.ts';
import type { TicketJson } from '../../server/modules/tickets/ticket-json.ts';
import { CLIENT_PLAN_FIELDS, PLAN_FIELDS } from '../../server/modules/plans/plan-fields.ts';
import { EVENT_FIELDS, emitsFor } from '../../server/realtime/audiences.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { logTime, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, type TestApp } from '../utils/test-app.ts';
import { connect, pause, syncPlan } from './live-support.ts';

/** Field names that carry a client's commercial figures, anywhere in a staff member's view. */
const COMMERCIAL = [
  'boughtHours',
  'balanceHours',
  'atRiskHours',
  'rolloverHours',
  'rolloverInHours',
  'overageHours',
  'forecastUnusedHours',
  'shortfallHours',
  'shortfallWeeks',
  'usedHours',
  'owedAtRateHours',
  'advice',
  'presentByWeek',
  'rate',
  'ideal',
  'target',
  'demand',
  'delivered',
  'pinIssues',
  'policy',
  'takenBy',
  'takenByRest',
];

const keysIn = (value: unknown): Set<string> => {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.add(k), walk(x));
  };
  walk(value);
  return out;
};

describe('audiences, without a server', () => {
  it('the client room hears no staffId in time-entry.changed; managers and the person do', () => {
    const emits = emitsFor('time-entry.changed', { quarterId: 'Q', entryId: 7, ticketId: 'H-1', clientId: 'harbor', staffId: 'sam', action: 'created' });
    const by = Object.fromEntries(emits.map((e) => [e.room, e.payload]));
    expect(by['client:harbor']).toEqual({ quarterId: 'Q', entryId: 7, ticketId: 'H-1', clientId: 'harbor', action: 'created' });
    expect(by['managers']).toMatchObject({ staffId: 'sam' });
    expect(by['staff:sam']).toMatchObject({ staffId: 'sam' });
  });

  it('replan.failed tells non-managers only a code; managers get the message', () => {
    const emits = emitsFor('replan.failed', { quarterId: 'Q', jobId: 'j', message: 'solve of Quill Books timed out after 120000 ms' });
    expect(emits).toEqual([
      { room: 'managers', event: 'replan.failed', payload: { quarterId: 'Q', jobId: 'j', code: 'replan_failed', message: 'solve of Quill Books timed out after 120000 ms' } },
      { room: 'non-managers', event: 'replan.failed', payload: { quarterId: 'Q', jobId: 'j', code: 'replan_failed' } },
    ]);
  });

  it('a list decides every field: one that leaves a field out, or names one that is not there, does not compile', () => {
    // @ts-expect-error: `updatedAt` and the rest have no decision
    const partial = { id: 'show', client: 'show' } satisfies Decisions<TicketJson>;
    // @ts-expect-error: there is no field `secret` on a plan
    const extra = { ...PLAN_FIELDS.manager, secret: 'show' } satisfies Decisions<Plan>;
    expect([partial, extra].length).toBe(2);
    // And at run time, a cut copies only what its list shows.
    expect(cut({ a: 1, b: 2, c: 3 }, { a: 'show', b: 'hide', c: 'reword' })).toEqual({ a: 1 });
    expect(Object.entries(CLIENT_PLAN_FIELDS.staff).filter(([, d]) => d === 'show').map(([k]) => k)).toEqual(['id', 'name']);
    expect(EVENT_FIELDS['time-entry.changed'].client.staffId).toBe('hide');
    expect(USER_FIELDS.client.disabled).toBe('hide');
    expect(ENTRY_FIELDS.client).toMatchObject({ staff: 'hide', note: 'hide' });
    expect(Object.values(TICKET_FIELDS.staff).every((d) => d === 'show')).toBe(true);
  });
});

describe.each(await dbTargets())('audiences on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  withSeededApp(target, (s) => ({ t, manager, harbor, sam } = s));

  it("a staff member's plan view has their work, its tickets and the team's capacity, and no client's commercial figures", async () => {
    const full = (await manager.get('/api/plans/current')).body;
    const view = (await sam.get('/api/plans/current')).body;
    expect(Object.keys(view).sort()).toEqual(['allocations', 'clients', 'quarter', 'stats', 'staff', 'tickets', 'unplanned', 'version', 'weeks'].concat(view.createdAt ? ['createdAt'] : []).sort());
    const found = [...keysIn(view)].filter((k) => COMMERCIAL.includes(k));
    expect(found).toEqual([]);
    expect(view.clients).toEqual(
      [...new Set((view.allocations as { client: string }[]).map((a) => a.client))].sort().map((id) => ({ id, name: full.clients.find((c: { id: string }) => c.id === id).name })),
    );
    // Their own work in full, the tickets behind it, and the team's weeks.
    expect(view.allocations).toEqual(full.allocations.filter((a: { staff: string }) => a.staff === 'sam'));
    expect(view.tickets.map((x: { id: string }) => x.id).sort()).toEqual([...new Set(view.allocations.map((a: { ticket: string }) => a.ticket))].sort());
    expect(view.weeks).toEqual(full.weeks);
    expect(view.staff.map((s: { id: string }) => s.id)).toEqual(['sam']);
    expect(view.stats).toEqual({ solveMs: full.stats.solveMs });
    // The socket's catch-up is the same cut.
    const live = await connect(t.url, sam.cookie);
    expect(await syncPlan(live)).toEqual(view);
    live.socket.close();
  });

  it('a client user hears time-entry.changed without who worked, and reads its entries without staff or notes', async () => {
    const live = await connect(t.url, harbor.cookie);
    const entry = await manager.post('/api/time-entries', { ticket: 'H-1', staff: 'sam', hours: 1, week: 11, note: 'paired with Sam on the backups' });
    expect(entry.status).toBe(201);
    for (let i = 0; i < 100 && !live.events.some((e) => e.event === 'time-entry.changed'); i++) await pause(20);
    const heard = live.events.find((e) => e.event === 'time-entry.changed');
    expect(heard?.payload).toEqual({ quarterId: '2026-Q4', entryId: entry.body.id, ticketId: 'H-1', clientId: 'harbor', action: 'created' });
    live.socket.close();
    const own = (await harbor.get('/api/time-entries')).body.items;
    expect(own.map((e: object) => Object.keys(e).sort())).toContainEqual(['client', 'createdAt', 'date', 'hours', 'id', 'quarter', 'ticket', 'version', 'week']);
    expect(JSON.stringify(own)).not.toMatch(/sam|Sam|"staff|"note/);
    await logTime(t, { staffId: 'sam', ticketId: 'H-1', clientId: 'harbor', week: 10, hours: 0.5 });
    await t.settle();
  });

  it('each audience gets its own allow-listed record: users, tickets, clients', async () => {
    const me = (await harbor.get('/api/users/me')).body;
    expect(Object.keys(me).sort()).toEqual(['client', 'createdAt', 'email', 'id', 'role', 'staff', 'version']);
    expect((await manager.get(`/api/users/${me.id}`)).body).toEqual({ ...me, disabled: false });
    const ticket = (await harbor.get('/api/tickets/H-1')).body;
    expect(Object.keys(ticket).sort()).toEqual(Object.keys(TICKET_FIELDS.client).sort());
    const client = (await harbor.get('/api/clients/harbor')).body;
    // A client reads its own prices (its contract), and nothing else of money.
    expect(Object.keys(client).sort()).toEqual(['active', 'blockPriceMinor', 'blocks', 'contact', 'id', 'name', 'paygRateMinor', 'plan', 'quarter', 'rolloverInHours', 'shortfallToDateHours', 'usedByWeek', 'version']);
    expect((await sam.get('/api/clients/harbor')).status).toBe(403);
  });
});
