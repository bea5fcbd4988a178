/**
 * Access that follows the user, everywhere, at once: every change to a user (role, client, staff
 * link, password, disable), every sign-out and every expired session closes that user's sockets on
 * every instance within 2 s, the next connection gets the rooms of the new role, and no instance's
 * sign-in cache serves the old access. Sockets also check Origin.
 *
 * The reproduction: a manager demoted to a client user still heard every client's events and
 * `sync` returned the full plan; a client user moved to another client still got the old client's
 * plan; after a sign-out the socket kept hearing events for up to 60 s; and another instance kept
 * serving a demoted user for up to 5 s from its sign-in cache.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../utils/api-client.ts';
import { startServerProcess, waitFor, type Proc } from '../utils/spawn-server.ts';
import { ADMIN, createTestDatabase, dbTargets, dropTestDatabase, postgresReachable, startTestApp, type TestApp } from '../utils/test-app.ts';
import { closedWithin, connect, pause, syncPlan, type Live } from './live-support.ts';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/examples/emergency-rollover.json'), 'utf8'));
const PASSWORD = 'socket-test-passphrase';
const OTHER_CLIENTS = ['Quill', 'quill', 'Q-1', 'Q-2', 'Nimbus', 'nimbus', 'Dyno', 'dyno', 'D-1'];

async function signIn(url: string, email: string, password = PASSWORD): Promise<ApiClient> {
  const c = new ApiClient(url);
  await c.login(email, password);
  return c;
}

async function userId(manager: ApiClient, email: string): Promise<{ id: number; version: number }> {
  return (await manager.get('/api/users')).body.find((u: { email: string }) => u.email === email);
}

/** A change the plan notices: every room hears of it. */
async function touchTicket(manager: ApiClient, id: string, estimateHours: number): Promise<void> {
  const t = (await manager.get(`/api/tickets/${id}`)).body;
  expect((await manager.patch(`/api/tickets/${id}`, { version: t.version, estimateHours })).status).toBe(200);
}

