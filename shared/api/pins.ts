/**
 * /api/pins: hours a manager fixed, this person on this ticket in this week. Field names are the
 * scenario's `pins` (SCENARIO.md): `ticket`, `staff`, `week`, `hours`.
 */
import { z } from 'zod';
import { hours, Id, serial, Timestamp, Week } from './fields.ts';

/** A pin holds at most a week's hours of one person (the scenario's own cap). */
export const PIN_MAX_HOURS = 168;

export const PinHours = hours(PIN_MAX_HOURS).refine((h) => h > 0, { error: 'must be more than 0' });

export const PinCreate = z.object({ ticket: Id, staff: Id, week: Week, hours: PinHours, quarter: Id.optional() }).strict();
export type PinCreate = z.infer<typeof PinCreate>;

export const PinListQuery = z.object({ quarter: Id.optional() }).strict();
export type PinListQuery = z.infer<typeof PinListQuery>;

export const PinIdParam = z.object({ id: serial('must be a pin id (a whole number)') });
export type PinIdParam = z.infer<typeof PinIdParam>;

export const PinRecord = z
  .object({
    id: z.number().int(),
    quarter: z.string(),
    ticket: z.string(),
    /** The ticket's client, for grouping on screen; null when the ticket is gone. */
    client: z.string().nullable(),
    staff: z.string(),
    week: z.number().int(),
    hours: z.number(),
    pinnedBy: z.object({ id: z.number().int(), email: z.string().nullable() }).strict().nullable(),
    pinnedAt: Timestamp,
  })
  .strict();
export type PinRecord = z.infer<typeof PinRecord>;
