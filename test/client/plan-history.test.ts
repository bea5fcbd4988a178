// @vitest-environment happy-dom
/**
 * The History page in words (issue 11): audited changes as sentences with their author, a
 * version's why, the diff of two versions in words and numbers, "since Monday" (the plan in force
 * on Monday 00:00 local, or the oldest), the audit filters as the API's query and the URL's; and
 * usePlanHistory against a stubbed server (the pair it opens on, a pair picked, since Monday, the
 * filters reading the audit again). The page itself mounts on the stubbed server too.
 */
import { createMemoryHistory, createRouter } from 'vue-router';
import { effectScope } from 'vue';
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  auditQuery,
  changeSentence,
  changeText,
  diffView,
  filtersFromQuery,
  filtersText,
  filtersToQuery,
  mondayOf,
  NO_FILTERS,
  sinceMondayPair,
  ticketLine,
  versionWhy,
} from '../../client/src/composables/plan-history.ts';
import { usePlanHistory } from '../../client/src/composables/use-plan-history.ts';
import ManagerHistory from '../../client/src/views/manager/ManagerHistory.vue';
import type { AuditEntry, PlanDiffResponse, PlanHistoryEntry, PlanVersions, QuarterRecord } from '../../shared/api/index.ts';
import { flush, stubServer } from './stub-server.ts';

const MANAGER = { id: 1, email: 'manager@example.com' };

function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  return { id: 40, at: '2026-12-02T10:00:00.000Z', user: MANAGER, action: 'update', entity: 'ticket', entityId: 'T-104', before: { estimateHours: 6, version: 1, title: 'Fix login' }, after: { estimateHours: 9, version: 2, title: 'Fix login' }, ...over };
}

describe('a change in a sentence', () => {
  it('names the record, the fields that moved with their old and new values, and who', () => {
    expect(changeSentence(entry())).toBe('T-104 estimate 6 → 9 h by manager@example.com');
    expect(changeText(entry({ before: { priority: 3, status: 'open', dueWeek: null, title: 'A' }, after: { priority: 1, status: 'closed', dueWeek: 7, title: 'B' } }))).toBe('T-104 priority 3 → 1, closed, due week none → 7, title “A” → “B”');
    expect(changeText(entry({ before: { emergency: false }, after: { emergency: true } }))).toBe('T-104 declared an emergency');
    expect(changeText(entry({ entity: 'staff', entityId: 'sam', before: { weeklyHours: 40, skills: ['php'], active: true }, after: { weeklyHours: 32, skills: ['php', 'sql'], active: false } }))).toBe(
      'Staff sam weekly hours 40 → 32 h, skills php → php, sql, deactivated',
    );
    expect(changeText(entry({ before: { version: 1 }, after: { version: 2 } }))).toBe('T-104 saved unchanged');
  });

  it('words creations, removals, leave, blocks, imports, the clock and the close', () => {
    expect(changeText(entry({ action: 'create', before: null, after: { estimateHours: 8, client: 'acme' } }))).toBe('T-104 created (8 h for acme)');
    expect(changeText(entry({ action: 'create', entity: 'pin', entityId: '3', before: null, after: { ticket: 'T-1', staff: 'sam', week: 4, hours: 6 } }))).toBe('Pin of 6 h on T-1 for sam in week 4 added');
    expect(changeText(entry({ action: 'delete', entity: 'pin', entityId: '3', before: { ticket: 'T-1', staff: 'sam', week: 4, hours: 6 }, after: null }))).toBe('Pin of 6 h on T-1 for sam in week 4 removed');
    expect(changeText(entry({ action: 'create', entity: 'time-entry', entityId: '9', before: null, after: { ticket: 'T-1', staff: 'sam', week: 2, hours: 1.5 } }))).toBe('1.5 h logged on T-1 for sam in week 2');
    expect(changeText(entry({ action: 'set-leave', entity: 'staff', entityId: 'sam', before: { week: 5, hours: 0 }, after: { week: 5, hours: 8 } }))).toBe('Staff sam leave in week 5 0 → 8 h');
    expect(changeText(entry({ action: 'create-block', entity: 'client', entityId: 'acme', before: null, after: { week: 3, hours: 20 } }))).toBe('Client acme bought a block of 20 h from week 3');
    expect(changeText(entry({ action: 'import', entity: 'quarter', entityId: '2026-Q4', before: null, after: { staff: 4, clients: 6, tickets: 30, pins: 0 } }))).toBe('Quarter 2026-Q4 imported (4 staff, 6 clients, 30 tickets)');
    expect(changeText(entry({ action: 'import', entity: 'tickets', entityId: '2026-Q4', before: null, after: { created: 3, updated: 1 } }))).toBe('Tickets of 2026-Q4 imported from CSV: 3 new, 1 updated');
    expect(changeSentence(entry({ action: 'advance-week', entity: 'quarter', entityId: '2026-Q4', user: null, before: { currentWeek: 8 }, after: { currentWeek: 9 } }))).toBe('Quarter 2026-Q4 moved on to week 9 by the system');
    expect(changeText(entry({ action: 'close', entity: 'quarter', entityId: '2026-Q4', before: null, after: { nextQuarter: '2027-Q1' } }))).toBe('Quarter 2026-Q4 closed into 2027-Q1');
    expect(changeText(entry({ action: 'rename-thing', entity: 'widget', entityId: 'w1' }))).toBe('Widget w1 rename thing');
    expect(changeSentence(entry({ user: { id: 7, email: null } }))).toMatch(/by user 7$/);
  });

  it("gives a version's why: its trigger, its changes' sentences, how many more and who", () => {
    const v: PlanHistoryEntry = { version: 12, createdAt: '2026-12-02T10:00:05.000Z', solveMs: 40, trigger: 'ticket changed', dataRevision: 9, fromRevision: 8, changes: [entry(), entry({ id: 39, user: { id: 2, email: 'ana@example.com' }, before: { priority: 2 }, after: { priority: 1 } })], changeCount: 5 };
    expect(versionWhy(v)).toEqual({
      version: 12,
      at: v.createdAt,
      trigger: 'ticket changed',
      lines: ['T-104 estimate 6 → 9 h by manager@example.com', 'T-104 priority 2 → 1 by ana@example.com'],
      more: 3,
      authors: ['manager@example.com', 'ana@example.com'],
    });
  });
});

