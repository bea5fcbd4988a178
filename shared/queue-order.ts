/**
 * The order of the ticket queue, in one place: the manager's queue in the dashboard
 * (client/src/composables/ticket-queue.ts) and the server's pages of it
 * (GET /api/plans/current/tickets, the summary's first page) sort with this comparator.
 *
 * Emergencies first, then open before closed, then priority (1 urgent … 4 low; unknown last),
 * then most hours unplanned, then the id in natural order (T-9 before T-10).
 */
import { compareIds } from '../solver/quarter-hours.ts';

/** What the queue's order reads of a row. */
export interface QueueOrdered {
  id: string;
  emergency: boolean;
  status: 'open' | 'closed';
  priority: number | null;
  unplannedHours: number;
}

export function queueOrder(a: QueueOrdered, b: QueueOrdered): number {
  return (
    Number(b.emergency) - Number(a.emergency) ||
    Number(a.status === 'closed') - Number(b.status === 'closed') ||
    (a.priority ?? 9) - (b.priority ?? 9) ||
    b.unplannedHours - a.unplannedHours ||
    compareIds(a.id, b.id)
  );
}
