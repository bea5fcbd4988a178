/**
 * How plan versions are stored (planning/plan-store.ts, migration 0007): one compressed document
 * per version, read back exactly; versions stored as jsonb before still read; a re-plan whose plan
 * comes out identical makes no version, the current one including the change; diffs from digests
 * tell each audience what whole plans would.
 */
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan, type Plan } from '../../solver/index.ts';
import { ByteCache } from '../../server/planning/byte-cache.ts';
import { audiencesOf, diffPlans, digestPlan } from '../../server/planning/plan-diff.ts';
import { forgetCachedPlans } from '../../server/planning/plan-store.ts';
import { planAudiences } from '../../server/realtime/audiences.ts';
import { payg, prepaid, scenario, staff, ticket } from '../fixtures/builders.ts';
import { BENCH_SIZES, generateScenario } from '../fixtures/generate-scenario.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const quarter = (id: string) => ({
  ...scenario({
    weeks: 13,
    staff: [staff('ana', 40, ['linux']), staff('bo', 32)],
    clients: [prepaid('acme', [{ week: 0, hours: 120 }]), payg('bolt')],
    tickets: Array.from({ length: 10 }, (_, i) => ticket(`${id}-${i + 1}`, i % 2 ? 'acme' : 'bolt', 6 + i, i % 3 === 0 ? { skill: 'linux' } : {})),
  }),
  quarter: { id, weeks: 13, currentWeek: 0, startDate: '2026-09-28' },
});

/** A plan view without what the API adds to the plan (its version and when it was made). */
const content = (view: Record<string, unknown>) => {
  const { version: _v, createdAt: _c, ...rest } = view;
  return rest;
};

describe.each(await dbTargets())('stored plans on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  const sql = async (q: string, params: unknown[] = []) => (await t.app.services.store.reader().getConnection().execute(q, params)) as any[];
  const current = async (id: string) => (await manager.get(`/api/plans/current?quarter=${id}`)).body;
  const versions = async (id: string) => (await manager.get(`/api/plans?quarter=${id}`)).body as { current: number; versions: { version: number; dataRevision: number }[] };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    // STORE last: the latest quarter, the one /api/health reports.
    for (const id of ['OLD', 'STORE']) expect((await manager.post(`/api/quarters/${id}/import`, quarter(id))).status).toBe(200);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('stores a version as one compressed document, and GET /api/plans/current reads it back exactly', async () => {
    const served = await current('STORE');
    // What the server solved: the quarter as it exports it, before any plan was in force.
    const exported = (await manager.get('/api/quarters/STORE/scenario')).body;
    const expected: Plan = plan({ ...exported, previous: [] });
    expect(content(served)).toEqual({ ...expected, stats: { ...expected.stats, solveMs: served.stats.solveMs } });

    const [row] = await sql('select body, packed, encoding, body_bytes, content_hash from plans where id = ?', [served.version]);
    expect(row.body).toBeNull();
    expect(row.encoding).toBe('br');
    expect(row.content_hash).toMatch(/^[0-9a-f]{64}$/);
    const json = brotliDecompressSync(row.packed).toString('utf8');
    expect(json.length).toBe(row.body_bytes);
    expect(row.packed.length).toBeLessThan(row.body_bytes / 3);
    expect(JSON.parse(json)).toEqual(content(served));
    // No allocation rows any more: nothing reads them. The staff-ticket pairs are kept.
    expect((await sql('select count(*)::int as n from allocations'))[0].n).toBe(0);
    const pairs = new Set(expected.allocations.map((a) => `${a.staff}|${a.ticket}`));
    const kept = await sql(`select staff_id, ticket_id from staff_tickets where quarter_id = 'STORE'`);
    expect(new Set(kept.map((k) => `${k.staff_id}|${k.ticket_id}`))).toEqual(pairs);

    // Read back from the database, not from this process's memory.
    forgetCachedPlans();
    expect(await current('STORE')).toEqual(served);
  });

  it('reads a version stored as jsonb before migration 0007', async () => {
    const served = await current('OLD');
    const [q] = await sql(`select data_revision from quarters where id = 'OLD'`);
    const [legacy] = await sql(`insert into plans (quarter_id, data_revision, body, solve_ms, trigger) values ('OLD', ?, ?::jsonb, 1, 'before 0007') returning id`, [
      q.data_revision,
      JSON.stringify(content(served)),
    ]);
    await sql(`update quarters set current_plan_id = ? where id = 'OLD'`, [legacy.id]);
    forgetCachedPlans();
    const read = await current('OLD');
    expect(read.version).toBe(legacy.id);
    expect(content(read)).toEqual(content(served));
  });

  it("a re-plan's scenario keeps the plan in force as previous, from the commit's digest as from the stored plan", async () => {
    const tk = (await manager.get('/api/tickets/STORE-5')).body;
    expect((await manager.patch('/api/tickets/STORE-5', { version: tk.version, estimateHours: tk.estimateHours + 1 })).status).toBe(200);
    await t.settle();
    const inForce = await current('STORE');
    const rows = inForce.allocations.map((a: { week: number; staff: string; ticket: string; hours: number; level: number }) => ({ week: a.week, staff: a.staff, ticket: a.ticket, hours: a.hours, level: a.level }));
    expect(rows.length).toBeGreaterThan(0);
    // This process committed it: the rows come from the digest the solver thread made.
    const fromDigest = (await manager.get('/api/quarters/STORE/scenario')).body;
    expect(fromDigest.previous).toEqual(rows);
    // Another process (or this one after its caches emptied) reads the stored plan.
    forgetCachedPlans();
    const fromStore = (await manager.get('/api/quarters/STORE/scenario')).body;
    expect(fromStore).toEqual(fromDigest);
  });

  it('an identical re-plan makes no version: the current one includes the change, and the quarter still closes', async () => {
    const heard: { name: string; version: number }[] = [];
    const offs = (['replan.finished', 'plan.updated'] as const).map((name) => t.app.services.events.on(name, (p) => p.quarterId === 'STORE' && heard.push({ name, version: p.version })));
    try {
      const before = await versions('STORE');
      const tk = (await manager.get('/api/tickets/STORE-2')).body;
      // A title is no part of the plan: the re-plan comes out identical.
      expect((await manager.patch('/api/tickets/STORE-2', { version: tk.version, title: 'Renamed' })).status).toBe(200);
      await t.settle();
      const after = await versions('STORE');
      expect(after.current).toBe(before.current);
      expect(after.versions.map((v) => v.version)).toEqual(before.versions.map((v) => v.version));
      const [q] = await sql(`select data_revision from quarters where id = 'STORE'`);
      expect(q.data_revision).toBeGreaterThan(before.versions[0]!.dataRevision);
      expect(after.versions[0]!.dataRevision).toBe(q.data_revision);
      expect((await manager.get('/api/health')).body.plan).toMatchObject({ version: before.current, behind: false });
      expect(heard).toEqual([{ name: 'replan.finished', version: before.current }]);

      // A change that moves the plan still makes a version, announced as ever.
      heard.length = 0;
      const tk3 = (await manager.get('/api/tickets/STORE-3')).body;
      expect((await manager.patch('/api/tickets/STORE-3', { version: tk3.version, estimateHours: tk3.estimateHours + 2 })).status).toBe(200);
      await t.settle();
      const moved = await versions('STORE');
      expect(moved.current).toBeGreaterThan(before.current);
      expect(heard).toEqual([
        { name: 'replan.finished', version: moved.current },
        { name: 'plan.updated', version: moved.current },
      ]);

      // Identical again, then the quarter closes from the version that includes every change.
      heard.length = 0;
      const tk4 = (await manager.get('/api/tickets/STORE-4')).body;
      expect((await manager.patch('/api/tickets/STORE-4', { version: tk4.version, description: 'More words' })).status).toBe(200);
      await t.settle();
      expect((await versions('STORE')).current).toBe(moved.current);
      expect(heard).toEqual([{ name: 'replan.finished', version: moved.current }]);
      const closed = await manager.post('/api/quarters/STORE/close', { nextQuarter: { id: 'STORE-NEXT' } });
      expect(closed.status).toBe(200);
      expect(closed.body.planVersion).toBe(moved.current);
    } finally {
      offs.forEach((off) => off());
    }
  });
});

