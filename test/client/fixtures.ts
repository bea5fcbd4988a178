/** Small plan views for the dashboard's unit tests. */
import type { ClientPlan, ClientSummary, PlanSummary, PlanView, QueueRow, StaffPlan, TicketRecord, WeekPlan } from '../../shared/api/index.ts';

export function clientPlan(over: Partial<ClientPlan> = {}): ClientPlan {
  return {
    id: 'acme',
    name: 'Acme Ltd',
    plan: 'prepaid',
    rate: [4, 4, 4, 4, 4],
    demand: [0, 0, 0, 0, 0],
    delivered: [3, 4, 4, 2, 0],
    balanceHours: 13,
    forecastUnusedHours: 7,
    shortfallHours: 2,
    rolloverHours: 2,
    atRiskHours: 5,
    overageHours: 0,
    boughtHours: 20,
    rolloverInHours: 0,
    usedHours: 7,
    plannedHours: 6,
    owedAtRateHours: 8,
    ideal: [4, 4, 0, 0, 0],
    target: [4, 4, 0, 0, 0],
    advice: { cause: 'present-work', tickets: [] },
    shortfallWeeks: [],
    presentByWeek: 3,
    ...over,
  };
}

export function weeks(): WeekPlan[] {
  return [
    { week: 0, capacity: 40, allocated: 0, leave: 0, byLevel: [0, 0, 0, 0, 0] },
    { week: 1, capacity: 40, allocated: 0, leave: 0, byLevel: [0, 0, 0, 0, 0] },
    { week: 2, capacity: 32, allocated: 30, leave: 8, byLevel: [10, 8, 2, 6, 4] },
    { week: 3, capacity: 40, allocated: 12.5, leave: 0, byLevel: [0, 8, 0, 4.5, 0] },
    { week: 4, capacity: 40, allocated: 0, leave: 0, byLevel: [0, 0, 0, 0, 0] },
  ];
}

export function staff(): StaffPlan[] {
  return [
    { id: 'bo', name: 'Bo', capacity: [20, 20, 0, 20, 20], allocated: [0, 0, 0, 20, 25], leave: [0, 0, 20, 0, 0] },
    { id: 'al', name: 'Al', capacity: [20, 20, 20, 20, 20], allocated: [0, 0, 15, 5, 0], leave: [0, 0, 0, 0, 0] },
  ];
}

export function planView(over: Partial<PlanView> = {}): PlanView {
  return {
    version: 3,
    createdAt: '2026-10-12T09:00:00.000Z',
    quarter: { id: '2026-Q4', weeks: 5, currentWeek: 2, startDate: '2026-09-28' },
    allocations: [
      { week: 2, staff: 'al', client: 'acme', ticket: 'T-2', hours: 10, level: 1 },
      { week: 2, staff: 'al', client: 'acme', ticket: 'T-2', hours: 5, level: 2 },
      { week: 3, staff: 'al', client: 'bolt', ticket: 'T-1', hours: 5, level: 4 },
      { week: 3, staff: 'bo', client: 'bolt', ticket: 'T-1', hours: 20, level: 4 },
      { week: 4, staff: 'bo', client: 'acme', ticket: 'T-3', hours: 2, level: 5 },
    ],
    tickets: [
      { id: 'T-1', client: 'bolt', remainingHours: 30, plannedHours: 25, unplannedHours: 5, startWeek: 3, finishWeek: 3, staff: ['bo', 'al'], dueWeek: null, late: false },
      { id: 'T-2', client: 'acme', remainingHours: 15, plannedHours: 15, unplannedHours: 0, startWeek: 2, finishWeek: 2, staff: ['al'], dueWeek: null, late: false },
      { id: 'T-3', client: 'acme', remainingHours: 2, plannedHours: 2, unplannedHours: 0, startWeek: 4, finishWeek: 4, staff: ['bo'], dueWeek: null, late: false },
    ],
    clients: [clientPlan(), clientPlan({ id: 'bolt', name: 'Bolt Co', plan: 'payg', atRiskHours: 0, rolloverHours: 0, forecastUnusedHours: 0, boughtHours: 0, presentByWeek: null })],
    staff: staff(),
    weeks: weeks(),
    unplanned: [{ ticket: 'T-1', client: 'bolt', hours: 5, reason: "no staff with skill 'oracle'", code: 'no-skill' }],
    ...over,
  };
}

export const ticketRecord = (id: string, over: Partial<TicketRecord> = {}): TicketRecord => ({
  id,
  client: 'acme',
  title: `Ticket ${id}`,
  description: '',
  priority: 3,
  estimateHours: 10,
  spentHours: 0,
  openedWeek: 0,
  skill: null,
  emergency: false,
  dueWeek: null,
  status: 'open',
  quarter: '2026-Q4',
  source: null,
  externalId: null,
  url: null,
  emergencyRequested: false,
  version: 1,
  createdAt: '2026-09-28T09:00:00.000Z',
  updatedAt: '2026-09-28T09:00:00.000Z',
  ...over,
});

/** A row of the server's ticket queue (GET /api/plans/current/tickets). */
export function queueRow(id: string, over: Partial<QueueRow> = {}): QueueRow {
  return {
    id,
    client: 'acme',
    remainingHours: 10,
    plannedHours: 10,
    unplannedHours: 0,
    startWeek: 2,
    finishWeek: 2,
    dueWeek: null,
    late: false,
    staff: ['al'],
    title: `Ticket ${id}`,
    priority: 3,
    emergency: false,
    emergencyRequested: false,
    status: 'open',
    estimateHours: 10,
    spentHours: 0,
    openedWeek: 0,
    plannedWeeks: [2],
    pinnedHours: 0,
    unplanned: null,
    ...over,
  };
}

/** The manager's first screen of the fixture plan, with a queue of `queue` rows (first page: `page`). */
export function planSummary(over: Partial<PlanSummary> = {}, queue: QueueRow[] = [queueRow('T-1', { client: 'bolt', unplannedHours: 5, staff: ['bo', 'al'], unplanned: { hours: 5, code: 'no-skill', reason: "no staff with skill 'oracle'" } }), queueRow('T-2'), queueRow('T-3', { staff: ['bo'] })], page = 100): PlanSummary {
  const p = planView();
  const clients: ClientSummary[] = p.clients.map(({ shortfallWeeks: _s, advice, ...c }) => ({ ...c, advice: { cause: advice.cause }, adviceTickets: advice.tickets.length }));
  const version = over.version ?? p.version;
  const items = queue.slice(0, page);
  return {
    version,
    createdAt: p.createdAt,
    quarter: p.quarter,
    policy: { levels: [], catchUpFirst: false },
    weeks: weeks(),
    staff: staff(),
    clients,
    queue: { items, total: queue.length, nextCursor: queue.length > page ? `c${page}` : null, version },
    pinIssues: [],
    pinned: [],
    stats: { solveMs: 12, augmentations: 0, lpSolves: 0, lpFallbacks: 0 },
    totals: {
      tickets: queue.length,
      openTickets: queue.filter((t) => t.status === 'open').length,
      lateTickets: 0,
      unplannedTickets: queue.filter((t) => t.unplannedHours > 0).length,
      unplannedHours: queue.reduce((n, t) => n + t.unplannedHours, 0),
      plannedHours: queue.reduce((n, t) => n + t.plannedHours, 0),
      emergencyRequests: queue.filter((t) => t.status === 'open' && t.emergencyRequested).length,
      unplannedByCode: {},
    },
    ...over,
  };
}
