/**
 * The plan in force by view and by page (GET /api/plans/current/summary, /allocations, /tickets,
 * /clients/:id): indexes made once per version and audience, so a request is a lookup, a binary
 * search and a page, never a walk over the plan (10,000 tickets and tens of thousands of rows at
 * xl).
 *
 * - per version: the allocations in page order with their positions by week, staff, client and
 *   ticket; tickets, unplanned entries and clients by id and by client; the pinned rows;
 * - per version and audience: what that viewer sees of them (plan-view.ts's cuts: managers all,
 *   staff their own rows and the tickets and clients behind them, a client its own without who);
 * - per version, data revision and audience: the ticket queue in the dashboard's order
 *   (shared/queue-order.ts), which reads the tickets' records (title, priority, emergency,
 *   status): a change that leaves the plan identical moves the revision on, not the version.
 *
 * All of it lives in one cache bounded in bytes (ByteCache), weighed by estimate.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { PAGE_LIMIT_DEFAULT, type Page } from '../../../shared/api/paging.ts';
import type { AllocationPageQuery, AllocationRow, ClientDetail, ClientSummary, PinnedRow, PlanSummary, QueueRow, QueueSort, QueueTotals, QueueUnplanned, SortDir, TicketPlanPageQuery, TicketState } from '../../../shared/api/plans.ts';
import { queueOrder } from '../../../shared/queue-order.ts';
import { tidy } from '../../../solver/quarter-hours.ts';
import { compareIds, type Allocation, type ClientPlan, type Plan, type TicketPlan, type Unplanned } from '../../../solver/index.ts';
import { cut, type Audience } from '../../auth/views.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { notFound } from '../../errors.ts';
import { ByteCache, MB } from '../../planning/byte-cache.ts';
import type { StoredPlan } from '../../planning/plan-store.ts';
import { CLIENT_SUMMARY_FIELDS, QUEUE_UNPLANNED_FIELDS } from './plan-fields.ts';
import { allocatedIn, clientReason, cutAllocation, cutTicket, cutUnplanned, ownFigures, staffClient } from './plan-view.ts';
import { RowIndex, type FacetOf, type KeyOrder } from './row-index.ts';

/** Everything below, for every version and audience asked of lately. */
const VIEWS_BUDGET = 64 * MB;

/** Rough heap weights per record, for the cache (measured order of magnitude, with a margin). */
const WEIGHT = { allocation: 160, ticket: 260, queueRow: 420, unplanned: 320, client: 1600, record: 160 } as const;

/** Who sees what: the role, and whose rows. */
export interface Scope {
  audience: Audience;
  staffId: string | null;
  clientId: string | null;
  /** `manager`, `staff:ana`, `client:acme`: the cache's and the ETag's audience. */
  key: string;
}

export function scopeOf(v: Viewer): Scope {
  const audience = v.role;
  return { audience, staffId: v.staffId, clientId: v.clientId, key: audience === 'manager' ? 'manager' : audience === 'staff' ? `staff:${v.staffId}` : `client:${v.clientId}` };
}

type AllocationFacet = 'week' | 'staff' | 'client' | 'ticket';
type QueueFacet = 'client' | 'staff' | 'state' | 'status' | 'requested';

/** The index of one version, for every audience. */
interface VersionIndex {
  plan: Plan;
  /** The plan's rows in page order. */
  allocations: RowIndex<Allocation, AllocationFacet>;
  ticketById: Map<string, TicketPlan>;
  ticketsByClient: Map<string, TicketPlan[]>;
  unplannedByTicket: Map<string, Unplanned>;
  clientById: Map<string, ClientPlan>;
  pinned: PinnedRow[];
}

/** One viewer's share of a version. */
interface Cutout {
  allocations: RowIndex<AllocationRow, AllocationFacet>;
  /** A client's rows share (week, ticket, level) when two people work them: their order among those. */
  ties: Int32Array | null;
  /** The tickets the viewer sees (uncut). */
  tickets: TicketPlan[];
  /** The clients the viewer sees (uncut). */
  clients: Map<string, ClientPlan>;
}

