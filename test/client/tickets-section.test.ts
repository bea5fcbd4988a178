// @vitest-environment happy-dom
/**
 * The tickets section's shaping: a header's next order and aria-sort, the overdue mark, week
 * options that keep a past week, the CSV preview (rows numbered as the server numbers them, the
 * import's problems on their cells), filters kept in the address (useQueryState) and the tabs'
 * keyboard; the CSV import dialog (dry run first, Import off until every row is good).
 */
import { mount } from '@vue/test-utils';
import { defineComponent, h, nextTick, ref } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { describe, expect, it } from 'vitest';
import TabBar from '../../client/src/components/TabBar.vue';
import { csvPreview, csvRecords, placeIssues, previewRows } from '../../client/src/composables/csv-preview.ts';
import { ariaSort, isOverdue, nextSort, sortHint, weekOptions } from '../../client/src/composables/ticket-columns.ts';
import { choiceField, flagField, queryWith, textField, useQueryState } from '../../client/src/composables/use-query-state.ts';

describe('sortable columns', () => {
  it('a header goes ascending, descending, then back to the queue order; other columns start ascending', () => {
    let s = { sort: '' as const, dir: 'asc' as const } as Parameters<typeof nextSort>[0];
    s = nextSort(s, 'due');
    expect(s).toEqual({ sort: 'due', dir: 'asc' });
    expect([ariaSort(s, 'due'), ariaSort(s, 'spent')]).toEqual(['ascending', 'none']);
    s = nextSort(s, 'due');
    expect([s, ariaSort(s, 'due')]).toEqual([{ sort: 'due', dir: 'desc' }, 'descending']);
    expect(sortHint(s, 'due', 'Due')).toBe("Due: back to the queue's order");
    expect(nextSort(s, 'spent')).toEqual({ sort: 'spent', dir: 'asc' });
    expect(nextSort(s, 'due')).toEqual({ sort: '', dir: 'asc' });
    expect(sortHint({ sort: '', dir: 'asc' }, 'estimate', 'Estimate')).toBe('Sort by estimate, ascending');
  });

  it('overdue: open with a due week before the current one', () => {
    expect(isOverdue({ status: 'open', dueWeek: 3 }, 4)).toBe(true);
    expect(isOverdue({ status: 'open', dueWeek: 4 }, 4)).toBe(false);
    expect(isOverdue({ status: 'closed', dueWeek: 1 }, 4)).toBe(false);
    expect(isOverdue({ status: 'open', dueWeek: null }, 4)).toBe(false);
  });

  it('week options run from the current week and keep a past week already set, marked past', () => {
    const q = { weeks: 6, currentWeek: 3, startDate: '2026-09-28' };
    expect(weekOptions(q).map((o) => o.label)).toEqual(['Week 3 · 19 Oct', 'Week 4 · 26 Oct', 'Week 5 · 2 Nov']);
    const kept = weekOptions(q, 1);
    expect(kept[0]).toEqual({ value: 1, label: 'Week 1 · 5 Oct (past)', past: true });
    expect(kept.map((o) => o.value)).toEqual([1, 3, 4, 5]);
    expect(weekOptions(q, 4).map((o) => o.value)).toEqual([3, 4, 5]);
    expect(weekOptions({ weeks: 6, currentWeek: 3 }, 0)[0]!.label).toBe('Week 0 (past)');
  });
});

describe('the CSV preview', () => {
  it('reads quotes, doubled quotes, CRLF, a BOM and a cell over two lines as one record', () => {
    expect(csvRecords('\ufeffa,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\nlines', 'z'],
    ]);
  });

  it('numbers rows as the server does: the header is row 1, blank rows skipped but counted', () => {
    const p = csvPreview('id,client\nT-1,acme\n\n"T-2",bolt\n, \nT-3,dyno');
    expect(p.header).toEqual(['id', 'client']);
    expect(p.rows).toEqual([
      { row: 2, cells: ['T-1', 'acme'] },
      { row: 4, cells: ['T-2', 'bolt'] },
      { row: 6, cells: ['T-3', 'dyno'] },
    ]);
  });

  it("puts the import's problems on their cells and lists them; shows the first rows and every bad one", () => {
    const placed = placeIssues([
      { row: 3, column: 'priority', field: 'row 3, priority', message: 'must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)' },
      { row: 3, column: 'priority', field: 'row 3, priority', message: 'again' },
      { row: 1, column: 'priorty', field: 'row 1, priorty', message: 'unknown column' },
      { field: 'quarter', message: 'is closed' },
    ]);
    expect(placed.cells.get('3|priority')).toBe('must be 1 (urgent), 2 (high), 3 (normal) or 4 (low); again');
    expect([...placed.rows]).toEqual([3, 1]);
    expect(placed.list).toEqual(['Row 3, priority: must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)', 'Row 3, priority: again', 'Row 1, priorty: unknown column', 'quarter: is closed']);
    const rows = Array.from({ length: 10 }, (_, i) => ({ row: i + 2, cells: [] }));
    expect(previewRows(rows, new Set([9]), 3).map((r) => r.row)).toEqual([2, 3, 4, 9]);
  });
});