describe('since Monday', () => {
  const versions = (...at: [number, string][]): PlanVersions['versions'] => at.map(([version, createdAt]) => ({ version, createdAt, solveMs: 1, trigger: '', dataRevision: version }));

  it("is 00:00 local on the week's Monday, Sunday counting with the week before", () => {
    expect(mondayOf(new Date(2026, 11, 2, 15, 30))).toEqual(new Date(2026, 10, 30));
    expect(mondayOf(new Date(2026, 10, 30, 0, 0))).toEqual(new Date(2026, 10, 30));
    expect(mondayOf(new Date(2026, 11, 6, 23, 59))).toEqual(new Date(2026, 10, 30));
  });

  it('compares the latest version made before Monday, or the oldest when none was, with the current one', () => {
    const monday = new Date(2026, 10, 30);
    const iso = (d: Date) => d.toISOString();
    const list = versions([9, iso(new Date(2026, 11, 2, 9))], [8, iso(new Date(2026, 11, 1, 9))], [7, iso(new Date(2026, 10, 29, 18))], [6, iso(new Date(2026, 10, 20))]);
    expect(sinceMondayPair(list, 9, monday)).toEqual({ from: 7, to: 9 });
    expect(sinceMondayPair(list.slice(0, 2), 9, monday)).toEqual({ from: 8, to: 9 });
    expect(sinceMondayPair(list.slice(2), 7, monday)).toEqual({ from: 7, to: 7 });
    expect(sinceMondayPair([], null, monday)).toBeNull();
  });
});

describe('the audit filters', () => {
  it("send local days as exact times, `to` through its day's end, and leave out what is empty", () => {
    const q = auditQuery({ entity: 'ticket', id: ' T-104 ', user: '3', from: '2026-11-30', to: '2026-12-01' });
    expect(q).toEqual({ entity: 'ticket', id: 'T-104', user: 3, from: new Date(2026, 10, 30).toISOString(), to: new Date(new Date(2026, 11, 2).getTime() - 1).toISOString() });
    expect(auditQuery(NO_FILTERS)).toEqual({});
    expect(auditQuery({ ...NO_FILTERS, user: 'x', from: 'yesterday' })).toEqual({});
  });

  it('round-trip the URL and read as a line', () => {
    const f = { entity: 'ticket', id: 'T-104', user: '3', from: '2026-11-30', to: '' };
    expect(filtersToQuery(f)).toEqual({ entity: 'ticket', record: 'T-104', person: '3', since: '2026-11-30', until: undefined });
    expect(filtersFromQuery({ entity: 'ticket', record: 'T-104', person: '3', since: '2026-11-30', until: 'nope', other: 'x' })).toEqual(f);
    expect(filtersText(f, () => 'manager@example.com')).toBe('ticket T-104 · by manager@example.com · since 2026-11-30');
    expect(filtersText({ ...NO_FILTERS, from: '2026-12-01', to: '2026-12-01' }, String)).toBe('on 2026-12-01');
    expect(filtersText(NO_FILTERS, String)).toBe('');
  });
});