interface Queue {
  rows: RowIndex<QueueRow, QueueFacet>;
  totals: QueueTotals;
}

/** What the queue reads of a ticket's record. */
interface TicketFacts {
  title: string;
  priority: 1 | 2 | 3 | 4;
  emergency: boolean;
  emergencyRequested: boolean;
  status: 'open' | 'closed';
  estimateHours: number;
  spentHours: number;
  openedWeek: number;
}

interface Cached {
  value: unknown;
  bytes: number;
}

export class PlanPages {
  private readonly cache = new ByteCache<string, Cached>(VIEWS_BUDGET, (c) => c.bytes);
  private readonly loading = new Map<string, Promise<Map<string, TicketFacts>>>();

  /** `reader`: an entity manager for the tickets' records. */
  constructor(private readonly reader: () => EntityManager) {}

  /** What the cache holds now (tests, diagnostics). */
  stats(): { entries: number; bytes: number; budget: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes, budget: this.cache.maxBytes };
  }

  async summary(stored: StoredPlan): Promise<PlanSummary> {
    const scope: Scope = { audience: 'manager', staffId: null, clientId: null, key: 'manager' };
    const ix = this.versionIndex(stored);
    const queue = await this.queue(stored, scope);
    const plan = ix.plan;
    return {
      version: stored.version,
      createdAt: stored.createdAt.toISOString(),
      quarter: plan.quarter,
      policy: plan.policy,
      weeks: plan.weeks,
      staff: plan.staff,
      clients: plan.clients.map(clientSummary),
      queue: { version: stored.version, ...queue.rows.page({}, QUEUE_ORDER, PAGE_LIMIT_DEFAULT, undefined) },
      pinIssues: plan.pinIssues,
      pinned: ix.pinned,
      stats: plan.stats,
      totals: queue.totals,
    };
  }

  allocations(stored: StoredPlan, scope: Scope, q: AllocationPageQuery): Page<AllocationRow> & { version: number } {
    const cutout = this.cutout(stored, scope);
    // A client's rows carry no staff: filtering on a person finds nothing.
    if (q.staff !== undefined && scope.audience === 'client') return { version: stored.version, items: [], total: 0, nextCursor: null };
    const order = allocationOrder(cutout.ties);
    return { version: stored.version, ...cutout.allocations.page({ week: q.week, staff: q.staff, client: q.client, ticket: q.ticket }, order, q.limit, q.cursor) };
  }

  async tickets(stored: StoredPlan, scope: Scope, q: TicketPlanPageQuery): Promise<Page<QueueRow> & { version: number }> {
    const queue = await this.queue(stored, scope);
    const filters = { client: q.client, staff: q.staff, state: q.state, status: q.status, requested: q.requested === undefined ? undefined : q.requested ? 1 : 0 };
    if (!q.sort) return { version: stored.version, ...queue.rows.page(filters, QUEUE_ORDER, q.limit, q.cursor) };
    const sorted = this.sortedQueue(stored, scope, queue, q.sort, q.dir ?? 'asc');
    return { version: stored.version, ...sorted.rows.page(filters, sorted.order, q.limit, q.cursor) };
  }

  /** The queue in one column's order, made once per version, revision, audience and order. */
  private sortedQueue(stored: StoredPlan, scope: Scope, queue: Queue, sort: QueueSort, dir: SortDir): { rows: RowIndex<QueueRow, QueueFacet>; order: KeyOrder<QueueRow, SortKey> } {
    const key = `qs|${stored.version}|${stored.dataRevision}|${scope.key}|${sort}|${dir}`;
    return this.cached(key, () => {
      const clients = this.versionIndex(stored).clientById;
      const order = sortOrder(sort, dir, (id) => clients.get(id)?.name ?? id);
      const rows = [...queue.rows.rows].sort((a, b) => order.compare(a, 0, order.keyOf(b, 0)));
      const index = new RowIndex<QueueRow, QueueFacet>(rows, QUEUE_FACETS);
      return { value: { rows: index, order }, bytes: rows.length * 8 + index.bytes + 512 };
    });
  }

  /** A client the viewer may not see is not found, in the very words of one that does not exist. */
  checkClient(stored: StoredPlan, scope: Scope, clientId: string): ClientPlan {
    const c = this.cutout(stored, scope).clients.get(clientId);
    if (!c) throw notFound(`Client ${clientId}`);
    return c;
  }

  /** One client in full (checkClient first). */
  async client(stored: StoredPlan, scope: Scope, clientId: string): Promise<ClientDetail> {
    const c = this.checkClient(stored, scope, clientId);
    const cutout = this.cutout(stored, scope);
    const ix = this.versionIndex(stored);
    const queue = await this.queue(stored, scope);
    const visible = new Set(cutout.tickets.map((t) => t.id));
    const unplanned = (ix.ticketsByClient.get(clientId) ?? []).flatMap((t) => {
      const u = visible.has(t.id) ? ix.unplannedByTicket.get(t.id) : undefined;
      return u ? [cutUnplanned(u, scope.audience, scope.clientId)] : [];
    });
    const client =
      scope.audience === 'manager'
        ? c
        : scope.audience === 'staff'
          ? staffClient(c)
          : ownFigures(c, {
              isOwnTicket: (id) => ix.ticketById.get(id)?.client === c.id,
              unplannedOf: (id) => ix.unplannedByTicket.get(id),
              currentWeek: ix.plan.quarter.currentWeek,
              allocatedThisWeek: allocatedIn(cutout.allocations.all({ client: clientId, week: ix.plan.quarter.currentWeek }), clientId, ix.plan.quarter.currentWeek),
            });
    return {
      version: stored.version,
      createdAt: stored.createdAt.toISOString(),
      quarter: ix.plan.quarter,
      client,
      tickets: queue.rows.all({ client: clientId }),
      unplanned,
      allocations: cutout.allocations.all({ client: clientId }),
    };
  }

  // The indexes, each made once and kept while the budget allows.

  private cached<V>(key: string, make: () => { value: V; bytes: number }): V {
    const hit = this.cache.get(key);
    if (hit) return hit.value as V;
    const made = make();
    this.cache.set(key, made);
    return made.value;
  }

  private versionIndex(stored: StoredPlan): VersionIndex {
    return this.cached(`v|${stored.version}`, () => {
      const plan = stored.plan;
      const sorted = [...plan.allocations].sort(compareAllocations);
      const ticketsByClient = new Map<string, TicketPlan[]>();
      for (const t of plan.tickets) push(ticketsByClient, t.client, t);
      const pinned: PinnedRow[] = [];
      for (const a of sorted) {
        const hours = a.pinned ? (a.pinnedHours ?? a.hours) : 0;
        if (hours > 0) pinned.push({ week: a.week, staff: a.staff, ticket: a.ticket, hours });
      }
      const allocations = new RowIndex<Allocation, AllocationFacet>(sorted, { week: (a) => a.week, staff: (a) => a.staff, client: (a) => a.client, ticket: (a) => a.ticket });
      const value: VersionIndex = {
        plan,
        allocations,
        ticketById: new Map(plan.tickets.map((t) => [t.id, t])),
        ticketsByClient,
        unplannedByTicket: new Map(plan.unplanned.map((u) => [u.ticket, u])),
        clientById: new Map(plan.clients.map((c) => [c.id, c])),
        pinned,
      };
      // The plan itself is held here too (the plan cache may let it go first): counted in full.
      const bytes =
        sorted.length * (WEIGHT.allocation + 8) +
        allocations.bytes +
        plan.tickets.length * (WEIGHT.ticket + 100) +
        plan.unplanned.length * WEIGHT.unplanned +
        plan.clients.length * WEIGHT.client +
        plan.staff.length * WEIGHT.client;
      return { value, bytes };
    });
  }

  private cutout(stored: StoredPlan, scope: Scope): Cutout {
    return this.cached(`c|${stored.version}|${scope.key}`, () => {
      const ix = this.versionIndex(stored);
      if (scope.audience === 'manager') {
        // The plan's own rows: a manager's cut is the row itself (its facets read only what every row has).
        const value: Cutout = { allocations: ix.allocations as unknown as RowIndex<AllocationRow, AllocationFacet>, ties: null, tickets: ix.plan.tickets, clients: ix.clientById };
        return { value, bytes: 256 };
      }
      let rows: Allocation[];
      let ties: Int32Array | null = null;
      let tickets: TicketPlan[];
      if (scope.audience === 'staff') {
        rows = ix.allocations.all({ staff: scope.staffId ?? '' });
        const ids = new Set(rows.map((a) => a.ticket));
        // In no particular order: the queue sorts them.
        tickets = [...ids].flatMap((id) => ix.ticketById.get(id) ?? []);
      } else {
        // Who works a row is not the client's to see, nor to infer from the order: theirs is
        // (week, ticket, level), then the people in an order they cannot read.
        rows = ix.allocations.all({ client: scope.clientId ?? '' }).sort((a, b) => a.week - b.week || compareIds(a.ticket, b.ticket) || a.level - b.level || compareIds(a.staff, b.staff));
        ties = new Int32Array(rows.length);
        for (let i = 1; i < rows.length; i++) {
          const a = rows[i - 1]!;
          const b = rows[i]!;
          ties[i] = a.week === b.week && a.ticket === b.ticket && a.level === b.level ? ties[i - 1]! + 1 : 0;
        }
        tickets = ix.ticketsByClient.get(scope.clientId ?? '') ?? [];
      }
      const clients = new Map<string, ClientPlan>();
      if (scope.audience === 'staff') for (const a of rows) clients.set(a.client, ix.clientById.get(a.client)!);
      else {
        const own = ix.clientById.get(scope.clientId ?? '');
        if (own) clients.set(own.id, own);
      }
      const cutRows = rows.map((a) => cutAllocation(a, scope.audience));
      const allocations = new RowIndex<AllocationRow, AllocationFacet>(cutRows, { week: (a) => a.week, staff: (a) => a.staff, client: (a) => a.client, ticket: (a) => a.ticket });
      const value: Cutout = { allocations, ties, tickets, clients };
      return { value, bytes: cutRows.length * WEIGHT.allocation + allocations.bytes + tickets.length * 16 + clients.size * 64 + 512 };
    });
  }

  private async queue(stored: StoredPlan, scope: Scope): Promise<Queue> {
    const key = `q|${stored.version}|${stored.dataRevision}|${scope.key}`;
    const hit = this.cache.get(key);
    if (hit) return hit.value as Queue;
    const facts = await this.ticketFacts(stored);
    return this.cached(key, () => {
      const ix = this.versionIndex(stored);
      const cutout = this.cutout(stored, scope);
      const rows = cutout.tickets.map((t) => queueRow(t, scope, cutout, ix.unplannedByTicket.get(t.id), facts.get(t.id))).sort(queueOrder);
      const index = new RowIndex<QueueRow, QueueFacet>(rows, QUEUE_FACETS);
      return { value: { rows: index, totals: totalsOf(rows) }, bytes: rows.length * WEIGHT.queueRow + index.bytes + 512 };
    });
  }

  /** The queue's facts of every ticket of the version's quarter, read once per data revision. */
  private async ticketFacts(stored: StoredPlan): Promise<Map<string, TicketFacts>> {
    const key = `r|${stored.quarterId}|${stored.version}|${stored.dataRevision}`;
    const hit = this.cache.get(key);
    if (hit) return hit.value as Map<string, TicketFacts>;
    let loading = this.loading.get(key);
    if (!loading) {
      loading = (async () => {
        // Spent as a ticket's record has it (ticket-json.ts): the baseline and every hour logged.
        const rows = await this.reader().execute<{ id: string; title: string; priority: number; emergency: boolean; emergency_requested: boolean; status: 'open' | 'closed'; estimate_hours: number; spent: number; opened_week: number }[]>(
          `select t.id, t.title, t.priority, t.emergency, t.emergency_requested, t.status, t.estimate_hours, t.opened_week,
             t.spent_baseline + coalesce((select sum(e.hours) from time_entries e where e.ticket_id = t.id), 0) as spent
           from tickets t where t.quarter_id = ?`,
          [stored.quarterId],
        );
        const facts = new Map<string, TicketFacts>();
        for (const r of rows) {
          facts.set(r.id, {
            title: r.title,
            priority: r.priority as TicketFacts['priority'],
            emergency: r.emergency,
            emergencyRequested: r.emergency_requested,
            status: r.status,
            estimateHours: Number(r.estimate_hours),
            spentHours: tidy(Number(r.spent)),
            openedWeek: Number(r.opened_week),
          });
        }
        this.cache.set(key, { value: facts, bytes: rows.reduce((n, r) => n + WEIGHT.record + r.title.length, 0) });
        return facts;
      })().finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }
}

