/**
 * Money, stored (issue 12): each client's prices per hour in the company currency's minor units
 * (integers, never floats), edited by managers, audited, shown to the client itself and to no
 * other audience; a change of price alone leaves the plan as it is. The company's name and
 * currency (ISO 4217) in /api/settings. And the arithmetic every money figure uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountMinor, formatMoney, majorString, minorDigits, parseMajor } from '../../shared/money.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { Q, datedScenario } from '../utils/hours-setup.ts';
import { fieldsOf } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

describe('money arithmetic (shared/money.ts)', () => {
  it('hours × a price per hour, rounded half up once to the minor unit', () => {
    expect(amountMinor(10, 8_500)).toBe(85_000);
    expect(amountMinor(0.25, 1_001)).toBe(250); // 250.25
    expect(amountMinor(0.5, 1_001)).toBe(501); // 500.5 rounds up
    expect(amountMinor(0.75, 1_001)).toBe(751); // 750.75
    expect(amountMinor(12.5, null)).toBe(0);
    expect(amountMinor(1e5, 100_000_000)).toBe(1e13); // exact at the caps
  });
  it('minor units in and out, per currency', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(majorString(123_450, 'EUR')).toBe('1234.50');
    expect(majorString(5, 'EUR')).toBe('0.05');
    expect(majorString(-1_234, 'KWD')).toBe('-1.234');
    expect(majorString(1_000, 'JPY')).toBe('1000');
    expect(parseMajor('95', 'EUR')).toBe(9_500);
    expect(parseMajor('95,5', 'EUR')).toBe(9_550);
    expect(parseMajor('95.555', 'EUR')).toBeNull();
    expect(parseMajor('-1', 'EUR')).toBeNull();
    expect(parseMajor('1000', 'JPY')).toBe(1_000);
    expect(formatMoney(123_450, 'EUR', 'en')).toBe('€1,234.50');
  });
});

describe.each(await dbTargets())('prices and company settings on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let acme: ApiClient;
  let bolt: ApiClient;
  let ana: ApiClient;

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    await t.createUser('staff', { email: 'ana@staff.test', staffId: 'ana' });
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    await t.createUser('client', { email: 'bolt@client.test', clientId: 'bolt' });
    [ana, acme, bolt] = [await t.as('ana@staff.test'), await t.as('acme@client.test'), await t.as('bolt@client.test')];
  });
  afterAll(() => t?.close());

  it('a manager prices a client; audited; the plan does not move; the client sees its own prices', async () => {
    const before = (await manager.get('/api/clients/acme')).body;
    expect(before).toMatchObject({ blockPriceMinor: null, paygRateMinor: null });
    const planBefore = (await manager.get('/api/plans/current')).body.version;

    const res = await manager.patch('/api/clients/acme', { version: before.version, blockPriceMinor: 9_500, paygRateMinor: 12_000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ blockPriceMinor: 9_500, paygRateMinor: 12_000 });
    await t.settle();
    expect((await manager.get('/api/plans/current')).body.version).toBe(planBefore);

    const audit = (await manager.get('/api/audit?entity=client&id=acme')).body.items[0];
    expect(audit.before).toMatchObject({ blockPriceMinor: null, paygRateMinor: null });
    expect(audit.after).toMatchObject({ blockPriceMinor: 9_500, paygRateMinor: 12_000 });

    expect((await acme.get('/api/clients/acme')).body).toMatchObject({ blockPriceMinor: 9_500, paygRateMinor: 12_000 });
    expect((await bolt.get('/api/clients/acme')).status).toBe(404);
    expect((await ana.get('/api/clients/acme')).status).toBe(403);
    expect((await acme.patch('/api/clients/acme', { version: res.body.version, paygRateMinor: 1 })).status).toBe(403);

    // Null clears a price; a new client can be priced as it is added.
    const cleared = await manager.patch('/api/clients/acme', { version: res.body.version, paygRateMinor: null });
    expect(cleared.body).toMatchObject({ blockPriceMinor: 9_500, paygRateMinor: null });
    const added = await manager.post('/api/clients', { id: 'zeta', name: 'Zeta', plan: 'payg', paygRateMinor: 15_000 });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ blockPriceMinor: null, paygRateMinor: 15_000 });
  });

  it('refuses a price that is not a whole number of minor units, naming the field, and saves nothing', async () => {
    const c = (await manager.get('/api/clients/bolt')).body;
    for (const bad of [12.5, -1, '9500', 1e9]) {
      const res = await manager.patch('/api/clients/bolt', { version: c.version, blockPriceMinor: bad });
      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(['blockPriceMinor']);
    }
    expect((await manager.post('/api/clients', { id: 'eta', plan: 'payg', paygRateMinor: 0.5 })).status).toBe(400);
    expect((await manager.get('/api/clients/bolt')).body).toMatchObject({ version: c.version, blockPriceMinor: null });
    expect((await manager.get('/api/clients/eta')).status).toBe(404);
  });

  it('company settings: everyone reads them, managers change them (ISO 4217), audited, with the version read', async () => {
    const s = (await acme.get('/api/settings')).body;
    expect(s).toEqual({ name: 'Hourglass', currency: 'USD', version: 1 });
    expect((await ana.get('/api/settings')).status).toBe(200);
    expect((await t.anonymous().get('/api/settings')).status).toBe(401);
    expect((await acme.patch('/api/settings', { version: 1, currency: 'EUR' })).status).toBe(403);
    expect((await ana.patch('/api/settings', { version: 1, currency: 'EUR' })).status).toBe(403);

    for (const [body, field] of [
      [{ version: 1, currency: 'XYZ' }, 'currency'],
      [{ version: 1, currency: 'EURO' }, 'currency'],
      [{ version: 1, name: '' }, 'name'],
      [{ currency: 'EUR' }, 'version'],
      [{ version: 1, colour: 'red' }, 'colour'],
    ] as const) {
      const res = await manager.patch('/api/settings', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res)).toEqual([field]);
    }

    const ok = await manager.patch('/api/settings', { version: 1, name: 'Northwind Support', currency: 'eur' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ name: 'Northwind Support', currency: 'EUR', version: 2 });
    const stale = await manager.patch('/api/settings', { version: 1, currency: 'GBP' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toEqual(ok.body);
    const audit = (await manager.get('/api/audit?entity=settings')).body.items[0];
    expect(audit).toMatchObject({ entity: 'settings', before: { currency: 'USD' }, after: { currency: 'EUR', name: 'Northwind Support' } });
  });
});
