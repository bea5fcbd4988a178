// @vitest-environment happy-dom
/**
 * The manager's data layer against a real socket.io server speaking the shared event maps and a
 * stubbed HTTP server: the summary feed (no whole plan, ETag / 304 keeps the object shown), views
 * read again only when a move touches them, never older than the news, news mid-fetch not lost,
 * and the ticket queue a page at a time (the first from the summary), in a mounted page too.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flushPromises, mount } from '@vue/test-utils';
import { Server } from 'socket.io';
import { defineComponent, h, ref } from 'vue';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientDetail, QueueRow } from '../../shared/api/index.ts';
import type { ClientToServerEvents, PlanChangesPayload, ServerToClientEvents } from '../../shared/socket-events.ts';
import { startLive, stopLive } from '../../client/src/api/live.ts';
import { loadCell, useCellTickets, useClientDetail, useQueue, type QueueFilters } from '../../client/src/composables/use-plan-pages.ts';
import { onPlanMoved, refreshPlan, startPlanFeed, stopPlanFeed, usePlan, type PlanMove } from '../../client/src/composables/use-plan.ts';
import ManagerTickets from '../../client/src/views/manager/ManagerTickets.vue';
import { clientPlan, planSummary, queueRow } from './fixtures.ts';

let io: Server<ClientToServerEvents, ServerToClientEvents>;
let url = '';
let syncs = 0;

/** The plan the stub serves: its version and queue; what each route was asked. */
const server = {
  version: 3,
  queue: [] as QueueRow[],
  /** Answers of GET /api/plans/current/clients/:id wait for this while set. */
  hold: null as Promise<void> | null,
  /** The next client-detail answers come from this (older) version instead. */
  lagging: [] as number[],
  asked: [] as { path: string; query: URLSearchParams; etag: string | null }[],
};
const asked = (path: string) => server.asked.filter((a) => a.path === path);

function json(body: unknown, etag?: string): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...(etag ? { etag } : {}) } });
}

