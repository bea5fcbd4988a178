/**
 * Paged lists: the one convention for every list that grows (tickets, clients, time entries, the
 * audit log, and those added later).
 *
 * Request: `?limit=&cursor=` next to the list's own filters.
 * - `limit`: items per page, 1 to PAGE_LIMIT_MAX (default PAGE_LIMIT_DEFAULT).
 * - `cursor`: left out for the first page; then the `nextCursor` of the page before, as it was
 *   given. It is opaque: its content may change between versions, so build nothing on it.
 * Response: `{ items, total, nextCursor }`.
 * - `items`: in the list's fixed order (each list's route says which: a sort key, then the id).
 * - `total`: how many items match the filters now, on every page.
 * - `nextCursor`: the cursor of the next page, or null on the last one.
 *
 * Pages are keyset pages: a cursor names the last item seen (its sort key and id), and the next
 * page starts after it. Records added or removed meanwhile never make a page repeat or skip an
 * item that was there all along; one added after the cursor's place shows up on a later page.
 * A bad `limit` or a cursor this list did not give out answers 400 naming `limit` or `cursor`;
 * `offset` (and the audit log's old `before`) are refused, naming themselves.
 */
import { z } from 'zod';

export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 1000;

const LIMIT = `must be a whole number from 1 to ${PAGE_LIMIT_MAX}`;
const OLD_PAGING = 'is not how lists are paged: send the nextCursor of the previous page as cursor';

export const PageQuery = z.object({
  limit: z.coerce.number({ error: LIMIT }).int({ error: LIMIT }).min(1, { error: LIMIT }).max(PAGE_LIMIT_MAX, { error: LIMIT }).default(PAGE_LIMIT_DEFAULT),
  cursor: z
    .string({ error: 'must be the nextCursor of the previous page' })
    .min(1, { error: 'must be the nextCursor of the previous page (leave it out for the first page)' })
    .max(500, { error: 'is not a cursor this list gave out' })
    .optional(),
  offset: z.never({ error: OLD_PAGING }).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** A list's query: its filters and the paging fields, nothing else (an unknown field is named). */
export const pagedQuery = <F extends z.ZodRawShape>(filters: F) => z.object({ ...filters, ...PageQuery.shape }).strict();

/** A page of `item`s; `extra`, fields a list adds next to them (the plan's pages: its `version`). */
export const page = <T extends z.ZodType, E extends z.ZodRawShape = {}>(item: T, extra: E = {} as E) =>
  z.object({ items: z.array(item), total: z.number().int().min(0), nextCursor: z.string().nullable(), ...extra }).strict();

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}
