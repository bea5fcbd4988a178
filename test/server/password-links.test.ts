/**
 * Invitations and password resets by one-time link (issue 11), on both databases: only managers
 * make them; the token is stored hashed, works once, expires; the password rule holds; setting the
 * password ends the user's sessions; dead tokens count like failed sign-ins; all audited.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../utils/api-client.ts';
import { expectFieldErrors, fieldsOf, rowCount, withSeededApp } from '../utils/resource-setup.ts';
import { dbTargets, type TestApp } from '../utils/test-app.ts';

const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token')!;
const GOOD = 'a long enough passphrase 7';

describe.each(await dbTargets())('password links on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;
  withSeededApp(target, (s) => ({ t, manager, harbor, sam } = s));
  const audit = async () => (await t.app.services.store.reader().execute<{ action: string; entity_id: string; after: Record<string, unknown> }[]>('select action, entity_id, after from audit_log order by id desc limit 1'))[0]!;

  it('a manager invites a staff user: no password until the link sets one, then they sign in', async () => {
    const r = await manager.post('/api/users/invite', { email: 'New.Person@Staff.test', role: 'staff', staff: 'sam' });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({ email: 'new.person@staff.test', role: 'staff', staff: 'sam', disabled: false });
    expect(r.body.link.path).toMatch(/^\/set-password\?token=[\w-]{43}$/);
    const hours = (Date.parse(r.body.link.expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    expect(await audit()).toMatchObject({ action: 'invite', entity_id: String(r.body.user.id) });
    const token = tokenOf(r.body.link.path);
    // Stored only as its hash.
    const rows = await t.app.services.store.reader().execute<{ token_hash: string }[]>('select token_hash from password_links');
    expect(rows.map((x) => x.token_hash)).toContain(createHash('sha256').update(token).digest('base64url'));
    expect(JSON.stringify(rows)).not.toContain(token);

    const anon = t.anonymous();
    expect((await anon.post('/api/auth/password-link', { token })).body).toEqual({ email: 'new.person@staff.test', purpose: 'invite', expiresAt: r.body.link.expiresAt });
    expect(fieldsOf(await anon.post('/api/auth/set-password', { token, password: 'short' }))).toEqual(['password']);
    expect(fieldsOf(await anon.post('/api/auth/set-password', { token, password: 'password1234' }))).toEqual(['password']);
    const set = await anon.post('/api/auth/set-password', { token, password: GOOD });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ email: 'new.person@staff.test' });
    expect(await audit()).toMatchObject({ action: 'set-password', entity_id: String(r.body.user.id), after: { purpose: 'invite' } });
    const signedIn = await t.as('new.person@staff.test', GOOD);
    expect((await signedIn.get('/api/auth/me')).body.user).toMatchObject({ role: 'staff', staff: 'sam' });
    // Single use.
    for (const [path, body] of [['/api/auth/password-link', { token }], ['/api/auth/set-password', { token, password: GOOD }]] as const) {
      const again = await anon.post(path, body);
      expect(again.status).toBe(400);
      expect(fieldsOf(again)).toEqual(['token']);
    }
  });

  it('a reset link replaces the last one; using it ends every session of the user', async () => {
    const user = (await manager.get('/api/users?role=staff')).body.find((u: { email: string }) => u.email === 'sam@staff.test');
    const first = (await manager.post(`/api/users/${user.id}/password-link`)).body;
    const second = await manager.post(`/api/users/${user.id}/password-link`);
    expect(second.status).toBe(201);
    expect(second.body.link.purpose).toBe('reset');
    expect(await audit()).toMatchObject({ action: 'password-link', entity_id: String(user.id) });
    expect(fieldsOf(await t.anonymous().post('/api/auth/password-link', { token: tokenOf(first.link.path) }))).toEqual(['token']);
    // The old password works until the new one is set.
    expect((await sam.get('/api/auth/me')).status).toBe(200);
    expect((await t.anonymous().post('/api/auth/set-password', { token: tokenOf(second.body.link.path), password: GOOD })).status).toBe(200);
    expect((await sam.get('/api/auth/me')).status).toBe(401);
    expect((await t.anonymous().post('/api/auth/login', { email: 'sam@staff.test', password: 'password-123' })).status).toBe(401);
    expect((await t.as('sam@staff.test', GOOD)).constructor.name).toBe('ApiClient');
  });

  it('an expired link is refused', async () => {
    const r = (await manager.post('/api/users/invite', { email: 'late@client.test', role: 'client', client: 'harbor' })).body;
    await t.app.services.store.reader().execute(`update password_links set expires_at = now() - interval '1 minute' where user_id = ?`, [r.user.id]);
    const late = await t.anonymous().post('/api/auth/set-password', { token: tokenOf(r.link.path), password: GOOD });
    expect(late.status).toBe(400);
    expect(fieldsOf(late)).toEqual(['token']);
  });

  it('only managers invite or reset; bad invitations are 400 naming the field; nothing is half-saved', async () => {
    const before = { users: await rowCount(t, 'users'), links: await rowCount(t, 'password_links'), audit: await rowCount(t, 'audit_log') };
    // Sam's password was reset above.
    for (const who of [await t.as('sam@staff.test', GOOD), harbor]) {
      expect((await who.post('/api/users/invite', { email: 'x@y.test', role: 'manager' })).status).toBe(403);
      expect((await who.post('/api/users/1/password-link')).status).toBe(403);
    }
    expect((await t.anonymous().post('/api/users/invite', { email: 'x@y.test', role: 'manager' })).status).toBe(401);
    await expectFieldErrors((b) => manager.post('/api/users/invite', b), [
      [{ role: 'manager' }, 'email'],
      [{ email: 'not-an-email', role: 'manager' }, 'email'],
      [{ email: 'x@y.test', role: 'boss' }, 'role'],
      [{ email: 'x@y.test', role: 'staff' }, 'staff'],
      [{ email: 'x@y.test', role: 'staff', staff: 'nobody' }, 'staff'],
      [{ email: 'x@y.test', role: 'client', client: 'nobody' }, 'client'],
      [{ email: 'x@y.test', role: 'manager', client: 'harbor' }, 'client'],
      [{ email: 'x@y.test', role: 'manager', password: GOOD }, 'password'],
    ]);
    expect((await manager.post('/api/users/invite', { email: 'harbor@client.test', role: 'client', client: 'harbor' })).status).toBe(409);
    expect((await manager.post('/api/users/999999/password-link')).status).toBe(404);
    expect(fieldsOf(await t.anonymous().post('/api/auth/set-password', { password: GOOD }))).toEqual(['token']);
    expect({ users: await rowCount(t, 'users'), links: await rowCount(t, 'password_links'), audit: await rowCount(t, 'audit_log') }).toEqual(before);
  });
});

describe.each(await dbTargets())('token guessing on %s', (target) => {
  let t: TestApp;
  withSeededApp(target, (s) => ({ t } = s));
  it('tries with dead tokens count like failed sign-ins from the address: past the limit, 429 with Retry-After', async () => {
    // The test app allows 1000 failures per address; count them straight in the table instead.
    await t.app.services.store.reader().execute(`insert into sign_in_failures (key, failures, last_failed_at) values ('address:127.0.0.1', 1000, now()), ('address:::ffff:127.0.0.1', 1000, now())
       on conflict (key) do update set failures = 1000, last_failed_at = now()`);
    const r = await t.anonymous().post('/api/auth/password-link', { token: 'guess' });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeTruthy();
  });
});
