/**
 * The routes the setup screens added (issue 11): a client's contact, correcting a block recorded by
 * mistake (audited, with the version read, refused after the quarter closes), and starting the
 * first quarter of an empty database. Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { expectFieldErrors, QUARTER, rowCount, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const lastAudit = async (t: TestApp) =>
  (await t.app.services.store.reader().execute<{ action: string; entity: string; entity_id: string; before: unknown; after: unknown; user_id: number | null }[]>('select action, entity, entity_id, before, after, user_id from audit_log order by id desc limit 1'))[0]!;
const revision = async (t: TestApp, q = QUARTER) => Number((await t.app.services.store.reader().execute<{ r: number }[]>('select data_revision as r from quarters where id = ?', [q]))[0]!.r);

describe.each(await dbTargets())('setup routes on %s', (target) => {
  describe('clients and blocks', () => {
    let t: TestApp, manager: ApiClient, harbor: ApiClient, quill: ApiClient, sam: ApiClient;
    withSeededApp(target, (s) => ({ t, manager, harbor, quill, sam } = s));

    it('a client has a contact: set on create, changed or cleared on edit, audited; the client sees its own', async () => {
      const created = await manager.post('/api/clients', { id: 'acme', name: 'Acme', plan: 'prepaid', contact: '  Jo Bloggs, jo@acme.test ' });
      expect(created.status).toBe(201);
      expect(created.body.contact).toBe('Jo Bloggs, jo@acme.test');
      const edited = await manager.patch('/api/clients/acme', { version: created.body.version, contact: 'Sam Lee, 555-0100' });
      expect(edited.body).toMatchObject({ contact: 'Sam Lee, 555-0100', version: created.body.version + 1 });
      expect(await lastAudit(t)).toMatchObject({ action: 'update', entity: 'client', entity_id: 'acme', before: { contact: 'Jo Bloggs, jo@acme.test' }, after: { contact: 'Sam Lee, 555-0100' } });
      const cleared = await manager.patch('/api/clients/acme', { version: edited.body.version, contact: '' });
      expect(cleared.body.contact).toBeNull();
      expect((await harbor.get('/api/clients/harbor')).body).toHaveProperty('contact', null);
      await expectFieldErrors((b) => manager.patch('/api/clients/acme', b), [
        [{ version: cleared.body.version, contact: 'x'.repeat(501) }, 'contact'],
        [{ version: cleared.body.version, contact: 5 }, 'contact'],
      ]);
      expect((await harbor.patch('/api/clients/harbor', { version: 1, contact: 'me' })).status).toBe(403);
      expect((await quill.patch('/api/clients/harbor', { version: 1, contact: 'me' })).status).toBe(404);
    });

    it('a manager corrects a block with the version read: one transaction with its audit row, a new revision and a new plan', async () => {
      const block = (await manager.get('/api/clients/harbor')).body.blocks[0];
      const rev = await revision(t);
      const plan = (await manager.get('/api/plans/current')).body.version;
      const r = await manager.patch(`/api/clients/harbor/blocks/${block.id}`, { version: block.version, hours: 60, week: 1 });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ...block, hours: 60, week: 1, version: block.version + 1 });
      expect(await lastAudit(t)).toMatchObject({ action: 'update-block', entity: 'client', entity_id: 'harbor', before: { hours: 52, week: 0 }, after: { hours: 60, week: 1 } });
      expect(await revision(t)).toBe(rev + 1);
      await t.settle();
      expect((await manager.get('/api/plans/current')).body.version).toBeGreaterThan(plan);
      const stale = await manager.patch(`/api/clients/harbor/blocks/${block.id}`, { version: block.version, hours: 70 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.details.current).toMatchObject({ hours: 60 });
      // Back as it was, for the tests after this one.
      expect((await manager.patch(`/api/clients/harbor/blocks/${block.id}`, { version: r.body.version, hours: 52, week: 0 })).status).toBe(200);
    });

    it('refuses a bad correction naming the field, other roles, and other clients; saves nothing', async () => {
      const block = (await manager.get('/api/clients/harbor')).body.blocks[0];
      const before = { audit: await rowCount(t, 'audit_log'), rev: await revision(t) };
      const path = `/api/clients/harbor/blocks/${block.id}`;
      await expectFieldErrors((b) => manager.patch(path, b), [
        [{ version: block.version, hours: 10 }, 'hours'],
        [{ version: block.version, hours: 20.1 }, 'hours'],
        [{ version: block.version, week: 13 }, 'week'],
        [{ version: block.version, week: -1 }, 'week'],
        [{ version: block.version }, 'hours'],
        [{ hours: 40 }, 'version'],
        [{ version: block.version, hours: 40, client: 'quill' }, 'client'],
      ]);
      expect((await harbor.patch(path, { version: block.version, hours: 40 })).status).toBe(403);
      expect((await sam.patch(path, { version: block.version, hours: 40 })).status).toBe(403);
      expect((await quill.patch(path, { version: block.version, hours: 40 })).status).toBe(404);
      expect((await manager.patch(`/api/clients/quill/blocks/${block.id}`, { version: block.version, hours: 40 })).status).toBe(404);
      expect((await manager.patch('/api/clients/harbor/blocks/abc', { version: 1, hours: 40 })).status).toBe(400);
      expect({ audit: await rowCount(t, 'audit_log'), rev: await revision(t) }).toEqual(before);
      expect((await manager.get('/api/clients/harbor')).body.blocks).toEqual([block]);
    });

    it('a block removed by mistake is audited with what it was', async () => {
      const added = (await manager.post('/api/clients/nimbus/blocks', { week: 12, hours: 20 })).body;
      expect((await manager.delete(`/api/clients/nimbus/blocks/${added.id}`)).status).toBe(204);
      expect(await lastAudit(t)).toMatchObject({ action: 'delete-block', entity: 'client', entity_id: 'nimbus', before: { id: added.id, hours: 20, week: 12 }, after: null });
    });

    it('after the quarter closes its blocks can be neither corrected nor removed', async () => {
      const block = (await manager.get('/api/clients/harbor')).body.blocks[0];
      await t.settle();
      expect((await manager.post(`/api/quarters/${QUARTER}/close`, { nextQuarter: { id: '2027-Q1' } })).status).toBe(200);
      const before = await rowCount(t, 'audit_log');
      for (const r of [
        await manager.patch(`/api/clients/harbor/blocks/${block.id}`, { version: block.version, hours: 40 }),
        await manager.delete(`/api/clients/harbor/blocks/${block.id}`),
      ]) {
        expect(r.status).toBe(400);
        expect(r.body.error.details).toEqual([{ field: 'quarter', message: 'is closed' }]);
      }
      expect(await rowCount(t, 'audit_log')).toBe(before);
      expect((await manager.get(`/api/clients/harbor?quarter=${QUARTER}`)).body.blocks).toEqual([block]);
    });
  });

  describe('the first quarter of an empty database', () => {
    let t: TestApp, manager: ApiClient;
    beforeAll(async () => {
      t = await startTestApp(target);
      manager = await t.manager();
    });
    afterAll(() => t.close());

    it('refuses bad bodies naming the field and other roles, then starts the quarter (audited) and plans it', async () => {
      expect((await manager.post('/api/staff', { id: 'ana', weeklyHours: 30 })).status).toBe(201);
      await t.createUser('staff', { email: 'nobody@staff.test', staffId: 'ana' });
      const staff = await t.as('nobody@staff.test');
      expect((await staff.post('/api/quarters', { id: '2026-Q4' })).status).toBe(403);
      expect((await t.anonymous().post('/api/quarters', { id: '2026-Q4' })).status).toBe(401);
      await expectFieldErrors((b) => manager.post('/api/quarters', b), [
        [{}, 'id'],
        [{ id: '2026-Q4', weeks: 0 }, 'weeks'],
        [{ id: '2026-Q4', weeks: 2.5 }, 'weeks'],
        [{ id: '2026-Q4', startDate: '2026-09-29' }, 'startDate'],
        [{ id: '2026-Q4', startDate: 'soon' }, 'startDate'],
        [{ id: '2026-Q4', weeks: 13, currentWeek: 13 }, 'currentWeek'],
        [{ id: '2026-Q4', colour: 'red' }, 'colour'],
      ]);
      expect(await rowCount(t, 'quarters')).toBe(0);
      const r = await manager.post('/api/quarters', { id: '2026-Q4', startDate: '2026-09-28' });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ id: '2026-Q4', weeks: 13, currentWeek: 0, startDate: '2026-09-28', closed: false });
      expect(await lastAudit(t)).toMatchObject({ action: 'create', entity: 'quarter', entity_id: '2026-Q4', before: null });
      expect((await manager.post('/api/quarters', { id: '2027-Q1' })).status).toBe(409);
      // Leave and blocks now have a quarter to land in, and the quarter gets a plan.
      expect((await manager.put('/api/staff/ana/leave', { week: 2, hours: 40 })).body.leave).toEqual({ '2': 40 });
      await t.settle();
      const plan = await manager.get('/api/plans/current');
      expect(plan.status).toBe(200);
      expect(plan.body.staff.find((s: { id: string }) => s.id === 'ana').capacity[2]).toBe(0);
    });
  });
});
