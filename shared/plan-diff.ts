/** What moved between two plans: the shape served by plan diffs and what-if answers. */

export const CLIENT_FIGURES = ['balanceHours', 'forecastUnusedHours', 'shortfallHours', 'rolloverHours', 'atRiskHours', 'overageHours', 'plannedHours'] as const;
export type ClientFigure = (typeof CLIENT_FIGURES)[number];

export interface ClientDiff {
  id: string;
  /** Figures that moved: new minus old. */
  delta: Partial<Record<ClientFigure, number>>;
  /** Hours delivered per week, new minus old (only weeks that moved). */
  deliveredDelta: Record<number, number>;
  /** Emergency hours planned for the client, new minus old. */
  emergencyDelta: number;
  /** Weeks the client's rate is newly missed by (where it had work waiting), and the hours. */
  newlyBelowRate: { week: number; hours: number }[];
}

export interface TicketDiff {
  id: string;
  client: string;
  before: { plannedHours: number; startWeek: number | null; finishWeek: number | null };
  after: { plannedHours: number; startWeek: number | null; finishWeek: number | null };
}

export interface PlanDiff {
  clients: ClientDiff[];
  tickets: TicketDiff[];
  staff: string[];
}
