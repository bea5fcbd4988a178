// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptPlan, acceptSummary, refreshPlan, startPlanFeed, stopPlanFeed, usePlan, waitForPlanAfter } from '../../client/src/composables/use-plan.ts';
import { relativeTime } from '../../client/src/composables/use-live-status.ts';
import { planSummary, planView } from './fixtures.ts';

function serve(body: unknown, status = 200) {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

beforeEach(() => stopPlanFeed());
afterEach(() => vi.unstubAllGlobals());

describe('plan store', () => {
  it('never replaces a plan with an older version of the same quarter', () => {
    const { plan, status } = usePlan();
    expect(acceptPlan(planView({ version: 5 }))).toBe(true);
    expect(acceptPlan(planView({ version: 4 }))).toBe(false);
    expect(plan.value?.version).toBe(5);
    expect(acceptPlan(planView({ version: 6 }))).toBe(true);
    expect(plan.value?.version).toBe(6);
    expect(status.value).toBe('ready');
  });

  it('loads the current plan over HTTP while the socket is not live, and does not call it current', async () => {
    const fetch = serve(planView({ version: 9 }));
    await refreshPlan();
    const { plan, current } = usePlan();
    expect(fetch).toHaveBeenCalledWith('/api/plans/current', expect.objectContaining({ method: 'GET', credentials: 'same-origin' }));
    expect(plan.value?.version).toBe(9);
    expect(current.value).toBe(false);
  });

  it('asks for the same quarter once it shows one', async () => {
    acceptPlan(planView({ version: 2 }));
    const fetch = serve(planView({ version: 3 }));
    await refreshPlan();
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('/api/plans/current?quarter=2026-Q4');
  });

  it('says when there is no quarter yet, so the page can say what to add', async () => {
    serve({ error: { code: 'not_found', message: 'Quarter not found.', details: null } }, 404);
    await refreshPlan();
    expect(usePlan().status.value).toBe('empty');
  });

  it('resolves a waiter with the first newer plan', async () => {
    acceptPlan(planView({ version: 3 }));
    const waiting = waitForPlanAfter(3, 1000);
    acceptPlan(planView({ version: 4 }));
    expect((await waiting)?.version).toBe(4);
    expect(await waitForPlanAfter(10, 20)).toBeNull();
  });
});

describe("the manager's feed", () => {
  it('holds the summary, not the plan: never replaced by an older one, the head the same for every screen', async () => {
    const fetch = serve(planSummary({ version: 7 }));
    startPlanFeed('summary');
    const { plan, summary, version, quarter, head } = usePlan();
    await vi.waitFor(() => expect(summary.value?.version).toBe(7));
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('/api/plans/current/summary');
    expect(plan.value).toBeNull();
    expect([version.value, quarter.value?.id, head.value?.clients.map((c) => c.id)]).toEqual([7, '2026-Q4', ['acme', 'bolt']]);
    expect(acceptSummary(planSummary({ version: 6 }))).toBe(false);
    expect(summary.value?.version).toBe(7);
    const waiting = waitForPlanAfter(7, 1000);
    expect(acceptSummary(planSummary({ version: 8 }))).toBe(true);
    expect((await waiting)?.version).toBe(8);
    stopPlanFeed();
    expect([summary.value, usePlan().mode.value]).toEqual([null, 'plan']);
  });
});

describe('relative time', () => {
  it('says how long ago the plan changed', () => {
    const now = Date.parse('2026-10-12T10:00:00Z');
    expect(relativeTime('2026-10-12T09:59:40Z', now)).toBe('just now');
    expect(relativeTime('2026-10-12T09:55:00Z', now)).toBe('5 min ago');
    expect(relativeTime('2026-10-12T07:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime(null, now)).toBe('');
  });
});
