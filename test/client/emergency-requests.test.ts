// @vitest-environment happy-dom
/**
 * A tracker's request for an emergency in the manager's queue (issue 13): the row's badge, the
 * count above the queue, the filter in the address (`?requested=1`, the server's `requested=true`),
 * Confirm (the declare-emergency dialog on that ticket, PATCH emergency:true) and Dismiss (after a
 * confirmation, PATCH emergencyRequested:false with the version read; a 409 says to reload).
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TicketPatch } from '../../shared/api/index.ts';
import TicketTable from '../../client/src/components/TicketTable.vue';
import { rowsFromPages } from '../../client/src/composables/ticket-queue.ts';
import { acceptSummary, stopPlanFeed, usePlan } from '../../client/src/composables/use-plan.ts';
import ManagerTickets from '../../client/src/views/manager/ManagerTickets.vue';
import { planSummary, queueRow, ticketRecord } from './fixtures.ts';
import { stubServer } from './stub-server.ts';

const queue = () => [
  queueRow('T-1', { title: 'Checkout is down', emergencyRequested: true, priority: 1 }),
  queueRow('T-2', { title: 'Login slow', emergencyRequested: true, priority: 2 }),
  queueRow('T-3', { title: 'Newsletter' }),
];

beforeEach(() => stopPlanFeed());
afterEach(() => vi.unstubAllGlobals());

async function mountPage(path = '/manager/tickets') {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/manager/tickets', name: 'manager-tickets', component: ManagerTickets }] });
  await router.push(path);
  await router.isReady();
  acceptSummary(planSummary({}, queue()));
  usePlan().mode.value = 'summary';
  const w = mount({ template: '<RouterView />' }, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return { w, router };
}

describe('the emergency request in the queue', () => {
  it('marks a requested open ticket, and neither an emergency nor a closed one', () => {
    const rows = rowsFromPages([queueRow('T-1', { emergencyRequested: true }), queueRow('T-2', { emergencyRequested: true, emergency: true }), queueRow('T-3', { emergencyRequested: true, status: 'closed' }), queueRow('T-4')]);
    expect(rows.map((r) => r.emergencyRequested)).toEqual([true, true, true, false]);
    const w = mount(TicketTable, { props: { rows, quarter: planSummary().quarter } });
    expect(w.findAll('[data-testid^="requested-"]').map((b) => b.attributes('data-testid'))).toEqual(['requested-T-1']);
    expect(w.get('[data-testid="requested-T-1"]').text()).toBe('Emergency requested');
  });

  it('counts the requests above the queue; Review filters the queue by the address and the server', async () => {
    const calls = stubServer({
      'GET /api/plans/current/tickets': (_b, url) => {
        const only = url.searchParams.get('requested') === 'true';
        const items = queue().filter((r) => !only || r.emergencyRequested);
        return [200, { items, total: items.length, nextCursor: null, version: planSummary().version }];
      },
    });
    const { w, router } = await mountPage();
    const banner = w.get('[data-testid="emergency-requests"]');
    expect(banner.text()).toContain('2 emergencies requested');
    expect(w.findAll('[data-testid="ticket-queue"] tbody tr')).toHaveLength(3);
    await w.get('[data-testid="review-requests"]').trigger('click');
    await flushPromises();
    await vi.waitFor(() => expect(router.currentRoute.value.query).toMatchObject({ requested: '1' }));
    await vi.waitFor(() => expect(w.findAll('[data-testid="ticket-queue"] tbody tr').map((r) => r.attributes('data-ticket'))).toEqual(['T-1', 'T-2']));
    expect(calls.some((c) => c.startsWith('GET /api/plans/current/tickets?') && c.includes('requested=true'))).toBe(true);
    expect((w.get('[data-testid="filter-requested"]').element as HTMLInputElement).checked).toBe(true);
    // Each request has its two answers, and no plain "declare" next to them.
    expect(w.find('[data-testid="confirm-request-T-1"]').exists()).toBe(true);
    expect(w.find('[data-testid="dismiss-request-T-1"]').exists()).toBe(true);
    expect(w.find('[data-testid="declare-T-1"]').exists()).toBe(false);
    await w.get('[data-testid="all-tickets"]').trigger('click');
    await vi.waitFor(() => expect(router.currentRoute.value.query.requested).toBeUndefined());
    w.unmount();
  });

  it('opens the filtered queue from its address', async () => {
    const calls = stubServer({ 'GET /api/plans/current/tickets': () => [200, { items: queue().slice(0, 2), total: 2, nextCursor: null, version: planSummary().version }] });
    const { w } = await mountPage('/manager/tickets?requested=1');
    await vi.waitFor(() => expect(w.findAll('[data-testid="ticket-queue"] tbody tr')).toHaveLength(2));
    expect(calls.filter((c) => c.includes('requested=true'))).not.toHaveLength(0);
    w.unmount();
  });

  it('dismisses a request after a confirmation, with the version read', async () => {
    const patches: TicketPatch[] = [];
    stubServer({
      'GET /api/tickets/T-2': () => [200, ticketRecord('T-2', { emergencyRequested: true, version: 7 })],
      'PATCH /api/tickets/T-2': (body) => (patches.push(body as TicketPatch), [200, ticketRecord('T-2', { version: 8 })]),
    });
    const { w } = await mountPage();
    await w.get('[data-testid="dismiss-request-T-2"]').trigger('click');
    await flushPromises();
    const dialog = w.get('dialog[open]');
    expect(dialog.text()).toContain('Dismiss the emergency request on T-2');
    expect(dialog.text()).toContain('stays in the queue at its own priority (High)');
    await dialog.get('[data-testid="dismiss-confirm"]').trigger('click');
    await flushPromises();
    expect(patches).toEqual([{ version: 7, emergencyRequested: false }]);
    expect(w.get('[data-testid="tickets-notice"]').text()).toContain('The emergency request on T-2 is dismissed');
    w.unmount();
  });

  it('says what to do when the ticket changed meanwhile (409) or the request was answered', async () => {
    let answered = false;
    stubServer({
      'GET /api/tickets/T-1': () => [200, ticketRecord('T-1', { emergencyRequested: !answered, emergency: answered, version: 3 })],
      'PATCH /api/tickets/T-1': () => [409, { error: { code: 'conflict', message: 'Someone else changed this record since you read it. Reload it and apply your change again.', details: null } }],
    });
    const { w } = await mountPage();
    await w.get('[data-testid="dismiss-request-T-1"]').trigger('click');
    await flushPromises();
    await w.get('[data-testid="dismiss-confirm"]').trigger('click');
    await flushPromises();
    expect(w.get('dialog[open] [role="alert"]').text()).toBe('The request could not be dismissed: Someone else changed this record since you read it. Reload it and apply your change again.');
    answered = true;
    await w.get('[data-testid="dismiss-confirm"]').trigger('click');
    await flushPromises();
    expect(w.get('dialog[open] [role="alert"]').text()).toContain('T-1 was declared an emergency meanwhile; reload the queue to see it.');
    w.unmount();
  });

  it('confirms a request through the declare-emergency dialog, on that ticket', async () => {
    const patches: TicketPatch[] = [];
    stubServer({
      'POST /api/what-if': () => [503, { error: { code: 'unavailable', message: 'The planner is busy.', details: null } }],
      'GET /api/tickets/T-1': () => [200, ticketRecord('T-1', { emergencyRequested: true, version: 4 })],
      'PATCH /api/tickets/T-1': (body) => (patches.push(body as TicketPatch), [200, ticketRecord('T-1', { emergency: true, version: 5 })]),
    });
    const { w } = await mountPage();
    await w.get('[data-testid="confirm-request-T-1"]').trigger('click');
    await flushPromises();
    const dialog = w.get('dialog[open]');
    expect(dialog.text()).toContain('Declare an emergency');
    expect((dialog.get('[data-testid="emergency-ticket"]').element as HTMLSelectElement).value).toBe('T-1');
    // The what-if question first (the planner could not answer here), then the write.
    await dialog.get('form').trigger('submit');
    await flushPromises();
    await dialog.get('form').trigger('submit');
    await vi.waitFor(() => expect(patches).toEqual([{ version: 4, emergency: true }]));
    w.unmount();
  });
});
