/**
 * The manager's plan by view and by page: what a screen shows beyond the first screen (the
 * summary, held by use-plan.ts), read when the screen needs it and read again only when a move of
 * the plan touches it.
 *
 * Every answer carries the plan version it was read from. A view is only ever replaced by one at
 * least as new; a move that touches a view (its `changes` name a client, ticket or person it shows,
 * or the move is not known in detail) reads it again and wants that version or newer (an instance
 * a moment behind answers an older one: it is asked again shortly); a move that does not touch it
 * leaves it as it is, still true of the newer plan. A read asked for while one is on its way runs
 * again after it (coalesced), so news that arrives mid-fetch is never lost.
 */
import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { ApiError, api } from '../api/http.ts';
import { onLive } from '../api/live.ts';
import type { AllocationRow, ClientDetail, QueueRow as PlanQueueRow, TicketPlanPageQuery } from '../../../shared/api/index.ts';
import type { PlanChangesPayload } from '../../../shared/socket-events.ts';
import { coalesced } from './coalesce.ts';
import { cellTicketsOf, type CellTicket } from './pin-data.ts';
import { onPlanMoved, usePlan } from './use-plan.ts';

/** Items per page of the queue on screen (the first one comes with the summary). */
export const QUEUE_STEP = 100;
/** The most a page may hold (shared/api/paging.ts PAGE_LIMIT_MAX). */
const PAGE_MAX = 1000;
const RETRY_MS = 250;
const RETRIES = 4;

export interface Versioned<T> {
  data: ShallowRef<T | null>;
  error: ShallowRef<ApiError | null>;
  loading: Ref<boolean>;
  /** Reads again from scratch (wanting at least the version shown). */
  reload(): Promise<void>;
  /** Reads on from what is shown (`load` gets it as `prev`). */
  fetch(): Promise<void>;
}

export interface VersionedOptions<K, T> {
  /** What to read; null: nothing (yet). A new key reads afresh (the old answer is dropped). */
  key: () => K | null;
  /** Reads `key`; `prev` is what is shown for the same key (null after a new key or a move). */
  load: (key: K, prev: T | null) => Promise<T>;
  /** Whether a move with these changes touches what is shown. */
  touched: (data: T, changes: PlanChangesPayload) => boolean;
  /** Ticket records shown (titles, priorities): after a `ticket.changed` for one, read again once its re-plan is done. */
  tickets?: (data: T) => Iterable<string>;
}