function planDiff(over: Partial<PlanDiffResponse> = {}): PlanDiffResponse {
  return {
    from: 7,
    to: 9,
    clients: [
      { id: 'acme', delta: { atRiskHours: 3, plannedHours: -3, balanceHours: 1 }, deliveredDelta: {}, emergencyDelta: 0, newlyBelowRate: [] },
      { id: 'lumen', delta: { forecastUnusedHours: 0.5 }, deliveredDelta: {}, emergencyDelta: 0, newlyBelowRate: [] },
    ],
    tickets: [{ id: 'T-104', client: 'acme', before: { plannedHours: 6, startWeek: 3, finishWeek: 4 }, after: { plannedHours: 9, startWeek: 5, finishWeek: 6 } }],
    staff: ['sam'],
    ...over,
  };
}

describe('what moved between two versions', () => {
  const names = { clients: new Map([['acme', 'Acme Ltd']]), staff: new Map([['sam', 'Sam Reed']]) };

  it('in words and numbers: clients whose figures moved, tickets whose weeks moved, people whose weeks changed', () => {
    const v = diffView(planDiff(), names);
    expect(v.headline).toBe("v7 → v9: 1 client's figures moved, 1 ticket moved, 1 person's weeks changed.");
    expect(v.clientLines).toEqual(['Acme Ltd: at risk +3 h, planned −3 h']);
    expect(v.clients).toEqual([{ id: 'acme', name: 'Acme Ltd', figures: ['+3', '', '', '−3'], emergency: '' }]);
    expect(v.tickets).toEqual([{ id: 'T-104', line: 'T-104 (Acme Ltd): weeks 3–4 → weeks 5–6, planned 6 → 9 h', before: 'weeks 3–4', after: 'weeks 5–6', planned: '6 → 9' }]);
    expect(v.people).toEqual([{ id: 'sam', name: 'Sam Reed' }]);
  });

  it('says so when nothing moved, and words a ticket no longer planned', () => {
    const v = diffView(planDiff({ clients: [], tickets: [], staff: [] }), names);
    expect(v.headline).toBe('v7 → v9: nothing moved in the plan.');
    expect(v.clientLines).toEqual([]);
    expect(ticketLine({ id: 'T-9', client: 'zed', before: { plannedHours: 4, startWeek: 2, finishWeek: 2 }, after: { plannedHours: 0, startWeek: null, finishWeek: null } }, (id) => id)).toBe('T-9 (zed): week 2 → not planned, planned 4 → 0 h');
    expect(diffView(planDiff({ from: null, to: 1 }), names).headline).toMatch(/^Up to v1: /);
  });
});

// usePlanHistory and the page against a stubbed server.

const QUARTER: QuarterRecord = { id: '2026-Q4', weeks: 13, currentWeek: 9, startDate: '2026-09-28', autoAdvance: true, policy: {}, closed: false, closedAt: null, currentPlanVersion: 9, dataRevision: 9, version: 2 };
const NOW = new Date(2026, 11, 2, 12);
const VERSIONS: PlanVersions = {
  quarter: '2026-Q4',
  current: 9,
  versions: [
    { version: 9, createdAt: new Date(2026, 11, 2, 10).toISOString(), solveMs: 30, trigger: 'ticket changed', dataRevision: 9 },
    { version: 8, createdAt: new Date(2026, 11, 1, 10).toISOString(), solveMs: 30, trigger: 'ticket changed', dataRevision: 8 },
    { version: 7, createdAt: new Date(2026, 10, 27, 10).toISOString(), solveMs: 30, trigger: 'start-up', dataRevision: 7 },
  ],
};
const historyItem = (v: PlanVersions['versions'][number], i: number): PlanHistoryEntry => ({ ...v, fromRevision: VERSIONS.versions[i + 1]?.dataRevision ?? null, changes: v.version === 9 ? [entry()] : [], changeCount: v.version === 9 ? 1 : 0 });

