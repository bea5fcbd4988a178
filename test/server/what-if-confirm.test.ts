/**
 * POST /api/what-if/confirm: what is saved gives the plan the answer showed, all at once or not
 * at all, and only while the quarter's data is what the answer was computed from.
 *
 * Each case imports the emergency-rollover example as a quarter of its own (ticket ids prefixed,
 * since a ticket belongs to one quarter); staff and clients are shared, as in production.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../solver/index.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { rowCounts } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import { workedExample } from '../fixtures/examples.ts';

const example = workedExample('emergency-rollover');
const TABLES = ['tickets', 'blocks', 'leave', 'time_entries', 'audit_log', 'client_quarters'];
const WEEKS = [11, 12] as const;
/** Stands for a quarter's ticket-id prefix in generated changes. */
const PREFIX = '%P%';

/** The example as quarter `id`, its tickets renamed `<prefix>H-1` and so on. */
function exampleQuarter(id: string, prefix: string) {
  const s = structuredClone(example);
  s.quarter.id = id;
  for (const t of s.tickets) t.id = prefix + t.id;
  return s;
}

/** A plan without its timing and version fields, its lists in a fixed order. */
function comparable(p: Plan & { version?: number; createdAt?: string }) {
  const { stats: _stats, version: _version, createdAt: _createdAt, ...rest } = p;
  const key = (a: { week: number; staff: string; ticket: string; level: number }) => `${a.week}|${a.staff}|${a.ticket}|${a.level}`;
  return { ...rest, allocations: [...p.allocations].sort((a, b) => (key(a) < key(b) ? -1 : 1)) };
}

/** Random what-if changes on the example quarter (tickets H-1, Q-1, Q-2, D-1, ids after `prefix`). */
function changesOn(prefix: string) {
  const quarter = (min = 0.25, max = 30) => fc.integer({ min: Math.ceil(min * 4), max: max * 4 }).map((q) => q / 4);
  const week = fc.constantFrom(...WEEKS);
  const client = fc.constantFrom('harbor', 'quill', 'nimbus', 'dyno');
  const skill = fc.option(fc.constantFrom('linux', 'php', 'oracle'), { nil: undefined });
  const newTicket = (j: number) =>
    fc.record(
      {
        id: fc.constant(`${prefix}N-${j}`),
        client,
        title: fc.constant(`New ${j}`),
        priority: fc.constantFrom(1, 2, 3, 4),
        estimateHours: quarter(0.25, 24),
        openedWeek: fc.integer({ min: 0, max: 12 }),
        skill,
        dueWeek: fc.option(week, { nil: undefined }),
      },
      { requiredKeys: ['id', 'client', 'title', 'priority', 'estimateHours', 'openedWeek'] },
    );
  const change = (i: number) =>
    fc.oneof(
      fc.record({ type: fc.constant('add-block'), client: fc.constantFrom('harbor', 'quill', 'nimbus'), week, hours: quarter(20, 60) }),
      fc.record({ type: fc.constant('declare-emergency'), ticket: fc.constantFrom('H-1', 'Q-1', 'Q-2', 'D-1').map((t) => prefix + t) }),
      fc.record({ type: fc.constant('add-emergency'), client, hours: quarter(0.25, 24), week: fc.option(week, { nil: undefined }), skill }, { requiredKeys: ['type', 'client', 'hours'] }),
      fc.record({ type: fc.constant('add-leave'), staff: fc.constant('sam'), week, hours: quarter(0.25, 20) }),
      fc.record({ type: fc.constant('set-leave'), staff: fc.constant('sam'), week, hours: quarter(0, 20).map((h) => (h < 0.25 ? 0 : h)) }),
      fc.record({ type: fc.constant('add-tickets'), tickets: fc.tuple(newTicket(2 * i), newTicket(2 * i + 1)).chain(([a, b]) => fc.constantFrom([a], [a, b])) }),
    );
  return fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => change(i))));
}

