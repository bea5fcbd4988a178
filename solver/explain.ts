/**
 * Why hours were not planned, in words a manager can act on, with the facts behind the words
 * (`code`, `weeks`, `takenBy`) so a server can re-word them for a client without naming others.
 *
 * Explanations stay complete but bounded: `takenBy` names the few clients who took the most of
 * the hours (TAKEN_BY_TOP), and `takenByRest` sums up the others, so a plan of 100,000 tickets
 * does not carry a list of every client on every unplanned ticket. The facts are worked out once
 * per window (skill node and first week): every ticket of that window shares them.
 */
import type { Level, PolicyLevel, TakenBy, TakenByRest, UnplannedCode } from './contract.ts';
import type { EngineResult } from './engine.ts';
import type { MTicket, Model } from './model.ts';
import type { Policy } from './policy.ts';
import { LEVEL_DESCRIPTIONS } from './policy.ts';
import { hoursOf, tidy } from './quarter-hours.ts';
import { urgentAboveRateTakes } from './rules/urgent-above-rate.ts';

/** Clients named in a `takenBy` list at most; the rest are summed up in `takenByRest`. */
export const TAKEN_BY_TOP = 3;

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
 * tickets", everyone else's is described by its kind only. `rest` adds the clients not listed.
 */
export function describeTakenBy(takenBy: readonly TakenBy[], names: ReadonlyMap<string, string> | null, viewer?: string, rest?: TakenByRest): string {
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
  const parts = groups.map((g) => {
    const hours = `(${tidy(g.hours)} h)`;
    if (g.own) return `your higher-priority tickets ${hours}`;
    const [named, anonymous] = LEVEL_WORDS[g.level];
    if (names === null) return `${anonymous} ${hours}`;
    const list = [...g.clients].sort((a, b) => b.hours - a.hours).map((c) => names.get(c.client) ?? c.client);
    const shown = list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
    return `${named} ${shown} ${hours}`;
  });
  if (rest && rest.hours > 0) {
    const who = rest.clients > 0 ? `${rest.clients} more client${rest.clients === 1 ? '' : 's'}` : 'more of their work';
    parts.push(names === null ? `other work (${tidy(rest.hours)} h)` : `${who} (${tidy(rest.hours)} h)`);
  }
  return parts.join(', ');
}

export interface Explanation {
  code: UnplannedCode;
  reason: string;
  weeks?: [number, number];
  takenBy?: TakenBy[];
  takenByRest?: TakenByRest;
}

export interface Explainer {
  ticket(t: MTicket, unplannedQ: number, plannedQ: number): Explanation;
  /** What took the hours of people able to do skill nodes `nodes` in week `week` (not counting `exceptClient`). */
  takenIn(week: number, nodes: readonly number[], exceptClient?: number): { takenBy: TakenBy[]; rest?: TakenByRest };
}

/**
 * Quarters by (level, client) key (level * C + client), summed over many people and weeks in a
 * scratch array the explainer keeps, then ranked and emptied.
 */
class Tally {
  private readonly q: Int32Array;
  private readonly seen: Uint8Array;
  private readonly keys: number[] = [];
  constructor(size: number) {
    this.q = new Int32Array(size);
    this.seen = new Uint8Array(size);
  }

  add(key: number, q: number): void {
    if (!this.seen[key]) {
      this.seen[key] = 1;
      this.keys.push(key);
    }
    this.q[key]! += q;
  }

  /** The sums ranked once (most quarters first, then the lower key), and the tally emptied. */
  ranked(C: number): Ranked {
    const q = this.q;
    const keys = this.keys.filter((k) => q[k]! > 0).sort((a, b) => q[b]! - q[a]! || a - b);
    const perClient = new Map<number, number[]>();
    const qs: number[] = [];
    let total = 0;
    for (const k of keys) {
      qs.push(q[k]!);
      total += q[k]!;
      const c = k % C;
      const list = perClient.get(c);
      if (list) list.push(k);
      else perClient.set(c, [k]);
    }
    for (const k of this.keys) {
      q[k] = 0;
      this.seen[k] = 0;
    }
    this.keys.length = 0;
    return { keys, qs, total, perClient };
  }
}

/** Sums ranked once (most quarters first, then the lower key), to bound them cheaply many times. */
interface Ranked {
  keys: number[];
  qs: number[];
  total: number;
  /** Positive keys per client, and how many clients have any. */
  perClient: Map<number, number[]>;
}

