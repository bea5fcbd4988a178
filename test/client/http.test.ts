// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, http, onUnauthenticated, query } from '../../client/src/api/http.ts';

function respond(status: number, body: unknown) {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

afterEach(() => vi.unstubAllGlobals());

describe('http', () => {
  it('sends JSON with same-origin credentials and parses the answer', async () => {
    const fetch = respond(200, { ok: 1 });
    vi.stubGlobal('fetch', fetch);
    expect(await http.post('/api/x', { a: 1 })).toEqual({ ok: 1 });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/x');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"a":1}' });
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('turns an error body into an ApiError with field details', async () => {
    vi.stubGlobal('fetch', respond(400, { error: { code: 'validation_failed', message: 'hours: must be at least 20', details: [{ field: 'changes[0].hours', message: 'a block is at least 20 hours' }, { field: 'week', message: 'too late' }] } }));
    const err = await http.post('/api/what-if', {}).catch((e: unknown) => e);
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
    await expect(http.get('/api/x')).rejects.toMatchObject({ status: 502, message: expect.stringContaining('Try again') });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('failed'))));
    await expect(http.get('/api/x')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('tells listeners when the session has ended, except on sign-in', async () => {
    const seen: string[] = [];
    const off = onUnauthenticated((e) => seen.push(e.code));
    vi.stubGlobal('fetch', respond(401, { error: { code: 'unauthenticated', message: 'Sign in first' } }));
    await http.get('/api/plans/current').catch(() => {});
    await http.post('/api/auth/login', {}).catch(() => {});
    off();
    expect(seen).toEqual(['unauthenticated']);
  });

  it('builds query strings from defined values', () => {
    expect(query({ quarter: '2026-Q4', client: undefined, status: '' })).toBe('?quarter=2026-Q4');
    expect(query({})).toBe('');
  });
});