describe.each(await dbTargets())('confirming a what-if on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let n = 0;

  /** A fresh copy of the example quarter, planned. */
  async function freshQuarter(): Promise<{ id: string; prefix: string }> {
    n++;
    const id = `C-${n}`;
    const prefix = `${n}-`;
    const r = await manager.post(`/api/quarters/${id}/import`, exampleQuarter(id, prefix));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await t.settle();
    return { id, prefix };
  }
  const committed = async (quarter: string) => {
    await t.settle();
    return (await manager.get(`/api/plans/current?quarter=${quarter}`)).body;
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
  });
  afterAll(() => t?.close());

  it('saves every change in one transaction, through the single routes’ services, and the plan committed is the answer’s', async () => {
    const { id, prefix } = await freshQuarter();
    const changes = [
      { type: 'add-block', client: 'nimbus', week: 11, hours: 20 },
      { type: 'add-emergency', client: 'harbor', hours: 3, title: 'Router down', skill: 'linux' },
      { type: 'set-leave', staff: 'sam', week: 12, hours: 4 },
      { type: 'add-tickets', tickets: [{ id: `${prefix}N-1`, client: 'quill', title: 'Invoices', priority: 2, estimateHours: 6, openedWeek: 11 }] },
      { type: 'declare-emergency', ticket: `${prefix}D-1` },
    ];
    const answer = await manager.post('/api/what-if', { quarter: id, changes });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const quarterBefore = (await manager.get(`/api/quarters/${id}`)).body;
    expect(answer.body.basedOnRevision).toBe(quarterBefore.dataRevision);
    const emergencyId = answer.body.plan.tickets.find((x: { id: string }) => x.id.startsWith('T-')).id;
    const auditBefore = (await manager.get('/api/audit?limit=1')).body.items[0].id;

    const r = await manager.post('/api/what-if/confirm', { quarter: id, changes, basedOnRevision: answer.body.basedOnRevision });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ quarter: id, basedOnRevision: quarterBefore.dataRevision, created: [[], [emergencyId], [], [`${prefix}N-1`], []] });
    // One write: the data revision moved once.
    expect((await manager.get(`/api/quarters/${id}`)).body.dataRevision).toBe(quarterBefore.dataRevision + 1);
    const audit = (await manager.get('/api/audit?limit=20')).body.items.filter((a: { id: number }) => a.id > auditBefore);
    expect(audit.map((a: { action: string; entity: string }) => `${a.action} ${a.entity}`).sort()).toEqual(['create ticket', 'create ticket', 'create-block client', 'set-leave staff', 'update ticket']);
    const emergency = (await manager.get(`/api/tickets/${emergencyId}`)).body;
    expect(emergency).toMatchObject({ client: 'harbor', title: 'Router down', priority: 1, estimateHours: 3, openedWeek: 11, skill: 'linux', emergency: true, quarter: id });
    expect((await manager.get(`/api/tickets/${prefix}D-1`)).body.emergency).toBe(true);
    expect(comparable(await committed(id))).toEqual(comparable(answer.body.plan));
  });

  it('a change slipped in between: 409 what_if_stale with the fresh answer, nothing saved; confirming the fresh one saves it', async () => {
    const { id } = await freshQuarter();
    const changes = [{ type: 'add-block', client: 'harbor', week: 11, hours: 40 }];
    const first = (await manager.post('/api/what-if', { quarter: id, changes })).body;
    expect((await manager.put('/api/staff/sam/leave', { quarter: id, week: 12, hours: 8 })).status).toBe(200);
    await t.settle();
    const before = await rowCounts(t, TABLES);
    const stale = await manager.post('/api/what-if/confirm', { quarter: id, changes, basedOnRevision: first.basedOnRevision });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'what_if_stale', details: { basedOnRevision: first.basedOnRevision, revision: first.basedOnRevision + 1 } });
    expect(stale.body.answer.basedOnRevision).toBe(first.basedOnRevision + 1);
    expect(stale.body.answer.plan.staff[0].capacity[12]).toBe(12);
    expect(await rowCounts(t, TABLES)).toEqual(before);
    const again = await manager.post('/api/what-if/confirm', { quarter: id, changes, basedOnRevision: stale.body.answer.basedOnRevision });
    expect(again.status).toBe(200);
    expect(comparable(await committed(id))).toEqual(comparable(stale.body.answer.plan));
  });

  it('a change that fails half-way saves nothing', async () => {
    const { id } = await freshQuarter();
    // A ticket id of another quarter: only the tickets service can know it is taken.
    const changes = [
      { type: 'add-block', client: 'quill', week: 11, hours: 30 },
      { type: 'add-tickets', tickets: [{ id: '1-H-1', client: 'harbor', title: 'Twice', priority: 3, estimateHours: 2, openedWeek: 11 }] },
    ];
    const answer = (await manager.post('/api/what-if', { quarter: id, changes })).body;
    const before = await rowCounts(t, TABLES);
    const r = await manager.post('/api/what-if/confirm', { quarter: id, changes, basedOnRevision: answer.basedOnRevision });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('changes[1]');
    expect(r.body.error.message).toContain('Ticket 1-H-1 already exists');
    expect(await rowCounts(t, TABLES)).toEqual(before);
  });

  it('refuses bad bodies with a 400 naming the field, saving nothing; only managers confirm', async () => {
    const { id } = await freshQuarter();
    const block = { type: 'add-block', client: 'harbor', week: 11, hours: 20 };
    const before = await rowCounts(t, TABLES);
    const cases: [unknown, string][] = [
      [{ quarter: id, changes: [block] }, 'basedOnRevision'],
      [{ quarter: id, changes: [block], basedOnRevision: 'latest' }, 'basedOnRevision'],
      [{ quarter: id, changes: [block], basedOnRevision: 1.5 }, 'basedOnRevision'],
      [{ quarter: id, changes: [], basedOnRevision: 1 }, 'changes'],
      [{ quarter: id, changes: [{ ...block, hours: 10 }], basedOnRevision: 1 }, 'changes[0].hours'],
      [{ quarter: id, changes: [block], basedOnRevision: 1, force: true }, 'force'],
    ];
    for (const [body, field] of cases) {
      const r = await manager.post('/api/what-if/confirm', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d: { field: string }) => d.field), JSON.stringify(body)).toContain(field);
    }
    // Valid shape, invalid for this quarter: the same 400 as the what-if.
    const revision = (await manager.get(`/api/quarters/${id}`)).body.dataRevision;
    const unknown = await manager.post('/api/what-if/confirm', { quarter: id, changes: [{ ...block, client: 'zeta' }], basedOnRevision: revision });
    expect([unknown.status, unknown.body.error.details[0].field]).toEqual([400, 'changes[0].client']);
    expect((await manager.post('/api/what-if/confirm', { quarter: 'NOPE', changes: [block], basedOnRevision: 0 })).status).toBe(404);
    expect(await rowCounts(t, TABLES)).toEqual(before);

    await t.createUser('staff', { email: 'sam@confirm.test', staffId: 'sam' });
    await t.createUser('client', { email: 'harbor@confirm.test', clientId: 'harbor' });
    const body = { quarter: id, changes: [block], basedOnRevision: revision };
    expect((await (await t.as('sam@confirm.test')).post('/api/what-if/confirm', body)).status).toBe(403);
    expect((await (await t.as('harbor@confirm.test')).post('/api/what-if/confirm', body)).status).toBe(403);
    expect((await t.anonymous().post('/api/what-if/confirm', body)).status).toBe(401);
    expect(await rowCounts(t, TABLES)).toEqual(before);
  });

  it('property: for random changes, the plan committed after confirm is the answer’s plan; a change slipped in makes it 409 with nothing saved', async () => {
    await fc.assert(
      fc.asyncProperty(changesOn(PREFIX), fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }), async (generic, slip) => {
        const { id, prefix } = await freshQuarter();
        const changes = JSON.parse(JSON.stringify(generic).replaceAll(PREFIX, prefix));
        const asked = await manager.post('/api/what-if', { quarter: id, changes });
        expect(asked.status, JSON.stringify(asked.body)).toBe(200);
        let answer = asked.body;
        if (slip !== undefined) {
          // Sam had no leave in week 11: setting some moves the data on.
          expect((await manager.put('/api/staff/sam/leave', { quarter: id, week: 11, hours: slip })).status).toBe(200);
          await t.settle();
          const before = await rowCounts(t, TABLES);
          const stale = await manager.post('/api/what-if/confirm', { quarter: id, changes, basedOnRevision: answer.basedOnRevision });
          expect(stale.status, JSON.stringify(stale.body).slice(0, 300)).toBe(409);
          expect(stale.body.error.code).toBe('what_if_stale');
          expect(await rowCounts(t, TABLES)).toEqual(before);
          answer = stale.body.answer;
        }
        const r = await manager.post('/api/what-if/confirm', { quarter: id, changes, basedOnRevision: answer.basedOnRevision });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(comparable(await committed(id))).toEqual(comparable(answer.plan));
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
