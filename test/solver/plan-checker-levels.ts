/**
 * Levels 3-5 of DOMAIN.md: what each row's level says about the work (urgent above the target,
 * PAYG or overage, work ahead), the policy's order of those levels, and priority within them.
 */
import type { Allocation, TicketInput } from '../../solver/contract.ts';
import { CheckContext, EXACT, LEVEL_OF_POLICY, fmt, freePart, ids, some, type Violation } from './plan-checker-context.ts';

export function checkLevels(ctx: CheckContext): Violation[] {
  return [...checkLevelLabels(ctx), ...checkPolicyOrder(ctx), ...checkLevelPriority(ctx)];
}

const rank = (ctx: CheckContext, level: number) => ctx.levels.findIndex((l) => LEVEL_OF_POLICY[l] === level);
/** Level 3 is planned, and before `level`: urgent work within the balance belongs to it. */
const urgentFirst = (ctx: CheckContext, level: number) => rank(ctx, 3) >= 0 && rank(ctx, 3) < rank(ctx, level);
/**
 * Balance a prepaid client still has for level 3 once this week's work within the balance is done.
 * Pinned hours are planned before level 3 and take the balance first, whatever their level (an
 * overage client's pinned hours above its target are level 4).
 */
const room = (ctx: CheckContext, c: string, w: number) => ctx.balanceLeft(c, w) - ctx.withinBalance(c, w) - ctx.sum('client', c, w, 4, 'pinned');

/**
 * The level on a row must match what the work is (pinned rows too: "the level that work would
 * have"). PAYG work is level 1 or 4. Above the target, a prepaid client's urgent (P1) work within
 * the balance is level 3, also when the client is in overage; its other work is level 4 when its
 * presented work exceeds its balance, else level 5; nothing at levels 2, 3 or 5 goes beyond the
 * balance. A level left out of the policy is not planned (pins aside).
 */
function checkLevelLabels(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const bad = (a: Allocation, why: string) =>
    out.push({ rule: 'level-label', message: `week ${a.week} ${a.staff}/${a.ticket} (${a.client}) ${fmt(a.hours)} h at level ${a.level}: ${why}` });
  const allowed = new Set([1, 2, ...ctx.levels.map((l) => LEVEL_OF_POLICY[l]!)]);
  for (const a of ctx.allocations) {
    const t = ctx.tickets.get(a.ticket)!;
    if (!allowed.has(a.level) && freePart(a) > EXACT) bad(a, `level not in policy [${ctx.levels.join(', ')}]`);
    if ([2, 3, 5].includes(a.level) && !ctx.isPrepaid(a.client)) bad(a, 'PAYG work is level 1 or 4');
    if (a.level === 3 && t.priority !== 1) bad(a, `level 3 is urgent work, ticket is P${t.priority}`);
    if (a.level === 4 && t.priority === 1 && ctx.isPrepaid(a.client) && urgentFirst(ctx, 4) && some(room(ctx, a.client, a.week))) {
      bad(a, `urgent work while ${fmt(room(ctx, a.client, a.week))} h of balance are left is level 3`);
    }
  }
  for (const c of ctx.scenario.clients) {
    if (c.plan !== 'prepaid') continue;
    for (const w of ctx.plannedWeeks()) {
      const at = (l: number) => ctx.sum('client', c.id, w, l);
      const where = `week ${w} ${c.id}`;
      const left = ctx.balanceLeft(c.id, w);
      const note = `presented ${fmt(ctx.presented(c.id, w))} h, balance ${fmt(ctx.balance(c.id))} h`;
      if (at(2) + at(3) + at(5) > EXACT && ctx.withinBalance(c.id, w) > left + EXACT) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(ctx.withinBalance(c.id, w))} h at levels 1-3/5 exceed the ${fmt(left)} h of balance left (the rest is overage, level 4)` });
      }
      if (at(5) > EXACT && ctx.overageMode(c.id, w)) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(at(5))} h at level 5, but its work exceeds its balance (${note}): overage, level 4` });
      }
      if (at(4) > EXACT && !ctx.overageMode(c.id, w)) {
        out.push({ rule: 'level-label', message: `${where}: ${fmt(at(4))} h of overage (level 4), but its work fits its balance (${note})` });
      }
    }
  }
  return out;
}

/** Pending tickets a person could work in week w that a level of 3-5 would plan. */
export function workAtLevel(ctx: CheckContext, level: number, s: string, w: number): TicketInput[] {
  return ctx.memo(`workAtLevel|${level}|${s}|${w}`, () =>
    ctx.scenario.tickets.filter((t) => {
      if (t.emergency || !ctx.workable(s, t, w) || !ctx.pending(t, w)) return false;
      if (!ctx.isPrepaid(t.client)) return level === 4;
      if (ctx.belowTarget(t.client, w)) return false; // that is level-2 work
      const urgentRoom = t.priority === 1 && some(room(ctx, t.client, w));
      if (level === 3) return urgentRoom;
      if (level === 4) return ctx.overageMode(t.client, w) && !(urgentRoom && urgentFirst(ctx, 4));
      return !ctx.overageMode(t.client, w) && some(room(ctx, t.client, w)) && !(urgentRoom && urgentFirst(ctx, 5));
    }),
  );
}

/** Levels 3-5 in the policy's order: a person's hours go to an earlier level's work first. */
function checkPolicyOrder(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  for (const [key, rows] of ctx.byStaffWeek()) {
    const [s, wk] = key.split('|') as [string, string];
    const w = Number(wk);
    const chosen = rows.filter((a) => a.level >= 3 && freePart(a) > EXACT);
    const worst = Math.max(-1, ...chosen.map((a) => rank(ctx, a.level)));
    for (let r = 0; r < worst; r++) {
      const level = LEVEL_OF_POLICY[ctx.levels[r]!]!;
      const waiting = workAtLevel(ctx, level, s, w);
      if (!waiting.length) continue;
      const later = chosen.filter((a) => rank(ctx, a.level) > r);
      out.push({
        rule: 'policy-order',
        message: `week ${w}: ${s} worked ${later.map((a) => `${a.ticket}@L${a.level}`).join(', ')} while level-${level} work ${ids(waiting)} (workable by ${s}) waits`,
      });
    }
  }
  return out;
}

/**
 * Within levels 4 and 5, higher priority first across clients; at level 4, at equal priority,
 * prepaid clients' overage before PAYG work.
 */
function checkLevelPriority(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const a of ctx.allocations) {
    if ((a.level !== 4 && a.level !== 5) || freePart(a) < EXACT) continue;
    const low = ctx.tickets.get(a.ticket)!;
    const lowPrepaid = ctx.isPrepaid(low.client);
    const higher = workAtLevel(ctx, a.level, a.staff, a.week).filter(
      (t) =>
        t.client !== low.client &&
        (t.priority < low.priority || (a.level === 4 && t.priority === low.priority && !lowPrepaid && ctx.isPrepaid(t.client))),
    );
    const key = `${a.week}|${a.staff}|${low.id}`;
    if (!higher.length || seen.has(key)) continue;
    seen.add(key);
    const h = higher[0]!;
    out.push({
      rule: 'level-priority',
      message: `week ${a.week}: ${a.staff} worked ${low.client}'s ${low.id} (P${low.priority}${lowPrepaid ? '' : ', PAYG'}) at level ${a.level} while ${ids(higher)} (P${h.priority}, ${h.client}${ctx.isPrepaid(h.client) ? ', prepaid' : ''}) waits`,
    });
  }
  return out;
}
