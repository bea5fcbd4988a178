/**
 * The close preview (issue 11): GET /api/quarters/:id/close-preview answers what POST
 * /api/quarters/:id/close then does, in exact hours (one function for both), on the shared
 * emergency-rollover example: Harbor's 4 h roll over, Quill's 10 h and Nimbus's 16 h expire.
 * Managers only. Both databases.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { fieldsOf, QUARTER, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, type TestApp } from '../utils/test-app.ts';

const NEXT = '2027-Q1';

describe.each(await dbTargets())('quarter close preview on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  withSeededApp(target, (s) => ({ t, manager, harbor, sam } = s));

  it('is for managers only; an unknown quarter is 404, a bad id 400 naming it', async () => {
    expect((await sam.get(`/api/quarters/${QUARTER}/close-preview`)).status).toBe(403);
    expect((await harbor.get(`/api/quarters/${QUARTER}/close-preview`)).status).toBe(403);
    expect((await t.anonymous().get(`/api/quarters/${QUARTER}/close-preview`)).status).toBe(401);
    expect((await manager.get('/api/quarters/NOPE/close-preview')).status).toBe(404);
    const bad = await manager.get(`/api/quarters/${'x'.repeat(201)}/close-preview`);
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['id']);
  });

  it('says what the close then does, in exact hours', async () => {
    await t.settle();
    const preview = (await manager.get(`/api/quarters/${QUARTER}/close-preview`)).body;
    expect(preview).toMatchObject({ upToDate: true, nextQuarter: null, quarter: { id: QUARTER, closed: false } });
    const byClient = Object.fromEntries(preview.clients.map((c: { client: string }) => [c.client, c]));
    expect(byClient.harbor).toEqual({ client: 'harbor', name: expect.any(String), rolloverHours: 4, expiredHours: 0 });
    expect(byClient.quill).toMatchObject({ rolloverHours: 0, expiredHours: 10 });
    expect(byClient.nimbus).toMatchObject({ rolloverHours: 0, expiredHours: 16 });
    expect(preview.clients.some((c: { client: string }) => c.client === 'dyno')).toBe(false);
    expect(preview.carriedTickets.length).toBeGreaterThan(0);

    const closed = await manager.post(`/api/quarters/${QUARTER}/close`, { nextQuarter: { id: NEXT } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.planVersion).toBe(preview.planVersion);
    expect(closed.body.clients).toEqual(preview.clients.map(({ name: _, ...c }: { name: string }) => c));
    expect(closed.body.carriedTickets).toEqual(preview.carriedTickets);
    const credits = await t.app.services.store.reader().execute<{ client_id: string; hours: number }[]>('select client_id, hours from rollover_credits where to_quarter_id = ? order by client_id', [NEXT]);
    expect(credits.map((c) => [c.client_id, Number(c.hours)])).toEqual(preview.clients.filter((c: { rolloverHours: number }) => c.rolloverHours > 0).map((c: { client: string; rolloverHours: number }) => [c.client, c.rolloverHours]));

    // The closed quarter still reads: what its close did, from the plan it was closed on.
    const after = (await manager.get(`/api/quarters/${QUARTER}/close-preview`)).body;
    expect(after).toMatchObject({ quarter: { id: QUARTER, closed: true }, nextQuarter: NEXT, carriedTickets: null, planVersion: preview.planVersion });
    expect(after.clients).toEqual(preview.clients);
    expect(after.overage).toEqual(preview.overage);
    // The next quarter is where the dashboards go now, with Harbor's credit.
    await t.settle();
    const plan = (await manager.get('/api/plans/current')).body;
    expect(plan.quarter.id).toBe(NEXT);
    expect(plan.clients.find((c: { id: string }) => c.id === 'harbor').rolloverInHours).toBe(4);
  });
});