describe('diffs from digests', () => {
  it('tell each audience what the two whole plans tell it', () => {
    const base = generateScenario({ seed: 3, ...BENCH_SIZES.small });
    const before = plan(base);
    const changed = structuredClone(base);
    changed.tickets[0]!.estimateHours += 6;
    changed.tickets[5]!.emergency = true;
    changed.tickets.push({ id: 'NEW-1', client: changed.clients[1]!.id, priority: 1, estimateHours: 8, openedWeek: 0 });
    changed.staff[2]!.weeklyHours = 8;
    const after = plan({ ...changed, previous: before.allocations.map((a) => ({ week: a.week, staff: a.staff, ticket: a.ticket, hours: a.hours, level: a.level })) });
    const diff = diffPlans(before, after);
    expect(diff.tickets.length).toBeGreaterThan(0);
    expect(diff.staff.length).toBeGreaterThan(0);
    expect(diff.clients.length).toBeGreaterThan(0);
    expect(audiencesOf(digestPlan(before), digestPlan(after), diff)).toEqual(planAudiences(before, after, diff));
    expect(audiencesOf(null, digestPlan(after), diffPlans(null, after))).toEqual(planAudiences(null, after, diffPlans(null, after)));
    expect(diffPlans(after, after)).toEqual({ clients: [], tickets: [], staff: [] });
  });
});

describe('the byte-bounded cache', () => {
  it('drops the least recently used entries once over its budget, and keeps nothing heavier than the budget', () => {
    const c = new ByteCache<string, string>(10, (s) => s.length);
    c.set('a', 'xxxx');
    c.set('b', 'xxxx');
    expect(c.get('a')).toBe('xxxx');
    c.set('c', 'xxxx');
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([true, false, true]);
    expect(c.bytes).toBe(8);
    c.set('big', 'x'.repeat(11));
    expect(c.has('big')).toBe(false);
    c.set('a', 'x');
    expect(c.bytes).toBe(5);
    c.delete('c');
    expect([c.size, c.bytes]).toEqual([1, 1]);
  });
});