// Orders and keys.

/** (week, staff, ticket in natural order, level): one row per key (SCENARIO.md). */
function compareAllocations(a: Allocation, b: Allocation): number {
  return a.week - b.week || compareIds(a.staff, b.staff) || compareIds(a.ticket, b.ticket) || a.level - b.level;
}

/** A cursor's key: week, staff ('' for a client), ticket, level, and a client's tie. */
type AllocationKey = [number, string, string, number, number];

function allocationOrder(ties: Int32Array | null): KeyOrder<AllocationRow, AllocationKey> {
  return {
    list: 'plan-allocations',
    keyOf: (a, pos) => [a.week, a.staff ?? '', a.ticket, a.level, ties ? ties[pos]! : 0],
    compare: (a, pos, k) => a.week - k[0] || (ties ? 0 : compareIds(a.staff ?? '', k[1])) || compareIds(a.ticket, k[2]) || a.level - k[3] || (ties ? ties[pos]! - k[4] : 0),
    parseKey: (raw) =>
      Array.isArray(raw) && raw.length === 5 && Number.isInteger(raw[0]) && typeof raw[1] === 'string' && typeof raw[2] === 'string' && Number.isInteger(raw[3]) && Number.isInteger(raw[4])
        ? (raw as AllocationKey)
        : null,
  };
}

