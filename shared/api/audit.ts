/** GET /api/audit (managers): who changed what, and when, newest first. */
import { z } from 'zod';
import { serial, Timestamp } from './fields.ts';
import { page, pagedQuery, type Page } from './paging.ts';

const MOMENT = 'must be a date like 2026-11-30 or a time like 2026-11-30T00:00:00Z';
/** A day (from its start, UTC) or an exact time with its offset. */
const Moment = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: MOMENT });

/** The start of a `from`, and the end (exclusive) of a `to`: a day `to` includes that whole day. */
export function momentBounds(q: { from?: string; to?: string }): { from?: Date; toBefore?: Date } {
  const day = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);
  const out: { from?: Date; toBefore?: Date } = {};
  if (q.from) out.from = new Date(day(q.from) ? `${q.from}T00:00:00Z` : q.from);
  if (q.to) out.toBefore = day(q.to) ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : new Date(Date.parse(q.to) + 1);
  return out;
}

/**
 * Newest first (by id). Filters combine: `entity` and `id` (the record: `ticket` and `T-104`),
 * `user` (who made the change: a user's id), `from` and `to` (when: a day, whole, or an exact time).
 */
export const AuditListQuery = pagedQuery({
  entity: z.string({ error: 'must be a kind of record, like ticket' }).min(1, { error: 'must not be empty' }).max(50, { error: 'must be at most 50 characters' }).optional(),
  id: z.string({ error: 'must be a record id' }).min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  user: serial('must be the id of a user').optional(),
  from: Moment.optional(),
  to: Moment.optional(),
  before: z.never({ error: 'is not how lists are paged: send the nextCursor of the previous page as cursor' }).optional(),
}).refine((q) => !q.from || !q.to || momentBounds(q).from! < momentBounds(q).toBefore!, { error: 'must not be before from', path: ['to'] });
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: Timestamp,
    /** Who made the change; null for the system (clock, imports at start). */
    user: z.object({ id: z.number().int(), email: z.string().nullable() }).strict().nullable(),
    /** The API token the change was made with (user is null then); absent for changes made otherwise. */
    token: z.object({ id: z.number().int(), name: z.string() }).strict().optional(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    /** The record before and after, as the API showed it then (older entries keep the names of their day). */
    before: z.unknown(),
    after: z.unknown(),
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = page(AuditEntry);
export type AuditPage = Page<AuditEntry>;
