/**
 * /api/calendar: each staff member's and manager's secret calendar feed (issue 12).
 * - GET  /api/calendar        the caller's feed: `{ url, createdAt }`, made on the first call;
 * - POST /api/calendar/reset  a new address; the old one answers 404 from then on;
 * - GET  /api/calendar/:token.ics  the feed itself (iCalendar), no cookie: the address is the key.
 *
 * The server keeps only the SHA-256 of an address's token (as for sessions and password links),
 * so it can say the address only when it makes it: `url` is null when the feed was made before
 * this call; reset to get a new address shown.
 */
import { z } from 'zod';
import { Timestamp } from './fields.ts';

export const CalendarFeedAnswer = z
  .object({
    /** The feed's absolute address, when this call made it (the first GET, a reset); else null. */
    url: z.string().nullable(),
    /** When the address in force was made. */
    createdAt: Timestamp,
    /** What the feed holds: a staff member's planned weeks, or a manager's team feed of leave and emergencies. */
    kind: z.enum(['staff', 'team']),
  })
  .strict();
export type CalendarFeedAnswer = z.infer<typeof CalendarFeedAnswer>;
