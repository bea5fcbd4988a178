// @vitest-environment happy-dom
/** Pins on the dashboard: pinned hours from the plan, each pin's state, the pin form and unpinning. */
import { mount } from '@vue/test-utils';
import { defineComponent, h, nextTick, ref } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PinRecord } from '../../shared/api/index.ts';
import type { PlanView } from '../../shared/api/index.ts';
import { cellTickets, pinnedTotals, pinRows, pinStatus } from '../../client/src/composables/pin-data.ts';
import { usePinForm, type PinPreset } from '../../client/src/composables/use-pin-form.ts';
import { usePins } from '../../client/src/composables/use-pins.ts';
import { staffWeeks } from '../../client/src/composables/staff-weeks.ts';
import { acceptPlan, stopPlanFeed } from '../../client/src/composables/use-plan.ts';
import { planView, ticketRecord } from './fixtures.ts';

/** The fixture plan with Al's 5 h on T-1 in week 3 pinned, and one pin the planner could not hold. */
function pinnedPlan(over: Partial<PlanView> = {}): PlanView {
  const p = planView(over);
  p.allocations = p.allocations.map((a) => (a.staff === 'al' && a.ticket === 'T-1' ? { ...a, pinned: true as const } : a));
  p.allocations.push({ week: 2, staff: 'al', client: 'acme', ticket: 'T-2', hours: 3, level: 2, pinned: true, pinnedHours: 2 });
  p.pinIssues = [{ pin: { ticket: 'T-3', staff: 'bo', week: 4, hours: 6 }, heldHours: 2, code: 'hours-left', reason: 'T-3 had only 2 h left in week 4' }];
  return { ...p, ...over };
}

const record = (id: string, client: string, title: string, status: 'open' | 'closed' = 'open') => ticketRecord(id, { client, title, status });
const tickets = [record('T-1', 'bolt', 'Mail'), record('T-2', 'acme', 'Shop down'), record('T-3', 'acme', 'Theme'), record('T-10', 'acme', 'Later'), record('T-4', 'acme', 'Done', 'closed')];

const pinRecord = (id: number, ticket: string, staff: string, week: number, hours: number): PinRecord => ({
  id,
  quarter: '2026-Q4',
  ticket,
  client: ticket === 'T-1' ? 'bolt' : 'acme',
  staff,
  week,
  hours,
  pinnedBy: { id: 1, email: 'boss@test' },
  pinnedAt: '2026-10-12T09:00:00.000Z',
});

