/**
 * What each audience sees of a plan, field by field (auth/views.ts: show, reword or hide). Every
 * record a plan holds has a list per audience that sees it, so a field added to the planner's
 * contract does not compile until it is decided here.
 * - managers see everything;
 * - staff see their own work per week, the tickets behind it and the team's capacity, and of a
 *   client only its name: none of the commercial figures (bought, balance, at risk, rollover,
 *   overage, forecast unused, shortfall, advice, …);
 * - a client sees its own figures, its tickets and the weeks and hours planned on them, with
 *   explanations re-worded to name nobody else.
 */
import type { Allocation, ClientPlan, Plan, PlanStats, StaffPlan, TicketPlan, Unplanned, WeekPlan } from '../../../solver/index.ts';
import type { Decisions } from '../../auth/views.ts';

export const PLAN_FIELDS = {
  manager: { quarter: 'show', pinIssues: 'show', policy: 'show', allocations: 'show', tickets: 'show', clients: 'show', staff: 'show', weeks: 'show', unplanned: 'show', stats: 'show' },
  staff: { quarter: 'reword', pinIssues: 'hide', policy: 'hide', allocations: 'reword', tickets: 'reword', clients: 'reword', staff: 'reword', weeks: 'reword', unplanned: 'reword', stats: 'reword' },
  client: { quarter: 'reword', pinIssues: 'hide', policy: 'hide', allocations: 'reword', tickets: 'reword', clients: 'reword', staff: 'hide', weeks: 'hide', unplanned: 'reword', stats: 'reword' },
} as const satisfies Record<'manager' | 'staff' | 'client', Decisions<Plan>>;

/** The quarter's calendar, the same for everyone. */
export const QUARTER_FIELDS = { id: 'show', weeks: 'show', currentWeek: 'show', startDate: 'show' } as const satisfies Decisions<Plan['quarter']>;

/** Staff: their own rows, as they are. A client: weeks and hours, not who or whether pinned. */
export const ALLOCATION_FIELDS = {
  staff: { week: 'show', staff: 'show', client: 'show', ticket: 'show', hours: 'show', level: 'show', pinned: 'show', pinnedHours: 'show' },
  client: { week: 'show', staff: 'hide', client: 'show', ticket: 'show', hours: 'show', level: 'show', pinned: 'hide', pinnedHours: 'hide' },
} as const satisfies Record<'staff' | 'client', Decisions<Allocation>>;

const ticketWork = {
  id: 'show',
  client: 'show',
  remainingHours: 'show',
  plannedHours: 'show',
  unplannedHours: 'show',
  startWeek: 'show',
  finishWeek: 'show',
  dueWeek: 'show',
  late: 'show',
} as const;
export const TICKET_PLAN_FIELDS = {
  // Who else works on a ticket is the team's to know.
  staff: { ...ticketWork, staff: 'show' },
  client: { ...ticketWork, staff: 'hide' },
} as const satisfies Record<'staff' | 'client', Decisions<TicketPlan>>;

/** A client's figures and per-week arrays, for those who see them (the client itself, managers' summary). */
const clientFigures = {
  id: 'show',
  name: 'show',
  plan: 'show',
  rate: 'show',
  demand: 'show',
  delivered: 'show',
  balanceHours: 'show',
  forecastUnusedHours: 'show',
  shortfallHours: 'show',
  rolloverHours: 'show',
  atRiskHours: 'show',
  overageHours: 'show',
  boughtHours: 'show',
  rolloverInHours: 'show',
  usedHours: 'show',
  plannedHours: 'show',
  owedAtRateHours: 'show',
  ideal: 'show',
  target: 'show',
  presentByWeek: 'show',
} as const;

export const CLIENT_PLAN_FIELDS = {
  // The name of whom the work is for, and nothing commercial.
  staff: {
    id: 'show',
    name: 'show',
    plan: 'hide',
    rate: 'hide',
    demand: 'hide',
    delivered: 'hide',
    balanceHours: 'hide',
    forecastUnusedHours: 'hide',
    shortfallHours: 'hide',
    rolloverHours: 'hide',
    atRiskHours: 'hide',
    overageHours: 'hide',
    boughtHours: 'hide',
    rolloverInHours: 'hide',
    usedHours: 'hide',
    plannedHours: 'hide',
    owedAtRateHours: 'hide',
    ideal: 'hide',
    target: 'hide',
    presentByWeek: 'hide',
    advice: 'hide',
    shortfallWeeks: 'hide',
  },
  // Its own figures; what names others is re-worded (plan-view.ts).
  client: { ...clientFigures, advice: 'reword', shortfallWeeks: 'reword' },
} as const satisfies Record<'staff' | 'client', Decisions<ClientPlan>>;

/** Staff: their own row. */
export const STAFF_PLAN_FIELDS = { id: 'show', name: 'show', capacity: 'show', allocated: 'show', leave: 'show' } as const satisfies Decisions<StaffPlan>;

/** Staff: the team's capacity at a glance. */
export const WEEK_FIELDS = { week: 'show', capacity: 'show', allocated: 'show', leave: 'show', byLevel: 'show' } as const satisfies Decisions<WeekPlan>;

export const UNPLANNED_FIELDS = {
  // Why their own tickets wait; which clients took the hours is a manager's analysis.
  staff: { ticket: 'show', client: 'show', hours: 'show', reason: 'show', code: 'show', weeks: 'show', takenBy: 'hide', takenByRest: 'hide' },
  client: { ticket: 'show', client: 'show', hours: 'show', reason: 'reword', code: 'show', weeks: 'show', takenBy: 'hide', takenByRest: 'hide' },
} as const satisfies Record<'staff' | 'client', Decisions<Unplanned>>;

export const STATS_FIELDS = { solveMs: 'show', augmentations: 'hide', lpSolves: 'hide', lpFallbacks: 'hide' } as const satisfies Decisions<PlanStats>;

/**
 * A queue row's unplanned entry (plan-pages.ts): its ticket and client are the row's own; who took
 * the hours is a manager's analysis, as in the whole plan.
 */
export const QUEUE_UNPLANNED_FIELDS = {
  manager: { ticket: 'hide', client: 'hide', hours: 'show', reason: 'show', code: 'show', weeks: 'show', takenBy: 'show', takenByRest: 'show' },
  staff: { ...UNPLANNED_FIELDS.staff, ticket: 'hide', client: 'hide' },
  client: { ...UNPLANNED_FIELDS.client, ticket: 'hide', client: 'hide' },
} as const satisfies Record<'manager' | 'staff' | 'client', Decisions<Unplanned>>;

/**
 * The manager's clients table (GET /api/plans/current/summary): the figures and per-week arrays
 * its table and charts draw; the explanations that grow with the plan come with the client's
 * detail (`advice` is re-worded to its cause and a count).
 */
export const CLIENT_SUMMARY_FIELDS = { ...clientFigures, advice: 'reword', shortfallWeeks: 'hide' } as const satisfies Decisions<ClientPlan>;
