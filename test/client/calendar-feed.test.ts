// @vitest-environment happy-dom
/** The calendar feed control: the address on a click (shown once), copy, and a confirmed reset. */
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import CalendarFeed from '../../client/src/components/CalendarFeed.vue';

const URL1 = 'http://localhost:3000/api/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics';
const URL2 = 'http://localhost:3000/api/calendar/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB.ics';

function serve(answers: Record<string, unknown>) {
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${url}`;
    const body = answers[key];
    return body === undefined
      ? new Response(JSON.stringify({ error: { code: 'forbidden', message: 'Calendar feeds are for staff and managers.', details: null } }), { status: 403, headers: { 'content-type': 'application/json' } })
      : new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe('CalendarFeed', () => {
  it('asks for the feed only on a click, shows its address once, and copies it', async () => {
    const fetch = serve({ 'GET /api/calendar': { url: URL1, createdAt: '2026-10-05T09:00:00.000Z', kind: 'staff' } });
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const w = mount(CalendarFeed, { attachTo: document.body });
    expect(fetch).not.toHaveBeenCalled();
    await w.get('[data-testid=calendar-feed-open]').trigger('click');
    await flushPromises();
    expect((w.get('[data-testid=calendar-feed-url]').element as HTMLInputElement).value).toBe(URL1);
    expect(w.text()).toContain('Your planned hours per week');
    await w.get('button.btn.small').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(URL1);
    expect(w.text()).toContain('Copied.');
    w.unmount();
  });

  it('says why an address made before is not shown, and resets it after a confirm', async () => {
    const fetch = serve({
      'GET /api/calendar': { url: null, createdAt: '2026-10-05T09:00:00.000Z', kind: 'team' },
      'POST /api/calendar/reset': { url: URL2, createdAt: '2026-10-06T09:00:00.000Z', kind: 'team' },
    });
    const w = mount(CalendarFeed, { attachTo: document.body });
    await w.get('[data-testid=calendar-feed-open]').trigger('click');
    await flushPromises();
    expect(w.text()).toContain("The team's leave and emergencies");
    expect(w.text()).toContain('reset it to get one you can copy');
    expect(w.find('[data-testid=calendar-feed-url]').exists()).toBe(false);
    const reset = w.findAll('button').find((b) => b.text() === 'Reset address' && !b.attributes('data-testid'))!;
    await reset.trigger('click');
    await flushPromises();
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);
    await w.get('[data-testid=calendar-feed-reset]').trigger('click');
    await flushPromises();
    expect(fetch.mock.calls.filter(([, init]) => init?.method === 'POST')).toHaveLength(1);
    expect((w.get('[data-testid=calendar-feed-url]').element as HTMLInputElement).value).toBe(URL2);
    w.unmount();
  });

  it('shows the server’s reason when it refuses (a client user)', async () => {
    serve({});
    const w = mount(CalendarFeed, { attachTo: document.body });
    await w.get('[data-testid=calendar-feed-open]').trigger('click');
    await flushPromises();
    expect(w.get('[role=alert]').text()).toContain('Calendar feeds are for staff and managers.');
    w.unmount();
  });
});
