/**
 * DOMAIN.md "Pins" and SCENARIO.md `pins` / `pinIssues`: pinned rows are exactly the hours the
 * pins held; a pin that cannot hold in full holds what it can and says why; one that held in
 * full is not reported.
 */
import type { PinInput, PinIssueCode } from '../../solver/contract.ts';
import { CheckContext, EXACT, QUARTER, fmt, isQuarter, pinnedPart, some, type Violation } from './plan-checker-context.ts';

export function checkPins(ctx: CheckContext): Violation[] {
  return [...checkPinnedRows(ctx), ...checkPinIssues(ctx), ...checkPinsHeld(ctx)];
}

const keyOf = (p: { week: number; staff: string; ticket: string }) => `${p.week}|${p.staff}|${p.ticket}`;
const pinText = (p: PinInput) => `pin ${p.staff}/${p.ticket} week ${p.week} ${fmt(p.hours)} h`;

/** Why a pin can hold nothing at all, whatever else the plan does; [] when it could hold. */
export function staticFaults(ctx: CheckContext, p: PinInput): PinIssueCode[] {
  const t = ctx.tickets.get(p.ticket);
  const s = ctx.staff.get(p.staff);
  const out: PinIssueCode[] = [];
  if (!t) out.push('unknown-ticket');
  if (!s) out.push('unknown-staff');
  if (p.week < ctx.current) out.push('past-week');
  // A week before week 0 is both in the past and outside the quarter: either code says it.
  if (p.week >= ctx.W || p.week < 0) out.push('outside-quarter');
  if (t?.status === 'closed') out.push('closed');
  if (t && t.openedWeek > p.week) out.push('not-open-yet');
  if (t && s && !ctx.canWork(s.id, t)) out.push('no-skill');
  return out;
}

/**
 * Every fault a pin has in this plan: the static ones, and `hours-left` (its ticket has no hours
 * not in earlier weeks or pinned) or `capacity` (its person has none left after emergencies and
 * pins) where they are true. A pin with several faults may name any of them.
 */
function faultsOf(ctx: CheckContext, p: PinInput): PinIssueCode[] {
  const out = staticFaults(ctx, p);
  const t = ctx.tickets.get(p.ticket);
  const inQuarter = p.week >= ctx.current && p.week < ctx.W;
  if (t && inQuarter && !some(ctx.movable(t, p.week))) out.push('hours-left');
  if (ctx.staff.has(p.staff) && inQuarter && !some(ctx.afterPins(p.staff, p.week))) out.push('capacity');
  return out;
}

/** Pinned rows: shape, only where a pin asked, never more than the pins asked. */
function checkPinnedRows(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string) => out.push({ rule: 'pins', message });
  const asked = new Map<string, number>();
  for (const p of ctx.scenario.pins ?? []) asked.set(keyOf(p), (asked.get(keyOf(p)) ?? 0) + p.hours);
  const held = new Map<string, number>();
  for (const a of ctx.plan.allocations ?? []) {
    const where = `week ${a.week} ${a.staff}/${a.ticket} level ${a.level}`;
    if (a.pinnedHours !== undefined && (!a.pinned || !(a.pinnedHours > 0) || a.pinnedHours >= a.hours || !isQuarter(a.pinnedHours))) {
      bad(`${where}: pinnedHours ${a.pinnedHours} must be a quarter-hour part of a pinned row's ${fmt(a.hours)} h`);
    }
    if (a.pinned !== undefined && a.pinned !== true) bad(`${where}: pinned must be true or absent`);
    if (!a.pinned) continue;
    if (!asked.has(keyOf(a))) bad(`${where}: pinned, but no pin names this person, ticket and week`);
    held.set(keyOf(a), (held.get(keyOf(a)) ?? 0) + pinnedPart(a));
  }
  for (const [k, h] of held) {
    if (h > (asked.get(k) ?? 0) + EXACT) bad(`${k.replaceAll('|', ' ')}: ${fmt(h)} pinned h, the pins ask for ${fmt(asked.get(k) ?? 0)} h`);
  }
  return out;
}

/**
 * `pinIssues`: one entry per pin that did not hold in full, none for the others; its heldHours
 * add up with the pinned rows; its code names a fault the pin really has.
 */
function checkPinIssues(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const bad = (message: string) => out.push({ rule: 'pins', message });
  const issues = ctx.plan.pinIssues ?? [];
  const unmatched = [...issues];
  const heldByKey = new Map<string, number>();
  for (const p of ctx.scenario.pins ?? []) {
    const i = unmatched.findIndex((u) => u.pin && keyOf(u.pin) === keyOf(p) && Math.abs(u.pin.hours - p.hours) < EXACT);
    const issue = i >= 0 ? unmatched.splice(i, 1)[0]! : undefined;
    const held = issue ? issue.heldHours : p.hours;
    heldByKey.set(keyOf(p), (heldByKey.get(keyOf(p)) ?? 0) + held);
    if (!issue) continue;
    const faults = staticFaults(ctx, p);
    if (!(held >= 0) || held > p.hours - QUARTER + EXACT || !isQuarter(held)) {
      bad(`${pinText(p)}: reported with heldHours ${held}; an issue holds 0 to ${fmt(p.hours - 0.25)} h in quarter hours`);
    }
    if (!issue.reason?.trim()) bad(`${pinText(p)}: issue without a reason`);
    if (faults.length && held > EXACT) bad(`${pinText(p)}: held ${fmt(held)} h, but it cannot hold at all: ${faults.join(' or ')}`);
    const all = faultsOf(ctx, p);
    if (!all.includes(issue.code)) bad(`${pinText(p)}: code ${issue.code}, but its faults are ${all.join(' or ') || 'none'}`);
  }
  for (const u of unmatched) bad(`pinIssues lists ${u.pin ? pinText(u.pin) : 'an entry without a pin'}, which is not one of the scenario's pins`);
  const pinnedByKey = new Map<string, number>();
  for (const a of ctx.allocations) if (a.pinned) pinnedByKey.set(keyOf(a), (pinnedByKey.get(keyOf(a)) ?? 0) + pinnedPart(a));
  for (const [k, h] of heldByKey) {
    const rows = pinnedByKey.get(k) ?? 0;
    if (Math.abs(rows - h) > EXACT) bad(`${k.replaceAll('|', ' ')}: the pins held ${fmt(h)} h by pinIssues (full where not listed), the pinned rows hold ${fmt(rows)} h`);
  }
  return out;
}

/**
 * "A pin that cannot hold in full holds what it can": a pin short of its hours, while its person
 * had hours left after emergencies and pins and its ticket had hours not yet in earlier weeks or
 * pinned, could have held more (pins come right after level 1, before everything else).
 */
function checkPinsHeld(ctx: CheckContext): Violation[] {
  const out: Violation[] = [];
  const issues = ctx.plan.pinIssues ?? [];
  for (const issue of issues) {
    const p = issue.pin;
    if (!p || staticFaults(ctx, p).length) continue;
    const t = ctx.tickets.get(p.ticket)!;
    // An emergency is served before all else anyway; its pin only marks hours it gets.
    if (t.emergency) continue;
    const person = ctx.afterPins(p.staff, p.week);
    const ticket = ctx.movable(t, p.week);
    if (some(person) && some(ticket)) {
      out.push({
        rule: 'pin-held',
        message: `${pinText(p)} held ${fmt(issue.heldHours)} h (${issue.code}), but ${p.staff} has ${fmt(person)} h after emergencies and pins and ${t.id} ${fmt(ticket)} h not pinned or in earlier weeks`,
      });
    }
  }
  return out;
}
