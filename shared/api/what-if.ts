/**
 * /api/what-if: the quarter re-planned with some changes, nothing saved; and confirming such an
 * answer, which saves the changes if the quarter has not moved on since.
 */
import { z } from 'zod';
import type { Plan } from '../../solver/contract.ts';
import { scenarioSchema } from '../../solver/validate.ts';
import { hoursSchema } from '../hours.ts';
import type { PlanDiff } from '../plan-diff.ts';
import { ErrorBody } from './errors.ts';
import type { WhatIfMoney } from './revenue.ts';
import { Id } from './fields.ts';

const id = z.string({ error: 'is required' }).trim().min(1, { error: 'must not be empty' }).max(200);
const week = z.number({ error: 'must be a week index' }).int({ error: 'must be a whole week index' }).min(0, { error: 'must be a week index from 0' });
/** Quarter hours up to `max` (shared/hours.ts); more than 0 unless `zero` may be sent. */
const hours = (max: number, min: 'positive' | 'zero' = 'positive') => (min === 'zero' ? hoursSchema(max) : hoursSchema(max).refine((h) => h > 0, { error: 'must be more than 0' }));

const TYPES = ['add-block', 'declare-emergency', 'add-emergency', 'add-leave', 'set-leave', 'add-tickets'] as const;
export const Change = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('add-block'), client: id, week, hours: hours(100_000).refine((h) => h >= 20, { error: 'a block is at least 20 hours' }) }).strict(),
    z.object({ type: z.literal('declare-emergency'), ticket: id }).strict(),
    z
      .object({
        type: z.literal('add-emergency'),
        client: id,
        title: z.string().trim().min(1, { error: 'must not be empty' }).max(500).optional(),
        hours: hours(1000),
        skill: z.string().trim().min(1).max(100).optional(),
        week: week.optional(),
      })
      .strict(),
    /** Adds to the week's leave. */
    z.object({ type: z.literal('add-leave'), staff: id, week, hours: hours(168) }).strict(),
    /** Sets the week's leave, as the leave form does (0 removes it). */
    z.object({ type: z.literal('set-leave'), staff: id, week, hours: hours(168, 'zero') }).strict(),
    z.object({ type: z.literal('add-tickets'), tickets: z.array(scenarioSchema.shape.tickets.element).min(1, { error: 'must list at least one ticket' }).max(2000) }).strict(),
  ],
  { error: `must be one of ${TYPES.join(', ')}` },
);
export type Change = z.infer<typeof Change>;

const question = {
  quarter: Id.optional(),
  changes: z.array(Change, { error: 'is required: a list of changes to try' }).min(1, { error: 'must list at least one change' }).max(100, { error: 'must list at most 100 changes' }),
};
export const WhatIfBody = z.object(question).strict();
export type WhatIfBody = z.infer<typeof WhatIfBody>;

export const WhatIfConfirmBody = z
  .object({
    ...question,
    basedOnRevision: z.number({ error: 'is required: the basedOnRevision of the what-if answer being confirmed' }).int({ error: 'must be a whole number' }).min(0),
  })
  .strict();
export type WhatIfConfirmBody = z.infer<typeof WhatIfConfirmBody>;

export interface PushedOut {
  client: string;
  name: string;
  /** Weeks where the client would get less of its own week of the rate than before. */
  weeks: number[];
  /** How much its shortfall grows: hours owed at the rate it would not get by quarter end. */
  hours: number;
  byWeek: { week: number; hours: number }[];
}

export interface Reserved {
  client: string;
  /** Hours held for the block. */
  hours: number;
  plannedHours: number;
  /** Hours of the block's rate the plan could not find room for. */
  unplannedHours: number;
  /** Reserved hours planned per week. */
  byWeek: number[];
}

export interface WhatIfAnswer {
  quarter: string;
  /** The plan version compared against; null when that plan was behind the data and was solved afresh. */
  basedOnVersion: number | null;
  /** The quarter's data revision the answer was computed from: POST /api/what-if/confirm sends it back. */
  basedOnRevision: number;
  /** The quarter's plan with the changes, as confirming would store it. */
  plan: Plan;
  /** From the plan in force (or the baseline solved afresh) to `plan`. */
  diff: PlanDiff;
  /** Only when the changes buy a block: true when nobody else is pushed below their rate and the block's rate fits. */
  available?: boolean;
  /** Only when the changes buy a block: where the block's rate was reserved. */
  reserved?: Reserved[];
  /** Other prepaid clients pushed below their rate in weeks where they had work waiting. */
  pushedOut: PushedOut[];
  /** Only when the changes buy a block: weeks where the buyer's new rate could not be met. */
  blockShortfall?: PushedOut[];
  /**
   * What the changes do to the quarter's money (server/modules/money/quarter-money.ts on the plan
   * before and the plan after, at the clients' prices): totals before, after, and after − before.
   * Always sent by the server; optional here for answers made before it (fixtures).
   */
  money?: WhatIfMoney;
}
/** Checked by shape only: its plan is the planner's contract. */
export const WhatIfAnswer = z.custom<WhatIfAnswer>((x) => typeof x === 'object' && x !== null && 'diff' in x && 'basedOnRevision' in x);

/** POST /api/what-if/confirm, saved: the ids of the tickets each change created. */
export const WhatIfConfirmed = z.object({ quarter: z.string(), basedOnRevision: z.number().int(), created: z.array(z.array(z.string())) }).strict();
export type WhatIfConfirmed = z.infer<typeof WhatIfConfirmed>;

/** POST /api/what-if/confirm, not saved (409 `what_if_stale`): the answer on the data as it is now. */
export type WhatIfStale = ErrorBody & { error: { code: 'what_if_stale'; details: { basedOnRevision: number; revision: number | null } }; answer: WhatIfAnswer };
export const WhatIfStale = ErrorBody.extend({ answer: WhatIfAnswer });