export function makeExplainer(model: Model, policy: Policy, engine: EngineResult, finalBalanceQ: Int32Array): Explainer {
  const { W } = model;
  const S = model.staff.length;
  const C = model.clients.length;
  const names = new Map(model.clients.map((c) => [c.id, c.name]));
  // What each person's week went to: (key, quarters) pairs per [week * S + staff].
  const usage: number[][] = Array.from({ length: W * S }, () => []);
  const allocatedQ = new Int32Array(W * S);
  // A ticket's own hours per (week, person), to leave out of what took its hours.
  const own = new Map<MTicket, { week: number; staff: number; key: number; q: number }[]>();
  for (const wk of engine.weeks) {
    for (const r of wk.rows) {
      const key = r.level * C + r.ticket.client.idx;
      const u = usage[wk.week * S + r.staff]!;
      let i = 0;
      while (i < u.length && u[i] !== key) i += 2;
      if (i < u.length) u[i + 1]! += r.q;
      else u.push(key, r.q);
      allocatedQ[wk.week * S + r.staff]! += r.q;
      let list = own.get(r.ticket);
      if (!list) own.set(r.ticket, (list = []));
      list.push({ week: wk.week, staff: r.staff, key, q: r.q });
    }
  }

  const capableStaff = (nodes: readonly number[]) => {
    const set = new Set<number>();
    for (const k of nodes) for (const s of model.staffByNode[k]!) set.add(s);
    return set;
  };

  const tally = new Tally(6 * C);
  /** What the people's weeks went to, ranked (leaving out one client's own hours). */
  function rankOver(weeks: readonly number[], people: Iterable<number>, exceptClient?: number): Ranked {
    for (const w of weeks) {
      for (const s of people) {
        const u = usage[w * S + s]!;
        for (let i = 0; i < u.length; i += 2) if (u[i]! % C !== exceptClient) tally.add(u[i]!, u[i + 1]!);
      }
    }
    return tally.ranked(C);
  }

  /**
   * The TAKEN_BY_TOP largest (level, client) amounts, by level, and the rest summed up; `less`
   * takes a ticket's own hours off (they are a few keys of its own client).
   */
  function bounded(r: Ranked, less?: ReadonlyMap<number, number>): { takenBy: TakenBy[]; rest?: TakenByRest } {
    const top: { key: number; q: number }[] = [];
    for (let i = 0; i < r.keys.length; i++) {
      // Amounts only go down with `less`: nothing further down the ranking can beat a full top.
      if (top.length === TAKEN_BY_TOP && r.qs[i]! < top[TAKEN_BY_TOP - 1]!.q) break;
      const key = r.keys[i]!;
      const q = r.qs[i]! - (less?.get(key) ?? 0);
      if (q <= 0) continue;
      let at = top.length;
      while (at > 0 && (top[at - 1]!.q < q || (top[at - 1]!.q === q && top[at - 1]!.key > key))) at--;
      if (at < TAKEN_BY_TOP) {
        top.splice(at, 0, { key, q });
        if (top.length > TAKEN_BY_TOP) top.pop();
      }
    }
    const takenBy = top
      .map(({ key, q }) => ({ level: Math.floor(key / C) as Level, client: model.clients[key % C]!.id, hours: hoursOf(q) }))
      .sort((a, b) => a.level - b.level || b.hours - a.hours || (a.client < b.client ? -1 : 1));
    let clients = r.perClient.size;
    let total = r.total;
    if (less) {
      for (const v of less.values()) total -= v;
      for (const c of new Set([...less.keys()].map((k) => k % C))) {
        const keys = r.perClient.get(c);
        if (keys && keys.every((k) => r.qs[r.keys.indexOf(k)]! - (less.get(k) ?? 0) <= 0)) clients--;
      }
    }
    const topSum = top.reduce((h, x) => h + x.q, 0);
    clients -= new Set(top.map((x) => x.key % C)).size;
    if (total - topSum <= 0) return { takenBy };
    return { takenBy, rest: { hours: hoursOf(total - topSum), clients: Math.max(0, clients) } };
  }

  function takenIn(week: number, nodes: readonly number[], exceptClient?: number) {
    return bounded(rankOver([week], capableStaff(nodes), exceptClient));
  }

  // Facts shared by every ticket of a skill node that could start in a given week.
  interface Window {
    people: Set<number>;
    range: number[];
    /** The weeks `sums` covers. */
    weeksUsed: Set<number>;
    capacity: number;
    freeWeeks: number[];
    fullWeeks: number[];
    /** What the capable people's full weeks (else all weeks) went to. */
    sums: Ranked;
    takenBy: TakenBy[];
    rest?: TakenByRest;
    described: string;
  }
  const windows = new Map<number, Window>();
  function windowOf(node: number, first: number): Window {
    const key = node * W + first;
    let win = windows.get(key);
    if (!win) {
      const people = capableStaff([node]);
      const list = model.staffByNode[node]!;
      const range: number[] = [];
      const freeWeeks: number[] = [];
      const fullWeeks: number[] = [];
      let capacity = 0;
      for (let w = first; w < W; w++) {
        range.push(w);
        let free = false;
        for (const s of list) {
          const cap = model.staff[s]!.capQ[w]!;
          capacity += cap;
          if (cap > allocatedQ[w * S + s]!) free = true;
        }
        (free ? freeWeeks : fullWeeks).push(w);
      }
      const used = fullWeeks.length > 0 ? fullWeeks : range;
      const sums = rankOver(used, list);
      const { takenBy, rest } = bounded(sums);
      win = { people, range, weeksUsed: new Set(used), capacity, freeWeeks, fullWeeks, sums, takenBy, ...(rest ? { rest } : {}), described: describeTakenBy(takenBy, names, undefined, rest) };
      windows.set(key, win);
    }
    return win;
  }

  /** The policy levels that plan a ticket's hours above its client's target (rules/*). */
  function levelsFor(t: MTicket, first: number): readonly PolicyLevel[] {
    const c = t.client;
    const urgent = urgentAboveRateTakes(c.prepaid, t.priority) ? (['urgent-above-rate'] as const) : [];
    if (!c.prepaid) return ['payg'];
    const overage = finalBalanceQ[c.idx]! <= 0 || Array.from(c.overage.subarray(first)).some((x) => x === 1);
    return overage ? [...urgent, 'payg'] : [...urgent, 'work-ahead'];
  }

  function ticket(t: MTicket, unplannedQ: number, plannedQ: number): Explanation {
    const first = t.startWeek;
    const weeks: [number, number] = [first, W - 1];
    const span = weekSpan(first, W - 1);
    if (unplannedQ === 0) {
      return { code: 'too-small', reason: 'less than a quarter hour left: too small to plan', weeks };
    }
    const win = windowOf(t.skillNode, first);
    const { people, capacity, freeWeeks, fullWeeks } = win;
    if (t.skill && people.size === 0) {
      return { code: 'no-skill', reason: `no staff with skill '${t.skill}'`, weeks };
    }
    if (capacity === 0) {
      const who = t.skill ? `everyone with skill '${t.skill}' is` : 'all staff are';
      return { code: 'on-leave', reason: `${who} on leave or fully booked by logged hours in ${span}`, weeks };
    }
    // Which policy level would have planned the rest, and was it switched off?
    const needed = levelsFor(t, first);
    if (freeWeeks.length > 0 && !needed.some((l) => policy.levels.includes(l))) {
      const what = needed.map((l) => LEVEL_DESCRIPTIONS[l]).join(' or ');
      const overage = t.client.prepaid && needed.includes('payg') ? "the client's balance is used up and " : '';
      return {
        code: 'policy',
        reason: `${overage}${what} is left out by policy (policy.levels), although capable staff had free hours in ${weekSpan(freeWeeks[0]!, freeWeeks.at(-1)!)}`,
        weeks,
      };
    }
    // The ticket's own planned hours did not take anything from it.
    const mine = (own.get(t) ?? []).filter((r) => win.weeksUsed.has(r.week) && people.has(r.staff));
    let { takenBy, rest, described } = win;
    if (mine.length > 0) {
      const less = new Map<number, number>();
      for (const r of mine) less.set(r.key, (less.get(r.key) ?? 0) + r.q);
      ({ takenBy, rest } = bounded(win.sums, less));
      described = describeTakenBy(takenBy, names, undefined, rest);
    }
    const when = fullWeeks.length > 0 ? weekSpan(fullWeeks[0]!, fullWeeks.at(-1)!) : span;
    const who = t.skill ? `staff with skill '${t.skill}'` : 'all staff';
    const planned = plannedQ > 0 ? `${tidy(hoursOf(plannedQ))} h planned; ` : '';
    const reason = takenBy.length > 0 ? `${planned}${when} full: ${who} went to ${described}` : `${planned}${when} full: no capacity left`;
    return { code: 'capacity', reason, weeks, takenBy, ...(rest ? { takenByRest: rest } : {}) };
  }

  return { ticket, takenIn };
}
