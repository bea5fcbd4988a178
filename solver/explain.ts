/**
 * Why hours were not planned, in words a manager can act on, with the facts behind the words
 * (`code`, `weeks`, `takenBy`) so a server can re-word them for a client without naming others.
 */
import type { Level, PolicyLevel, TakenBy, UnplannedCode } from './contract.ts';
import { urgentAboveRateTakes } from './rules/urgent-above-rate.ts';
import type { Row } from './assign.ts';
import type { EngineResult } from './engine.ts';
import type { MTicket, Model } from './model.ts';
import type { Policy } from './policy.ts';
import { LEVEL_DESCRIPTIONS } from './policy.ts';
import { hoursOf, tidy } from './quarter-hours.ts';

export function weekSpan(from: number, to: number): string {
  return from === to ? `week ${from}` : `weeks ${from}-${to}`;
}

const LEVEL_WORDS: Record<Level, [named: string, anonymous: string]> = {
  1: ['emergencies for', 'emergencies'],
  2: ['the locked-in rates of', "other clients' locked-in rates"],
  3: ['urgent work for', "other clients' urgent work"],
  4: ['pay-as-you-go and overage work for', 'pay-as-you-go work'],
  5: ['work ahead for', 'work ahead for other clients'],
};

/**
 * "emergencies for Quill Books (20 h), the locked-in rates of Harbor Dental, Quill Books (16 h)".
 * With `names` null the text names nobody: the viewer's own work is "your higher-priority
 * tickets", everyone else's is described by its kind only.
 */
export function describeTakenBy(takenBy: readonly TakenBy[], names: ReadonlyMap<string, string> | null, viewer?: string): string {
  const byLevel = new Map<string, { level: Level; own: boolean; clients: TakenBy[]; hours: number }>();
  for (const t of takenBy) {
    const own = names === null && t.client === viewer;
    const key = own ? 'own' : String(t.level);
    let g = byLevel.get(key);
    if (!g) byLevel.set(key, (g = { level: t.level, own, clients: [], hours: 0 }));
    g.clients.push(t);
    g.hours += t.hours;
  }
  const groups = [...byLevel.values()].sort((a, b) => b.hours - a.hours || a.level - b.level);
  return groups
    .map((g) => {
      const hours = `(${tidy(g.hours)} h)`;
      if (g.own) return `your higher-priority tickets ${hours}`;
      const [named, anonymous] = LEVEL_WORDS[g.level];
      if (names === null) return `${anonymous} ${hours}`;
      const list = g.clients.sort((a, b) => b.hours - a.hours).map((c) => names.get(c.client) ?? c.client);
      const shown = list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
      return `${named} ${shown} ${hours}`;
    })
    .join(', ');
}

export interface Explainer {
  ticket(t: MTicket, unplannedQ: number, plannedQ: number): {
    code: UnplannedCode;
    reason: string;
    weeks?: [number, number];
    takenBy?: TakenBy[];
  };
  /** What took the hours of people able to do skill nodes `nodes` in week `week`. */
  takenIn(week: number, nodes: readonly number[], exceptClient?: number): TakenBy[];
}