/** A cursor's key: what queueOrder reads (emergency, closed, priority, unplanned hours, id). */
type QueueKey = [0 | 1, 0 | 1, number, number, string];

const QUEUE_ORDER: KeyOrder<QueueRow, QueueKey> = {
  list: 'plan-tickets',
  keyOf: (r) => [r.emergency ? 1 : 0, r.status === 'closed' ? 1 : 0, r.priority ?? 9, r.unplannedHours, r.id],
  compare: (r, _pos, k) => queueOrder(r, { emergency: k[0] === 1, status: k[1] === 1 ? 'closed' : 'open', priority: k[2], unplannedHours: k[3], id: k[4] }),
  parseKey: (raw) =>
    Array.isArray(raw) && raw.length === 5 && (raw[0] === 0 || raw[0] === 1) && (raw[1] === 0 || raw[1] === 1) && Number.isFinite(raw[2]) && Number.isFinite(raw[3]) && typeof raw[4] === 'string'
      ? (raw as QueueKey)
      : null,
};

/** A cursor's key in one column's order: the row's value there (null: none) and its id. */
type SortKey = [string | number | null, string];

/** What each sortable column reads of a row; `clientName` names a client by id. */
function sortValue(sort: QueueSort, r: QueueRow, clientName: (id: string) => string): string | number | null {
  switch (sort) {
    case 'id':
      return r.id;
    case 'client':
      return clientName(r.client);
    case 'priority':
      return r.emergency ? 0 : r.priority;
    case 'estimate':
      return r.estimateHours;
    case 'spent':
      return r.spentHours;
    case 'opened':
      return r.openedWeek;
    case 'due':
      return r.dueWeek;
    case 'planned':
      return r.plannedHours;
    case 'unplanned':
      return r.unplannedHours;
    case 'weeks':
      return r.plannedWeeks[0] ?? null;
  }
}

