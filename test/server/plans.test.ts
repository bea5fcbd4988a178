/**
 * Import, export and plans: the server's plan for a quarter equals the command-line plan of its
 * exported scenario; each role sees only its cut of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, plan as planScenario } from '../../solver/index.ts';
import { canonical } from '../../server/modules/quarters/scenario-io.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { workedExample } from '../fixtures/examples.ts';

const example = workedExample('emergency-rollover');
const strip = <T extends { stats?: unknown; version?: unknown; createdAt?: unknown }>(p: T) => {
  const { stats: _s, version: _v, createdAt: _c, ...rest } = p;
  return rest;
};

describe.each(await dbTargets())('plans on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    const r = await manager.post('/api/quarters/2026-Q4/import', example);
    expect(r.status).toBe(200);
    expect(r.body.changed).toBe(true);
    await t.settle();
  });
  afterAll(() => t?.close());

  it('exports the imported scenario unchanged', async () => {
    const r = await manager.get('/api/quarters/2026-Q4/scenario');
    expect(r.status).toBe(200);
    expect(canonical(parseScenario(r.body))).toBe(canonical(parseScenario(example)));
  });

  it('importing the same scenario twice changes nothing: no new plan version', async () => {
    const before = await manager.get('/api/plans/current');
    const r = await manager.post('/api/quarters/2026-Q4/import', example);
    expect(r.body.changed).toBe(false);
    await t.settle();
    const after = await manager.get('/api/plans/current');
    expect(after.body.version).toBe(before.body.version);
  });

  it('serves the same plan as the command-line planner, with a version', async () => {
    const r = await manager.get('/api/plans/current');
    expect(r.status).toBe(200);
    expect(Number.isInteger(r.body.version)).toBe(true);
    const exported = (await manager.get('/api/quarters/2026-Q4/scenario')).body;
    expect(strip(r.body)).toEqual(JSON.parse(JSON.stringify(strip(planScenario(exported)))));
    expect(strip(r.body)).toEqual(JSON.parse(JSON.stringify(strip(planScenario(example)))));
  });

  it('cuts the plan down for a client: its own figures and tickets, nothing of others', async () => {
    await t.createUser('client', { email: 'harbor@client.test', clientId: 'harbor' });
    const harbor = await t.as('harbor@client.test');
    const r = await harbor.get('/api/plans/current');
    expect(r.status).toBe(200);
    expect(r.body.clients.map((c: { id: string }) => c.id)).toEqual(['harbor']);
    expect(r.body.clients[0]).toMatchObject({ rolloverHours: 4, atRiskHours: 0 });
    expect(r.body.tickets.map((x: { id: string }) => x.id)).toEqual(['H-1']);
    expect(r.body.staff).toBeUndefined();
    const text = JSON.stringify(r.body);
    for (const other of ['quill', 'Quill', 'nimbus', 'Nimbus', 'dyno', 'Dyno', 'Q-1', 'Q-2', 'D-1', 'sam']) expect(text).not.toContain(other);
    expect(r.body.clients[0].shortfallWeeks[0].reason).toBe('capacity went to emergencies (20 h)');
  });

  it('cuts the plan down for staff: their allocations and the tickets behind them', async () => {
    await t.createUser('staff', { email: 'sam@staff.test', staffId: 'sam' });
    const sam = await t.as('sam@staff.test');
    const r = await sam.get('/api/plans/current');
    expect(r.status).toBe(200);
    expect(r.body.allocations.every((a: { staff: string }) => a.staff === 'sam')).toBe(true);
    expect(r.body.tickets.map((x: { id: string }) => x.id).sort()).toEqual(['H-1', 'Q-1', 'Q-2']);
  });

  it('answers 401 to a signed-out caller and 404 for a plan version that does not exist', async () => {
    expect((await t.anonymous().get('/api/plans/current')).status).toBe(401);
    const r = await manager.get('/api/plans/99999');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });

  it('refuses a bad scenario as a whole, naming the field, and saves nothing', async () => {
    const bad = structuredClone(example);
    bad.quarter.id = '2027-Q1';
    bad.clients[0]!.purchases![0]!.hours = 10;
    const r = await manager.post('/api/quarters/2027-Q1/import', bad);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('clients[0].purchases[0].hours: a block is at least 20 hours');
    expect(r.body.error.details[0]).toEqual({ field: 'clients[0].purchases[0].hours', message: 'a block is at least 20 hours' });
    expect((await manager.get('/api/quarters/2027-Q1')).status).toBe(404);
  });

  it('keeps an audit trail managers can read: who changed what, when', async () => {
    const r = await manager.get('/api/audit?entity=quarter&id=2026-Q4');
    expect(r.status).toBe(200);
    expect(r.body.items[0]).toMatchObject({ action: 'import', entity: 'quarter', entityId: '2026-Q4', user: { email: 'admin@test.local' } });
    expect(Date.parse(r.body.items[0].at)).toBeGreaterThan(0);
    const harbor = await t.as('harbor@client.test');
    expect((await harbor.get('/api/audit')).status).toBe(403);
    expect((await manager.get('/api/audit?limit=0')).status).toBe(400);
  });

  it('reports health to managers: database reachable and the current plan version', async () => {
    const r = await manager.get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body.database.reachable).toBe(true);
    expect(r.body.plan.version).toBeGreaterThan(0);
    expect(r.body.plan.behind).toBe(false);
  });
});
