/**
 * Checks of DOMAIN.md's order of precedence that ask, person by person: did hours go to
 * lower-ranked work (or to nothing) while work of a higher rank that the same person could do was
 * left pending (unplanned in the quarter, or planned only in later weeks)? Pinned hours are
 * exempt: a manager fixed them.
 */
import type { TicketInput } from '../../solver/contract.ts';
import { CheckContext, DEFAULT_LEVELS, EXACT, fmt, freePart, ids, some, type Violation } from './plan-checker-context.ts';
import { targetNote } from './plan-checker-level2.ts';

export function checkPrecedence(ctx: CheckContext): Violation[] {
  return [
    ...checkEmergencies(ctx),
    ...checkEmergencyOrder(ctx),
    ...checkTargetBeforeLowerLevels(ctx),
    ...checkTargetFilled(ctx),
    ...checkClientPriority(ctx),
    ...checkNobodyIdle(ctx),
  ];
}

/** Emergencies: level 1 only, and all skilled capacity from their week on while hours remain. */
function checkEmergencies(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const a of ctx.allocations) {
    const t = ctx.tickets.get(a.ticket)!;
    if (!!t.emergency !== (a.level === 1)) {
      out.push({ rule: 'emergency-level', message: `week ${a.week} ${a.staff}/${t.id}: ${t.emergency ? 'emergency' : 'non-emergency'} ticket at level ${a.level}` });
    }
  }
  for (const t of ctx.scenario.tickets) {
    if (!t.emergency) continue;
    const remaining = ctx.remaining(t);
    let done = 0;
    for (let w = Math.max(t.openedWeek, ctx.current); w < ctx.W; w++) {
      done += ctx.sum('ticket', t.id, w);
      if (!some(remaining - done)) break;
      for (const s of ctx.scenario.staff) {
        if (!ctx.canWork(s.id, t)) continue;
        const cap = ctx.capacity(s.id, w);
        const l1 = ctx.sum('staff', s.id, w, 1);
        if (some(cap - l1)) {
          out.push({
            rule: 'emergency-first',
            message: `week ${w}: emergency ${t.id} (${t.client}) has ${fmt(remaining - done)} h left after the week, but ${s.id} gave only ${fmt(l1)} of ${fmt(cap)} h to emergencies`,
          });
        }
      }
    }
  }
  return out;
}

/** "Emergencies: prepaid clients' first, then PAYG clients'". */
function checkEmergencyOrder(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const a of ctx.allocations) {
    if (a.level !== 1 || ctx.isPrepaid(a.client)) continue;
    const waiting = ctx.scenario.tickets.filter(
      (t) => t.emergency && ctx.isPrepaid(t.client) && ctx.workable(a.staff, t, a.week) && ctx.pending(t, a.week),
    );
    const key = `${a.week}|${a.staff}`;
    if (!waiting.length || seen.has(key)) continue;
    seen.add(key);
    out.push({
      rule: 'emergency-order',
      message: `week ${a.week}: ${a.staff} worked PAYG emergency ${a.ticket} while prepaid emergency ${ids(waiting)} (workable by ${a.staff}) has hours unplanned or later`,
    });
  }
  return out;
}

/** Prepaid clients short of their level-2 target in week w. */
export function shortClients(ctx: CheckContext, w: number): string[] {
  return ctx.scenario.clients.filter((c) => ctx.belowTarget(c.id, w)).map((c) => c.id);
}

/**
 * Nobody does level 3-5 work in a week while a prepaid client is below its level-2 target with
 * work that person could do.
 */
function checkTargetBeforeLowerLevels(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const [key, rows] of ctx.byStaffWeek()) {
    const [s, wk] = key.split('|') as [string, string];
    const w = Number(wk);
    const short = shortClients(ctx, w);
    if (!short.length) continue;
    for (const a of rows) {
      if (a.level < 3 || freePart(a) < EXACT) continue;
      for (const x of short) {
        const waiting = ctx.pendingFor(x, s, w);
        if (!waiting.length) continue;
        out.push({
          rule: 'target-before-lower-levels',
          message: `week ${w}: ${s} worked ${fmt(freePart(a))} h on ${a.client}'s ${a.ticket} at level ${a.level} while ${targetNote(ctx, x, w)} and ${ids(waiting)} (workable by ${s}) waits`,
        });
      }
    }
  }
  return out;
}

/** A client below its target with pending work: nobody who could do it has a free quarter hour. */
function checkTargetFilled(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const w of ctx.plannedWeeks()) {
    for (const x of shortClients(ctx, w)) {
      for (const s of ctx.scenario.staff) {
        const free = ctx.free(s.id, w);
        if (!some(free)) continue;
        const waiting = ctx.pendingFor(x, s.id, w);
        if (!waiting.length) continue;
        out.push({ rule: 'target-not-filled', message: `week ${w}: ${targetNote(ctx, x, w)}; ${s.id} could work ${ids(waiting)} but has ${fmt(free)} h free` });
      }
    }
  }
  return out;
}

/** Within a client, higher priority first (emergencies, due weeks and pinned hours excepted). */
function checkClientPriority(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  const plain = (t: TicketInput) => !t.emergency && t.dueWeek == null;
  for (const a of ctx.allocations) {
    const low = ctx.tickets.get(a.ticket)!;
    if (!plain(low) || freePart(a) < EXACT) continue;
    for (const high of ctx.ticketsByClient.get(low.client) ?? []) {
      if (!plain(high) || high.priority >= low.priority) continue;
      if (!ctx.workable(a.staff, high, a.week) || !ctx.pending(high, a.week)) continue;
      const key = `${a.week}|${a.staff}|${low.id}|${high.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        rule: 'client-priority',
        message: `week ${a.week}: ${a.staff} worked ${low.client}'s ${low.id} (P${low.priority}) while ${high.id} (P${high.priority}, workable by ${a.staff}) has ${fmt(ctx.unplanned(high))} h unplanned and ${fmt(ctx.freeAfter(high, a.week))} h later`,
      });
    }
  }
  return out;
}

const isDefaultPolicy = (levels: readonly string[]) =>
  levels.length === DEFAULT_LEVELS.length && levels.every((l, i) => l === DEFAULT_LEVELS[i]);

/** Default policy: nobody with a free quarter hour while a ticket they could work is pending. */
function checkNobodyIdle(ctx: CheckContext): Violation[] {
  if (!isDefaultPolicy(ctx.levels)) return [];
  const out: Violation[] = [];
  for (const w of ctx.plannedWeeks()) {
    for (const s of ctx.scenario.staff) {
      const free = ctx.free(s.id, w);
      if (!some(free)) continue;
      const waiting = ctx.scenario.tickets.filter((t) => ctx.workable(s.id, t, w) && ctx.pending(t, w));
      if (!waiting.length) continue;
      const t = waiting[0]!;
      out.push({
        rule: 'idle',
        message: `week ${w}: ${s.id} has ${fmt(free)} h free while ${ids(waiting)} could use them (${t.id}: ${fmt(ctx.unplanned(t))} h unplanned, ${fmt(ctx.freeAfter(t, w))} h planned later)`,
      });
    }
  }
  return out;
}
