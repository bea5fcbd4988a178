import type { Level } from '../contract.ts';
import type { MClient, MTicket, Model } from '../model.ts';
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
  /** Quarters delivered to each client this week so far (hours logged this week included). */
  readonly weekQ: Int32Array;
  /** Quarters of emergency work each client got this week. */
  readonly emergencyQ: Int32Array;
  /** Quarters of its rate each prepaid client was due this week (set by the rate rule). */
  readonly rateTargetQ: Int32Array;
  /** Quarters delivered to the client in planned weeks before this one. */
  deliveredBeforeQ(client: MClient): number;
  /** Hours owed at the rate up to and including this week (see owed.ts). */
  owedToDate(client: MClient): number;
  /** This week's hours owed at the rate, in quarters rounded cumulatively (model.quarterHourRates). */
  owedQ(client: MClient): number;
  /** Plans up to maxQ quarters of the ticket in the current phase; returns the quarters placed. */
  serve(ticket: MTicket, maxQ: number): number;
}

export interface Rule {
  name: string;
  level: Level;
  plan(ctx: WeekContext): void;
}
