/**
 * Pins (DOMAIN.md): hours a manager fixed, this person on this ticket in this week, planned right
 * after emergencies and before the locked-in rates. They count toward the client's target and
 * balance and are exempt from every rule about lower levels. A pin holds what it can: the person's
 * movable work is handed to others where possible, never more than the ticket has left; what it
 * cannot hold is reported in `plan.pinIssues` (figures.ts) from the outcome booked here. Pins on
 * emergencies are held at the emergency's turn (rules/emergencies.ts).
 */
import type { MPin } from '../model.ts';
import type { Rule, WeekContext } from './week-context.ts';

/** Holds one pin: as much of its hours as the ticket has left and the person can be freed for. */
export function holdPin(ctx: WeekContext, p: MPin): void {
  const t = p.ticket!;
  const left = ctx.remQ[t.idx]!;
  const want = Math.min(p.q, left);
  const got = want > 0 ? ctx.flow.reservePerson(p.staff!.idx, want) : 0;
  if (got > 0) ctx.pinned(t, p.staff!.idx, got);
  ctx.pinOutcome(p, left, got);
}

/** This week's pins that can hold at all, in a fixed order (ticket rank, person, as listed). */
export function weekPins(ctx: WeekContext): MPin[] {
  return ctx.model.pins
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !p.problem && p.week === ctx.week)
    .sort((a, b) => a.p.ticket!.rank - b.p.ticket!.rank || a.p.staff!.idx - b.p.staff!.idx || a.i - b.i)
    .map(({ p }) => p);
}

export const pins: Rule = {
  name: 'pins',
  level: null,
  plan(ctx: WeekContext) {
    for (const p of weekPins(ctx)) if (!p.ticket!.emergency) holdPin(ctx, p);
  },
};
