/**
 * Single sign-on (OpenID Connect), end to end against a real provider in this process
 * (test/utils/oidc-provider.ts): a verified email signs in as the existing user with the role
 * kept here; an unverified email, an unknown one, a disabled account, an ID token for another
 * audience, an expired one, a missing or wrong state, a replayed answer and a cancelled sign-in
 * make no session; a provider that is down leaves password sign-in working and is tried again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { ApiClient } from '../utils/api-client.ts';
import { Browser, CLIENT, landing, reserveProvider, type IdTokenClaims, type TestProvider } from '../utils/oidc-provider.ts';
import { ADMIN, dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const ssoEnv = (idp: TestProvider) => ({ OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret, OIDC_NAME: 'Example ID' });
const callbackOf = (t: TestApp) => `${t.url}/api/auth/oidc/callback`;

/** An API client with the session the browser got, if any. */
function sessionOf(t: TestApp, browser: Browser): ApiClient {
  const client = new ApiClient(t.url);
  const token = browser.cookie(t.url, 'hg_session');
  if (token) client.cookie = `hg_session=${token}`;
  return client;
}

describe.each(await dbTargets())('single sign-on on %s', (target) => {
  let idp: TestProvider;
  let t: TestApp;
  let manager: ApiClient;

  beforeAll(async () => {
    idp = await reserveProvider();
    t = await startTestApp(target, ssoEnv(idp));
    idp.start({ redirectUri: callbackOf(t) });
    manager = await t.manager();
    expect((await manager.post('/api/staff', { id: 'ana', weeklyHours: 30 })).status).toBe(201);
    await t.createUser('staff', { email: 'ana@company.test', staffId: 'ana' });
    idp.accounts.set('ana-sub', { email: 'Ana@Company.TEST', email_verified: true });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('says on the sign-in page that single sign-on is on, and its name', async () => {
    const r = await t.anonymous().get('/api/auth/providers');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ password: true, sso: { name: 'Example ID', loginPath: '/api/auth/oidc/login' } });
  });

  it('sends the browser to the provider with PKCE, state and nonce, in a short-lived Lax cookie', async () => {
    const res = await new Browser(t.url).request(`${t.url}/api/auth/oidc/login`);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(idp.issuer);
    expect(to.searchParams.get('client_id')).toBe(CLIENT.id);
    expect(to.searchParams.get('redirect_uri')).toBe(callbackOf(t));
    expect(to.searchParams.get('scope')).toBe('openid email profile');
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)?.length ?? 0).toBeGreaterThanOrEqual(32);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hg_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=600/);
  });

  it('signs a verified email in as the existing user, matched case-insensitively, with the role kept here', async () => {
    const browser = new Browser(t.url);
    const back = await browser.signIn('ana-sub', { next: '/staff/timesheet' });
    expect(back.status).toBe(302);
    expect(landing(back)).toEqual({ path: '/staff/timesheet', error: null });
    const me = await sessionOf(t, browser).get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'ana@company.test', role: 'staff', staff: 'ana', client: null });
    // The in-flight cookie is gone; the first sign-in linked the account, audited as Ana's own change.
    expect(browser.cookie(t.url, 'hg_oidc')).toBeUndefined();
    const audit = await manager.get('/api/audit?entity=user');
    expect(JSON.stringify(audit.body)).toContain('sso-link');
    // Signing out ends that session as it does a password one.
    expect((await sessionOf(t, browser).post('/api/auth/logout')).status).toBe(204);
    expect((await sessionOf(t, browser).get('/api/auth/me')).status).toBe(401);
  });

  it('lands on the dashboard when next is not a path of this site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/api/auth/logout']) {
      const back = await new Browser(t.url).signIn('ana-sub', { next });
      expect(landing(back), next).toEqual({ path: '/', error: null });
    }
  });

  it('refuses another provider account with the email of a user already linked to someone else', async () => {
    idp.accounts.set('impostor-sub', { email: 'ana@company.test', email_verified: true });
    const browser = new Browser(t.url);
    const back = await browser.signIn('impostor-sub');
    expect(landing(back)).toEqual({ path: '/sign-in', error: 'sso_other_account' });
    expect(browser.cookie(t.url, 'hg_session')).toBeUndefined();
  });

  it('links afresh when a manager changes the email: the new address signs in, whoever holds it at the provider', async () => {
    const users = await manager.get('/api/users');
    const ana = users.body.find((u: { email: string }) => u.email === 'ana@company.test');
    expect((await manager.patch(`/api/users/${ana.id}`, { version: ana.version, email: 'ana.new@company.test' })).status).toBe(200);
    idp.accounts.set('ana-new-sub', { email: 'ana.new@company.test', email_verified: true });
    const browser = new Browser(t.url);
    expect(landing(await browser.signIn('ana-new-sub'))).toEqual({ path: '/', error: null });
    expect((await sessionOf(t, browser).get('/api/auth/me')).body.user).toMatchObject({ email: 'ana.new@company.test', role: 'staff' });
    // The old provider account was Ana's link only through the old address.
    expect(landing(await new Browser(t.url).signIn('ana-sub')).error).toBe('sso_no_account');
    const now = (await manager.get(`/api/users/${ana.id}`)).body;
    expect((await manager.patch(`/api/users/${ana.id}`, { version: now.version, email: 'ana@company.test' })).status).toBe(200);
  });

  it('refuses an unverified email, an unknown email and a disabled account, with no session', async () => {
    const client = await manager.post('/api/clients', { id: 'harbor', plan: 'payg' });
    expect(client.status).toBe(201);
    await t.createUser('client', { email: 'unverified@company.test', clientId: 'harbor' });
    const disabled = await t.createUser('client', { email: 'disabled@company.test', clientId: 'harbor' });
    const users = await manager.get('/api/users');
    const disabledId = users.body.find((u: { email: string }) => u.email === disabled.email).id;
    expect((await manager.post(`/api/users/${disabledId}/disable`)).status).toBe(200);
    idp.accounts.set('unverified-sub', { email: 'unverified@company.test', email_verified: false });
    idp.accounts.set('stranger-sub', { email: 'stranger@elsewhere.test', email_verified: true });
    idp.accounts.set('disabled-sub', { email: 'disabled@company.test', email_verified: true });
    for (const [sub, error] of [
      ['unverified-sub', 'sso_unverified_email'],
      ['stranger-sub', 'sso_no_account'],
      ['disabled-sub', 'sso_account_disabled'],
    ] as const) {
      const browser = new Browser(t.url);
      expect(landing(await browser.signIn(sub)), sub).toEqual({ path: '/sign-in', error });
      expect(browser.cookie(t.url, 'hg_session'), sub).toBeUndefined();
    }
    // Nobody was created for the stranger: no self sign-up.
    expect((await manager.get('/api/users')).body.map((u: { email: string }) => u.email)).not.toContain('stranger@elsewhere.test');
  });

  // Signed by the provider's own key: only the claim is wrong, and openid-client refuses it.
  it.each([
    ['issued for another client (wrong audience)', (c: IdTokenClaims) => ({ ...c, aud: 'some-other-app' }), 'sso_invalid_token'],
    ['that has expired', (c: IdTokenClaims) => ({ ...c, iat: c.iat - 7200, exp: c.iat - 3600 }), 'sso_expired_token'],
  ] as const)('refuses an ID token %s', async (_what, tamper, error) => {
    idp.tamper = tamper;
    try {
      const browser = new Browser(t.url);
      expect(landing(await browser.signIn('ana-sub'))).toEqual({ path: '/sign-in', error });
      expect(browser.cookie(t.url, 'hg_session')).toBeUndefined();
    } finally {
      idp.tamper = null;
    }
  });

  it('refuses an answer without its browser cookie, with a wrong state, or used twice', async () => {
    // Without the cookie (another browser, or an attacker's link): nothing to match it to.
    const noCookie = new Browser(t.url);
    const callback = await noCookie.toCallback('ana-sub');
    noCookie.dropCookie(t.url, 'hg_oidc');
    expect(landing(await noCookie.request(callback.href))).toEqual({ path: '/sign-in', error: 'sso_expired_login' });
    expect(noCookie.cookie(t.url, 'hg_session')).toBeUndefined();

    const wrongState = new Browser(t.url);
    const forged = await wrongState.toCallback('ana-sub');
    forged.searchParams.set('state', 'not-the-state-we-sent');
    expect(landing(await wrongState.request(forged.href))).toEqual({ path: '/sign-in', error: 'sso_expired_login' });
    expect(wrongState.cookie(t.url, 'hg_session')).toBeUndefined();

    const twice = new Browser(t.url);
    const answer = await twice.toCallback('ana-sub');
    const token = twice.cookie(t.url, 'hg_oidc')!;
    expect(landing(await twice.request(answer.href)).error).toBeNull();
    const replay = new Browser(t.url);
    const res = await fetch(answer.href, { redirect: 'manual', headers: { cookie: `hg_oidc=${token}` } });
    expect(landing(res)).toEqual({ path: '/sign-in', error: 'sso_expired_login' });
    expect(replay.cookie(t.url, 'hg_session')).toBeUndefined();
  });

  it('says the provider refused when the person cancels there', async () => {
    const browser = new Browser(t.url);
    expect(landing(await browser.signIn('ana-sub', { abort: true }))).toEqual({ path: '/sign-in', error: 'sso_refused' });
    expect(browser.cookie(t.url, 'hg_session')).toBeUndefined();
  });

  it('signs in an invited user who never set a password; their password sign-in stays closed', async () => {
    const invited = await manager.post('/api/users/invite', { email: 'newcomer@company.test', role: 'manager' });
    expect(invited.status).toBe(201);
    idp.accounts.set('newcomer-sub', { email: 'newcomer@company.test', email_verified: true });
    const browser = new Browser(t.url);
    expect(landing(await browser.signIn('newcomer-sub'))).toEqual({ path: '/', error: null });
    expect((await sessionOf(t, browser).get('/api/auth/me')).body.user).toMatchObject({ email: 'newcomer@company.test', role: 'manager' });
    expect((await t.anonymous().post('/api/auth/login', { email: 'newcomer@company.test', password: 'anything-at-all-1' })).status).toBe(401);
    // Disabling the account ends that session as it ends a password one.
    expect((await manager.post(`/api/users/${invited.body.user.id}/disable`)).status).toBe(200);
    expect((await sessionOf(t, browser).get('/api/auth/me')).status).toBe(401);
  });
});