/** Values in `dir`, no value last either way, then ids in natural order. */
function sortOrder(sort: QueueSort, dir: SortDir, clientName: (id: string) => string): KeyOrder<QueueRow, SortKey> {
  const sign = dir === 'desc' ? -1 : 1;
  const compareValues = (a: string | number | null, b: string | number | null): number => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return sign * (typeof a === 'number' && typeof b === 'number' ? a - b : compareIds(String(a), String(b)));
  };
  return {
    list: `plan-tickets-${sort}-${dir}`,
    keyOf: (r) => [sortValue(sort, r, clientName), r.id],
    compare: (r, _pos, k) => compareValues(sortValue(sort, r, clientName), k[0]) || compareIds(r.id, k[1]),
    parseKey: (raw) =>
      Array.isArray(raw) && raw.length === 2 && (raw[0] === null || typeof raw[0] === 'string' || Number.isFinite(raw[0])) && typeof raw[1] === 'string' ? (raw as SortKey) : null,
  };
}

const QUEUE_FACETS: Readonly<Record<QueueFacet, (r: QueueRow) => ReturnType<FacetOf<QueueRow>>>> = {
  client: (r) => r.client,
  staff: (r) => r.staff,
  state: statesOf,
  status: (r) => r.status,
  requested: (r) => (r.emergencyRequested ? 1 : 0),
};