async function route(input: string, init: RequestInit = {}): Promise<Response> {
  const u = new URL(input, 'http://dash.test');
  const headers = new Headers(init.headers);
  server.asked.push({ path: u.pathname, query: u.searchParams, etag: headers.get('if-none-match') });
  const v = server.version;
  if (u.pathname === '/api/plans/current/summary') {
    const etag = `W/"summary-${v}"`;
    if (headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
    return json(planSummary({ version: v }, server.queue), etag);
  }
  if (u.pathname === '/api/plans/current/tickets') {
    const q = u.searchParams;
    const rows = server.queue.filter((r) => (!q.get('status') || r.status === q.get('status')) && (!q.get('client') || r.client === q.get('client')));
    const from = Number(q.get('cursor') ?? 0);
    const limit = Number(q.get('limit') ?? 100);
    const items = rows.slice(from, from + limit);
    return json({ items, total: rows.length, nextCursor: from + limit < rows.length ? String(from + limit) : null, version: v });
  }
  if (u.pathname.startsWith('/api/plans/current/clients/')) {
    // Read at the version in force when asked, however long the answer takes.
    const version = server.lagging.shift() ?? server.version;
    if (server.hold) await server.hold;
    const id = decodeURIComponent(u.pathname.split('/').pop()!);
    const detail: ClientDetail = { version, quarter: planSummary().quarter, client: clientPlan({ id, name: id === 'acme' ? 'Acme Ltd' : id }), tickets: [queueRow('T-2'), queueRow('T-3', { staff: ['bo'] })], unplanned: [], allocations: [{ week: 2, staff: 'al', client: id, ticket: 'T-2', hours: 10, level: 2 }] };
    return json(detail);
  }
  if (u.pathname === '/api/plans/current/allocations') {
    return json({ items: [{ week: 3, staff: 'bo', client: 'bolt', ticket: 'T-1', hours: 20, level: 4 }], total: 1, nextCursor: null, version: v });
  }
  if (u.pathname === '/api/pins') return json([]);
  return new Response(JSON.stringify({ error: { code: 'not_found', message: `No route ${u.pathname}`, details: null } }), { status: 404 });
}

/** The server commits `version` and says what moved (`previous`: the version before, by default the one before it). */
function publish(version: number, changes: Partial<PlanChangesPayload>, previous = version - 1) {
  server.version = version;
  io.emit('plan.updated', { quarterId: '2026-Q4', version, previousVersion: previous, at: new Date().toISOString(), changes: { clients: [], tickets: [], staff: [], ...changes } });
}

const moves: PlanMove[] = [];

beforeAll(async () => {
  const http = createServer();
  io = new Server(http, { path: '/socket.io' });
  io.on('connection', (socket) => {
    socket.on('sync', (_req, ack) => {
      syncs++;
      ack({ ok: true, current: { quarterId: '2026-Q4', version: server.version }, stale: false });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  vi.stubGlobal('fetch', vi.fn(route));
  onPlanMoved((m) => moves.push(m));
});

afterAll(async () => {
  stopPlanFeed();
  stopLive();
  vi.unstubAllGlobals();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

beforeEach(() => {
  server.asked = [];
  moves.length = 0;
});

describe("the manager's feed", () => {
  it('reads the summary, never the whole plan nor a sync, and calls it current once live', async () => {
    server.queue = [queueRow('T-1'), queueRow('T-2')];
    startLive(url);
    startPlanFeed('summary');
    const { summary, plan, current, version } = usePlan();
    await vi.waitFor(() => expect(current.value).toBe(true), { timeout: 5000 });
    expect(summary.value?.version).toBe(3);
    expect(version.value).toBe(3);
    expect(plan.value).toBeNull();
    expect(asked('/api/plans/current')).toEqual([]);
    expect(syncs).toBe(0);
  });

  it('asks again with the ETag it was given; a 304 keeps the very object shown', async () => {
    const { summary } = usePlan();
    const before = summary.value;
    await refreshPlan();
    expect(asked('/api/plans/current/summary').at(-1)?.etag).toBe('W/"summary-3"');
    expect(summary.value).toBe(before);
  });
});

describe('views read again only when a move touches them', () => {
  function mountDetail(id = 'acme') {
    let detail!: ReturnType<typeof useClientDetail>;
    const w = mount(defineComponent({ setup: () => ((detail = useClientDetail(() => id)), () => h('div')) }));
    return { w, detail: () => detail };
  }

  it("reads a client's detail on demand and leaves it when only others moved", async () => {
    const { w, detail } = mountDetail();
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(3));
    expect(asked('/api/plans/current/clients/acme')).toHaveLength(1);

    publish(4, { clients: ['bolt'], tickets: ['T-1'], staff: ['bo'] });
    await vi.waitFor(() => expect(usePlan().version.value).toBe(4));
    await flushPromises();
    expect(moves.map((m) => [m.version, m.changes?.clients])).toEqual([[4, ['bolt']]]);
    expect(asked('/api/plans/current/clients/acme')).toHaveLength(1);
    expect(detail().data.value?.version).toBe(3);

    // Its own ticket moved, or a person on its tickets: read again, at that version.
    publish(5, { tickets: ['T-3'] });
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(5));
    publish(6, { staff: ['al'] });
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(6));
    expect(asked('/api/plans/current/clients/acme')).toHaveLength(3);
    w.unmount();
  });

  it('never loses news that arrives mid-fetch, and never keeps an answer older than the news', async () => {
    const { w, detail } = mountDetail();
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(6));
    let release!: () => void;
    server.hold = new Promise<void>((resolve) => (release = resolve));
    publish(7, { clients: ['acme'] });
    await vi.waitFor(() => expect(asked('/api/plans/current/clients/acme')).toHaveLength(2));
    // While that read waits, the plan moves on again and touches the client: it is read once more.
    publish(8, { clients: ['acme'] });
    await new Promise((r) => setTimeout(r, 50));
    server.hold = null;
    release();
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(8));
    expect(asked('/api/plans/current/clients/acme')).toHaveLength(3);

    // An instance a moment behind answers the version before the news: asked again shortly.
    server.lagging = [8];
    publish(9, { tickets: ['T-2'] });
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(9), { timeout: 3000 });
    expect(asked('/api/plans/current/clients/acme')).toHaveLength(5);
    w.unmount();
  });

  it('after a gap in the news (a lost event, a reconnect) reads again whatever it shows', async () => {
    const { w, detail } = mountDetail();
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(9));
    publish(11, { clients: ['bolt'] }, 10);
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(11));
    expect(moves.at(-1)).toEqual({ quarterId: '2026-Q4', version: 11, changes: null });
    w.unmount();
  });

  it('reads a record shown again once its re-plan finished without moving the plan', async () => {
    const { w, detail } = mountDetail();
    await vi.waitFor(() => expect(detail().data.value?.version).toBe(11));
    const reads = () => asked('/api/plans/current/clients/acme').length;
    const before = reads();
    // Another client's ticket: nothing to read.
    io.emit('ticket.changed', { quarterId: '2026-Q4', ticketId: 'T-77', clientId: 'zed', action: 'updated' });
    io.emit('replan.finished', { quarterId: '2026-Q4', jobId: 'j1', version: 11, solveMs: 3 });
    await new Promise((r) => setTimeout(r, 100));
    expect(reads()).toBe(before);
    // One of its own: read again when the re-plan is done (the version's data revision moved on).
    io.emit('ticket.changed', { quarterId: '2026-Q4', ticketId: 'T-3', clientId: 'acme', action: 'updated' });
    await new Promise((r) => setTimeout(r, 100));
    expect(reads()).toBe(before);
    io.emit('replan.finished', { quarterId: '2026-Q4', jobId: 'j2', version: 11, solveMs: 3 });
    await vi.waitFor(() => expect(reads()).toBe(before + 1));
    w.unmount();
  });

  it("reads a person-week's tickets for the pin form once, and again after that person moved", async () => {
    const cell = useCellTickets();
    expect(cell('bo', 3)).toEqual([]);
    await loadCell('bo', 3);
    expect(cell('bo', 3)).toEqual([{ ticket: 'T-1', client: 'bolt', hours: 20, pinnedHours: 0 }]);
    const reads = () => asked('/api/plans/current/allocations').length;
    expect(reads()).toBe(1);
    expect(asked('/api/plans/current/allocations')[0]!.query.get('staff')).toBe('bo');
    publish(12, { staff: ['al'] });
    await vi.waitFor(() => expect(usePlan().version.value).toBe(12));
    await loadCell('bo', 3);
    expect(reads()).toBe(1);
    publish(13, { staff: ['bo'] });
    await vi.waitFor(() => expect(usePlan().version.value).toBe(13));
    await loadCell('bo', 3);
    expect(reads()).toBe(2);
  });
});

