/**
 * Shapes the dashboard reads from the API. The plan types come from the solver's contract, cut
 * down the way server/modules/plans/plan-view.ts cuts them for each role.
 */
import type { Allocation, ClientPlan, Plan, StaffPlan, TicketPlan, Unplanned, WeekPlan } from '../../../solver/contract.ts';

export type { Allocation, ClientPlan, Level, Plan, StaffPlan, TicketPlan, Unplanned, WeekPlan } from '../../../solver/contract.ts';

export type Role = 'manager' | 'staff' | 'client';

export interface SessionUser {
  id: number;
  email: string;
  role: Role;
  clientId: string | null;
  staffId: string | null;
}

/** A plan as one viewer receives it: staff and clients get fewer fields and fewer rows. */
export interface PlanView {
  version: number;
  createdAt?: string;
  quarter: Plan['quarter'];
  policy?: Plan['policy'];
  allocations: (Omit<Allocation, 'staff'> & { staff?: string })[];
  tickets: (Omit<TicketPlan, 'staff'> & { staff?: string[] })[];
  /** Managers: every client; a client user: its own figures; staff: only `id` and `name` (composables/staff-weeks.ts). */
  clients: ClientPlan[];
  staff?: StaffPlan[];
  weeks?: WeekPlan[];
  unplanned: (Omit<Unplanned, 'takenBy'> & { takenBy?: Unplanned['takenBy'] })[];
  /** Managers only: the pins that could not hold in full, and why. */
  pinIssues?: Plan['pinIssues'];
  stats?: Partial<Plan['stats']>;
}

export interface QuarterRecord {
  id: string;
  weeks: number;
  currentWeek: number;
  startDate: string | null;
  autoAdvance: boolean;
  closed: boolean;
  currentPlanVersion: number | null;
  version: number;
}

export type Priority = 1 | 2 | 3 | 4;

export interface TicketRecord {
  id: string;
  client: string;
  title: string;
  description?: string;
  priority: Priority;
  estimateHours: number;
  spentHours: number;
  openedWeek: number;
  skill: string | null;
  emergency: boolean;
  dueWeek: number | null;
  status: 'open' | 'closed';
  quarter: string;
  version: number;
}

export interface StaffRecord {
  id: string;
  name: string;
  weeklyHours: number;
  skills: string[];
  active?: boolean;
  version: number;
}

export interface ClientRecord {
  id: string;
  name: string;
  plan: 'prepaid' | 'payg';
  active: boolean;
  version: number;
  blocks?: { id: number; quarter: string; week: number; hours: number }[];
}

export type WhatIfChange =
  | { type: 'add-block'; client: string; week: number; hours: number }
  | { type: 'declare-emergency'; ticket: string }
  | { type: 'add-emergency'; client: string; hours: number; title?: string; skill?: string; week?: number }
  | { type: 'add-leave'; staff: string; week: number; hours: number }
  | { type: 'set-leave'; staff: string; week: number; hours: number };

import type { PlanDiff } from '../../../shared/plan-diff.ts';
export type { ClientDiff as ClientDelta, PlanDiff, TicketDiff as TicketDelta } from '../../../shared/plan-diff.ts';

export interface PushedOut {
  client: string;
  name: string;
  /** Weeks where the client would get less of its own week of the rate than before. */
  weeks: number[];
  /** Hours owed at the rate it would not get by quarter end. */
  hours: number;
  byWeek?: { week: number; hours: number }[];
}

export interface WhatIfAnswer {
  quarter?: string;
  basedOnVersion?: number | null;
  /** The quarter's data revision the answer was computed from: POST /api/what-if/confirm sends it back. */
  basedOnRevision?: number;
  /** The plan as confirming would save it. */
  plan?: PlanView;
  /** Only when the changes buy a block: where its rate was reserved. */
  reserved?: { client: string; hours: number; plannedHours: number; unplannedHours: number; byWeek: number[] }[];
  diff: PlanDiff;
  /** Only when the changes buy a block. */
  available?: boolean;
  pushedOut?: PushedOut[];
  /** Only when the changes buy a block: weeks where the buyer's new rate could not be met. */
  blockShortfall?: PushedOut[];
}

/** POST /api/what-if/confirm: what was saved (ids of the tickets each change created). */
export interface WhatIfConfirmed {
  quarter: string;
  basedOnRevision: number;
  created: string[][];
}
