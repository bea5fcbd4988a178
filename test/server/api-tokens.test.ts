/**
 * API tokens (issue 13): POST/GET/DELETE /api/tokens, and `Authorization: Bearer` on the API and
 * the live socket. A token has exactly its role's access, narrowed by its scopes; it is revoked
 * at once (HTTP and sockets), rate-limited per token, audited under its name, and only its
 * SHA-256 is stored.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ApiResponse } from '../utils/api-client.ts';
import { closedWithin, connectWith, pause, syncPlan } from '../security/live-support.ts';
import { example, fieldsOf, QUARTER } from '../utils/resource-setup.ts';
import { waitFor } from '../utils/spawn-server.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';

const LIMIT = 30;

/** An API client that sends a bearer token and no cookie. */
class TokenClient extends ApiClient {
  constructor(
    url: string,
    readonly token: string,
  ) {
    super(url);
  }

  override request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return super.request<T>(method, path, body, { authorization: `Bearer ${this.token}`, ...headers });
  }
}

/** A socket signed in with a token in the handshake's `auth`. */
const connectWithToken = (url: string, token: string) => connectWith(url, { auth: { token } });

describe.each(await dbTargets())('API tokens on %s', (target) => {
  let t: TestApp, manager: ApiClient, harbor: ApiClient, sam: ApiClient;

  beforeAll(async () => {
    t = await startTestApp(target, { API_TOKEN_RATE_LIMIT: String(LIMIT) });
    manager = await t.manager();
    const r = await manager.post(`/api/quarters/${QUARTER}/import`, example);
    if (r.status !== 200) throw new Error(`import failed: ${r.status} ${JSON.stringify(r.body)}`);
    await t.settle();
    await t.createUser('client', { email: 'harbor@client.test', clientId: 'harbor' });
    await t.createUser('staff', { email: 'sam@staff.test', staffId: 'sam' });
    [harbor, sam] = await Promise.all([t.as('harbor@client.test'), t.as('sam@staff.test')]);
  });
  afterAll(() => t?.close());

  async function token(body: Record<string, unknown>): Promise<{ id: number; client: TokenClient }> {
    const r = await manager.post('/api/tokens', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { id: r.body.id, client: new TokenClient(t.url, r.body.token) };
  }

  it('creates a token once (201 { id, token }), keeps only its SHA-256, and lists it without secrets', async () => {
    const r = await manager.post('/api/tokens', { name: 'Harbor reader', role: 'client', clientId: 'harbor', scopes: ['read'] });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(['id', 'token']);
    expect(r.body.token).toMatch(/^hg_[A-Za-z0-9_-]{43}$/);
    const rows = await t.app.services.store.reader().execute<Record<string, unknown>[]>('select * from api_tokens where id = ?', [r.body.id]);
    expect(rows[0]).toMatchObject({ name: 'Harbor reader', role: 'client', client_id: 'harbor', token_hash: createHash('sha256').update(r.body.token).digest('hex') });
    expect(JSON.stringify(rows)).not.toContain(r.body.token);

    const harborToken = new TokenClient(t.url, r.body.token);
    expect((await harborToken.get('/api/tickets/H-1')).status).toBe(200);
    const list = await manager.get('/api/tokens');
    expect(list.status).toBe(200);
    const listed = list.body.find((x: { id: number }) => x.id === r.body.id);
    expect(listed).toMatchObject({ name: 'Harbor reader', role: 'client', clientId: 'harbor', staffId: null, scopes: ['read'], revokedAt: null });
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(listed.createdAt)).toBeLessThanOrEqual(Date.parse(listed.lastUsedAt));
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(r.body.token);
    expect(text).not.toContain(rows[0]!.token_hash as string);
    expect(text).not.toMatch(/hash/i);
  });

  it('a client token has exactly the client rules: its own client, another client 404 as for a ghost', async () => {
    const { client: harborToken } = await token({ name: 'Harbor app', role: 'client', clientId: 'harbor', scopes: ['read'] });
    const paths = ['/api/tickets/H-1', '/api/tickets/Q-1', '/api/tickets/ghost', '/api/clients/harbor', '/api/clients/quill', '/api/staff', '/api/users', '/api/plans/current', '/api/audit', '/api/time-entries'];
    for (const path of paths) {
      const [user, tok] = await Promise.all([harbor.get(path), harborToken.get(path)]);
      expect(tok.status, path).toBe(user.status);
      if (user.status >= 400) expect(tok.body.error, path).toEqual(user.body.error);
    }
    expect((await harborToken.get('/api/tickets/Q-1')).status).toBe(404);
    expect((await harborToken.get('/api/plans/current')).body.clients.map((c: { id: string }) => c.id)).toEqual(['harbor']);
    // Read-only: no writes, even those its role may make.
    const post = await harborToken.post('/api/tickets', { title: 'From the app', priority: 3 });
    expect(post.status).toBe(403);
    expect(post.body.error.message).toMatch(/tickets:write/);
  });

  it('a staff token has exactly the staff rules', async () => {
    const { client: samToken } = await token({ name: 'Sam script', role: 'staff', staffId: 'sam', scopes: ['read', 'time-entries:write'] });
    for (const path of ['/api/staff', '/api/staff/sam', '/api/clients', '/api/clients/harbor', '/api/tickets', '/api/users', '/api/audit', '/api/revenue', '/api/plans/current']) {
      const [user, tok] = await Promise.all([sam.get(path), samToken.get(path)]);
      expect(tok.status, path).toBe(user.status);
      if (user.status === 200 && !path.startsWith('/api/plans')) expect(tok.body, path).toEqual(user.body);
    }
    // Logs its own hours on its own work.
    const entry = await samToken.post('/api/time-entries', { ticket: 'H-1', hours: 1, week: 11 });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    expect(entry.body).toMatchObject({ staff: 'sam', ticket: 'H-1' });
    // Someone else's hours: the staff rule, not the token, refuses.
    const [userOther, tokOther] = await Promise.all([sam.post('/api/time-entries', { ticket: 'H-1', hours: 1, week: 11, staff: 'ghost' }), samToken.post('/api/time-entries', { ticket: 'H-1', hours: 1, week: 11, staff: 'ghost' })]);
    expect(tokOther.status).toBe(userOther.status);
  });

  it('tickets:write creates a ticket but no time entry, nor anything else; audited under the token name', async () => {
    const { client: writer } = await token({ name: 'Ticket bridge', role: 'manager', scopes: ['read', 'tickets:write'] });
    const created = await writer.post('/api/tickets', { id: 'TB-1', client: 'harbor', title: 'From the bridge', priority: 3, estimateHours: 2 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const entry = await writer.post('/api/time-entries', { ticket: 'H-1', hours: 1, week: 11, staff: 'sam' });
    expect(entry.status).toBe(403);
    expect(entry.body.error.message).toMatch(/time-entries:write/);
    for (const [method, path, body] of [
      ['POST', '/api/clients', { id: 'newco', name: 'New Co', plan: 'payg' }],
      ['POST', '/api/staff', { id: 'zed', name: 'Zed', weeklyHours: 10 }],
      ['PATCH', '/api/settings', { version: 1, name: 'Taken' }],
      ['POST', '/api/users', { email: 'x@test.local', password: 'a long password here', role: 'manager' }],
      ['POST', '/api/tokens', { name: 'Child', role: 'manager', scopes: ['read'] }],
      ['GET', '/api/tokens', undefined],
      ['POST', '/api/what-if', { changes: [] }],
    ] as const) {
      const r = await writer.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
    }
    // A token cannot make tokens even when it is a manager's with every scope.
    const { client: all } = await token({ name: 'Everything', role: 'manager', scopes: ['read', 'tickets:write', 'time-entries:write'] });
    expect((await all.post('/api/tokens', { name: 'Child', role: 'manager', scopes: ['read'] })).status).toBe(403);

    const audit = await manager.get('/api/audit?entity=ticket&id=TB-1');
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'create', user: null, token: { name: 'Ticket bridge' } });
  });

  it('revoking answers 204 and the token is refused at once (401); unknown ids 404', async () => {
    const { id, client } = await token({ name: 'Short-lived', role: 'manager', scopes: ['read'] });
    expect((await client.get('/api/tickets')).status).toBe(200);
    expect((await manager.delete(`/api/tokens/${id}`)).status).toBe(204);
    const after = await client.get('/api/tickets');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await manager.get('/api/tokens')).body.find((x: { id: number }) => x.id === id).revokedAt).not.toBeNull();
    expect((await manager.delete('/api/tokens/999999')).status).toBe(404);
    // A made-up token, and a malformed header, are refused alike.
    expect((await new TokenClient(t.url, 'hg_' + 'A'.repeat(43)).get('/api/tickets')).status).toBe(401);
    expect((await new TokenClient(t.url, 'nope').get('/api/tickets')).status).toBe(401);
  });

  it('answers 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', scopes: ['read'] }, 'role'],
      [{ role: 'manager', scopes: ['read'] }, 'name'],
      [{ name: 'x', role: 'client', scopes: ['read'] }, 'clientId'],
      [{ name: 'x', role: 'client', clientId: 'ghost', scopes: ['read'] }, 'clientId'],
      [{ name: 'x', role: 'staff', scopes: ['read'] }, 'staffId'],
      [{ name: 'x', role: 'staff', staffId: 'ghost', scopes: ['read'] }, 'staffId'],
      [{ name: 'x', role: 'manager', clientId: 'harbor', scopes: ['read'] }, 'clientId'],
      [{ name: 'x', role: 'manager', scopes: [] }, 'scopes'],
      [{ name: 'x', role: 'manager' }, 'scopes'],
      [{ name: 'x', role: 'manager', scopes: ['admin'] }, 'scopes[0]'],
      [{ name: 'x', role: 'manager', scopes: ['read', 'read'] }, 'scopes'],
      [{ name: 'x', role: 'owner', scopes: ['read'] }, 'role'],
      [{ name: 'x', role: 'manager', scopes: ['read'], extra: 1 }, 'extra'],
    ];
    const before = (await manager.get('/api/tokens')).body.length;
    for (const [body, field] of cases) {
      const r = await manager.post('/api/tokens', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(r), JSON.stringify(body)).toContain(field);
    }
    expect((await manager.get('/api/tokens')).body.length).toBe(before);
    expect((await manager.delete('/api/tokens/abc')).status).toBe(400);
  });

  it('is for managers only: staff and client users get 403, anonymous 401', async () => {
    for (const c of [sam, harbor]) {
      expect((await c.get('/api/tokens')).status).toBe(403);
      expect((await c.post('/api/tokens', { name: 'x', role: 'manager', scopes: ['read'] })).status).toBe(403);
      expect((await c.delete('/api/tokens/1')).status).toBe(403);
    }
    expect((await t.anonymous().get('/api/tokens')).status).toBe(401);
  });

  it('is rate-limited per token: 429 with Retry-After past the limit, other tokens unaffected', async () => {
    const { client: busy } = await token({ name: 'Busy', role: 'manager', scopes: ['read'] });
    const { client: calm } = await token({ name: 'Calm', role: 'manager', scopes: ['read'] });
    for (let i = 0; i < LIMIT; i++) expect((await busy.get('/api/settings')).status).toBe(200);
    const refused = await busy.get('/api/settings');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await calm.get('/api/settings')).status).toBe(200);
  });

  it('a socket signs in with a token, hears its audience, and is closed when the token is revoked', async () => {
    const { id, client } = await token({ name: 'Harbor live', role: 'client', clientId: 'harbor', scopes: ['read'] });
    const live = await connectWithToken(t.url, client.token);
    await waitFor(() => live.events.find((e) => e.event === 'hello'), 5000, 'hello');
    expect(live.events.find((e) => e.event === 'hello')!.payload.user).toMatchObject({ role: 'client', client: 'harbor' });
    expect((await syncPlan(live)).clients.map((c: { id: string }) => c.id)).toEqual(['harbor']);
    const h1 = (await manager.get('/api/tickets/H-1')).body;
    expect((await manager.patch('/api/tickets/H-1', { version: h1.version, estimateHours: h1.estimateHours + 1 })).status).toBe(200);
    await waitFor(() => live.events.find((e) => e.event === 'ticket.changed' && e.payload.ticketId === 'H-1'), 5000, 'ticket.changed');

    // A bearer header on the handshake works too, and skips the Origin check (no cookie involved).
    const viaHeader = await connectWith(t.url, { extraHeaders: { authorization: `Bearer ${client.token}`, origin: 'https://elsewhere.example' } });

    const at = Date.now();
    expect((await manager.delete(`/api/tokens/${id}`)).status).toBe(204);
    expect(await closedWithin(live, at, 2000)).toBeLessThan(2000);
    expect(await closedWithin(viaHeader, at, 2000)).toBeLessThan(2000);
    await pause(50);
    await expect(connectWithToken(t.url, client.token)).rejects.toThrow(/unauthenticated/);
  });

  it('a token without "read" opens no socket and reads nothing', async () => {
    const { client: writeOnly } = await token({ name: 'Write only', role: 'manager', scopes: ['tickets:write'] });
    expect((await writeOnly.get('/api/tickets')).status).toBe(403);
    await expect(connectWithToken(t.url, writeOnly.token)).rejects.toThrow(/read/);
  });
});
