/**
 * /api/plans: the plan in force, its versions and what moved between two of them. The plan's own
 * shape is the planner's contract (solver/contract.ts, SCENARIO.md), re-exported here for the
 * dashboard; each viewer gets it cut down (server/modules/plans/plan-view.ts).
 *
 * The plan in force also comes by view and by page, so a screen loads what it shows, not the
 * whole plan (10,000 tickets at xl): the manager's first screen (`/current/summary`), allocations
 * and the ticket queue a page at a time (`/current/allocations`, `/current/tickets`), and one
 * client's detail (`/current/clients/:id`). Each is cut per audience exactly as the whole plan is,
 * carries the plan `version` it was read from, and answers ETag / 304 like `/current`.
 */
import { z } from 'zod';
import type { Allocation, AtRiskAdvice, ClientPlan, Plan, StaffPlan, TakenBy, TakenByRest, TicketPlan, Unplanned, UnplannedCode, WeekPlan } from '../../solver/contract.ts';
import type { PlanDiff } from '../plan-diff.ts';
import { Id, Timestamp, WeekParam } from './fields.ts';
import { AuditEntry } from './audit.ts';
import { page, pagedQuery, type Page } from './paging.ts';
import { TICKET_STATUSES } from './tickets.ts';
import { QUEUE_SORTS, SORT_DIRS } from './queue-sorts.ts';

export { queueOrder, type QueueOrdered } from '../queue-order.ts';

export type { Allocation, ClientPlan, Level, PinInput, PinIssue, Plan, StaffPlan, TicketPlan, Unplanned, WeekPlan } from '../../solver/contract.ts';
export type { ClientDiff, PlanDiff, TicketDiff } from '../plan-diff.ts';

export const PlanQuery = z.object({ quarter: Id.optional() });
export type PlanQuery = z.infer<typeof PlanQuery>;

const VERSION = 'must be a plan version number';
export const PlanVersionParam = z.object({ version: z.coerce.number({ error: VERSION }).int({ error: VERSION }).positive({ error: VERSION }).max(2_147_483_647, { error: VERSION }) });
export type PlanVersionParam = z.infer<typeof PlanVersionParam>;

export const PlanDiffQuery = z.object({ against: PlanVersionParam.shape.version.optional() });
export type PlanDiffQuery = z.infer<typeof PlanDiffQuery>;

/**
 * A plan as one viewer receives it. Managers get the whole plan; staff their own rows, the tickets
 * behind them, the team's weeks and of each client only `id` and `name`; a client its own figures,
 * tickets and weeks, without who works them.
 */
export interface PlanView {
  version: number;
  createdAt?: string;
  quarter: Plan['quarter'];
  policy?: Plan['policy'];
  allocations: (Omit<Allocation, 'staff'> & { staff?: string })[];
  tickets: (Omit<TicketPlan, 'staff'> & { staff?: string[] })[];
  clients: ClientPlan[];
  staff?: StaffPlan[];
  weeks?: WeekPlan[];
  unplanned: (Omit<Unplanned, 'takenBy'> & { takenBy?: Unplanned['takenBy'] })[];
  /** Managers only: the pins that could not hold in full, and why. */
  pinIssues?: Plan['pinIssues'];
  stats?: Partial<Plan['stats']>;
}
/** Checked by shape only: the planner's contract is TypeScript, tested by the solver's own suite. */
export const PlanView = z.custom<PlanView>((x) => typeof x === 'object' && x !== null && typeof (x as { version?: unknown }).version === 'number');

export const PlanVersions = z
  .object({
    quarter: z.string(),
    /** The version in force; null before the first plan. */
    current: z.number().int().nullable(),
    /** Newest first, the latest 200. */
    versions: z.array(z.object({ version: z.number().int(), createdAt: Timestamp, solveMs: z.number(), trigger: z.string(), dataRevision: z.number().int() }).strict()),
  })
  .strict();
export type PlanVersions = z.infer<typeof PlanVersions>;

/** How many of a version's changes GET /api/plans/history lists (`changeCount` counts them all). */
export const HISTORY_CHANGES = 10;

/** GET /api/plans/history?quarter=&limit=&cursor= (managers): the quarter's versions, newest first, each with the changes it is the first to include. */
export const PlanHistoryQuery = pagedQuery({ quarter: Id.optional() });
export type PlanHistoryQuery = z.infer<typeof PlanHistoryQuery>;

export const PlanHistoryEntry = z
  .object({
    version: z.number().int(),
    createdAt: Timestamp,
    solveMs: z.number(),
    /** Why the re-plan ran (the write's reason: "ticket changed", "quarter close", …). */
    trigger: z.string(),
    dataRevision: z.number().int(),
    /** The data revision of the version before it (null for the quarter's oldest kept): its changes are those after it. */
    fromRevision: z.number().int().nullable(),
    /** The audited changes of revisions (fromRevision, dataRevision], newest first: at most HISTORY_CHANGES. */
    changes: z.array(AuditEntry),
    changeCount: z.number().int().min(0),
  })
  .strict();