// Rows.

function queueRow(t: TicketPlan, scope: Scope, cutout: Cutout, u: Unplanned | undefined, facts: TicketFacts | undefined): QueueRow {
  const rows = cutout.allocations.all({ ticket: t.id });
  const weeks = [...new Set(rows.map((a) => a.week))].sort((a, b) => a - b);
  const pinnedHours = scope.audience === 'client' ? undefined : tidy(rows.reduce((n, a) => n + (a.pinned ? (a.pinnedHours ?? a.hours) : 0), 0));
  return {
    ...cutTicket(t, scope.audience),
    title: facts?.title ?? '',
    priority: facts?.priority ?? null,
    emergency: facts?.emergency ?? false,
    emergencyRequested: facts?.emergencyRequested ?? false,
    status: facts?.status ?? 'open',
    estimateHours: facts?.estimateHours ?? null,
    spentHours: facts?.spentHours ?? null,
    openedWeek: facts?.openedWeek ?? null,
    plannedWeeks: weeks,
    ...(pinnedHours === undefined ? {} : { pinnedHours }),
    unplanned: u ? queueUnplanned(u, scope) : null,
  };
}

function queueUnplanned(u: Unplanned, scope: Scope): QueueUnplanned {
  if (scope.audience === 'manager') return cut(u, QUEUE_UNPLANNED_FIELDS.manager);
  if (scope.audience === 'staff') return cut(u, QUEUE_UNPLANNED_FIELDS.staff);
  return { ...cut(u, QUEUE_UNPLANNED_FIELDS.client), reason: clientReason(u, scope.clientId) };
}

function statesOf(r: QueueRow): TicketState[] {
  const states: TicketState[] = [];
  if (r.unplannedHours > 0) states.push('unplanned');
  if (r.late) states.push('late');
  if (r.plannedHours > 0) states.push('planned');
  return states;
}

function totalsOf(rows: readonly QueueRow[]): QueueTotals {
  const totals: QueueTotals = { tickets: rows.length, openTickets: 0, lateTickets: 0, unplannedTickets: 0, unplannedHours: 0, plannedHours: 0, emergencyRequests: 0, unplannedByCode: {} };
  for (const r of rows) {
    if (r.status === 'open') totals.openTickets++;
    if (r.status === 'open' && r.emergencyRequested) totals.emergencyRequests++;
    if (r.late) totals.lateTickets++;
    totals.plannedHours += r.plannedHours;
    if (r.unplannedHours > 0) {
      totals.unplannedTickets++;
      totals.unplannedHours += r.unplannedHours;
      if (r.unplanned) {
        const by = (totals.unplannedByCode[r.unplanned.code] ??= { tickets: 0, hours: 0 });
        by.tickets++;
        by.hours = tidy(by.hours + r.unplanned.hours);
      }
    }
  }
  totals.unplannedHours = tidy(totals.unplannedHours);
  totals.plannedHours = tidy(totals.plannedHours);
  return totals;
}

function clientSummary(c: ClientPlan): ClientSummary {
  return { ...cut(c, CLIENT_SUMMARY_FIELDS), advice: { cause: c.advice.cause }, adviceTickets: c.advice.tickets.length };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
