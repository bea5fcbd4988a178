import type { Level } from '../contract.ts';
import type { WeekFlow } from '../flow.ts';
import type { MClient, MPin, MTicket, Model, Share } from '../model.ts';
import type { Policy } from '../policy.ts';

/** What a precedence rule sees and may do while one week is planned. */
export interface WeekContext {
  readonly model: Model;
  readonly policy: Policy;
  readonly week: number;
  /** Tickets that can be worked this week with hours left at the week's start, in rank order. */
  readonly open: readonly MTicket[];
  /** Remaining quarters per ticket (after everything planned so far). */
  readonly remQ: Int32Array;
  /** Prepaid balance left per client, in quarters (0 for pay-as-you-go clients). */
  readonly balanceLeftQ: Int32Array;
  /** The balance left when the week started (before this week's logged hours), in quarters. */
  readonly balanceStartQ: Int32Array;
  /** Quarters delivered to each client this week so far (hours logged this week included). */
  readonly weekQ: Int32Array;
  /** Quarters of emergency work each client got this week. */
  readonly emergencyQ: Int32Array;
  /** Each prepaid client's level-2 target this week, in quarters (set by the rate rule). */
  readonly rateTargetQ: Int32Array;
  /** The week's flow network (the rate rule uses its client layer). */
  readonly flow: WeekFlow;
  /** The phase being planned (index into the week's rules). */
  readonly phase: number;
  /** Quarters delivered to the client in planned weeks before this one. */
  deliveredBeforeQ(client: MClient): number;
  /**
   * People to give a ticket's hours first this week, with how many: who had it in the plan in
   * force (what is left of their share), else who worked it last.
   */
  preferred(ticket: MTicket): readonly Share[];
  /** Plans up to maxQ quarters of the ticket in the current phase; returns the quarters placed. */
  serve(ticket: MTicket, maxQ: number): number;
  /** Books q quarters the current phase placed for the ticket outside `serve` (level 2's client layer). */
  credit(ticket: MTicket, q: number): void;
  /** Books q quarters of a pin: person `staff` on the ticket (fixed, never re-routed). */
  pinned(ticket: MTicket, staff: number, q: number): void;
  /** What a pin held (`heldQ`) of the ticket's `remainingQ` quarters left when it was planned. */
  pinOutcome(pin: MPin, remainingQ: number, heldQ: number): void;
}

export interface Rule {
  name: string;
  /** The level its hours are planned at; null for pins, whose level depends on the client's target. */
  level: Level | null;
  plan(ctx: WeekContext): void;
}

/** Whether a ticket is eligible for the lower levels (2-5): emergencies are exempt from them. */
export const plainWork = (t: MTicket): boolean => !t.emergency;
