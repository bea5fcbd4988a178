// @vitest-environment happy-dom
/** The setup screens' shaping (leave calendar, skills, ids) and the paged list composable. */
import { mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/src/api/http.ts';
import { addSkill, fullyAwayNote, leaveCalendar, leaveChanges, numberOrNull, skillSuggestions, slugId } from '../../client/src/composables/setup-data.ts';
import { usePagedList } from '../../client/src/composables/use-paged-list.ts';

const Q = { id: '2026-Q4', weeks: 4, currentWeek: 1, startDate: '2026-09-28' };

describe('the leave calendar', () => {
  it('has every week of the quarter, past weeks as history, the current one marked', () => {
    const cells = leaveCalendar(Q, { '2': 8 }, 32);
    expect(cells.map((c) => c.label)).toEqual(['Week 0 · 28 Sept', 'Week 1 · 5 Oct', 'Week 2 · 12 Oct', 'Week 3 · 19 Oct']);
    expect(cells.map((c) => [c.hours, c.past, c.current, c.fullyAway])).toEqual([
      [0, true, false, false],
      [0, false, true, false],
      [8, false, false, false],
      [0, false, false, false],
    ]);
  });

  it('leave at or above the weekly hours is kept but shown as fully away, and said so', () => {
    const cells = leaveCalendar(Q, { '2': 40 }, 32, { 3: 32 });
    expect(cells.filter((c) => c.fullyAway).map((c) => c.week)).toEqual([2, 3]);
    expect(fullyAwayNote(cells, 32)).toMatch(/whole 32 h week in weeks 2, 3: the plan counts this person as fully away/);
    expect(fullyAwayNote(leaveCalendar(Q, { '2': 4 }, 32), 32)).toBeNull();
    // Nobody is "fully away" with no leave, even at 0 weekly hours.
    expect(leaveCalendar(Q, {}, 0).some((c) => c.fullyAway)).toBe(false);
  });

  it('sends only the weeks whose typed hours differ from what is saved (empty is 0)', () => {
    expect(leaveChanges({ '2': 8, '3': 4 }, { 1: 6, 2: 8, 3: null })).toEqual([
      { week: 1, hours: 6 },
      { week: 3, hours: 0 },
    ]);
  });
});

describe('skills and ids', () => {
  const inUse = [
    { skill: 'linux', staff: 3, openTickets: 1 },
    { skill: 'php', staff: 1, openTickets: 0 },
    { skill: 'PostgreSQL', staff: 1, openTickets: 4 },
  ];
  it('suggests skills in use not chosen yet, matching what is typed, most used first', () => {
    expect(skillSuggestions(inUse, [], '')).toEqual(['PostgreSQL', 'linux', 'php']);
    expect(skillSuggestions(inUse, ['Linux'], '')).toEqual(['PostgreSQL', 'php']);
    expect(skillSuggestions(inUse, [], 'p')).toEqual(['PostgreSQL', 'php']);
  });
  it('adds a typed skill once, trimmed', () => {
    expect(addSkill(['linux'], ' php ')).toEqual(['linux', 'php']);
    expect(addSkill(['linux'], 'LINUX')).toEqual(['linux']);
    expect(addSkill(['linux'], '  ')).toEqual(['linux']);
  });
  it('makes an id from a name, and reads typed numbers', () => {
    expect(slugId('Ana Lima')).toBe('ana-lima');
    expect(slugId('  Zoë  Ng! ')).toBe('zoe-ng');
    expect([numberOrNull(3), numberOrNull(''), numberOrNull('2.5'), numberOrNull(Number.NaN), numberOrNull(null)]).toEqual([3, null, 2.5, null, null]);
  });
});

describe('usePagedList in a component', () => {
  const people = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}` }));
  const load = async (q: { limit: number; cursor?: string }) => {
    const from = q.cursor ? Number(q.cursor) : 0;
    const items = people.slice(from, from + q.limit);
    return { items, total: people.length, nextCursor: from + q.limit < people.length ? String(from + q.limit) : null };
  };
  const flush = () => new Promise((r) => setTimeout(r, 0));

  it('reads the first page, more on demand, and again from the start as many as were shown', async () => {
    let list!: ReturnType<typeof usePagedList<{ id: string }>>;
    const calls: { limit: number; cursor?: string }[] = [];
    mount(defineComponent({ setup: () => ((list = usePagedList((q) => (calls.push(q), load(q)), { pageSize: 2 })), () => h('div')) }));
    await flush();
    expect(list.items.value.map((p) => p.id)).toEqual(['p0', 'p1']);
    await list.loadMore();
    expect(list.items.value.map((p) => p.id)).toEqual(['p0', 'p1', 'p2', 'p3']);
    await list.reload();
    expect(calls.at(-1)).toEqual({ limit: 4 });
    expect(list.items.value).toHaveLength(4);
    list.upsert({ id: 'new' }, (a, b) => a.id === b.id);
    expect(list.items.value[0]!.id).toBe('new');
    expect(list.total.value).toBe(6);
  });

  it('keeps the error of a failed read', async () => {
    let list!: ReturnType<typeof usePagedList<{ id: string }>>;
    mount(defineComponent({ setup: () => ((list = usePagedList(async () => Promise.reject(new ApiError(403, 'forbidden', 'no')))), () => h('div')) }));
    await flush();
    expect(list.error.value?.status).toBe(403);
    expect(list.loaded.value).toBe(false);
  });
});
