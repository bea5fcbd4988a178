/**
 * Re-plan jobs and the processes that hold them (PostgreSQL only: on the embedded database one
 * process plans in-process). A server killed mid re-plan hands its job back when it restarts, so
 * the change is planned at once rather than when the job expires; a live worker keeps its job
 * through a solve longer than JOB_EXPIRE_SECONDS (a heartbeat), and a server starting beside it
 * leaves that job alone. Real server processes, so kill -9 is a real crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../utils/api-client.ts';
import { adminQuery, currentVersion, example, within } from '../utils/db-faults.ts';
import { connectSocket, startServerProcess, waitFor, type Proc } from '../utils/spawn-server.ts';
import { ADMIN, createTestDatabase, dbTargets, dropTestDatabase } from '../utils/test-app.ts';

// Fails (not skips) when REQUIRE_POSTGRES is set and no PostgreSQL answers; skipped on PGlite-only runs.
const onPostgres = (await dbTargets()).includes('postgres');

async function start(env: Record<string, string>): Promise<{ proc: Proc; manager: ApiClient }> {
  const proc = await startServerProcess({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, REPLAN_DEBOUNCE_MS: '10', ...env });
  const manager = new ApiClient(proc.url);
  await manager.login(ADMIN.email, ADMIN.password);
  return { proc, manager };
}

async function patchEstimate(m: ApiClient, hours: number): Promise<void> {
  const ticket = (await m.get('/api/tickets/H-1')).body;
  expect((await m.patch('/api/tickets/H-1', { version: ticket.version, estimateHours: hours })).status).toBe(200);
}

async function newVersions(m: ApiClient, above: number): Promise<number[]> {
  const versions = (await m.get('/api/plans?quarter=2026-Q4')).body.versions.map((v: { version: number }) => v.version);
  return versions.filter((v: number) => v > above);
}

async function job(databaseUrl: string, id: string): Promise<{ state: string; retry_count: number }> {
  const [row] = await adminQuery<{ state: string; retry_count: number }>('select state, retry_count from pgboss.job where id = $1', [id], databaseUrl);
  return row!;
}

describe.skipIf(!onPostgres)('a server killed with kill -9 in the middle of a re-plan', () => {
  const procs: Proc[] = [];
  let databaseUrl: string;

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('hands its job back when it restarts: the change is planned within seconds, not when the job expires', async () => {
    databaseUrl = await createTestDatabase();
    // Expiry a minute away: only the hand-back can re-plan within the time allowed below.
    const env = { DATABASE_URL: databaseUrl, JOB_EXPIRE_SECONDS: '60' };
    const first = await start(env);
    procs.push(first.proc);
    expect((await first.manager.post('/api/quarters/2026-Q4/import', example)).status).toBe(200);
    await within(30_000, 'the first plan', async () => (await currentVersion(first.manager)) > 0);
    const before = await currentVersion(first.manager);
    await first.proc.stop('SIGTERM');

    const slow = await start({ ...env, SOLVER_DELAY_MS: '30000' });
    procs.push(slow.proc);
    const live = await connectSocket(slow.proc.url, slow.manager.cookie);
    await patchEstimate(slow.manager, 6);
    await waitFor(() => live.events.find((e) => e.event === 'replan.started'), 10_000, 'replan.started');
    live.socket.close();
    await slow.proc.stop('SIGKILL');
    const killedAt = Date.now();

    const back = await start(env);
    procs.push(back.proc);
    const planned = await within(20_000, 'the change planned after the restart', async () => {
      const p = await back.manager.get('/api/plans/current');
      return p.status === 200 && p.body.version > before && p.body;
    });
    console.info(`[job-handback] kill -9 mid re-plan → a current plan after the restart: ${Date.now() - killedAt} ms`);
    expect(planned.value.tickets.find((t: { id: string }) => t.id === 'H-1').remainingHours).toBe(6);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await newVersions(back.manager, before)).toEqual([planned.value.version]);
  }, 120_000);
});

describe.skipIf(!onPostgres)('a job held by a live worker', () => {
  const procs: Proc[] = [];
  let databaseUrl: string;
  let env: Record<string, string>;
  let manager: ApiClient;
  let live: Awaited<ReturnType<typeof connectSocket>>;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    // Every solve outlasts the job's expiry (5 s) and a maintenance round (5 s) after it.
    env = { DATABASE_URL: databaseUrl, JOB_EXPIRE_SECONDS: '5', SOLVER_DELAY_MS: '12000' };
    const a = await start(env);
    procs.push(a.proc);
    procs.push((await start(env)).proc);
    manager = a.manager;
    expect((await manager.post('/api/quarters/2026-Q4/import', example)).status).toBe(200);
    await within(40_000, 'the first plan', async () => (await currentVersion(manager)) > 0);
    live = await connectSocket(a.proc.url, manager.cookie);
  }, 120_000);

  afterAll(async () => {
    live?.socket.close();
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  /** A change, solved by one of the two workers; returns the re-plan's job id. */
  async function changeAndWatch(hours: number): Promise<{ before: number; jobId: string; seen: number }> {
    const before = await currentVersion(manager);
    const seen = live.events.length;
    await patchEstimate(manager, hours);
    const started = await waitFor(() => live.events.slice(seen).find((e) => e.event === 'replan.started'), 10_000, 'replan.started');
    return { before, jobId: started.payload.jobId, seen };
  }

  async function expectSolvedOnce(c: { before: number; jobId: string; seen: number }): Promise<void> {
    const update = await waitFor(() => live.events.slice(c.seen).find((e) => e.event === 'plan.updated' && e.payload.version > c.before), 40_000, 'plan.updated');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(live.events.slice(c.seen).filter((e) => e.event === 'replan.started')).toHaveLength(1);
    expect(await job(databaseUrl, c.jobId)).toEqual({ state: 'completed', retry_count: 0 });
    expect(await newVersions(manager, c.before)).toEqual([update.payload.version]);
  }

  it('keeps it through a solve longer than JOB_EXPIRE_SECONDS: no second worker solves the same change', async () => {
    await expectSolvedOnce(await changeAndWatch(6));
  }, 90_000);

  it('is left alone by a server starting on the same host meanwhile', async () => {
    const c = await changeAndWatch(7);
    const third = await start(env);
    procs.push(third.proc);
    await expectSolvedOnce(c);
  }, 90_000);
});
