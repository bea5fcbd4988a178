/**
 * What the LP's rules share: the quarter's facts, the growing LP, the demand buckets with their
 * week columns, the pins' columns and each prepaid client's delivered-per-week columns.
 *
 * A demand bucket is the tickets one LP column per week stands for: same client, required skill,
 * priority, first plannable week, emergency flag and due week (SOLVER-SCALING.md: such tickets are
 * interchangeable for the LP; who does which is recovered inside each week afterwards).
 */
import type { PinInput } from '../../solver/contract.ts';
import { LinearModel } from './linear-model.ts';
import type { ClientFacts, Quarter, StaffFacts, TicketFacts } from './quarter.ts';

export interface Bucket {
  index: number;
  client: ClientFacts;
  skill: string | null;
  priority: 1 | 2 | 3 | 4;
  start: number;
  emergency: boolean;
  due: number | null;
  /** In natural id order. */
  tickets: TicketFacts[];
  hoursQ: number;
  /** Column of the hours planned in week w, if the bucket can be worked that week. */
  x: (number | undefined)[];
  /** Row Σ_w x[w] + pinned hours ≤ the bucket's remaining hours. */
  totalRow: number;
}

export type PinIssueCode = 'unknown-ticket' | 'unknown-staff' | 'closed' | 'past-week' | 'outside-quarter' | 'not-open-yet' | 'no-skill' | 'capacity' | 'hours-left';

export interface PinVar {
  pin: PinInput;
  ticket?: TicketFacts;
  staff?: StaffFacts;
  /** Column of the pinned hours held, when the pin can hold any. */
  col?: number;
  /** Why the pin cannot hold at all, when it cannot. */
  refused?: { code: PinIssueCode; reason: string };
}

/** A prepaid client's own week in the LP (see rules/locked-in-rate.ts). */
export interface OwnWeek {
  client: ClientFacts;
  week: number;
  own: number;
  short: number;
  exempt: number;
  /** Delivered columns of the weeks before. */
  deliveredBefore: number[];
  /** Set by the solves after the first. */
  exemptFixed?: number;
  penalised?: boolean;
}

export interface ModelContext {
  q: Quarter;
  lp: LinearModel;
  buckets: Bucket[];
  bucketOfTicket: Map<string, Bucket>;
  pins: PinVar[];
  /** Prepaid clients: column of hours delivered in week w (planned, pinned and logged). */
  delivered: Map<string, number[]>;
  ownWeeks: OwnWeek[];
}

export function newContext(q: Quarter): ModelContext {
  return { q, lp: new LinearModel(), buckets: [], bucketOfTicket: new Map(), pins: [], delivered: new Map(), ownWeeks: [] };
}

/** Skill nodes of the capacity rows: a skill, or null for work anyone can do. */
export const canWork = (s: StaffFacts, skill: string | null): boolean => skill === null || s.skills.has(skill);

/** Hours (in quarters) of the people able to work `skill` in week w. */
export function skilledCapacityQ(q: Quarter, skill: string | null, w: number): number {
  return q.staff.reduce((h, s) => h + (canWork(s, skill) ? s.capacityQ[w]! : 0), 0);
}
