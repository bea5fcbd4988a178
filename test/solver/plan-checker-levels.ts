/**
 * Checks beyond the brief's list, also read from DOMAIN.md: the level written on each row, levels
 * 3-5 in the policy's order, priority within level 4 and among rates, prepaid emergencies first.
 */
import type { Allocation, TicketInput } from '../../solver/contract.ts';
import { CheckContext, EXACT, QUARTER, fmt, type Violation } from './plan-checker-context.ts';
import { ids, rateNote, underRateClients } from './plan-checker-precedence.ts';

const LEVEL_OF_POLICY: Record<string, number> = { 'urgent-above-rate': 3, payg: 4, 'work-ahead': 5 };

export function checkLevels(ctx: CheckContext): Violation[] {
  return [
    ...checkLevelLabels(ctx),
    ...checkPolicyOrder(ctx),
    ...checkPaygPriority(ctx),
    ...checkEmergencyOrder(ctx),
    ...checkRatePriority(ctx),
  ];
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
      // Hours logged this week use the balance too, at no level: count everything but overage.
      const within = prior + ctx.delivered(c.id, w) - at(4);
      const rate = ctx.rate(c.id, w);
      const where = `week ${w} ${c.id}`;
      if (at(2) + at(3) + at(5) > EXACT && within > balance + QUARTER + EXACT) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(within - prior)} h at levels 1-3/5 on top of ${fmt(prior)} h delivered exceed the ${fmt(balance)} h balance (should be overage)` });
      }
      if (at(4) > EXACT && within < balance - QUARTER - EXACT) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(at(4))} h of overage (level 4) while ${fmt(balance - within)} h of balance are left` });
      }
      const before = at(1) + ctx.delivered(c.id, w) - ctx.sum('client', c.id, w);
      if (at(2) > Math.max(0, rate - before) + QUARTER + EXACT) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(at(2))} h at level 2 above the rate ${fmt(rate)} h (less ${fmt(before)} h of emergencies and logged hours)` });
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

/** Extra: "Emergencies: prepaid clients' first, then PAYG clients'". */
function checkEmergencyOrder(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const a of ctx.allocations) {
    if (a.level !== 1 || ctx.isPrepaid(a.client)) continue;
    const waiting = ctx.scenario.tickets.filter(
      (t) => t.emergency && ctx.isPrepaid(t.client) && ctx.workable(a.staff, t, a.week) && ctx.waiting(t),
    );
    const key = `${a.week}|${a.staff}`;
    if (!waiting.length || seen.has(key)) continue;
    seen.add(key);
    out.push({
      rule: 'emergency-order',
      message: `week ${a.week}: ${a.staff} worked PAYG emergency ${a.ticket} while prepaid emergency ${ids(waiting)} (workable by ${a.staff}) has hours unplanned`,
    });
  }
  return out;
}

/**
 * Extra: "When capacity cannot meet every rate, hours go to the highest-priority tickets first":
 * a person on one client's rate work while another client under its rate has a more urgent
 * ticket that person could do, left waiting.
 */
function checkRatePriority(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const a of ctx.allocations) {
    if (a.level !== 2) continue;
    const low = ctx.tickets.get(a.ticket)!;
    for (const x of underRateClients(ctx, a.week)) {
      if (x === a.client) continue;
      const higher = ctx.waitingFor(x, a.staff, a.week).filter((t) => !t.emergency && t.priority < low.priority);
      const key = `${a.week}|${a.staff}|${low.id}|${x}`;
      if (!higher.length || seen.has(key)) continue;
      seen.add(key);
      out.push({
        rule: 'rate-priority',
        message: `week ${a.week}: ${a.staff} worked ${a.client}'s ${low.id} (P${low.priority}) at its rate while ${rateNote(ctx, x, a.week)} and its ${ids(higher)} (P${higher[0]!.priority}) waits`,
      });
    }
  }
  return out;
}
