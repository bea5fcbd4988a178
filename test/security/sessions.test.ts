/**
 * Sessions and what a browser is told: the session cookie is HttpOnly and SameSite=Lax (Secure
 * with COOKIE_SECURE), lasts SESSION_HOURS, and the database keeps only its SHA-256; signing out
 * ends it at once; a cross-site form cannot send a request body the API reads, nor another site's
 * script JSON (no CORS); every answer carries helmet's headers (a Content-Security-Policy,
 * nosniff, no framing by other sites).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../utils/api-client.ts';
import { ADMIN, dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

describe.each(await dbTargets())('sessions on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target, { SESSION_HOURS: '2', COOKIE_SECURE: 'true' });
  });
  afterAll(() => t?.close());

  it('sets an HttpOnly, SameSite=Lax, Secure cookie for SESSION_HOURS; the database holds only its hash', async () => {
    const r = await new ApiClient(t.url).post('/api/auth/login', ADMIN);
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^hg_session=[\w-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).toMatch(/; Max-Age=7200/i);
    const token = cookie.slice('hg_session='.length, cookie.indexOf(';'));
    const rows = await t.app.services.store.reader().execute<{ id: string }[]>('select id from sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((x) => x.id)).not.toContain(token);
  });

  it('a sign-out ends the session: the old cookie no longer signs in', async () => {
    const client = await t.as(ADMIN.email, ADMIN.password);
    const cookie = client.cookie;
    expect((await client.get('/api/auth/me')).status).toBe(200);
    const out = await client.post('/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/hg_session=;.*Max-Age=0/i);
    const replay = new ApiClient(t.url);
    replay.cookie = cookie;
    expect((await replay.get('/api/auth/me')).status).toBe(401);
  });

  it('refuses bodies a cross-site form can send (form, multipart, text/plain), saving nothing', async () => {
    const manager = await t.manager();
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const r = await manager.post('/api/clients', type === 'text/plain' ? '{"id":"csrf","plan":"payg"}' : 'id=csrf&plan=payg', { 'content-type': type });
      expect(r.status, type).toBe(415);
    }
    expect((await manager.get('/api/clients/csrf')).status).toBe(404);
    // Nor may another site's script send JSON: the preflight it needs is never granted.
    const preflight = await fetch(`${t.url}/api/clients`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect([...preflight.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    const answered = await manager.request('GET', '/api/clients', undefined, { origin: 'https://evil.example' });
    expect(answered.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("sends helmet's headers on every answer", async () => {
    for (const r of [await t.anonymous().get('/api/health'), await t.anonymous().get('/api/tickets')]) {
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
  });
});
