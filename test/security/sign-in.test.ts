/**
 * Sign-in: limits count failures only, per account and per address, with a delay that grows;
 * X-Forwarded-For counts only from TRUST_PROXY; a wrong current password is limited like a
 * sign-in; passwords are at least 12 characters and not common; changing one's own email is a
 * manager's job (no way to learn which addresses have accounts).
 *
 * The reproduction: a team of twenty signing in from one office hit the 20-per-address limit
 * (successes counted); any X-Forwarded-For from loopback reset the limit; guessing one account
 * from many addresses was never slowed; PATCH /api/users/me took unlimited current-password guesses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../../server/auth/password-policy.ts';
import { loadConfig } from '../../server/config.ts';
import { DEMO_USERS } from '../../server/seed.ts';
import { example } from '../utils/resource-setup.ts';
import { ApiClient, type ApiResponse } from '../utils/api-client.ts';
import { ADMIN, dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import { pause } from './live-support.ts';

const PASSWORD = 'sign-in-test-passphrase';
const LIMITS = { LOGIN_RATE_LIMIT: '3', LOGIN_ACCOUNT_LIMIT: '3' };

function login(t: TestApp, email: string, password: string, forwardedFor?: string): Promise<ApiResponse> {
  return new ApiClient(t.url).post('/api/auth/login', { email, password }, forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});
}

function expectWait(r: ApiResponse, seconds: number, about: 'account' | 'address'): void {
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe('rate_limited');
  expect(r.headers.get('retry-after')).toBe(String(seconds));
  expect(r.body.error.message).toContain(about === 'account' ? 'for this account' : 'from this address');
  expect(r.body.error.message).toContain(`Wait ${seconds} second`);
}

describe.each(await dbTargets())('sign-in limits on %s, without TRUST_PROXY', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target, LIMITS);
  });
  afterAll(() => t?.close());

  it('a team of twenty signs in from one office: successes never count', async () => {
    for (let i = 0; i < 20; i++) await t.createUser('staff', { email: `team${i}@office.test`, password: PASSWORD, staffId: `s${i}` });
    // Two typos in the office, then everyone signs in, twice over.
    expect((await login(t, 'team0@office.test', 'a typo, sorry')).status).toBe(401);
    expect((await login(t, 'team1@office.test', 'another typo')).status).toBe(401);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 20; i++) expect((await login(t, `team${i}@office.test`, PASSWORD)).status, `team${i}`).toBe(200);
    }
  });

  it('a forged X-Forwarded-For from loopback does not reset the per-address limit', async () => {
    // The third failure from this address (the office above made two).
    expect((await login(t, 'nobody1@guess.test', 'guess-1', '203.0.113.1')).status).toBe(401);
    const refused = await login(t, 'nobody2@guess.test', 'guess-2', '203.0.113.2');
    expectWait(refused, 1, 'address');
    // Even the right password of another account waits: the address is what is limited.
    expectWait(await login(t, ADMIN.email, ADMIN.password, '198.51.100.7'), 1, 'address');
    await pause(1100);
    expect((await login(t, ADMIN.email, ADMIN.password, '198.51.100.8')).status).toBe(200);
  });
});

describe.each(await dbTargets())('sign-in limits on %s, behind a trusted proxy', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target, { ...LIMITS, TRUST_PROXY: 'loopback' });
    await t.createUser('manager', { email: 'target@acct.test', password: PASSWORD });
    await t.createUser('manager', { email: 'bystander@acct.test', password: PASSWORD });
  });
  afterAll(() => t?.close());

  it('guesses at one account from many addresses wait longer and longer; other accounts are not held up', async () => {
    for (let i = 1; i <= 3; i++) expect((await login(t, 'target@acct.test', `guess-${i}`, `192.0.2.${i}`)).status).toBe(401);
    // Past three failures the account waits 1 s, even for the right password, from any address.
    expectWait(await login(t, 'target@acct.test', PASSWORD, '192.0.2.50'), 1, 'account');
    expect((await login(t, 'bystander@acct.test', PASSWORD, '192.0.2.1')).status).toBe(200);
    await pause(1100);
    expect((await login(t, 'target@acct.test', 'guess-4', '192.0.2.4')).status).toBe(401);
    expectWait(await login(t, 'target@acct.test', PASSWORD, '192.0.2.51'), 2, 'account');
    await pause(2100);
    expect((await login(t, 'target@acct.test', PASSWORD, '192.0.2.52')).status).toBe(200);
    // A success starts the account afresh.
    expect((await login(t, 'target@acct.test', 'guess-5', '192.0.2.5')).status).toBe(401);
    expect((await login(t, 'target@acct.test', PASSWORD, '192.0.2.53')).status).toBe(200);
  });

  it('an unknown account is limited exactly like a known one', async () => {
    for (let i = 1; i <= 3; i++) {
      expect((await login(t, 'ghost@acct.test', `guess-${i}`, `192.0.2.${10 + i}`)).status).toBe(401);
      expect((await login(t, 'bystander@acct.test', `guess-${i}`, `192.0.2.${20 + i}`)).status).toBe(401);
    }
    const ghost = await login(t, 'ghost@acct.test', 'guess-4', '192.0.2.30');
    const known = await login(t, 'bystander@acct.test', 'guess-4', '192.0.2.31');
    expectWait(ghost, 1, 'account');
    expect(ghost.body).toEqual(known.body);
  });

  it('PATCH /api/users/me with a wrong current password is limited the same way, on the same account count', async () => {
    await t.createUser('manager', { email: 'changer@acct.test', password: PASSWORD });
    const me = await t.as('changer@acct.test', PASSWORD);
    const version = (await me.get('/api/users/me')).body.version;
    for (let i = 1; i <= 3; i++) {
      const wrong = await me.request('PATCH', '/api/users/me', { version, password: 'a-brand-new-passphrase', currentPassword: `guess-${i}` }, { 'x-forwarded-for': `198.51.100.${i}` });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details[0].field).toBe('currentPassword');
    }
    const refused = await me.request('PATCH', '/api/users/me', { version, password: 'a-brand-new-passphrase', currentPassword: PASSWORD }, { 'x-forwarded-for': '198.51.100.9' });
    expectWait(refused, 1, 'account');
    // The same account count as signing in.
    expectWait(await login(t, 'changer@acct.test', PASSWORD, '198.51.100.10'), 1, 'account');
    await pause(1100);
    const ok = await me.request('PATCH', '/api/users/me', { version, password: 'a-brand-new-passphrase', currentPassword: PASSWORD }, { 'x-forwarded-for': '198.51.100.11' });
    expect(ok.status).toBe(200);
  });
});

describe.each(await dbTargets())('passwords and email addresses on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  beforeAll(async () => {
    t = await startTestApp(target);
    manager = await t.manager();
  });
  afterAll(() => t?.close());

  it('a new password has at least 12 characters and is not a common one; the error says what to do', async () => {
    const cases: [string, RegExp][] = [
      ['short-pass', /at least 12 characters: a few unrelated words/],
      ['password1234', /most common passwords/],
      ['qwertyuiop123', /most common passwords/],
      ['Password-2024!', /most common passwords \(or one with a few digits or signs added\)/],
      ['123456789012', /most common passwords/],
    ];
    for (const [password, message] of cases) {
      const r = await manager.post('/api/users', { email: 'weak@pw.test', password, role: 'manager' });
      expect(r.status, password).toBe(400);
      expect(r.body.error.details).toEqual([{ field: 'password', message: expect.stringMatching(message) }]);
    }
    expect((await manager.post('/api/users', { email: 'strong@pw.test', password: 'tangerine-harbor-lamp', role: 'manager' })).status).toBe(201);
  });

  it('the same rule holds for ADMIN_PASSWORD and the demo sign-ins', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'password-123' })).toThrow(/ADMIN_PASSWORD: is one of the most common passwords/);
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short-one' })).toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(DEMO_USERS.map((u) => [u.email, passwordProblem(u.password)])).toEqual(DEMO_USERS.map((u) => [u.email, null]));
  });

  it('changing your own email answers the same whether or not the address is taken: a manager does it', async () => {
    expect((await manager.post('/api/quarters/2026-Q4/import', example)).status).toBe(200);
    await t.createUser('client', { email: 'me@pw.test', password: PASSWORD, clientId: 'harbor' });
    const me = await t.as('me@pw.test', PASSWORD);
    const mine = (await me.get('/api/users/me')).body;
    const taken = await me.patch('/api/users/me', { version: mine.version, email: ADMIN.email });
    const free = await me.patch('/api/users/me', { version: mine.version, email: 'never-used@pw.test' });
    expect(taken.status).toBe(403);
    expect(taken.body).toEqual(free.body);
    expect(taken.body.error.message).toBe('Ask a manager to change your email address.');
    expect((await me.get('/api/users/me')).body.email).toBe('me@pw.test');
    const byManager = await manager.patch(`/api/users/${mine.id}`, { version: mine.version, email: 'renamed@pw.test' });
    expect([byManager.status, byManager.body.email]).toEqual([200, 'renamed@pw.test']);
  });
});
