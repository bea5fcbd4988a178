/**
 * Level 1. Emergencies are served in the week they are declared, before all other work, whoever
 * the client is: prepaid clients' first, then pay-as-you-go. Hours that do not fit stay first in
 * line in the following weeks (earlier declarations first).
 *
 * A manager may pin who works an emergency (rules/pins.ts): the first pass leaves the pinned
 * hours to the pin, the second serves what the pin could not hold.
 */
import type { MTicket } from '../model.ts';
import type { Rule, WeekContext } from './week-context.ts';

function emergencyOrder(a: MTicket, b: MTicket): number {
  if (a.client.prepaid !== b.client.prepaid) return a.client.prepaid ? -1 : 1;
  if (a.startWeek !== b.startWeek) return a.startWeek - b.startWeek;
  return a.rank - b.rank;
}

function emergencyPass(name: string, holdPins: boolean): Rule {
  return {
    name,
    level: 1,
    plan(ctx: WeekContext) {
      const held = holdPins ? pinnedHold(ctx) : null;
      const due = ctx.open.filter((t) => t.emergency && ctx.remQ[t.idx]! > 0).sort(emergencyOrder);
      for (const t of due) {
        const got = ctx.serve(t, ctx.remQ[t.idx]! - (held?.get(t.idx) ?? 0));
        ctx.emergencyQ[t.client.idx]! += got;
      }
    },
  };
}

/** Quarters of each emergency that this week's pins ask for. */
function pinnedHold(ctx: WeekContext): Map<number, number> {
  const held = new Map<number, number>();
  for (const p of ctx.model.pins) {
    if (p.problem || p.week !== ctx.week || !p.ticket!.emergency) continue;
    held.set(p.ticket!.idx, (held.get(p.ticket!.idx) ?? 0) + p.q);
  }
  return held;
}

export const emergencies = emergencyPass('emergencies', true);
export const emergenciesAfterPins = emergencyPass('emergencies after pins', false);