export type PlanHistoryEntry = z.infer<typeof PlanHistoryEntry>;
export const PlanHistoryPage = page(PlanHistoryEntry, { quarter: z.string(), current: z.number().int().nullable() });
export type PlanHistoryPage = Page<PlanHistoryEntry> & { quarter: string; current: number | null };

/** GET /api/plans/:version/diff: from `against` (default: the version before) to `version`. */
export type PlanDiffResponse = PlanDiff & { from: number | null; to: number };
export const PlanDiffResponse = z.custom<PlanDiffResponse>((x) => typeof x === 'object' && x !== null && 'to' in x);

// The plan in force by view and by page.

/** Only `quarter` (an unknown field is named). */
export const PlanViewQuery = PlanQuery.strict();
export type PlanViewQuery = z.infer<typeof PlanViewQuery>;

/** An allocation row as its viewer gets it: managers and staff with `staff`, a client without (nor `pinned`). */
export type AllocationRow = PlanView['allocations'][number];
const num = z.number();
export const AllocationRow = z
  .object({
    week: z.number().int(),
    staff: z.string().optional(),
    client: z.string(),
    ticket: z.string(),
    hours: num,
    level: z.number().int().min(1).max(5),
    pinned: z.literal(true).optional(),
    pinnedHours: num.optional(),
  })
  .strict() as unknown as z.ZodType<AllocationRow>;

/**
 * GET /api/plans/current/allocations: the allocations the viewer sees (managers all, staff their
 * own, a client its own without who), in (week, staff, ticket in natural order, level) order.
 * Filters combine; a client filtering on another client's id (or `staff`) finds nothing.
 */
export const AllocationPageQuery = pagedQuery({
  quarter: Id.optional(),
  week: WeekParam.optional(),
  staff: Id.optional(),
  client: Id.optional(),
  ticket: Id.optional(),
});
export type AllocationPageQuery = z.infer<typeof AllocationPageQuery>;
export const AllocationPage = page(AllocationRow, { version: z.number().int() });
export type AllocationPage = Page<AllocationRow> & { version: number };

/** A ticket's unplanned hours and why, as its viewer gets them (`takenBy`, `takenByRest`: managers only). */
export interface QueueUnplanned {
  hours: number;
  code: UnplannedCode;
  reason: string;
  weeks?: [number, number];
  takenBy?: TakenBy[];
  takenByRest?: TakenByRest;
}

/**
 * One row of the ticket queue: the ticket's plan (TicketPlan as its viewer gets it: `staff`, most
 * hours first, for managers and staff only), what the queue shows of the ticket's record (title,
 * priority, emergency, status, estimate: null when the record is gone), the weeks it is planned in,
 * its pinned hours (managers and staff) and its unplanned entry, if any.
 */
export interface QueueRow extends Omit<TicketPlan, 'staff'> {
  staff?: string[];
  title: string;
  priority: 1 | 2 | 3 | 4 | null;
  emergency: boolean;
  /** A tracker's emergency label asks for an emergency: a manager confirms or dismisses it. */
  emergencyRequested: boolean;
  status: 'open' | 'closed';
  estimateHours: number | null;
  /** Hours spent (the record's baseline and its time entries); null when the record is gone. */
  spentHours: number | null;
  /** The week the ticket was opened; null when the record is gone. */
  openedWeek: number | null;
  /** The weeks the viewer's allocations of the ticket fall in, ascending. */
  plannedWeeks: number[];
  /** Of its planned hours, those a manager pinned (managers and staff). */
  pinnedHours?: number;
  unplanned: QueueUnplanned | null;
}
const takenBy = z.object({ level: z.number().int(), client: z.string(), hours: num }).strict();
export const QueueRow = z
  .object({
    id: z.string(),
    client: z.string(),
    remainingHours: num,
    plannedHours: num,
    unplannedHours: num,
    startWeek: z.number().int().nullable(),
    finishWeek: z.number().int().nullable(),
    dueWeek: z.number().int().nullable(),
    late: z.boolean(),
    staff: z.array(z.string()).optional(),
    title: z.string(),
    priority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).nullable(),
    emergency: z.boolean(),
    emergencyRequested: z.boolean(),
    status: z.enum(TICKET_STATUSES),
    estimateHours: num.nullable(),
    spentHours: num.nullable(),
    openedWeek: z.number().int().nullable(),
    plannedWeeks: z.array(z.number().int()),
    pinnedHours: num.optional(),
    unplanned: z
      .object({
        hours: num,
        code: z.string(),
        reason: z.string(),
        weeks: z.tuple([z.number().int(), z.number().int()]).optional(),
        takenBy: z.array(takenBy).optional(),
        takenByRest: z.object({ hours: num, clients: z.number().int() }).strict().optional(),
      })
      .strict()
      .nullable(),
  })
  .strict() as unknown as z.ZodType<QueueRow>;

