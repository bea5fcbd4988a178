// @vitest-environment happy-dom
/** The API tokens section of the Users page: create (the token shown once, copy), list, revoke after a confirm. */
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ApiTokens from '../../client/src/views/setup/ApiTokens.vue';

const TOKEN = 'hg_' + 'A'.repeat(43);
const HARBOR = { id: 3, name: 'Harbor app', role: 'client', clientId: 'harbor', staffId: null, scopes: ['read'], createdAt: '2026-10-05T09:00:00.000Z', lastUsedAt: '2026-10-06T10:00:00.000Z', revokedAt: null };

function serve(answers: Record<string, unknown[]>) {
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${url}`;
    const queue = answers[key];
    const body = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (body === undefined) return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no', details: null } }), { status: 404, headers: { 'content-type': 'application/json' } });
    if (body === null) return new Response(null, { status: 204 });
    return new Response(JSON.stringify(body), { status: key.startsWith('POST') ? 201 : 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

const clients = [{ id: 'harbor', name: 'Harbor Dental' }] as never[];

describe('ApiTokens', () => {
  it('creates a token and shows it once, with copy; the list never holds it', async () => {
    const fetch = serve({ 'GET /api/tokens': [[], [HARBOR]], 'POST /api/tokens': [{ id: 3, token: TOKEN }] });
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const w = mount(ApiTokens, { props: { staff: [], clients }, attachTo: document.body });
    await flushPromises();
    expect(w.text()).toContain('No tokens yet.');
    await w.get('[data-testid=create-token]').trigger('click');
    await flushPromises();
    await w.get('[data-testid=token-name]').setValue('Harbor app');
    await w.get('[data-testid=token-client]').setValue('harbor');
    await w.get('form').trigger('submit');
    await flushPromises();
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')!;
    expect(JSON.parse(post[1]!.body as string)).toEqual({ name: 'Harbor app', role: 'client', clientId: 'harbor', scopes: ['read'] });
    expect((w.get('[data-testid=token-value]').element as HTMLInputElement).value).toBe(TOKEN);
    await w.findAll('[data-testid=token-made] button').find((b) => b.text() === 'Copy token')!.trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(TOKEN);
    const table = w.get('[data-testid=tokens-table]');
    expect(table.text()).toContain('client: Harbor Dental');
    expect(table.text()).not.toContain(TOKEN);
    await w.findAll('[data-testid=token-made] button').find((b) => b.text() === 'Done')!.trigger('click');
    expect(w.find('[data-testid=token-value]').exists()).toBe(false);
    w.unmount();
  });

  it('says which scopes are missing before sending anything', async () => {
    const fetch = serve({ 'GET /api/tokens': [[]] });
    const w = mount(ApiTokens, { props: { staff: [], clients }, attachTo: document.body });
    await flushPromises();
    await w.get('[data-testid=create-token]').trigger('click');
    await flushPromises();
    await w.get('[data-testid=token-name]').setValue('x');
    await w.get('[data-testid=token-role]').setValue('manager');
    await w.get('[data-testid=token-scope-read]').setValue(false);
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(w.text()).toContain('Choose at least one scope.');
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    w.unmount();
  });

  it('revokes only after a confirm', async () => {
    const fetch = serve({ 'GET /api/tokens': [[HARBOR], [{ ...HARBOR, revokedAt: '2026-10-07T10:00:00.000Z' }]], 'DELETE /api/tokens/3': [null] });
    const w = mount(ApiTokens, { props: { staff: [], clients }, attachTo: document.body });
    await flushPromises();
    await w.get('button[aria-label="Revoke the token Harbor app"]').trigger('click');
    await flushPromises();
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false);
    await w.get('[data-testid=token-revoke-confirm]').trigger('click');
    await flushPromises();
    expect(fetch.mock.calls.filter(([, init]) => init?.method === 'DELETE')).toHaveLength(1);
    expect(w.get('[data-testid=tokens-table]').text()).toContain('Revoked');
    w.unmount();
  });
});