/** A view of the plan read by key, kept as new as the plan moves that touch it (see above). */
export function useVersioned<K, T extends { version: number }>(o: VersionedOptions<K, T>): Versioned<T> {
  const { version: shown } = usePlan();
  const data = shallowRef<T | null>(null) as ShallowRef<T | null>;
  const error = shallowRef<ApiError | null>(null);
  const loading = ref(false);
  /** The version the next read must reach (a move that touched the view, or the plan shown). */
  let need = 0;
  /** The data shown is still right for its key, but not for the newest move: read it afresh. */
  let stale = false;
  let tries = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let keyShown = '';
  /** A record shown was edited since it was read. */
  let recordNews = false;
  /** The key of the read on its way, or of the last one. */
  let keyAsked = '';

  const run = coalesced(async () => {
    const k = o.key();
    if (k === null) return;
    const id = JSON.stringify(k);
    keyAsked = id;
    const prev = id === keyShown && !stale ? data.value : null;
    need = Math.max(need, shown.value ?? 0);
    stale = false;
    loading.value = true;
    try {
      const answer = await o.load(k, prev);
      // A newer key is on its way (the watcher asked for it): this answer is of no use.
      if (JSON.stringify(o.key()) !== id) return;
      const old = data.value;
      if (!old || keyShown !== id || answer.version >= old.version) {
        data.value = answer;
        keyShown = id;
      }
      error.value = null;
      if (answer.version < need && tries < RETRIES) {
        // Read from an instance a moment behind the news: ask again shortly.
        tries++;
        stale = true;
        clearTimeout(retry);
        retry = setTimeout(() => void run(), RETRY_MS * tries);
      } else tries = 0;
    } catch (err) {
      error.value = ApiError.from(err);
    } finally {
      loading.value = false;
    }
  });

  watch(
    () => JSON.stringify(o.key()),
    (id) => {
      if (id === keyShown || id === keyAsked) return;
      data.value = null;
      keyShown = '';
      keyAsked = '';
      tries = 0;
      if (id !== 'null') void run();
    },
    { immediate: true },
  );

  const offs = [
    onPlanMoved((m) => {
      const d = data.value;
      if (o.key() === null) return;
      if (d && d.version >= m.version) return;
      // While the first read is on its way nothing says what it holds: read again after it.
      if (d && m.changes && !o.touched(d, m.changes) && !recordNews) return;
      recordNews = false;
      need = Math.max(need, m.version);
      stale = true;
      tries = 0;
      void run();
    }),
  ];
  if (o.tickets) {
    const ids = o.tickets;
    // A record shown was edited (title, priority, status): its re-plan moves the plan (a move
    // above) or, when the plan comes out the same, the version's data revision in place, which
    // `replan.finished` tells; the rows are read again then (their ETag has moved on with it).
    offs.push(
      onLive('ticket.changed', (p) => {
        const d = data.value;
        if (d && [...ids(d)].includes(p.ticketId)) recordNews = true;
      }),
      onLive('replan.finished', () => {
        if (!recordNews) return;
        recordNews = false;
        stale = true;
        void run();
      }),
    );
  }
  if (getCurrentScope()) {
    onScopeDispose(() => {
      clearTimeout(retry);
      offs.forEach((off) => off());
    });
  }

  return { data, error, loading, reload: () => ((stale = true), run()), fetch: run };
}

const overlaps = (a: readonly string[], b: Iterable<string>) => {
  if (!a.length) return false;
  const set = new Set(a);
  for (const x of b) if (set.has(x)) return true;
  return false;
};

// The ticket queue.

/** `requested`: only the tickets whose emergency a tracker asked for (the server's `requested=true`). */
export type QueueFilters = Pick<TicketPlanPageQuery, 'client' | 'staff' | 'state' | 'status' | 'sort' | 'dir' | 'requested'>;

export interface QueueData {
  version: number;
  items: PlanQueueRow[];
  total: number;
  nextCursor: string | null;
}

/** The tickets a queue view touches: its rows and the people planned on them. */
function queueTouched(d: QueueData, c: PlanChangesPayload): boolean {
  // A ticket that moved may sort into the rows shown (its unplanned hours moved), and the people
  // on a row name it; a move of client figures alone or of people not shown leaves the rows as they are.
  return c.tickets.length > 0 || overlaps(c.staff, d.items.flatMap((r) => r.staff ?? []));
}

/** The summary's first page, as the queue under these filters begins (or null when it does not). */
export function queueFromSummary(filters: QueueFilters, summary: ReturnType<typeof usePlan>['summary']['value']): QueueData | null {
  if (!summary || filters.client || filters.staff || filters.state || filters.sort || filters.requested) return null;
  const q = summary.queue;
  if (!filters.status) return { version: summary.version, items: q.items, total: q.total, nextCursor: q.nextCursor };
  if (filters.status !== 'open') return null;
  // Closed tickets sort after open ones: the page's open rows are the open queue's first rows.
  const items = q.items.filter((r) => r.status === 'open');
  // Its cursor names a row of the unfiltered queue: the next open rows are read from the start.
  return { version: summary.version, items, total: summary.totals.openTickets, nextCursor: items.length < summary.totals.openTickets ? RESTART : null };
}
/** A cursor that reads the queue again from its start (up to the rows wanted). */
const RESTART = '\u0000restart';

/**
 * The manager's ticket queue under filters, a page at a time: the first page from the summary
 * where the filters allow (no extra request), then `more()` by the server's cursor. A move that
 * touches it reads the rows shown again in one request (up to 1000), then goes on by cursor.
 */