describe('the ticket queue, a page at a time', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => queueRow(`T-${i + 1}`, { status: i >= n - 20 ? 'closed' : 'open' }));

  function mountQueue(filters: QueueFilters) {
    const f = ref(filters);
    let q!: ReturnType<typeof useQueue>;
    const w = mount(defineComponent({ setup: () => ((q = useQueue(() => f.value)), () => h('div')) }));
    return { w, q: () => q, f };
  }

  async function reachSummary(queue: QueueRow[]) {
    server.queue = queue;
    const v = server.version + 1;
    publish(v, { clients: ['acme'] });
    await vi.waitFor(() => expect(usePlan().summary.value?.version).toBe(v));
    server.asked = [];
  }

  it('begins with the summary’s first page (no request), then reads on by cursor; a move reads the rows shown in one request', async () => {
    await reachSummary(rows(330));
    const { w, q } = mountQueue({});
    expect(q().rows.value).toHaveLength(100);
    expect(q().total.value).toBe(330);
    expect(q().hasMore.value).toBe(true);
    await flushPromises();
    expect(asked('/api/plans/current/tickets')).toEqual([]);

    await q().more();
    expect(q().rows.value.map((r) => r.id).slice(98, 102)).toEqual(['T-99', 'T-100', 'T-101', 'T-102']);
    await q().more();
    expect(q().rows.value).toHaveLength(300);
    const reads = asked('/api/plans/current/tickets').map((a) => [a.query.get('cursor'), a.query.get('limit')]);
    expect(reads).toEqual([
      [null, '200'],
      ['200', '100'],
    ]);

    // Client figures alone move no row; a ticket that moved may sort into the rows shown.
    server.asked = [];
    publish(server.version + 1, { clients: ['bolt'] });
    await vi.waitFor(() => expect(usePlan().summary.value?.version).toBe(server.version));
    await flushPromises();
    expect(asked('/api/plans/current/tickets')).toEqual([]);
    publish(server.version + 1, { tickets: ['T-250'] });
    await vi.waitFor(() => expect(q().data.value?.version).toBe(server.version));
    expect(asked('/api/plans/current/tickets').map((a) => [a.query.get('cursor'), a.query.get('limit')])).toEqual([[null, '300']]);
    expect(q().rows.value).toHaveLength(300);
    w.unmount();
  });

  it('filters open tickets from the summary, reads other filters itself', async () => {
    await reachSummary(rows(60));
    const { w, q, f } = mountQueue({ status: 'open' });
    expect(q().rows.value).toHaveLength(40);
    expect(q().total.value).toBe(40);
    expect(q().hasMore.value).toBe(false);
    f.value = { status: 'closed' };
    await vi.waitFor(() => expect(q().rows.value).toHaveLength(20));
    expect(asked('/api/plans/current/tickets').map((a) => a.query.get('status'))).toEqual(['closed']);
    expect(q().rows.value.every((r) => r.status === 'closed')).toBe(true);
    w.unmount();
  });

  it('in the page: the summary’s rows at once, more by a button that keeps the focus, nothing else read', async () => {
    await reachSummary(rows(250).map((r) => ({ ...r, status: 'open' as const })));
    const w = mount(ManagerTickets, { attachTo: document.body });
    await flushPromises();
    const shown = () => w.findAll('[data-testid="ticket-queue"] tbody tr').length;
    expect(shown()).toBe(100);
    expect(w.find('[data-testid="queue-count"]').text()).toBe('Showing the first 100 of 250 tickets.');
    const more = w.find('[data-testid="queue-more"]');
    expect(more.text()).toBe('Show 100 more');
    (more.element as HTMLButtonElement).focus();
    await more.trigger('click');
    await vi.waitFor(() => expect(shown()).toBe(200));
    await flushPromises();
    expect(w.find('[data-testid="queue-count"]').text()).toBe('Showing the first 200 of 250 tickets.');
    expect(document.activeElement).toBe(more.element);
    expect(more.text()).toBe('Show 50 more');
    await more.trigger('click');
    await vi.waitFor(() => expect(shown()).toBe(250));
    expect(w.find('[data-testid="queue-count"]').text()).toBe('All 250 tickets shown.');
    expect(w.find('[data-testid="queue-more"]').exists()).toBe(false);
    // Nothing of the whole plan nor of the ticket records was read for the page.
    const paths = new Set(server.asked.map((a) => a.path));
    expect([...paths].filter((p) => p === '/api/plans/current' || p.startsWith('/api/tickets'))).toEqual([]);
    w.unmount();
  });
});
