/**
 * The scenario and plan contract of `SCENARIO.md`, as TypeScript types.
 *
 * Field names here are a public contract (the command line, scenario import and the server's
 * plans all use them): add fields, never rename or drop one.
 */

export const LEVEL_NAMES = ['urgent-above-rate', 'payg', 'work-ahead'] as const;
export type PolicyLevel = (typeof LEVEL_NAMES)[number];

/** Precedence levels of DOMAIN.md as they appear in `allocations[].level`. */
export const LEVEL = { emergency: 1, rate: 2, urgentAboveRate: 3, payg: 4, workAhead: 5 } as const;
export type Level = 1 | 2 | 3 | 4 | 5;

export interface PolicyInput {
  levels?: PolicyLevel[];
  /**
   * Accepted for old scenarios and ignored: DOMAIN.md now makes catch-up of a missed rate part
   * of level 2, so hours owed are always caught up first.
   */
  catchUpFirst?: boolean;
}

/** A manager's decision: this person does this ticket in this week, for these hours. */
export interface PinInput {
  ticket: string;
  staff: string;
  week: number;
  hours: number;
}

/** An allocation row of the plan in force (extra fields such as `client` are ignored). */
export interface PreviousRow {
  week: number;
  staff: string;
  ticket: string;
  hours: number;
  /** When given, the person is preferred for the ticket's hours at that level first. */
  level?: number;
}

export interface ScenarioInput {
  quarter: { id: string; weeks: number; currentWeek?: number; startDate?: string };
  staff: StaffInput[];
  clients: ClientInput[];
  tickets: TicketInput[];
  policy?: PolicyInput;
  /**
   * Extension: hours already logged in the current week. They come off that week's capacity and
   * count as delivered that week; the tickets' `spentHours` already include them.
   */
  currentWeekLog?: { staff: string; ticket: string; hours: number }[];
  /** Hours a manager fixed (DOMAIN.md "Pins"); planned right after emergencies. */
  pins?: PinInput[];
  /** The allocations of the plan in force: among equal plans, tickets stay with their people. */
  previous?: PreviousRow[];
}

export interface StaffInput {
  id: string;
  name?: string;
  weeklyHours: number;
  skills?: string[];
  leave?: Record<string, number>;
}

export interface ClientInput {
  id: string;
  name?: string;
  plan: 'prepaid' | 'payg';
  purchases?: { week: number; hours: number }[];
  rolloverInHours?: number;
  usedByWeek?: number[];
  shortfallToDateHours?: number;
}

export interface TicketInput {
  id: string;
  client: string;
  title?: string;
  priority: 1 | 2 | 3 | 4;
  estimateHours: number;
  spentHours?: number;
  openedWeek: number;
  skill?: string | null;
  emergency?: boolean;
  dueWeek?: number | null;
  /** Extension: a closed ticket has no remaining hours. Default "open". */
  status?: 'open' | 'closed';
}

export interface Allocation {
  week: number;
  staff: string;
  client: string;
  ticket: string;
  hours: number;
  level: Level;
  /** The row holds hours a manager pinned (exempt from the precedence rules). */
  pinned?: true;
  /** Of `hours`, those pinned; present only when the row also holds planned hours. */
  pinnedHours?: number;
}

export type PinIssueCode = 'unknown-ticket' | 'unknown-staff' | 'closed' | 'past-week' | 'outside-quarter' | 'not-open-yet' | 'no-skill' | 'capacity' | 'hours-left';

/** A pin that could not hold in full, and why. */
export interface PinIssue {
  pin: PinInput;
  heldHours: number;
  code: PinIssueCode;
  reason: string;
}

export interface TicketPlan {
  id: string;
  client: string;
  remainingHours: number;
  plannedHours: number;
  unplannedHours: number;
  startWeek: number | null;
  finishWeek: number | null;
  /** Staff planned on the ticket, most hours first. */
  staff: string[];
  dueWeek: number | null;
  /** Has a due week and will not be finished by the end of it. */
  late: boolean;
}

