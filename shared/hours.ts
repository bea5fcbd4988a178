/**
 * Hours as every request spells them, a JSON field or a CSV cell alike: a number of quarter
 * hours (DOMAIN.md "Time"), checked by the planner's own rule (solver/validate.ts), so whatever
 * the API stores the planner accepts. One definition: the JSON schemas and the CSV imports take
 * theirs from here.
 */
import { z } from 'zod';
import { isQuarterHours, QUARTER_HOURS_MESSAGE } from '../solver/validate.ts';

/** The scenario's own cap (SCENARIO.md). */
export const MAX_HOURS = 100_000;

const hoursNumber = () => z.number({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a number of hours') });
const inQuarterHours = (n: z.ZodNumber) => n.refine(isQuarterHours, { error: QUARTER_HOURS_MESSAGE });

/** Hours from 0 up to `max`, in quarter hours. */
export const hoursSchema = (max = MAX_HOURS) =>
  inQuarterHours(
    hoursNumber()
      .finite({ error: 'must be a number of hours' })
      .min(0, { error: 'must not be negative' })
      .max(max, { error: `must be at most ${max} hours` }),
  );

/** Hours logged on a time entry: more than 0, at most a day, in quarter hours. */
export const entryHoursSchema = () => inQuarterHours(hoursNumber().gt(0, { error: 'must be more than 0' }).max(24, { error: 'must be at most 24 hours' }));
