// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, call, clearConditional, getCached, listAll, onUnauthenticated, request } from '../../client/src/api/http.ts';
import { queryString } from '../../shared/api/path.ts';

function respond(status: number, body: unknown) {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

afterEach(() => vi.unstubAllGlobals());

describe('http', () => {
  it("revalidates the plan's views with their ETag: a 304 gives back the very object read before", async () => {
    clearConditional();
    const seen: (string | null)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const tag = new Headers(init.headers).get('if-none-match');
        seen.push(tag);
        return tag === 'W/"v3"' ? new Response(null, { status: 304 }) : new Response(JSON.stringify({ version: 3 }), { status: 200, headers: { etag: 'W/"v3"' } });
      }),
    );
    const first = await api.plans.summary('2026-Q4');
    const again = await getCached('/api/plans/current/summary?quarter=2026-Q4');
    expect(again).toBe(first);
    expect(seen).toEqual([null, 'W/"v3"']);
    clearConditional();
    expect(await getCached('/api/plans/current/summary?quarter=2026-Q4')).toEqual({ version: 3 });
    expect(seen[2]).toBeNull();
  });

  it('sends JSON with same-origin credentials and parses the answer', async () => {
    const fetch = respond(200, { ok: 1 });
    vi.stubGlobal('fetch', fetch);
    expect(await request('POST', '/api/x', { a: 1 })).toEqual({ ok: 1 });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/x');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"a":1}' });
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('turns an error body into an ApiError with field details', async () => {
    vi.stubGlobal('fetch', respond(400, { error: { code: 'validation_failed', message: 'hours: must be at least 20', details: [{ field: 'changes[0].hours', message: 'a block is at least 20 hours' }, { field: 'week', message: 'too late' }] } }));
    const err = await api.whatIf.ask({ changes: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(400);
    expect(e.code).toBe('validation_failed');
    expect(e.fieldMessage('hours')).toBe('a block is at least 20 hours');
    expect(e.fieldMessage('week')).toBe('too late');
    expect(e.fieldMessage('client')).toBeUndefined();
    expect(e.otherIssues(['hours'])).toEqual([{ field: 'week', message: 'too late' }]);
  });

  it('explains failures without an error body, and network failures', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>', { status: 502 })));
    await expect(request('GET', '/api/x')).rejects.toMatchObject({ status: 502, message: expect.stringContaining('Try again') });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('failed'))));
    await expect(request('GET', '/api/x')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('tells listeners when the session has ended, except on sign-in', async () => {
    const seen: string[] = [];
    const off = onUnauthenticated((e) => seen.push(e.code));
    vi.stubGlobal('fetch', respond(401, { error: { code: 'unauthenticated', message: 'Sign in first' } }));
    await api.plans.current().catch(() => {});
    await api.auth.login({ email: 'a@b.test', password: 'x' }).catch(() => {});
    off();
    expect(seen).toEqual(['unauthenticated']);
  });

  it('builds query strings from defined values', () => {
    expect(queryString({ quarter: '2026-Q4', client: undefined, status: '' })).toBe('?quarter=2026-Q4');
    expect(queryString({})).toBe('');
  });

  it("builds each route's URL from the contract: parameters encoded, undefined query values left out", async () => {
    const fetch = respond(200, { id: 'T 1' });
    vi.stubGlobal('fetch', fetch);
    await call('PATCH /api/tickets/:id', { params: { id: 'T 1' }, body: { version: 3, title: 'x' } });
    await api.plans.diff(7, undefined);
    await api.pins.remove(4);
    const calls = fetch.mock.calls as unknown as [string, RequestInit][];
    expect(calls.map(([url, init]) => `${init.method} ${url}`)).toEqual(['PATCH /api/tickets/T%201', 'GET /api/plans/7/diff', 'DELETE /api/pins/4']);
    expect(calls[0]![1].body).toBe('{"version":3,"title":"x"}');
    expect(calls[2]![1].body).toBeUndefined();
  });

  it('reads every page of a paged list, following nextCursor', async () => {
    const pages: Record<string, unknown> = {
      '/api/tickets?quarter=Q&limit=1000': { items: [{ id: 'T-1' }, { id: 'T-2' }], total: 3, nextCursor: 'c1' },
      '/api/tickets?quarter=Q&limit=1000&cursor=c1': { items: [{ id: 'T-3' }], total: 3, nextCursor: null },
    };
    const fetch = vi.fn(async (url: string) => new Response(JSON.stringify(pages[url] ?? { error: { code: 'not_found', message: url, details: null } }), { status: url in pages ? 200 : 404, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    expect((await listAll('GET /api/tickets', { quarter: 'Q' })).map((t) => t.id)).toEqual(['T-1', 'T-2', 'T-3']);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
