/**
 * Text no database column can hold, answered cleanly on every route: a NUL character, a lone UTF-16
 * surrogate or malformed percent-encoding in any body field, query parameter or path is a 400 that
 * names the field (or a 404 for a path id), never a 500, and nothing is written or logged.
 *
 * The routes are read from the route tables at the top of every *.routes.ts file, so a route added
 * there is fuzzed too. The reproduction: NUL in a ticket title, a client id or ?quarter= answered
 * 500 (or a 503 "database unavailable" on PGlite) and logged the SQL with the value; a lone
 * surrogate in a title got as far as the audit row's JSON; a malformed path id answered 500.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type ApiResponse } from '../utils/api-client.ts';
import { Q, datedScenario, rowCounts } from '../utils/hours-setup.ts';
import { dbTargets, startTestApp, type TestApp } from '../utils/test-app.ts';
import { fieldOf } from '../../server/errors.ts';
import { createLogger } from '../../server/logger.ts';
import { findBadText, textProblem } from '../../server/input-text.ts';

const SERVER = join(import.meta.dirname, '..', '..', 'server');
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
interface Route {
  method: Method;
  path: string;
  /** Query parameters the route table names (`?quarter=&ticket=`). */
  query: string[];
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(join(dir, e.name)) : e.name.endsWith('.routes.ts') ? [join(dir, e.name)] : []));
}

