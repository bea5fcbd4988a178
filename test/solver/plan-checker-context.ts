/**
 * Facts the plan checker derives from the scenario and the plan's allocations alone.
 *
 * Written from DOMAIN.md / SCENARIO.md without reading the solver, so that a misreading in the
 * solver shows up as a violation instead of being copied. Nothing here trusts the plan's own
 * figures (rate, delivered, plannedHours...): those are what the checker compares against.
 */
import type { Allocation, ClientInput, Plan, ScenarioInput, StaffInput, TicketInput } from '../../solver/contract.ts';

export interface Violation {
  rule: string;
  message: string;
}

/** Exact identities (sums of quarter hours) and money-like figures. */
export const EXACT = 1e-6;
export const FIGURE = 1e-4;
/** DOMAIN.md: "a rate counts as met when delivered is within a quarter hour of it". */
export const QUARTER = 0.25;
export const DEFAULT_LEVELS = ['urgent-above-rate', 'payg', 'work-ahead'] as const;

export const fmt = (h: number): string => String(Math.round(h * 10000) / 10000);

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
  private readonly sums = new Map<string, number>();
  /** Hours already logged in the current week (scenario extension `currentWeekLog`). */
  private readonly logged = new Map<string, number>();

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
    this.allocations = plan.allocations.filter(
      (a) =>
        this.staff.has(a.staff) && this.tickets.has(a.ticket) && Number.isInteger(a.week) && a.week >= 0 && a.week < this.W,
    );
    for (const a of this.allocations) this.index(a);
  }

  /** Sums keyed by (kind, id, week, level); see `sum`. */
  private index(a: Allocation): void {
    const client = this.tickets.get(a.ticket)!.client;
    const keys = [
      `staff|${a.staff}|${a.week}|*`,
      `staff|${a.staff}|${a.week}|${a.level}`,
      `ticket|${a.ticket}|${a.week}|*`,
      `ticket|${a.ticket}|*|*`,
      `client|${client}|${a.week}|*`,
      `client|${client}|${a.week}|${a.level}`,
    ];
    for (const k of keys) this.sums.set(k, (this.sums.get(k) ?? 0) + a.hours);
  }

  sum(kind: 'staff' | 'ticket' | 'client', id: string, week: number | '*', level: number | '*' = '*'): number {
    return this.sums.get(`${kind}|${id}|${week}|${level}`) ?? 0;
  }

  loggedHours(kind: 'staff' | 'ticket' | 'client', id: string): number {
    return this.logged.get(`${kind}|${id}`) ?? 0;
  }

  capacity(staffId: string, week: number): number {
    return this.capacityOf.get(staffId)?.[week] ?? 0;
  }

  free(staffId: string, week: number): number {
    return this.capacity(staffId, week) - this.sum('staff', staffId, week);
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

  /**
   * Hours of a ticket that could still be planned. A fragment under a quarter hour (remaining 1.1 h)
   * can never be planned, so it does not count as work left waiting.
   */
  waiting(t: TicketInput): boolean {
    return this.unplanned(t) >= QUARTER - EXACT;
  }

  hoursAfter(t: TicketInput, week: number): number {
    let h = 0;
    for (let w = week + 1; w < this.W; w++) h += this.sum('ticket', t.id, w);
    return h;
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

  /** Balance at currentWeek: bought (all blocks, also later ones) + rolled in − used. */
  balance(clientId: string): number {
    const c = this.clients.get(clientId);
    if (!c || c.plan !== 'prepaid') return 0;
    const bought = (c.purchases ?? []).reduce((s, p) => s + p.hours, 0);
    const used = (c.usedByWeek ?? []).reduce((s, h) => s + h, 0);
    return bought + (c.rolloverInHours ?? 0) - used;
  }

  /** Planned hours, plus the hours already logged when `week` is the current week. */
  delivered(clientId: string, week: number): number {
    const logged = week === this.current ? this.loggedHours('client', clientId) : 0;
    return this.sum('client', clientId, week) + logged;
  }

  deliveredBefore(clientId: string, week: number): number {
    let h = 0;
    for (let v = this.current; v < week; v++) h += this.delivered(clientId, v);
    return h;
  }

  /** Balance still unused when week `week` starts (never below 0). */
  balanceLeft(clientId: string, week: number): number {
    return Math.max(0, Math.max(0, this.balance(clientId)) - this.deliveredBefore(clientId, week));
  }

  /**
   * A prepaid client below its rate in a week, counting only the rate its balance can still pay
   * for: beyond the balance, work is overage (level 4), not rate.
   */
  underRate(clientId: string, week: number): boolean {
    if (!this.isPrepaid(clientId)) return false;
    const target = Math.min(this.rate(clientId, week), this.balanceLeft(clientId, week));
    return this.delivered(clientId, week) < target - QUARTER - EXACT;
  }

  /** Tickets of a client a person could have worked in a week and that still have hours unplanned. */
  waitingFor(clientId: string, staffId: string, week: number): TicketInput[] {
    return (this.ticketsByClient.get(clientId) ?? []).filter((t) => this.workable(staffId, t, week) && this.waiting(t));
  }

  plannedWeeks(): number[] {
    return Array.from({ length: this.W - this.current }, (_, i) => this.current + i);
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
