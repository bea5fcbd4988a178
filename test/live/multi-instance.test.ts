/**
 * Several server processes on one PostgreSQL database: events cross instances, each audience hears
 * only its cut, a worker killed mid-solve is replaced without a duplicate plan, a socket that missed
 * events catches up, and bad socket messages harm nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../utils/api-client.ts';
import { connectSocket, startServerProcess, startWorkerProcess, waitFor, type Proc } from '../utils/spawn-server.ts';
import { ADMIN, createTestDatabase, dropTestDatabase, postgresReachable } from '../utils/test-app.ts';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/examples/emergency-rollover.json'), 'utf8'));
const reachable = await postgresReachable();
if (!reachable) console.warn('[tests] skipping multi-instance tests: they need a PostgreSQL server at 127.0.0.1:5432 (CI always has one)');

const OTHERS_OF: Record<string, string[]> = {
  harbor: ['quill', 'Quill', 'nimbus', 'Nimbus', 'dyno', 'Dyno', 'Q-1', 'Q-2', 'D-1'],
  quill: ['harbor', 'Harbor', 'nimbus', 'Nimbus', 'dyno', 'Dyno', 'H-1', 'D-1'],
};

async function signIn(url: string, email: string, password: string): Promise<ApiClient> {
  const c = new ApiClient(url);
  await c.login(email, password);
  return c;
}

async function currentVersion(c: ApiClient): Promise<number> {
  const r = await c.get('/api/plans/current');
  return r.status === 200 ? r.body.version : 0;
}

async function setUp(env: Record<string, string>) {
  const databaseUrl = await createTestDatabase();
  const base = { DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, REPLAN_DEBOUNCE_MS: '10', ...env };
  return { databaseUrl, base };
}

describe.skipIf(!reachable)('two server instances sharing one PostgreSQL database', () => {
  let databaseUrl: string;
  let a: Proc;
  let b: Proc;
  let managerA: ApiClient;

  beforeAll(async () => {
    const setup = await setUp({});
    databaseUrl = setup.databaseUrl;
    a = await startServerProcess(setup.base);
    b = await startServerProcess(setup.base);
    managerA = await signIn(a.url, ADMIN.email, ADMIN.password);
    expect((await managerA.post('/api/quarters/2026-Q4/import', example)).status).toBe(200);
    for (const c of ['harbor', 'quill']) {
      expect((await managerA.post('/api/users', { email: `${c}@live.test`, password: 'live-client-pass-1', role: 'client', client: c })).status).toBe(201);
    }
    const until = Date.now() + 20_000;
    while ((await currentVersion(managerA)) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('refuses a socket without a session', async () => {
    await expect(connectSocket(b.url, '')).rejects.toThrow(/unauthenticated/);
  });

  it('a change through A reaches sockets on B, each cut for its audience', async () => {
    const managerB = await signIn(b.url, ADMIN.email, ADMIN.password);
    const harborB = await signIn(b.url, 'harbor@live.test', 'live-client-pass-1');
    const quillB = await signIn(b.url, 'quill@live.test', 'live-client-pass-1');
    const manager = await connectSocket(b.url, managerB.cookie);
    const harbor = await connectSocket(b.url, harborB.cookie);
    const quill = await connectSocket(b.url, quillB.cookie);
    try {
      const before = await currentVersion(managerA);
      const ticket = (await managerA.get('/api/tickets/H-1')).body;
      const started = Date.now();
      const r = await managerA.patch('/api/tickets/H-1', { version: ticket.version, estimateHours: 6 });
      expect(r.status).toBe(200);

      const update = await waitFor(() => manager.events.find((e) => e.event === 'plan.updated' && e.payload.version > before), 15_000, 'plan.updated on B');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(update.payload.changes.clients).toContain('harbor');
      const harborUpdate = await waitFor(() => harbor.events.find((e) => e.event === 'plan.updated' && e.payload.version === update.payload.version), 5_000, 'harbor plan.updated');
      expect(harborUpdate.payload.changes).toMatchObject({ clients: ['harbor'], staff: [] });
      await waitFor(() => harbor.events.find((e) => e.event === 'ticket.changed' && e.payload.ticketId === 'H-1'), 5_000, 'harbor ticket.changed');
      await waitFor(() => quill.events.find((e) => e.event === 'plan.updated' && e.payload.version === update.payload.version), 5_000, 'quill plan.updated');
      // Give stragglers a moment, then check that no client heard of another.
      await new Promise((res) => setTimeout(res, 500));
      for (const [name, sock] of [['harbor', harbor], ['quill', quill]] as const) {
        const text = JSON.stringify(sock.events);
        for (const other of OTHERS_OF[name]!) expect(text, `${name}'s socket heard of ${other}`).not.toContain(other);
      }
      expect(quill.events.some((e) => e.event === 'ticket.changed')).toBe(false);
    } finally {
      for (const s of [manager, harbor, quill]) s.socket.close();
    }
  });

  it('a socket that missed events catches up to the current version on reconnect', async () => {
    const harborA = await signIn(a.url, 'harbor@live.test', 'live-client-pass-1');
    const first = await connectSocket(a.url, harborA.cookie);
    const hello = await waitFor(() => first.events.find((e) => e.event === 'hello'), 5_000, 'hello');
    const seen = hello.payload.current.version as number;
    first.socket.close();

    const ticket = (await managerA.get('/api/tickets/H-1')).body;
    expect((await managerA.patch('/api/tickets/H-1', { version: ticket.version, estimateHours: 7 })).status).toBe(200);
    const until = Date.now() + 15_000;
    while ((await currentVersion(managerA)) <= seen && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const now = await currentVersion(managerA);
    expect(now).toBeGreaterThan(seen);

    const again = await connectSocket(b.url, harborA.cookie);
    try {
      const res = await again.socket.timeout(5_000).emitWithAck('sync', { version: seen });
      expect(res).toMatchObject({ ok: true, stale: true, current: { version: now } });
      if (!res.ok) throw new Error('sync failed');
      expect((res.plan as { clients: { id: string }[] }).clients.map((c) => c.id)).toEqual(['harbor']);
      const fresh = await again.socket.timeout(5_000).emitWithAck('sync', { version: now });
      expect(fresh).toMatchObject({ ok: true, stale: false });
    } finally {
      again.socket.close();
    }
  });

  it('refuses bad socket messages without harming the connection or the server', async () => {
    const managerB = await signIn(b.url, ADMIN.email, ADMIN.password);
    const s = await connectSocket(b.url, managerB.cookie);
    try {
      const wrongType = await s.socket.timeout(5_000).emitWithAck('sync', { version: 'latest' as unknown as number });
      expect(wrongType).toMatchObject({ ok: false, error: { code: 'bad_message' } });
      const extra = await s.socket.timeout(5_000).emitWithAck('sync', { version: 1, drop: 'tables' } as never);
      expect(extra).toMatchObject({ ok: false, error: { code: 'bad_message' } });
      const huge = await s.socket.timeout(5_000).emitWithAck('sync', { quarterId: 'x'.repeat(200_000) });
      expect(huge).toMatchObject({ ok: false, error: { code: 'too_large' } });
      (s.socket as unknown as { emit: (e: string, p: unknown) => void }).emit('drop.tables', { now: true });
      await waitFor(() => s.events.find((e) => e.event === 'socket.error' && e.payload.code === 'unknown_event'), 5_000, 'socket.error');
      (s.socket as unknown as { emit: (e: string, p: unknown) => void }).emit('sync', { version: 1 });
      await waitFor(() => s.events.find((e) => e.event === 'socket.error' && e.payload.code === 'bad_message'), 5_000, 'missing ack refused');
      expect(s.socket.connected).toBe(true);
      const ok = await s.socket.timeout(5_000).emitWithAck('sync', {});
      expect(ok).toMatchObject({ ok: true });
      expect((await new ApiClient(b.url).get('/api/health')).status).toBe(200);
    } finally {
      s.socket.close();
    }
  });
});

describe.skipIf(!reachable)('a solver worker killed in the middle of a solve', () => {
  let databaseUrl: string;
  let api: Proc;
  const workers: Proc[] = [];

  afterAll(async () => {
    await Promise.all([api?.stop(), ...workers.map((w) => w.stop('SIGKILL'))]);
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('is retried by another worker: exactly one new plan version, and viewers see it', async () => {
    const setup = await setUp({ JOB_EXPIRE_SECONDS: '5' });
    databaseUrl = setup.databaseUrl;
    api = await startServerProcess({ ...setup.base, SOLVER_WORKER: 'none' });
    const slow = await startWorkerProcess({ ...setup.base, SOLVER_DELAY_MS: '4000' });
    workers.push(slow);
    const manager = await signIn(api.url, ADMIN.email, ADMIN.password);
    expect((await manager.post('/api/quarters/2026-Q4/import', example)).status).toBe(200);
    const until = Date.now() + 30_000;
    while ((await currentVersion(manager)) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const before = await currentVersion(manager);
    expect(before).toBeGreaterThan(0);

    const live = await connectSocket(api.url, manager.cookie);
    try {
      const ticket = (await manager.get('/api/tickets/H-1')).body;
      expect((await manager.patch('/api/tickets/H-1', { version: ticket.version, estimateHours: 5 })).status).toBe(200);
      await waitFor(() => live.events.find((e) => e.event === 'replan.started'), 15_000, 'replan.started from the slow worker');
      slow.child.kill('SIGKILL');
      workers.push(await startWorkerProcess(setup.base));

      const update = await waitFor(() => live.events.find((e) => e.event === 'plan.updated' && e.payload.version > before), 45_000, 'plan.updated after the retry');
      await new Promise((r) => setTimeout(r, 2_000));
      const versions = (await manager.get('/api/plans?quarter=2026-Q4')).body.versions.map((v: { version: number }) => v.version);
      expect(versions.filter((v: number) => v > before)).toEqual([update.payload.version]);
      const plan = (await manager.get('/api/plans/current')).body;
      expect(plan.version).toBe(update.payload.version);
      expect(plan.tickets.find((t: { id: string }) => t.id === 'H-1').remainingHours).toBe(5);
    } finally {
      live.socket.close();
    }
  }, 120_000);
});