export const TICKET_STATES = ['unplanned', 'late', 'planned'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export { QUEUE_SORTS, SORT_DIRS, type QueueSort, type SortDir } from './queue-sorts.ts';

/**
 * GET /api/plans/current/tickets: the queue a page at a time, in the dashboard's order
 * (shared/queue-order.ts: emergencies, open before closed, priority, most unplanned, id), of the
 * tickets the viewer sees in the plan (managers all, staff those they are planned on, a client its
 * own). `state`: `unplanned` (some hours unplanned), `late` (will miss its due week), `planned`
 * (some hours planned); `status`: the ticket's record's. `staff`: tickets that person is planned on.
 * `requested=true`: the tickets whose emergency a tracker asked for, awaiting a manager.
 */
export const TicketPlanPageQuery = pagedQuery({
  quarter: Id.optional(),
  client: Id.optional(),
  staff: Id.optional(),
  state: z.enum(TICKET_STATES, { error: 'must be "unplanned", "late" or "planned"' }).optional(),
  status: z.enum(TICKET_STATUSES, { error: 'must be "open" or "closed"' }).optional(),
  sort: z.enum(QUEUE_SORTS, { error: `must be one of ${QUEUE_SORTS.join(', ')} (leave it out for the queue's order)` }).optional(),
  dir: z.enum(SORT_DIRS, { error: 'must be "asc" or "desc"' }).optional(),
  requested: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((s) => s === 'true')
    .optional(),
});
export type TicketPlanPageQuery = z.infer<typeof TicketPlanPageQuery>;
export const QueuePage = page(QueueRow, { version: z.number().int() });
export type QueuePage = Page<QueueRow> & { version: number };

/**
 * A client as the manager's clients table and charts need it: its ClientPlan without the
 * explanations that grow with the plan (`shortfallWeeks`, `advice.tickets`); `advice.cause` stays,
 * and `adviceTickets` counts the tickets the full advice names. The rest comes with the client's
 * detail (GET /api/plans/current/clients/:id).
 */
export type ClientSummary = Omit<ClientPlan, 'shortfallWeeks' | 'advice'> & { advice: Pick<AtRiskAdvice, 'cause'>; adviceTickets: number };

/** A pinned allocation row's pinned hours: the dashboard's pin marks without the allocations. */
export interface PinnedRow {
  week: number;
  staff: string;
  ticket: string;
  hours: number;
}

/** Counts and hours over the whole queue, for the first screen's headline. */
export interface QueueTotals {
  tickets: number;
  openTickets: number;
  lateTickets: number;
  unplannedTickets: number;
  unplannedHours: number;
  plannedHours: number;
  /** Open tickets whose emergency a tracker asked for, awaiting a manager's answer. */
  emergencyRequests: number;
  /** Unplanned hours by why (`Unplanned.code`). */
  unplannedByCode: Partial<Record<UnplannedCode, { tickets: number; hours: number }>>;
}

/**
 * GET /api/plans/current/summary (managers): the first screen at once: the weeks' totals by
 * level, the team's weeks, the clients table, the first page of the queue (as
 * /current/tickets with no filters answers it: its `nextCursor` goes on there), pin issues,
 * pinned rows, stats and the queue's totals. Under 300 KB compressed at xl.
 */
export interface PlanSummary {
  version: number;
  createdAt?: string;
  quarter: Plan['quarter'];
  policy: Plan['policy'];
  weeks: WeekPlan[];
  staff: StaffPlan[];
  clients: ClientSummary[];
  queue: QueuePage;
  pinIssues: Plan['pinIssues'];
  pinned: PinnedRow[];
  stats: Plan['stats'];
  totals: QueueTotals;
}
export const PlanSummary = z.custom<PlanSummary>(
  (x) => typeof x === 'object' && x !== null && typeof (x as PlanSummary).version === 'number' && Array.isArray((x as PlanSummary).clients) && QueuePage.safeParse((x as PlanSummary).queue).success,
);

export const ClientDetailParam = z.object({ id: Id });
export type ClientDetailParam = z.infer<typeof ClientDetailParam>;

/**
 * GET /api/plans/current/clients/:id: one client in full: its ClientPlan as the viewer gets it
 * (managers and the client itself: with `shortfallWeeks` and `advice`, re-worded for the client;
 * staff: `id` and `name` only), its tickets as queue rows (queue order), its unplanned entries and
 * its allocations (allocation order), each cut as in the whole plan. Managers read any client, a
 * client user only its own, staff a client they are planned for (and only their own rows of it);
 * any other id answers 404 exactly as an unknown one.
 */
export interface ClientDetail {
  version: number;
  createdAt?: string;
  quarter: Plan['quarter'];
  client: ClientPlan | Pick<ClientPlan, 'id' | 'name'>;
  tickets: QueueRow[];
  unplanned: PlanView['unplanned'];
  allocations: AllocationRow[];
}
export const ClientDetail = z.custom<ClientDetail>(
  (x) => typeof x === 'object' && x !== null && typeof (x as ClientDetail).version === 'number' && typeof (x as ClientDetail).client?.id === 'string' && Array.isArray((x as ClientDetail).allocations),
);