export function useQueue(filters: () => QueueFilters) {
  const { summary, quarter } = usePlan();
  const want = ref(QUEUE_STEP);
  const derived = computed(() => queueFromSummary(filters(), summary.value));
  /** Own pages: once the view needs more than the summary's first page, or other filters. */
  const ownWanted = ref(false);
  watch(
    () => JSON.stringify(filters()),
    () => {
      want.value = QUEUE_STEP;
      ownWanted.value = false;
    },
  );

  async function read(q: QueueFilters & { quarter?: string }, count: number, prev: QueueData | null): Promise<QueueData> {
    const { requested, ...rest } = q;
    const page = (cursor: string | undefined, limit: number) => api.plans.tickets({ ...rest, ...(requested ? { requested: 'true' as const } : {}), cursor, limit });
    let out: QueueData;
    if (prev && prev.nextCursor && prev.nextCursor !== RESTART && prev.items.length < count) {
      const next = await page(prev.nextCursor, Math.min(PAGE_MAX, count - prev.items.length));
      // The next page of a newer plan: the rows before it may have moved too; read them all again.
      if (next.version !== prev.version) return read(q, count, null);
      out = { version: next.version, items: [...prev.items, ...next.items], total: next.total, nextCursor: next.nextCursor };
    } else {
      const first = await page(undefined, Math.min(PAGE_MAX, count));
      out = { version: first.version, items: first.items, total: first.total, nextCursor: first.nextCursor };
    }
    while (out.items.length < count && out.nextCursor) {
      const next = await page(out.nextCursor, Math.min(PAGE_MAX, count - out.items.length));
      if (next.version !== out.version) return read(q, count, null);
      out = { version: next.version, items: [...out.items, ...next.items], total: next.total, nextCursor: next.nextCursor };
    }
    return out;
  }

  const own = useVersioned<QueueFilters & { quarter?: string }, QueueData>({
    key: () => (quarter.value && (ownWanted.value || !derived.value) ? { quarter: quarter.value.id, ...filters() } : null),
    load: (k, prev) => read(k, Math.max(want.value, prev?.items.length ?? 0), prev),
    touched: queueTouched,
    tickets: (d) => d.items.map((r) => r.id),
  });
  // Own pages once read; until then (and while they are on their way) the summary's.
  const data = computed<QueueData | null>(() => (own.data.value && (ownWanted.value || !derived.value) ? own.data.value : (derived.value ?? own.data.value)));
  const loadingMore = ref(false);

  /** The next rows, by keyboard or pointer alike (a button below the table). */
  async function more(): Promise<void> {
    const cur = data.value;
    if (!cur || !cur.nextCursor || loadingMore.value) return;
    want.value = cur.items.length + QUEUE_STEP;
    loadingMore.value = true;
    try {
      // From the summary's page: own pages begin, `want` rows from the start; else on by cursor.
      ownWanted.value = true;
      await own.fetch();
    } finally {
      loadingMore.value = false;
    }
  }

  return {
    data,
    rows: computed(() => data.value?.items ?? []),
    total: computed(() => data.value?.total ?? 0),
    hasMore: computed(() => Boolean(data.value?.nextCursor)),
    loading: computed(() => !data.value && own.loading.value),
    loadingMore,
    error: own.error,
    more,
  };
}

// One client in full.

/** A client's detail, read when its page opens and again when a move touches it. */
export function useClientDetail(id: () => string | null) {
  const { quarter } = usePlan();
  return useVersioned<{ quarter: string; id: string }, ClientDetail>({
    key: () => (quarter.value && id() ? { quarter: quarter.value.id, id: id()! } : null),
    load: (k) => api.plans.client(k.id, k.quarter),
    touched: (d, c) =>
      c.clients.includes(d.client.id) ||
      overlaps(
        c.tickets,
        d.tickets.map((t) => t.id),
      ) ||
      overlaps(
        c.staff,
        d.allocations.map((a) => a.staff ?? ''),
      ),
    tickets: (d) => d.tickets.map((t) => t.id),
  });
}

// A person's week (the pin form): the tickets planned there.