describe('filters in the address', () => {
  const spec = { tab: choiceField(['queue', 'done'], 'queue'), client: textField(), unplanned: flagField(), sort: choiceField(['', 'due'], '') };

  it('leaves defaults out and keeps keys it does not own', () => {
    expect(queryWith(spec, { tab: 'done', client: '', unplanned: true, sort: '' }, { other: 'x', client: 'acme' })).toEqual({ other: 'x', tab: 'done', unplanned: '1' });
  });

  it('reads the query on load (unknown values fall back), writes changes with replace, follows the address', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/t', name: 't', component: { render: () => null } }] });
    await router.push('/t?tab=done&client=acme&sort=nonsense&keep=1');
    const replaced: string[] = [];
    const original = router.replace.bind(router);
    router.replace = (to) => {
      replaced.push(JSON.stringify((to as { query: unknown }).query));
      return original(to);
    };
    let state!: ReturnType<typeof useQueryState<typeof spec>>;
    const C = defineComponent({
      setup() {
        state = useQueryState(spec);
        return () => h('div');
      },
    });
    mount(C, { global: { plugins: [router] } });
    expect([state.tab.value, state.client.value, state.unplanned.value, state.sort.value]).toEqual(['done', 'acme', false, '']);
    state.sort.value = 'due';
    state.client.value = '';
    await nextTick();
    await router.isReady();
    await new Promise((r) => setTimeout(r, 0));
    expect(router.currentRoute.value.query).toEqual({ tab: 'done', sort: 'due', keep: '1' });
    expect(replaced.length).toBe(1);
    await router.push('/t?tab=queue&unplanned=1');
    await nextTick();
    expect([state.tab.value, state.unplanned.value, state.sort.value]).toEqual(['queue', true, '']);
  });
});

describe('tabs', () => {
  it('arrow keys, Home and End choose a tab and move the focus; only the chosen one is in the Tab order', async () => {
    const chosen = ref('open');
    const w = mount(TabBar, {
      attachTo: document.body,
      props: { id: 't', label: 'Tickets', tabs: [{ value: 'open', label: 'Open' }, { value: 'done', label: 'Done' }, { value: 'all', label: 'All' }], modelValue: chosen.value, 'onUpdate:modelValue': (v: string) => (chosen.value = v) },
    });
    const tabs = () => w.findAll('[role="tab"]');
    expect(tabs().map((t) => [t.attributes('aria-selected'), t.attributes('tabindex')])).toEqual([
      ['true', '0'],
      ['false', '-1'],
      ['false', '-1'],
    ]);
    await tabs()[0]!.trigger('keydown', { key: 'ArrowRight' });
    expect(chosen.value).toBe('done');
    await w.setProps({ modelValue: chosen.value });
    await tabs()[1]!.trigger('keydown', { key: 'End' });
    expect(chosen.value).toBe('all');
    await w.setProps({ modelValue: chosen.value });
    await nextTick();
    expect(document.activeElement?.id).toBe('t-tab-all');
    await tabs()[2]!.trigger('keydown', { key: 'ArrowRight' });
    expect(chosen.value).toBe('open');
    expect(tabs()[0]!.attributes('aria-controls')).toBe('t-panel');
    w.unmount();
  });
});

describe('the CSV import dialog', () => {
  it('checks the file as a dry run, shows its problems on their cells with Import off, and imports only a good file', async () => {
    const { default: CsvImportDialog } = await import('../../client/src/views/manager/CsvImportDialog.vue');
    const asked: string[] = [];
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      asked.push(`${init.method} ${url}`);
      const text = String(init.body);
      if (text.includes('high')) {
        return json(400, { error: { code: 'validation_failed', message: 'row 3, priority: must be 1 (urgent), 2 (high), 3 (normal) or 4 (low) (nothing was saved)', details: [{ row: 3, column: 'priority', field: 'row 3, priority', message: 'must be 1 (urgent), 2 (high), 3 (normal) or 4 (low)' }] } });
      }
      const dry = url.includes('dryRun=true');
      return json(200, { quarter: 'Q', rows: 2, created: 2, updated: 0, unchanged: 0, ...(dry ? { dryRun: true, actions: [{ row: 2, id: 'N-1', action: 'create' }, { row: 3, id: 'N-2', action: 'create' }] } : {}) });
    }) as typeof fetch;
    try {
      const w = mount(CsvImportDialog, { props: { open: true, quarter: 'Q' }, attachTo: document.body });
      await w.vm.$nextTick();
      const choose = async (text: string) => {
        const input = document.querySelector<HTMLInputElement>('[data-testid="csv-file"]')!;
        Object.defineProperty(input, 'files', { configurable: true, value: [new File([text], 'tickets.csv', { type: 'text/csv' })] });
        input.dispatchEvent(new Event('change'));
        await new Promise((r) => setTimeout(r, 20));
        await w.vm.$nextTick();
      };
      const importButton = () => document.querySelector<HTMLButtonElement>('[data-testid="csv-import"]')!;
      expect(importButton().disabled).toBe(true);
      await choose('id,client,priority\nN-1,harbor,3\nN-2,quill,high\n');
      expect(asked).toEqual(['POST /api/tickets/import?quarter=Q&dryRun=true']);
      expect(document.querySelector('[data-testid="csv-errors"]')?.textContent).toContain('Row 3, priority: must be 1 (urgent)');
      const bad = document.querySelector('[data-testid="csv-preview"] tr[data-row="3"] td[aria-invalid="true"]');
      expect(bad?.textContent).toContain('high');
      expect(importButton().disabled).toBe(true);

      await choose('id,client,priority\nN-1,harbor,3\nN-2,quill,2\n');
      expect(document.querySelector('[data-testid="csv-verdict"]')?.textContent).toContain('All 2 rows are good: 2 new, 0 changed, 0 unchanged');
      expect(importButton().disabled).toBe(false);
      importButton().click();
      await new Promise((r) => setTimeout(r, 20));
      await w.vm.$nextTick();
      expect(asked.at(-1)).toBe('POST /api/tickets/import?quarter=Q');
      expect(w.emitted('imported')?.[0]?.[0]).toBe('tickets');
      expect(document.querySelector('[data-testid="csv-done"]')?.textContent).toContain('Imported: 2 new');
      w.unmount();
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
