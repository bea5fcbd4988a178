/**
 * Servers outlive database faults. Two real server processes share one PostgreSQL database (A
 * plans, B only serves: B's sockets hear A's plans through PostgreSQL), and the database's
 * connections are cut: every one, or only the LISTEN one that carries events between instances,
 * or every one while the database refuses new connections for a while (requests then answer 503
 * `database_unavailable`). No process exits; within 5 s of the database answering again requests
 * work, and a change is planned and heard on B. A full PostgreSQL restart is
 * `npm run test:faults`: it would disturb the other tests' databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../utils/api-client.ts';
import { connectSocket, waitFor } from '../utils/spawn-server.ts';
import { dbTargets } from '../utils/test-app.ts';
import { allowConnections, bothAlive, changeIsPlanned, currentVersion, listenBackends, sleep, startTwoInstances, terminateBackends, within, type TwoInstances } from '../utils/db-faults.ts';

// Fails (not skips) when REQUIRE_POSTGRES is set and no PostgreSQL answers; skipped on PGlite-only runs.
const onPostgres = (await dbTargets()).includes('postgres');

/** Each request answers 200 or 503 database_unavailable: never a 500, never internals. */
async function expectOkOrUnavailable(c: ApiClient, path: string): Promise<number> {
  const r = await c.get(path);
  if (r.status !== 200) expect(r.body).toMatchObject({ error: { code: 'database_unavailable' } });
  expect([200, 503]).toContain(r.status);
  return r.status;
}

describe.skipIf(!onPostgres)('database faults with two server instances running', () => {
  let t: TwoInstances;
  let estimate = 5;

  beforeAll(async () => {
    // A solve takes a second, so a fault can land while a re-plan is in flight.
    t = await startTwoInstances({ SOLVER_DELAY_MS: '1000' });
  }, 90_000);

  afterAll(async () => {
    await t?.close();
  });

  it('every connection of the app database cut: requests work again at once, a change is planned and heard on the other instance', async () => {
    const listening = await listenBackends(t.databaseUrl);
    expect(listening).toHaveLength(2);
    const cut = await terminateBackends(t.databaseUrl);
    expect(cut.length).toBeGreaterThan(listening.length);

    for (const c of [t.managerA, t.managerB]) await expectOkOrUnavailable(c, '/api/plans/current');
    const back = await within(5_000, 'requests on both instances', async () => (await t.managerA.get('/api/staff')).status === 200 && (await t.managerB.get('/api/staff')).status === 200);
    const relistened = await within(5_000, 'both LISTEN connections back', async () => {
      const now = await listenBackends(t.databaseUrl);
      return now.length === 2 && now.every((pid) => !listening.includes(pid));
    });
    console.info(`[db-faults] all connections cut: requests back after ${back.ms} ms, LISTEN after ${relistened.ms} ms`);

    await changeIsPlanned(t, ++estimate);
    expect(bothAlive(t)).toEqual([]);
  }, 60_000);

  it('only the LISTEN connections cut: they come back and events still cross instances', async () => {
    const listening = await listenBackends(t.databaseUrl);
    expect(listening).toHaveLength(2);
    expect((await terminateBackends(t.databaseUrl, 'listen')).sort()).toEqual(listening);

    await within(5_000, 'both LISTEN connections back', async () => {
      const now = await listenBackends(t.databaseUrl);
      return now.length === 2 && now.every((pid) => !listening.includes(pid));
    });
    await changeIsPlanned(t, ++estimate);
    expect(bothAlive(t)).toEqual([]);
  }, 60_000);

  it('connections cut while a re-plan runs and the database refuses new ones: 503 database_unavailable meanwhile, then the change is planned once', async () => {
    const before = await currentVersion(t.managerA);
    const liveA = await connectSocket(t.a.url, t.managerA.cookie);
    try {
      const ticket = (await t.managerA.get('/api/tickets/H-1')).body;
      expect((await t.managerA.patch('/api/tickets/H-1', { version: ticket.version, estimateHours: ++estimate })).status).toBe(200);
      await waitFor(() => liveA.events.find((e) => e.event === 'replan.started'), 10_000, 'replan.started on A');

      await allowConnections(t.databaseUrl, false);
      await terminateBackends(t.databaseUrl);
      for (const c of [t.managerA, t.managerB]) {
        const r = await c.get('/api/plans/current');
        expect(r.status).toBe(503);
        expect(r.headers.get('retry-after')).toBe('5');
        expect(r.body).toEqual({ error: { code: 'database_unavailable', message: expect.stringMatching(/database is not answering/), details: null } });
      }
      const write = await t.managerA.patch('/api/tickets/H-2', { version: 1, estimateHours: 3 });
      expect(write.status).toBe(503);
      expect((await new ApiClient(t.b.url).get('/api/health')).status).toBe(503);
      await expect(connectSocket(t.b.url, t.managerB.cookie)).rejects.toThrow(/unavailable/);
      // Long enough for the solve in flight to end and fail to commit.
      await sleep(2_000);
      expect(await expectOkOrUnavailable(t.managerB, '/api/plans/current')).toBe(503);

      await allowConnections(t.databaseUrl, true);
      const back = await within(5_000, 'requests on both instances', async () => (await t.managerA.get('/api/staff')).status === 200 && (await t.managerB.get('/api/staff')).status === 200);
      const planned = await within(15_000, 'the change planned', async () => {
        const p = await t.managerA.get('/api/plans/current');
        return p.status === 200 && p.body.version > before && p.body;
      });
      console.info(`[db-faults] database refused connections: requests back after ${back.ms} ms, the change planned after ${planned.ms} ms`);
      expect(planned.value.tickets.find((x: { id: string }) => x.id === 'H-1').remainingHours).toBe(estimate);
      await waitFor(() => t.liveB.events.find((e) => e.event === 'plan.updated' && e.payload.version === planned.value.version), 10_000, "plan.updated on B's socket");
      await sleep(1_000);
      const versions = (await t.managerA.get('/api/plans?quarter=2026-Q4')).body.versions.map((v: { version: number }) => v.version);
      expect(versions.filter((v: number) => v > before)).toEqual([planned.value.version]);

      // And the next change goes through as usual.
      await changeIsPlanned(t, ++estimate);
      expect(bothAlive(t)).toEqual([]);
    } finally {
      liveA.socket.close();
      await allowConnections(t.databaseUrl, true);
    }
  }, 90_000);
});
