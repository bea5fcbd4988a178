/** Ticket rows for the manager's queue and a client's list: the plan joined with the records. */
import type { PlanView, TicketRecord } from '../../../shared/api/index.ts';
import { tidy } from './chart-spec.ts';
import { weekRanges } from './format.ts';

export interface QueueRow {
  id: string;
  title: string;
  client: string;
  clientName: string;
  priority: number | null;
  emergency: boolean;
  status: 'open' | 'closed';
  dueWeek: number | null;
  estimateHours: number | null;
  remainingHours: number;
  plannedHours: number;
  unplannedHours: number;
  weeks: number[];
  weeksText: string;
  assignees: string[];
  reasons: string[];
  record: TicketRecord | null;
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
      status: r?.status ?? 'open',
      dueWeek: r?.dueWeek ?? null,
      estimateHours: r?.estimateHours ?? null,
      remainingHours: tidy(t?.remainingHours ?? Math.max(0, (r?.estimateHours ?? 0) - (r?.spentHours ?? 0))),
      plannedHours: tidy(t?.plannedHours ?? 0),
      unplannedHours: tidy(t?.unplannedHours ?? 0),
      weeks: ws,
      weeksText: weekRanges(ws),
      assignees: (t?.staff ?? []).map((s) => staffNames.get(s) ?? s),
      reasons: reasons.get(id) ?? [],
      record: r,
      inPlan: Boolean(t),
    });
  }
  return rows.sort(queueOrder);
}

/** Emergencies, then open before closed, then priority, then most hours unplanned, then id. */
export function queueOrder(a: QueueRow, b: QueueRow): number {
  return (
    Number(b.emergency) - Number(a.emergency) ||
    Number(a.status === 'closed') - Number(b.status === 'closed') ||
    (a.priority ?? 9) - (b.priority ?? 9) ||
    b.unplannedHours - a.unplannedHours ||
    a.id.localeCompare(b.id, undefined, { numeric: true })
  );
}
