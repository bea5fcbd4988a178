/**
 * /api/quarters: quarters, their settings, scenario import and export (SCENARIO.md), and closing
 * a quarter into the next.
 */
import { z } from 'zod';
import type { ScenarioInput } from '../../solver/contract.ts';
import { policySchema } from '../../solver/validate.ts';
import { Id, IsoDate, Timestamp, Version } from './fields.ts';

export const QuarterIdParam = z.object({ id: Id });
export type QuarterIdParam = z.infer<typeof QuarterIdParam>;

/**
 * POST /api/quarters: start a company's first quarter (later ones come from closing the one
 * before). Weeks are counted from `startDate`, a Monday.
 */
export const QuarterCreate = z
  .object({
    id: Id,
    weeks: z.number({ error: 'must be a number of weeks' }).int({ error: 'must be a whole number of weeks' }).min(1, { error: 'must be at least 1 week' }).max(27, { error: 'must be at most 27 weeks' }).default(13),
    startDate: IsoDate('2026-09-28').refine((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1, { error: 'must be a Monday (weeks start on Monday)' }).nullable().default(null),
    currentWeek: z.number({ error: 'must be a week index' }).int({ error: 'must be a whole week index' }).min(0, { error: 'must be a week index from 0' }).default(0),
  })
  .strict()
  .refine((q) => q.currentWeek < q.weeks, { error: 'must be a week of the quarter (from 0 to weeks − 1)', path: ['currentWeek'] });
export type QuarterCreate = z.infer<typeof QuarterCreate>;

export const QuarterPatch = z
  .object({
    version: Version,
    currentWeek: z.number({ error: 'must be a week index' }).int({ error: 'must be a whole week index' }).min(0, { error: 'must be a week index from 0' }).optional(),
    autoAdvance: z.boolean({ error: 'must be true or false' }).optional(),
    startDate: IsoDate('2026-09-28').nullable().optional(),
    policy: policySchema.nullable().optional(),
  })
  .strict();
export type QuarterPatch = z.infer<typeof QuarterPatch>;

export const QuarterRecord = z
  .object({
    id: z.string(),
    weeks: z.number().int(),
    currentWeek: z.number().int(),
    startDate: z.string().nullable(),
    autoAdvance: z.boolean(),
    policy: z.record(z.string(), z.unknown()),
    closed: z.boolean(),
    closedAt: Timestamp.nullable(),
    currentPlanVersion: z.number().int().nullable(),
    /** Bumped by every change that can move the plan. */
    dataRevision: z.number().int(),
    version: z.number().int(),
  })
  .strict();
export type QuarterRecord = z.infer<typeof QuarterRecord>;

/** POST /api/quarters/:id/import takes a scenario (SCENARIO.md), checked by the planner's own rules. */
export const ScenarioImportResult = z
  .object({
    /** False when the scenario was the quarter as stored already. */
    changed: z.boolean(),
    quarter: QuarterRecord,
    counts: z.object({ staff: z.number().int(), clients: z.number().int(), tickets: z.number().int() }).strict(),
  })
  .strict();
export type ScenarioImportResult = z.infer<typeof ScenarioImportResult>;

/** GET /api/quarters/:id/scenario: the quarter's state as a scenario. */
export const ScenarioExport = z.custom<ScenarioInput>((x) => typeof x === 'object' && x !== null);
export type ScenarioExport = ScenarioInput;

export const QuarterCloseBody = z
  .object({
    nextQuarter: z
      .object(
        {
          id: z.string({ error: 'is required: the quarter that follows, like 2027-Q1' }).trim().min(1, { error: 'must not be empty' }).max(200),
          weeks: z.number({ error: 'must be a number of weeks' }).int({ error: 'must be a whole number of weeks' }).min(1).max(27).optional(),
          startDate: IsoDate('2027-01-04').optional(),
        },
        { error: 'is required: { "id": "2027-Q1" } names the quarter that follows' },
      )
      .strict(),
  })
  .strict();
export type QuarterCloseBody = z.infer<typeof QuarterCloseBody>;

export const QuarterCloseResult = z
  .object({
    quarter: QuarterRecord,
    nextQuarter: QuarterRecord,
    planVersion: z.number().int(),
    /** Each prepaid client's unused hours at close: rolled over (the company's shortfall) or expired. */
    clients: z.array(z.object({ client: z.string(), rolloverHours: z.number(), expiredHours: z.number() }).strict()),
    carriedTickets: z.array(z.string()),
  })
  .strict();
export type QuarterCloseResult = z.infer<typeof QuarterCloseResult>;

const closeClient = z.object({ client: z.string(), rolloverHours: z.number(), expiredHours: z.number() }).strict();

/**
 * GET /api/quarters/:id/close-preview (managers): what closing the quarter now would do, worked
 * out as the close works it out (one function), from the plan in force: each prepaid client's
 * rollover credit into the next quarter and its hours expiring, each client's overage to bill,
 * the open tickets that move on. `upToDate` false: the plan does not include the latest changes
 * yet, and a close now answers 409. A closed quarter answers what its close did
 * (`carriedTickets` null, `nextQuarter` the quarter it closed into).
 */
export const QuarterClosePreview = z
  .object({
    quarter: QuarterRecord,
    planVersion: z.number().int().nullable(),
    upToDate: z.boolean(),
    clients: z.array(closeClient.extend({ name: z.string() }).strict()),
    overage: z.array(z.object({ client: z.string(), name: z.string(), hours: z.number() }).strict()),
    carriedTickets: z.array(z.string()).nullable(),
    nextQuarter: z.string().nullable(),
  })
  .strict();
export type QuarterClosePreview = z.infer<typeof QuarterClosePreview>;
