/**
 * Pins and the plan in force as parts of a quarter's scenario (SCENARIO.md `pins`, `previous`).
 * scenario-io exports and imports quarters; these are its pin and previous-plan parts.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PinInput, PreviousRow } from '../../../solver/index.ts';
import type { PlanRows } from '../../planning/plan-diff.ts';
import { Pin, Staff, Ticket, type Quarter } from '../../db/entities.ts';
import { validationError, type FieldIssue } from '../../errors.ts';
import type { WriteContext } from '../../store.ts';

const pinKey = (p: { ticket: string; staff: string; week: number }) => `${p.week}\u0000${p.staff}\u0000${p.ticket}`;
const byKey = (a: PinInput, b: PinInput) => (pinKey(a) < pinKey(b) ? -1 : pinKey(a) > pinKey(b) ? 1 : 0);

/** The quarter's pins in a stable order. Pins whose ticket or person left planning stay: the plan reports them. */
export async function scenarioPins(em: EntityManager, quarterId: string): Promise<PinInput[]> {
  const pins = await em.find(Pin, { quarterId });
  return pins.map((p) => ({ ticket: p.ticketId, staff: p.staffId, week: p.week, hours: p.hours })).sort(byKey);
}

/**
 * The allocation rows of the plan in force (from its digest, plan-diff.ts), for the planner to
 * keep each ticket with its person among equal plans. Rows keep their level: with it, a quarter that did not change plans exactly
 * as before. Weeks the quarter no longer plans (history, or beyond a shortened quarter) have
 * nothing to keep.
 */
export function previousRows(rows: PlanRows | null | undefined, quarter: { weeks: number; currentWeek: number }): PreviousRow[] {
  const out: PreviousRow[] = [];
  if (!rows) return out;
  for (let k = 0; k < rows.week.length; k++) {
    const week = rows.week[k]!;
    if (week >= quarter.currentWeek && week < quarter.weeks) out.push({ week, staff: rows.staff[k]!, ticket: rows.ticket[k]!, hours: rows.hours[k]!, level: rows.level[k]! });
  }
  return out;
}

/** Pins in canonical order, for "does this import change anything". */
export const canonicalPins = (pins: PinInput[]) => [...pins].sort(byKey);

/**
 * Makes the quarter's pins those of an imported scenario. A pin the planner would not hold is
 * stored (the plan reports it), but a pin must name a ticket of this quarter, a known person
 * and a week of the quarter, once each. Pins already there keep who pinned them and when.
 */
export async function importPins(w: WriteContext, quarter: Quarter, pins: PinInput[]): Promise<void> {
  const { tx } = w;
  const tickets = new Map((await tx.find(Ticket, { id: { $in: [...new Set(pins.map((p) => p.ticket))] } }, { fields: ['id', 'quarterId'] })).map((t) => [t.id, t]));
  const staff = new Set((await tx.find(Staff, { id: { $in: [...new Set(pins.map((p) => p.staff))] } }, { fields: ['id'] })).map((s) => s.id));
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  pins.forEach((p, i) => {
    if (p.week < 0 || p.week > quarter.weeks - 1) issues.push({ field: `pins[${i}].week`, message: `week ${p.week} is outside the quarter (weeks 0 to ${quarter.weeks - 1})` });
    if (tickets.get(p.ticket)?.quarterId !== quarter.id) issues.push({ field: `pins[${i}].ticket`, message: `no ticket "${p.ticket}" in quarter ${quarter.id}` });
    if (!staff.has(p.staff)) issues.push({ field: `pins[${i}].staff`, message: `unknown staff "${p.staff}"` });
    const first = seen.get(pinKey(p));
    if (first !== undefined) issues.push({ field: `pins[${i}]`, message: `pins ${p.staff} to ${p.ticket} in week ${p.week} again (also pins[${first}])` });
    else seen.set(pinKey(p), i);
  });
  if (issues.length > 0) throw validationError(issues);

  const wanted = new Map(pins.map((p) => [pinKey(p), p]));
  for (const pin of await tx.find(Pin, { quarterId: quarter.id })) {
    const p = wanted.get(pinKey({ ticket: pin.ticketId, staff: pin.staffId, week: pin.week }));
    if (!p) tx.remove(pin);
    else {
      if (pin.hours !== p.hours) pin.hours = p.hours;
      wanted.delete(pinKey(p));
    }
  }
  for (const p of wanted.values()) {
    tx.create(Pin, { quarterId: quarter.id, ticketId: p.ticket, staffId: p.staff, week: p.week, hours: p.hours, createdBy: w.viewer?.userId ?? null });
  }
  await tx.flush();
}
