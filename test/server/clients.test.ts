/**
 * /api/clients and their prepaid blocks: shapes, role rules, validation, optimistic locking, and
 * blocks reaching the plan.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { expectFieldErrors, fieldsOf, logTime, malformed, oversized, QUARTER, recordEvents, rowCount, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, type TestApp } from '../utils/test-app.ts';

describe.each(await dbTargets())('clients on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  withSeededApp(target, (s) => ({ t, manager, harbor, sam } = s));

  describe('reading', () => {
    it('shows a client with its blocks and history for the current quarter', async () => {
      await logTime(t, { staffId: 'sam', ticketId: 'H-1', clientId: 'harbor', week: 10, hours: 0.5 });
      const r = await manager.get('/api/clients/harbor');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        id: 'harbor',
        name: 'Harbor Dental',
        plan: 'prepaid',
        contact: null,
        active: true,
        blockPriceMinor: null,
        paygRateMinor: null,
        version: 1,
        quarter: QUARTER,
        blocks: [{ id: expect.any(Number), quarter: QUARTER, week: 0, hours: 52, createdAt: expect.any(String), version: 1 }],
        rolloverInHours: 0,
        usedByWeek: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4.5],
        shortfallToDateHours: 0,
      });
      expect((await manager.get(`/api/clients/harbor?quarter=${QUARTER}`)).body).toEqual(r.body);
      expect((await manager.get('/api/clients/harbor?quarter=1999-Q1')).status).toBe(404);
      expect((await manager.get('/api/clients/dyno')).body).toMatchObject({ plan: 'payg', blocks: [], usedByWeek: [] });
    });

    it('lists every client for a manager, only its own for a client user, nothing for staff', async () => {
      const all = (await manager.get('/api/clients')).body.items.map((c: { id: string }) => c.id);
      expect(all).toEqual(expect.arrayContaining(['dyno', 'harbor', 'nimbus', 'quill']));
      const own = await harbor.get('/api/clients');
      expect(own.body).toMatchObject({ items: [{ id: 'harbor' }], total: 1, nextCursor: null });
      expect((await harbor.get('/api/clients/harbor')).body).toEqual((await manager.get('/api/clients/harbor')).body);
      expect((await harbor.get('/api/clients/harbor/blocks')).body).toHaveLength(1);
      expect((await harbor.get('/api/clients/quill')).status).toBe(404);
      for (const path of ['/api/clients', '/api/clients/harbor', '/api/clients/harbor/blocks']) expect((await sam.get(path)).status).toBe(403);
      expect((await t.anonymous().get('/api/clients')).status).toBe(401);
    });
  });

  describe('creating and editing', () => {
    it('a manager adds a client; duplicates are 409; other roles 403; bad bodies 400 naming the field', async () => {
      const r = await manager.post('/api/clients', { id: 'orbit', name: 'Orbit Labs', plan: 'prepaid' });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ id: 'orbit', name: 'Orbit Labs', plan: 'prepaid', active: true, version: 1, blocks: [], usedByWeek: [] });
      const before = await rowCount(t, 'clients');
      expect((await manager.post('/api/clients', { id: 'orbit', plan: 'payg' })).status).toBe(409);
      expect((await harbor.post('/api/clients', { id: 'mine', plan: 'payg' })).status).toBe(403);
      expect((await sam.post('/api/clients', { id: 'mine', plan: 'payg' })).status).toBe(403);
      await expectFieldErrors((b) => manager.post('/api/clients', b), [
        [{ id: 'x', plan: 'monthly' }, 'plan'],
        [{ id: 'x' }, 'plan'],
        [{ plan: 'payg' }, 'id'],
        [{ id: '   ', plan: 'payg' }, 'id'],
        [{ id: 'x'.repeat(201), plan: 'payg' }, 'id'],
        [{ id: 'x', plan: 'payg', name: 'n'.repeat(201) }, 'name'],
        [{ id: 'x', plan: 'payg', active: 'yes' }, 'active'],
        [{ id: 'x', plan: 'payg', purchases: [] }, 'purchases'],
      ]);
      expect((await malformed(manager, 'POST', '/api/clients')).body.error.code).toBe('invalid_json');
      expect((await manager.post('/api/clients', { id: 'big', plan: 'payg', name: oversized().title })).status).toBe(413);
      expect(await rowCount(t, 'clients')).toBe(before);
    });

    it('a manager renames a client with the version read; stale versions get 409 with the current record', async () => {
      const c = (await manager.post('/api/clients', { id: 'renamed', plan: 'payg' })).body;
      const missing = await manager.patch('/api/clients/renamed', { name: 'No version' });
      expect(missing.status).toBe(400);
      expect(fieldsOf(missing)).toEqual(['version']);
      const r = await manager.patch('/api/clients/renamed', { version: c.version, name: 'Renamed Ltd', plan: 'prepaid' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ name: 'Renamed Ltd', plan: 'prepaid', version: c.version + 1 });
      const stale = await manager.patch('/api/clients/renamed', { version: c.version, name: 'Old' });
      expect(stale.status).toBe(409);
      expect(stale.body.error.details.current).toEqual((await manager.get('/api/clients/renamed')).body);
      expect((await manager.patch('/api/clients/nobody', { version: 1, name: 'x' })).status).toBe(404);
      expect((await harbor.patch('/api/clients/harbor', { version: 1, name: 'Mine now' })).status).toBe(403);
    });

    it('two PATCHes with the same version at once: one wins, the other gets 409', async () => {
      const c = (await manager.post('/api/clients', { id: 'race', plan: 'payg' })).body;
      const [a, b] = await Promise.all(['A', 'B'].map((name) => manager.patch('/api/clients/race', { version: c.version, name })));
      expect([a!.status, b!.status].sort()).toEqual([200, 409]);
      const winner = a!.status === 200 ? a! : b!;
      expect((await manager.get('/api/clients/race')).body.name).toBe(winner.body.name);
    });

    it('keeps open quarters plannable: no deactivating a client with tickets, no PAYG with blocks', async () => {
      const quill = (await manager.get('/api/clients/quill')).body;
      const off = await manager.patch('/api/clients/quill', { version: quill.version, active: false });
      expect(off.status).toBe(409);
      expect(off.body.error.message).toContain('has tickets');
      const payg = await manager.patch('/api/clients/quill', { version: quill.version, plan: 'payg' });
      expect(payg.status).toBe(409);
      expect(payg.body.error.message).toContain('blocks');
      expect((await manager.get('/api/clients/quill')).body).toEqual(quill);
      const spare = (await manager.post('/api/clients', { id: 'spare', plan: 'payg' })).body;
      expect((await manager.patch('/api/clients/spare', { version: spare.version, active: false })).body.active).toBe(false);
      // An inactive client files nothing: its tickets would not be planned.
      expect((await manager.post('/api/tickets', { client: 'spare', title: 'x', priority: 3, estimateHours: 1 })).status).toBe(400);
    });

    it('a client change emits data.changed and makes a new plan', async () => {
      await t.settle();
      const before = (await manager.get('/api/plans/current')).body.version;
      const events = recordEvents(t, 'data.changed');
      const c = (await manager.get('/api/clients/nimbus')).body;
      expect((await manager.patch('/api/clients/nimbus', { version: c.version, name: 'Nimbus Travel Ltd' })).status).toBe(200);
      events.stop();
      expect(events.events).toEqual([{ quarterIds: [QUARTER], entity: 'client', id: 'nimbus', clientId: 'nimbus' }]);
      await t.settle();
      const after = (await manager.get('/api/plans/current')).body;
      expect(after.version).toBeGreaterThan(before);
      expect(after.clients.find((x: { id: string }) => x.id === 'nimbus').name).toBe('Nimbus Travel Ltd');
    });
  });

  describe('blocks', () => {
    it('a manager records a block: it shows on the client and raises its rate in a new plan', async () => {
      await t.settle();
      const before = (await manager.get('/api/plans/current')).body;
      const rate = (p: { clients: { id: string; rate: number[] }[] }) => p.clients.find((c) => c.id === 'harbor')!.rate;
      const events = recordEvents(t, 'data.changed');
      const r = await manager.post('/api/clients/harbor/blocks', { week: 12, hours: 20 });
      events.stop();
      expect(r.status).toBe(201);
      expect(r.body).toEqual({ id: expect.any(Number), quarter: QUARTER, week: 12, hours: 20, createdAt: expect.any(String), version: 1 });
      expect(events.events).toEqual([{ quarterIds: [QUARTER], entity: 'block', id: String(r.body.id), clientId: 'harbor' }]);
      expect((await harbor.get('/api/clients/harbor')).body.blocks.map((b: { hours: number }) => b.hours)).toEqual([52, 20]);
      await t.settle();
      const after = (await manager.get('/api/plans/current')).body;
      expect(after.version).toBeGreaterThan(before.version);
      expect(rate(after)[12]).toBe(rate(before)[12]! + 20);

      const del = await manager.delete(`/api/clients/harbor/blocks/${r.body.id}`);
      expect(del.status).toBe(204);
      expect((await manager.get('/api/clients/harbor')).body.blocks).toHaveLength(1);
      expect((await manager.delete(`/api/clients/harbor/blocks/${r.body.id}`)).status).toBe(404);
    });

    it('refuses a bad block naming the field, and saves nothing', async () => {
      const before = { blocks: await rowCount(t, 'blocks'), audit: await rowCount(t, 'audit_log') };
      const small = await manager.post('/api/clients/harbor/blocks', { week: 3, hours: 19.75 });
      expect(small.status).toBe(400);
      expect(small.body.error.details).toEqual([{ field: 'hours', message: 'a block is at least 20 hours' }]);
      expect(small.body.error.message).toBe('hours: a block is at least 20 hours');
      await expectFieldErrors((b) => manager.post('/api/clients/harbor/blocks', b), [
        [{ week: 13, hours: 20 }, 'week'],
        [{ week: -1, hours: 20 }, 'week'],
        [{ week: 1.5, hours: 20 }, 'week'],
        [{ hours: 20 }, 'week'],
        [{ week: 1 }, 'hours'],
        [{ week: 1, hours: '20' }, 'hours'],
        [{ week: 1, hours: 20.1 }, 'hours'],
        [{ week: 1, hours: 20, price: 100 }, 'price'],
      ]);
      expect((await manager.post('/api/clients/dyno/blocks', { week: 1, hours: 20 })).status).toBe(400);
      expect((await manager.post('/api/clients/nobody/blocks', { week: 1, hours: 20 })).status).toBe(404);
      expect((await manager.post('/api/clients/harbor/blocks', { week: 1, hours: 20, quarter: '1999-Q1' })).status).toBe(404);
      expect((await malformed(manager, 'POST', '/api/clients/harbor/blocks')).status).toBe(400);
      expect({ blocks: await rowCount(t, 'blocks'), audit: await rowCount(t, 'audit_log') }).toEqual(before);
    });

    it('only managers record or delete blocks: 403 for the client itself and for staff', async () => {
      const block = (await manager.get('/api/clients/harbor')).body.blocks[0];
      expect((await harbor.post('/api/clients/harbor/blocks', { week: 1, hours: 40 })).status).toBe(403);
      expect((await harbor.delete(`/api/clients/harbor/blocks/${block.id}`)).status).toBe(403);
      expect((await sam.post('/api/clients/harbor/blocks', { week: 1, hours: 40 })).status).toBe(403);
      expect((await manager.get('/api/clients/harbor')).body.blocks).toEqual([block]);
    });

    it("deleting a block through another client's URL finds nothing", async () => {
      const block = (await manager.get('/api/clients/quill')).body.blocks[0];
      expect((await manager.delete(`/api/clients/harbor/blocks/${block.id}`)).status).toBe(404);
      expect((await manager.delete('/api/clients/harbor/blocks/abc')).status).toBe(400);
      expect((await manager.get('/api/clients/quill')).body.blocks).toEqual([block]);
    });
  });
});
