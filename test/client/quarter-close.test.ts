// @vitest-environment happy-dom
/**
 * The Quarter page's composables: the close preview as rows, totals and sentences (ready, plan
 * not current, no plan, closed), the quarter's state, the confirm's lines, the close's result and
 * errors; useQuarterClose against a stubbed server (which quarter it shows, the close, its errors);
 * and the plan feed moving to the next quarter after a close, over a real socket.io server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { effectScope } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../client/src/api/http.ts';
import { startLive, stopLive } from '../../client/src/api/live.ts';
import { closeErrorText, closeResultLines, closeView, confirmLines, nextQuarterId, quarterState } from '../../client/src/composables/quarter-close.ts';
import { acceptSummary, startPlanFeed, stopPlanFeed, usePlan } from '../../client/src/composables/use-plan.ts';
import { pickQuarter, useQuarterClose } from '../../client/src/composables/use-quarter-close.ts';
import type { QuarterClosePreview, QuarterCloseResult, QuarterRecord } from '../../shared/api/index.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket-events.ts';
import { planSummary, planView } from './fixtures.ts';
import { flush, stubServer } from './stub-server.ts';

function quarter(over: Partial<QuarterRecord> = {}): QuarterRecord {
  return { id: '2026-Q4', weeks: 13, currentWeek: 9, startDate: '2026-09-28', autoAdvance: true, policy: {}, closed: false, closedAt: null, currentPlanVersion: 4, dataRevision: 7, version: 2, ...over };
}

function preview(over: Partial<QuarterClosePreview> = {}): QuarterClosePreview {
  return {
    quarter: quarter(),
    planVersion: 4,
    upToDate: true,
    clients: [
      { client: 'lumen', name: 'Lumen Studio', rolloverHours: 12, expiredHours: 11.5 },
      { client: 'atlas', name: 'Atlas Freight', rolloverHours: 0, expiredHours: 5.25 },
      { client: 'harbor', name: 'Harbor Dental', rolloverHours: 0.25, expiredHours: 0 },
    ],
    overage: [
      { client: 'harbor', name: 'Harbor Dental', hours: 8.5 },
      { client: 'dyno', name: 'Dyno Labs', hours: 3.75 },
    ],
    carriedTickets: ['T-1', 'T-2', 'T-3'],
    nextQuarter: null,
    ...over,
  };
}

describe('the close preview as the page shows it', () => {
  it('has a row per client, prepaid figures and overage together, with exact totals', () => {
    const v = closeView(preview());
    expect(v.state).toBe('ready');
    expect(v.blocked).toBeNull();
    expect(v.rows).toEqual([
      { client: 'atlas', name: 'Atlas Freight', rollover: 0, expiring: 5.25, overage: 0 },
      { client: 'dyno', name: 'Dyno Labs', rollover: null, expiring: null, overage: 3.75 },
      { client: 'harbor', name: 'Harbor Dental', rollover: 0.25, expiring: 0, overage: 8.5 },
      { client: 'lumen', name: 'Lumen Studio', rollover: 12, expiring: 11.5, overage: 0 },
    ]);
    expect(v.totals).toEqual({ rollover: 12.25, expiring: 16.75, overage: 12.25 });
    expect(v.carried).toBe(3);
    expect(v.sentences).toEqual([
      '12.25 h roll over into the next quarter as credit: Lumen Studio 12 h, Harbor Dental 0.25 h.',
      '16.75 h expire unused: Lumen Studio 11.5 h, Atlas Freight 5.25 h.',
      '12.25 h of overage to bill: Harbor Dental 8.5 h, Dyno Labs 3.75 h.',
      '3 open tickets move on to the next quarter.',
    ]);
  });

  it('says to wait for the re-plan while the plan is not current, and when there is no plan', () => {
    const stale = closeView(preview({ upToDate: false }));
    expect(stale.state).toBe('stale');
    expect(stale.blocked).toMatch(/^Plan not current yet — wait for the re-plan\./);
    const none = closeView(preview({ planVersion: null, upToDate: false, clients: [], overage: [] }));
    expect(none.state).toBe('no-plan');
    expect(none.blocked).toContain('has no plan yet');
    expect(none.totals).toEqual({ rollover: 0, expiring: 0, overage: 0 });
    expect(none.sentences.slice(0, 3)).toEqual(['No hours roll over: the company owes no prepaid client work it did not do.', 'No prepaid hours expire.', 'No overage to bill.']);
  });

  it('reads a closed quarter as what its close did, into the quarter it closed into', () => {
    const v = closeView(preview({ quarter: quarter({ closed: true, closedAt: '2026-12-02T12:00:00.000Z' }), carriedTickets: null, nextQuarter: '2027-Q1' }));
    expect([v.state, v.closedInto, v.carried]).toEqual(['closed', '2027-Q1', null]);
    expect(v.blocked).toContain('closed already');
    expect(v.sentences).toEqual([
      '12.25 h rolled over into 2027-Q1 as credit: Lumen Studio 12 h, Harbor Dental 0.25 h.',
      '16.75 h expired unused: Lumen Studio 11.5 h, Atlas Freight 5.25 h.',
      '12.25 h of overage to bill: Harbor Dental 8.5 h, Dyno Labs 3.75 h.',
    ]);
  });

  it("words the quarter's state: dates, open or closed, where it is", () => {
    expect(quarterState(quarter())).toEqual({ id: '2026-Q4', closed: false, status: 'Open', dates: '28 Sept 2026 – 27 Dec 2026 (13 weeks)', position: 'week of 30 Nov, the 10th of 13' });
    expect(quarterState(quarter({ closed: true, closedAt: '2026-12-02T12:00:00.000Z' }))).toMatchObject({ status: 'Closed', position: 'closed on 2 Dec 2026, in its 10th week of 13' });
    expect(quarterState(quarter({ startDate: null, weeks: 1, currentWeek: 0 }))).toMatchObject({ dates: '1 week', position: 'the 1st week of 1' });
  });

  it('proposes the next quarter id', () => {
    expect([nextQuarterId('2026-Q4'), nextQuarterId('2026-Q2'), nextQuarterId(' 2027-q1 '), nextQuarterId('autumn')]).toEqual(['2027-Q1', '2026-Q3', '2027-Q2', '']);
  });

  it('names what the close will do in the confirm, and what it did after', () => {
    expect(confirmLines(closeView(preview()), '2027-Q1')).toEqual([
      '12.25 h roll over into 2027-Q1 as credit: Lumen Studio 12 h, Harbor Dental 0.25 h.',
      '16.75 h expire for good: Lumen Studio 11.5 h, Atlas Freight 5.25 h.',
      '12.25 h of overage is to bill: Harbor Dental 8.5 h, Dyno Labs 3.75 h.',
      '3 open tickets move on to 2027-Q1, with the hours logged on them so far.',
      '2026-Q4 becomes read-only, and the dashboards move to 2027-Q1 once it is planned. This cannot be undone.',
    ]);
    const result: QuarterCloseResult = {
      quarter: quarter({ closed: true }),
      nextQuarter: quarter({ id: '2027-Q1', currentWeek: 0 }),
      planVersion: 4,
      clients: [
        { client: 'lumen', rolloverHours: 12, expiredHours: 11.5 },
        { client: 'atlas', rolloverHours: 0, expiredHours: 5.25 },
      ],
      carriedTickets: ['T-1'],
    };
    expect(closeResultLines(result, new Map([['lumen', 'Lumen Studio']]))).toEqual([
      'Quarter 2026-Q4 is closed, on plan v4. 2027-Q1 is open.',
      '12 h rolled over into 2027-Q1 as credit: Lumen Studio 12 h.',
      '16.75 h expired.',
      '1 open ticket moved on to 2027-Q1.',
    ]);
  });

  it('words a failed close with what to do next', () => {
    const stale = new ApiError(409, 'conflict', 'The plan of quarter 2026-Q4 does not include the latest changes yet: the quarter is being re-planned, try again in a moment.');
    expect(closeErrorText(stale, '2026-Q4')).toMatch(/^Nothing was closed: .*Wait for the re-plan/);
    expect(closeErrorText(new ApiError(409, 'conflict', 'Quarter 2026-Q4 was already closed on 2026-12-02.'), '2026-Q4')).toContain('already closed');
    const bad = new ApiError(400, 'validation_failed', 'Invalid', [{ field: 'nextQuarter.id', message: 'quarter 2026-Q3 is closed too: name a quarter still to come' }]);
    expect(closeErrorText(bad, '2026-Q4')).toBe('Nothing was closed: next quarter quarter 2026-Q3 is closed too: name a quarter still to come. Correct it and close again.');
    expect(closeErrorText(new ApiError(0, 'network', 'Cannot reach the server.'), '2026-Q4')).toContain('Reload this page to see whether 2026-Q4 closed');
    expect(closeErrorText(new ApiError(500, 'internal', 'Boom.'), '2026-Q4')).toMatch(/^Nothing was closed: Boom\. Try again/);
  });
});

describe('useQuarterClose', () => {
  beforeEach(() => stopPlanFeed());
  afterEach(() => vi.unstubAllGlobals());

  it('opens on the quarter asked for, else the one the dashboards show, else the latest open one', () => {
    const qs = [quarter({ id: '2026-Q3', closed: true }), quarter(), quarter({ id: '2027-Q1' })];
    expect(pickQuarter(qs, '2026-Q3', '2026-Q4')).toBe('2026-Q3');
    expect(pickQuarter(qs, 'nope', '2026-Q4')).toBe('2026-Q4');
    expect(pickQuarter(qs, null, null)).toBe('2027-Q1');
    expect(pickQuarter([quarter({ closed: true })], null, null)).toBe('2026-Q4');
    expect(pickQuarter([], null, null)).toBeNull();
  });

  it('reads the preview, closes into the next quarter, then the plan feed asks for the current quarter', async () => {
    let closed = false;
    const calls = stubServer({
      'GET /api/quarters': () => [200, closed ? [quarter({ closed: true }), quarter({ id: '2027-Q1', currentWeek: 0 })] : [quarter()]],
      'GET /api/quarters/2026-Q4/close-preview': () => [200, closed ? preview({ quarter: quarter({ closed: true }), carriedTickets: null, nextQuarter: '2027-Q1' }) : preview()],
      'POST /api/quarters/2026-Q4/close': (body) => {
        expect(body).toEqual({ nextQuarter: { id: '2027-Q1' } });
        closed = true;
        return [200, { quarter: quarter({ closed: true }), nextQuarter: quarter({ id: '2027-Q1', currentWeek: 0 }), planVersion: 4, clients: [], carriedTickets: ['T-1', 'T-2', 'T-3'] }];
      },
      'GET /api/plans/current/summary': () => [200, planSummary({ version: 9, quarter: { id: '2027-Q1', weeks: 13, currentWeek: 0, startDate: '2026-12-28' } })],
    });
    acceptSummary(planSummary({ version: 4 }));
    usePlan().mode.value = 'summary';
    const scope = effectScope();
    const qc = scope.run(() => useQuarterClose(() => null, () => usePlan().quarter.value?.id ?? null))!;
    await flush();
    expect(qc.selected.value).toBe('2026-Q4');
    expect(qc.view.value?.totals).toEqual({ rollover: 12.25, expiring: 16.75, overage: 12.25 });
    qc.prepare();
    expect(qc.nextId.value).toBe('2027-Q1');
    expect(await qc.close()).toBe(true);
    await flush();
    expect(qc.result.value?.nextQuarter.id).toBe('2027-Q1');
    expect(qc.view.value?.state).toBe('closed');
    // The feed asked for the current quarter (not the one it showed) and moved to it.
    expect(calls).toContain('GET /api/plans/current/summary');
    await vi.waitFor(() => expect(usePlan().quarter.value?.id).toBe('2027-Q1'));
    scope.stop();
  });

  it('keeps a refused close open with its reason worded, the field named next to its input', async () => {
    stubServer({
      'GET /api/quarters': () => [200, [quarter()]],
      'GET /api/quarters/2026-Q4/close-preview': () => [200, preview()],
      'POST /api/quarters/2026-Q4/close': () => [400, { error: { code: 'validation_failed', message: 'Invalid', details: [{ field: 'nextQuarter.id', message: 'must be another quarter than the one being closed' }] } }],
    });
    const scope = effectScope();
    const qc = scope.run(() => useQuarterClose(() => '2026-Q4', () => null))!;
    await flush();
    qc.nextId.value = '2026-Q4';
    expect(await qc.close()).toBe(false);
    expect(qc.closeError.value).toEqual({ text: expect.stringContaining('Correct it and close again'), field: 'must be another quarter than the one being closed' });
    expect(qc.result.value).toBeNull();
    scope.stop();
  });
});

describe('the plan feed after a close', () => {
  let io: Server<ClientToServerEvents, ServerToClientEvents> | undefined;
  afterEach(async () => {
    stopPlanFeed();
    stopLive();
    vi.unstubAllGlobals();
    await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
    io = undefined;
  });

  async function socketServer(current: () => string): Promise<string> {
    const http = createServer();
    io = new Server(http, { path: '/socket.io' });
    io.on('connection', (socket) => {
      socket.on('sync', (req, ack) => {
        const q = req.quarterId ?? current();
        const version = q === '2027-Q1' ? 9 : 4;
        const stale = req.version !== version;
        ack({ ok: true, current: { quarterId: q, version }, stale, ...(stale ? { plan: planView({ version, quarter: { id: q, weeks: 13, currentWeek: 0 } }) as unknown as Record<string, unknown> } : {}) });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  it("moves a manager's summary to the next quarter when the quarter shown closes", async () => {
    let current = '2026-Q4';
    const url = await socketServer(() => current);
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (u: string) => {
        asked.push(u);
        const q = new URL(u, 'http://x').searchParams.get('quarter') ?? current;
        return Response.json(planSummary({ version: q === '2027-Q1' ? 9 : 4, quarter: { id: q, weeks: 13, currentWeek: 0 } }));
      }),
    );
    startLive(url);
    startPlanFeed('summary');
    const { quarter } = usePlan();
    await vi.waitFor(() => expect(usePlan().live.value).toBe('live'), { timeout: 5000 });
    await vi.waitFor(() => expect(quarter.value?.id).toBe('2026-Q4'));
    current = '2027-Q1';
    io!.emit('data.changed', { quarterIds: ['2026-Q4', '2027-Q1'], entity: 'quarter', id: '2026-Q4' });
    await vi.waitFor(() => expect(quarter.value?.id).toBe('2027-Q1'), { timeout: 5000 });
    // Once it shows the new quarter it asks for that one again.
    io!.emit('plan.updated', { quarterId: '2027-Q1', version: 10, previousVersion: 9, at: '', changes: { clients: [], tickets: [], staff: [] } });
    await vi.waitFor(() => expect(asked.at(-1)).toBe('/api/plans/current/summary?quarter=2027-Q1'));
  });

  it("moves a staff member's plan to the next quarter when that quarter's plan arrives", async () => {
    let current = '2026-Q4';
    const url = await socketServer(() => current);
    vi.stubGlobal('fetch', vi.fn(async () => Response.json(planView({ version: 4 }))));
    startLive(url);
    startPlanFeed('plan');
    const { quarter, version } = usePlan();
    await vi.waitFor(() => expect([quarter.value?.id, usePlan().current.value]).toEqual(['2026-Q4', true]), { timeout: 5000 });
    current = '2027-Q1';
    io!.emit('plan.updated', { quarterId: '2027-Q1', version: 9, previousVersion: null, at: '', changes: { clients: [], tickets: [], staff: [] } });
    await vi.waitFor(() => expect([quarter.value?.id, version.value]).toEqual(['2027-Q1', 9]), { timeout: 5000 });
  });
});
