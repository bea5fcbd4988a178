/**
 * Pins joined with the plan: pinned hours per ticket, per person-week and per pin, what a
 * person-week holds (to pin one of its tickets), and whether each pin held (SCENARIO.md: pinned
 * rows carry `pinned: true`, pins that could not hold in full are in `pinIssues`).
 */
import type { PinInput, PinIssue, PinnedRow, PinRecord, PlanView } from '../../../shared/api/index.ts';
import { tidy } from './chart-spec.ts';
import { fmtHours } from './format.ts';

type PinRef = Pick<PinInput, 'ticket' | 'staff' | 'week'>;
type Row = PlanView['allocations'][number];

export const pinKey = (p: PinRef) => `${p.staff}\u0000${p.week}\u0000${p.ticket}`;
export const cellKey = (staff: string, week: number) => `${staff}\u0000${week}`;

/** The pinned hours of an allocation row: all of it, or its `pinnedHours` when it also holds planned hours. */
export const rowPinnedHours = (a: Row): number => (a.pinned ? (a.pinnedHours ?? a.hours) : 0);

export interface PinnedTotals {
  byTicket: Map<string, number>;
  /** By person and week (`cellKey`). */
  byCell: Map<string, number>;
  /** By pin (`pinKey`). */
  byPin: Map<string, number>;
}

/**
 * Where pins are read from: a whole plan view (its allocations' pinned rows), or the manager's
 * summary (its `pinned` rows: the marks without the allocations); both with their pin issues.
 */
export type PinSource = Pick<PlanView, 'allocations' | 'pinIssues'> | { pinned: PinnedRow[]; pinIssues?: PinIssue[] };

/** The pinned hours of a source, row by row (`staff` missing where the viewer may not see who). */
function pinnedRows(src: PinSource | null): (Omit<PinnedRow, 'staff'> & { staff?: string })[] {
  if (!src) return [];
  if ('pinned' in src) return src.pinned;
  return src.allocations.flatMap((a) => {
    const hours = rowPinnedHours(a);
    return hours > 0 ? [{ week: a.week, staff: a.staff, ticket: a.ticket, hours }] : [];
  });
}

export function pinnedTotals(plan: PinSource | null): PinnedTotals {
  const out: PinnedTotals = { byTicket: new Map(), byCell: new Map(), byPin: new Map() };
  const add = (m: Map<string, number>, k: string, h: number) => m.set(k, tidy((m.get(k) ?? 0) + h));
  for (const a of pinnedRows(plan)) {
    const h = a.hours;
    if (h <= 0) continue;
    add(out.byTicket, a.ticket, h);
    if (a.staff === undefined) continue;
    add(out.byCell, cellKey(a.staff, a.week), h);
    add(out.byPin, pinKey({ ticket: a.ticket, staff: a.staff, week: a.week }), h);
  }
  return out;
}

export interface CellTicket {
  ticket: string;
  client: string;
  hours: number;
  pinnedHours: number;
}

/** The tickets a person is planned on in a week, most hours first. */
export function cellTickets(plan: Pick<PlanView, 'allocations'> | null, staff: string, week: number): CellTicket[] {
  return cellTicketsOf((plan?.allocations ?? []).filter((a) => a.staff === staff && a.week === week));
}

/** The tickets of one person-week's allocation rows, most hours first, with their pinned part. */
export function cellTicketsOf(rows: readonly Row[]): CellTicket[] {
  const byTicket = new Map<string, CellTicket>();
  for (const a of rows) {
    const c = byTicket.get(a.ticket) ?? { ticket: a.ticket, client: a.client, hours: 0, pinnedHours: 0 };
    c.hours = tidy(c.hours + a.hours);
    c.pinnedHours = tidy(c.pinnedHours + rowPinnedHours(a));
    byTicket.set(a.ticket, c);
  }
  return [...byTicket.values()].sort((a, b) => b.hours - a.hours || a.ticket.localeCompare(b.ticket, undefined, { numeric: true }));
}

export type PinState = 'held' | 'partly' | 'not-held' | 'pending';

export interface PinStatus {
  state: PinState;
  /** Hours the plan holds; null while the plan does not include the pin yet. */
  heldHours: number | null;
  /** Short words for the state: never colour alone. */
  label: string;
  /** Why it did not hold in full (the planner's words), else null. */
  reason: string | null;
}

/** Whether the plan holds a pin: its issue if it has one, else its pinned rows. */
export function pinStatus(plan: PinSource | null, pin: PinInput, totals: PinnedTotals = pinnedTotals(plan)): PinStatus {
  const key = pinKey(pin);
  const issue: PinIssue | undefined = (plan?.pinIssues ?? []).find((i) => pinKey(i.pin) === key);
  if (issue) {
    const held = tidy(issue.heldHours);
    return held > 0
      ? { state: 'partly', heldHours: held, label: `Held ${fmtHours(held)} of ${fmtHours(pin.hours)} h`, reason: issue.reason }
      : { state: 'not-held', heldHours: 0, label: 'Not held', reason: issue.reason };
  }
  const held = totals.byPin.get(key) ?? 0;
  if (held + 1e-9 >= pin.hours) return { state: 'held', heldHours: tidy(held), label: 'Held', reason: null };
  return { state: 'pending', heldHours: null, label: 'Not in the plan yet', reason: null };
}

export interface PinRow extends PinStatus {
  id: number;
  ticket: string;
  title: string;
  clientName: string;
  staff: string;
  staffName: string;
  week: number;
  hours: number;
  pinnedBy: string;
  pinnedAt: string;
}

export interface PinNames {
  staff?: Map<string, string>;
  clients?: Map<string, string>;
  titles?: Map<string, string>;
}

/** The pins list: each pin with its state in the plan, by week, then person, then ticket. */
export function pinRows(pins: PinRecord[], plan: PinSource | null, names: PinNames = {}): PinRow[] {
  const totals = pinnedTotals(plan);
  return pins
    .map((p) => ({
      ...pinStatus(plan, p, totals),
      id: p.id,
      ticket: p.ticket,
      title: names.titles?.get(p.ticket) ?? '',
      clientName: p.client ? (names.clients?.get(p.client) ?? p.client) : '',
      staff: p.staff,
      staffName: names.staff?.get(p.staff) ?? p.staff,
      week: p.week,
      hours: p.hours,
      pinnedBy: p.pinnedBy?.email ?? 'someone no longer here',
      pinnedAt: p.pinnedAt,
    }))
    .sort((a, b) => a.week - b.week || a.staffName.localeCompare(b.staffName) || a.ticket.localeCompare(b.ticket, undefined, { numeric: true }));
}

