/**
 * /api/calendar: each staff member's and manager's secret calendar feed (issue 12).
 * - GET  /api/calendar        the caller's feed: `{ url, createdAt }`, made on the first call;
 * - POST /api/calendar/reset  a new address; the old one answers 404 from then on;
 * - GET  /api/calendar/:token.ics  the feed itself (iCalendar), no cookie: the address is the key.
 *
 * `url` is the caller's own feed address, on every call; null only for a feed made before the
 * server kept tokens (migration 0014): reset it to get an address.
 */
import { z } from 'zod';
import { Timestamp } from './fields.ts';

export const CalendarFeedAnswer = z
  .object({
    /** The feed's absolute address (null only for a feed made before migration 0014: reset it). */
    url: z.string().nullable(),
    /** When the address in force was made. */
    createdAt: Timestamp,
    /** What the feed holds: a staff member's planned weeks, or a manager's team feed of leave and emergencies. */
    kind: z.enum(['staff', 'team']),
  })
  .strict();
export type CalendarFeedAnswer = z.infer<typeof CalendarFeedAnswer>;