/** Every allocation row of one query (a person-week is a page or two). */
async function allAllocations(q: { quarter?: string; staff: string; week: number }): Promise<{ version: number; rows: AllocationRow[] }> {
  const rows: AllocationRow[] = [];
  let cursor: string | undefined;
  let version = 0;
  do {
    const page = await api.plans.allocations({ ...q, cursor, limit: PAGE_MAX });
    if (version && page.version !== version) return allAllocations(q);
    version = page.version;
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { version, rows };
}

interface CellEntry {
  version: number;
  tickets: CellTicket[];
}
/** Person-weeks read so far (the pin form's), by `staff\0week`; dropped when that person moves. */
const cells = shallowRef(new Map<string, CellEntry>());
const cellReads = new Map<string, Promise<CellEntry>>();
let cellFeed: (() => void) | null = null;
const cellId = (staff: string, week: number) => `${staff}\u0000${week}`;

function watchCells(): void {
  cellFeed ??= onPlanMoved((m) => {
    const next = new Map(cells.value);
    let dropped = false;
    for (const k of next.keys()) {
      if (m.changes === null || m.changes.staff.includes(k.slice(0, k.indexOf('\u0000')))) {
        next.delete(k);
        dropped = true;
      }
    }
    if (dropped) cells.value = next;
  });
}

/** Reads one person-week's tickets (once per version that moved them); resolves when they are here. */
export function loadCell(staff: string, week: number, quarter?: string): Promise<CellEntry> {
  watchCells();
  const k = cellId(staff, week);
  const have = cells.value.get(k);
  if (have) return Promise.resolve(have);
  let reading = cellReads.get(k);
  if (!reading) {
    reading = allAllocations({ quarter, staff, week })
      .then((r) => {
        const entry = { version: r.version, tickets: cellTicketsOf(r.rows) };
        cells.value = new Map(cells.value).set(k, entry);
        return entry;
      })
      .finally(() => cellReads.delete(k));
    cellReads.set(k, reading);
  }
  return reading;
}

/** The tickets planned for `staff` in `week` as far as read: [] until then (and it is read). */
export function useCellTickets() {
  const { quarter } = usePlan();
  return (staff: string, week: number): CellTicket[] => {
    if (!staff) return [];
    const hit = cells.value.get(cellId(staff, week));
    if (!hit) void loadCell(staff, week, quarter.value?.id).catch(() => {});
    return hit?.tickets ?? [];
  };
}

/** Forgets the person-weeks read (on sign-out). */
export function forgetCells(): void {
  cells.value = new Map();
  cellFeed?.();
  cellFeed = null;
}

// Open tickets to choose from (the emergency and pin forms).

export interface TicketChoice {
  id: string;
  client: string;
  title: string;
  priority: number | null;
  status: 'open' | 'closed';
  emergency: boolean;
}

/**
 * The open tickets of one client (all of them), or without a client the queue's first open ones
 * (the most urgent): what a form offers to choose from, read when the form opens.
 */
export function useTicketChoices(opts: { open: () => boolean; client: () => string }) {
  const { quarter } = usePlan();
  const res = useVersioned<{ quarter: string; client: string }, QueueData>({
    key: () => (opts.open() && quarter.value ? { quarter: quarter.value.id, client: opts.client() } : null),
    load: async (k) => {
      const p = await api.plans.tickets({ quarter: k.quarter, status: 'open', client: k.client || undefined, limit: k.client ? PAGE_MAX : QUEUE_STEP });
      return { version: p.version, items: p.items, total: p.total, nextCursor: p.nextCursor };
    },
    touched: (_d, c) => c.tickets.length > 0,
    tickets: (d) => d.items.map((r) => r.id),
  });
  return {
    choices: computed<TicketChoice[]>(() => (res.data.value?.items ?? []).map((r) => ({ id: r.id, client: r.client, title: r.title, priority: r.priority, status: r.status, emergency: r.emergency }))),
    /** More open tickets than offered (no client chosen). */
    partial: computed(() => Boolean(res.data.value?.nextCursor)),
    total: computed(() => res.data.value?.total ?? 0),
    loading: res.loading,
    error: res.error,
  };
}
