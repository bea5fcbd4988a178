/**
 * DOMAIN.md "Pins": hours a manager fixed (this person, this ticket, this week) come right after
 * emergencies and before every client's rate. A pin that cannot hold in full holds what it can.
 *
 * Adds one column per pin that can hold anything (bounded by its hours, the person's capacity and
 * the ticket's remaining hours), with a weight below emergencies and above everything else; its
 * hours count in the ticket's bucket row, in one row per person and week and per ticket holding
 * several pins. The capacity rows (skills-and-capacity.ts) and the rate's delivered columns
 * (locked-in-rate.ts) take them in too.
 */
import type { ModelContext, PinVar } from '../model-context.ts';
import { canWork } from '../model-context.ts';
import { naturalCompare, toH, toQ } from '../quarter.ts';

/** Per hour: under any emergency hour (even 12 weeks late, ≥ 1.8e4), above any rate hour (≤ ~3e3). */
export const PIN_WEIGHT = 1e4;

export function addPins(ctx: ModelContext, pins: readonly { ticket: string; staff: string; week: number; hours: number }[]): void {
  const { q, lp } = ctx;
  const staffById = new Map(q.staff.map((s) => [s.id, s]));
  const sorted = [...pins].sort(
    (a, b) => a.week - b.week || naturalCompare(a.staff, b.staff) || naturalCompare(a.ticket, b.ticket) || a.hours - b.hours,
  );
  const byPerson = new Map<string, number[]>();
  const byTicket = new Map<string, number[]>();
  for (const pin of sorted) {
    const p: PinVar = { pin, ticket: q.ticketById.get(pin.ticket), staff: staffById.get(pin.staff) };
    ctx.pins.push(p);
    const refuse = (code: NonNullable<PinVar['refused']>['code'], reason: string) => (p.refused = { code, reason });
    const t = p.ticket;
    const s = p.staff;
    if (!t) refuse('unknown-ticket', `unknown ticket ${pin.ticket}`);
    else if (!s) refuse('unknown-staff', `unknown person ${pin.staff}`);
    else if (t.remainingQ <= 0) refuse('closed', `${t.id} has no hours left`);
    else if (pin.week < 0 || pin.week >= q.W) refuse('outside-quarter', `week ${pin.week} is outside the quarter`);
    else if (pin.week < q.current) refuse('past-week', `week ${pin.week} is history`);
    else if (pin.week < t.openedWeek) refuse('not-open-yet', `${t.id} opens in week ${t.openedWeek}`);
    else if (!canWork(s, t.skill)) refuse('no-skill', `${s.name} lacks skill '${t.skill}'`);
    else if (s.capacityQ[pin.week]! <= 0) refuse('capacity', `${s.name} has no hours in week ${pin.week}`);
    if (p.refused || !t || !s) continue;
    const upper = Math.min(toQ(pin.hours), s.capacityQ[pin.week]!, t.remainingQ);
    p.col = lp.addColumn(PIN_WEIGHT, 0, toH(upper));
    const bucket = ctx.bucketOfTicket.get(t.id)!;
    lp.addEntry(bucket.totalRow, p.col);
    const pk = `${s.id}|${pin.week}`;
    byPerson.set(pk, [...(byPerson.get(pk) ?? []), p.col]);
    byTicket.set(t.id, [...(byTicket.get(t.id) ?? []), p.col]);
  }
  for (const [key, cols] of byPerson) {
    if (cols.length < 2) continue;
    const [id, week] = key.split('|') as [string, string];
    lp.addRow(-Infinity, toH(staffById.get(id)!.capacityQ[Number(week)]!), cols);
  }
  for (const [id, cols] of byTicket) if (cols.length > 1) lp.addRow(-Infinity, toH(q.ticketById.get(id)!.remainingQ), cols);
}
