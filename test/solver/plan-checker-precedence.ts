/**
 * Checks of DOMAIN.md's order of precedence. Each takes the plan's allocations at face value and
 * asks: was there a person with hours that went to lower-ranked work (or to nothing) while work of
 * a higher rank that the same person could do was left waiting?
 *
 * "Waiting" means hours left unplanned in the quarter (at least a quarter hour of them), so these
 * checks only catch swaps that would have planned more of the higher-ranked work.
 */
import type { Allocation, TicketInput } from '../../solver/contract.ts';
import { CheckContext, DEFAULT_LEVELS, EXACT, QUARTER, fmt, type Violation } from './plan-checker-context.ts';

const LEVEL_OF_POLICY: Record<string, number> = { 'urgent-above-rate': 3, payg: 4, 'work-ahead': 5 };

export function checkPrecedence(ctx: CheckContext): Violation[] {
  return [
    ...checkEmergencies(ctx),
    ...checkRateBeforeOtherWork(ctx),
    ...checkRateFilled(ctx),
    ...checkClientPriority(ctx),
    ...checkNobodyIdle(ctx),
    ...checkLevelLabels(ctx),
    ...checkPolicyOrder(ctx),
    ...checkPaygPriority(ctx),
  ];
}

const ids = (ts: TicketInput[]) => ts.slice(0, 3).map((t) => t.id).join(', ') + (ts.length > 3 ? ', …' : '');

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
function underRateClients(ctx: CheckContext, w: number): string[] {
  return ctx.scenario.clients.filter((c) => ctx.underRate(c.id, w)).map((c) => c.id);
}

const rateNote = (ctx: CheckContext, x: string, w: number) =>
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

/**
 * Extra (from DOMAIN.md): the level on a row must match what the work is. Levels 2, 3, 5 are
 * prepaid work within the balance; 3 is urgent (P1) only; 4 on a prepaid client is overage, so
 * only once its balance is used up; levels left out of the policy are not planned.
 */
function checkLevelLabels(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const bad = (a: Allocation, why: string) =>
    out.push({ rule: 'level-label', message: `week ${a.week} ${a.staff}/${a.ticket} (${a.client}) ${fmt(a.hours)} h at level ${a.level}: ${why}` });
  const allowed = new Set([1, 2, ...ctx.levels.map((l) => LEVEL_OF_POLICY[l]!)]);
  for (const a of ctx.allocations) {
    const t = ctx.tickets.get(a.ticket)!;
    if (!allowed.has(a.level)) bad(a, `level not in policy [${ctx.levels.join(', ')}]`);
    if ([2, 3, 5].includes(a.level) && !ctx.isPrepaid(a.client)) bad(a, 'PAYG client');
    if (a.level === 3 && t.priority !== 1) bad(a, `level 3 is urgent work, ticket is P${t.priority}`);
  }
  for (const c of ctx.scenario.clients) {
    if (c.plan !== 'prepaid') continue;
    const balance = Math.max(0, ctx.balance(c.id));
    for (const w of ctx.plannedWeeks()) {
      const at = (l: number) => ctx.sum('client', c.id, w, l);
      const prior = ctx.deliveredBefore(c.id, w);
      const within = prior + at(1) + at(2) + at(3) + at(5);
      const rate = ctx.rate(c.id, w);
      const where = `week ${w} ${c.id}`;
      if (at(2) + at(3) + at(5) > EXACT && within > balance + QUARTER + EXACT) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(within - prior)} h at levels 1-3/5 on top of ${fmt(prior)} h delivered exceed the ${fmt(balance)} h balance (should be overage)` });
      }
      if (at(4) > EXACT && within < balance - QUARTER - EXACT) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(at(4))} h of overage (level 4) while ${fmt(balance - within)} h of balance are left` });
      }
      if (at(2) > Math.max(0, rate - at(1)) + QUARTER + EXACT) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(at(2))} h at level 2 above the rate ${fmt(rate)} h (less ${fmt(at(1))} h of emergencies)` });
      }
    }
  }
  return out;
}

/** Balance still unused at the end of week w, once that week's plan is carried out. */
const balanceAfter = (ctx: CheckContext, x: string, w: number) => ctx.balanceLeft(x, w) - ctx.delivered(x, w);

/** Waiting tickets that a policy level would plan for person s in week w. */
function workAtLevel(ctx: CheckContext, level: number, s: string, w: number): TicketInput[] {
  return ctx.scenario.tickets.filter((t) => {
    if (t.emergency || !ctx.workable(s, t, w) || !ctx.waiting(t)) return false;
    const prepaid = ctx.isPrepaid(t.client);
    if (level === 4) return !prepaid || ctx.balanceLeft(t.client, w) < QUARTER - EXACT;
    if (!prepaid || balanceAfter(ctx, t.client, w) < QUARTER - EXACT || ctx.underRate(t.client, w)) return false;
    return level === 5 || t.priority === 1;
  });
}

/** Extra: levels 3-5 in the policy's order (a person's hours go to an earlier level's work first). */
function checkPolicyOrder(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const rank = (level: number) => ctx.levels.findIndex((l) => LEVEL_OF_POLICY[l] === level);
  for (const [key, rows] of ctx.byStaffWeek()) {
    const [s, wk] = key.split('|') as [string, string];
    const w = Number(wk);
    const worst = Math.max(...rows.map((a) => (a.level >= 3 ? rank(a.level) : -1)));
    for (let r = 0; r < worst; r++) {
      const level = LEVEL_OF_POLICY[ctx.levels[r]!]!;
      const waiting = workAtLevel(ctx, level, s, w);
      if (!waiting.length) continue;
      const later = rows.filter((a) => a.level >= 3 && rank(a.level) > r);
      out.push({
        rule: 'policy-order',
        message: `week ${w}: ${s} worked ${later.map((a) => `${a.ticket}@L${a.level}`).join(', ')} while level-${level} work ${ids(waiting)} (workable by ${s}) has hours unplanned`,
      });
    }
  }
  return out;
}

/** Extra: level 4 is shared "by priority across clients". */
function checkPaygPriority(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const a of ctx.allocations) {
    if (a.level !== 4) continue;
    const low = ctx.tickets.get(a.ticket)!;
    const higher = workAtLevel(ctx, 4, a.staff, a.week).filter((t) => t.priority < low.priority && t.client !== low.client);
    const key = `${a.week}|${a.staff}|${low.id}`;
    if (!higher.length || seen.has(key)) continue;
    seen.add(key);
    out.push({
      rule: 'payg-priority',
      message: `week ${a.week}: ${a.staff} worked ${low.client}'s ${low.id} (P${low.priority}) at level 4 while ${ids(higher)} (P${higher[0]!.priority}, ${higher[0]!.client}) has hours unplanned`,
    });
  }
  return out;
}