function serve(routes: Record<string, (init: RequestInit) => { status?: number; body?: unknown }>) {
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${url}`;
    const route = Object.entries(routes).find(([k]) => key.startsWith(k));
    const { status = 200, body } = route ? route[1](init) : { status: 404, body: { error: { code: 'not_found', message: `No route ${key}`, details: null } } };
    return status === 204 ? new Response(null, { status }) : new Response(JSON.stringify(body ?? null), { status, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

beforeEach(() => stopPlanFeed());
afterEach(() => vi.unstubAllGlobals());

describe('pinned hours from the plan', () => {
  it('sums pinned hours by ticket, person-week and pin (pinnedHours where a row also holds planned hours)', () => {
    const t = pinnedPlan();
    const totals = pinnedTotals(t);
    expect([...totals.byTicket]).toEqual([
      ['T-1', 5],
      ['T-2', 2],
    ]);
    expect(totals.byCell.get('al\u00003')).toBe(5);
    expect(totals.byCell.get('al\u00002')).toBe(2);
    expect(totals.byCell.get('bo\u00003')).toBeUndefined();
    expect(pinnedTotals(null).byTicket.size).toBe(0);
  });

  it("reads the same totals from the manager's summary (its pinned rows, no allocations)", () => {
    const summary = { pinned: [{ week: 3, staff: 'al', ticket: 'T-1', hours: 5 }, { week: 2, staff: 'al', ticket: 'T-2', hours: 2 }], pinIssues: pinnedPlan().pinIssues };
    expect(pinnedTotals(summary)).toEqual(pinnedTotals(pinnedPlan()));
    expect(pinStatus(summary, { ticket: 'T-3', staff: 'bo', week: 4, hours: 6 })).toMatchObject({ state: 'partly', heldHours: 2 });
  });

  it('lists what a person-week holds, most hours first, with its pinned part', () => {
    expect(cellTickets(pinnedPlan(), 'al', 2)).toEqual([{ ticket: 'T-2', client: 'acme', hours: 18, pinnedHours: 2 }]);
    expect(cellTickets(pinnedPlan(), 'bo', 3)).toEqual([{ ticket: 'T-1', client: 'bolt', hours: 20, pinnedHours: 0 }]);
    expect(cellTickets(pinnedPlan(), 'bo', 2)).toEqual([]);
  });

  it('says of each pin whether it held, in words, with the planner’s reason when it did not', () => {
    const p = pinnedPlan();
    expect(pinStatus(p, { ticket: 'T-1', staff: 'al', week: 3, hours: 5 })).toEqual({ state: 'held', heldHours: 5, label: 'Held', reason: null });
    expect(pinStatus(p, { ticket: 'T-3', staff: 'bo', week: 4, hours: 6 })).toEqual({ state: 'partly', heldHours: 2, label: 'Held 2 of 6 h', reason: 'T-3 had only 2 h left in week 4' });
    const none = { ...p, pinIssues: [{ pin: { ticket: 'T-3', staff: 'bo', week: 4, hours: 6 }, heldHours: 0, code: 'no-skill' as const, reason: 'Bo lacks skill php' }] };
    expect(pinStatus(none, { ticket: 'T-3', staff: 'bo', week: 4, hours: 6 })).toMatchObject({ state: 'not-held', label: 'Not held', reason: 'Bo lacks skill php' });
    // A pin the plan knows nothing of yet (made since, or a plan from before pins).
    expect(pinStatus(planView(), { ticket: 'T-1', staff: 'al', week: 3, hours: 5 })).toMatchObject({ state: 'pending', heldHours: null, label: 'Not in the plan yet' });
  });

  it('marks a staff member’s own pinned hours in their weeks', () => {
    const weeks = staffWeeks(pinnedPlan(), 'al');
    expect(weeks.map((w) => w.items.map((i) => [i.ticket, i.hours, i.pinnedHours]))).toEqual([[['T-2', 18, 2]], [['T-1', 5, 5]], []]);
  });

  it('orders the pins list by week, person and ticket, with names and titles', () => {
    const rows = pinRows([pinRecord(2, 'T-3', 'bo', 4, 6), pinRecord(1, 'T-1', 'al', 3, 5), pinRecord(3, 'T-2', 'al', 3, 1)], pinnedPlan(), {
      staff: new Map([['al', 'Al'], ['bo', 'Bo']]),
      clients: new Map([['acme', 'Acme Ltd']]),
      titles: new Map([['T-1', 'Mail']]),
    });
    expect(rows.map((r) => [r.id, r.staffName, r.ticket, r.state])).toEqual([
      [1, 'Al', 'T-1', 'held'],
      [3, 'Al', 'T-2', 'pending'],
      [2, 'Bo', 'T-3', 'partly'],
    ]);
    expect(rows[0]).toMatchObject({ title: 'Mail', clientName: 'bolt', pinnedBy: 'boss@test' });
    expect(rows[2]).toMatchObject({ clientName: 'Acme Ltd', reason: 'T-3 had only 2 h left in week 4' });
  });
});

describe('the pin form in a component', () => {
  function mountForm(preset: PinPreset) {
    const open = ref(false);
    let form!: ReturnType<typeof usePinForm>;
    const Comp = defineComponent({
      setup() {
        form = usePinForm({ open: () => open.value, plan: () => pinnedPlan(), cell: (s, w) => cellTickets(pinnedPlan(), s, w), tickets: () => tickets, names: () => new Map([['acme', 'Acme Ltd']]), preset: () => preset });
        return () => h('p', { class: 'hours' }, form.flow.form.fieldError('hours') ?? '');
      },
    });
    const w = mount(Comp);
    open.value = true;
    return { w, form: () => form, open };
  }

  it('from a person-week: that person and week, the ticket they have most hours on there, and its planned hours', async () => {
    const { form } = mountForm({ staff: 'bo', week: 3 });
    await nextTick();
    expect({ ...form().f }).toEqual({ ticket: 'T-1', staff: 'bo', week: 3, hours: 20 });
    expect(form().ticketOptions.value.here).toEqual([{ id: 'T-1', label: 'T-1 · Mail (20 h planned)' }]);
    // Other open tickets, in natural id order; closed ones are not offered.
    expect(form().ticketOptions.value.others.map((o) => o.id)).toEqual(['T-2', 'T-3', 'T-10']);
    // Another ticket has no planned hours there: the suggestion goes; typed hours stay.
    form().f.ticket = 'T-3';
    await nextTick();
    expect(form().f.hours).toBeNull();
    form().f.hours = 2.5;
    form().f.week = 4;
    await nextTick();
    expect(form().f.hours).toBe(2.5);
  });

  it('from a ticket row: the ticket chosen, the current week, nobody yet; missing fields say what to do', async () => {
    const fetch = serve({});
    const { form } = mountForm({ ticket: 'T-2' });
    await nextTick();
    expect({ ...form().f }).toEqual({ ticket: 'T-2', staff: '', week: 2, hours: null });
    form().apply();
    expect(form().missing.value).toEqual({ staff: 'Choose who does the work.', hours: 'Enter the hours to pin, in quarter hours (e.g. 4 or 2.5).' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('saves the pin, puts the server’s message next to its field, and says whether the new plan holds it', async () => {
    acceptPlan(pinnedPlan({ version: 3 }));
    const bodies: unknown[] = [];
    let answer: { status: number; body: unknown } = {
      status: 400,
      body: { error: { code: 'validation_failed', message: 'hours: must be in quarter hours (a multiple of 0.25)', details: [{ field: 'hours', message: 'must be in quarter hours (a multiple of 0.25)' }] } },
    };
    serve({
      'POST /api/pins': (init) => {
        bodies.push(JSON.parse(String(init.body)));
        return answer;
      },
      'GET /api/plans/4/diff': () => ({ body: { from: 3, to: 4, clients: [], tickets: [], staff: [] } }),
    });
    const { w, form } = mountForm({ staff: 'bo', week: 3 });
    await nextTick();
    form().f.hours = 0.3;
    form().apply();
    await vi.waitFor(() => expect(form().flow.phase.value).toBe('edit'));
    await nextTick();
    expect(w.find('.hours').text()).toBe('must be in quarter hours (a multiple of 0.25)');
    expect(bodies[0]).toEqual({ quarter: '2026-Q4', ticket: 'T-1', staff: 'bo', week: 3, hours: 0.3 });

    answer = { status: 201, body: pinRecord(9, 'T-1', 'bo', 3, 4) };
    form().f.hours = 4;
    form().apply();
    await vi.waitFor(() => expect(form().flow.phase.value).toBe('waiting'));
    expect(form().outcome.value).toBeNull();
    const next = pinnedPlan({ version: 4 });
    next.allocations = next.allocations.map((a) => (a.staff === 'bo' && a.ticket === 'T-1' ? { ...a, pinned: true as const, pinnedHours: 4 } : a));
    acceptPlan(next);
    await vi.waitFor(() => expect(form().flow.phase.value).toBe('done'));
    expect(form().outcome.value).toMatchObject({ state: 'held', heldHours: 4 });
  });
});

describe('the pins list', () => {
  it('reads the shown quarter’s pins and unpins one; a pin someone else removed first reloads the list', async () => {
    acceptPlan(pinnedPlan({ version: 3 }));
    let listed = [pinRecord(1, 'T-1', 'al', 3, 5), pinRecord(2, 'T-3', 'bo', 4, 6)];
    const fetch = serve({
      'GET /api/pins?quarter=2026-Q4': () => ({ body: listed }),
      'DELETE /api/pins/1': () => ({ status: 204 }),
      'DELETE /api/pins/2': () => ({ status: 404, body: { error: { code: 'not_found', message: 'Pin 2 not found.', details: null } } }),
    });
    let pins!: ReturnType<typeof usePins>;
    mount(defineComponent({ setup: () => ((pins = usePins()), () => h('div')) }));
    await vi.waitFor(() => expect(pins.rows.value.map((r) => [r.id, r.state])).toEqual([[1, 'held'], [2, 'partly']]));

    expect(await pins.unpin(1)).toBe(true);
    expect(fetch).toHaveBeenCalledWith('/api/pins/1', expect.objectContaining({ method: 'DELETE' }));
    expect(pins.rows.value.map((r) => r.id)).toEqual([2]);

    listed = [];
    expect(await pins.unpin(2)).toBe(false);
    expect(pins.removeError.value?.message).toBe('Pin 2 not found.');
    await vi.waitFor(() => expect(pins.rows.value).toEqual([]));
  });
});