describe.each(await dbTargets())('sockets on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;

  beforeAll(async () => {
    t = await startTestApp(target, { ALLOWED_ORIGINS: 'https://dashboard.example.com' });
    manager = await t.manager();
    expect((await manager.post('/api/quarters/2026-Q4/import', example)).status).toBe(200);
    await t.settle();
  });
  afterAll(() => t?.close());

  it("accepts the server's own origin, ALLOWED_ORIGINS and scripts without Origin; refuses another site's page", async () => {
    const host = new URL(t.url).host;
    for (const origin of [undefined, `http://${host}`, 'https://dashboard.example.com']) {
      const live = await connect(t.url, manager.cookie, origin);
      expect(live.socket.connected, String(origin)).toBe(true);
      live.socket.close();
    }
    for (const origin of ['https://evil.example', `http://${host}.evil.example`, 'null', 'https://dashboard.example.com:8443']) {
      await expect(connect(t.url, manager.cookie, origin), origin).rejects.toThrow();
    }
    // Without a session even our own page is refused, as before.
    await expect(connect(t.url, '', `http://${host}`)).rejects.toThrow(/unauthenticated/);
  });

  it('a manager demoted to a client user is disconnected, and the next socket hears only that client', async () => {
    await t.createUser('manager', { email: 'demoted@test.local', password: PASSWORD });
    const boss = await signIn(t.url, 'demoted@test.local');
    const before = await connect(t.url, boss.cookie);
    expect((await syncPlan(before)).clients.map((c: { id: string }) => c.id).sort()).toEqual(['dyno', 'harbor', 'nimbus', 'quill']);

    const u = await userId(manager, 'demoted@test.local');
    const at = Date.now();
    expect((await manager.patch(`/api/users/${u.id}`, { version: u.version, role: 'client', client: 'harbor' })).status).toBe(200);
    expect(await closedWithin(before, at, 2000)).toBeLessThan(2000);
    // HTTP follows at once too.
    expect((await boss.get('/api/users')).status).toBe(403);

    const after = await connect(t.url, boss.cookie);
    await waitFor(() => after.events.find((e) => e.event === 'hello'), 5000, 'hello');
    expect(after.events.find((e) => e.event === 'hello')!.payload.user).toMatchObject({ role: 'client', client: 'harbor' });
    const plan = await syncPlan(after);
    expect(plan.clients.map((c: { id: string }) => c.id)).toEqual(['harbor']);
    await touchTicket(manager, 'Q-2', 17);
    await touchTicket(manager, 'H-1', 9);
    await waitFor(() => after.events.find((e) => e.event === 'ticket.changed' && e.payload.ticketId === 'H-1'), 5000, 'harbor ticket.changed');
    await t.settle();
    await pause(300);
    const heard = JSON.stringify(after.events);
    for (const other of OTHER_CLIENTS) expect(heard, `heard of ${other}`).not.toContain(other);
    after.socket.close();
  });

  it("a client user moved to another client no longer gets the old client's plan", async () => {
    await t.createUser('client', { email: 'mover@test.local', password: PASSWORD, clientId: 'quill' });
    const mover = await signIn(t.url, 'mover@test.local');
    const before = await connect(t.url, mover.cookie);
    expect((await syncPlan(before)).clients.map((c: { id: string }) => c.id)).toEqual(['quill']);
    const u = await userId(manager, 'mover@test.local');
    const at = Date.now();
    expect((await manager.patch(`/api/users/${u.id}`, { version: u.version, client: 'harbor' })).status).toBe(200);
    expect(await closedWithin(before, at, 2000)).toBeLessThan(2000);
    expect((await mover.get('/api/plans/current')).body.clients.map((c: { id: string }) => c.id)).toEqual(['harbor']);
    const after = await connect(t.url, mover.cookie);
    expect((await syncPlan(after)).clients.map((c: { id: string }) => c.id)).toEqual(['harbor']);
    after.socket.close();
  });

  it("a sign-out closes that session's sockets at once; another session of the same user stays", async () => {
    await t.createUser('client', { email: 'leaver@test.local', password: PASSWORD, clientId: 'harbor' });
    const laptop = await signIn(t.url, 'leaver@test.local');
    const phone = await signIn(t.url, 'leaver@test.local');
    const a = await connect(t.url, laptop.cookie);
    const b = await connect(t.url, phone.cookie);
    const cookie = laptop.cookie;
    const at = Date.now();
    expect((await laptop.post('/api/auth/logout')).status).toBe(204);
    expect(await closedWithin(a, at, 2000)).toBeLessThan(2000);
    const stale = new ApiClient(t.url);
    stale.cookie = cookie;
    expect((await stale.get('/api/auth/me')).status).toBe(401);
    await expect(connect(t.url, cookie)).rejects.toThrow(/unauthenticated/);
    await pause(300);
    expect(b.socket.connected).toBe(true);
    b.socket.close();
  });

  it('a new password (set by a manager) and a disabled account close every socket; a disabled user cannot sign in', async () => {
    await t.createUser('staff', { email: 'worker@test.local', password: PASSWORD, staffId: 'sam' });
    const worker = await signIn(t.url, 'worker@test.local');
    const first = await connect(t.url, worker.cookie);
    let u = await userId(manager, 'worker@test.local');
    let at = Date.now();
    expect((await manager.patch(`/api/users/${u.id}`, { version: u.version, password: 'another-long-passphrase' })).status).toBe(200);
    expect(await closedWithin(first, at, 2000)).toBeLessThan(2000);

    const again = await signIn(t.url, 'worker@test.local', 'another-long-passphrase');
    const second = await connect(t.url, again.cookie);
    u = await userId(manager, 'worker@test.local');
    at = Date.now();
    const disabled = await manager.post(`/api/users/${u.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    expect(await closedWithin(second, at, 2000)).toBeLessThan(2000);
    expect((await again.get('/api/auth/me')).status).toBe(401);
    const refused = await new ApiClient(t.url).post('/api/auth/login', { email: 'worker@test.local', password: 'another-long-passphrase' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'account_disabled', message: 'This account is disabled. Ask a manager to enable it.' });
    // A wrong password still reads as a wrong password: being disabled is said only to whoever knows it.
    expect((await new ApiClient(t.url).post('/api/auth/login', { email: 'worker@test.local', password: 'not-the-password' })).status).toBe(401);
    expect((await manager.post(`/api/users/${u.id}/enable`)).body.disabled).toBe(false);
    expect((await new ApiClient(t.url).post('/api/auth/login', { email: 'worker@test.local', password: 'another-long-passphrase' })).status).toBe(200);
  });
});

describe.each(await dbTargets())('an expiring session on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    // 0.001 h: a session lasts 3.6 s.
    t = await startTestApp(target, { SESSION_HOURS: '0.001' });
  });
  afterAll(() => t?.close());

  it('closes its sockets when it expires, not a minute later', async () => {
    const manager = await t.manager();
    const live = await connect(t.url, manager.cookie);
    const signedInAt = Date.now();
    const closed = await Promise.race([live.closed, pause(8000).then(() => null)]);
    expect(closed?.reason).toBe('io server disconnect');
    expect(closed!.at - signedInAt).toBeLessThan(3600 + 2000);
    expect((await manager.get('/api/auth/me')).status).toBe(401);
  });
});

const reachable = await postgresReachable();

describe.skipIf(!reachable)('two instances on one PostgreSQL database', () => {
  let databaseUrl: string;
  let a: Proc;
  let b: Proc;
  let managerA: ApiClient;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    const env = { DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, REPLAN_DEBOUNCE_MS: '10' };
    // One after the other: the first one migrates the new database.
    a = await startServerProcess(env);
    b = await startServerProcess(env);
    managerA = await signIn(a.url, ADMIN.email, ADMIN.password);
    expect((await managerA.post('/api/quarters/2026-Q4/import', example)).status).toBe(200);
    const users = [
      { email: 'boss@two.test', role: 'manager' },
      { email: 'quill@two.test', role: 'client', client: 'quill' },
      { email: 'leaver@two.test', role: 'client', client: 'harbor' },
      { email: 'gone@two.test', role: 'staff', staff: 'sam' },
    ];
    for (const u of users) expect((await managerA.post('/api/users', { ...u, password: PASSWORD })).status).toBe(201);
    await waitFor(async () => (await managerA.get('/api/plans/current')).status === 200, 20_000, 'a first plan');
    // Both instances must know each other before a revocation can wait for the other one.
    await pause(1500);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  /** Signed in on B, with B's sign-in cache warm and a socket open there. */
  async function onB(email: string): Promise<{ client: ApiClient; live: Live }> {
    const client = await signIn(b.url, email);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    return { client, live: await connect(b.url, client.cookie) };
  }

  it('a manager demoted through A: B closes their sockets within 2 s and at once stops serving them as a manager', async () => {
    const { client, live } = await onB('boss@two.test');
    expect((await client.get('/api/users')).status).toBe(200);
    const u = await userId(managerA, 'boss@two.test');
    const at = Date.now();
    expect((await managerA.patch(`/api/users/${u.id}`, { version: u.version, role: 'client', client: 'harbor' })).status).toBe(200);
    expect((await client.get('/api/users')).status).toBe(403);
    expect((await client.get('/api/plans/current')).body.clients.map((c: { id: string }) => c.id)).toEqual(['harbor']);
    expect(await closedWithin(live, at, 2000)).toBeLessThan(2000);
    const again = await connect(b.url, client.cookie);
    expect((await syncPlan(again)).clients.map((c: { id: string }) => c.id)).toEqual(['harbor']);
    again.socket.close();
  });

  it("a client user moved through A stops getting the old client's plan on B at once", async () => {
    const { client, live } = await onB('quill@two.test');
    expect((await client.get('/api/plans/current')).body.clients.map((c: { id: string }) => c.id)).toEqual(['quill']);
    const u = await userId(managerA, 'quill@two.test');
    const at = Date.now();
    expect((await managerA.patch(`/api/users/${u.id}`, { version: u.version, client: 'nimbus' })).status).toBe(200);
    expect((await client.get('/api/plans/current')).body.clients.map((c: { id: string }) => c.id)).toEqual(['nimbus']);
    expect(await closedWithin(live, at, 2000)).toBeLessThan(2000);
  });

  it('a sign-out through A ends the session on B at once, sockets within 2 s', async () => {
    const { client, live } = await onB('leaver@two.test');
    const throughA = new ApiClient(a.url);
    throughA.cookie = client.cookie;
    const at = Date.now();
    expect((await throughA.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect(await closedWithin(live, at, 2000)).toBeLessThan(2000);
  });

  it('an account disabled through A is signed out on B at once, sockets within 2 s', async () => {
    const { client, live } = await onB('gone@two.test');
    const u = await userId(managerA, 'gone@two.test');
    const at = Date.now();
    expect((await managerA.post(`/api/users/${u.id}/disable`)).status).toBe(200);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect(await closedWithin(live, at, 2000)).toBeLessThan(2000);
    const refused = await new ApiClient(b.url).post('/api/auth/login', { email: 'gone@two.test', password: PASSWORD });
    expect(refused.body.error.code).toBe('account_disabled');
  });
});
