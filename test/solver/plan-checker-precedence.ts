/**
 * Checks of DOMAIN.md's order of precedence. Each takes the plan's allocations at face value and
 * asks: was there a person with hours that went to lower-ranked work (or to nothing) while work of
 * a higher rank that the same person could do was left waiting?
 *
 * "Waiting" means hours left unplanned in the quarter (at least a quarter hour of them), so these
 * checks only catch swaps that would have planned more of the higher-ranked work.
 */
import type { TicketInput } from '../../solver/contract.ts';
import { CheckContext, DEFAULT_LEVELS, EXACT, QUARTER, fmt, type Violation } from './plan-checker-context.ts';

export function checkPrecedence(ctx: CheckContext): Violation[] {
  return [
    ...checkEmergencies(ctx),
    ...checkRateBeforeOtherWork(ctx),
    ...checkRateFilled(ctx),
    ...checkClientPriority(ctx),
    ...checkNobodyIdle(ctx),
  ];
}

export const ids = (ts: TicketInput[]) => ts.slice(0, 3).map((t) => t.id).join(', ') + (ts.length > 3 ? ', …' : '');

/** d. Emergencies: level 1 only, and all skilled capacity from their week on while hours remain. */
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
      if (remaining - done < QUARTER - EXACT) break;
      for (const s of ctx.scenario.staff) {
        if (!ctx.canWork(s.id, t)) continue;
        const cap = ctx.capacity(s.id, w);
        const l1 = ctx.sum('staff', s.id, w, 1);
        if (cap - l1 >= QUARTER - EXACT) {
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

/** Prepaid clients below their rate in week w, for e, g and k. */
export function underRateClients(ctx: CheckContext, w: number): string[] {
  return ctx.scenario.clients.filter((c) => ctx.underRate(c.id, w)).map((c) => c.id);
}

export const rateNote = (ctx: CheckContext, x: string, w: number) =>
  `${x} got ${fmt(ctx.delivered(x, w))} h of its ${fmt(ctx.rate(x, w))} h rate (balance left ${fmt(ctx.balanceLeft(x, w))} h)`;

/**
 * e and g. Hours a person spent on PAYG work (e), or on another client above its rate: work ahead
 * or overage (g), while a prepaid client under its rate had work that person could do.
 */
function checkRateBeforeOtherWork(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const [key, rows] of ctx.byStaffWeek()) {
    const [s, wk] = key.split('|') as [string, string];
    const w = Number(wk);
    const under = underRateClients(ctx, w);
    if (!under.length) continue;
    for (const a of rows) {
      const payg = a.level === 4 && !ctx.isPrepaid(a.client);
      const aboveRate = a.level === 5 || (a.level === 4 && ctx.isPrepaid(a.client));
      if (!payg && !aboveRate) continue;
      for (const x of under) {
        if (aboveRate && x === a.client) continue;
        const waiting = ctx.waitingFor(x, s, w);
        if (!waiting.length) continue;
        out.push({
          rule: payg ? 'payg-before-rate' : 'above-rate-before-rate',
          message: `week ${w}: ${s} worked ${fmt(a.hours)} h on ${a.client}'s ${a.ticket} at level ${a.level} while ${rateNote(ctx, x, w)} and ${ids(waiting)} (workable by ${s}) has hours unplanned`,
        });
      }
    }
  }
  return out;
}

/** k. A client under its rate with waiting work: everyone who could do it is full at levels 1-2. */
function checkRateFilled(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const w of ctx.plannedWeeks()) {
    for (const x of underRateClients(ctx, w)) {
      for (const s of ctx.scenario.staff) {
        const waiting = ctx.waitingFor(x, s.id, w);
        if (!waiting.length) continue;
        const free = ctx.free(s.id, w);
        const lower = [3, 4, 5].reduce((h, l) => h + ctx.sum('staff', s.id, w, l), 0);
        if (free < QUARTER - EXACT && lower < EXACT) continue;
        out.push({
          rule: 'rate-not-filled',
          message: `week ${w}: ${rateNote(ctx, x, w)}; ${s.id} could work ${ids(waiting)} but has ${fmt(free)} h free and ${fmt(lower)} h at levels 3-5`,
        });
      }
    }
  }
  return out;
}

/** f. Within a client, higher priority first (emergencies and due weeks excepted). */
function checkClientPriority(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  const plain = (t: TicketInput) => !t.emergency && t.dueWeek == null;
  for (const a of ctx.allocations) {
    const low = ctx.tickets.get(a.ticket)!;
    if (!plain(low)) continue;
    for (const high of ctx.ticketsByClient.get(low.client) ?? []) {
      if (!plain(high) || high.priority >= low.priority) continue;
      if (!ctx.workable(a.staff, high, a.week) || !ctx.waiting(high)) continue;
      const key = `${a.week}|${a.staff}|${low.id}|${high.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        rule: 'client-priority',
        message: `week ${a.week}: ${a.staff} worked ${low.client}'s ${low.id} (P${low.priority}) while ${high.id} (P${high.priority}, workable by ${a.staff}) has ${fmt(ctx.unplanned(high))} h unplanned`,
      });
    }
  }
  return out;
}

const isDefaultPolicy = (levels: readonly string[]) =>
  levels.length === DEFAULT_LEVELS.length && levels.every((l, i) => l === DEFAULT_LEVELS[i]);

/** h. Default policy: nobody with a free quarter hour while a ticket they could work waits. */
function checkNobodyIdle(ctx: CheckContext): Violation[] {
  if (!isDefaultPolicy(ctx.levels)) return [];
  const out: Violation[] = [];
  for (const w of ctx.plannedWeeks()) {
    for (const s of ctx.scenario.staff) {
      const free = ctx.free(s.id, w);
      if (free < QUARTER - EXACT) continue;
      const waiting = ctx.scenario.tickets.filter(
        (t) => ctx.workable(s.id, t, w) && (ctx.waiting(t) || ctx.hoursAfter(t, w) > EXACT),
      );
      if (!waiting.length) continue;
      const t = waiting[0]!;
      out.push({
        rule: 'idle',
        message: `week ${w}: ${s.id} has ${fmt(free)} h free while ${ids(waiting)} could use them (${t.id}: ${fmt(ctx.unplanned(t))} h unplanned, ${fmt(ctx.hoursAfter(t, w))} h planned later)`,
      });
    }
  }
  return out;
}
