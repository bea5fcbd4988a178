/**
 * The History page's state: the quarter's plan versions with their why (a page at a time), the
 * two versions compared and their diff, the "since Monday" pair, and the audit trail under its
 * filters. Everything reads again when the server says the plan or the data moved.
 */
import { computed, ref, shallowRef, watch } from 'vue';
import type { AuditEntry, PlanDiffResponse, PlanVersions, QuarterRecord, UserRecord } from '../../../shared/api/index.ts';
import { api, call } from '../api/http.ts';
import { auditQuery, localDay, mondayOf, NO_FILTERS, sinceMondayPair, type AuditFilters } from './plan-history.ts';
import { pickQuarter } from './use-quarter-close.ts';
import { usePagedList } from './use-paged-list.ts';
import { useResource } from './use-resource.ts';

const PLAN_EVENTS = ['plan.updated'] as const;
const DATA_EVENTS = ['data.changed', 'ticket.changed', 'time-entry.changed'] as const;

/** `asked`: the quarter the page was asked for; `shown`: the one the dashboards show. */
export function usePlanHistory(asked: () => string | null, shown: () => string | null, opts: { filters?: AuditFilters; now?: () => Date } = {}) {
  const now = opts.now ?? (() => new Date());
  const quarters = useResource(() => 'all', () => api.quarters.list(), [] as QuarterRecord[], ['data.changed']);
  const quarter = computed(() => pickQuarter(quarters.data.value, asked(), shown()));

  /** Every version of the quarter (the latest 200), light: for the pickers and "since Monday". */
  const versions = useResource(() => quarter.value, (q) => call('GET /api/plans', { query: { quarter: q } }), null as PlanVersions | null, [...PLAN_EVENTS]);
  const current = computed(() => (versions.data.value?.quarter === quarter.value ? versions.data.value.current : null));

  /** The versions with their why, newest first, a page at a time. */
  const history = usePagedList(
    // Before the quarters are read, the server's current quarter (the one the dashboards show).
    (q) => call('GET /api/plans/history', { query: { quarter: quarter.value ?? undefined, ...q } }),
    { pageSize: 20, events: [...PLAN_EVENTS, 'data.changed'] },
  );
  watch(quarter, () => void history.reload());

  // The two versions compared; the diff always reads from the older to the newer.
  const older = ref<number | null>(null);
  const newer = ref<number | null>(null);
  /** Set by "since Monday": what the pair is, in words, until another pair is picked. */
  const note = ref<string | null>(null);
  const pair = computed(() => {
    if (newer.value === null) return null;
    const a = older.value;
    const b = newer.value;
    return a === null || a < b ? { from: a, to: b } : { from: b, to: a };
  });
  const diff = useResource(
    () => (pair.value && pair.value.from !== pair.value.to ? pair.value : null),
    (p) => call('GET /api/plans/:version/diff', { params: { version: p.to }, query: { against: p.from ?? undefined } }),
    null as PlanDiffResponse | null,
  );
  /** The diff of the pair picked now (not one still shown from the pair before). */
  const shownDiff = computed(() => {
    const d = diff.data.value;
    const p = pair.value;
    return d && p && d.to === p.to && (p.from === null || d.from === p.from) ? d : null;
  });

  /** Compares two versions; one alone compares it with the version before it. */
  function compare(a: number | null, b: number): void {
    note.value = null;
    older.value = a;
    newer.value = b;
  }
  /** A version against the one before it (the oldest: against nothing). */
  function compareWithPrevious(version: number): void {
    const list = versions.data.value?.versions ?? [];
    const prev = list.filter((v) => v.version < version).sort((x, y) => y.version - x.version)[0];
    compare(prev?.version ?? null, version);
  }
  // Opens on the current version against the one before it.
  watch(
    () => versions.data.value,
    (v) => {
      if (newer.value === null && v?.current && v.quarter === quarter.value) compareWithPrevious(v.current);
    },
  );

  // The audit trail under its filters.
  const filters = ref<AuditFilters>({ ...(opts.filters ?? NO_FILTERS) });
  const audit = usePagedList<AuditEntry>((q) => call('GET /api/audit', { query: { ...auditQuery(filters.value), ...q } }), { pageSize: 25, events: [...DATA_EVENTS] });
  watch(filters, () => void audit.reload(), { deep: true });
  const users = useResource(() => 'all', () => api.users.list(), [] as UserRecord[]);

  /** "Since Monday": Monday's plan against the current one, and the audit trail from Monday. */
  const monday = shallowRef<Date | null>(null);
  function sinceMonday(): boolean {
    const v = versions.data.value;
    const m = mondayOf(now());
    monday.value = m;
    filters.value = { ...filters.value, from: localDay(m), to: '' };
    const p = v ? sinceMondayPair(v.versions, current.value, m) : null;
    if (!p) {
      note.value = 'There is no plan to compare yet.';
      return false;
    }
    older.value = p.from;
    newer.value = p.to;
    const before = v!.versions.some((x) => x.version === p.from && Date.parse(x.createdAt) < m.getTime());
    note.value =
      p.from === p.to
        ? `No new plan since Monday: v${p.to} was already in force.`
        : before
          ? `Since Monday: v${p.from}, in force on Monday, against v${p.to}, the plan now.`
          : `Since Monday: every plan is newer than Monday, so the oldest, v${p.from}, against v${p.to}, the plan now.`;
    return true;
  }

  return { quarters, quarter, versions, current, history, older, newer, pair, diff, shownDiff, note, compare, compareWithPrevious, filters, audit, users, sinceMonday, monday };
}