/** The stubbed server: the quarter's versions, history, diffs (of any pair), users and audit (none for user 2). */
function stubHistoryServer(): string[] {
  const diffOf = (_: unknown, u: URL): [number, unknown] => [200, planDiff({ from: Number(u.searchParams.get('against')) || null, to: Number(u.pathname.split('/')[3]) })];
  return stubServer({
    'GET /api/quarters': () => [200, [QUARTER]],
    'GET /api/plans': () => [200, VERSIONS],
    'GET /api/plans/history': () => [200, { quarter: '2026-Q4', current: 9, total: 3, nextCursor: null, items: VERSIONS.versions.map(historyItem) }],
    'GET /api/users': () => [200, [{ id: 1, email: MANAGER.email, role: 'manager', client: null, staff: null, disabled: false, version: 1, createdAt: '2026-09-01T00:00:00.000Z' }]],
    'GET /api/audit': (_, u) => [200, u.searchParams.get('user') === '2' ? { total: 0, nextCursor: null, items: [] } : { total: 1, nextCursor: null, items: [entry()] }],
    ...Object.fromEntries(VERSIONS.versions.map((v) => [`GET /api/plans/${v.version}/diff`, diffOf])),
  });
}

describe('usePlanHistory', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('opens on the current version against the one before, compares any pair, and since Monday', async () => {
    const calls = stubHistoryServer();
    const scope = effectScope();
    const h = scope.run(() => usePlanHistory(() => null, () => '2026-Q4', { now: () => NOW }))!;
    await flush();
    expect(h.quarter.value).toBe('2026-Q4');
    expect(h.history.items.value.map((v) => v.version)).toEqual([9, 8, 7]);
    expect(h.pair.value).toEqual({ from: 8, to: 9 });
    expect(h.shownDiff.value).toMatchObject({ from: 8, to: 9 });
    expect(calls).toContain('GET /api/plans/9/diff?against=8');

    h.compare(9, 7);
    await flush();
    expect(h.pair.value).toEqual({ from: 7, to: 9 });
    expect(calls).toContain('GET /api/plans/9/diff?against=7');

    h.compare(8, 9);
    expect(h.sinceMonday()).toBe(true);
    await flush();
    expect(h.pair.value).toEqual({ from: 7, to: 9 });
    expect(h.note.value).toBe('Since Monday: v7, in force on Monday, against v9, the plan now.');
    expect(h.filters.value.from).toBe('2026-11-30');
    expect(calls.some((c) => c.startsWith('GET /api/audit?') && c.includes(`from=${encodeURIComponent(new Date(2026, 10, 30).toISOString())}`))).toBe(true);
    scope.stop();
  });

  it('reads the audit trail again when a filter changes', async () => {
    const calls = stubHistoryServer();
    const scope = effectScope();
    const h = scope.run(() => usePlanHistory(() => null, () => '2026-Q4', { filters: { ...NO_FILTERS, entity: 'ticket', id: 'T-104' }, now: () => NOW }))!;
    await flush();
    expect(calls).toContain('GET /api/audit?entity=ticket&id=T-104&limit=25');
    expect(h.audit.items.value).toHaveLength(1);
    h.filters.value.user = '2';
    await flush();
    expect(calls).toContain('GET /api/audit?entity=ticket&id=T-104&user=2&limit=25');
    expect(h.audit.total.value).toBe(0);
    scope.stop();
  });
});

describe('the History page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows each version with its why and who, the diff of the pair in words and numbers, and the audit trail; filters go into the URL', async () => {
    stubHistoryServer();
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/manager/history', component: ManagerHistory }] });
    await router.push('/manager/history?entity=ticket');
    const w = mount(ManagerHistory, { global: { plugins: [router] } });
    await flush();
    expect(w.get('[data-testid=version-9] [data-testid=why]').text()).toContain('T-104 estimate 6 → 9 h by manager@example.com');
    expect(w.get('[data-testid=version-7] [data-testid=why]').text()).toBe('Re-planned (start-up) with no recorded change to the data');
    expect(w.get('[data-testid=diff-headline]').text()).toBe("v8 → v9: 1 client's figures moved, 1 ticket moved, 1 person's weeks changed.");
    expect(w.get('[data-testid=diff-ticket-T-104]').text()).toContain('weeks 3–4');
    expect(w.get('[data-testid=audit-table]').text()).toContain('T-104 estimate 6 → 9 h');
    expect(w.get('[data-testid=audit-summary]').text()).toBe('1 change: ticket');
    await w.get('[data-testid=audit-person]').setValue('1');
    await flush();
    expect(router.currentRoute.value.query).toMatchObject({ entity: 'ticket', person: '1', older: '8', newer: '9' });
    await w.get('[data-testid=compare-7]').trigger('click');
    await flush();
    expect(w.get('[data-testid=diff-headline]').text()).toMatch(/^Up to v7: /);
    w.unmount();
  });
});