export function makeExplainer(model: Model, policy: Policy, engine: EngineResult, finalBalanceQ: Int32Array): Explainer {
  const { W } = model;
  const S = model.staff.length;
  const names = new Map(model.clients.map((c) => [c.id, c.name]));
  // usage[w][s]: quarters by (level, client) — what each person's week went to.
  const usage = Array.from({ length: W }, () => Array.from({ length: S }, () => new Map<number, number>()));
  const allocatedQ = Array.from({ length: W }, () => new Int32Array(S));
  const rowsOfTicket = new Map<MTicket, { week: number; row: Row }[]>();
  const C = model.clients.length;
  for (const wk of engine.weeks) {
    for (const r of wk.rows) {
      const key = r.level * C + r.ticket.client.idx;
      const m = usage[wk.week]![r.staff]!;
      m.set(key, (m.get(key) ?? 0) + r.q);
      allocatedQ[wk.week]![r.staff]! += r.q;
      let list = rowsOfTicket.get(r.ticket);
      if (!list) rowsOfTicket.set(r.ticket, (list = []));
      list.push({ week: wk.week, row: r });
    }
  }

  const capableStaff = (nodes: readonly number[]) => {
    const set = new Set<number>();
    for (const k of nodes) for (const s of model.staffByNode[k]!) set.add(s);
    return set;
  };

  function sumsOver(weeks: readonly number[], people: ReadonlySet<number>, exceptClient?: number): Map<number, number> {
    const sums = new Map<number, number>();
    for (const w of weeks) {
      for (const s of people) {
        for (const [key, q] of usage[w]![s]!) {
          if (key % C === exceptClient) continue;
          sums.set(key, (sums.get(key) ?? 0) + q);
        }
      }
    }
    return sums;
  }

  function takenOver(weeks: readonly number[], people: ReadonlySet<number>, exceptClient?: number): TakenBy[] {
    return toTakenBy(sumsOver(weeks, people, exceptClient));
  }

  function toTakenBy(sums: ReadonlyMap<number, number>): TakenBy[] {
    return [...sums]
      .filter(([, q]) => q > 0)
      .map(([key, q]) => ({ level: Math.floor(key / C) as Level, client: model.clients[key % C]!.id, hours: hoursOf(q) }))
      .sort((a, b) => a.level - b.level || b.hours - a.hours || (a.client < b.client ? -1 : 1));
  }

  function takenIn(week: number, nodes: readonly number[], exceptClient?: number): TakenBy[] {
    return takenOver([week], capableStaff(nodes), exceptClient);
  }

  // Facts shared by every ticket of a skill node that could start in a given week.
  interface Window {
    people: Set<number>;
    range: number[];
    capacity: number;
    freeWeeks: number[];
    fullWeeks: number[];
    /** What the capable people's full weeks (else all weeks) went to. */
    sums: Map<number, number>;
    takenBy: TakenBy[];
    described: string;
  }
  const windows = new Map<string, Window>();
  function windowOf(node: number, first: number) {
    const key = `${node}|${first}`;
    let win = windows.get(key);
    if (!win) {
      const people = capableStaff([node]);
      const range = Array.from({ length: W - first }, (_, i) => first + i);
      let capacity = 0;
      for (const w of range) for (const s of people) capacity += model.staff[s]!.capQ[w]!;
      const freeWeeks = range.filter((w) => [...people].some((s) => model.staff[s]!.capQ[w]! > allocatedQ[w]![s]!));
      const fullWeeks = range.filter((w) => !freeWeeks.includes(w));
      const sums = sumsOver(fullWeeks.length > 0 ? fullWeeks : range, people);
      const takenBy = toTakenBy(sums);
      windows.set(key, (win = { people, range, capacity, freeWeeks, fullWeeks, sums, takenBy, described: describeTakenBy(takenBy, names) }));
    }
    return win;
  }

  function ticket(t: MTicket, unplannedQ: number, plannedQ: number) {
    const first = t.startWeek;
    const weeks: [number, number] = [first, W - 1];
    const span = weekSpan(first, W - 1);
    if (unplannedQ === 0) {
      return { code: 'too-small' as const, reason: 'less than a quarter hour left: too small to plan', weeks };
    }
    const win = windowOf(t.skillNode, first);
    const { people, range, capacity, freeWeeks, fullWeeks } = win;
    if (t.skill && people.size === 0) {
      return { code: 'no-skill' as const, reason: `no staff with skill '${t.skill}'`, weeks };
    }
    if (capacity === 0) {
      const who = t.skill ? `everyone with skill '${t.skill}' is` : 'all staff are';
      return { code: 'on-leave' as const, reason: `${who} on leave or fully booked by logged hours in ${span}`, weeks };
    }
    // Which policy level would have planned the rest, and was it switched off?
    const needed = levelsFor(t, first);
    if (freeWeeks.length > 0 && !needed.some((l) => policy.levels.includes(l))) {
      const what = needed.map((l) => LEVEL_DESCRIPTIONS[l]).join(' or ');
      const overage = t.client.prepaid && needed[0] === 'payg' ? "the client's balance is used up and " : '';
      return {
        code: 'policy' as const,
        reason: `${overage}${what} is left out by policy (policy.levels), although capable staff had free hours in ${weekSpan(freeWeeks[0]!, freeWeeks.at(-1)!)}`,
        weeks,
      };
    }
    // The ticket's own planned hours did not take anything from it.
    const weeksUsed = fullWeeks.length > 0 ? fullWeeks : range;
    const own = (rowsOfTicket.get(t) ?? []).filter(({ week, row }) => weeksUsed.includes(week) && people.has(row.staff));
    let { takenBy, described } = win;
    if (own.length > 0) {
      const sums = new Map(win.sums);
      for (const { row } of own) {
        const key = row.level * C + row.ticket.client.idx;
        sums.set(key, sums.get(key)! - row.q);
      }
      takenBy = toTakenBy(sums);
      described = describeTakenBy(takenBy, names);
    }
    const when = fullWeeks.length > 0 ? weekSpan(fullWeeks[0]!, fullWeeks.at(-1)!) : span;
    const who = t.skill ? `staff with skill '${t.skill}'` : 'all staff';
    const planned = plannedQ > 0 ? `${tidy(hoursOf(plannedQ))} h planned; ` : '';
    const reason = takenBy.length > 0 ? `${planned}${when} full: ${who} went to ${described}` : `${planned}${when} full: no capacity left`;
    return { code: 'capacity' as const, reason, weeks, takenBy };
  }

  /** The policy levels that plan a ticket's hours above its client's target (rules/*). */
  function levelsFor(t: MTicket, first: number): readonly PolicyLevel[] {
    const c = t.client;
    const urgent = urgentAboveRateTakes(c.prepaid, t.priority) ? (['urgent-above-rate'] as const) : [];
    if (!c.prepaid) return ['payg'];
    const overage = finalBalanceQ[c.idx]! <= 0 || Array.from(c.overage.subarray(first)).some((x) => x === 1);
    return overage ? [...urgent, 'payg'] : [...urgent, 'work-ahead'];
  }

  return { ticket, takenIn };
}
