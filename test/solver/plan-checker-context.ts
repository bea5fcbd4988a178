/**
 * Facts the plan checker derives from the scenario and the plan's allocations alone.
 *
 * Written from DOMAIN.md / SCENARIO.md without reading the solver, so that a misreading in the
 * solver shows up as a violation instead of being copied. Nothing here trusts the plan's own
 * figures (rate, delivered, ideal, target...): those are what the checker compares against.
 */
import type { Allocation, ClientInput, Plan, ScenarioInput, StaffInput, TicketInput } from '../../solver/contract.ts';
import { DEFAULT_LEVELS, EXACT, freePart, naturalCompare, pinnedPart, some } from './plan-checker-hours.ts';
import { targetsOf, type Targets } from './plan-checker-targets.ts';

export * from './plan-checker-hours.ts';

type Kind = 'staff' | 'ticket' | 'client';
export type Part = 'all' | 'free' | 'pinned';
const PARTS: Record<Part, number> = { all: 0, free: 1, pinned: 2 };

export class CheckContext {
  readonly W: number;
  readonly current: number;
  readonly staff = new Map<string, StaffInput>();
  readonly clients = new Map<string, ClientInput>();
  readonly tickets = new Map<string, TicketInput>();
  readonly ticketsByClient = new Map<string, TicketInput[]>();
  readonly levels: readonly string[];
  /** Allocations whose ids and week are valid; the rest only produce shape violations. */
  readonly allocations: Allocation[];
  private readonly capacityOf = new Map<string, number[]>();
  /** Sums by (kind, id) → (week or all, level or all, part), flat; see `sum`. */
  private readonly slots: Record<Kind, Map<string, number>> = { staff: new Map(), ticket: new Map(), client: new Map() };
  private readonly sums: Float64Array;
  private readonly freeAfterOf = new Map<string, number[]>();
  private readonly deliveredBeforeOf = new Map<string, number[]>();
  /** Hours already logged in the current week (scenario extension `currentWeekLog`). */
  private readonly logged = new Map<string, number>();
  private readonly presentedOf = new Map<string, number[]>();
  private readonly targetsCache = new Map<string, Targets>();
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly scenario: ScenarioInput,
    readonly plan: Plan,
  ) {
    this.W = scenario.quarter.weeks;
    this.current = scenario.quarter.currentWeek ?? 0;
    this.levels = scenario.policy?.levels ?? DEFAULT_LEVELS;
    for (const s of scenario.staff) this.staff.set(s.id, s);
    for (const c of scenario.clients) this.clients.set(c.id, c);
    for (const t of scenario.tickets) {
      this.tickets.set(t.id, t);
      const list = this.ticketsByClient.get(t.client) ?? [];
      list.push(t);
      this.ticketsByClient.set(t.client, list);
    }
    for (const l of scenario.currentWeekLog ?? []) {
      const client = this.tickets.get(l.ticket)?.client;
      for (const k of [`staff|${l.staff}`, `ticket|${l.ticket}`, `client|${client}`]) this.logged.set(k, (this.logged.get(k) ?? 0) + l.hours);
    }
    // Logged hours come off the current week's capacity (DOMAIN.md "Time").
    for (const s of scenario.staff) {
      const off = (w: number) => (s.leave?.[String(w)] ?? 0) + (w === this.current ? this.loggedHours('staff', s.id) : 0);
      this.capacityOf.set(s.id, Array.from({ length: this.W }, (_, w) => Math.max(0, s.weeklyHours - off(w))));
    }
    this.allocations = (plan.allocations ?? []).filter(
      (a) =>
        this.staff.has(a.staff) &&
        this.tickets.has(a.ticket) &&
        Number.isInteger(a.week) &&
        a.week >= 0 &&
        a.week < this.W &&
        [1, 2, 3, 4, 5].includes(a.level),
    );
    let n = 0;
    for (const id of this.staff.keys()) this.slots.staff.set(id, n++);
    for (const id of this.tickets.keys()) this.slots.ticket.set(id, n++);
    for (const id of this.clients.keys()) this.slots.client.set(id, n++);
    this.sums = new Float64Array(n * this.stride);
    for (const a of this.allocations) this.index(a);
  }

  /** One (kind, id): (W + 1 weeks, the first for all) × (6 levels, the first for all) × 3 parts. */
  private get stride(): number {
    return (this.W + 1) * 18;
  }

  private cell(slot: number, week: number | '*', level: number | '*', part: Part): number {
    return slot * this.stride + (week === '*' ? 0 : week + 1) * 18 + (level === '*' ? 0 : level) * 3 + PARTS[part];
  }

  private index(a: Allocation): void {
    const client = this.tickets.get(a.ticket)!.client;
    const hours = [a.hours, freePart(a), pinnedPart(a)];
    const slots = [this.slots.staff.get(a.staff), this.slots.ticket.get(a.ticket), this.slots.client.get(client)];
    for (const slot of slots) {
      if (slot === undefined) continue;
      for (const week of [a.week, '*'] as const) {
        for (const level of [a.level, '*'] as const) {
          for (let p = 0; p < 3; p++) this.sums[this.cell(slot, week, level, 'all') + p]! += hours[p]!;
        }
      }
    }
  }

  sum(kind: Kind, id: string, week: number | '*', level: number | '*' = '*', part: Part = 'all'): number {
    const slot = this.slots[kind].get(id);
    if (slot === undefined || (week !== '*' && !(week >= 0 && week < this.W))) return 0;
    return this.sums[this.cell(slot, week, level, part)]!;
  }

  /** A derived fact computed once per plan (facts never change: the plan is read-only here). */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** Sum over levels 3-5 (the levels below the rate). */
  lower(kind: Kind, id: string, week: number, part: Part = 'all'): number {
    return this.sum(kind, id, week, 3, part) + this.sum(kind, id, week, 4, part) + this.sum(kind, id, week, 5, part);
  }

  loggedHours(kind: Kind, id: string): number {
    return this.logged.get(`${kind}|${id}`) ?? 0;
  }

  capacity(staffId: string, week: number): number {
    return this.capacityOf.get(staffId)?.[week] ?? 0;
  }

  free(staffId: string, week: number): number {
    return this.capacity(staffId, week) - this.sum('staff', staffId, week);
  }

  /** Capacity left once emergencies and pins are served: what levels 2-5 share. */
  afterPins(staffId: string, week: number): number {
    return this.capacity(staffId, week) - this.sum('staff', staffId, week, 1) - this.sum('staff', staffId, week, '*', 'pinned');
  }

  /** DOMAIN.md: remaining = estimate − spent; a closed ticket has none. */
  remaining(t: TicketInput): number {
    if (t.status === 'closed') return 0;
    return Math.max(0, t.estimateHours - (t.spentHours ?? 0));
  }

  /** Computed from the allocations, not from the plan's ticket figures. */
  unplanned(t: TicketInput): number {
    return this.remaining(t) - this.sum('ticket', t.id, '*');
  }

  /** Hours of a ticket the planner chose to put after week `week` (pinned hours stay where they are). */
  freeAfter(t: TicketInput, week: number): number {
    let after = this.freeAfterOf.get(t.id);
    if (!after) {
      after = Array<number>(this.W + 1).fill(0);
      for (let w = this.W - 1; w >= 0; w--) after[w] = after[w + 1]! + this.sum('ticket', t.id, w, '*', 'free');
      this.freeAfterOf.set(t.id, after);
    }
    return after[Math.max(0, week + 1)] ?? 0;
  }

  /**
   * Work a person could still take in week `week` instead of what they did: hours unplanned in the
   * quarter or planned only in later weeks (DOMAIN.md), at least a quarter hour of them.
   */
  pending(t: TicketInput, week: number): boolean {
    return some(Math.max(0, this.unplanned(t)) + this.freeAfter(t, week));
  }

  /** Hours of a ticket that level 2 could place in week `week`: all but earlier weeks and pins. */
  movable(t: TicketInput, week: number): number {
    return Math.max(0, this.unplanned(t)) + this.sum('ticket', t.id, week, '*', 'free') + this.freeAfter(t, week);
  }

  /**
   * The place a ticket holds in week `week`'s order across clients (DOMAIN.md: higher priority,
   * then the lowest ticket id; "a due week can move a ticket ahead of same-priority work of the
   * same client"). A client's tickets of one priority, open at the week's start, keep the places
   * their ids give them among everyone's and fill them in due-week order (earlier due week first,
   * then id): the id of the place the ticket fills.
   */
  placeId(t: TicketInput, week: number): string {
    const key = `place|${t.client}|${week}`;
    let places = this.memos.get(key) as Map<string, string> | undefined;
    if (!places) {
      places = new Map();
      const prio = (x: TicketInput) => (x.emergency ? 1 : x.priority);
      const open = (this.ticketsByClient.get(t.client) ?? []).filter((x) => {
        if (x.openedWeek > week) return false;
        let before = 0;
        for (let v = this.current; v < week; v++) before += this.sum('ticket', x.id, v);
        return some(this.remaining(x) - before);
      });
      for (const p of new Set(open.map(prio))) {
        const group = open.filter((x) => prio(x) === p);
        const byId = [...group].sort((a, b) => naturalCompare(a.id, b.id));
        const byDue = [...group].sort((a, b) => (a.dueWeek ?? Infinity) - (b.dueWeek ?? Infinity) || naturalCompare(a.id, b.id));
        byDue.forEach((x, i) => places!.set(x.id, byId[i]!.id));
      }
      this.memos.set(key, places);
    }
    return places.get(t.id) ?? t.id;
  }

  /**
   * The least urgent ticket a client needed to claim its level-2 hours of week `week`: its
   * tickets open at the week's start, in its order (priority, place), each claiming the hours it
   * had left, until they cover the client's free level-2 hours. A client's target hours may sit
   * on any of its tickets (DOMAIN.md lets level 2 re-route a client's target among them), so it
   * is at this ticket's place that the client competed for them.
   */
  claimOf(clientId: string, week: number): TicketInput | null {
    const key = `claim|${clientId}|${week}`;
    if (this.memos.has(key)) return this.memos.get(key) as TicketInput | null;
    const prio = (x: TicketInput) => (x.emergency ? 1 : x.priority);
    const open = (this.ticketsByClient.get(clientId) ?? [])
      .filter((x) => !x.emergency && x.openedWeek <= week)
      .map((x) => {
        let before = 0;
        for (let v = this.current; v < week; v++) before += this.sum('ticket', x.id, v);
        return { x, left: this.remaining(x) - before - this.sum('ticket', x.id, week, '*', 'pinned') };
      })
      .filter((o) => some(o.left))
      .sort((a, b) => prio(a.x) - prio(b.x) || naturalCompare(this.placeId(a.x, week), this.placeId(b.x, week)));
    let need = this.sum('client', clientId, week, 2, 'free');
    let claim: TicketInput | null = null;
    for (const o of open) {
      if (need <= EXACT) break;
      claim = o.x;
      need -= o.left;
    }
    this.memos.set(key, claim);
    return claim;
  }

  canWork(staffId: string, t: TicketInput): boolean {
    const s = this.staff.get(staffId);
    return !!s && (!t.skill || (s.skills ?? []).includes(t.skill));
  }

  /** A ticket a person could work in a week: skill, and opened by then. */
  workable(staffId: string, t: TicketInput, week: number): boolean {
    return t.openedWeek <= week && this.canWork(staffId, t);
  }

  isPrepaid(clientId: string): boolean {
    return this.clients.get(clientId)?.plan === 'prepaid';
  }

  /** DOMAIN.md: blocks bought by week w, plus rolled-over hours spread like a week-0 block. */
  rate(clientId: string, week: number): number {
    const c = this.clients.get(clientId);
    if (!c || c.plan !== 'prepaid') return 0;
    let r = (c.rolloverInHours ?? 0) / this.W;
    for (const p of c.purchases ?? []) if (p.week <= week) r += p.hours / (this.W - p.week);
    return r;
  }

  /** Balance at currentWeek: bought (all blocks, also later ones) + rolled in − used. May be below 0. */
  balance(clientId: string): number {
    const c = this.clients.get(clientId);
    if (!c || c.plan !== 'prepaid') return 0;
    const bought = (c.purchases ?? []).reduce((s, p) => s + p.hours, 0);
    const used = (c.usedByWeek ?? []).reduce((s, h) => s + h, 0);
    return bought + (c.rolloverInHours ?? 0) - used;
  }

  /**
   * presented[w]: remaining hours of the client's tickets opened by week w, whatever their skill.
   * Remaining as the current week starts: hours logged this week are delivered this week, so they
   * are part of what was presented (spentHours already include them). Hours logged on a ticket
   * opened after the current week count as presented from the current week: work being done on it
   * means the client has presented it (its remaining hours still wait for the week it opens).
   */
  presented(clientId: string, week: number): number {
    let list = this.presentedOf.get(clientId);
    if (!list) {
      const ts = this.ticketsByClient.get(clientId) ?? [];
      list = Array.from({ length: this.W }, (_, w) =>
        ts.reduce((h, t) => h + (t.openedWeek <= w ? this.remaining(t) : 0) + (t.openedWeek <= w || w >= this.current ? this.loggedHours('ticket', t.id) : 0), 0),
      );
      this.presentedOf.set(clientId, list);
    }
    return list[week] ?? 0;
  }

  /**
   * DOMAIN.md level 4: a prepaid client's work above its target is overage when its presented
   * work exceeds its balance (a used-up or negative balance included).
   */
  overageMode(clientId: string, week: number): boolean {
    return this.presented(clientId, week) > this.balance(clientId) + EXACT;
  }

  /** Planned hours, plus the hours already logged when `week` is the current week. */
  delivered(clientId: string, week: number): number {
    const logged = week === this.current ? this.loggedHours('client', clientId) : 0;
    return this.sum('client', clientId, week) + logged;
  }

  deliveredBefore(clientId: string, week: number): number {
    let before = this.deliveredBeforeOf.get(clientId);
    if (!before) {
      before = Array<number>(this.W + 1).fill(0);
      for (let v = this.current; v < this.W; v++) before[v + 1] = before[v]! + this.delivered(clientId, v);
      this.deliveredBeforeOf.set(clientId, before);
    }
    return before[Math.min(this.W, Math.max(this.current, week))]!;
  }

  /** Balance still unused when week `week` starts (never below 0). */
  balanceLeft(clientId: string, week: number): number {
    return Math.max(0, this.balance(clientId) - this.deliveredBefore(clientId, week));
  }

  /** Hours that come before level 2 and count toward the target: emergencies, logged, pinned. */
  fixed(clientId: string, week: number): number {
    return this.delivered(clientId, week) - this.sum('client', clientId, week, '*', 'free') + this.sum('client', clientId, week, 1, 'free');
  }

  /** Hours counting toward the level-2 target: all but the planner's own hours at levels 3-5. */
  counted(clientId: string, week: number): number {
    return this.delivered(clientId, week) - this.lower('client', clientId, week, 'free');
  }

  /** Balance used this week by work within the balance: levels 1, 2, 3 and 5 and logged hours. */
  withinBalance(clientId: string, week: number): number {
    return this.delivered(clientId, week) - this.sum('client', clientId, week, 4);
  }

  /** The client's ideal and level-2 targets, in exact hours and as a quarter-hour band. */
  targets(clientId: string): Targets {
    let t = this.targetsCache.get(clientId);
    if (!t) {
      t = targetsOf(this, clientId);
      this.targetsCache.set(clientId, t);
    }
    return t;
  }

  /** A prepaid client short of its level-2 target by more than the rounding allows. */
  belowTarget(clientId: string, week: number): boolean {
    return this.isPrepaid(clientId) && this.counted(clientId, week) < this.targets(clientId).lo[week]! - EXACT;
  }

  /** Short of its own week (the part of the target served before anyone's catch-up). */
  belowOwnWeek(clientId: string, week: number): boolean {
    return this.isPrepaid(clientId) && this.counted(clientId, week) < this.targets(clientId).ownLo[week]! - EXACT;
  }

  /** Tickets of a client a person could have worked in a week and that are still pending. */
  pendingFor(clientId: string, staffId: string, week: number): TicketInput[] {
    return (this.ticketsByClient.get(clientId) ?? []).filter((t) => !t.emergency && this.workable(staffId, t, week) && this.pending(t, week));
  }

  plannedWeeks(): number[] {
    return Array.from({ length: Math.max(0, this.W - this.current) }, (_, i) => this.current + i);
  }

  /** (staff, week) pairs that have at least one allocation, with the allocations. */
  byStaffWeek(): Map<string, Allocation[]> {
    const m = new Map<string, Allocation[]>();
    for (const a of this.allocations) {
      const k = `${a.staff}|${a.week}`;
      const list = m.get(k) ?? [];
      list.push(a);
      m.set(k, list);
    }
    return m;
  }
}
