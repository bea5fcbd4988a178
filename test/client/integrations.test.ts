// @vitest-environment happy-dom
/** /manager/integrations (issue 13): the trackers with their webhook address and mapping, connecting one (the secret sent, never shown), the deliveries log. */
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ManagerIntegrations from '../../client/src/views/manager/ManagerIntegrations.vue';

const GITHUB = {
  source: 'github',
  clients: { 'acme/website': 'acme' },
  priorities: { bug: 2 },
  defaultPriority: 3,
  emergencyLabel: 'emergency',
  skillLabels: {},
  estimateField: null,
  updatedAt: '2026-12-02T09:00:00.000Z',
  path: '/api/intake/github',
};
const EVENTS = {
  items: [
    { id: 2, source: 'github', deliveryId: 'd-2', externalId: '44', event: 'issues.opened', outcome: 'created', reason: null, ticket: 'T-9', receivedAt: '2026-12-02T09:01:00.000Z' },
    { id: 1, source: 'github', deliveryId: 'd-1', externalId: null, event: 'issues', outcome: 'refused', reason: 'bad signature', ticket: null, receivedAt: '2026-12-02T09:00:00.000Z' },
  ],
  total: 2,
  nextCursor: null,
};

function serve(answers: Record<string, unknown[]>) {
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${url.split('?')[0]}`;
    const queue = answers[key];
    const body = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (body === undefined) return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no', details: null } }), { status: 404, headers: { 'content-type': 'application/json' } });
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe('ManagerIntegrations', () => {
  it('lists the trackers and the deliveries with their outcome and why', async () => {
    serve({ 'GET /api/intake/sources': [[GITHUB]], 'GET /api/intake/events': [EVENTS] });
    const w = mount(ManagerIntegrations, { attachTo: document.body, global: { stubs: { teleport: true } } });
    await flushPromises();
    const github = w.get('[data-testid=tracker-github]').text();
    expect(github).toContain('/api/intake/github');
    expect(github).toContain('acme/website → acme');
    expect(github).toContain('Connected');
    expect(w.get('[data-testid=tracker-jira]').text()).toContain('Not connected');
    const log = w.get('[data-testid=events-table]').text();
    expect(log).toContain('issues.opened');
    expect(log).toContain('T-9');
    expect(log).toContain('bad signature');
    expect(w.text()).not.toContain('secret-');
    w.unmount();
  });

  it('connects a tracker: the mapping typed as lines, the secret sent once', async () => {
    const fetch = serve({ 'GET /api/intake/sources': [[], [{ ...GITHUB, source: 'gitlab', path: '/api/intake/gitlab', clients: { 'group/app': 'quill' } }]], 'GET /api/intake/events': [{ items: [], total: 0, nextCursor: null }], 'PUT /api/intake/sources/gitlab': [GITHUB] });
    const w = mount(ManagerIntegrations, { attachTo: document.body, global: { stubs: { teleport: true } } });
    await flushPromises();
    await w.get('[data-testid=configure-gitlab]').trigger('click');
    await flushPromises();
    await w.get('[data-testid=tracker-secret]').setValue('secret-0123456789abcdef');
    await w.get('[data-testid=tracker-clients]').setValue('group/app = quill\n\n');
    await w.get('[data-testid=tracker-form]').trigger('submit');
    await flushPromises();
    const put = fetch.mock.calls.find(([, init]) => init?.method === 'PUT')!;
    expect(put[0]).toContain('/api/intake/sources/gitlab');
    expect(JSON.parse(put[1]!.body as string)).toEqual({ secret: 'secret-0123456789abcdef', clients: { 'group/app': 'quill' }, priorities: {}, defaultPriority: 3, emergencyLabel: null, skillLabels: {}, estimateField: null });
    expect(w.get('[data-testid=tracker-gitlab]').text()).toContain('group/app → quill');
    expect(w.text()).not.toContain('secret-0123456789abcdef');
    w.unmount();
  });
});
