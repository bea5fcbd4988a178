/**
 * GET /api/revenue (issue 12): what the quarter's plan in force is worth, in exact minor units, at
 * the clients' prices in the company currency; managers only. On datedScenario (2026-Q4, current
 * week 2): acme bought 130 h and used 10 + 10, bolt 65 h and used 5 + 5, dyno is pay-as-you-go
 * with a 12 h ticket; priced acme €95.00 block / €120.00 PAYG, bolt €80.50 block (no PAYG rate),
 * dyno €110.00. A change of price moves the figures without a new plan version; a closed quarter
 * answers from the plan it was closed on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { Q, datedScenario } from '../utils/hours-setup.ts';
import { fieldsOf } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

describe.each(await dbTargets())('revenue on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;

  const price = async (id: string, prices: { blockPriceMinor?: number | null; paygRateMinor?: number | null }) => {
    const c = (await manager.get(`/api/clients/${id}`)).body;
    const r = await manager.patch(`/api/clients/${id}`, { version: c.version, ...prices });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    expect((await manager.patch('/api/settings', { version: 1, currency: 'EUR' })).status).toBe(200);
    await price('acme', { blockPriceMinor: 9_500, paygRateMinor: 12_000 });
    await price('bolt', { blockPriceMinor: 8_050 });
    await price('dyno', { paygRateMinor: 11_000 });
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    await t.settle();
  });
  afterAll(() => t?.close());

  it('managers only', async () => {
    expect((await t.anonymous().get('/api/revenue')).status).toBe(401);
    expect((await (await t.as('ana@staff.test')).get('/api/revenue')).status).toBe(403);
    expect((await (await t.as('acme@client.test')).get('/api/revenue')).status).toBe(403);
  });

  it('400 naming quarter or an unknown field, 404 for an unknown quarter', async () => {
    for (const [path, field] of [
      ['/api/revenue?quarter=', 'quarter'],
      [`/api/revenue?quarter=${'x'.repeat(201)}`, 'quarter'],
      [`/api/revenue?quarter=${Q}&quarter=${Q}`, 'quarter'],
      ['/api/revenue?week=2', 'week'],
    ] as const) {
      const r = await manager.get(path);
      expect(r.status, path).toBe(400);
      expect(fieldsOf(r)).toEqual([field]);
    }
    const r = await manager.get('/api/revenue?quarter=1999-Q1');
    expect(r.status).toBe(404);
    expect(r.body.error.message).toContain('1999-Q1');
  });

  it('what the plan in force is worth, per client and week, in exact cents', async () => {
    const r = await manager.get('/api/revenue');
    expect(r.status).toBe(200);
    const m = r.body;
    expect(m).toMatchObject({ quarter: Q, currency: 'EUR', currentWeek: 2, planVersion: (await manager.get('/api/plans/current')).body.version, closed: false });
    // acme delivers 10, 10 (used), 35, 47, 14 (planned) = 116 h of its 130 at €95.00; 14 h at risk.
    // bolt delivers 5, 5, 5, 5, 20, 20 = 60 h of its 65 at €80.50; 5 h at risk. dyno: 12 h in week 2 at €110.00.
    expect(m.clients).toEqual([
      expect.objectContaining({ id: 'acme', unpriced: false, boughtHours: 130, soldMinor: 1_235_000, prepaidHours: 116, prepaidMinor: 1_102_000, overageMinor: 0, paygMinor: 0, rolloverLiabilityMinor: 0, atRiskHours: 14, atRiskMinor: 133_000 }),
      expect.objectContaining({ id: 'bolt', unpriced: false, boughtHours: 65, soldMinor: 523_250, prepaidHours: 60, prepaidMinor: 483_000, overageMinor: 0, atRiskHours: 5, atRiskMinor: 40_250 }),
      expect.objectContaining({ id: 'dyno', unpriced: false, soldMinor: 0, paygHours: 12, paygMinor: 132_000 }),
    ]);
    expect(m.weeks.map((w: { prepaidMinor: number; paygMinor: number; history: boolean }) => [w.history, w.prepaidMinor, w.paygMinor])).toEqual([
      [true, 135_250, 0], // 10 × 95.00 + 5 × 80.50
      [true, 135_250, 0],
      [false, 372_750, 132_000], // 35 × 95.00 + 5 × 80.50; dyno's 12 × 110.00
      [false, 486_750, 0], // 47 × 95.00 + 5 × 80.50
      [false, 294_000, 0], // 14 × 95.00 + 20 × 80.50
      [false, 161_000, 0],
      ...Array.from({ length: 7 }, () => [false, 0, 0]),
    ]);
    expect(m.totals).toEqual({ soldMinor: 1_758_250, prepaidMinor: 1_585_000, overageMinor: 0, paygMinor: 132_000, earnedMinor: 1_717_000, rolloverLiabilityMinor: 0, atRiskMinor: 173_250 });
  });

  it('a change of price moves the figures and the ETag, not the plan; an unchanged answer is a 304', async () => {
    const first = await manager.get('/api/revenue');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"revenue-/);
    expect((await manager.request('GET', '/api/revenue', undefined, { 'if-none-match': etag })).status).toBe(304);

    await price('bolt', { blockPriceMinor: 8_000, paygRateMinor: 10_000 });
    await t.settle();
    const moved = await manager.get('/api/revenue');
    expect(moved.body.planVersion).toBe(first.body.planVersion);
    expect(moved.headers.get('etag')).not.toBe(etag);
    expect((await manager.request('GET', '/api/revenue', undefined, { 'if-none-match': etag })).status).toBe(200);
    // bolt: 65 h sold, 60 h recognised, 5 h at risk, now at €80.00.
    expect(moved.body.clients[1]).toMatchObject({ id: 'bolt', soldMinor: 520_000, prepaidMinor: 480_000, atRiskMinor: 40_000 });
    expect(moved.body.totals).toEqual({ soldMinor: 1_755_000, prepaidMinor: 1_582_000, overageMinor: 0, paygMinor: 132_000, earnedMinor: 1_714_000, rolloverLiabilityMinor: 0, atRiskMinor: 173_000 });

    // Unpriced: dyno without its rate counts 0 and says so.
    await price('dyno', { paygRateMinor: null });
    const unpriced = (await manager.get('/api/revenue')).body;
    expect(unpriced.clients[2]).toMatchObject({ id: 'dyno', unpriced: true, paygHours: 12, paygMinor: 0 });
    expect(unpriced.totals.paygMinor).toBe(0);
    await price('dyno', { paygRateMinor: 11_000 });
  });

  it('the what-if answer says what a block sale or an emergency does to revenue and liability, in exact cents', async () => {
    // Prices now: acme €95.00 / €120.00, bolt €80.00 / €100.00, dyno €110.00.
    const before = { soldMinor: 1_755_000, prepaidMinor: 1_582_000, overageMinor: 0, paygMinor: 132_000, earnedMinor: 1_714_000, rolloverLiabilityMinor: 0, atRiskMinor: 173_000 };
    expect((await manager.get('/api/revenue')).body.totals).toEqual(before);
    const ask = async (changes: unknown[]) => {
      const r = await manager.post('/api/what-if', { quarter: Q, changes });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.money.currency).toBe('EUR');
      expect(r.body.money.before).toEqual(before);
      const { before: b, after: a, delta: d } = r.body.money;
      for (const k of Object.keys(b)) expect(d[k]).toBe(a[k] - b[k]);
      return r.body;
    };
    const zero = { soldMinor: 0, prepaidMinor: 0, overageMinor: 0, paygMinor: 0, earnedMinor: 0, rolloverLiabilityMinor: 0, atRiskMinor: 0 };

    // A 20 h block for bolt: €1,600.00 sold; bolt has no more work, so the 20 h join its hours at risk.
    const block = await ask([{ type: 'add-block', client: 'bolt', week: 2, hours: 20 }]);
    expect(block.money.delta).toEqual({ ...zero, soldMinor: 160_000, atRiskMinor: 160_000 });
    expect(block).toHaveProperty('available');
    expect(block).toHaveProperty('reserved');
    expect(block).toHaveProperty('diff');

    // A 30 h emergency for acme: it now delivers 146 h of its 130 — 14 h more recognised at €95.00
    // (its 14 h at risk are used), 16 h overage at its €120.00.
    const emergency = await ask([{ type: 'add-emergency', client: 'acme', hours: 30 }]);
    expect(emergency.plan.clients.find((c: { id: string }) => c.id === 'acme').overageHours).toBe(16);
    expect(emergency.money.delta).toEqual({ ...zero, prepaidMinor: 133_000, overageMinor: 192_000, earnedMinor: 325_000, atRiskMinor: -133_000 });

    // Nobody working from week 2: acme is owed 96 h and bolt 50 h (the rollover liability at their
    // block prices: 96 × 95.00 + 50 × 80.00), recognised that much less; dyno's 12 h go unbilled.
    const leave = (staff: string, hours: number) => Array.from({ length: 11 }, (_, k) => ({ type: 'set-leave', staff, week: k + 2, hours }));
    const away = await ask([...leave('ana', 32), ...leave('sam', 20)]);
    expect(away.money.delta).toEqual({ ...zero, prepaidMinor: -1_312_000, paygMinor: -132_000, earnedMinor: -1_444_000, rolloverLiabilityMinor: 1_312_000 });
  });

  it('a closed quarter answers from the plan it was closed on; the current quarter is the next one', async () => {
    const open = (await manager.get(`/api/revenue?quarter=${Q}`)).body;
    const closed = await manager.post(`/api/quarters/${Q}/close`, { nextQuarter: { id: '2027-Q1' } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    await t.settle();
    const after = (await manager.get(`/api/revenue?quarter=${Q}`)).body;
    expect(after).toEqual({ ...open, closed: true });
    expect(after.planVersion).toBe(closed.body.planVersion);
    const next = (await manager.get('/api/revenue')).body;
    expect(next).toMatchObject({ quarter: '2027-Q1', closed: false, currency: 'EUR' });
    expect(next.planVersion).not.toBe(after.planVersion);
  });
});