/** Every `METHOD /api/…` in the header comment of every routes file, with the query parameters its line names. */
function routeTable(): Route[] {
  const routes = new Map<string, Route>();
  const add = (method: Method, path: string, query: string[]) => {
    const key = `${method} ${path}`;
    const seen = routes.get(key);
    routes.set(key, { method, path, query: [...new Set([...(seen?.query ?? []), ...query])] });
  };
  for (const file of routeFiles(SERVER)) {
    const header = readFileSync(file, 'utf8').match(/^\/\*\*[\s\S]*?\*\//)?.[0] ?? '';
    for (const line of header.split('\n')) {
      const found = [...line.matchAll(/\b(GET|POST|PATCH|PUT|DELETE)\s+(\/api\/[^\s?[{(,]*)/g)];
      // A line naming several routes (auth's) gives its query names to none of them.
      const query = found.length === 1 ? [...line.matchAll(/[?&]([a-zA-Z]+)=/g)].map((m) => m[1]!) : [];
      for (const m of found) add(m[1] as Method, m[2]!.replace(/\/$/, ''), query);
    }
  }
  // Routes the tables leave out: health (not a module) and the time-entry delete.
  add('GET', '/api/health', []);
  add('DELETE', '/api/time-entries/:id', ['version']);
  return [...routes.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** Percent-encoded path and query values: NUL, a lone surrogate as UTF-8 would spell it, broken escapes. */
const URL_VALUES = ['a%00b', '%00', '%ED%A0%80', '%ED%B0%80x', '%E0%A4%A', 'x%', '%zz', '%C0%80'];
/** JSON strings (JSON.stringify writes lone surrogates as \ud800 escapes). */
const TEXT_VALUES = ['x\u0000y', '\u0000', 'x\ud800y', '\udc00', 'a\ud83d'];

const MARK = 'zq-fuzz-marker';

describe('text checks, without a server', () => {
  it('finds NUL and lone surrogates in strings and keys, anywhere in a body, and nothing else', () => {
    expect(textProblem('plain text, émoji 😀, 中文')).toBeNull();
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('\ud800')).toMatch(/surrogate/);
    expect(textProblem('\udc00x')).toMatch(/surrogate/);
    expect(textProblem('😀'.slice(0, 1))).toMatch(/surrogate/);
    const at = (v: unknown) => {
      const bad = findBadText(v);
      return bad && fieldOf(bad.path);
    };
    expect(at({ a: [1, { b: 'ok' }], c: null, d: true })).toBeNull();
    expect(at({ a: [1, { b: 'x\u0000' }] })).toBe('a[1].b');
    expect(at({ changes: [{ ok: 1 }, { ['no\u0000te']: 'x' }] })).toBe('changes[1].no\ufffdte');
    expect(at('\ud800')).toBe('body');
    // Deep nesting does not overflow the stack.
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findBadText(deep)?.path).toHaveLength(100_000);
  });

  it('reads the route tables of every routes file', () => {
    const routes = routeTable();
    expect(routes.length).toBeGreaterThanOrEqual(45);
    expect(routes).toContainEqual({ method: 'DELETE', path: '/api/clients/:id/blocks/:blockId', query: [] });
    expect(routes.find((r) => r.method === 'GET' && r.path === '/api/time-entries')?.query).toEqual(expect.arrayContaining(['quarter', 'ticket', 'limit', 'cursor']));
  });
});

describe.each(await dbTargets())('bad text on every route on %s', (target) => {
  let t: TestApp;
  let manager: ApiClient;
  const logged: string[] = [];
  const ids: Record<string, string> = {};
  const TABLES = ['tickets', 'clients', 'staff', 'users', 'time_entries', 'blocks', 'pins', 'leave', 'audit_log', 'quarters'];

  /** A real id for each path parameter, so a request that got past the checks would reach the database. */
  const fill = (path: string, bad?: { param: string; value: string }) =>
    path.replace(/:(\w+)/g, (_, param: string) => {
      if (bad?.param === param) return bad.value;
      const prefix = path.slice(0, path.indexOf(`:${param}`));
      return ids[`${prefix}:${param}`] ?? ids[`:${param}`] ?? 'x';
    });

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) });
    t = await startTestApp(target, {}, undefined, { logger: createLogger('info', 'hourglass', sink) });
    manager = await t.manager();
    expect((await manager.post(`/api/quarters/${Q}/import`, datedScenario())).status).toBe(200);
    await t.settle();
    const entry = await manager.post('/api/time-entries', { ticketId: 'A-1', staffId: 'ana', hours: 1, date: '2026-10-06' });
    const pin = await manager.post('/api/pins', { ticket: 'A-1', staff: 'ana', week: 3, hours: 2 });
    const block = await manager.post('/api/clients/acme/blocks', { week: 2, hours: 20 });
    for (const r of [entry, pin, block]) expect(r.status, JSON.stringify(r.body)).toBe(201);
    await t.settle();
    const plan = (await manager.get('/api/plans/current')).body;
    Object.assign(ids, {
      ':id': 'x',
      '/api/clients/:id': 'acme',
      '/api/clients/:id/blocks/:blockId': String(block.body.id),
      '/api/staff/:id': 'ana',
      '/api/tickets/:id': 'A-1',
      '/api/time-entries/:id': String(entry.body.id),
      '/api/users/:id': 'me',
      '/api/quarters/:id': Q,
      '/api/pins/:id': String(pin.body.id),
      '/api/plans/:version': String(plan.version),
    });
    logged.length = 0;
  });
  afterAll(() => t?.close());

  const expectClean = (r: ApiResponse, what: string, statuses: number[], field?: string) => {
    expect(r.status, `${what}: ${JSON.stringify(r.body)}`).not.toBeGreaterThanOrEqual(500);
    expect(statuses, `${what} answered ${r.status}: ${JSON.stringify(r.body)}`).toContain(r.status);
    if (field !== undefined && r.status === 400) expect(r.body.error.details?.map((d: { field: string }) => d.field), what).toContain(field);
  };

  it('answers 400 naming the field, never 500, for every route, and writes and logs nothing', async () => {
    const routes = routeTable();
    const before = await rowCounts(t, TABLES);
    let sent = 0;
    for (const route of routes) {
      const send = async (path: string, body?: unknown, headers?: Record<string, string>) => {
        sent++;
        return manager.request(route.method, path, body, headers);
      };
      // Paths: each parameter in turn.
      for (const param of [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
        for (const value of URL_VALUES) {
          const path = fill(route.path, { param, value });
          expectClean(await send(path), `${route.method} ${path}`, [400, 404], 'path');
        }
      }
      // Queries: the parameters the table names, and one it does not.
      for (const name of [...route.query, 'quarter', 'unlisted']) {
        for (const value of URL_VALUES) {
          const path = `${fill(route.path)}?${name}=${value}`;
          expectClean(await send(path), `${route.method} ${path}`, [400], name);
        }
      }
      // Bodies: a field, a nested field and a field name, on every route that takes one.
      if (route.method === 'GET') continue;
      for (const value of TEXT_VALUES) {
        const cases: [unknown, string][] = [
          [{ title: `${MARK}${value}`, id: `${MARK}${value}`, version: 1 }, 'title'],
          [{ version: 1, changes: [{ type: 'add-block', client: 'acme' }, { note: `${MARK}${value}` }] }, 'changes[1].note'],
          [{ version: 1, [`na${value}me`]: MARK }, fieldOf([`na${value}me`.replace(/\u0000|[\ud800-\udfff]/g, '\ufffd')])],
        ];
        for (const [body, field] of cases) expectClean(await send(fill(route.path), body), `${route.method} ${route.path} ${JSON.stringify(body)}`, [400], field);
      }
      if (route.path.endsWith('/import') && !route.path.startsWith('/api/quarters')) {
        const csv = `id,client,title,priority,estimateHours,openedWeek\nZ-1,acme,${MARK}\u0000,3,1,0\n`;
        expectClean(await send(`${route.path}?quarter=${Q}`, csv, { 'content-type': 'text/csv' }), `${route.method} ${route.path} CSV`, [400], 'body');
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(await rowCounts(t, TABLES)).toEqual(before);
    // The session survived every request: none reached sign-out.
    expect((await manager.get('/api/auth/me')).status).toBe(200);
    expect(logged.filter((l) => l.includes(MARK) || /"level":(50|60)/.test(l))).toEqual([]);
  });

  it('says which field and why, without the text itself', async () => {
    const r = await manager.post('/api/tickets', { client: 'acme', title: 'Fix\u0000it', priority: 3, estimateHours: 2 });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'title', message: expect.stringMatching(/NUL/) }] });
    const q = await manager.get('/api/tickets?client=%ED%A0%80');
    expect(q.status).toBe(400);
    expect(q.body.error.details).toEqual([{ field: 'client', message: expect.stringMatching(/percent-encod/) }]);
    const p = await manager.get('/api/tickets/%E0%A4%A');
    expect(p.status).toBe(400);
    expect(p.body.error.details).toEqual([{ field: 'path', message: expect.stringMatching(/percent-encod/) }]);
    // Good text still goes through, the odd characters included.
    const ok = await manager.post('/api/tickets', { client: 'acme', title: 'Zürich 😀 50% off', priority: 3, estimateHours: 2 });
    expect(ok.status).toBe(201);
    const listed = (await manager.get(`/api/tickets?client=acme&quarter=${encodeURIComponent(Q)}`)).body;
    // A list, or a page of one.
    expect((Array.isArray(listed) ? listed : listed.items).map((x: { title: string }) => x.title)).toContain('Zürich 😀 50% off');
    await t.settle();
  });

  it('answers anonymous callers alike, before any sign-in check', async () => {
    const anon = new ApiClient(t.url);
    expectClean(await anon.get('/api/tickets/a%00b'), 'anonymous path', [400], 'path');
    expectClean(await anon.post('/api/auth/login', { email: 'a@b.test', password: 'x\u0000y' }), 'anonymous login', [400], 'password');
  });
});