describe.each(await dbTargets())('single sign-on with the email in the ID token, on %s', (target) => {
  let idp: TestProvider;
  let t: TestApp;
  beforeAll(async () => {
    idp = await reserveProvider();
    t = await startTestApp(target, ssoEnv(idp));
    idp.start({ redirectUri: callbackOf(t), idTokenHasEmail: true });
    idp.accounts.set('admin-sub', { email: ADMIN.email, email_verified: true });
    idp.accounts.set('unverified-admin', { email: ADMIN.email.toUpperCase(), email_verified: false });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('takes the verified email from the ID token, and refuses an unverified one there too', async () => {
    const browser = new Browser(t.url);
    expect(landing(await browser.signIn('admin-sub'))).toEqual({ path: '/', error: null });
    expect((await sessionOf(t, browser).get('/api/auth/me')).body.user.role).toBe('manager');
    expect(landing(await new Browser(t.url).signIn('unverified-admin'))).toEqual({ path: '/sign-in', error: 'sso_unverified_email' });
  });

  it('replaces a link made under another issuer (the company moved provider), audited', async () => {
    await t.app.services.store.reader().execute("update users set oidc_issuer = 'https://old-id.example', oidc_subject = 'old-sub' where email = ?", [ADMIN.email]);
    const browser = new Browser(t.url);
    expect(landing(await browser.signIn('admin-sub'))).toEqual({ path: '/', error: null });
    const audit = await sessionOf(t, browser).get('/api/audit?entity=user');
    expect(JSON.stringify(audit.body)).toContain('https://old-id.example');
  });
});

describe.each(await dbTargets())('single sign-on while the provider is down, on %s', (target) => {
  let idp: TestProvider;
  let t: TestApp;
  beforeAll(async () => {
    idp = await reserveProvider();
    await idp.stop();
    t = await startTestApp(target, ssoEnv(idp));
    idp.accounts.set('admin-sub', { email: ADMIN.email, email_verified: true });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('starts, says so on the sign-in page, keeps password sign-in, and tries the provider again later', async () => {
    expect((await t.anonymous().get('/api/auth/providers')).body.sso).toEqual({ name: 'Example ID', loginPath: '/api/auth/oidc/login' });
    const down = await new Browser(t.url).request(`${t.url}/api/auth/oidc/login`);
    expect(down.status).toBe(302);
    expect(landing(down)).toEqual({ path: '/sign-in', error: 'sso_unavailable' });
    expect((await t.anonymous().post('/api/auth/login', ADMIN)).status).toBe(200);
    // Back up on the same address: the next sign-in discovers it.
    idp.start({ redirectUri: callbackOf(t) });
    const browser = new Browser(t.url);
    expect(landing(await browser.signIn('admin-sub'))).toEqual({ path: '/', error: null });
    expect((await sessionOf(t, browser).get('/api/auth/me')).status).toBe(200);
  });
});

describe('single sign-on configuration', () => {
  const base = { OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'hourglass', OIDC_CLIENT_SECRET: 'secret' };

  it('is off without its variables, and the routes are not there', async () => {
    const c = loadConfig({});
    expect(c.OIDC_ISSUER).toBeUndefined();
    expect(loadConfig({ OIDC_ISSUER: '', OIDC_CLIENT_ID: '', OIDC_CLIENT_SECRET: '' }).OIDC_ISSUER).toBeUndefined();
  });

  it('needs all three variables, naming the missing one at start', () => {
    expect(() => loadConfig({ OIDC_ISSUER: base.OIDC_ISSUER, OIDC_CLIENT_ID: 'hourglass' })).toThrow(/OIDC_CLIENT_SECRET: is required with OIDC_ISSUER and OIDC_CLIENT_ID/);
    expect(() => loadConfig({ OIDC_CLIENT_SECRET: 'secret' })).toThrow(/OIDC_ISSUER: is required[\s\S]*OIDC_CLIENT_ID: is required/);
    expect(loadConfig(base).OIDC_NAME).toBe('single sign-on');
  });

  it('wants an https issuer, http only on this machine', () => {
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'http://id.example.com' })).toThrow(/OIDC_ISSUER: must be an https URL/);
    for (const issuer of ['http://127.0.0.1:9000', 'http://localhost:9000/realms/x', 'http://[::1]:9000']) expect(loadConfig({ ...base, OIDC_ISSUER: issuer }).OIDC_ISSUER).toBe(issuer);
  });
});

describe('without single sign-on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite');
  });
  afterAll(() => t?.close());

  it('the sign-in page shows passwords only, and the routes are 404', async () => {
    expect((await t.anonymous().get('/api/auth/providers')).body).toEqual({ password: true, sso: null });
    expect((await t.anonymous().get('/api/auth/oidc/login')).status).toBe(404);
    expect((await t.anonymous().get('/api/auth/oidc/callback?code=x&state=y')).status).toBe(404);
  });
});
