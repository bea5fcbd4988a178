/** Bodies and queries of /api/pins. Field names are the scenario's `pins` (SCENARIO.md). */
import { z } from 'zod';
import { hoursSchema, idSchema, weekSchema } from '../resource-helpers.ts';

/** A pin holds at most a week's hours of one person (the scenario's own cap). */
export const PIN_MAX_HOURS = 168;

export const pinHours = hoursSchema(PIN_MAX_HOURS).refine((h) => h > 0, { error: 'must be more than 0' });

export const CreatePin = z
  .object({
    ticket: idSchema,
    staff: idSchema,
    week: weekSchema,
    hours: pinHours,
    quarter: idSchema.optional(),
  })
  .strict();
export type CreatePin = z.output<typeof CreatePin>;

export const PinListQuery = z.object({ quarter: idSchema.optional() }).strict();
export type PinListQuery = z.output<typeof PinListQuery>;

const PIN_ID = 'must be a pin id (a whole number)';
export const PinIdParam = z.object({
  id: z.coerce.number({ error: PIN_ID }).int({ error: PIN_ID }).positive({ error: PIN_ID }).max(2_147_483_647, { error: PIN_ID }),
});
