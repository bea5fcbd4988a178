/**
 * /api/leave-calendars: holidays and absences from iCalendar (issue 13), managers only. A holiday
 * calendar (a feed's address or an uploaded .ics file) takes its days off everyone's capacity; an
 * absence calendar (a feed per person) off its person's. A weekday off all day removes
 * weeklyHours / 5 in quarter hours, a timed event its hours (a day's at most); weekends remove
 * nothing. The hours show as leave in the plan, on top of the leave entered by hand
 * (PUT /api/staff/:id/leave), which a refresh never touches. Feeds are refreshed daily.
 */
import { z } from 'zod';
import { Id, Name, serial, Timestamp, typed } from './fields.ts';

export const LEAVE_CALENDAR_KINDS = ['holidays', 'absence'] as const;
export const LeaveCalendarKind = z.enum(LEAVE_CALENDAR_KINDS, { error: 'must be "holidays" (everyone) or "absence" (one person: staffId)' });
export type LeaveCalendarKind = z.infer<typeof LeaveCalendarKind>;

/** An uploaded file's text, as sent in JSON: within the API's 200 kB bodies once its line ends are escaped. */
export const ICS_MAX_CHARS = 150_000;

/** http(s) only; webcal:// (what calendar sites link) is read as https://. */
export const FeedUrl = z
  .string({ error: typed('must be a string') })
  .trim()
  .max(2000, { error: 'must be at most 2000 characters' })
  .transform((v, ctx) => {
    const text = /^webcal:\/\//i.test(v) ? `https://${v.slice(9)}` : v;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an address like https://example.com/holidays.ics' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must start with https:// or http:// (or webcal://)' });
      return z.NEVER;
    }
    return url.toString();
  });

const source = {
  /** A feed's address: fetched now and every day. */
  url: FeedUrl.optional(),
  /** Or an .ics file's text: read now, and again each day (for quarters added since). */
  ics: z
    .string({ error: typed('must be the .ics file’s text') })
    .min(1, { error: 'must not be empty' })
    .max(ICS_MAX_CHARS, { error: `must be at most ${ICS_MAX_CHARS} characters; put a larger calendar at an address and send url` })
    .optional(),
};

export const LeaveCalendarCreate = z
  .object({
    kind: LeaveCalendarKind,
    name: Name,
    ...source,
    /** Whose absences (kind "absence" only). */
    staffId: Id.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.url === undefined) === (b.ics === undefined)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'send either url (a feed) or ics (a file’s text), one of them' });
    if (b.kind === 'absence' && b.staffId === undefined) ctx.addIssue({ code: 'custom', path: ['staffId'], message: 'is required for an absence calendar: whose absences they are' });
    if (b.kind === 'holidays' && b.staffId !== undefined) ctx.addIssue({ code: 'custom', path: ['staffId'], message: 'is for absence calendars only: a holiday calendar applies to everyone' });
  });
export type LeaveCalendarCreate = z.infer<typeof LeaveCalendarCreate>;

export const LeaveCalendarIdParam = z.object({ id: serial('must be a calendar id (a whole number)') });
export type LeaveCalendarIdParam = z.infer<typeof LeaveCalendarIdParam>;

/** A date a calendar takes off: whole (minutes null) or in part. */
export const LeaveDayRecord = z.object({ date: z.string(), minutes: z.number().int().nullable(), summary: z.string() }).strict();
export type LeaveDayRecord = z.infer<typeof LeaveDayRecord>;

/** A week of the quarter shown, with the dates off in it and the hours each person loses (this calendar alone). */
export const LeaveCalendarWeek = z
  .object({
    week: z.number().int(),
    days: z.array(LeaveDayRecord),
    hours: z.record(z.string(), z.number()),
  })
  .strict();
export type LeaveCalendarWeek = z.infer<typeof LeaveCalendarWeek>;

/** The quarter the weeks are of; without a start date its weeks have no dates, so nothing is taken off. */
export const LeaveQuarter = z.object({ id: z.string(), startDate: z.string().nullable(), weeks: z.number().int() }).strict().nullable();

export const LeaveCalendarRecord = z
  .object({
    id: z.number().int(),
    kind: LeaveCalendarKind,
    name: z.string(),
    staffId: z.string().nullable(),
    /** The feed's address; null for an uploaded file. */
    url: z.string().nullable(),
    source: z.enum(['url', 'file']),
    createdAt: Timestamp,
    /** The last refresh that worked, and the last one tried. */
    lastFetchedAt: Timestamp.nullable(),
    lastAttemptAt: Timestamp.nullable(),
    /** Why the last refresh failed (the days of the one before are kept); null when it worked. */
    lastError: z.string().nullable(),
    /** Dates stored (over the open quarters and the year ahead). */
    dayCount: z.number().int(),
    quarter: LeaveQuarter,
    weeks: z.array(LeaveCalendarWeek),
  })
  .strict();
export type LeaveCalendarRecord = z.infer<typeof LeaveCalendarRecord>;

export const LeaveCalendarList = z.object({ quarter: LeaveQuarter, items: z.array(LeaveCalendarRecord) }).strict();
export type LeaveCalendarList = z.infer<typeof LeaveCalendarList>;

/** A dry run: what the calendar would take off the current quarter, nothing stored. */
export const LeaveCalendarPreview = z.object({ quarter: LeaveQuarter, dayCount: z.number().int(), weeks: z.array(LeaveCalendarWeek) }).strict();
export type LeaveCalendarPreview = z.infer<typeof LeaveCalendarPreview>;