/** Who took the hours a ticket or a client needed, summed over the weeks concerned. */
export interface TakenBy {
  level: Level;
  /** The client whose work took the hours. Servers remove it before showing a client. */
  client: string;
  hours: number;
}

/** The hours taken by clients a bounded `takenBy` list does not name (it names the few who took most). */
export interface TakenByRest {
  hours: number;
  clients: number;
}

export type UnplannedCode =
  | 'no-skill'
  | 'on-leave'
  | 'capacity'
  | 'policy'
  | 'too-small';

export interface Unplanned {
  ticket: string;
  client: string;
  hours: number;
  reason: string;
  code: UnplannedCode;
  /** First and last week the ticket could have been worked. */
  weeks?: [number, number];
  /** The clients who took most of the hours (at most a few), by level. */
  takenBy?: TakenBy[];
  takenByRest?: TakenByRest;
}

export interface ShortfallWeek {
  week: number;
  hours: number;
  reason: string;
  takenBy: TakenBy[];
  takenByRest?: TakenByRest;
}

/**
 * Why a prepaid client's hours are at risk, so the advice matches the cause (DOMAIN.md):
 * - `none`: nothing at risk;
 * - `unplanned-work`: work the client already presented is left unplanned (`tickets` say which
 *   and why): the client should talk to the company, not present more;
 * - `present-work`: the client has not presented enough work; tasks presented by `presentByWeek`
 *   can still use the hours.
 */
export interface AtRiskAdvice {
  cause: 'none' | 'unplanned-work' | 'present-work';
  tickets: { ticket: string; hours: number; code: UnplannedCode; reason: string }[];
}

export interface ClientPlan {
  id: string;
  name: string;
  plan: 'prepaid' | 'payg';
  rate: number[];
  demand: number[];
  delivered: number[];
  balanceHours: number;
  forecastUnusedHours: number;
  shortfallHours: number;
  rolloverHours: number;
  atRiskHours: number;
  overageHours: number;
  /** Extension figures for dashboards. */
  boughtHours: number;
  rolloverInHours: number;
  usedHours: number;
  plannedHours: number;
  /** Hours the company would deliver if it worked presented tickets at exactly the rate (DOMAIN.md), in quarter hours. */
  owedAtRateHours: number;
  /**
   * DOMAIN.md's ideal[w] per week (the client's own week of the rate, capped by presented work
   * and balance), in quarter hours rounded cumulatively from the current week; 0 before it.
   */
  ideal: number[];
  /** The level-2 target per planned week: own week plus catch-up, capped by the balance left; 0 before. */
  target: number[];
  advice: AtRiskAdvice;
  /** Weeks where the client's rate was not met although it had work waiting, and why. */
  shortfallWeeks: ShortfallWeek[];
  /**
   * The last week by which new tasks must be presented for the at-risk hours to be worked at the
   * locked-in rate before quarter end; null when nothing is at risk.
   */
  presentByWeek: number | null;
}

export interface StaffPlan {
  id: string;
  name: string;
  capacity: number[];
  allocated: number[];
  leave: number[];
}

export interface WeekPlan {
  week: number;
  capacity: number;
  allocated: number;
  leave: number;
  /** Hours allocated at each precedence level, index 0 = level 1. */
  byLevel: [number, number, number, number, number];
}

export interface PlanStats {
  solveMs: number;
  augmentations: number;
  lpSolves: number;
  lpFallbacks: number;
}

export interface Plan {
  quarter: { id: string; weeks: number; currentWeek: number; startDate?: string };
  pinIssues: PinIssue[];
  policy: { levels: PolicyLevel[]; catchUpFirst: boolean };
  allocations: Allocation[];
  tickets: TicketPlan[];
  clients: ClientPlan[];
  staff: StaffPlan[];
  weeks: WeekPlan[];
  unplanned: Unplanned[];
  stats: PlanStats;
}
