/**
 * Ticket rows for the manager's queue and a client's list: the plan joined with the records (a
 * client's whole plan and its ticket records), or the server's queue rows (the manager's pages,
 * which come joined).
 */
import type { PlanView, QueueRow as PlanQueueRow, TicketRecord } from '../../../shared/api/index.ts';
import { queueOrder } from '../../../shared/queue-order.ts';
import { tidy } from './chart-spec.ts';
import { weekRanges } from './format.ts';

export { queueOrder };

export interface QueueRow {
  id: string;
  title: string;
  client: string;
  clientName: string;
  priority: number | null;
  emergency: boolean;
  /** A tracker asked for an emergency; a manager has not confirmed or dismissed it yet. */
  emergencyRequested: boolean;
  status: 'open' | 'closed';
  dueWeek: number | null;
  estimateHours: number | null;
  spentHours: number | null;
  openedWeek: number | null;
  remainingHours: number;
  plannedHours: number;
  unplannedHours: number;
  weeks: number[];
  weeksText: string;
  assignees: string[];
  reasons: string[];
  /** The ticket's record where it was read (a client's list), else null: read it to edit. */
  record: TicketRecord | null;
  /** The ticket has a record (title, priority); false for a plan row whose record is gone. */
  hasRecord: boolean;
  /** False for a ticket filed since the plan was made: it is being planned. */
  inPlan: boolean;
}

export function queueRows(plan: PlanView | null, records: TicketRecord[], names: { clients?: Map<string, string>; staff?: Map<string, string> } = {}): QueueRow[] {
  const clientNames = names.clients ?? new Map((plan?.clients ?? []).map((c) => [c.id, c.name]));
  const staffNames = names.staff ?? new Map((plan?.staff ?? []).map((s) => [s.id, s.name]));
  const planned = new Map((plan?.tickets ?? []).map((t) => [t.id, t]));
  const weeks = new Map<string, number[]>();
  for (const a of plan?.allocations ?? []) {
    const list = weeks.get(a.ticket) ?? [];
    list.push(a.week);
    weeks.set(a.ticket, list);
  }
  const reasons = new Map<string, string[]>();
  for (const u of plan?.unplanned ?? []) reasons.set(u.ticket, [...(reasons.get(u.ticket) ?? []), u.reason]);

  const ids = new Set<string>([...records.map((r) => r.id), ...planned.keys()]);
  const byId = new Map(records.map((r) => [r.id, r]));
  const rows: QueueRow[] = [];
  for (const id of ids) {
    const r = byId.get(id) ?? null;
    const t = planned.get(id);
    const client = r?.client ?? t?.client ?? '';
    const ws = [...new Set(weeks.get(id) ?? [])].sort((a, b) => a - b);
    rows.push({
      id,
      title: r?.title ?? '',
      client,
      clientName: clientNames.get(client) ?? client,
      priority: r?.priority ?? null,
      emergency: r?.emergency ?? false,
      emergencyRequested: r?.emergencyRequested ?? false,
      status: r?.status ?? 'open',
      dueWeek: r?.dueWeek ?? null,
      estimateHours: r?.estimateHours ?? null,
      spentHours: r?.spentHours ?? null,
      openedWeek: r?.openedWeek ?? null,
      remainingHours: tidy(t?.remainingHours ?? Math.max(0, (r?.estimateHours ?? 0) - (r?.spentHours ?? 0))),
      plannedHours: tidy(t?.plannedHours ?? 0),
      unplannedHours: tidy(t?.unplannedHours ?? 0),
      weeks: ws,
      weeksText: weekRanges(ws),
      assignees: (t?.staff ?? []).map((s) => staffNames.get(s) ?? s),
      reasons: reasons.get(id) ?? [],
      record: r,
      hasRecord: r !== null,
      inPlan: Boolean(t),
    });
  }
  return rows.sort(queueOrder);
}

/** The server's queue rows (already in queue order) as the table shows them. */
export function rowsFromPages(items: readonly PlanQueueRow[], names: { clients?: Map<string, string>; staff?: Map<string, string> } = {}): QueueRow[] {
  return items.map((t) => ({
    id: t.id,
    title: t.title,
    client: t.client,
    clientName: names.clients?.get(t.client) ?? t.client,
    priority: t.priority,
    emergency: t.emergency,
    emergencyRequested: t.emergencyRequested,
    status: t.status,
    dueWeek: t.dueWeek,
    estimateHours: t.estimateHours,
    spentHours: t.spentHours ?? null,
    openedWeek: t.openedWeek ?? null,
    remainingHours: tidy(t.remainingHours),
    plannedHours: tidy(t.plannedHours),
    unplannedHours: tidy(t.unplannedHours),
    weeks: t.plannedWeeks,
    weeksText: weekRanges(t.plannedWeeks),
    assignees: (t.staff ?? []).map((s) => names.staff?.get(s) ?? s),
    reasons: t.unplanned ? [t.unplanned.reason] : [],
    record: null,
    hasRecord: t.priority !== null,
    inPlan: true,
  }));
}
