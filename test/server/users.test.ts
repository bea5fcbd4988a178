/** /api/users: managers manage accounts; everyone reads and edits only themselves. */
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../utils/api-client.ts';
import { expectFieldErrors, fieldsOf, malformed, oversized, recordEvents, rowCount, withSeededApp } from '../utils/resource-setup.ts';
import { ADMIN, dbTargets, type TestApp } from '../utils/test-app.ts';

const signIn = async (t: TestApp, email: string, password: string) => {
  const c = new ApiClient(t.url);
  const r = await c.post('/api/auth/login', { email, password });
  return { status: r.status, client: c };
};

describe.each(await dbTargets())('users on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  withSeededApp(target, (s) => ({ t, manager, harbor, sam } = s));

  it('a manager creates users of every role; they can sign in; no hash is ever returned', async () => {
    const events = recordEvents(t, 'data.changed');
    const made = [
      await manager.post('/api/users', { email: ' Nimbus@Client.Test ', password: 'nimbus-pass-2026', role: 'client', client: 'nimbus' }),
      await manager.post('/api/users', { email: 'sam2@staff.test', password: 'sam2-pass-longer', role: 'staff', staffId: 'sam' }),
      await manager.post('/api/users', { email: 'boss@test.local', password: 'boss-pass-longer-1', role: 'manager' }),
    ];
    events.stop();
    expect(made.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(made[0]!.body).toEqual({ id: expect.any(Number), email: 'nimbus@client.test', role: 'client', client: 'nimbus', staff: null, version: 1, createdAt: expect.any(String), disabled: false });
    // Tools written before the rename send `staffId`: still taken, answered as `staff`.
    expect(made[1]!.body).toMatchObject({ role: 'staff', staff: 'sam', client: null });
    expect(events.events.map((e) => e.entity)).toEqual(['user', 'user', 'user']);
    expect((await signIn(t, 'NIMBUS@client.test', 'nimbus-pass-2026')).status).toBe(200);
    const list = await manager.get('/api/users');
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThanOrEqual(7);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain('scrypt');
    expect(text).not.toMatch(/password/i);
    expect((await manager.get('/api/users?role=client&client=nimbus')).body.map((u: { email: string }) => u.email)).toEqual(['nimbus@client.test']);
  });

  it('refuses duplicates (case-insensitive), bad links and bad bodies naming the field; saves nothing', async () => {
    const before = await rowCount(t, 'users');
    expect((await manager.post('/api/users', { email: 'HARBOR@client.test', password: 'long-enough-pass', role: 'manager' })).status).toBe(409);
    await expectFieldErrors((b) => manager.post('/api/users', b), [
      [{ email: 'a@t.test', password: 'long-enough-pass', role: 'client' }, 'client'],
      [{ email: 'a@t.test', password: 'long-enough-pass', role: 'client', client: 'nobody' }, 'client'],
      [{ email: 'a@t.test', password: 'long-enough-pass', role: 'staff' }, 'staff'],
      [{ email: 'a@t.test', password: 'long-enough-pass', role: 'staff', staff: 'nobody' }, 'staff'],
      [{ email: 'a@t.test', password: 'long-enough-pass', role: 'manager', client: 'harbor' }, 'client'],
      [{ email: 'a@t.test', password: 'long-enough-pass', role: 'client', client: 'harbor', clientId: 'harbor' }, 'clientId'],
      [{ email: 'a@t.test', password: 'short', role: 'manager' }, 'password'],
      [{ email: 'a@t.test', password: 'password1234', role: 'manager' }, 'password'],
      [{ email: 'a@t.test', password: 'Password-2024!', role: 'manager' }, 'password'],
      [{ email: 'not-an-email', password: 'long-enough-pass', role: 'manager' }, 'email'],
      [{ email: 'a@t.test', password: 'long-enough-pass', role: 'admin' }, 'role'],
      [{ email: 'a@t.test', password: 12345678, role: 'manager' }, 'password'],
      [{ password: 'long-enough-pass', role: 'manager' }, 'email'],
      [{ email: 'a@t.test', password: 'long-enough-pass', role: 'manager', passwordHash: 'x' }, 'passwordHash'],
    ]);
    expect((await malformed(manager, 'POST', '/api/users')).body.error.code).toBe('invalid_json');
    expect((await manager.post('/api/users', { email: 'big@t.test', role: 'manager', password: oversized().title })).status).toBe(413);
    expect(await rowCount(t, 'users')).toBe(before);
  });

  it('only managers list or create users: 403 for staff and clients, 401 signed out', async () => {
    for (const who of [harbor, sam]) {
      expect((await who.get('/api/users')).status).toBe(403);
      expect((await who.post('/api/users', { email: 'x@t.test', password: 'long-enough-pass', role: 'manager' })).status).toBe(403);
    }
    expect((await t.anonymous().get('/api/users/me')).status).toBe(401);
  });

  it('anyone reads themselves (by id or as me); another user is 404 to non-managers', async () => {
    const me = await harbor.get('/api/users/me');
    expect(me.body).toMatchObject({ email: 'harbor@client.test', role: 'client', client: 'harbor' });
    expect((await harbor.get(`/api/users/${me.body.id}`)).body).toEqual(me.body);
    const samMe = (await sam.get('/api/users/me')).body;
    expect((await harbor.get(`/api/users/${samMe.id}`)).status).toBe(404);
    expect((await harbor.patch(`/api/users/${samMe.id}`, { version: samMe.version, email: 'x@t.test' })).status).toBe(404);
    expect((await harbor.get('/api/users/99999')).status).toBe(404);
    expect((await harbor.get('/api/users/99999999999')).status).toBe(400);
    // A manager also sees whether the account is disabled.
    expect((await manager.get(`/api/users/${samMe.id}`)).body).toEqual({ ...samMe, disabled: false });
  });

  it('a user changes their own password with the current one; other sessions end, this one stays', async () => {
    await t.createUser('client', { email: 'pw@client.test', password: 'first-pass', clientId: 'harbor' });
    const a = (await signIn(t, 'pw@client.test', 'first-pass')).client;
    const b = (await signIn(t, 'pw@client.test', 'first-pass')).client;
    const me = (await a.get('/api/users/me')).body;
    const none = await a.patch('/api/users/me', { version: me.version, password: 'second-pass-phrase' });
    expect(none.status).toBe(400);
    expect(fieldsOf(none)).toEqual(['currentPassword']);
    const wrong = await a.patch('/api/users/me', { version: me.version, password: 'second-pass-phrase', currentPassword: 'nope-nope' });
    expect(wrong.status).toBe(400);
    expect(fieldsOf(wrong)).toEqual(['currentPassword']);
    const weak = await a.patch('/api/users/me', { version: me.version, password: 'qwertyuiop123', currentPassword: 'first-pass' });
    expect([weak.status, fieldsOf(weak)]).toEqual([400, ['password']]);
    expect(weak.body.error.message).toContain('most common passwords');
    const ok = await a.patch('/api/users/me', { version: me.version, password: 'second-pass-phrase', currentPassword: 'first-pass' });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(me.version + 1);
    expect((await a.get('/api/users/me')).status).toBe(200);
    expect((await b.get('/api/users/me')).status).toBe(401);
    expect((await signIn(t, 'pw@client.test', 'first-pass')).status).toBe(401);
    expect((await signIn(t, 'pw@client.test', 'second-pass-phrase')).status).toBe(200);
  });

  it('a user may change neither their own email (a manager does) nor their role or links: 403', async () => {
    await t.createUser('staff', { email: 'self@staff.test', staffId: 'sam' });
    const self = await t.as('self@staff.test');
    const me = (await self.get('/api/users/me')).body;
    for (const extra of [{ role: 'manager' }, { staff: 'sam' }, { client: 'harbor' }, { clientId: 'harbor' }]) {
      expect((await self.patch('/api/users/me', { version: me.version, ...extra })).status, JSON.stringify(extra)).toBe(403);
    }
    // The same answer for a free address and a taken one: no way to learn who has an account.
    const free = await self.patch('/api/users/me', { version: me.version, email: 'Renamed@Staff.test' });
    const taken = await self.patch('/api/users/me', { version: me.version, email: 'harbor@client.test' });
    expect(free.status).toBe(403);
    expect(taken.body).toEqual(free.body);
    expect(free.body.error.message).toBe('Ask a manager to change your email address.');
    const r = await manager.patch(`/api/users/${me.id}`, { version: me.version, email: 'Renamed@Staff.test' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ email: 'renamed@staff.test', role: 'staff', staff: 'sam' });
    expect((await manager.patch(`/api/users/${me.id}`, { version: r.body.version, email: 'harbor@client.test' })).status).toBe(409);
  });

  it('a manager edits any user with the version read: role change, password reset ending their sessions', async () => {
    await t.createUser('client', { email: 'move@client.test', clientId: 'harbor' });
    const moved = await t.as('move@client.test');
    const u = (await moved.get('/api/users/me')).body;
    const missing = await manager.patch(`/api/users/${u.id}`, { role: 'staff', staff: 'sam' });
    expect(fieldsOf(missing)).toEqual(['version']);
    const r = await manager.patch(`/api/users/${u.id}`, { version: u.version, role: 'staff', staff: 'sam' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ role: 'staff', staff: 'sam', client: null });
    // The next request already sees the new role.
    expect((await moved.get('/api/clients')).status).toBe(403);
    const stale = await manager.patch(`/api/users/${u.id}`, { version: u.version, email: 'x@t.test' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current).toEqual(r.body);
    const reset = await manager.patch(`/api/users/${u.id}`, { version: r.body.version, password: 'reset-pass-1' });
    expect(reset.status).toBe(200);
    expect((await moved.get('/api/users/me')).status).toBe(401);
    expect((await signIn(t, 'move@client.test', 'reset-pass-1')).status).toBe(200);
    const bad = await manager.patch(`/api/users/${u.id}`, { version: reset.body.version, role: 'client' });
    expect(fieldsOf(bad)).toEqual(['client']);
  });

  it('two PATCHes with the same version at once: one wins, the other gets 409', async () => {
    await t.createUser('client', { email: 'race@client.test', clientId: 'harbor' });
    const u = (await manager.get('/api/users?client=harbor')).body.find((x: { email: string }) => x.email === 'race@client.test');
    const [a, b] = await Promise.all(['race-a@client.test', 'race-b@client.test'].map((email) => manager.patch(`/api/users/${u.id}`, { version: u.version, email })));
    expect([a!.status, b!.status].sort()).toEqual([200, 409]);
  });

  it('a manager disables and enables a user: audited, sessions end, sign-in refused with what to do; not yourself, nor the last manager', async () => {
    await t.createUser('client', { email: 'off@client.test', password: 'switched-off-pass', clientId: 'harbor' });
    const off = await t.as('off@client.test', 'switched-off-pass');
    const u = (await off.get('/api/users/me')).body;
    expect((await harbor.post(`/api/users/${u.id}/disable`)).status).toBe(403);
    expect((await manager.post('/api/users/999999/disable')).status).toBe(404);
    const audits = await rowCount(t, 'audit_log');
    const r = await manager.post(`/api/users/${u.id}/disable`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, disabled: true });
    expect((await off.get('/api/users/me')).status).toBe(401);
    const refused = await signIn(t, 'off@client.test', 'switched-off-pass');
    expect(refused.status).toBe(403);
    // Disabling twice changes nothing more.
    expect((await manager.post(`/api/users/${u.id}/disable`)).body.disabled).toBe(true);
    expect((await manager.post(`/api/users/${u.id}/enable`)).body.disabled).toBe(false);
    expect((await signIn(t, 'off@client.test', 'switched-off-pass')).status).toBe(200);
    expect(await rowCount(t, 'audit_log')).toBe(audits + 2);
    const trail = (await t.app.services.store.reader().execute<{ action: string; entity_id: string }[]>(`select action, entity_id from audit_log where entity = 'user' order by id desc limit 2`)).map((a) => a.action);
    expect(trail).toEqual(['enable', 'disable']);
    const admin = (await manager.get('/api/users/me')).body;
    expect((await manager.post('/api/users/me/disable')).status).toBe(409);
    expect((await manager.post(`/api/users/${admin.id}/disable`)).body.error.message).toContain('your own account');
  });

  it('the last manager cannot be demoted', async () => {
    const managers = (await manager.get('/api/users?role=manager')).body;
    for (const m of managers.filter((x: { email: string }) => x.email !== ADMIN.email)) {
      expect((await manager.patch(`/api/users/${m.id}`, { version: m.version, role: 'staff', staff: 'sam' })).status).toBe(200);
    }
    const admin = (await manager.get('/api/users/me')).body;
    const r = await manager.patch('/api/users/me', { version: admin.version, role: 'staff', staff: 'sam' });
    expect(r.status).toBe(409);
    expect((await manager.get('/api/users/me')).body.role).toBe('manager');
  });
});
