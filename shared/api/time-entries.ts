/**
 * /api/time-entries: hours worked on a ticket. Field names are the scenario's: `ticket`,
 * `client`, `quarter`, `staff`. Tools written before the rename may still send `ticketId` and
 * `staffId` in bodies; answers carry only the new names.
 */
import { z } from 'zod';
import { entryHoursSchema } from '../hours.ts';
import { acceptingOldNames, Id, IsoDate, serial, Timestamp, Version, WeekParam } from './fields.ts';
import { page, pagedQuery, type Page } from './paging.ts';

/** Old body field names still accepted (see acceptingOldNames). */
export const TIME_ENTRY_OLD_NAMES = { ticketId: 'ticket', staffId: 'staff' } as const;

const fields = {
  ticket: Id,
  /** More than 0, at most a day, in quarter hours (shared/hours.ts, as the CSV import). */
  hours: entryHoursSchema(),
  date: IsoDate('2026-10-05'),
  week: z.number({ error: 'must be a week index' }).int({ error: 'must be a whole week index' }).min(0, { error: 'must be a week index from 0' }).max(26),
  staff: Id,
  note: z.string({ error: 'must be text' }).max(2000, { error: 'must be at most 2000 characters' }),
};

/** Staff log their own hours (leave `staff` out); managers name whose hours they are. */
export const TimeEntryCreate = acceptingOldNames(
  z.object({ ...fields, date: fields.date.optional(), week: fields.week.optional(), staff: fields.staff.optional(), note: fields.note.optional() }).strict(),
  TIME_ENTRY_OLD_NAMES,
);
export type TimeEntryCreate = z.infer<typeof TimeEntryCreate>;

export const TimeEntryPatch = acceptingOldNames(z.object({ version: Version, ...fields }).partial().required({ version: true }).strict(), TIME_ENTRY_OLD_NAMES);
export type TimeEntryPatch = z.infer<typeof TimeEntryPatch>;

export const TimeEntryIdParam = z.object({ id: serial('must be a time entry number') });
export type TimeEntryIdParam = z.infer<typeof TimeEntryIdParam>;

/** DELETE /api/time-entries/:id?version=N */
export const TimeEntryDeleteQuery = z.object({ version: z.coerce.number({ error: 'is required: send the version you read (?version=N)' }).int() }).strict();
export type TimeEntryDeleteQuery = z.infer<typeof TimeEntryDeleteQuery>;

/** Oldest first (by id). */
export const TimeEntryListQuery = pagedQuery({
  quarter: Id.optional(),
  ticket: Id.optional(),
  staff: Id.optional(),
  client: Id.optional(),
  week: WeekParam.optional(),
});
export type TimeEntryListQuery = z.infer<typeof TimeEntryListQuery>;

/** A client reads its own entries without `staff` and `note` (who worked, and staff's words). */
export const TimeEntryRecord = z
  .object({
    id: z.number().int(),
    ticket: z.string(),
    client: z.string(),
    quarter: z.string(),
    staff: z.string().optional(),
    week: z.number().int(),
    /** Null in a quarter without a start date: such entries have a week only. */
    date: z.string().nullable(),
    hours: z.number(),
    note: z.string().optional(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .strict();
export type TimeEntryRecord = z.infer<typeof TimeEntryRecord>;

export const TimeEntryPage = page(TimeEntryRecord);
export type TimeEntryPage = Page<TimeEntryRecord>;
