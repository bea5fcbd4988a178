/**
 * The ticket queue's sort orders (GET /api/plans/current/tickets?sort=&dir=), without zod: the
 * dashboard reads them as plain values.
 *
 * The queue sorted by one column instead of the queue's order: `id` (natural order), `client`
 * (its name), `priority` (an emergency first), `estimate`, `spent`, `opened`, `due` (week),
 * `planned`, `unplanned` (hours), `weeks` (the first planned week). Rows without a value (no
 * due week, nothing planned) come last either way; ties go by id. `dir`: asc (default) or desc.
 */
export const QUEUE_SORTS = ['id', 'client', 'priority', 'estimate', 'spent', 'opened', 'due', 'planned', 'unplanned', 'weeks'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export const SORT_DIRS = ['asc', 'desc'] as const;
export type SortDir = (typeof SORT_DIRS)[number];
