/**
 * What the dashboard's ticket tabs rely on: a client user's Done tab (GET /api/tickets?status=closed)
 * lists only its own client's closed tickets, whatever client it asks for; a manager un-declares an
 * emergency with PATCH emergency:false, audited (before and after) and re-planned, which a client
 * user may not do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Quarter } from '../../server/db/entities.ts';
import type { ApiClient } from '../utils/api-client.ts';
import { Q, datedScenario, recordEvents } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

describe.each(await dbTargets())('ticket tabs on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  let acme: ApiClient;

  const close = async (id: string) => {
    const rec = (await manager.get(`/api/tickets/${id}`)).body;
    expect((await manager.patch(`/api/tickets/${id}`, { version: rec.version, status: 'closed' })).status).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    await t.createUser('client', { email: 'acme@client.test', clientId: 'acme' });
    acme = await t.as('acme@client.test');
    await close('A-2');
    await close('B-1');
    await t.settle();
  });
  afterAll(() => t?.close());

  it("a client's closed tickets are its own only", async () => {
    const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((x) => x.id);
    expect(ids(await manager.get('/api/tickets?status=closed'))).toEqual(['A-2', 'B-1']);
    expect(ids(await acme.get('/api/tickets?status=closed'))).toEqual(['A-2']);
    expect((await acme.get('/api/tickets?status=closed')).body.total).toBe(1);
    expect(ids(await acme.get('/api/tickets?status=open'))).toEqual(['A-1']);
    expect((await acme.get('/api/tickets?status=closed&client=bolt')).body).toEqual({ items: [], total: 0, nextCursor: null });
  });

  it('a manager un-declares an emergency: audited, re-planned, no emergency announced; a client may not', async () => {
    const rec = (await manager.get('/api/tickets/A-1')).body;
    const declared = await manager.patch('/api/tickets/A-1', { version: rec.version, emergency: true });
    expect(declared.status).toBe(200);
    await t.settle();
    const revision = async () => (await t.app.services.store.reader().findOneOrFail(Quarter, { id: Q })).dataRevision;
    const before = await revision();
    expect((await acme.patch('/api/tickets/A-1', { version: declared.body.version, emergency: false })).status).toBe(403);
    const events = recordEvents(t, 'emergency.declared');
    const undone = await manager.patch('/api/tickets/A-1', { version: declared.body.version, emergency: false });
    expect(undone.status).toBe(200);
    expect(undone.body.emergency).toBe(false);
    await t.settle();
    expect(await revision()).toBe(before + 1);
    expect(events.events).toEqual([]);
    events.stop();
    const audit = (await manager.get('/api/audit?entity=ticket&id=A-1')).body.items as { action: string; before: { emergency: boolean } | null; after: { emergency: boolean } }[];
    expect(audit.find((a) => a.before?.emergency === true && a.after.emergency === false)).toMatchObject({ action: 'update' });
    const row = (await manager.get(`/api/plans/current/tickets?quarter=${Q}&client=acme`)).body.items.find((r: { id: string }) => r.id === 'A-1');
    expect(row.emergency).toBe(false);
  });
});
