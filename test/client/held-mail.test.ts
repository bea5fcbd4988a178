// @vitest-environment happy-dom
/** The held-mail section of the Tickets page (issue 13): a held mail filed for a client at a priority, another discarded; nothing shown while none waits. */
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import HeldMailPanel from '../../client/src/components/HeldMailPanel.vue';

const MAIL = (id: number, subject: string) => ({ id, from: `s${id}@elsewhere.test`, fromName: 'Stranger', subject, text: 'Hello <b>there</b>', attachments: ['shot.png'], reason: 'the sender is no known client contact', receivedAt: '2026-12-02T09:00:00.000Z', status: 'held', ticket: null, decidedAt: null });
const page = (items: unknown[]) => ({ items, total: items.length, nextCursor: null });

function serve(answers: Record<string, unknown[]>) {
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${url.split('?')[0]}`;
    const queue = answers[key];
    const body = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (body === undefined) return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no', details: null } }), { status: 404, headers: { 'content-type': 'application/json' } });
    return new Response(JSON.stringify(body), { status: key.startsWith('POST') && key.endsWith('assign') ? 201 : 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());
const clients = [
  { id: 'harbor', name: 'Harbor Dental' },
  { id: 'dyno', name: 'Dyno Gyms' },
];

describe('HeldMailPanel', () => {
  it('files a held mail as a client’s ticket at the chosen priority, and discards another', async () => {
    const fetch = serve({
      'GET /api/intake/mail': [page([MAIL(1, 'Who do I ask?'), MAIL(2, 'Cheap watches')]), page([MAIL(2, 'Cheap watches')]), page([])],
      'POST /api/intake/mail/1/assign': [{ id: 'T-9' }],
      'POST /api/intake/mail/2/discard': [{ ...MAIL(2, 'Cheap watches'), status: 'discarded' }],
    });
    const w = mount(HeldMailPanel, { props: { clients }, attachTo: document.body });
    await flushPromises();
    const panel = w.get('[data-testid=held-mail]');
    expect(panel.text()).toContain('Who do I ask?');
    expect(panel.text()).toContain('Attachments (not kept): shot.png');
    // The text is text: no element made from it.
    expect(panel.find('b').exists()).toBe(false);
    expect(panel.text()).toContain('Hello <b>there</b>');
    await w.get('[data-testid=held-client-1]').setValue('dyno');
    await w.get('[data-testid=held-priority-1]').setValue('2');
    await w.get('[data-mail="1"] form').trigger('submit');
    await flushPromises();
    const post = fetch.mock.calls.find(([url]) => String(url).includes('/1/assign'))!;
    expect(JSON.parse(post[1]!.body as string)).toEqual({ clientId: 'dyno', priority: 2 });
    expect(w.get('[data-testid=held-mail-notice]').text()).toContain('ticket T-9');
    expect(w.find('[data-mail="1"]').exists()).toBe(false);
    await w.get('[data-testid=held-discard-2]').trigger('click');
    await flushPromises();
    expect(fetch.mock.calls.some(([url, init]) => String(url).endsWith('/2/discard') && init?.method === 'POST')).toBe(true);
    expect(w.text()).toContain('No more mail waiting.');
    w.unmount();
  });

  it('shows nothing while no mail waits, or when the server has no mail intake', async () => {
    serve({ 'GET /api/intake/mail': [page([])] });
    const w = mount(HeldMailPanel, { props: { clients } });
    await flushPromises();
    expect(w.find('[data-testid=held-mail]').exists()).toBe(false);
    w.unmount();
    serve({});
    const v = mount(HeldMailPanel, { props: { clients } });
    await flushPromises();
    expect(v.find('[data-testid=held-mail]').exists()).toBe(false);
    v.unmount();
  });
});
