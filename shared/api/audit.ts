/** GET /api/audit (managers): who changed what, and when, newest first. */
import { z } from 'zod';
import { Timestamp } from './fields.ts';
import { page, pagedQuery, type Page } from './paging.ts';

/** Newest first (by id). */
export const AuditListQuery = pagedQuery({
  entity: z.string().min(1).max(50).optional(),
  id: z.string().min(1).max(200).optional(),
  before: z.never({ error: 'is not how lists are paged: send the nextCursor of the previous page as cursor' }).optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: Timestamp,
    /** Who made the change; null for the system (clock, imports at start). */
    user: z.object({ id: z.number().int(), email: z.string().nullable() }).strict().nullable(),
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
